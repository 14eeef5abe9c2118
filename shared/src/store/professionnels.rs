//! Reads and writes of `professionnels`.

use serde::Deserialize;

use super::{fetch_all, fetch_optional, Db, DbError, Statement};

#[derive(Debug, Deserialize)]
struct Compte {
    n: i64,
}

/// How many professionals a vertical lists publicly.
pub async fn compter_publics(db: &dyn Db, vertical: &str) -> Result<i64, DbError> {
    let row: Option<Compte> = fetch_optional(
        db,
        Statement::new(
            "SELECT count(*) AS n FROM professionnels WHERE vertical = ?1 AND public = 1",
        )
        .bind(vertical),
    )
    .await?;
    Ok(row.map_or(0, |c| c.n))
}

#[derive(Debug, Deserialize)]
struct Ville {
    ville: String,
}

/// The cities where a vertical has public professionals, most represented first.
pub async fn villes_publiques(
    db: &dyn Db,
    vertical: &str,
    limite: u32,
) -> Result<Vec<String>, DbError> {
    let rows: Vec<Ville> = fetch_all(
        db,
        Statement::new(
            "SELECT ville FROM professionnels WHERE vertical = ?1 AND public = 1 \
             GROUP BY ville ORDER BY count(*) DESC, ville LIMIT ?2",
        )
        .bind(vertical)
        .bind(limite),
    )
    .await?;
    Ok(rows.into_iter().map(|v| v.ville).collect())
}
