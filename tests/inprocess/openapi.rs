//! The OpenAPI description stays true: every API route is described, every described
//! path exists, and real responses match the documented shapes.

use booking_functions::http::Method;
use booking_functions::router::routes;
use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

use crate::api_reservations::{coach_body, first_slot, RESERVER};

fn document() -> Value {
    serde_json::from_str(booking_functions::api::OPENAPI).expect("openapi.json is JSON")
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
fn validate(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
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
        &app.get(&format!("{url}?token={token}")),
    );
    conforms(
        &doc,
        "/api/v1/reservations/{id}",
        "get",
        &app.get(&format!("{url}?token=faux")),
    );
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
}

#[test]
fn the_description_is_served() {
    let app = TestApp::spawn();
    let r = app.get("http://garage.localhost/api/v1/openapi.json");
    assert_eq!(r.status, 200);
    assert_eq!(json(&r)["openapi"], "3.1.0");
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
