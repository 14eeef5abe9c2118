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
    /// Too many bookings from this source or for this e-mail address lately; retry after
    /// so many seconds.
    TropDeReservations(i64),
    /// Too many requests nobody vouched for yet at this professional lately.
    ProfessionnelTropSollicite(i64),
    /// The e-mail or the source already keeps as many holds at this professional as
    /// allowed (retry once one of them ends).
    TropDeDemandesEnAttente(i64),
    /// The confirmation link names no booking, or its secret is wrong (one answer for
    /// both, so that ids cannot be probed).
    ConfirmationInvalide,
    /// The request was not confirmed in time: its slot was (or is being) released.
    ConfirmationExpiree,
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
            ErreurEcriture::TropDeRetenues => ErreurReservation::TropDeDemandesEnAttente(
                super::DUREE_RETENUE_PAIEMENT_MINUTES * 60,
            ),
            ErreurEcriture::Conflit => ErreurReservation::Conflit,
            ErreurEcriture::Db(e) => ErreurReservation::Interne(e.to_string()),
        }
    }
}

impl ErreurReservation {
    /// For a refusal that time lifts: the seconds to wait (`Retry-After`).
    pub fn reessayer_dans(&self) -> Option<i64> {
        match self {
            ErreurReservation::TropDeReservations(s)
            | ErreurReservation::ProfessionnelTropSollicite(s)
            | ErreurReservation::TropDeDemandesEnAttente(s) => Some((*s).max(1)),
            _ => None,
        }
    }

    /// The problem+json answer, with `Retry-After` when time lifts the refusal.
    pub fn reponse(&self) -> crate::http::Response {
        let reponse = self.problem().into_response();
        match self.reessayer_dans() {
            Some(s) => reponse.with_header("retry-after", s.to_string()),
            None => reponse,
        }
    }

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
            ErreurReservation::TropDeReservations(_) => Problem::new(
                429,
                "trop_de_reservations",
                "Trop de réservations en peu de temps depuis cette connexion ou pour cette adresse e-mail. Réessayez plus tard.",
            ),
            ErreurReservation::ProfessionnelTropSollicite(_) => Problem::new(
                429,
                "professionnel_trop_sollicite",
                "Ce professionnel reçoit trop de demandes de réservation non confirmées en ce moment. Réessayez plus tard, ou connectez-vous avec un compte dont l'adresse e-mail est vérifiée.",
            ),
            ErreurReservation::TropDeDemandesEnAttente(_) => Problem::new(
                429,
                "trop_de_demandes_en_attente",
                "Vous avez déjà plusieurs réservations en attente chez ce professionnel (à confirmer depuis l'e-mail reçu, ou à payer) : finalisez-les avant d'en faire d'autres.",
            ),
            ErreurReservation::ConfirmationInvalide => Problem::new(
                404,
                "lien_confirmation_invalide",
                "Lien de confirmation invalide : vérifiez le lien reçu par e-mail.",
            ),
            ErreurReservation::ConfirmationExpiree => Problem::new(
                410,
                "confirmation_expiree",
                "Cette demande a expiré : elle n'a pas été confirmée à temps et le créneau a été libéré. Vous pouvez faire une nouvelle réservation.",
            ),
            ErreurReservation::Interne(detail) => Problem::internal(detail),
        }
    }
}
