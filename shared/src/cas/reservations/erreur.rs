use crate::disponibilites::RefusCreneau;
use crate::reservation::TransitionRefusee;
use crate::store::reservations::ErreurEcriture;
use crate::store::DbError;
use crate::vertical::ErreurChamp;

/// Why a booking operation did nothing. Each maps to a precise status and stable code
/// (`functions::erreurs`).
#[derive(Debug, thiserror::Error)]
pub enum ErreurReservation {
    #[error("professionnel introuvable")]
    ProfessionnelIntrouvable,
    #[error("prestation introuvable")]
    ServiceIntrouvable,
    /// The member chosen is not an active person of the establishment who performs the
    /// service.
    #[error("membre introuvable")]
    MembreIntrouvable,
    /// The booking does not exist, or the manage link's secret is wrong (the same answer
    /// for both, so ids cannot be probed).
    #[error("réservation introuvable")]
    ReservationIntrouvable,
    #[error("date invalide ({0})")]
    DateInvalide(&'static str),
    #[error("champs invalides")]
    Champs(Vec<ErreurChamp>),
    #[error(transparent)]
    Creneau(RefusCreneau),
    #[error("créneau indisponible")]
    Indisponible,
    #[error("journée complète")]
    JourneeComplete,
    /// Every seat of the group session is taken.
    #[error("séance complète")]
    SeanceComplete,
    /// The professional is busy in one of their external calendars at that time.
    #[error("professionnel occupé ailleurs")]
    OccupeAilleurs,
    #[error(transparent)]
    Transition(TransitionRefusee),
    #[error("modifiée entre-temps")]
    Conflit,
    /// Stripe could not be reached: the booking was undone, the client may retry.
    #[error("paiement indisponible")]
    PaiementIndisponible,
    /// Stripe refused to open the payment: the booking was undone.
    #[error("paiement refusé")]
    PaiementRefuse,
    /// Too many bookings from this source or for this e-mail address lately; retry after
    /// so many seconds.
    #[error("trop de réservations (réessayer dans {0} s)")]
    TropDeReservations(i64),
    /// Too many requests nobody vouched for yet at this professional lately.
    #[error("professionnel trop sollicité (réessayer dans {0} s)")]
    ProfessionnelTropSollicite(i64),
    /// The e-mail or the source already keeps as many holds at this professional as
    /// allowed (retry once one of them ends).
    #[error("trop de demandes en attente (réessayer dans {0} s)")]
    TropDeDemandesEnAttente(i64),
    /// The confirmation link names no booking, or its secret is wrong (one answer for
    /// both, so that ids cannot be probed).
    #[error("lien de confirmation invalide")]
    ConfirmationInvalide,
    /// The request was not confirmed in time: its slot was (or is being) released.
    #[error("confirmation expirée")]
    ConfirmationExpiree,
    /// The vertical runs no waitlist.
    #[error("liste d'attente fermée")]
    ListeAttenteFermee,
    /// The waitlist's window (`du`, `au`) is not a span of days within the horizon.
    #[error("période invalide ({champ})")]
    FenetreInvalide {
        champ: &'static str,
        message: &'static str,
    },
    /// The window asked for has free slots: book one instead of waiting.
    #[error("des créneaux sont libres")]
    CreneauxLibres,
    /// The address already keeps as many entries in line at this professional as allowed.
    #[error("trop d'inscriptions en attente")]
    TropDInscriptions,
    /// The waitlist link names no entry of this site (one answer for a wrong secret too).
    #[error("inscription introuvable")]
    InscriptionIntrouvable,
    /// The entry has left the line (served, left, expired).
    #[error("inscription close")]
    InscriptionClose,
    /// The offer was not taken in time: the slot went back to the line.
    #[error("offre expirée")]
    OffreExpiree,
    /// The professional is no longer listed, or the service no longer offered: the offer
    /// cannot be taken.
    #[error("offre retirée")]
    OffreRetiree,
    #[error("erreur interne : {0}")]
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
            ErreurEcriture::Complete => ErreurReservation::SeanceComplete,
            ErreurEcriture::OccupeAilleurs => ErreurReservation::OccupeAilleurs,
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
}
