//! Housekeeping: the scheduled job deletes the rows that can no longer matter, so that no
//! table only grows. Each purge is one statement that deletes at most [`PAR_PASSAGE`]
//! rows, found through an index (`DELETE … WHERE key IN (SELECT key … LIMIT n)`: D1 has
//! no `DELETE … LIMIT`). A statement is atomic, so runs that overlap delete disjoint rows
//! and never anything still in use; whatever one run leaves, the next one takes.

use chrono::{DateTime, Utc};

use super::{decode, Db, DbError, Statement};
use crate::comptes::limites::{fenetre_la_plus_longue, SOURCE_CONNUE_SECONDES};

/// Rows deleted per table and run at most. The job runs every 5 minutes: up to 288 000
/// rows a day per table, each run's statements staying short.
pub const PAR_PASSAGE: i64 = 1000;

const JOUR: i64 = 86_400;

/// Processed Stripe events (`stripe_events`, the webhook's deduplication) are kept 30
/// days: Stripe retries a delivery for up to 3 days, and an event can still be resent by
/// hand (dashboard, CLI) while Stripe keeps it, 30 days. An event resent after that finds
/// its payment already in the state it leads to, and changes nothing anyway.
pub const CONSERVATION_STRIPE_EVENTS: i64 = 30 * JOUR;

/// Payment anomalies are kept a year, for accounting review.
pub const CONSERVATION_ANOMALIES: i64 = 365 * JOUR;

/// Rate-limit counters are kept past the end of their window: as long as the longest
/// rule's window, and at least a day (so that a rule added without being listed in
/// `comptes::limites::REGLES` is safe up to a day-long window).
pub fn conservation_limites() -> i64 {
    fenetre_la_plus_longue().max(JOUR)
}

/// One table's purge.
#[derive(Debug, Clone, PartialEq)]
pub struct Purge {
    pub table: &'static str,
    pub suppression: Statement,
}

/// The purges of one run at `maintenant`, in order.
pub fn purges(maintenant: DateTime<Utc>) -> Vec<Purge> {
    let t = maintenant.timestamp();
    vec![
        purge("limites", "cle", "fenetre < ?1", t - conservation_limites()),
        purge(
            "stripe_events",
            "rowid",
            "received_at < ?1",
            t - CONSERVATION_STRIPE_EVENTS,
        ),
        liens_a_usage_unique("reinitialisations", t),
        liens_a_usage_unique("verifications_email", t),
        // A sign-in streak is forgotten after a quiet day, and its wait is over by then.
        purge(
            "freins",
            "cle",
            "derniere_at < ?1 AND bloque_jusqua < ?1",
            t - JOUR,
        ),
        // A source unseen for that long is no longer known to its account.
        purge(
            "sources_connues",
            "(user_id, source)",
            "vue_at < ?1",
            t - SOURCE_CONNUE_SECONDES,
        ),
        purge(
            "paiements_anomalies",
            "id",
            "received_at < ?1",
            t - CONSERVATION_ANOMALIES,
        ),
    ]
}

/// Deletes up to [`PAR_PASSAGE`] rows of `table` that meet `condition` (`?1` is `seuil`),
/// found by their key `cle` through the index the condition uses.
fn purge(table: &'static str, cle: &str, condition: &str, seuil: i64) -> Purge {
    let colonnes = cle.trim_start_matches('(').trim_end_matches(')');
    Purge {
        table,
        suppression: Statement::new(format!(
            "DELETE FROM {table} WHERE {condition} AND {cle} IN \
             (SELECT {colonnes} FROM {table} WHERE {condition} LIMIT ?2)"
        ))
        .bind(seuil)
        .bind(PAR_PASSAGE),
    }
}

/// A table of single-use links (`token_hash` primary key, `expire_at`, `utilise_at`:
/// password resets, e-mail verifications): a link used or expired can no longer be used
/// (every read asks for `utilise_at IS NULL AND expire_at > now`), so it goes. The table
/// needs an index on `coalesce(utilise_at, expire_at)`, the moment the link stopped
/// being usable.
pub fn liens_a_usage_unique(table: &'static str, maintenant: i64) -> Purge {
    purge(
        table,
        "token_hash",
        "coalesce(utilise_at, expire_at) <= ?1",
        maintenant,
    )
}

crate::ligne! {
    struct Supprimees {
        n: i64,
    }
}

/// Runs the purges in one batch; says how many rows each deleted, by table.
pub async fn purger(
    db: &dyn Db,
    maintenant: DateTime<Utc>,
) -> Result<Vec<(&'static str, i64)>, DbError> {
    let purges = purges(maintenant);
    let mut lot = Vec::with_capacity(purges.len() * 2);
    for purge in &purges {
        lot.push(purge.suppression.clone());
        lot.push(Statement::new("SELECT changes() AS n"));
    }
    let resultats = db.batch(lot).await?;
    let mut bilan = Vec::with_capacity(purges.len());
    for (purge, lignes) in purges.iter().zip(resultats.into_iter().skip(1).step_by(2)) {
        let n = decode::<Supprimees>(lignes)?.first().map_or(0, |s| s.n);
        bilan.push((purge.table, n));
    }
    Ok(bilan)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Value;
    use chrono::TimeZone;

    #[test]
    fn counters_outlive_every_rule_window_and_at_least_a_day() {
        assert!(conservation_limites() >= fenetre_la_plus_longue());
        assert!(conservation_limites() >= JOUR);
    }

    #[test]
    fn every_purge_is_bounded_and_cut_at_its_own_keep() {
        let maintenant = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        let t = maintenant.timestamp();
        let purges = purges(maintenant);
        let tables: Vec<_> = purges.iter().map(|p| p.table).collect();
        assert_eq!(
            tables,
            [
                "limites",
                "stripe_events",
                "reinitialisations",
                "verifications_email",
                "freins",
                "sources_connues",
                "paiements_anomalies"
            ]
        );
        for p in &purges {
            assert!(p.suppression.sql.contains("LIMIT ?2"), "{}", p.table);
            assert_eq!(
                p.suppression.params[1],
                Value::Integer(PAR_PASSAGE),
                "{}",
                p.table
            );
        }
        let seuil = |table: &str| {
            purges
                .iter()
                .find(|p| p.table == table)
                .unwrap()
                .suppression
                .params[0]
                .clone()
        };
        assert_eq!(seuil("limites"), Value::Integer(t - JOUR));
        assert_eq!(seuil("stripe_events"), Value::Integer(t - 30 * JOUR));
        assert_eq!(seuil("reinitialisations"), Value::Integer(t));
        assert_eq!(seuil("verifications_email"), Value::Integer(t));
        assert_eq!(seuil("freins"), Value::Integer(t - JOUR));
        assert_eq!(seuil("sources_connues"), Value::Integer(t - 180 * JOUR));
        assert_eq!(seuil("paiements_anomalies"), Value::Integer(t - 365 * JOUR));
    }
}
