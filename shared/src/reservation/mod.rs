//! The booking (reservation) and its lifecycle.

mod statut;

pub use statut::{
    transition, Action, Annulation, ContexteTransition, Issue, StatutInconnu, StatutReservation,
    TransitionRefusee,
};
