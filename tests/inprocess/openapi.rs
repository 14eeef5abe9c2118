//! The OpenAPI description stays true: every API route is described, every described
//! path exists, and real responses match the documented shapes.

use booking_functions::http::{Method, Request};
use booking_functions::router::routes;
use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

use crate::api_reservations::{coach_body, first_slot, RESERVER};
use crate::comptes::{admin, avec_bearer, client, jeton, pro, COACH};

/// The description, a static file that the platform serves before the Worker runs.
pub const OPENAPI: &str = include_str!("../../templates/public/api/v1/openapi.json");

/// Where the platform serves [`OPENAPI`]; no route of the Worker answers it.
pub const CHEMIN_OPENAPI: &str = "/api/v1/openapi.json";

pub fn document() -> Value {
    serde_json::from_str(OPENAPI).expect("openapi.json is JSON")
}

/// Routes that belong to the JSON API surface (pages and assets are HTML).
fn is_api(pattern: &str) -> bool {
    pattern.starts_with("/api/") || pattern.starts_with("/webhooks/") || pattern == "/healthz"
}

fn method_key(method: Method) -> &'static str {
    match method {
        Method::Get => "get",
        Method::Post => "post",
        Method::Put => "put",
        Method::Patch => "patch",
        Method::Delete => "delete",
        _ => "other",
    }
}

#[test]
fn every_api_route_of_the_router_is_described_and_nothing_else() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().unwrap();
    let mut routed = Vec::new();
    for route in routes().filter(|r| is_api(r.pattern)) {
        let key = method_key(route.method);
        assert!(
            paths.get(route.pattern).and_then(|p| p.get(key)).is_some(),
            "{} {} is not described in openapi.json",
            key,
            route.pattern
        );
        routed.push((route.pattern.to_owned(), key.to_owned()));
    }
    assert!(
        !routes().any(|r| r.pattern == CHEMIN_OPENAPI),
        "a route would shadow the static description"
    );
    routed.push((CHEMIN_OPENAPI.to_owned(), "get".to_owned()));
    for (path, operations) in paths {
        for method in operations.as_object().unwrap().keys() {
            assert!(
                routed.iter().any(|(p, m)| p == path && m == method),
                "{method} {path} is described but not routed"
            );
        }
    }
}

