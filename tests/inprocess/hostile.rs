//! Hostile input on every route of the router: malformed and mistyped bodies, empty and
//! huge ones, odd Unicode, very long strings, SQL injection and path traversal, wrong
//! methods and content types. Never a 5xx or a panic, never a stored row, and every error
//! is problem+json (API) or an HTML page.

use booking_functions::http::{Method, Request, Response};
use booking_functions::router::routes;
use booking_tests::percent_encode;
use booking_tests::TestApp;

const HOSTILE: &[&str] = &[
    "' OR 1=1 --",
    "'); DROP TABLE reservations; --",
    "../../../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%00",
    "\u{0000}\u{202e}\u{feff}",
    "𝕳𝖊𝖑𝖑𝖔 🙂 ﷽",
    "<script>alert(1)</script>",
    "9999999999999999999999",
    "-1",
];

const TABLES: &[&str] = &[
    "reservations",
    "users",
    "avis",
    "paiements",
    "outbox",
    "stripe_events",
    "paiements_anomalies",
    "occupations",
];

fn counts(app: &TestApp) -> Vec<i64> {
    TABLES
        .iter()
        .map(|t| app.db.scalar(&format!("SELECT count(*) FROM {t}")))
        .collect()
}

/// Machine endpoints (JSON API, webhooks, calendar feeds) answer errors in problem+json;
/// everything else is a page.
fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with("/webhooks/")
        || path.starts_with("/ical/")
        || path == "/healthz"
}

fn check(response: &Response, what: &str) {
    assert!(
        response.status < 500,
        "{what}: {} {}",
        response.status,
        response.text()
    );
    if response.status >= 400 {
        let content_type = response.header("content-type").unwrap_or("");
        let path = what.split_whitespace().nth(1).unwrap_or("");
        if is_api(path) {
            assert_eq!(content_type, "application/problem+json", "{what}");
            let body: serde_json::Value =
                serde_json::from_slice(&response.body).unwrap_or_default();
            assert!(
                body["code"].is_string() && body["title"].is_string(),
                "{what}: {}",
                response.text()
            );
        } else {
            assert!(
                content_type.starts_with("text/html"),
                "{what}: {content_type}"
            );
        }
    }
}

