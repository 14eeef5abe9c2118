//! A database that counts its round trips, as the Worker's D1 executor does: one per
//! `query`, one per `batch`. It also plays D1's Sessions API — a bookmark after each
//! trip, and the bookmark a request continued from — so that the tests can check which
//! pages take one trip and that a client who wrote gets their bookmark back.

use std::cell::{Cell, RefCell};

use async_trait::async_trait;

use booking_shared::store::{Db, DbError, Mesure, Row, Statement};

use crate::SqliteDb;

pub struct Compteur<'a> {
    db: &'a SqliteDb,
    mesure: Cell<Mesure>,
    /// The bookmark the request continued from, if any.
    pub continue_de: RefCell<Option<String>>,
}

impl<'a> Compteur<'a> {
    pub fn new(db: &'a SqliteDb) -> Compteur<'a> {
        Compteur {
            db,
            mesure: Cell::new(Mesure::default()),
            continue_de: RefCell::new(None),
        }
    }

    fn trajet(&self) {
        let mut mesure = self.mesure.get();
        mesure.ajouter(0, 0);
        self.mesure.set(mesure);
    }
}

/// The bookmark the counting database gives after its n-th round trip.
pub fn signet_apres(trajets: u64) -> String {
    format!("0000000a-{trajets:08x}-00004f71")
}

#[async_trait(?Send)]
impl Db for Compteur<'_> {
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError> {
        self.trajet();
        self.db.query(statement).await
    }

    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError> {
        self.trajet();
        self.db.batch(statements).await
    }

    fn mesure(&self) -> Mesure {
        self.mesure.get()
    }

    fn continuer(&self, signet: &str) {
        self.continue_de.replace(Some(signet.to_owned()));
    }

    fn signet(&self) -> Option<String> {
        let trajets = self.mesure.get().trajets;
        (trajets > 0).then(|| signet_apres(trajets))
    }
}
