use booking_tests::percent_encode;
use booking_tests::{json, TestApp};

#[test]
fn the_directory_lists_only_the_hosts_vertical_public_professionals() {
    let app = TestApp::spawn().with_demo_data();
    let body = json(&app.get("http://garage.localhost/api/v1/professionnels"));
    let expected = app
        .db
        .scalar("SELECT count(*) FROM professionnels WHERE vertical = 'garage' AND public = 1");
    assert_eq!(body["total"], expected);
    let slugs: Vec<&str> = body["professionnels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs.len() as i64, expected);
    let hidden = app
        .db
        .scalar("SELECT count(*) FROM professionnels WHERE vertical = 'garage' AND public = 0");
    assert!(hidden >= 1, "the demo has an unpublished garage");
    for p in body["professionnels"].as_array().unwrap() {
        assert!(
            !p["services"].as_array().unwrap().is_empty(),
            "services listed"
        );
    }
}

#[test]
fn the_directory_filters_by_city_region_service_and_text() {
    let app = TestApp::spawn().with_demo_data();
    let all = json(&app.get("http://coach.localhost/api/v1/professionnels"));
    let first = &all["professionnels"][0];
    let ville = first["ville"].as_str().unwrap();
    let by_city = json(&app.get(&format!(
        "http://coach.localhost/api/v1/professionnels?ville={}",
        ville.to_uppercase()
    )));
    assert!(by_city["total"].as_i64().unwrap() >= 1);
    assert!(by_city["professionnels"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["ville"] == ville));
    let region = first["region"].as_str().unwrap();
    let by_region = json(&app.get(&format!(
        "http://coach.localhost/api/v1/professionnels?region={}",
        percent_encode(region)
    )));
    assert!(by_region["professionnels"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["region"] == region));
    let service = first["services"][0]["nom"].as_str().unwrap();
    let by_service = json(&app.get(&format!(
        "http://coach.localhost/api/v1/professionnels?service={}",
        percent_encode(service)
    )));
    assert!(by_service["total"].as_i64().unwrap() >= 1);
    let nothing = json(&app.get("http://coach.localhost/api/v1/professionnels?q=zzzz-introuvable"));
    assert_eq!(nothing["total"], 0);
    let wildcard = json(&app.get("http://coach.localhost/api/v1/professionnels?q=%25"));
    assert_eq!(wildcard["total"], 0, "a % is text, not a wildcard");
}

#[test]
fn the_directory_pages_in_a_stable_order() {
    let app = TestApp::spawn().with_demo_data();
    let all = json(&app.get("http://avocat.localhost/api/v1/professionnels?par_page=50"));
    let all: Vec<String> = all["professionnels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap().to_owned())
        .collect();
    let mut paged = Vec::new();
    for page in 1..=all.len() {
        let body = json(&app.get(&format!(
            "http://avocat.localhost/api/v1/professionnels?par_page=2&page={page}"
        )));
        paged.extend(
            body["professionnels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["slug"].as_str().unwrap().to_owned()),
        );
    }
    assert_eq!(paged, all);
}

#[test]
fn bad_paging_parameters_are_a_422_naming_the_parameter() {
    let app = TestApp::spawn();
    for query in ["page=0", "page=abc", "par_page=500", "par_page=-1"] {
        let r = app.get(&format!(
            "http://coach.localhost/api/v1/professionnels?{query}"
        ));
        assert_eq!(r.status, 422, "{query}");
        let body = json(&r);
        assert_eq!(body["code"], "parametre_invalide");
        assert_eq!(body["champ"], query.split('=').next().unwrap());
    }
}

#[test]
fn a_profile_shows_bio_and_services_and_an_unknown_or_hidden_one_is_a_404() {
    let app = TestApp::spawn().with_demo_data();
    let body = json(&app.get("http://coach.localhost/api/v1/professionnels/claire-fontaine"));
    assert_eq!(body["nom"], "Claire Fontaine");
    assert!(body["bio"].as_str().unwrap().len() > 20);
    assert!(body["services"].as_array().unwrap().len() >= 2);
    assert_eq!(
        app.get("http://coach.localhost/api/v1/professionnels/personne")
            .status,
        404
    );
    let hidden: i64 = app
        .db
        .scalar("SELECT id FROM professionnels WHERE vertical = 'coach' AND public = 0 LIMIT 1");
    app.db.execute_script(&format!(
        "UPDATE professionnels SET slug = 'cache' WHERE id = {hidden}"
    ));
    assert_eq!(
        app.get("http://coach.localhost/api/v1/professionnels/cache")
            .status,
        404
    );
    // Another vertical's professional does not exist on this domain.
    assert_eq!(
        app.get("http://garage.localhost/api/v1/professionnels/claire-fontaine")
            .status,
        404
    );
}

#[test]
fn the_api_on_a_host_that_is_no_verticals_is_a_404() {
    let app = TestApp::spawn();
    let r = app.get("http://inconnu.localhost/api/v1/professionnels");
    assert_eq!(r.status, 404);
    assert_eq!(json(&r)["code"], "vertical_inconnu");
}

/// D1 refuses a LIKE pattern over 50 bytes ("LIKE or GLOB pattern too complex"); the kit
/// sets the same limit. A filter of the documented length (100 characters) must search,
/// not fail: a hundred zeros, a hundred accented letters (two bytes each), a hundred
/// percent signs (doubled by escaping).
#[test]
fn a_service_filter_of_a_hundred_zeros_finds_nobody_instead_of_a_500() {
    let app = TestApp::spawn().with_demo_data();
    for valeur in ["0".repeat(100), "é".repeat(100), "%".repeat(100)] {
        for filtre in ["service", "q", "ville", "region", "lieu"] {
            let url = format!(
                "http://coach.localhost/api/v1/professionnels?{filtre}={}",
                percent_encode(&valeur)
            );
            let r = app.get(&url);
            assert_eq!(r.status, 200, "{filtre}={valeur}: {}", r.text());
            assert_eq!(json(&r)["total"], 0, "{filtre}={valeur}");
        }
        let page = app.get(&format!(
            "http://coach.localhost/recherche?q={}",
            percent_encode(&valeur)
        ));
        assert_eq!(page.status, 200, "/recherche?q={valeur}");
    }
    // The text search still finds a service by part of its name, whatever the case of its
    // ASCII letters (as LIKE did).
    let tous = json(&app.get("http://coach.localhost/api/v1/professionnels"));
    let nom = tous["professionnels"][0]["services"][0]["nom"]
        .as_str()
        .unwrap()
        .to_ascii_uppercase();
    let trouve = json(&app.get(&format!(
        "http://coach.localhost/api/v1/professionnels?service={}",
        percent_encode(&nom)
    )));
    assert!(trouve["total"].as_i64().unwrap() >= 1, "{nom}");
}
