//! D1 behind the storage contract of `booking_shared::store`, through D1's Sessions API:
//! a request's statements run in one session, started on any replica
//! (`first-unconstrained`) or continued from the client's bookmark ([`Db::continuer`]),
//! and each round trip's rows read and written are counted ([`Db::mesure`]).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use async_trait::async_trait;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1DatabaseSession, D1PreparedStatement, D1Result};

use booking_shared::store::{Db, DbError, Mesure, Row, Statement, Value};

/// Public reads may be served by the nearest replica, however far behind the primary.
const SANS_CONTRAINTE: &str = "first-unconstrained";

pub struct D1Db {
    database: D1Database,
    /// The request's session; `None` where the runtime offers none (the statements
    /// then go to the database as before sessions).
    session: RefCell<Option<Rc<D1DatabaseSession>>>,
    mesure: Cell<Mesure>,
}

impl D1Db {
    pub fn new(database: D1Database) -> D1Db {
        let session = database
            .with_session(Some(SANS_CONTRAINTE))
            .ok()
            .map(Rc::new);
        D1Db {
            database,
            session: RefCell::new(session),
            mesure: Cell::new(Mesure::default()),
        }
    }

    fn prepare(&self, statement: &Statement) -> Result<D1PreparedStatement, DbError> {
        if let Some(i) = statement.entier_inexact() {
            return Err(DbError::from_message(format!(
                "entier {i} hors de la plage exacte de D1 (±2^53 − 1)"
            )));
        }
        let params: Vec<JsValue> = statement.params.iter().map(to_js).collect();
        let prepared = match self.session() {
            Some(session) => session.prepare(statement.sql.as_str()),
            None => self.database.prepare(statement.sql.as_str()),
        };
        prepared.bind(&params).map_err(error)
    }

    fn session(&self) -> Option<Rc<D1DatabaseSession>> {
        self.session.borrow().clone()
    }

    /// Counts one round trip and what its results say they read and wrote.
    fn compter(&self, results: &[D1Result]) {
        let (mut lues, mut ecrites) = (0, 0);
        for meta in results.iter().filter_map(|r| r.meta().ok().flatten()) {
            lues += meta.rows_read.unwrap_or(0) as u64;
            ecrites += meta.rows_written.unwrap_or(0) as u64;
        }
        let mut mesure = self.mesure.get();
        mesure.ajouter(lues, ecrites);
        self.mesure.set(mesure);
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

fn error(e: worker::Error) -> DbError {
    DbError::from_message(e.to_string())
}

fn rows(result: &D1Result) -> Result<Vec<Row>, DbError> {
    if let Some(message) = result.error() {
        return Err(DbError::from_message(message));
    }
    result
        .results::<Row>()
        .map_err(|e| DbError::Decode(e.to_string()))
}

/// A bookmark as D1 writes them (hexadecimal groups joined by dashes): anything else a
/// client sends is ignored rather than handed to D1.
fn signet_valide(signet: &str) -> bool {
    !signet.is_empty()
        && signet.len() <= 128
        && signet.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

#[async_trait(?Send)]
impl Db for D1Db {
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError> {
        let result = self.prepare(&statement)?.all().await.map_err(error)?;
        self.compter(std::slice::from_ref(&result));
        rows(&result)
    }

    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError> {
        let prepared = statements
            .iter()
            .map(|s| self.prepare(s))
            .collect::<Result<Vec<_>, _>>()?;
        let results = match self.session() {
            Some(session) => session.batch(prepared).await,
            None => self.database.batch(prepared).await,
        }
        .map_err(error)?;
        self.compter(&results);
        results.iter().map(rows).collect()
    }

    fn mesure(&self) -> Mesure {
        self.mesure.get()
    }

    fn continuer(&self, signet: &str) {
        if !signet_valide(signet) {
            return;
        }
        if let Ok(session) = self.database.with_session(Some(signet)) {
            self.session.replace(Some(Rc::new(session)));
        }
    }

    fn signet(&self) -> Option<String> {
        self.session().and_then(|s| s.get_bookmark().ok().flatten())
    }
}
