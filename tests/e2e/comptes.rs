//! Accounts on the real Worker: the password check runs PBKDF2 through WebCrypto on
//! workerd and must agree with the hash made natively for the demo data.

use booking_tests::wrangler::server;
use serde_json::{json, Value};

fn post(
    host: &str,
    path: &str,
    body: &Value,
    bearer: Option<&str>,
) -> booking_tests::wrangler::HttpResponse {
    let auth = bearer.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(a) = auth.as_deref() {
        headers.push(("authorization", a));
    }
    server()
        .request("POST", host, path, &headers, body.to_string().as_bytes())
        .expect("an answer")
}

fn demo_pro_email() -> String {
    // The first demo coach: its e-mail is derived from its name by the demo generator.
    "claire.fontaine@exemple.fr".to_owned()
}

#[test]
fn a_demo_professional_signs_in_on_workerd_with_the_natively_hashed_password() {
    let r = post(
        "coach.localhost",
        "/api/v1/sessions",
        &json!({ "email": demo_pro_email(), "mot_de_passe": "demo-pro-2026" }),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let token = r.json()["token"].as_str().expect("a token").to_owned();
    let moi = server()
        .request(
            "GET",
            "coach.localhost",
            "/api/v1/moi",
            &[("authorization", &format!("Bearer {token}"))],
            b"",
        )
        .unwrap();
    assert_eq!(moi.status, 200, "{}", moi.text());
    assert!(moi.text().contains("claire.fontaine@exemple.fr"));
}

#[test]
fn a_wrong_password_is_refused_with_the_generic_message() {
    let r = post(
        "coach.localhost",
        "/api/v1/sessions",
        &json!({ "email": demo_pro_email(), "mot_de_passe": "pas-le-bon" }),
        None,
    );
    assert_eq!(r.status, 401, "{}", r.text());
    let unknown = post(
        "coach.localhost",
        "/api/v1/sessions",
        &json!({ "email": "personne@exemple.fr", "mot_de_passe": "pas-le-bon" }),
        None,
    );
    assert_eq!(unknown.status, 401);
    assert_eq!(
        r.json()["title"],
        unknown.json()["title"],
        "same answer whether the account exists or not"
    );
}

#[test]
fn a_client_signs_up_signs_in_and_signs_out_on_workerd() {
    let email = format!("client.{}@exemple.fr", std::process::id());
    let body = json!({ "email": email, "mot_de_passe": "un mot de passe solide 2026", "nom": "Camille Client", "role": "client" });
    let created = post("garage.localhost", "/api/v1/comptes", &body, None);
    assert_eq!(created.status, 202, "{}", created.text());
    let signed_in = post(
        "garage.localhost",
        "/api/v1/sessions",
        &json!({ "email": email, "mot_de_passe": "un mot de passe solide 2026" }),
        None,
    );
    assert_eq!(signed_in.status, 200, "{}", signed_in.text());
    let token = signed_in.json()["token"].as_str().unwrap().to_owned();
    let out = post(
        "garage.localhost",
        "/api/v1/sessions/fin",
        &json!({}),
        Some(&token),
    );
    assert_eq!(out.status, 204, "{}", out.text());
    let moi = server()
        .request(
            "GET",
            "garage.localhost",
            "/api/v1/moi",
            &[("authorization", &format!("Bearer {token}"))],
            b"",
        )
        .unwrap();
    assert_eq!(moi.status, 401, "a revoked token no longer works");
    let again = post(
        "garage.localhost",
        "/api/v1/sessions",
        &json!({ "email": email, "mot_de_passe": "un mot de passe solide 2026" }),
        None,
    );
    assert_eq!(again.status, 200, "{}", again.text());
}

fn bookings_of(token: &str) -> usize {
    let r = server()
        .request(
            "GET",
            "coach.localhost",
            "/api/v1/moi/reservations",
            &[("authorization", &format!("Bearer {token}"))],
            b"",
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["reservations"].as_array().unwrap().len()
}

#[test]
fn signing_up_with_a_guests_address_shows_none_of_their_bookings_until_the_emailed_link_is_used() {
    use crate::notifications::{book, scheduled, unique_email, wait_for, SEQUENTIEL};
    let _one = SEQUENTIEL.lock().unwrap_or_else(|e| e.into_inner());
    let email = unique_email("invitee");
    let mdp = "un mot de passe solide 2026";
    // A guest booking, then someone signs up with that address and signs in.
    book(&email, 5);
    let created = post(
        "garage.localhost",
        "/api/v1/comptes",
        &json!({ "email": email, "mot_de_passe": mdp, "nom": "Camille Invitée" }),
        None,
    );
    assert_eq!(created.status, 202, "{}", created.text());
    let signed_in = post(
        "coach.localhost",
        "/api/v1/sessions",
        &json!({ "email": email, "mot_de_passe": mdp }),
        None,
    );
    assert_eq!(signed_in.status, 200, "{}", signed_in.text());
    assert_eq!(signed_in.json()["compte"]["email_verifie"], false);
    let token = signed_in.json()["token"].as_str().unwrap().to_owned();
    assert_eq!(
        bookings_of(&token),
        0,
        "the guest's booking shows before the address is proved"
    );
    // The scheduled job sends the address check to the mail stand-in; its link proves
    // the address and the booking shows.
    scheduled();
    let sent = wait_for(&email, "verification_email:", 1);
    assert_eq!(
        sent.len(),
        1,
        "the verification e-mail reached the mail sink"
    );
    let text = sent[0]["text"].as_str().unwrap_or_default();
    // On the site the sign-up came from (garage), whatever port wrangler listens on.
    let lien = text
        .split_whitespace()
        .find(|w| {
            w.starts_with("http://garage.localhost:") && w.contains("/compte/verifier?jeton=")
        })
        .unwrap_or_else(|| panic!("no link in {text}"));
    let jeton = lien.rsplit('=').next().unwrap();
    // Opening the link (as a mail scanner would) uses nothing: its secret leaves the
    // address for a cookie on that page.
    let page = server()
        .get(
            "garage.localhost",
            &format!("/compte/verifier?jeton={jeton}"),
        )
        .unwrap();
    assert_eq!(page.status, 303, "{}", page.text());
    assert_eq!(page.header("location"), Some("/compte/verifier"));
    assert_eq!(bookings_of(&token), 0);
    let verified = post(
        "coach.localhost",
        "/api/v1/moi/verification",
        &json!({ "jeton": jeton }),
        Some(&token),
    );
    assert_eq!(verified.status, 200, "{}", verified.text());
    assert_eq!(verified.json()["email_verifie"], true);
    assert_eq!(bookings_of(&token), 1);
    // Single use.
    let again = post(
        "coach.localhost",
        "/api/v1/moi/verification",
        &json!({ "jeton": jeton }),
        Some(&token),
    );
    assert_eq!(again.status, 400, "{}", again.text());
}
