//! Booking operations — book, look up by manage link, cancel, move — shared by the JSON
//! API and the pages, so that both apply exactly the same rules.

mod dossier;
mod erreur;
mod operations;
mod regles;

pub use dossier::{charger_avec_jeton, charger_si, Dossier};
pub use erreur::ErreurReservation;
pub use operations::{
    annuler_par_client, deplacer, lien_gestion, peut_deplacer, reserver, Annulee, Creee, Demandee,
    DUREE_RETENUE_PAIEMENT_MINUTES,
};
pub use regles::{creneaux, lire_avec_planning, regles_de, Offre};
