//! The storage contract: a small SQL executor that D1 implements in the Worker and
//! SQLite implements in native tests, and the repositories written over it.
//!
//! One statement runs atomically; a batch runs as one transaction (D1's `batch()`):
//! there is no interactive transaction, so invariants live in the SQL itself.

pub mod avis;
mod executor;
pub mod planning;
pub mod professionnels;
pub mod reservations;
pub mod services;

pub use executor::{decode, fetch_all, fetch_optional, Db, DbError, Row, Statement, Value};
