//! D1 behind the storage contract of `booking_shared::store`, through D1's Sessions API:
//! a request's statements run in one session, started on any replica
//! (`first-unconstrained`) or continued from the client's bookmark ([`Db::continuer`]),
//! and each round trip's rows read and written are counted ([`Db::mesure`]).
//!
//! It speaks to D1's JavaScript binding directly (`worker_sys`): a round trip's results
//! come back as one JSON text read by serde_json, rows and `meta` alike, which costs the
//! Worker less code than a typed decoder per shape.

use std::cell::{Cell, RefCell};

use async_trait::async_trait;
use worker::js_sys::{self, Array, Promise, JSON};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::worker_sys::{D1Database, D1DatabaseSession, D1PreparedStatement};

use booking_shared::store::{Db, DbError, Mesure, Row, Statement, Value};

/// Public reads may be served by the nearest replica, however far behind the primary.
const SANS_CONTRAINTE: &str = "first-unconstrained";

pub struct D1Db {
    database: D1Database,
    /// The request's session; `None` where the runtime offers none (the statements
    /// then go to the database as before sessions).
    session: RefCell<Option<D1DatabaseSession>>,
    mesure: Cell<Mesure>,
}

impl D1Db {
    pub fn new(database: worker::D1Database) -> D1Db {
        let database: D1Database = JsValue::from(database).unchecked_into();
        let session = database.with_session(Some(SANS_CONTRAINTE)).ok();
        D1Db {
            database,
            session: RefCell::new(session),
            mesure: Cell::new(Mesure::default()),
        }
    }

    fn session(&self) -> Option<D1DatabaseSession> {
        self.session.borrow().clone()
    }

    fn prepare(&self, statement: &Statement) -> Result<D1PreparedStatement, DbError> {
        if let Some(i) = statement.entier_inexact() {
            return Err(DbError::from_message(format!(
                "entier {i} hors de la plage exacte de D1 (±2^53 − 1)"
            )));
        }
        let params: Array = statement.params.iter().map(to_js).collect();
        let prepared = match self.session() {
            Some(session) => session.session_prepare(&statement.sql),
            None => self.database.prepare(&statement.sql),
        }
        .map_err(erreur)?;
        prepared.bind(params).map_err(erreur)
    }

    /// One round trip's results (an array of D1 results): each statement's rows, and
    /// the rows read and written counted.
    fn lire(&self, resultats: &JsValue) -> Result<Vec<Vec<Row>>, DbError> {
        let texte: String = JSON::stringify(resultats).map_err(erreur)?.into();
        let resultats: Vec<serde_json::Value> =
            serde_json::from_str(&texte).map_err(|e| DbError::Decode(e.to_string()))?;
        let (mut lues, mut ecrites) = (0, 0);
        let mut lignes = Vec::with_capacity(resultats.len());
        for mut resultat in resultats {
            let meta = &resultat["meta"];
            lues += meta["rows_read"].as_u64().unwrap_or(0);
            ecrites += meta["rows_written"].as_u64().unwrap_or(0);
            if let Some(message) = resultat["error"].as_str() {
                return Err(DbError::from_message(message));
            }
            let rows = match resultat["results"].take() {
                serde_json::Value::Array(rows) => rows
                    .into_iter()
                    .map(|row| match row {
                        serde_json::Value::Object(row) => Ok(row),
                        autre => Err(DbError::Decode(format!("ligne illisible : {autre}"))),
                    })
                    .collect::<Result<Vec<Row>, DbError>>()?,
                _ => Vec::new(),
            };
            lignes.push(rows);
        }
        let mut mesure = self.mesure.get();
        mesure.ajouter(lues, ecrites);
        self.mesure.set(mesure);
        Ok(lignes)
    }
}

fn to_js(value: &Value) -> JsValue {
    match value {
        Value::Null => JsValue::NULL,
        // D1 passes numbers through JavaScript: `prepare` has refused larger integers.
        Value::Integer(i) => JsValue::from_f64(*i as f64),
        Value::Real(r) => JsValue::from_f64(*r),
        Value::Text(t) => JsValue::from_str(t),
    }
}

/// D1's error, with its cause (SQLite's words, e.g. "CHECK constraint failed: …").
fn erreur(e: JsValue) -> DbError {
    let message = match e.dyn_ref::<js_sys::Error>() {
        Some(erreur) => {
            let mut message = String::from(erreur.message());
            if let Some(cause) = erreur.cause().dyn_ref::<js_sys::Error>() {
                message.push_str(" : ");
                message.push_str(&String::from(cause.message()));
            }
            message
        }
        None => e
            .as_string()
            .unwrap_or_else(|| "erreur D1 sans message".to_owned()),
    };
    DbError::from_message(message)
}

async fn attendre(promesse: Result<Promise, JsValue>) -> Result<JsValue, DbError> {
    JsFuture::from(promesse.map_err(erreur)?)
        .await
        .map_err(erreur)
}

#[async_trait(?Send)]
impl Db for D1Db {
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError> {
        let resultat = attendre(self.prepare(&statement)?.all()).await?;
        let mut lignes = self.lire(&Array::of1(&resultat))?;
        Ok(lignes.pop().unwrap_or_default())
    }

    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError> {
        let prepared = statements
            .iter()
            .map(|s| self.prepare(s))
            .collect::<Result<Array, _>>()?;
        let promesse = match self.session() {
            Some(session) => session.session_batch(prepared),
            None => self.database.batch(prepared),
        };
        let resultats = attendre(promesse).await?;
        self.lire(&resultats)
    }

    fn mesure(&self) -> Mesure {
        self.mesure.get()
    }

    fn continuer(&self, signet: &str) {
        if let Ok(session) = self.database.with_session(Some(signet)) {
            self.session.replace(Some(session));
        }
    }

    fn signet(&self) -> Option<String> {
        self.session()?.get_bookmark().ok().flatten()
    }
}
