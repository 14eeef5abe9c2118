//! The Worker: the HTTP surface of Booking Multisite and its Cloudflare glue.
//!
//! Endpoint functions are plain async functions over [`app::Ctx`] and the neutral
//! [`http`] types, so they run the same on workerd and in the native test kit; only
//! `cloudflare/` (compiled for wasm32) knows about the `worker` crate.

pub mod admin;
pub mod api;
pub mod app;
pub mod avis;
pub mod comptes;
pub mod cookies;
pub mod cron;
pub mod csrf;
pub mod donnees;
pub mod erreurs;
pub mod espace_pro;
pub mod health;
pub mod http;
pub mod liens;
pub mod log;
pub mod pages;
pub mod paiements;
pub mod problem;
pub mod random;
pub mod router;
pub mod routes;
pub mod securite;
pub mod signet;
pub mod verticals;

#[cfg(target_arch = "wasm32")]
mod cloudflare;
