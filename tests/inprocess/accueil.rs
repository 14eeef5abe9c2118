use booking_tests::TestApp;

fn home(app: &TestApp, host: &str) -> String {
    let response = app.get(&format!("http://{host}:8787/"));
    assert_eq!(response.status, 200, "{host}");
    assert_eq!(
        response.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    response.text()
}

#[test]
fn each_vertical_host_gets_its_own_home_page() {
    let app = TestApp::spawn().with_demo_data();
    let coach = home(&app, "coach.localhost");
    let avocat = home(&app, "avocat.localhost");
    let garage = home(&app, "garage.localhost");
    for (page, other_a, other_b) in [
        (&coach, &avocat, &garage),
        (&avocat, &garage, &coach),
        (&garage, &coach, &avocat),
    ] {
        assert_ne!(page, other_a);
        assert_ne!(page, other_b);
        assert!(page.contains("<html lang=\"fr\">"));
        assert!(page.contains("action=\"/recherche\""), "a search form");
    }
    assert!(garage.contains("garage"), "garage wording");
    assert!(avocat.contains("avocat"), "avocat wording");
    assert!(coach.contains("coach"), "coach wording");
}

#[test]
fn the_home_page_counts_the_published_professionals_and_their_cities() {
    let app = TestApp::spawn().with_demo_data();
    let published = app
        .db
        .scalar("SELECT count(*) FROM professionnels WHERE vertical = 'garage' AND public = 1");
    assert!(published >= 5);
    let page = home(&app, "garage.localhost");
    assert!(
        page.contains(&format!("<strong>{published}</strong>")),
        "{page}"
    );
    let villes = app.db.scalar(
        "SELECT count(DISTINCT ville) FROM professionnels WHERE vertical = 'garage' AND public = 1",
    );
    assert!(villes >= 5, "demo data spans several cities");
    assert!(page.contains("/recherche?lieu="), "links to the cities");
}

#[test]
fn each_vertical_has_its_own_colours_in_theme_css() {
    let app = TestApp::spawn();
    let css: Vec<String> = ["coach", "avocat", "garage"]
        .iter()
        .map(|v| {
            let r = app.get(&format!("http://{v}.localhost/theme.css"));
            assert_eq!(r.status, 200);
            assert!(r.text().contains("--primaire:#"));
            r.text()
        })
        .collect();
    assert_ne!(css[0], css[1]);
    assert_ne!(css[1], css[2]);
}

#[test]
fn an_unknown_host_gets_a_neutral_page_linking_to_every_vertical() {
    let app = TestApp::spawn();
    let response = app.get("http://localhost:8787/");
    assert_eq!(response.status, 200);
    let page = response.text();
    for vertical in ["coach", "avocat", "garage"] {
        assert!(
            page.contains(&format!("href=\"http://{vertical}.localhost:8787/\"")),
            "{page}"
        );
    }
}

#[test]
fn an_invalid_vertical_document_leaves_the_other_sites_up() {
    let app = TestApp::spawn();
    app.config
        .put("avocat", r#"{"slug": "avocat", "domains": []}"#);
    assert_eq!(app.get("http://coach.localhost/").status, 200);
    assert_eq!(app.get("http://garage.localhost/").status, 200);
    // Its own host is no vertical's any more: the neutral page, not an error.
    let avocat = app.get("http://avocat.localhost/");
    assert_eq!(avocat.status, 200);
    assert!(avocat.text().contains("Booking Multisite"));
}

#[test]
fn an_invalid_document_keeps_the_last_valid_version_already_loaded() {
    let app = TestApp::spawn();
    let before = app.get("http://avocat.localhost/").text();
    app.config.put("avocat", r#"{"slug": "avocat"}"#);
    app.clock.advance(chrono::Duration::minutes(5));
    let after = app.get("http://avocat.localhost/");
    assert_eq!(after.status, 200);
    assert_eq!(after.text(), before);
}

#[test]
fn an_unknown_page_is_a_404_in_the_vertical_look() {
    let app = TestApp::spawn();
    let response = app.get("http://garage.localhost/pas-de-page-ici");
    assert_eq!(response.status, 404);
    let page = response.text();
    assert!(page.contains("Page introuvable"));
    assert!(page.contains("class=\"marque\""), "the vertical's header");
}
