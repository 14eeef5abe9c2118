//! Statements as a SQL script for `wrangler d1 execute --file` / `--command`: each bound
//! value written in as a SQL literal. A [`Script`] is a [`Db`] that keeps what it is asked
//! to run, so that code written for the Worker's database can write a script instead.

use std::cell::RefCell;

use async_trait::async_trait;

use booking_shared::store::{Db, DbError, Row, Statement, Value};

/// A value as a SQL literal: text quoted with its quotes doubled, integers and reals in
/// full. A NUL character (which would cut the script short) or a real that SQL cannot
/// write (NaN, infinities) is refused.
pub fn litteral(valeur: &Value) -> Result<String, String> {
    match valeur {
        Value::Null => Ok("NULL".to_owned()),
        Value::Integer(n) => Ok(n.to_string()),
        Value::Real(r) if r.is_finite() => {
            // `{:?}` writes the shortest text that reads back as the same double, and
            // keeps a decimal point (`4.0`) so SQLite reads a REAL.
            Ok(format!("{r:?}"))
        }
        Value::Real(r) => Err(format!("réel impossible à écrire en SQL : {r}")),
        Value::Text(t) if t.contains('\0') => Err("texte avec un caractère NUL".to_owned()),
        Value::Text(t) => Ok(format!("'{}'", t.replace('\'', "''"))),
    }
}

/// The statement with its parameters (`?1`, `?2`, …, or a bare `?` for the next one)
/// replaced by their literals, in one pass: a `?` inside a quoted string or identifier of
/// the SQL, or inside a value already written in, is left alone.
pub fn en_ligne(statement: &Statement) -> Result<String, String> {
    let sql = &statement.sql;
    let mut sortie = String::with_capacity(sql.len());
    let mut suivant = 0_usize;
    let mut chars = sql.char_indices().peekable();
    let mut guillemet: Option<char> = None;
    while let Some((_, c)) = chars.next() {
        if let Some(q) = guillemet {
            sortie.push(c);
            if c == q {
                guillemet = None;
            }
            continue;
        }
        match c {
            '\'' | '"' | '`' => {
                guillemet = Some(c);
                sortie.push(c);
            }
            '?' => {
                let mut chiffres = String::new();
                while let Some((_, d)) = chars.peek().copied().filter(|(_, d)| d.is_ascii_digit()) {
                    chiffres.push(d);
                    chars.next();
                }
                let index = if chiffres.is_empty() {
                    suivant + 1
                } else {
                    chiffres
                        .parse::<usize>()
                        .map_err(|e| format!("paramètre ?{chiffres} : {e}"))?
                };
                suivant = suivant.max(index);
                let valeur = index
                    .checked_sub(1)
                    .and_then(|i| statement.params.get(i))
                    .ok_or_else(|| format!("paramètre ?{index} absent : {sql}"))?;
                sortie.push_str(&litteral(valeur)?);
            }
            _ => sortie.push(c),
        }
    }
    if guillemet.is_some() {
        return Err(format!("guillemet non fermé : {sql}"));
    }
    Ok(sortie)
}

/// A database that runs nothing: it keeps every statement it is given, in order, and
/// answers each with no row. A batch becomes its statements in a row (a script given to
/// `wrangler d1 execute --file` runs as a whole).
#[derive(Default)]
pub struct Script {
    statements: RefCell<Vec<Statement>>,
}

impl Script {
    pub fn statements(&self) -> Vec<Statement> {
        self.statements.borrow().clone()
    }

    /// The script: one statement per line, each ending with `;`.
    pub fn texte(&self) -> Result<String, String> {
        let mut texte = String::new();
        for statement in self.statements.borrow().iter() {
            texte.push_str(&en_ligne(statement)?);
            texte.push_str(";\n");
        }
        Ok(texte)
    }
}

#[async_trait(?Send)]
impl Db for Script {
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError> {
        self.statements.borrow_mut().push(statement);
        Ok(Vec::new())
    }

    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError> {
        let n = statements.len();
        self.statements.borrow_mut().extend(statements);
        Ok(vec![Vec::new(); n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_inlined_as_literals_highest_index_first() {
        let s = Statement::new("SELECT ?1, ?10, ?2")
            .bind("l'a")
            .bind(2_i64)
            .bind(Option::<String>::None)
            .bind(4_i64)
            .bind(5_i64)
            .bind(6_i64)
            .bind(7_i64)
            .bind(8_i64)
            .bind(9_i64)
            .bind(10_i64);
        assert_eq!(en_ligne(&s).as_deref(), Ok("SELECT 'l''a', 10, 2"));
    }

    #[test]
    fn a_value_that_looks_like_a_parameter_is_written_as_it_is() {
        let s = Statement::new("SELECT ?1, '?2', ?2")
            .bind("?2 ' ?1")
            .bind(-7_i64);
        assert_eq!(en_ligne(&s).as_deref(), Ok("SELECT '?2 '' ?1', '?2', -7"));
    }

    #[test]
    fn bare_parameters_take_the_next_index_and_reals_read_back_exactly() {
        let s = Statement::new("SELECT ?, ?, ?")
            .bind(0.1_f64)
            .bind(4.0_f64)
            .bind(Value::Null);
        assert_eq!(en_ligne(&s).as_deref(), Ok("SELECT 0.1, 4.0, NULL"));
    }

    #[test]
    fn what_sql_cannot_carry_is_refused_rather_than_mangled() {
        assert!(en_ligne(&Statement::new("SELECT ?1").bind("a\0b")).is_err());
        assert!(en_ligne(&Statement::new("SELECT ?1").bind(f64::NAN)).is_err());
        assert!(en_ligne(&Statement::new("SELECT ?2").bind(1_i64)).is_err());
        assert!(en_ligne(&Statement::new("SELECT 'a")).is_err());
    }
}
