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
    assert_eq!(created.status, 201, "{}", created.text());
    let token = created.json()["token"].as_str().unwrap().to_owned();
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
