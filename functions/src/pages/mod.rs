//! The HTML pages of each vertical's site (and the neutral portal).

pub mod accueil;
pub mod erreurs;
mod site;
pub mod theme;

pub use site::site_for;
