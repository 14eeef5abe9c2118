//! Booking through the API, and every way a bad request is refused without storing anything.

use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

pub const RESERVER: &str = "http://coach.localhost:8787/api/v1/reservations";

pub fn coach_body(debut: &str) -> Value {
    j!({
        "professionnel": "claire-fontaine",
        "service": 1012,
        "debut": debut,
        "nom": "Léa Martin",
        "email": "lea.martin@exemple.fr",
        "telephone": "06 12 34 56 78",
        "message": "Première séance.",
        "reponses": { "objectif": "Préparer une reconversion", "format": "visio" }
    })
}

pub fn first_slot(app: &TestApp) -> String {
    app.creneaux(
        "coach.localhost",
        "claire-fontaine",
        1012,
        "2026-11-26",
        "2026-12-02",
    )
    .into_iter()
    .next()
    .expect("a free slot")
    .0
}

/// A free slot two days ahead or later: outside every vertical's free-cancellation window,
/// so a booking of it may still be moved.
pub fn slot_outside_the_window(app: &TestApp) -> String {
    app.creneaux(
        "coach.localhost",
        "claire-fontaine",
        1012,
        "2026-11-27",
        "2026-12-02",
    )
    .into_iter()
    .next()
    .expect("a free slot")
    .0
}

fn reservations(app: &TestApp) -> i64 {
    app.db.scalar("SELECT count(*) FROM reservations")
}

#[test]
fn a_guest_books_a_free_slot_and_gets_a_manage_link() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    let r = app.post_json(RESERVER, &coach_body(&debut));
    assert_eq!(r.status, 201, "{}", r.text());
    let body = json(&r);
    // A guest's request, until the address's owner confirms it from the e-mail.
    assert_eq!(body["statut"], "en_attente_confirmation");
    assert_eq!(body["debut"], debut);
    assert_eq!(body["paiement_requis"], false);
    assert_eq!(body["reponses"]["format"], "visio");
    let token = body["token"].as_str().unwrap();
    assert_eq!(token.len(), 32);
    let id = body["id"].as_str().unwrap();
    assert_eq!(
        body["lien_gestion"],
        format!("http://coach.localhost:8787/reservations/{id}?token={token}")
    );
    // Only the hash of the secret is stored.
    let stored = app.db.scalar(&format!(
        "SELECT count(*) FROM reservations WHERE manage_token_hash = '{token}'"
    ));
    assert_eq!(stored, 0);
    // The slot is no longer offered.
    let slots = app.creneaux(
        "coach.localhost",
        "claire-fontaine",
        1012,
        "2026-11-26",
        "2026-12-02",
    );
    assert!(slots.iter().all(|(d, _)| *d != debut));
    let confirmee = app.confirm_from_email(id);
    assert_eq!(confirmee["statut"], "confirmee");
    assert_eq!(confirmee["lien_gestion"], body["lien_gestion"]);
}

#[test]
fn the_same_slot_cannot_be_booked_twice() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    assert_eq!(app.post_json(RESERVER, &coach_body(&debut)).status, 201);
    let second = app.post_json(RESERVER, &coach_body(&debut));
    assert_eq!(second.status, 409);
    assert_eq!(json(&second)["code"], "creneau_indisponible");
}

#[test]
fn a_shorter_service_overlapping_a_booking_is_refused() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    assert_eq!(app.post_json(RESERVER, &coach_body(&debut)).status, 201);
    // 30 minutes later, a 30-minute service falls inside the 60-minute booking.
    let inside = (chrono::DateTime::parse_from_rfc3339(&debut).unwrap()
        + chrono::Duration::minutes(30))
    .to_rfc3339();
    let mut body = coach_body(&inside);
    body["service"] = j!(1011);
    let r = app.post_json(RESERVER, &body);
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "creneau_indisponible");
}

