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

/// The counting of one attempt against every rule, followed by a guard that fails the
/// whole batch (constraint `garde_limites`) when one of them is exceeded: for a write
/// that happens only within the limits, in the same batch (one round trip). When that
/// batch fails nothing was counted, and [`compter_toutes`] counts the attempt alone.
/// The batch must empty `gardes` before it ends.
pub fn comptes_gardes<S: AsRef<str>>(regles: &[(Regle, S)], maintenant: i64) -> Vec<Statement> {
    let mut statements: Vec<Statement> = regles
        .iter()
        .map(|(regle, sujet)| compte(regle, sujet.as_ref(), maintenant))
        .collect();
    let conditions: Vec<String> = (1..=regles.len())
        .map(|i| {
            format!(
                "(SELECT nombre FROM limites WHERE cle = ?{}) <= ?{}",
                2 * i - 1,
                2 * i
            )
        })
        .collect();
    let garde = regles.iter().fold(
        Statement::new(format!(
            "INSERT INTO gardes (limites) SELECT {}",
            if conditions.is_empty() {
                "1".to_owned()
            } else {
                conditions.join(" AND ")
            }
        )),
        |garde, (regle, sujet)| garde.bind(regle.cle(sujet.as_ref())).bind(regle.maximum),
    );
    statements.push(garde);
    statements
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
