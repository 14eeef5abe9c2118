//! The whole HTTP surface in-process: real routing, handlers, SQL (SQLite with the real
//! migrations) and templates, without the Workers runtime.

mod accueil;
mod admin;
mod api_creneaux;
mod api_professionnels;
mod api_reservations;
mod api_reservations_gestion;
mod approbation;
mod autorisations;
mod avis;
mod avis_regles;
mod comptes;
mod confirmation_reservations;
mod donnees;
mod espace_pro;
mod fuseaux;
mod hostile;
mod liens_secrets;
mod limites_reservations;
mod menage;
mod notifications;
mod openapi;
mod pages_annuaire;
mod pages_conditions;
mod pages_gestion;
mod pages_legales;
mod pages_outils;
mod pages_reservation;
mod paiements;
mod prochaine_dispo;
mod proprietes_api;
mod sante;
mod schema;
mod secrets;
mod securite;
