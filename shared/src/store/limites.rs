//! Rate-limit counters (`limites`): one atomic upsert per attempt, in fixed windows.

use serde::Deserialize;

use super::{fetch_optional, Db, DbError, Statement};
use crate::comptes::limites::Regle;

/// Counts one attempt and returns whether it is still within the rule.
pub async fn compter(
    db: &dyn Db,
    regle: &Regle,
    sujet: &str,
    maintenant: i64,
) -> Result<bool, DbError> {
    #[derive(Deserialize)]
    struct Ligne {
        nombre: i64,
    }
    let fenetre = regle.fenetre(maintenant);
    let ligne: Option<Ligne> = fetch_optional(
        db,
        Statement::new(
            "INSERT INTO limites (cle, fenetre, nombre) VALUES (?1, ?2, 1) \
             ON CONFLICT (cle) DO UPDATE SET \
             nombre = CASE WHEN limites.fenetre = excluded.fenetre THEN limites.nombre + 1 ELSE 1 END, \
             fenetre = excluded.fenetre RETURNING nombre",
        )
        .bind(regle.cle(sujet))
        .bind(fenetre),
    )
    .await?;
    Ok(ligne.is_some_and(|l| l.nombre <= regle.maximum))
}

/// Housekeeping: counters of past windows.
pub fn purger(avant: i64) -> Statement {
    Statement::new("DELETE FROM limites WHERE fenetre < ?1").bind(avant)
}
