//! The whole HTTP surface in-process: real routing, handlers, SQL (SQLite with the real
//! migrations) and templates, without the Workers runtime.

mod accueil;
mod api_creneaux;
mod api_professionnels;
mod api_reservations;
mod api_reservations_gestion;
mod sante;
mod hostile;
mod openapi;
mod schema;
mod securite;