/// The route's pattern with every parameter replaced by `value` (percent-encoded).
fn fill(pattern: &str, value: &str) -> String {
    let encoded = percent_encode(value);
    pattern
        .split('/')
        .map(|s| {
            if s.starts_with('{') {
                encoded.as_str()
            } else {
                s
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn send(app: &TestApp, method: Method, path: &str, content_type: &str, body: &[u8]) -> Response {
    let mut request = Request::new(method, &format!("http://garage.localhost:8787{path}"));
    if !content_type.is_empty() {
        request
            .headers
            .push(("content-type".into(), content_type.into()));
    }
    request.body = body.to_vec();
    app.send(request)
}

fn bodies() -> Vec<(String, Vec<u8>)> {
    let mut bodies: Vec<(String, Vec<u8>)> = vec![
        ("empty".into(), Vec::new()),
        ("truncated".into(), b"{\"nom\": ".to_vec()),
        ("null".into(), b"null".to_vec()),
        ("array".into(), b"[1,2,3]".to_vec()),
        ("not utf-8".into(), vec![0xff, 0xfe, 0x00, 0x7b]),
        ("huge".into(), vec![b'a'; booking_functions::app::CORPS_MAX + 10]),
        ("wrong types".into(), br#"{"professionnel": 12, "service": "x", "debut": [], "nom": {}, "email": true, "token": 5, "note": "cinq"}"#.to_vec()),
        ("long strings".into(), serde_json::json!({ "nom": "é".repeat(10_000), "email": format!("{}@exemple.fr", "a".repeat(5000)), "motif": "x".repeat(20_000) }).to_string().into_bytes()),
    ];
    for (i, h) in HOSTILE.iter().enumerate() {
        let json = serde_json::json!({
            "professionnel": h, "service": 1, "debut": h, "nom": h, "email": h, "telephone": h,
            "message": h, "token": h, "motif": h, "mot_de_passe": h, "reponses": { "immatriculation": h },
        });
        bodies.push((format!("hostile json {i}"), json.to_string().into_bytes()));
        let form = format!(
            "nom={0}&email={0}&telephone={0}&csrf={0}&token={0}&mot_de_passe={0}",
            percent_encode(h)
        );
        bodies.push((format!("hostile form {i}"), form.into_bytes()));
    }
    bodies
}

#[test]
fn hostile_bodies_on_every_post_route_are_refused_cleanly_and_store_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let before = counts(&app);
    for route in routes().filter(|r| r.method == Method::Post) {
        for value in [
            "00000000-0000-4000-8000-000000000000",
            "claire-fontaine",
            HOSTILE[0],
            HOSTILE[2],
        ] {
            let path = fill(route.pattern, value);
            for (name, body) in bodies() {
                for content_type in ["application/json", "application/x-www-form-urlencoded", ""] {
                    let response = send(&app, Method::Post, &path, content_type, &body);
                    check(
                        &response,
                        &format!("POST {path} [{name}, {content_type:?}]"),
                    );
                }
            }
        }
    }
    assert_eq!(counts(&app), before, "tables {TABLES:?}");
}

#[test]
fn hostile_parameters_on_every_get_route_are_refused_cleanly() {
    let app = TestApp::spawn().with_demo_data();
    let before = counts(&app);
    for route in routes().filter(|r| r.method == Method::Get) {
        for value in HOSTILE {
            let path = fill(route.pattern, value);
            let q = percent_encode(value);
            let query = format!("?q={q}&ville={q}&lieu={q}&service={q}&du={q}&au={q}&page={q}&token={q}&debut={q}&semaine={q}");
            for full in [path.clone(), format!("{path}{query}")] {
                let response = send(&app, Method::Get, &full, "", b"");
                check(&response, &format!("GET {full}"));
            }
        }
    }
    assert_eq!(counts(&app), before);
}

#[test]
fn a_wrong_method_is_a_405_with_allow() {
    let app = TestApp::spawn().with_demo_data();
    for route in routes() {
        let path = fill(route.pattern, "claire-fontaine");
        let others_allow_put =
            routes().any(|r| r.pattern == route.pattern && r.method == Method::Put);
        if others_allow_put {
            continue;
        }
        let response = send(&app, Method::Put, &path, "application/json", b"{}");
        assert_eq!(response.status, 405, "PUT {path}");
        assert!(
            response
                .header("allow")
                .is_some_and(|a| a.contains(route.method.as_str())),
            "PUT {path}"
        );
    }
}

#[test]
fn api_routes_refuse_a_body_that_is_not_json_with_415() {
    let app = TestApp::spawn().with_demo_data();
    for route in routes().filter(|r| r.method == Method::Post && r.pattern.starts_with("/api/")) {
        let path = fill(route.pattern, "00000000-0000-4000-8000-000000000000");
        for content_type in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
        ] {
            let response = send(
                &app,
                Method::Post,
                &path,
                content_type,
                b"{\"token\":\"x\"}",
            );
            // A route that needs a signed-in user may refuse the caller before reading the body.
            assert!(
                matches!(response.status, 415 | 401 | 403),
                "POST {path} as {content_type}: {} {}",
                response.status,
                response.text()
            );
            check(&response, &format!("POST {path}"));
        }
    }
}

/// In-process half of `e2e::sites::an_unknown_method_is_answered_405` (which covers the
/// runtime glue): a method the Worker does not know is refused on every route, with the
/// route's methods in `Allow`, in French, without naming an internal placeholder.
#[test]
fn an_unknown_method_is_answered_405_on_every_route() {
    let app = TestApp::spawn().with_demo_data();
    let before = counts(&app);
    for route in routes() {
        let path = fill(route.pattern, "claire-fontaine");
        for name in ["QUERY", "PROPFIND", "TRACE", "CONNECT"] {
            let response = send(&app, Method::parse(name), &path, "application/json", b"{}");
            assert_eq!(response.status, 405, "{name} {path}");
            assert!(
                response
                    .header("allow")
                    .is_some_and(|a| a.contains(route.method.as_str())),
                "{name} {path}"
            );
            assert!(!response.text().contains("OTHER"), "{name} {path}");
        }
    }
    assert_eq!(counts(&app), before);
}

/// D1 passes numbers through JavaScript: an id past 2^53 would be rounded to another
/// number (or refused by a STRICT column). The kit refuses such a binding as D1 cannot
/// honour it; every route parses ids into `Identifiant` where they enter, so such an id is
/// answered like any unknown one and never reaches SQL.
#[test]
fn a_numeric_id_past_2_53_is_refused_where_it_enters_and_never_reaches_d1() {
    let app = TestApp::spawn().with_demo_data();
    let pro_user = app
        .db
        .scalar("SELECT user_id FROM professionnels WHERE slug = 'claire-fontaine'");
    let pro = crate::comptes::jeton(&app, pro_user);
    let admin = crate::comptes::jeton(&app, crate::comptes::admin(&app));
    let before = counts(&app);
    for id in [
        "9007199254740993",
        "9223372036854775807",
        "18446744073709551616",
    ] {
        for (jeton, chemin, attendu) in [
            (
                &admin,
                format!("/api/v1/admin/professionnels/{id}/approbation"),
                404,
            ),
            (&pro, format!("/api/v1/pro/services/{id}"), 404),
            (&pro, format!("/api/v1/pro/services/{id}/retirer"), 404),
            (&pro, format!("/api/v1/pro/ouvertures/{id}/supprimer"), 404),
            (&pro, format!("/api/v1/pro/absences/{id}/supprimer"), 404),
        ] {
            let r = crate::comptes::avec_bearer(
                &app,
                Method::Post,
                &format!("http://coach.localhost:8787{chemin}"),
                jeton,
                Some(
                    &serde_json::json!({ "nom": "Atelier", "duree_minutes": 60, "prix_centimes": 1000 }),
                ),
            );
            assert_eq!(r.status, attendu, "POST {chemin}: {}", r.text());
        }
        let creneaux = app.get(&format!(
            "http://coach.localhost:8787/api/v1/professionnels/claire-fontaine/creneaux?service={id}"
        ));
        assert_eq!(creneaux.status, 422, "{}", creneaux.text());
        let mut corps =
            crate::api_reservations::coach_body(&crate::api_reservations::first_slot(&app));
        corps["service"] = serde_json::json!(id.parse::<u64>().unwrap_or(u64::MAX));
        let reserve = app.post_json(crate::api_reservations::RESERVER, &corps);
        assert_eq!(reserve.status, 422, "{}", reserve.text());
        for page in [
            format!("/professionnels/claire-fontaine?service={id}"),
            format!("/professionnels/claire-fontaine/reserver?service={id}"),
        ] {
            let r = app.get(&format!("http://coach.localhost:8787{page}"));
            assert!(r.status < 500, "GET {page}: {}", r.status);
        }
    }
    assert_eq!(counts(&app), before);
}
