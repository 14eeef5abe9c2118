//! SQLite behind the storage contract, so the SQL that D1 runs is tested natively.

use std::cell::RefCell;

use async_trait::async_trait;
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{params_from_iter, Connection};

use booking_shared::store::{Db, DbError, Row, Statement, Value};

use crate::root;

pub struct SqliteDb {
    connection: RefCell<Connection>,
}

impl SqliteDb {
    /// An in-memory database with every file of `migrations/` applied in order, as D1 does:
    /// each file in one transaction (foreign keys deferred by a file are checked at its end).
    pub fn migrated() -> SqliteDb {
        SqliteDb::migrated_before("~")
    }

    /// The migrations whose file name sorts before `avant` (e.g. `"0008"`): to test what
    /// a later one does to the rows it finds, then [`SqliteDb::apply_migration`] it.
    pub fn migrated_before(avant: &str) -> SqliteDb {
        let connection = Connection::open_in_memory().expect("in-memory SQLite opens");
        // D1 enforces foreign keys; so must the tests.
        connection
            .execute_batch("PRAGMA foreign_keys = ON;")
            .expect("foreign keys on");
        limites_d1(&connection);
        let db = SqliteDb {
            connection: RefCell::new(connection),
        };
        for path in migration_files() {
            let nom = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if nom < avant {
                db.apply_migration(&path);
            }
        }
        db
    }

    /// The SQLite file of a local D1 database (`wrangler dev`'s state), for a bulk load
    /// while no server uses it: foreign keys on as D1 has them, writes not synced one by
    /// one (the load is redone if the machine stops).
    pub fn ouvrir(chemin: &std::path::Path) -> Result<SqliteDb, String> {
        let connection = Connection::open(chemin).map_err(|e| e.to_string())?;
        connection
            .execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = OFF;")
            .map_err(|e| e.to_string())?;
        limites_d1(&connection);
        Ok(SqliteDb {
            connection: RefCell::new(connection),
        })
    }

    /// Applies one migration file as D1 does: in one transaction.
    pub fn apply_migration(&self, path: &std::path::Path) {
        let sql = std::fs::read_to_string(path).expect("migration readable");
        self.execute_script(&format!("BEGIN;\n{sql}\nCOMMIT;"));
    }

    /// Runs a script of statements (migrations, demo data, test fixtures). SQLite checks its
    /// statement-length limit against the whole rest of a script, whereas D1 receives a
    /// script's statements one by one: that limit is lifted while a script runs.
    pub fn execute_script(&self, sql: &str) {
        let connection = self.connection.borrow();
        let longueur = rusqlite::limits::Limit::SQLITE_LIMIT_SQL_LENGTH;
        let avant = connection
            .set_limit(longueur, i32::MAX)
            .unwrap_or_else(|e| panic!("{longueur:?}: {e}"));
        let resultat = connection.execute_batch(sql);
        let _ = connection.set_limit(longueur, avant);
        resultat.unwrap_or_else(|e| panic!("SQL script failed: {e}"));
    }

    /// What SQLite's planner does with a statement: the details of `EXPLAIN QUERY PLAN`.
    pub fn plan(&self, statement: &Statement) -> Vec<String> {
        let mut plan = Statement::new(format!("EXPLAIN QUERY PLAN {}", statement.sql));
        plan.params = statement.params.clone();
        run(&self.connection.borrow(), &plan)
            .unwrap_or_else(|e| panic!("{}: {e}", statement.sql))
            .iter()
            .filter_map(|l| l.get("detail").and_then(|d| d.as_str()).map(str::to_owned))
            .collect()
    }

    /// A single number from SQL, for assertions.
    pub fn scalar(&self, sql: &str) -> i64 {
        self.connection
            .borrow()
            .query_row(sql, [], |row| row.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// D1's documented limits (developers.cloudflare.com/d1/platform/limits/), so that a
/// query D1 would refuse fails here too instead of passing on SQLite's generous defaults:
/// a LIKE or GLOB pattern of 50 bytes at most, 100 bound parameters per statement,
/// statements of 100 KB, 2 MB per string or row, 32 arguments per SQL function.
pub const LIMITES_D1: &[(rusqlite::limits::Limit, i32)] = &[
    (
        rusqlite::limits::Limit::SQLITE_LIMIT_LIKE_PATTERN_LENGTH,
        50,
    ),
    (rusqlite::limits::Limit::SQLITE_LIMIT_VARIABLE_NUMBER, 100),
    (rusqlite::limits::Limit::SQLITE_LIMIT_SQL_LENGTH, 100_000),
    (rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH, 2_000_000),
    (rusqlite::limits::Limit::SQLITE_LIMIT_FUNCTION_ARG, 32),
];

fn limites_d1(connection: &Connection) {
    for (limite, valeur) in LIMITES_D1 {
        connection
            .set_limit(*limite, *valeur)
            .unwrap_or_else(|e| panic!("{limite:?}: {e}"));
    }
}

pub fn migration_files() -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(root().join("migrations"))
        .expect("migrations/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    files
}

fn to_sql(value: &Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Integer(i) => SqlValue::Integer(*i),
        Value::Real(r) => SqlValue::Real(*r),
        Value::Text(t) => SqlValue::Text(t.clone()),
    }
}

fn to_json(value: ValueRef<'_>) -> serde_json::Value {
    match value {
        ValueRef::Null => serde_json::Value::Null,
        ValueRef::Integer(i) => i.into(),
        ValueRef::Real(r) => {
            serde_json::Number::from_f64(r).map_or(serde_json::Value::Null, Into::into)
        }
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
        ValueRef::Blob(b) => hex::encode(b).into(),
    }
}

fn error(e: rusqlite::Error) -> DbError {
    DbError::from_message(e.to_string())
}

fn run(connection: &Connection, statement: &Statement) -> Result<Vec<Row>, DbError> {
    // As `functions::cloudflare::d1` does: D1 would round such a number to another one.
    if let Some(i) = statement.entier_inexact() {
        return Err(DbError::from_message(format!(
            "entier {i} hors de la plage exacte de D1 (±2^53 − 1)"
        )));
    }
    // Prepared once per connection and text: the bulk loads run the same few statements
    // millions of times.
    let mut prepared = connection.prepare_cached(&statement.sql).map_err(error)?;
    let names: Vec<String> = prepared
        .column_names()
        .into_iter()
        .map(String::from)
        .collect();
    let mut rows = prepared
        .query(params_from_iter(statement.params.iter().map(to_sql)))
        .map_err(error)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(error)? {
        let mut object = Row::new();
        for (i, name) in names.iter().enumerate() {
            object.insert(name.clone(), to_json(row.get_ref(i).map_err(error)?));
        }
        out.push(object);
    }
    Ok(out)
}

#[async_trait(?Send)]
impl Db for SqliteDb {
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError> {
        run(&self.connection.borrow(), &statement)
    }

    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError> {
        let mut connection = self.connection.borrow_mut();
        let transaction = connection.transaction().map_err(error)?;
        let results = statements
            .iter()
            .map(|s| run(&transaction, s))
            .collect::<Result<Vec<_>, _>>()?;
        transaction.commit().map_err(error)?;
        Ok(results)
    }
}
