use booking_tests::wrangler::server;

#[test]
fn healthz_answers_with_d1_and_kv_up() {
    let response = server().get("localhost", "/healthz").unwrap();
    assert_eq!(response.status, 200, "{}", response.text());
    let body = response.json();
    assert_eq!(body["d1"], true);
    assert_eq!(body["kv"], true);
    assert!(body["version"].as_str().is_some_and(|v| !v.is_empty()));
}

#[test]
fn the_three_vertical_home_pages_are_served_by_host() {
    let mut pages = Vec::new();
    for (host, wording) in [
        ("coach.localhost", "coach"),
        ("avocat.localhost", "avocat"),
        ("garage.localhost", "garage"),
    ] {
        let response = server().get(host, "/").unwrap();
        assert_eq!(response.status, 200, "{host}: {}", response.text());
        let page = response.text();
        assert!(page.contains("<html lang=\"fr\">"));
        assert!(page.to_lowercase().contains(wording), "{host}");
        pages.push(page);
    }
    assert_ne!(pages[0], pages[1]);
    assert_ne!(pages[1], pages[2]);
}

#[test]
fn the_demo_data_is_live_on_each_site() {
    for host in ["coach.localhost", "avocat.localhost", "garage.localhost"] {
        let page = server().get(host, "/").unwrap().text();
        let count: u32 = page
            .split("<strong>")
            .nth(1)
            .and_then(|s| s.split("</strong>").next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(count >= 5, "{host} lists {count} professionals");
    }
}

#[test]
fn an_unknown_host_gets_the_neutral_page() {
    let response = server().get("inconnu.localhost", "/").unwrap();
    assert_eq!(response.status, 200);
    let page = response.text();
    for vertical in ["coach", "avocat", "garage"] {
        assert!(
            page.contains(&format!("http://{vertical}.localhost:{}/", server().port)),
            "{page}"
        );
    }
}

#[test]
fn static_assets_and_the_theme_are_served() {
    let css = server()
        .get("garage.localhost", "/assets/site.css")
        .unwrap();
    assert_eq!(css.status, 200);
    assert!(css
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/css")));
    // Static assets carry the security headers too (templates/public/_headers).
    assert_eq!(css.header("x-content-type-options"), Some("nosniff"));
    assert!(css
        .header("content-security-policy")
        .is_some_and(|c| c.contains("frame-ancestors 'none'")));
    let hidden = server().get("garage.localhost", "/_headers").unwrap();
    assert_ne!(hidden.status, 200, "the headers file itself is not served");
    let theme = server().get("garage.localhost", "/theme.css").unwrap();
    assert_eq!(theme.status, 200);
    assert!(theme.text().contains("--primaire:#"));
}

#[test]
fn the_openapi_description_is_served_as_a_static_file_on_every_vertical() {
    for host in ["coach.localhost", "avocat.localhost", "garage.localhost"] {
        let r = server().get(host, "/api/v1/openapi.json").unwrap();
        assert_eq!(r.status, 200, "{host}");
        assert!(r
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/json")));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        let doc: serde_json::Value = serde_json::from_str(&r.text()).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert!(doc["paths"]["/api/v1/reservations"]["post"].is_object());
    }
}

/// The Workers runtime hands the Worker any method it knows; `worker::Request::method()`
/// reads one the crate does not know as GET. The Worker reads the raw method, so that a
/// QUERY or PROPFIND is refused with 405 and `Allow`, never served as a GET. (A method the
/// runtime itself does not know, such as FOO, never reaches the Worker: workerd answers
/// 501.)
#[test]
fn an_unknown_method_is_answered_405() {
    for (host, path) in [
        ("coach.localhost", "/api/v1/professionnels"),
        ("coach.localhost", "/"),
        ("localhost", "/healthz"),
    ] {
        for method in ["QUERY", "PROPFIND", "MKCOL"] {
            let response = server().request(method, host, path, &[], b"").unwrap();
            assert_eq!(
                response.status,
                405,
                "{method} {host}{path}: {}",
                response.text()
            );
            assert!(
                response.header("allow").is_some_and(|a| a.contains("GET")),
                "{method} {path}"
            );
        }
        let inconnue = server().request("FOO", host, path, &[], b"").unwrap();
        assert!(
            matches!(inconnue.status, 405 | 501),
            "FOO {host}{path}: {} {}",
            inconnue.status,
            inconnue.text()
        );
    }
}
