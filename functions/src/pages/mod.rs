//! The HTML pages of each vertical's site (and the neutral portal).

pub mod accueil;
pub(crate) mod cache;
pub mod conditions;
pub mod confidentialite;
pub mod confirmer;
pub mod erreurs;
pub mod gestion;
pub mod legales;
pub mod liste_attente;
pub mod profil;
pub mod recherche;
pub mod reserver;
mod semaine;
mod site;
pub mod theme;

pub use site::site_for;
