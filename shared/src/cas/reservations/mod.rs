//! Booking use cases — book, confirm a guest's request from the e-mail's link, look up
//! by manage link, cancel (by the client or the professional), move — shared by the JSON
//! API and the pages, so that both apply exactly the same rules (the booking limits
//! included).

mod dossier;
mod erreur;
mod operations;
mod regles;

pub use dossier::{charger_avec_jeton, charger_si, dossier_de, Dossier};
pub use erreur::ErreurReservation;
pub use operations::{
    annuler, confirmer, demande_a_confirmer, deplacer, lien_confirmation, lien_gestion,
    peut_deplacer, reserver, Annulee, Annuleur, Confirmee, Creee, Demandee,
    DUREE_RETENUE_CONFIRMATION_MINUTES, DUREE_RETENUE_PAIEMENT_MINUTES,
};
pub(crate) use operations::{contexte, limite_journee};
pub(crate) use regles::agenda_des_lignes;
pub use regles::{creneaux, lire_avec_planning, lire_public, Agenda, Choix, Disponibles, Offre};