#[test]
fn a_paid_vertical_holds_the_slot_pending_payment_until_the_hold_ends() {
    let app = TestApp::spawn().with_demo_data();
    let slug: String = {
        let body = json(&app.get("http://garage.localhost/api/v1/professionnels"));
        body["professionnels"][0]["slug"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let profile = json(&app.get(&format!(
        "http://garage.localhost/api/v1/professionnels/{slug}"
    )));
    let service = profile["services"][0]["id"].as_i64().unwrap();
    let slots = app.creneaux(
        "garage.localhost",
        &slug,
        service,
        "2026-11-26",
        "2026-12-02",
    );
    let debut = &slots[0].0;
    let body = j!({
        "professionnel": slug, "service": service, "debut": debut,
        "nom": "Marc Petit", "email": "marc@exemple.fr", "telephone": "0601020304",
        "reponses": { "immatriculation": "ab 123 cd", "marque": "Peugeot", "modele": "208", "kilometrage": "45 000" }
    });
    let r = app.post_json("http://garage.localhost/api/v1/reservations", &body);
    assert_eq!(r.status, 201, "{}", r.text());
    let created = json(&r);
    assert_eq!(created["statut"], "en_attente_paiement");
    assert_eq!(created["paiement_requis"], true);
    assert_eq!(created["a_payer_centimes"], created["prix_centimes"]);
    assert_eq!(created["reponses"]["kilometrage"], 45000);
    assert_eq!(
        app.post_json("http://garage.localhost/api/v1/reservations", &body)
            .status,
        409
    );
    // Past the 31-minute hold the slot is free again and can be booked.
    app.clock.advance(chrono::Duration::minutes(32));
    let again = app.creneaux(
        "garage.localhost",
        &slug,
        service,
        "2026-11-26",
        "2026-12-02",
    );
    assert!(again.iter().any(|(d, _)| d == debut));
    assert_eq!(
        app.post_json("http://garage.localhost/api/v1/reservations", &body)
            .status,
        201
    );
    let first_id = created["id"].as_str().unwrap();
    let statut = app.db.scalar(&format!(
        "SELECT statut = 'expiree' FROM reservations WHERE id = '{first_id}'"
    ));
    assert_eq!(statut, 1);
}

fn refused(app: &TestApp, body: &str, content_type: &str) -> (u16, Value) {
    let before = reservations(app);
    let r = app.post(RESERVER, content_type, body);
    assert_eq!(reservations(app), before, "nothing stored for {body}");
    let status = r.status;
    assert_eq!(
        r.header("content-type"),
        Some("application/problem+json"),
        "{body}"
    );
    (status, json(&r))
}

#[test]
fn malformed_or_mistyped_bodies_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    let valid = coach_body(&debut);

    let (s, b) = refused(&app, "{\"professionnel\": ", "application/json");
    assert_eq!((s, b["code"].as_str().unwrap()), (400, "json_invalide"));
    let (s, b) = refused(&app, "[1, 2]", "application/json");
    assert_eq!((s, b["code"].as_str().unwrap()), (400, "json_invalide"));
    let (s, b) = refused(&app, &valid.to_string(), "text/plain");
    assert_eq!(
        (s, b["code"].as_str().unwrap()),
        (415, "type_de_contenu_non_supporte")
    );
    let huge = format!("{{\"message\": \"{}\"}}", "x".repeat(70 * 1024));
    let (s, b) = refused(&app, &huge, "application/json");
    assert_eq!(
        (s, b["code"].as_str().unwrap()),
        (413, "corps_trop_volumineux")
    );

    let mut wrong_type = valid.clone();
    wrong_type["service"] = j!("1012");
    let (s, b) = refused(&app, &wrong_type.to_string(), "application/json");
    assert_eq!(
        (s, b["code"].as_str().unwrap(), b["champ"].as_str().unwrap()),
        (422, "type_invalide", "service")
    );

    let mut missing = valid.clone();
    missing.as_object_mut().unwrap().remove("email");
    let (s, b) = refused(&app, &missing.to_string(), "application/json");
    assert_eq!(
        (s, b["code"].as_str().unwrap(), b["champ"].as_str().unwrap()),
        (422, "type_invalide", "email")
    );

    let mut unknown = valid.clone();
    unknown["prix"] = j!(0);
    let (s, _) = refused(&app, &unknown.to_string(), "application/json");
    assert_eq!(s, 422);
}

#[test]
fn invalid_contact_and_vertical_fields_are_all_reported_with_french_messages() {
    let app = TestApp::spawn().with_demo_data();
    let mut body = coach_body(&first_slot(&app));
    body["email"] = j!("pas-une-adresse");
    body["telephone"] = j!("abc");
    body["reponses"] = j!({ "format": "en-avion" });
    let (status, problem) = refused(&app, &body.to_string(), "application/json");
    assert_eq!(status, 422);
    assert_eq!(problem["code"], "champs_invalides");
    let fields: Vec<&str> = problem["erreurs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["champ"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "telephone", "objectif", "format"]);
    for e in problem["erreurs"].as_array().unwrap() {
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn a_garage_plate_in_the_wrong_format_is_refused() {
    let app = TestApp::spawn().with_demo_data();
    let body = j!({
        "professionnel": "x", "service": 1, "debut": "2026-11-27T09:00:00+01:00",
        "nom": "Marc", "email": "marc@exemple.fr", "telephone": "0601020304",
        "reponses": { "immatriculation": "A-123-BC", "marque": "Peugeot", "modele": "208" }
    });
    let slug = json(&app.get("http://garage.localhost/api/v1/professionnels"))["professionnels"][0]
        ["slug"]
        .clone();
    let mut body = body;
    body["professionnel"] = slug;
    let r = app.post_json("http://garage.localhost/api/v1/reservations", &body);
    // The professional's service does not matter: the fields are checked first or the service is unknown.
    assert!(r.status == 422 || r.status == 404, "{}", r.text());
    let mut service_ok = body.clone();
    let profile = json(&app.get(&format!(
        "http://garage.localhost/api/v1/professionnels/{}",
        body["professionnel"].as_str().unwrap()
    )));
    service_ok["service"] = profile["services"][0]["id"].clone();
    let r = app.post_json("http://garage.localhost/api/v1/reservations", &service_ok);
    assert_eq!(r.status, 422);
    let problem = json(&r);
    assert_eq!(problem["erreurs"][0]["champ"], "immatriculation");
    assert_eq!(problem["erreurs"][0]["code"], "motif");
}

#[test]
fn each_kind_of_bad_slot_has_its_own_code_and_stores_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    let d = chrono::DateTime::parse_from_rfc3339(&debut).unwrap();
    let cases = [
        ("2026-11-20T10:00:00+01:00".to_owned(), 422, "creneau_passe"),
        (
            (d + chrono::Duration::minutes(10)).to_rfc3339(),
            422,
            "hors_grille",
        ),
        ("2026-11-27T03:00:00+01:00".to_owned(), 422, "hors_horaires"),
        (
            "2026-11-25T10:30:00+01:00".to_owned(),
            422,
            "preavis_insuffisant",
        ),
        (
            "2027-06-01T10:00:00+02:00".to_owned(),
            422,
            "au_dela_horizon",
        ),
        ("demain à 10h".to_owned(), 422, "date_invalide"),
    ];
    for (when, status, code) in cases {
        let (s, b) = refused(&app, &coach_body(&when).to_string(), "application/json");
        assert_eq!((s, b["code"].as_str().unwrap()), (status, code), "{when}");
    }
}

#[test]
fn an_unknown_professional_or_service_is_a_404() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    let mut body = coach_body(&debut);
    body["professionnel"] = j!("personne");
    let (s, b) = refused(&app, &body.to_string(), "application/json");
    assert_eq!(
        (s, b["code"].as_str().unwrap()),
        (404, "professionnel_introuvable")
    );
    let mut body = coach_body(&debut);
    body["service"] = j!(2011);
    let (s, b) = refused(&app, &body.to_string(), "application/json");
    assert_eq!(
        (s, b["code"].as_str().unwrap()),
        (404, "service_introuvable")
    );
}

#[test]
fn the_daily_maximum_is_enforced() {
    let app = TestApp::spawn().with_demo_data();
    let mut config: Value = serde_json::from_str(
        &std::fs::read_to_string(booking_tests::root().join("verticals/coach.json")).unwrap(),
    )
    .unwrap();
    config["regles"]["max_reservations_par_jour"] = j!(1);
    app.config.put("coach", &config.to_string());
    let slots = app.creneaux(
        "coach.localhost",
        "claire-fontaine",
        1011,
        "2026-12-01",
        "2026-12-01",
    );
    assert!(slots.len() >= 2, "{slots:?}");
    let existing = app.db.scalar("SELECT count(*) FROM reservations WHERE professionnel_id = 101 AND statut = 'confirmee' AND date(date_heure, 'unixepoch') = '2026-12-01'");
    assert_eq!(
        existing, 0,
        "the demo has no booking that day for this coach"
    );
    let mut body = coach_body(&slots[0].0);
    body["service"] = j!(1011);
    assert_eq!(app.post_json(RESERVER, &body).status, 201);
    let mut body = coach_body(&slots[slots.len() - 1].0);
    body["service"] = j!(1011);
    let r = app.post_json(RESERVER, &body);
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "journee_complete");
}
