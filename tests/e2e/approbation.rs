//! Approval on the real Worker: a professional who signs up and makes their profile public
//! is not listed until the admin approves them through the API.

use booking_tests::wrangler::{server, HttpResponse};
use serde_json::{json, Value};

fn appel(methode: &str, path: &str, body: Option<&Value>, bearer: Option<&str>) -> HttpResponse {
    let auth = bearer.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(a) = auth.as_deref() {
        headers.push(("authorization", a));
    }
    let corps = body.map(Value::to_string).unwrap_or_default();
    server()
        .request(methode, "coach.localhost", path, &headers, corps.as_bytes())
        .expect("an answer")
}

fn connexion(email: &str, mot_de_passe: &str) -> String {
    let r = appel(
        "POST",
        "/api/v1/sessions",
        Some(&json!({ "email": email, "mot_de_passe": mot_de_passe })),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["token"].as_str().expect("a token").to_owned()
}

fn liste(nom: &str) -> bool {
    let r = appel(
        "GET",
        &format!("/api/v1/professionnels?q={}", nom.replace(' ', "%20")),
        None,
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.text().contains(nom)
}

#[test]
fn a_new_professional_is_listed_only_after_the_admin_approves_them_through_the_api() {
    let nom = format!("Coach Approbation {}", std::process::id());
    let email = format!("approbation.{}@exemple.fr", std::process::id());
    let mdp = "un mot de passe solide 2026";
    let r = appel(
        "POST",
        "/api/v1/comptes",
        Some(
            &json!({ "role": "pro", "nom": nom, "email": email, "mot_de_passe": mdp,
                      "ville": "Annecy", "region": "Auvergne-Rhône-Alpes" }),
        ),
        None,
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let pro = connexion(&email, mdp);
    let r = appel(
        "POST",
        "/api/v1/pro/profil",
        Some(&json!({ "public": true, "bio": "Coach à Annecy." })),
        Some(&pro),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["approbation"], "en_attente");
    let id = r.json()["id"].as_i64().expect("the profile's id");
    assert!(!liste(&nom), "public but not approved: not listed");

    let admin = connexion(
        booking_tests::demo::ADMIN,
        booking_tests::demo::MOT_DE_PASSE,
    );
    let file = appel(
        "GET",
        "/api/v1/admin/approbations?statut=en_attente",
        None,
        Some(&admin),
    );
    assert_eq!(file.status, 200, "{}", file.text());
    assert!(file.text().contains(&nom));
    // The professional cannot do it themselves.
    let chemin = format!("/api/v1/admin/professionnels/{id}/approbation");
    let r = appel(
        "POST",
        &chemin,
        Some(&json!({ "statut": "approuve" })),
        Some(&pro),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert!(!liste(&nom));
    let r = appel(
        "POST",
        &chemin,
        Some(&json!({ "statut": "approuve" })),
        Some(&admin),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["approbation"], "approuve");
    assert!(liste(&nom), "approved and public: listed");
}
