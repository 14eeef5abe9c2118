use booking_shared::disponibilites::RefusCreneau;
use booking_shared::reservation::TransitionRefusee;
use booking_shared::store::reservations::ErreurEcriture;
use booking_shared::store::DbError;
use booking_shared::vertical::ErreurChamp;

use crate::problem::Problem;

/// Why a booking operation did nothing. Each maps to a precise status and stable code.
#[derive(Debug)]
pub enum ErreurReservation {
    ProfessionnelIntrouvable,
    ServiceIntrouvable,
    /// The booking does not exist, or the manage link's secret is wrong (the same answer
    /// for both, so ids cannot be probed).
    ReservationIntrouvable,
    DateInvalide(&'static str),
    Champs(Vec<ErreurChamp>),
    Creneau(RefusCreneau),
    Indisponible,
    JourneeComplete,
    Transition(TransitionRefusee),
    Conflit,
    /// Stripe could not be reached: the booking was undone, the client may retry.
    PaiementIndisponible,
    /// Stripe refused to open the payment: the booking was undone.
    PaiementRefuse,
    Interne(String),
}

impl From<DbError> for ErreurReservation {
    fn from(error: DbError) -> Self {
        ErreurReservation::Interne(error.to_string())
    }
}

impl From<ErreurEcriture> for ErreurReservation {
    fn from(error: ErreurEcriture) -> Self {
        match error {
            ErreurEcriture::Indisponible => ErreurReservation::Indisponible,
            ErreurEcriture::JourneeComplete => ErreurReservation::JourneeComplete,
            ErreurEcriture::Conflit => ErreurReservation::Conflit,
            ErreurEcriture::Db(e) => ErreurReservation::Interne(e.to_string()),
        }
    }
}

impl ErreurReservation {
    pub fn problem(&self) -> Problem {
        match self {
            ErreurReservation::ProfessionnelIntrouvable => {
                Problem::new(404, "professionnel_introuvable", "Ce professionnel n'existe pas ou n'est pas en ligne.")
                    .on_field("professionnel")
            }
            ErreurReservation::ServiceIntrouvable => {
                Problem::new(404, "service_introuvable", "Cette prestation n'est pas proposée par ce professionnel.")
                    .on_field("service")
            }
            ErreurReservation::ReservationIntrouvable => Problem::new(
                404,
                "reservation_introuvable",
                "Réservation introuvable : vérifiez le lien reçu par e-mail.",
            ),
            ErreurReservation::DateInvalide(champ) => Problem::new(
                422,
                "date_invalide",
                "La date doit être au format ISO 8601 avec fuseau (exemple : 2026-12-01T09:30:00+01:00).",
            )
            .on_field(*champ),
            ErreurReservation::Champs(erreurs) => Problem::new(
                422,
                "champs_invalides",
                "Certains champs sont à corriger.",
            )
            .with_errors(erreurs.clone()),
            ErreurReservation::Creneau(refus) => {
                let status = match refus {
                    RefusCreneau::CreneauIndisponible | RefusCreneau::JourneeComplete => 409,
                    _ => 422,
                };
                Problem::new(status, refus.code(), refus.message()).on_field("debut")
            }
            ErreurReservation::Indisponible => Problem::new(
                409,
                "creneau_indisponible",
                "Ce créneau vient d'être réservé par quelqu'un d'autre. Choisissez-en un autre.",
            )
            .on_field("debut"),
            ErreurReservation::JourneeComplete => Problem::new(
                409,
                "journee_complete",
                "Ce professionnel n'accepte plus de réservation ce jour-là.",
            )
            .on_field("debut"),
            ErreurReservation::Transition(refus) => Problem::new(409, refus.code(), refus.message()),
            ErreurReservation::Conflit => Problem::new(
                409,
                "conflit_concurrent",
                "La réservation a été modifiée entre-temps. Rechargez la page et réessayez.",
            ),
            ErreurReservation::PaiementIndisponible => Problem::new(
                503,
                "paiement_indisponible",
                "Le service de paiement est momentanément indisponible. Votre créneau n'a pas été réservé : réessayez dans quelques instants.",
            ),
            ErreurReservation::PaiementRefuse => Problem::new(
                502,
                "paiement_impossible",
                "Le paiement en ligne n'a pas pu être ouvert. Votre créneau n'a pas été réservé : réessayez ou contactez-nous.",
            ),
            ErreurReservation::Interne(detail) => Problem::internal(detail),
        }
    }
}
