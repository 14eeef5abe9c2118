//! The storage contract: a small SQL executor that D1 implements in the Worker and
//! SQLite implements in native tests, and the repositories written over it.
//!
//! One statement runs atomically; a batch runs as one transaction (D1's `batch()`):
//! there is no interactive transaction, so invariants live in the SQL itself.

pub mod admin;
pub mod agenda;
pub mod agendas;
pub mod avis;
pub mod demo;
pub mod donnees;
pub mod espace_pro;
mod executor;
pub mod freins;
pub mod limites;
pub mod liste_attente;
pub mod membres;
pub mod menage;
pub mod outbox;
pub mod paiements;
pub mod planning;
pub mod prochaine_dispo;
pub mod professionnels;
pub mod reservations;
pub mod services;
pub mod utilisateurs;
pub mod verifications;

pub use executor::{
    decode, fetch_all, fetch_ids, fetch_optional, Colonne, Colonnes, Db, DbError, Ligne, Mesure,
    Row, Statement, Value, ENTIER_EXACT_MAX,
};

/// Stored values as an SQL list (`('a', 'b')`) for `IN`, written from the enums so
/// that no SQL text spells a state by hand.
pub(crate) fn liste_sql<T: std::fmt::Display>(valeurs: impl IntoIterator<Item = T>) -> String {
    let valeurs: Vec<String> = valeurs.into_iter().map(|v| format!("'{v}'")).collect();
    format!("({})", valeurs.join(", "))
}

/// Whether the database answers (`/healthz`): the cheapest statement there is.
pub async fn repond(db: &dyn Db) -> Result<(), DbError> {
    db.query(Statement::new("SELECT 1 AS ok")).await.map(|_| ())
}
