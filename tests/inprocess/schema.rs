//! The schema's own guarantees, checked on the real migrations.

use booking_tests::TestApp;

fn refused(app: &TestApp, sql: &str) -> bool {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| app.db.execute_script(sql))).is_err()
}

const PRO: &str = "INSERT INTO users (id, email, role, nom, type_professionnel, created_at) VALUES (1, 'Pro@Exemple.fr', 'pro', 'Pro', 'garage', 0);
    INSERT INTO professionnels (id, user_id, vertical, slug, nom, ville, region, created_at) VALUES (1, 1, 'garage', 'garage-un', 'Garage Un', 'Lyon', 'Auvergne-Rhône-Alpes', 0);
    INSERT INTO services (id, professionnel_id, nom, duree_minutes, prix_centimes) VALUES (1, 1, 'Vidange', 60, 8900);";

fn reservation(id: char, statut: &str) -> String {
    let uuid = format!("{}-0000-4000-8000-000000000000", id.to_string().repeat(8));
    format!(
        "INSERT INTO reservations (id, professionnel_id, service_id, date_heure, fin, statut, client_nom, client_email, prix_centimes, manage_token_hash, created_at, updated_at, membre_id)
         VALUES ('{uuid}', 1, 1, 3600, 7200, '{statut}', 'Client', 'c@exemple.fr', 8900, '{}', 0, 0, 1);",
        "a".repeat(64)
    )
}

#[test]
fn emails_are_unique_whatever_their_case() {
    let app = TestApp::spawn();
    app.db.execute_script(PRO);
    assert!(refused(&app, "INSERT INTO users (email, role, nom, created_at) VALUES ('pro@EXEMPLE.fr', 'client', 'X', 0);"));
}

#[test]
fn enum_like_columns_refuse_unknown_values() {
    let app = TestApp::spawn();
    app.db.execute_script(PRO);
    assert!(refused(
        &app,
        "INSERT INTO users (email, role, nom, created_at) VALUES ('x@y.fr', 'root', 'X', 0);"
    ));
    assert!(refused(&app, &reservation('b', "en_cours")));
    assert!(refused(&app, "INSERT INTO disponibilites (professionnel_id, recurrence, jour_semaine, heure_debut, heure_fin) VALUES (1, 'hebdomadaire', 8, '09:00', '12:00');"));
    assert!(refused(&app, "INSERT INTO disponibilites (professionnel_id, recurrence, jour_semaine, heure_debut, heure_fin) VALUES (1, 'hebdomadaire', 1, '12:00', '09:00');"));
}

#[test]
fn strict_tables_refuse_a_value_of_the_wrong_type() {
    let app = TestApp::spawn();
    app.db.execute_script(PRO);
    assert!(refused(&app, "INSERT INTO services (professionnel_id, nom, duree_minutes, prix_centimes) VALUES (1, 'X', 'une heure', 100);"));
}

#[test]
fn money_is_integer_cents_and_never_negative() {
    let app = TestApp::spawn();
    app.db.execute_script(PRO);
    assert!(refused(&app, "INSERT INTO services (professionnel_id, nom, duree_minutes, prix_centimes) VALUES (1, 'X', 60, 10.5);"));
    assert!(refused(&app, "INSERT INTO services (professionnel_id, nom, duree_minutes, prix_centimes) VALUES (1, 'X', 60, -1);"));
}

#[test]
fn two_bookings_cannot_claim_the_same_granule_of_one_professional() {
    let app = TestApp::spawn();
    app.db.execute_script(PRO);
    app.db.execute_script(&reservation('a', "confirmee"));
    app.db.execute_script(&reservation('b', "confirmee"));
    app.db.execute_script(
        "INSERT INTO occupations VALUES (1, 3600, 'aaaaaaaa-0000-4000-8000-000000000000');",
    );
    assert!(refused(
        &app,
        "INSERT INTO occupations VALUES (1, 3600, 'bbbbbbbb-0000-4000-8000-000000000000');"
    ));
    assert_eq!(app.db.scalar("SELECT count(*) FROM occupations"), 1);
}

#[test]
fn a_stripe_event_is_recorded_once() {
    let app = TestApp::spawn();
    app.db.execute_script(
        "INSERT INTO stripe_events VALUES ('evt_1', 'checkout.session.completed', 0);",
    );
    assert!(refused(
        &app,
        "INSERT INTO stripe_events VALUES ('evt_1', 'checkout.session.completed', 1);"
    ));
}

#[test]
fn an_email_is_queued_at_most_once_per_booking_and_kind() {
    let app = TestApp::spawn();
    let insert = "INSERT INTO outbox (cle, kind, destinataire, envoyer_a, created_at) VALUES ('rappel:x:1440', 'rappel', 'c@exemple.fr', 0, 0);";
    app.db.execute_script(insert);
    assert!(refused(&app, insert));
}

#[test]
fn a_booking_gets_at_most_one_review() {
    let app = TestApp::spawn();
    app.db.execute_script(PRO);
    app.db.execute_script(&reservation('a', "terminee"));
    let review = "INSERT INTO avis (reservation_id, professionnel_id, note, auteur, created_at) VALUES ('aaaaaaaa-0000-4000-8000-000000000000', 1, 5, 'C', 0);";
    app.db.execute_script(review);
    assert!(refused(&app, review));
    assert!(refused(&app, "INSERT INTO avis (reservation_id, professionnel_id, note, auteur, created_at) VALUES ('bbbbbbbb-0000-4000-8000-000000000000', 1, 6, 'C', 0);"));
}

#[test]
fn migration_0008_gives_back_the_guest_bookings_attached_to_accounts_that_never_proved_their_address(
) {
    let db = booking_tests::SqliteDb::migrated_before("0008");
    db.execute_script(PRO);
    let uuid = |c: char| format!("{}-0000-4000-8000-000000000000", c.to_string().repeat(8));
    let hash = "a".repeat(64);
    db.execute_script(&format!(
        "INSERT INTO users (id, email, role, nom, created_at) VALUES (2, 'squat@exemple.fr', 'client', 'S', 1000);
         INSERT INTO users (id, email, role, nom, created_at, email_verifie_at) VALUES (3, 'vraie@exemple.fr', 'client', 'V', 1000, 1500);
         INSERT INTO reservations (id, professionnel_id, service_id, user_id, date_heure, fin, statut, client_nom, client_email, prix_centimes, manage_token_hash, created_at, updated_at) VALUES
           ('{}', 1, 1, 2, 3600, 7200, 'confirmee', 'C', 'squat@exemple.fr', 8900, '{hash}', 500, 500),
           ('{}', 1, 1, 2, 7200, 9000, 'confirmee', 'C', 'autre@exemple.fr', 8900, '{hash}', 2000, 2000),
           ('{}', 1, 1, 3, 9000, 10800, 'confirmee', 'C', 'vraie@exemple.fr', 8900, '{hash}', 500, 500);",
        uuid('a'),
        uuid('b'),
        uuid('c')
    ));
    let migration = booking_tests::root().join("migrations/0008_verification_et_freins.sql");
    db.apply_migration(&migration);
    let user_de = |c: char| {
        db.scalar(&format!(
            "SELECT coalesce(user_id, 0) FROM reservations WHERE id = '{}'",
            uuid(c)
        ))
    };
    assert_eq!(
        user_de('a'),
        0,
        "the guest booking goes back to being a guest's"
    );
    assert_eq!(user_de('b'), 2, "a booking the account made itself stays");
    assert_eq!(user_de('c'), 3, "a proved address keeps its bookings");
}
