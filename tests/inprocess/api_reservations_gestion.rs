//! The manage link: read, cancel, move.

use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

use crate::api_reservations::{coach_body, slot_outside_the_window, RESERVER};

/// A guest's booking two days ahead (outside the 24-hour window, so it may still be
/// moved), confirmed from the e-mail: the answer to the booking (with the manage link's
/// secret).
fn book(app: &TestApp) -> Value {
    let r = app.post_json(RESERVER, &coach_body(&slot_outside_the_window(app)));
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    app.confirm_from_email(b["id"].as_str().unwrap());
    b
}

/// The coach's free slots of the week the bookings are made in.
pub(crate) fn creneaux_de_la_semaine(app: &TestApp) -> Vec<(String, String)> {
    app.creneaux(
        "coach.localhost",
        "claire-fontaine",
        1012,
        "2026-11-26",
        "2026-12-02",
    )
}

/// The last free start of that week, where a booking can move.
fn dernier_creneau(app: &TestApp) -> String {
    creneaux_de_la_semaine(app).last().unwrap().0.clone()
}

fn url(b: &Value, action: &str) -> String {
    format!(
        "http://coach.localhost:8787/api/v1/reservations/{}{action}",
        b["id"].as_str().unwrap()
    )
}

#[test]
fn the_manage_link_reads_the_booking_and_a_wrong_token_reads_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let token = b["token"].as_str().unwrap();
    let r = app.get_gestion(&url(&b, ""), token);
    assert_eq!(r.status, 200);
    assert_eq!(json(&r)["statut"], "confirmee");
    assert!(
        json(&r).get("token").is_none(),
        "the secret is shown once only"
    );
    for bad in ["0123456789abcdef0123456789abcdef", &token[..31]] {
        let r = app.get_gestion(&url(&b, ""), bad);
        assert_eq!(r.status, 404, "{bad}");
        assert_eq!(json(&r)["code"], "reservation_introuvable");
    }
    let r = app.get_gestion(&url(&b, ""), " ");
    assert_eq!(r.status, 401);
    assert_eq!(json(&r)["code"], "jeton_gestion_manquant");
    assert_eq!(
        app.get_gestion("http://coach.localhost/api/v1/reservations/../../etc", "x")
            .status,
        404
    );
    // Another vertical's domain does not show it.
    assert_eq!(
        app.get_gestion(
            &format!(
                "http://garage.localhost/api/v1/reservations/{}",
                b["id"].as_str().unwrap()
            ),
            token
        )
        .status,
        404
    );
}

#[test]
fn cancelling_frees_the_slot_and_cannot_happen_twice() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let token = b["token"].as_str().unwrap();
    let r = app.post_json(
        &url(&b, "/annuler"),
        &j!({ "token": token, "motif": "Empêchement" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let body = json(&r);
    assert_eq!(body["statut"], "annulee");
    assert_eq!(body["annulee_par"], "client");
    // Free cancellation up to 24 h before the start (coach); the clock is 2026-11-25 09:00 UTC.
    let debut = chrono::DateTime::parse_from_rfc3339(b["debut"].as_str().unwrap()).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-25T09:00:00Z").unwrap();
    assert_eq!(
        body["remboursable"],
        (debut - now) >= chrono::Duration::hours(24)
    );
    let slots = creneaux_de_la_semaine(&app);
    assert!(
        slots.iter().any(|(d, _)| *d == b["debut"]),
        "the slot is free again"
    );
    assert_eq!(app.scalar_claims(&b), 0);
    let again = app.post_json(&url(&b, "/annuler"), &j!({ "token": token }));
    assert_eq!(again.status, 409);
    assert_eq!(json(&again)["code"], "deja_annulee");
    // Someone else can now take the slot.
    assert_eq!(
        app.post_json(RESERVER, &coach_body(b["debut"].as_str().unwrap()))
            .status,
        201
    );
}

#[test]
fn a_cancellation_with_a_wrong_token_changes_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let r = app.post_json(
        &url(&b, "/annuler"),
        &j!({ "token": "00000000000000000000000000000000" }),
    );
    assert_eq!(r.status, 404);
    let statut = app.db.scalar(&format!(
        "SELECT statut = 'confirmee' FROM reservations WHERE id = '{}'",
        b["id"].as_str().unwrap()
    ));
    assert_eq!(statut, 1);
}

#[test]
fn moving_takes_the_new_slot_and_frees_the_old_one_in_one_step() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let token = b["token"].as_str().unwrap();
    let target = dernier_creneau(&app);
    let r = app.post_json(
        &url(&b, "/deplacer"),
        &j!({ "token": token, "debut": target }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["debut"], target);
    let after = creneaux_de_la_semaine(&app);
    assert!(after.iter().any(|(d, _)| *d == b["debut"]), "old slot free");
    assert!(after.iter().all(|(d, _)| *d != target), "new slot taken");
    // Exactly the new interval is claimed (60 min + 15 min buffer after = 15 granules).
    assert_eq!(app.scalar_claims(&b), 15);
}

#[test]
fn a_suspended_professionals_booking_can_be_cancelled_but_not_moved() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let token = b["token"].as_str().unwrap();
    let target = dernier_creneau(&app);
    app.db.execute_script(
        "UPDATE professionnels SET approbation = 'suspendu', approbation_motif = 'Enquête' \
         WHERE slug = 'claire-fontaine';",
    );
    let r = app.post_json(
        &url(&b, "/deplacer"),
        &j!({ "token": token, "debut": target }),
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "creneau_indisponible");
    let lu = app.get_gestion(&url(&b, ""), token);
    assert_eq!(json(&lu)["debut"], b["debut"], "the booking did not move");
    let r = app.post_json(&url(&b, "/annuler"), &j!({ "token": token }));
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn moving_onto_a_taken_slot_changes_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let slots = creneaux_de_la_semaine(&app);
    let other = slots.last().unwrap().0.clone();
    let mut second = coach_body(&other);
    second["email"] = j!("autre@exemple.fr");
    assert_eq!(app.post_json(RESERVER, &second).status, 201);
    let r = app.post_json(
        &url(&b, "/deplacer"),
        &j!({ "token": b["token"], "debut": other }),
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "creneau_indisponible");
    let still = json(&app.get_gestion(&url(&b, ""), b["token"].as_str().unwrap()));
    assert_eq!(still["debut"], b["debut"]);
    assert_eq!(app.scalar_claims(&b), 15);
}

#[test]
fn a_cancelled_booking_cannot_be_moved() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    app.post_json(&url(&b, "/annuler"), &j!({ "token": b["token"] }));
    let target = app
        .creneaux(
            "coach.localhost",
            "claire-fontaine",
            1012,
            "2026-11-26",
            "2026-12-02",
        )
        .last()
        .unwrap()
        .0
        .clone();
    let r = app.post_json(
        &url(&b, "/deplacer"),
        &j!({ "token": b["token"], "debut": target }),
    );
    assert_eq!(r.status, 409);
    assert_eq!(json(&r)["code"], "deja_annulee");
}

trait Claims {
    fn scalar_claims(&self, b: &Value) -> i64;
}

impl Claims for TestApp {
    fn scalar_claims(&self, b: &Value) -> i64 {
        self.db.scalar(&format!(
            "SELECT count(*) FROM occupations WHERE seance = '{}'",
            b["id"].as_str().unwrap()
        ))
    }
}