/// Validates `value` against a schema of the subset the document uses ($ref, allOf,
/// type, enum, required, properties, additionalProperties: false, items, minimum).
pub fn validate(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let target = doc
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling {reference}"));
        return validate(doc, target, value, at);
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            errors.extend(validate(doc, s, value, at));
        }
    }
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let actual = match value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        let ok = allowed.contains(&actual) || (actual == "integer" && allowed.contains(&"number"));
        if !ok {
            errors.push(format!("{at}: {actual} instead of {allowed:?}"));
            return errors;
        }
    }
    if let Some(choices) = schema.get("enum").and_then(Value::as_array) {
        if !choices.contains(value) {
            errors.push(format!("{at}: {value} not in {choices:?}"));
        }
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
        if value.as_f64().is_some_and(|v| v < min) {
            errors.push(format!("{at}: {value} < {min}"));
        }
    }
    if let Value::Object(object) = value {
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = name.as_str().unwrap_or("");
            if !object.contains_key(name) {
                errors.push(format!("{at}: missing {name}"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, v) in object {
            match properties.and_then(|p| p.get(key)) {
                Some(s) => errors.extend(validate(doc, s, v, &format!("{at}.{key}"))),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{at}: unexpected {key}"))
                }
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(s)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            errors.extend(validate(doc, s, item, &format!("{at}[{i}]")));
        }
    }
    errors
}

/// Checks a real response against what the document says for that path, method and status.
fn conforms(
    doc: &Value,
    pattern: &str,
    method: &str,
    response: &booking_functions::http::Response,
) {
    let status = response.status.to_string();
    let operation = &doc["paths"][pattern][method];
    let mut documented = operation["responses"][status.as_str()].clone();
    assert!(
        !documented.is_null(),
        "{method} {pattern} answered {status}, which is not documented"
    );
    if let Some(reference) = documented.get("$ref").and_then(Value::as_str) {
        documented = doc
            .pointer(reference.trim_start_matches('#'))
            .cloned()
            .unwrap_or(Value::Null);
    }
    let content_type = response
        .header("content-type")
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .to_owned();
    let schema = &documented["content"][content_type.as_str()]["schema"];
    assert!(
        !schema.is_null(),
        "{method} {pattern} {status}: content type {content_type} not documented"
    );
    let errors = validate(doc, schema, &json(response), "$");
    assert!(
        errors.is_empty(),
        "{method} {pattern} {status}: {errors:#?}"
    );
}

#[test]
fn real_responses_match_the_documented_shapes() {
    let doc = document();
    let app = TestApp::spawn().with_demo_data();
    let base = "http://coach.localhost:8787";
    conforms(
        &doc,
        "/healthz",
        "get",
        &app.get(&format!("{base}/healthz")),
    );
    conforms(
        &doc,
        "/api/v1/professionnels",
        "get",
        &app.get(&format!("{base}/api/v1/professionnels")),
    );
    conforms(
        &doc,
        "/api/v1/professionnels",
        "get",
        &app.get(&format!("{base}/api/v1/professionnels?page=0")),
    );
    conforms(
        &doc,
        "/api/v1/professionnels/{slug}",
        "get",
        &app.get(&format!("{base}/api/v1/professionnels/claire-fontaine")),
    );
    conforms(
        &doc,
        "/api/v1/professionnels/{slug}",
        "get",
        &app.get(&format!("{base}/api/v1/professionnels/personne")),
    );
    let creneaux = format!("{base}/api/v1/professionnels/claire-fontaine/creneaux");
    conforms(
        &doc,
        "/api/v1/professionnels/{slug}/creneaux",
        "get",
        &app.get(&format!("{creneaux}?service=1012")),
    );
    conforms(
        &doc,
        "/api/v1/professionnels/{slug}/creneaux",
        "get",
        &app.get(&format!("{creneaux}?service=x")),
    );

    let debut = first_slot(&app);
    let created = app.post_json(RESERVER, &coach_body(&debut));
    conforms(&doc, "/api/v1/reservations", "post", &created);
    let conflict = app.post_json(RESERVER, &coach_body(&debut));
    conforms(&doc, "/api/v1/reservations", "post", &conflict);
    conforms(
        &doc,
        "/api/v1/reservations",
        "post",
        &app.post(RESERVER, "application/json", "{"),
    );
    conforms(
        &doc,
        "/api/v1/reservations",
        "post",
        &app.post(RESERVER, "text/plain", "x"),
    );
    let mut invalid = coach_body(&debut);
    invalid["email"] = j!("x");
    conforms(
        &doc,
        "/api/v1/reservations",
        "post",
        &app.post_json(RESERVER, &invalid),
    );

    let b = json(&created);
    let id = b["id"].as_str().unwrap();
    let token = b["token"].as_str().unwrap();
    let url = format!("{base}/api/v1/reservations/{id}");
    conforms(
        &doc,
        "/api/v1/reservations/{id}",
        "get",
        &app.get_gestion(&url, token),
    );
    // The guest's request, confirmed with the secret of the e-mail's link.
    let lien = app.confirmation_link_from_email(id);
    let secret = lien.rsplit('=').next().unwrap();
    let confirmer = format!("{url}/confirmer");
    for (corps, attendu) in [
        (j!({ "token": token }), 404),
        (j!({ "token": secret }), 200),
        (j!({ "token": secret }), 409),
        (j!({ "jeton": secret }), 422),
    ] {
        let r = app.post_json(&confirmer, &corps);
        assert_eq!(r.status, attendu, "{}", r.text());
        conforms(&doc, "/api/v1/reservations/{id}/confirmer", "post", &r);
    }
    conforms(
        &doc,
        "/api/v1/reservations/{id}",
        "get",
        &app.get_gestion(&url, "faux"),
    );
    let dans_l_adresse = app.get(&format!("{url}?token={token}"));
    assert_eq!(dans_l_adresse.status, 401);
    conforms(&doc, "/api/v1/reservations/{id}", "get", &dans_l_adresse);
    let sans = app.post_json(&format!("{url}/annuler"), &j!({}));
    assert_eq!(sans.status, 401);
    conforms(&doc, "/api/v1/reservations/{id}/annuler", "post", &sans);
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
    conforms(
        &doc,
        "/api/v1/reservations/{id}/deplacer",
        "post",
        &app.post_json(
            &format!("{url}/deplacer"),
            &j!({ "token": token, "debut": target }),
        ),
    );
    conforms(
        &doc,
        "/api/v1/reservations/{id}/annuler",
        "post",
        &app.post_json(&format!("{url}/annuler"), &j!({ "token": token })),
    );
    conforms(
        &doc,
        "/api/v1/reservations/{id}/annuler",
        "post",
        &app.post_json(&format!("{url}/annuler"), &j!({ "token": token })),
    );
    // A limit's refusal: 429 with the documented Retry-After.
    let refus = (0..8)
        .map(|_| app.post_json(RESERVER, &coach_body(&first_slot(&app))))
        .find(|r| r.status == 429)
        .expect("a 429 once one e-mail holds too many requests at one professional");
    conforms(&doc, "/api/v1/reservations", "post", &refus);
    let reponse = doc
        .pointer("/components/responses/TropDeReservations")
        .unwrap();
    assert!(reponse["headers"]["Retry-After"].is_object());
    assert!(refus.header("retry-after").is_some());
}

#[test]
fn the_shape_check_catches_a_wrong_type_a_missing_field_and_an_unknown_value() {
    let doc = document();
    let schema = j!({ "$ref": "#/components/schemas/Reservation" });
    let app = TestApp::spawn().with_demo_data();
    let created = json(&app.post_json(RESERVER, &coach_body(&first_slot(&app))));
    assert!(validate(&doc, &schema, &created, "$").is_empty());
    let mut wrong = created.clone();
    wrong["prix_centimes"] = j!("89,00 €");
    wrong["statut"] = j!("en_cours");
    wrong.as_object_mut().unwrap().remove("fin");
    let errors = validate(&doc, &schema, &wrong, "$");
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

/// A request with a Bearer token and a body of any content type.
fn avec_bearer_brut(
    app: &TestApp,
    url: &str,
    token: &str,
    content_type: &str,
    body: &str,
) -> booking_functions::http::Response {
    let mut r = Request::new(Method::Post, url);
    r.headers
        .push(("authorization".into(), format!("Bearer {token}")));
    r.headers.push(("content-type".into(), content_type.into()));
    r.body = body.as_bytes().to_vec();
    app.send(r)
}

#[test]
fn account_responses_match_the_documented_shapes() {
    let doc = document();
    let app = TestApp::spawn().with_demo_data();
    let comptes = format!("{COACH}/api/v1/comptes");
    let sessions = format!("{COACH}/api/v1/sessions");
    let mdp = "bonjour2026!";

    // A guest booking first: attached to the account once its address is confirmed.
    let reservee = app.post_json(RESERVER, &{
        let mut b = coach_body(&first_slot(&app));
        b["email"] = j!("alice@exemple.fr");
        b
    });
    assert_eq!(reservee.status, 201, "{}", reservee.text());
    let inscrit = app.post_json(
        &comptes,
        &j!({ "nom": "Alice Martin", "email": "alice@exemple.fr", "telephone": "06 12 34 56 78", "mot_de_passe": mdp }),
    );
    assert_eq!(inscrit.status, 202, "{}", inscrit.text());
    conforms(&doc, "/api/v1/comptes", "post", &inscrit);
    let pro_inscrit = app.post_json(
        &comptes,
        &j!({ "role": "pro", "nom": "Paul Coach", "email": "paul@exemple.fr", "mot_de_passe": mdp, "ville": "Lyon", "region": "Auvergne-Rhône-Alpes" }),
    );
    assert_eq!(pro_inscrit.status, 202, "{}", pro_inscrit.text());
    conforms(&doc, "/api/v1/comptes", "post", &pro_inscrit);
    let invalide = app.post_json(
        &comptes,
        &j!({ "role": "pro", "email": "x", "mot_de_passe": "court" }),
    );
    assert_eq!(invalide.status, 422);
    conforms(&doc, "/api/v1/comptes", "post", &invalide);
    let deja = app.post_json(
        &comptes,
        &j!({ "nom": "Alice", "email": "alice@exemple.fr", "mot_de_passe": mdp }),
    );
    assert_eq!(deja.status, 202, "the same answer as for a new address");
    conforms(&doc, "/api/v1/comptes", "post", &deja);
    for r in [
        app.post(&comptes, "application/json", "{"),
        app.post(&comptes, "text/plain", "x"),
        app.post_json(&comptes, &j!({ "nom": 3 })),
        app.post_json(&comptes, &j!({ "inconnu": "x" })),
        app.post_json("http://localhost:8787/api/v1/comptes", &j!({})),
    ] {
        conforms(&doc, "/api/v1/comptes", "post", &r);
    }
    // Ten sign-up attempts per IP and hour (four so far): the eleventh is refused.
    let essais: Vec<_> = (0..7)
        .map(|_| app.post_json(&comptes, &j!({ "email": "x", "mot_de_passe": "court" })))
        .collect();
    assert_eq!(essais[5].status, 422);
    assert_eq!(essais[6].status, 429, "{}", essais[6].text());
    assert!(essais[6].header("retry-after").is_some());
    conforms(&doc, "/api/v1/comptes", "post", &essais[6]);

    let connecte = app.post_json(
        &sessions,
        &j!({ "email": "alice@exemple.fr", "mot_de_passe": mdp }),
    );
    assert_eq!(connecte.status, 200, "{}", connecte.text());
    conforms(&doc, "/api/v1/sessions", "post", &connecte);
    let refuse = app.post_json(
        &sessions,
        &j!({ "email": "alice@exemple.fr", "mot_de_passe": "pas-le-bon-1" }),
    );
    assert_eq!(refuse.status, 401);
    conforms(&doc, "/api/v1/sessions", "post", &refuse);
    conforms(
        &doc,
        "/api/v1/sessions",
        "post",
        &app.post_json(&sessions, &j!({ "email": 3 })),
    );

    let token = json(&connecte)["token"].as_str().unwrap().to_owned();
    let moi = avec_bearer(
        &app,
        Method::Get,
        &format!("{COACH}/api/v1/moi"),
        &token,
        None,
    );
    assert_eq!(moi.status, 200);
    conforms(&doc, "/api/v1/moi", "get", &moi);
    let anonyme = app.get(&format!("{COACH}/api/v1/moi"));
    assert_eq!(anonyme.status, 401);
    assert_eq!(anonyme.header("www-authenticate"), Some("Bearer"));
    conforms(&doc, "/api/v1/moi", "get", &anonyme);
    conforms(
        &doc,
        "/api/v1/moi",
        "get",
        &avec_bearer(
            &app,
            Method::Get,
            &format!("{COACH}/api/v1/moi"),
            "faux",
            None,
        ),
    );

    let moi_reservations = format!("{COACH}/api/v1/moi/reservations");
    let mes = avec_bearer(&app, Method::Get, &moi_reservations, &token, None);
    assert_eq!(mes.status, 200);
    assert_eq!(
        json(&mes)["reservations"].as_array().unwrap().len(),
        0,
        "not before the address is confirmed"
    );
    conforms(&doc, "/api/v1/moi/reservations", "get", &mes);

    // The address check: a wrong link, then the e-mailed one; resending once done.
    let verification = format!("{COACH}/api/v1/moi/verification");
    let faux_lien = avec_bearer(
        &app,
        Method::Post,
        &verification,
        &token,
        Some(&j!({ "jeton": "0".repeat(32) })),
    );
    assert_eq!(faux_lien.status, 400);
    conforms(&doc, "/api/v1/moi/verification", "post", &faux_lien);
    for r in [
        app.post_json(&verification, &j!({ "jeton": "x" })),
        avec_bearer(&app, Method::Post, &verification, &token, Some(&j!({}))),
        avec_bearer_brut(&app, &verification, &token, "text/plain", "x"),
    ] {
        conforms(&doc, "/api/v1/moi/verification", "post", &r);
    }
    let lien = crate::comptes::lien_du_courriel(&app, "verification_email", "alice@exemple.fr");
    let verifie = avec_bearer(
        &app,
        Method::Post,
        &verification,
        &token,
        Some(&j!({ "jeton": lien.rsplit('=').next().unwrap() })),
    );
    assert_eq!(verifie.status, 200, "{}", verifie.text());
    conforms(&doc, "/api/v1/moi/verification", "post", &verifie);
    let mes = avec_bearer(&app, Method::Get, &moi_reservations, &token, None);
    assert_eq!(json(&mes)["reservations"].as_array().unwrap().len(), 1);
    conforms(&doc, "/api/v1/moi/reservations", "get", &mes);
    let renvoi = format!("{COACH}/api/v1/moi/verification/renvoi");
    let deja_faite = avec_bearer(&app, Method::Post, &renvoi, &token, None);
    assert_eq!(deja_faite.status, 200);
    conforms(&doc, "/api/v1/moi/verification/renvoi", "post", &deja_faite);
    conforms(
        &doc,
        "/api/v1/moi/verification/renvoi",
        "post",
        &app.post_json(&renvoi, &j!({})),
    );
    let paul = json(&app.post_json(
        &sessions,
        &j!({ "email": "paul@exemple.fr", "mot_de_passe": mdp }),
    ))["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let renvois: Vec<_> = (0..4)
        .map(|_| avec_bearer(&app, Method::Post, &renvoi, &paul, None))
        .collect();
    assert_eq!(renvois[0].status, 202);
    assert_eq!(renvois[3].status, 429);
    assert!(renvois[3].header("retry-after").is_some());
    for r in &renvois {
        conforms(&doc, "/api/v1/moi/verification/renvoi", "post", r);
    }
    conforms(
        &doc,
        "/api/v1/moi/reservations",
        "get",
        &app.get(&format!("{COACH}/api/v1/moi/reservations")),
    );

    let changer = format!("{COACH}/api/v1/moi/mot-de-passe");
    let faux = avec_bearer(
        &app,
        Method::Post,
        &changer,
        &token,
        Some(&j!({ "actuel": "pas-le-bon-1", "mot_de_passe": "x" })),
    );
    assert_eq!(faux.status, 422);
    conforms(&doc, "/api/v1/moi/mot-de-passe", "post", &faux);
    let change = avec_bearer(
        &app,
        Method::Post,
        &changer,
        &token,
        Some(&j!({ "actuel": mdp, "mot_de_passe": "nouveau2026!" })),
    );
    assert_eq!(change.status, 200, "{}", change.text());
    conforms(&doc, "/api/v1/moi/mot-de-passe", "post", &change);
    conforms(
        &doc,
        "/api/v1/moi/mot-de-passe",
        "post",
        &avec_bearer(&app, Method::Post, &changer, &token, Some(&j!({}))),
    );
    let token = json(&change)["token"].as_str().unwrap().to_owned();
    let fin = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/sessions/fin"),
        &token,
        None,
    );
    assert_eq!(fin.status, 204);
    conforms(
        &doc,
        "/api/v1/sessions/fin",
        "post",
        &avec_bearer(
            &app,
            Method::Post,
            &format!("{COACH}/api/v1/sessions/fin"),
            &token,
            None,
        ),
    );

    let oubli = format!("{COACH}/api/v1/comptes/mot-de-passe-oublie");
    let accepte = app.post_json(&oubli, &j!({ "email": "alice@exemple.fr" }));
    assert_eq!(accepte.status, 202);
    conforms(
        &doc,
        "/api/v1/comptes/mot-de-passe-oublie",
        "post",
        &accepte,
    );
    conforms(
        &doc,
        "/api/v1/comptes/mot-de-passe-oublie",
        "post",
        &app.post_json(&oubli, &j!({ "email": "x" })),
    );
    let mut limite = None;
    for _ in 0..30 {
        let r = app.post_json(&oubli, &j!({ "email": "cible@exemple.fr" }));
        if r.status == 429 {
            limite = Some(r);
            break;
        }
        conforms(&doc, "/api/v1/comptes/mot-de-passe-oublie", "post", &r);
    }
    let limite = limite.expect("reset requests are rate-limited");
    assert!(limite.header("retry-after").is_some());
    conforms(&doc, "/api/v1/comptes/mot-de-passe-oublie", "post", &limite);
    conforms(
        &doc,
        "/api/v1/comptes/reinitialiser",
        "post",
        &app.post_json(
            &format!("{COACH}/api/v1/comptes/reinitialiser"),
            &j!({ "jeton": "0".repeat(32), "mot_de_passe": "nouveau2026!" }),
        ),
    );
    conforms(
        &doc,
        "/api/v1/comptes/reinitialiser",
        "post",
        &app.post_json(
            &format!("{COACH}/api/v1/comptes/reinitialiser"),
            &j!({ "jeton": "0".repeat(32), "mot_de_passe": "court" }),
        ),
    );
}

#[test]
fn professional_space_responses_match_the_documented_shapes() {
    let doc = document();
    let app = TestApp::spawn().with_demo_data();
    let (_, user_id) = pro(&app, "claire-fontaine");
    let token = jeton(&app, user_id);
    let client_token = jeton(&app, client(&app, "client@exemple.fr"));
    let url = |p: &str| format!("{COACH}{p}");
    let get = |p: &str, t: &str| avec_bearer(&app, Method::Get, &url(p), t, None);
    let post =
        |p: &str, body: Option<&Value>| avec_bearer(&app, Method::Post, &url(p), &token, body);

    for (pattern, path) in [
        ("/api/v1/pro/profil", "/api/v1/pro/profil"),
        ("/api/v1/pro/services", "/api/v1/pro/services"),
        ("/api/v1/pro/horaires", "/api/v1/pro/horaires"),
        ("/api/v1/pro/agenda", "/api/v1/pro/agenda"),
    ] {
        let r = get(path, &token);
        assert_eq!(r.status, 200, "{path}: {}", r.text());
        conforms(&doc, pattern, "get", &r);
        let r = get(path, &client_token);
        assert_eq!(r.status, 403);
        conforms(&doc, pattern, "get", &r);
        conforms(&doc, pattern, "get", &app.get(&url(path)));
    }
    conforms(
        &doc,
        "/api/v1/pro/agenda",
        "get",
        &get("/api/v1/pro/agenda?du=2026-12-10&au=2026-12-01", &token),
    );
    let illisible = get("/api/v1/pro/agenda?du=hier", &token);
    assert_eq!(illisible.status, 422);
    conforms(&doc, "/api/v1/pro/agenda", "get", &illisible);

    let profil = post(
        "/api/v1/pro/profil",
        Some(
            &j!({ "bio": "Coach sportive.", "ville": "Lyon", "region": "Auvergne-Rhône-Alpes", "prix_min": 4000, "prix_max": 9050, "public": true }),
        ),
    );
    assert_eq!(profil.status, 200, "{}", profil.text());
    conforms(&doc, "/api/v1/pro/profil", "post", &profil);
    let invalide = post("/api/v1/pro/profil", Some(&j!({ "ville": "" })));
    assert_eq!(invalide.status, 422);
    conforms(&doc, "/api/v1/pro/profil", "post", &invalide);
    let mal_type = post("/api/v1/pro/profil", Some(&j!({ "public": "on" })));
    assert_eq!(mal_type.status, 422);
    conforms(&doc, "/api/v1/pro/profil", "post", &mal_type);
    let texte = avec_bearer_brut(&app, &url("/api/v1/pro/profil"), &token, "text/plain", "x");
    assert_eq!(texte.status, 415);
    conforms(&doc, "/api/v1/pro/profil", "post", &texte);
    conforms(
        &doc,
        "/api/v1/pro/profil",
        "post",
        &avec_bearer_brut(
            &app,
            &url("/api/v1/pro/profil"),
            &token,
            "application/json",
            "[1",
        ),
    );

    let cree = post(
        "/api/v1/pro/services",
        Some(
            &j!({ "nom": "Atelier", "duree_minutes": 90, "prix_centimes": 12000, "acompte_centimes": 3000 }),
        ),
    );
    assert_eq!(cree.status, 201, "{}", cree.text());
    conforms(&doc, "/api/v1/pro/services", "post", &cree);
    let refuse = post(
        "/api/v1/pro/services",
        Some(&j!({ "nom": "", "duree_minutes": 7, "prix_centimes": 1000 })),
    );
    assert_eq!(refuse.status, 422);
    conforms(&doc, "/api/v1/pro/services", "post", &refuse);
    let sid = json(&cree)["id"].as_i64().unwrap();
    let r = post(
        &format!("/api/v1/pro/services/{sid}"),
        Some(&j!({ "nom": "Atelier collectif", "duree_minutes": 95, "prix_centimes": 12000 })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["id"], sid);
    conforms(&doc, "/api/v1/pro/services/{id}", "post", &r);
    conforms(
        &doc,
        "/api/v1/pro/services/{id}",
        "post",
        &post(
            "/api/v1/pro/services/999999",
            Some(&j!({ "nom": "X", "duree_minutes": 30, "prix_centimes": 1000 })),
        ),
    );
    let r = post(&format!("/api/v1/pro/services/{sid}/retirer"), None);
    assert_eq!(r.status, 200);
    assert_eq!(json(&r)["id"], sid);
    conforms(&doc, "/api/v1/pro/services/{id}/retirer", "post", &r);
    conforms(
        &doc,
        "/api/v1/pro/services/{id}/retirer",
        "post",
        &post("/api/v1/pro/services/abc/retirer", None),
    );
    let r = get("/api/v1/pro/services", &token);
    assert!(json(&r)["services"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["actif"] == false));
    conforms(&doc, "/api/v1/pro/services", "get", &r);

    let r = post(
        "/api/v1/pro/horaires",
        Some(&j!({ "lundi": "08:00-12:00, 14:00-18:00", "mardi": "09:00-17:00" })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    conforms(&doc, "/api/v1/pro/horaires", "post", &r);
    conforms(
        &doc,
        "/api/v1/pro/horaires",
        "post",
        &post(
            "/api/v1/pro/horaires",
            Some(&j!({ "lundi": "12:00-08:00" })),
        ),
    );
    let r = post(
        "/api/v1/pro/ouvertures",
        Some(&j!({ "date": "2026-12-20", "heure_debut": "10:00", "heure_fin": "11:00" })),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    conforms(&doc, "/api/v1/pro/ouvertures", "post", &r);
    let oid = json(&r)["id"].as_i64().unwrap();
    conforms(
        &doc,
        "/api/v1/pro/ouvertures",
        "post",
        &post("/api/v1/pro/ouvertures", Some(&j!({ "date": "demain" }))),
    );
    let r = post(
        "/api/v1/pro/absences",
        Some(&j!({ "type": "jours", "du": "2026-12-30", "au": "2026-12-31", "motif": "Congés" })),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    conforms(&doc, "/api/v1/pro/absences", "post", &r);
    let aid = json(&r)["id"].as_i64().unwrap();
    conforms(
        &doc,
        "/api/v1/pro/absences",
        "post",
        &post(
            "/api/v1/pro/absences",
            Some(
                &j!({ "type": "periode", "debut": "2026-12-01T10:00", "fin": "2026-12-01T12:00" }),
            ),
        ),
    );
    conforms(
        &doc,
        "/api/v1/pro/absences",
        "post",
        &post("/api/v1/pro/absences", Some(&j!({ "type": "periode" }))),
    );
    let r = get("/api/v1/pro/horaires", &token);
    conforms(&doc, "/api/v1/pro/horaires", "get", &r);
    for (pattern, path) in [
        (
            "/api/v1/pro/ouvertures/{id}/supprimer",
            format!("/api/v1/pro/ouvertures/{oid}/supprimer"),
        ),
        (
            "/api/v1/pro/absences/{id}/supprimer",
            format!("/api/v1/pro/absences/{aid}/supprimer"),
        ),
    ] {
        let r = post(&path, None);
        assert_eq!(r.status, 200);
        conforms(&doc, pattern, "post", &r);
        let r = post(&path, None);
        assert_eq!(r.status, 404);
        conforms(&doc, pattern, "post", &r);
    }

    let reservee = app.post_json(RESERVER, &coach_body(&first_slot(&app)));
    let rid = json(&reservee)["id"].as_str().unwrap().to_owned();
    let agir =
        |a: &str, body: &Value| post(&format!("/api/v1/pro/reservations/{rid}/{a}"), Some(body));
    let pattern = "/api/v1/pro/reservations/{id}/{action}";
    let trop_tot = agir("terminer", &j!({}));
    assert_eq!(trop_tot.status, 409);
    conforms(&doc, pattern, "post", &trop_tot);
    let sans_corps = post(&format!("/api/v1/pro/reservations/{rid}/terminer"), None);
    assert_eq!(sans_corps.status, 409, "an empty body is accepted");
    conforms(&doc, pattern, "post", &sans_corps);
    conforms(&doc, pattern, "post", &agir("danser", &j!({})));
    conforms(&doc, pattern, "post", &agir("annuler", &j!({})));
    let annulee = agir("annuler", &j!({ "motif": "Empêchement" }));
    assert_eq!(annulee.status, 200, "{}", annulee.text());
    assert!(json(&annulee)["remboursement"].is_object());
    conforms(&doc, pattern, "post", &annulee);
    let agenda = get("/api/v1/pro/agenda?du=2026-11-01&au=2026-12-31", &token);
    assert!(!json(&agenda)["reservations"].as_array().unwrap().is_empty());
    conforms(&doc, "/api/v1/pro/agenda", "get", &agenda);

    let r = post("/api/v1/pro/calendrier", None);
    assert_eq!(r.status, 201);
    conforms(&doc, "/api/v1/pro/calendrier", "post", &r);
    let r = post("/api/v1/pro/calendrier/revoquer", None);
    assert_eq!(r.status, 200);
    conforms(&doc, "/api/v1/pro/calendrier/revoquer", "post", &r);
    conforms(
        &doc,
        "/api/v1/pro/calendrier/revoquer",
        "post",
        &avec_bearer(
            &app,
            Method::Post,
            &url("/api/v1/pro/calendrier/revoquer"),
            &client_token,
            None,
        ),
    );
}

#[test]
fn admin_and_webhook_responses_match_the_documented_shapes() {
    let doc = document();
    let app = TestApp::spawn().with_demo_data();
    let token = jeton(&app, admin(&app));
    let client_token = jeton(&app, client(&app, "client@exemple.fr"));
    let url = |p: &str| format!("http://localhost:8787{p}");
    let get = |p: &str, t: &str| avec_bearer(&app, Method::Get, &url(p), t, None);

    let r = get("/api/v1/admin/professionnels?vertical=coach", &token);
    assert_eq!(r.status, 200);
    conforms(&doc, "/api/v1/admin/professionnels", "get", &r);
    let r = get("/api/v1/admin/professionnels", &client_token);
    assert_eq!(r.status, 403);
    conforms(&doc, "/api/v1/admin/professionnels", "get", &r);
    conforms(
        &doc,
        "/api/v1/admin/professionnels",
        "get",
        &app.get(&url("/api/v1/admin/professionnels")),
    );

    app.post_json(RESERVER, &coach_body(&first_slot(&app)));
    let r = get("/api/v1/admin/reservations?limite=5", &token);
    assert_eq!(r.status, 200);
    assert!(!json(&r)["reservations"].as_array().unwrap().is_empty());
    conforms(&doc, "/api/v1/admin/reservations", "get", &r);
    conforms(
        &doc,
        "/api/v1/admin/reservations",
        "get",
        &get("/api/v1/admin/reservations", &client_token),
    );

    let id = app
        .db
        .scalar("SELECT id FROM professionnels WHERE slug = 'claire-fontaine'");
    for (pattern, action) in [
        ("/api/v1/admin/professionnels/{id}/depublier", "depublier"),
        ("/api/v1/admin/professionnels/{id}/publier", "publier"),
    ] {
        let r = avec_bearer(
            &app,
            Method::Post,
            &url(&format!("/api/v1/admin/professionnels/{id}/{action}")),
            &token,
            None,
        );
        assert_eq!(r.status, 200);
        conforms(&doc, pattern, "post", &r);
        let r = avec_bearer(
            &app,
            Method::Post,
            &url(&format!("/api/v1/admin/professionnels/999999/{action}")),
            &token,
            None,
        );
        assert_eq!(r.status, 404);
        conforms(&doc, pattern, "post", &r);
    }

    let pattern = "/api/v1/admin/verticaux/{slug}";
    let document_coach = get("/api/v1/admin/verticaux/coach", &token);
    assert_eq!(document_coach.status, 200);
    conforms(&doc, pattern, "get", &document_coach);
    conforms(
        &doc,
        pattern,
        "get",
        &get("/api/v1/admin/verticaux/inconnu", &token),
    );
    let modifier = url("/api/v1/admin/verticaux/coach");
    let r = avec_bearer_brut(
        &app,
        &modifier,
        &token,
        "application/json",
        &document_coach.text(),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    conforms(&doc, pattern, "post", &r);
    let r = avec_bearer_brut(
        &app,
        &modifier,
        &token,
        "application/json",
        "{\"slug\": \"coach\"}",
    );
    assert_eq!(r.status, 422);
    conforms(&doc, pattern, "post", &r);
    let r = avec_bearer_brut(&app, &modifier, &token, "application/json", "{\"slug\":");
    assert_eq!(r.status, 400);
    conforms(&doc, pattern, "post", &r);
    let r = avec_bearer_brut(&app, &modifier, &token, "text/plain", "x");
    assert_eq!(r.status, 415);
    conforms(&doc, pattern, "post", &r);
    conforms(
        &doc,
        pattern,
        "post",
        &avec_bearer_brut(&app, &modifier, &client_token, "application/json", "{}"),
    );

    for signature in [None, Some("t=1,v1=00")] {
        let mut req = Request::new(Method::Post, "http://localhost:8787/webhooks/stripe");
        req.headers
            .push(("content-type".into(), "application/json".into()));
        if let Some(s) = signature {
            req.headers.push(("stripe-signature".into(), s.into()));
        }
        req.body =
            br#"{"id":"evt_1","type":"checkout.session.completed","data":{"object":{}}}"#.to_vec();
        let r = app.send(req);
        assert_eq!(r.status, 400);
        conforms(&doc, "/webhooks/stripe", "post", &r);
    }
    // A signed event about a session the platform never created: 200, an anomaly.
    let corps = j!({ "id": "evt_doc", "type": "checkout.session.completed", "data": { "object": {
        "id": "cs_inconnue", "payment_status": "paid", "amount_total": 100, "currency": "eur" } } })
    .to_string();
    let mut req = Request::new(Method::Post, "http://localhost:8787/webhooks/stripe");
    req.headers
        .push(("content-type".into(), "application/json".into()));
    req.headers.push((
        "stripe-signature".into(),
        booking_shared::stripe::signer(
            corps.as_bytes(),
            app.settings.stripe_webhook_secret.expose(),
            booking_shared::ports::Clock::now(&app.clock).timestamp(),
        ),
    ));
    req.body = corps.into_bytes();
    let r = app.send(req);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["raison"], "session_inconnue");
    conforms(&doc, "/webhooks/stripe", "post", &r);
}

#[test]
fn a_body_that_is_not_json_or_too_large_on_annuler_and_deplacer_is_a_documented_400_or_413() {
    let doc = document();
    let app = TestApp::spawn().with_demo_data();
    let created = json(&app.post_json(RESERVER, &coach_body(&first_slot(&app))));
    let url = format!(
        "http://coach.localhost:8787/api/v1/reservations/{}",
        created["id"].as_str().unwrap()
    );
    let trop = format!(
        "{{\"motif\":\"{}\"}}",
        "a".repeat(booking_functions::app::CORPS_MAX)
    );
    for action in ["annuler", "deplacer"] {
        let pattern = format!("/api/v1/reservations/{{id}}/{action}");
        for (corps, attendu) in [
            ("{", 400),
            ("[1]", 400),
            ("\"x\"", 400),
            (trop.as_str(), 413),
        ] {
            let r = app.post(&format!("{url}/{action}"), "application/json", corps);
            assert_eq!(r.status, attendu, "{action}: {}", r.text());
            conforms(&doc, &pattern, "post", &r);
        }
    }
}
