use booking_tests::TestApp;

#[test]
fn healthz_reports_the_version_and_that_d1_and_kv_answer() {
    let app = TestApp::spawn();
    let response = app.get("http://coach.localhost:8787/healthz");
    assert_eq!(response.status, 200);
    let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(body["statut"], "ok");
    assert_eq!(body["version"], "test");
    assert_eq!(body["d1"], true);
    assert_eq!(body["kv"], true);
}

#[test]
fn a_known_path_with_the_wrong_method_gets_405_with_allow() {
    let app = TestApp::spawn();
    let response = app.post("http://coach.localhost/healthz", "application/json", "{}");
    assert_eq!(response.status, 405);
    assert_eq!(response.header("allow"), Some("GET"));
    assert_eq!(
        response.header("content-type"),
        Some("application/problem+json")
    );
}

#[test]
fn an_unknown_api_path_gets_a_problem_json_404() {
    let app = TestApp::spawn();
    let response = app.get("http://coach.localhost/api/v1/nulle-part");
    assert_eq!(response.status, 404);
    assert_eq!(
        response.header("content-type"),
        Some("application/problem+json")
    );
    let body: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(body["code"], "introuvable");
}
