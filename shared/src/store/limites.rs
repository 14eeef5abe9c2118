//! Rate-limit counters (`limites`): one atomic upsert per attempt, in fixed windows.

use super::{decode, Db, DbError, Row, Statement};
use crate::comptes::limites::Regle;

crate::ligne! {
    struct Ligne {
        nombre: i64,
    }
}

fn compte(regle: &Regle, sujet: &str, maintenant: i64) -> Statement {
    Statement::new(
        "INSERT INTO limites (cle, fenetre, nombre) VALUES (?1, ?2, 1) \
         ON CONFLICT (cle) DO UPDATE SET \
         nombre = CASE WHEN limites.fenetre = excluded.fenetre THEN limites.nombre + 1 ELSE 1 END, \
         fenetre = excluded.fenetre RETURNING nombre",
    )
    .bind(regle.cle(sujet))
    .bind(regle.fenetre(maintenant))
}

fn dans_la_regle(regle: &Regle, lignes: Vec<Row>) -> Result<bool, DbError> {
    let lignes: Vec<Ligne> = decode(lignes)?;
    Ok(lignes.first().is_some_and(|l| l.nombre <= regle.maximum))
}

/// Counts one attempt against every rule at once (one batch): every counter moves, so
/// that one exhausted rule does not spare the others. Returns `None` when the attempt is
/// within all of them, or the seconds until the last exceeded one frees up (the
/// `Retry-After` of the refusal).
pub async fn compter_toutes<S: AsRef<str>>(
    db: &dyn Db,
    regles: &[(Regle, S)],
    maintenant: i64,
) -> Result<Option<i64>, DbError> {
    let lots = db
        .batch(
            regles
                .iter()
                .map(|(regle, sujet)| compte(regle, sujet.as_ref(), maintenant))
                .collect(),
        )
        .await?;
    let mut refus = None;
    for ((regle, _), lignes) in regles.iter().zip(lots) {
        if !dans_la_regle(regle, lignes)? {
            refus = refus.max(Some(regle.reessayer_dans(maintenant)));
        }
    }
    Ok(refus)
}

/// Counts one attempt against one rule: whether it is still within it.
pub async fn compter(
    db: &dyn Db,
    regle: &Regle,
    sujet: &str,
    maintenant: i64,
) -> Result<bool, DbError> {
    Ok(compter_toutes(db, &[(*regle, sujet)], maintenant)
        .await?
        .is_none())
}
