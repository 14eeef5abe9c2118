//! Every response carries the security headers; oversized bodies are refused early.

use booking_functions::http::{Method, Request};
use booking_functions::router::routes;
use booking_tests::TestApp;

/// A concrete path for a route pattern (parameters filled with plausible values).
pub fn concrete(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|segment| match segment {
            "{slug}" => "claire-fontaine",
            "{id}" => "00000000-0000-4000-8000-000000000000",
            s if s.starts_with('{') => "1",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn assert_headers(response: &booking_functions::http::Response, what: &str) {
    let csp = response
        .header("content-security-policy")
        .unwrap_or_else(|| panic!("CSP on {what}"));
    assert!(!csp.contains("unsafe-inline"), "{what}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}");
    assert_eq!(
        response.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert!(
        response
            .header("strict-transport-security")
            .is_some_and(|h| h.contains("max-age=")),
        "{what}"
    );
    assert!(response.header("referrer-policy").is_some(), "{what}");
    assert!(response.header("permissions-policy").is_some(), "{what}");
    assert!(
        response
            .header("x-request-id")
            .is_some_and(|id| id.len() == 16),
        "{what}"
    );
}

#[test]
fn every_route_answers_with_the_security_headers() {
    let app = TestApp::spawn().with_demo_data();
    for route in routes() {
        let path = concrete(route.pattern);
        let mut request = Request::new(route.method, &format!("http://coach.localhost{path}"));
        if route.method == Method::Post {
            request
                .headers
                .push(("content-type".into(), "application/json".into()));
            request.body = b"{}".to_vec();
        }
        let response = app.send(request);
        assert!(
            response.status < 500,
            "{} {path}: {}",
            route.method.as_str(),
            response.status
        );
        assert_headers(&response, &format!("{} {path}", route.method.as_str()));
    }
    // Errors too.
    assert_headers(&app.get("http://coach.localhost/nulle-part"), "404 page");
    assert_headers(
        &app.get("http://coach.localhost/api/v1/nulle-part"),
        "404 API",
    );
    assert_headers(&app.get("http://inconnu.localhost/"), "portal");
}

#[test]
fn a_body_over_the_limit_is_a_413_and_changes_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let before = app.db.scalar("SELECT count(*) FROM reservations");
    let huge = "x".repeat(booking_functions::app::CORPS_MAX + 1);
    let api = app.post(
        "http://coach.localhost/api/v1/reservations",
        "application/json",
        &huge,
    );
    assert_eq!(api.status, 413);
    assert_eq!(api.header("content-type"), Some("application/problem+json"));
    let page = app.post(
        "http://coach.localhost/",
        "application/x-www-form-urlencoded",
        &huge,
    );
    assert_eq!(page.status, 413);
    assert!(page.text().contains("trop volumineux"));
    assert_eq!(app.db.scalar("SELECT count(*) FROM reservations"), before);
}

#[test]
fn an_internal_error_is_logged_once_at_the_edge_with_its_cause_and_never_shown() {
    let app = TestApp::spawn().with_demo_data();
    // The database loses a table under the Worker's feet.
    app.db
        .execute_script("ALTER TABLE services RENAME TO services_ailleurs;");
    for (url, type_attendu) in [
        (
            "http://coach.localhost/api/v1/professionnels",
            "application/problem+json",
        ),
        (
            "http://coach.localhost/professionnels/claire-fontaine",
            "text/html; charset=utf-8",
        ),
    ] {
        let (r, lignes) = booking_functions::log::capturer(|| app.get(url));
        assert_eq!(r.status, 500, "{url}: {}", r.text());
        assert_eq!(r.header("content-type"), Some(type_attendu), "{url}");
        assert!(!r.text().contains("services"), "{url}: {}", r.text());
        let erreurs: Vec<_> = lignes
            .iter()
            .filter(|l| l.contains("\"niveau\":\"erreur\""))
            .collect();
        assert_eq!(erreurs.len(), 1, "{url}: {lignes:?}");
        assert!(
            erreurs[0].contains("no such table: services") && erreurs[0].contains("\"statut\":500"),
            "{url}: {}",
            erreurs[0]
        );
    }
}
