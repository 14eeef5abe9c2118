use async_trait::async_trait;
use serde::de::DeserializeOwned;

/// A value bound to a statement. D1 passes numbers through JavaScript, so integers stay
/// below 2^53; there are no blobs.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Integer(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Integer(v.into())
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Integer(v.into())
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Integer(v.into())
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// The largest integer D1 passes exactly: numbers cross JavaScript as doubles.
pub const ENTIER_EXACT_MAX: i64 = (1 << 53) - 1;

/// One SQL statement with its positional parameters (`?1`, `?2`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<Value>,
}

impl Statement {
    pub fn new(sql: impl Into<String>) -> Self {
        Statement {
            sql: sql.into(),
            params: Vec::new(),
        }
    }

    pub fn bind(mut self, value: impl Into<Value>) -> Self {
        self.params.push(value.into());
        self
    }

    /// An integer parameter D1 could not pass exactly (beyond ±2^53 − 1), if any: the
    /// executors refuse such a statement rather than let D1 round it to another number.
    pub fn entier_inexact(&self) -> Option<i64> {
        self.params.iter().find_map(|p| match p {
            Value::Integer(i) if i.unsigned_abs() > ENTIER_EXACT_MAX.unsigned_abs() => Some(*i),
            _ => None,
        })
    }
}

/// A result row as a JSON object keyed by column name: the shape D1 returns, and one
/// that serde turns into the row structs of the repositories.
pub type Row = serde_json::Map<String, serde_json::Value>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A constraint refused the change (UNIQUE, CHECK, FOREIGN KEY, NOT NULL). The text
    /// is SQLite's, e.g. "UNIQUE constraint failed: occupations.professionnel_id, …".
    #[error("contrainte refusée : {0}")]
    Constraint(String),
    #[error("erreur de base de données : {0}")]
    Other(String),
    #[error("ligne illisible : {0}")]
    Decode(String),
}

impl DbError {
    /// Sorts a driver's message: SQLite words constraint failures the same way in D1
    /// and in the native driver.
    pub fn from_message(message: impl Into<String>) -> Self {
        let message = message.into();
        if message.contains("constraint failed") {
            DbError::Constraint(message)
        } else {
            DbError::Other(message)
        }
    }

    /// Whether a constraint on the given table (and optionally column) refused the change.
    pub fn is_constraint_on(&self, table_column: &str) -> bool {
        matches!(self, DbError::Constraint(m) if m.contains(table_column))
    }
}

#[async_trait(?Send)]
pub trait Db {
    /// Runs a statement and returns its rows (none for a write without RETURNING).
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError>;

    /// Runs the statements as one transaction: all of them, or none. Returns each one's rows.
    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError>;
}

/// Reads rows into typed structs.
pub fn decode<T: DeserializeOwned>(rows: Vec<Row>) -> Result<Vec<T>, DbError> {
    rows.into_iter()
        .map(|row| {
            serde_json::from_value(serde_json::Value::Object(row))
                .map_err(|e| DbError::Decode(e.to_string()))
        })
        .collect()
}

/// Convenience over [`Db`] for typed reads.
pub async fn fetch_all<T: DeserializeOwned>(
    db: &dyn Db,
    statement: Statement,
) -> Result<Vec<T>, DbError> {
    decode(db.query(statement).await?)
}

pub async fn fetch_optional<T: DeserializeOwned>(
    db: &dyn Db,
    statement: Statement,
) -> Result<Option<T>, DbError> {
    Ok(fetch_all(db, statement).await?.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_integer_d1_cannot_pass_exactly_is_named_before_the_statement_runs() {
        let exact = Statement::new("SELECT ?1, ?2")
            .bind(ENTIER_EXACT_MAX)
            .bind(-ENTIER_EXACT_MAX);
        assert_eq!(exact.entier_inexact(), None);
        let arrondi = Statement::new("SELECT ?1, ?2")
            .bind("9007199254740993")
            .bind(ENTIER_EXACT_MAX + 2);
        assert_eq!(arrondi.entier_inexact(), Some(ENTIER_EXACT_MAX + 2));
        assert_eq!(
            Statement::new("SELECT ?1").bind(i64::MIN).entier_inexact(),
            Some(i64::MIN)
        );
    }
}
