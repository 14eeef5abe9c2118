//! Reviews: the form the review request links to, once per completed booking.

use booking_functions::http::{Method, Request, Response};
use booking_tests::percent_encode;
use booking_tests::TestApp;
use chrono::Duration;
use serde_json::Value;

use crate::comptes::{avec_bearer, jeton, pro, COACH};
use crate::notifications::{book_on, instant};

pub fn lien(b: &Value, token: &str) -> String {
    format!(
        "http://coach.localhost:8787/avis/{}?token={token}",
        b["id"].as_str().unwrap()
    )
}

/// A completed booking (the scheduled job closed it, then its professional marked it
/// done from the agenda), its review request not sent yet.
pub fn completed(app: &TestApp) -> Value {
    let b = book_on(app, "2026-11-30");
    app.clock.set(instant(&b, "fin") + Duration::minutes(1));
    app.run_cron();
    marquer(app, &b, "terminer");
    b
}

/// The professional's agenda action on the booking (Claire Fontaine's API).
pub fn marquer(app: &TestApp, b: &Value, action: &str) {
    let (_, user) = pro(app, "claire-fontaine");
    let r = avec_bearer(
        app,
        Method::Post,
        &format!(
            "{COACH}/api/v1/pro/reservations/{}/{action}",
            b["id"].as_str().unwrap()
        ),
        &jeton(app, user),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

/// Opens the review link as a browser does: its first visit exchanges the secret for the
/// booking's cookie (303 to the clean address), which then opens the page. Returns the
/// page and that cookie (`gestion=…`) to send back with the form.
pub fn ouvrir(app: &TestApp, b: &Value, token: &str) -> (Response, String) {
    let echange = app.get(&lien(b, token));
    assert_eq!(echange.status, 303, "{}", echange.text());
    let gestion = echange
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .expect("the link's cookie")
        .to_owned();
    let mut request = Request::new(
        Method::Get,
        &format!(
            "http://coach.localhost:8787{}",
            echange.header("location").unwrap()
        ),
    );
    request.headers.push(("cookie".into(), gestion.clone()));
    (app.send(request), gestion)
}

/// The form's CSRF cookie and hidden field, as a browser gets them.
pub fn csrf(response: &Response) -> (String, String) {
    let cookie = response
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .expect("a CSRF cookie")
        .to_owned();
    let html = response.text();
    let start = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    let field = html[start..].split('"').next().unwrap().to_owned();
    (cookie, field)
}

pub fn post_form(app: &TestApp, b: &Value, cookie: &str, fields: &[(&str, &str)]) -> Response {
    let mut request = Request::new(
        Method::Post,
        &format!(
            "http://coach.localhost:8787/avis/{}",
            b["id"].as_str().unwrap()
        ),
    );
    request.headers.push((
        "content-type".into(),
        "application/x-www-form-urlencoded".into(),
    ));
    request.headers.push(("cookie".into(), cookie.to_owned()));
    request.body = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes();
    app.send(request)
}

#[test]
fn a_client_rates_a_completed_booking_once_and_the_professionals_average_and_count_update() {
    let app = TestApp::spawn().with_demo_data();
    let b = completed(&app);
    let token = b["token"].as_str().unwrap();
    let pro = "SELECT id FROM professionnels WHERE slug = 'claire-fontaine'";
    let count_before = app.db.scalar(&format!(
        "SELECT nombre_avis FROM professionnels WHERE id = ({pro})"
    ));
    let (form, gestion) = ouvrir(&app, &b, token);
    assert_eq!(form.status, 200, "{}", form.text());
    assert!(form.text().contains("Votre avis sur"));
    assert_eq!(form.header("cache-control"), Some("private, no-store"));
    let (cookie, field) = csrf(&form);
    let cookie = format!("{cookie}; {gestion}");
    let r = post_form(
        &app,
        &b,
        &cookie,
        &[
            ("csrf", &field),
            ("note", "4"),
            ("commentaire", "Très à l'écoute, je recommande."),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("Merci"));
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT nombre_avis FROM professionnels WHERE id = ({pro})"
        )),
        count_before + 1
    );
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT round(note_moyenne * 100) = round((SELECT avg(note) FROM avis WHERE professionnel_id = ({pro})), 2) * 100 \
             FROM professionnels WHERE id = ({pro})"
        )),
        1
    );
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM avis WHERE reservation_id = '{}' AND note = 4 AND auteur = 'Léa M.'",
            b["id"].as_str().unwrap()
        )),
        1
    );
    // Once only.
    let again = post_form(&app, &b, &cookie, &[("csrf", &field), ("note", "1")]);
    assert_eq!(again.status, 409);
    assert!(again.text().contains("déjà donné votre avis"));
    assert!(ouvrir(&app, &b, token)
        .0
        .text()
        .contains("déjà donné votre avis"));
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT nombre_avis FROM professionnels WHERE id = ({pro})"
        )),
        count_before + 1
    );
    // The review request is not sent any more once the review is given.
    app.clock.set(instant(&b, "fin") + Duration::hours(4));
    app.run_cron();
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM outbox WHERE cle = 'avis:{}' AND statut = 'annule'",
            b["id"].as_str().unwrap()
        )),
        1
    );
}

#[test]
fn the_review_form_refuses_a_forged_post_a_bad_rating_and_a_wrong_link() {
    let app = TestApp::spawn().with_demo_data();
    let b = completed(&app);
    let token = b["token"].as_str().unwrap();
    let (form, gestion) = ouvrir(&app, &b, token);
    let (cookie, field) = csrf(&form);
    let cookie = format!("{cookie}; {gestion}");
    let forged = post_form(&app, &b, &cookie, &[("csrf", "faux"), ("note", "5")]);
    assert_eq!(forged.status, 403);
    assert!(forged.text().contains("expiré"));
    let bad = post_form(
        &app,
        &b,
        &cookie,
        &[("csrf", &field), ("note", "7"), ("commentaire", "Bien")],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.text().contains("Choisissez une note de 1 à 5."));
    assert!(
        bad.text().contains(">Bien</textarea>"),
        "what was typed is kept"
    );
    let long = "x".repeat(2001);
    let too_long = post_form(
        &app,
        &b,
        &cookie,
        &[("csrf", &field), ("note", "3"), ("commentaire", &long)],
    );
    assert_eq!(too_long.status, 422);
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM avis WHERE note = 3 AND length(commentaire) > 2000"),
        0
    );
    assert_eq!(
        app.get(&lien(&b, "0123456789abcdef0123456789abcdef"))
            .status,
        404
    );
    let other_site = format!(
        "http://garage.localhost:8787/avis/{}?token={token}",
        b["id"].as_str().unwrap()
    );
    assert_eq!(app.get(&other_site).status, 404);
}

#[test]
fn a_booking_not_yet_done_cannot_be_reviewed() {
    let app = TestApp::spawn().with_demo_data();
    let b = book_on(&app, "2026-11-30");
    let token = b["token"].as_str().unwrap();
    let (form, gestion) = ouvrir(&app, &b, token);
    assert_eq!(form.status, 200);
    assert!(form.text().contains("une fois le rendez-vous passé"));
    assert!(!form.text().contains("<form"));
    let r = post_form(
        &app,
        &b,
        &format!("csrf=0; {gestion}"),
        &[("csrf", "0"), ("note", "5")],
    );
    assert_eq!(r.status, 409);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM avis WHERE reservation_id = '{}'",
            b["id"].as_str().unwrap()
        )),
        0
    );
}
