//! The booking domain, free of any platform: what can be decided without Cloudflare.
//!
//! Time, randomness and I/O come in through the traits of [`ports`] and [`store`].

pub mod agendas;
pub mod cas;
pub mod casse;
pub mod comptes;
pub mod dates;
pub mod disponibilites;
pub mod json;
pub mod notifications;
pub mod ports;
pub mod recherche;
pub mod render;
pub mod reservation;
pub mod securite;
pub mod store;
pub mod stripe;
pub mod tri;
pub mod types;
pub mod vertical;
