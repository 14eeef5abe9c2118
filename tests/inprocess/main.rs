//! The whole HTTP surface in-process: real routing, handlers, SQL (SQLite with the real
//! migrations) and templates, without the Workers runtime.

mod accueil;
mod sante;
mod schema;
