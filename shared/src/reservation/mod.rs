//! The booking (reservation): the client's request, its price, and its lifecycle.

pub mod avis;
mod demande;
pub mod limites;
mod statut;
mod tarif;

pub use demande::{valider_complement, valider_demande, Demande, DemandeBrute, MESSAGE_MAX};
pub use statut::{
    transition, Action, Annulation, ContexteTransition, Issue, StatutInconnu, StatutReservation,
    TransitionRefusee, DELAI_DECLARATION_ABSENCE_HEURES,
};
pub use tarif::montant_a_payer;
