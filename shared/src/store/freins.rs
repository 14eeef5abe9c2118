//! Sign-in throttles with growing delays (`freins`; the rules are
//! `comptes::limites::Frein`). An attempt is counted before the password is checked, in
//! one atomic statement over every throttle that applies, so that a burst of parallel
//! attempts gets no more through than a sequence would; a successful sign-in gives its
//! attempt back.

use super::{Db, DbError, Statement};
use crate::comptes::limites::Frein;

/// Counts one attempt on each (rule, subject), in one transaction: if any of the
/// throttles is still making its subject wait, the attempt is refused and nothing is
/// counted anywhere (a refused attempt guesses nothing); otherwise it joins each
/// throttle's streak, which sets the wait before the next one. Returns the longest wait
/// (seconds) when refused, `None` when let through.
pub async fn passer(
    db: &dyn Db,
    passages: &[(Frein, String)],
    maintenant: i64,
) -> Result<Option<i64>, DbError> {
    // Each throttle's key, wait table (`Frein::delais`) and memory, for the SQL.
    let regles: Vec<serde_json::Value> = passages
        .iter()
        .map(|(frein, sujet)| {
            crate::objet!({
                "cle": frein.cle(sujet),
                "delais": frein.delais(),
                "memoire": frein.memoire,
            })
        })
        .collect();
    let regles = serde_json::Value::from(regles).to_string();
    // The rule of the row being updated.
    let regle = "(SELECT q.value FROM json_each(?1) AS q WHERE json_extract(q.value, '$.cle') = freins.cle)";
    let batch = vec![
        Statement::new(
            "SELECT max(f.bloque_jusqua) AS jusqua FROM freins AS f \
             JOIN json_each(?1) AS q ON f.cle = json_extract(q.value, '$.cle') \
             WHERE f.bloque_jusqua > ?2",
        )
        .bind(regles.as_str())
        .bind(maintenant),
        // One statement for every throttle: its guard reads the table before any row
        // changes (SQLite runs such an INSERT … SELECT into a temporary table first).
        Statement::new(format!(
            "INSERT INTO freins (cle, tentatives, bloque_jusqua, derniere_at) \
             SELECT json_extract(p.value, '$.cle'), 1, ?2 + json_extract(p.value, '$.delais[0]'), ?2 \
             FROM json_each(?1) AS p \
             WHERE NOT EXISTS (SELECT 1 FROM freins AS f JOIN json_each(?1) AS q \
                 ON f.cle = json_extract(q.value, '$.cle') WHERE f.bloque_jusqua > ?2) \
             ON CONFLICT (cle) DO UPDATE SET \
             tentatives = CASE WHEN freins.derniere_at <= ?2 - json_extract({regle}, '$.memoire') THEN 1 \
                 ELSE freins.tentatives + 1 END, \
             bloque_jusqua = ?2 + CASE WHEN freins.derniere_at <= ?2 - json_extract({regle}, '$.memoire') \
                 THEN json_extract({regle}, '$.delais[0]') \
                 ELSE json_extract({regle}, '$.delais[' || \
                     min(freins.tentatives, json_array_length({regle}, '$.delais') - 1) || ']') END, \
             derniere_at = ?2"
        ))
        .bind(regles.as_str())
        .bind(maintenant),
    ];
    crate::ligne! {
        struct Avant {
            jusqua: Option<i64>,
        }
    }
    let resultats = db.batch(batch).await?;
    let avant = super::decode::<Avant>(resultats.into_iter().next().unwrap_or_default())?;
    Ok(avant
        .into_iter()
        .next()
        .and_then(|a| a.jusqua)
        .map(|jusqua| jusqua - maintenant))
}

/// Gives back the attempt a successful sign-in counted (it guessed nothing): the
/// streak shrinks by one, and a wait the streak no longer earns is lifted.
pub fn rendre(frein: &Frein, sujet: &str) -> Statement {
    Statement::new(
        "UPDATE freins SET tentatives = max(tentatives - 1, 0), \
         bloque_jusqua = CASE WHEN tentatives - 1 < ?2 THEN 0 ELSE bloque_jusqua END \
         WHERE cle = ?1",
    )
    .bind(frein.cle(sujet))
    .bind(frein.gratuites)
}

/// Ends the streak (the owner's device or source signed in).
pub fn effacer(frein: &Frein, sujet: &str) -> Statement {
    Statement::new("DELETE FROM freins WHERE cle = ?1").bind(frein.cle(sujet))
}
