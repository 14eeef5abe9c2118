//! D1 behind the storage contract of `booking_shared::store`.

use async_trait::async_trait;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, D1Result};

use booking_shared::store::{Db, DbError, Row, Statement, Value};

pub struct D1Db {
    database: D1Database,
}

impl D1Db {
    pub fn new(database: D1Database) -> D1Db {
        D1Db { database }
    }

    fn prepare(&self, statement: &Statement) -> Result<D1PreparedStatement, DbError> {
        if let Some(i) = statement.entier_inexact() {
            return Err(DbError::from_message(format!(
                "entier {i} hors de la plage exacte de D1 (±2^53 − 1)"
            )));
        }
        let params: Vec<JsValue> = statement.params.iter().map(to_js).collect();
        self.database
            .prepare(statement.sql.as_str())
            .bind(&params)
            .map_err(error)
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

#[async_trait(?Send)]
impl Db for D1Db {
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError> {
        let result = self.prepare(&statement)?.all().await.map_err(error)?;
        rows(&result)
    }

    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError> {
        let prepared = statements
            .iter()
            .map(|s| self.prepare(s))
            .collect::<Result<Vec<_>, _>>()?;
        let results = self.database.batch(prepared).await.map_err(error)?;
        results.iter().map(rows).collect()
    }
}
