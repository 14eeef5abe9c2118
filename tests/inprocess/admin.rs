//! The admin: professionals per vertical, suspension, vertical configuration, bookings.

use booking_functions::http::Method;
use booking_tests::{json, TestApp};

use crate::comptes::{admin, avec_bearer, jeton, Navigateur, COACH};

#[test]
fn the_admin_lists_professionals_per_vertical_and_suspends_one() {
    let app = TestApp::spawn().with_demo_data();
    let token = jeton(&app, admin(&app));
    let r = avec_bearer(
        &app,
        Method::Get,
        "http://localhost:8787/api/v1/admin/professionnels?vertical=garage",
        &token,
        None,
    );
    assert_eq!(r.status, 200);
    let pros = json(&r)["professionnels"].as_array().unwrap().clone();
    assert!(pros.len() >= 5 && pros.iter().all(|p| p["vertical"] == "garage"));
    // Published as a boolean; the creation instant in ISO 8601 with the offset.
    assert!(pros.iter().all(|p| p["public"].is_boolean()));
    assert!(pros.iter().all(|p| p["created_at"]
        .as_str()
        .is_some_and(|c| chrono::DateTime::parse_from_rfc3339(c).is_ok())));
    let mut nav = Navigateur::avec_session(
        &app,
        app.db.scalar("SELECT id FROM users WHERE role = 'admin'"),
    );
    let page = nav.get(&format!("{COACH}/admin?vertical=coach"));
    assert_eq!(page.status, 200);
    assert!(page.text().contains("claire-fontaine"));
    let id = app
        .db
        .scalar("SELECT id FROM professionnels WHERE slug = 'claire-fontaine'");
    let r = nav.soumettre(
        &format!("{COACH}/admin/approbations"),
        &format!("{COACH}/admin/professionnels/{id}/approbation"),
        &[("statut", "suspendu"), ("motif", "Vérification en cours")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM professionnels WHERE id = {id} AND approbation = 'suspendu'"
        )),
        1
    );
    assert_eq!(
        app.get(&format!("{COACH}/api/v1/professionnels/claire-fontaine"))
            .status,
        404
    );
}

#[test]
fn a_vertical_document_is_validated_and_a_bad_one_is_refused_with_the_reason() {
    let app = TestApp::spawn();
    let token = jeton(&app, admin(&app));
    let url = format!("{COACH}/api/v1/admin/verticaux/coach");
    let r = avec_bearer(&app, Method::Get, &url, &token, None);
    assert_eq!(r.status, 200);
    let mut doc = json(&r);
    let mut mauvais = doc.clone();
    mauvais["slug"] = "garage".into();
    let envoyer = |d: &serde_json::Value| avec_bearer(&app, Method::Post, &url, &token, Some(d));
    // Malformed JSON is a 400 like everywhere in the API, not a refused document.
    let mut casse = booking_functions::http::Request::new(Method::Post, &url);
    casse
        .headers
        .push(("authorization".into(), format!("Bearer {token}")));
    casse
        .headers
        .push(("content-type".into(), "application/json".into()));
    casse.body = b"{\"slug\": ".to_vec();
    let r = app.send(casse);
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(json(&r)["code"], "json_invalide");
    let r = envoyer(&mauvais);
    assert_eq!(r.status, 422);
    assert_eq!(json(&r)["code"], "configuration_invalide");
    let r = envoyer(&serde_json::json!({ "slug": "coach" }));
    assert_eq!(r.status, 422);
    assert!(json(&r)["title"]
        .as_str()
        .unwrap()
        .starts_with("Document refusé"));
    doc["nom"] = "Coach Pro".into();
    let r = envoyer(&doc);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM configurations_verticales WHERE vertical = 'coach'"),
        1
    );
    assert_eq!(
        avec_bearer(
            &app,
            Method::Get,
            &format!("{COACH}/api/v1/admin/verticaux/inconnu"),
            &token,
            None
        )
        .status,
        404
    );
}

#[test]
fn the_admin_sees_bookings_with_their_payments() {
    let app = TestApp::spawn().with_demo_data();
    let token = jeton(&app, admin(&app));
    let r = avec_bearer(
        &app,
        Method::Get,
        &format!("{COACH}/api/v1/admin/reservations?limite=5"),
        &token,
        None,
    );
    assert_eq!(r.status, 200);
    let reservations = json(&r)["reservations"].as_array().unwrap().clone();
    assert_eq!(reservations.len(), 5);
    assert!(reservations.iter().all(|r| r["date_heure"]
        .as_str()
        .is_some_and(|d| chrono::DateTime::parse_from_rfc3339(d).is_ok())));
    let mut nav = Navigateur::avec_session(
        &app,
        app.db.scalar("SELECT id FROM users WHERE role = 'admin'"),
    );
    let page = nav.get("http://localhost:8787/admin/reservations");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Réservations et paiements"));
}
