//! Housekeeping by the scheduled job: tables that would otherwise only grow (rate-limit
//! counters, processed Stripe events, password-reset links, payment anomalies) are
//! purged once their rows can no longer matter, a bounded number per table and run.

use booking_shared::ports::Clock;
use booking_tests::TestApp;

/// Rows deleted per table and run (`store::menage::PAR_PASSAGE`).
const PAR_PASSAGE: i64 = 1000;
/// Rows past their keep in each table: more than one run can purge.
const ANCIENNES: i64 = 1200;

fn compter(app: &TestApp, table: &str) -> i64 {
    app.db.scalar(&format!("SELECT count(*) FROM {table}"))
}

/// `n` rows made by one INSERT … SELECT over 1..=n (`i` in `ligne`).
fn inserer(app: &TestApp, table: &str, colonnes: &str, ligne: &str, n: i64) {
    app.db.execute_script(&format!(
        "INSERT INTO {table} ({colonnes}) \
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
         SELECT {ligne} FROM n;"
    ));
}

#[test]
fn the_scheduled_job_purges_old_counters_events_and_resets_a_bounded_number_per_run() {
    let app = TestApp::spawn();
    let maintenant = app.clock.now().timestamp();
    let jour = 86_400;
    app.db.execute_script(
        "INSERT INTO users (id, email, role, nom, created_at) VALUES (7, 'a@exemple.fr', 'client', 'A', 0);",
    );

    // Counters of windows that ended long ago; and this hour's, still counting.
    inserer(
        &app,
        "limites",
        "cle, fenetre, nombre",
        &format!(
            "'connexion:ip:198.51.100.' || i, {} , 3",
            maintenant - 2 * jour
        ),
        ANCIENNES,
    );
    inserer(
        &app,
        "limites",
        "cle, fenetre, nombre",
        &format!(
            "'connexion:compte:c' || i || '@exemple.fr', {}, 5",
            maintenant - 600
        ),
        5,
    );
    // Events past Stripe's retries (and the 30 days an event can be resent); recent ones.
    inserer(
        &app,
        "stripe_events",
        "id, type, received_at",
        &format!(
            "'evt_vieux_' || i, 'checkout.session.completed', {}",
            maintenant - 31 * jour
        ),
        ANCIENNES,
    );
    inserer(
        &app,
        "stripe_events",
        "id, type, received_at",
        &format!(
            "'evt_recent_' || i, 'charge.refunded', {}",
            maintenant - 29 * jour
        ),
        5,
    );
    // Reset links: expired, used (before their hour was up), and still valid.
    inserer(
        &app,
        "reinitialisations",
        "token_hash, user_id, expire_at, created_at",
        &format!(
            "printf('%064d', i), 7, {}, {}",
            maintenant - 60,
            maintenant - 3660
        ),
        ANCIENNES - 5,
    );
    inserer(
        &app,
        "reinitialisations",
        "token_hash, user_id, expire_at, utilise_at, created_at",
        &format!(
            "printf('u%063d', i), 7, {}, {}, {}",
            maintenant + 1800,
            maintenant - 600,
            maintenant - 1800
        ),
        5,
    );
    inserer(
        &app,
        "reinitialisations",
        "token_hash, user_id, expire_at, created_at",
        &format!(
            "printf('v%063d', i), 7, {}, {}",
            maintenant + 1800,
            maintenant - 1800
        ),
        3,
    );
    // Anomalies older than a year of accounting review; recent ones.
    inserer(
        &app,
        "paiements_anomalies",
        "event_id, type, raison, received_at",
        &format!(
            "'evt_a_' || i, 'checkout.session.completed', 'session_inconnue', {}",
            maintenant - 366 * jour
        ),
        ANCIENNES,
    );
    inserer(
        &app,
        "paiements_anomalies",
        "event_id, type, raison, received_at",
        &format!(
            "'evt_b_' || i, 'charge.refunded', 'paiement_inconnu', {}",
            maintenant - 300 * jour
        ),
        5,
    );

    app.run_cron();
    // One run deletes at most PAR_PASSAGE rows of each table, and only old ones.
    for (table, gardees) in [
        ("limites", 5),
        ("stripe_events", 5),
        ("reinitialisations", 3),
        ("paiements_anomalies", 5),
    ] {
        assert_eq!(
            compter(&app, table),
            ANCIENNES - PAR_PASSAGE + gardees,
            "{table} after one run"
        );
    }
    app.run_cron();
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM limites WHERE cle LIKE 'connexion:compte:%'"),
        5
    );
    assert_eq!(compter(&app, "limites"), 5);
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM stripe_events WHERE id LIKE 'evt_recent_%'"),
        5
    );
    assert_eq!(compter(&app, "stripe_events"), 5);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reinitialisations WHERE utilise_at IS NULL AND expire_at > {maintenant}"
        )),
        3
    );
    assert_eq!(compter(&app, "reinitialisations"), 3);
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM paiements_anomalies WHERE event_id LIKE 'evt_b_%'"),
        5
    );
    assert_eq!(compter(&app, "paiements_anomalies"), 5);
    // A third run finds nothing left to purge and keeps what is kept.
    app.run_cron();
    assert_eq!(compter(&app, "limites"), 5);
    assert_eq!(compter(&app, "reinitialisations"), 3);
}

#[test]
fn every_purge_finds_its_rows_through_an_index() {
    use booking_shared::store::{menage, Db, Statement};
    let app = TestApp::spawn();
    for purge in menage::purges(app.clock.now()) {
        let plan = futures::executor::block_on(app.db.query(Statement {
            sql: format!("EXPLAIN QUERY PLAN {}", purge.suppression.sql),
            params: purge.suppression.params.clone(),
        }))
        .unwrap();
        let details: Vec<String> = plan
            .iter()
            .filter_map(|ligne| ligne.get("detail").and_then(|d| d.as_str()))
            .map(str::to_owned)
            .collect();
        assert!(!details.is_empty(), "{}", purge.table);
        assert!(
            details
                .iter()
                .all(|d| !d.starts_with(&format!("SCAN {}", purge.table)) || d.contains("USING")),
            "{} scans its table: {details:?}",
            purge.table
        );
        assert!(
            details
                .iter()
                .any(|d| d.contains("USING") && d.contains("INDEX")),
            "{}: {details:?}",
            purge.table
        );
    }
}
