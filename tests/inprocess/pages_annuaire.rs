//! The directory's pages on each vertical: search results and profiles.

use booking_tests::TestApp;

use crate::pages_outils::{attributs, lien, poids, Navigateur, BUDGET_OCTETS, VERTICALS};

#[test]
fn the_search_page_lists_cards_with_city_services_prices_and_ratings_on_each_vertical() {
    let app = TestApp::spawn().with_demo_data();
    for vertical in VERTICALS {
        let mut nav = Navigateur::new(&app, vertical);
        let html = nav.page("/recherche");
        assert!(html.contains("<html lang=\"fr\">"));
        let publics = app.db.scalar(&format!(
            "SELECT count(*) FROM professionnels WHERE vertical = '{vertical}' AND public = 1"
        ));
        let cartes = html.matches("class=\"carte pro\"").count();
        assert_eq!(cartes as i64, publics.min(12), "{vertical}");
        assert!(html.contains("class=\"lieu\""), "the city");
        assert!(html.contains("class=\"services\""), "the services");
        assert!(
            html.contains("class=\"prix\"") && html.contains("€"),
            "prices"
        );
        // The avocat vertical collects no reviews (its document turns them off).
        assert_eq!(
            html.contains("/5 <span>("),
            vertical != "avocat",
            "{vertical}: a rating"
        );
        assert!(html.contains("rel=\"canonical\""));
        assert!(
            !html.contains("<script>") && !html.contains("style="),
            "no inline script or style"
        );
        assert!(poids(&app, vertical, &html) < BUDGET_OCTETS);
    }
}

#[test]
fn a_search_by_city_narrows_the_list_and_a_search_that_finds_nothing_helps() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "garage");
    let accueil = nav.page("/");
    let ville = lien(&accueil, "/recherche?lieu=");
    let html = nav.page(&ville);
    let total = html.matches("class=\"carte pro\"").count();
    assert!(total >= 1);
    let tous = nav
        .page("/recherche")
        .matches("class=\"carte pro\"")
        .count();
    assert!(total < tous, "{total} of {tous}");

    let vide = nav.page("/recherche?q=zzzz-introuvable&lieu=Tombouctou");
    assert!(vide.contains("Aucun résultat"));
    assert!(vide.contains("Voir tous les garages"));
    assert!(
        vide.contains("value=\"zzzz-introuvable\""),
        "the query is kept"
    );
    assert!(vide.contains("href=\"/recherche?lieu="), "cities to try");
    assert!(vide.contains("noindex"));
}

#[test]
fn results_are_paginated_with_previous_and_next_links_keeping_the_filters() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "coach");
    let publics = app
        .db
        .scalar("SELECT count(*) FROM professionnels WHERE vertical = 'coach' AND public = 1");
    let pages = (publics + 1) / 2;
    assert!(pages >= 2);
    let page1 = nav.page("/recherche?par_page=2");
    assert!(page1.contains(&format!("Page 1 sur {pages}")), "{page1}");
    assert_eq!(page1.matches("class=\"carte pro\"").count(), 2);
    let suivante = attributs(&page1, "href", "/recherche?par_page=2&page=2");
    assert_eq!(suivante.len(), 1);
    let page2 = nav.page(&suivante[0]);
    assert!(page2.contains(&format!("Page 2 sur {pages}")));
    assert!(page2.contains("rel=\"prev\""));
    let filtree = nav.page("/recherche?q=coach&par_page=1");
    for url in attributs(&filtree, "href", "/recherche?q=") {
        assert!(url.starts_with("/recherche?q=coach"), "{url}");
    }
}

#[test]
fn a_bad_search_parameter_is_explained_in_french_not_a_500() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "avocat");
    let r = nav.get(&format!("/recherche?q={}", "x".repeat(150)));
    assert_eq!(r.status, 422);
    assert!(r.text().contains("trop long"), "{}", r.text());
    let r = nav.get("/recherche?page=abc");
    assert_eq!(r.status, 422);
    assert!(r.text().contains("doit être un entier"));
}

#[test]
fn the_profile_shows_bio_services_prices_rating_reviews_and_slots_grouped_by_day() {
    let app = TestApp::spawn().with_demo_data();
    for vertical in VERTICALS {
        let mut nav = Navigateur::new(&app, vertical);
        let profil = lien(&nav.page("/recherche"), "/professionnels/");
        let html = nav.page(&profil);
        assert!(html.contains("<h2 id=\"titre-presentation\">Présentation</h2>"));
        assert!(html.contains("Prestations"));
        assert!(html.contains("€") && html.contains("min") || html.contains("\u{a0}h"));
        assert!(html.contains("Tarifs"), "{vertical}: the price range");
        // The avocat vertical collects no reviews (its document turns them off).
        assert_eq!(html.contains("Avis des clients"), vertical != "avocat");
        assert!(
            html.contains("<div class=\"jour\">"),
            "{vertical}: slots by day"
        );
        let jours = html.matches("<div class=\"jour\">").count();
        assert!((1..=7).contains(&jours));
        let creneaux = attributs(&html, "href", &format!("{profil}/reserver?service="));
        assert!(creneaux.len() > jours, "several slots");
        assert!(html.contains("Semaine suivante"));
        assert!(!html.contains("Semaine précédente"), "none before today");
        // SEO: canonical on the vertical's domain, Open Graph, JSON-LD.
        assert!(html.contains(&format!(
            "<link rel=\"canonical\" href=\"http://{vertical}.localhost:8787{profil}\">"
        )));
        assert!(html.contains("property=\"og:type\" content=\"profile\""));
        assert!(html.contains("<script type=\"application/ld+json\">{"));
        assert!(html.contains("\"@type\":\"LocalBusiness\""));
        assert!(
            poids(&app, vertical, &html) < BUDGET_OCTETS,
            "{vertical} {profil}"
        );
    }
}

#[test]
fn the_next_week_link_shows_later_slots_and_a_way_back() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "coach");
    let profil = lien(&nav.page("/recherche"), "/professionnels/");
    let html = nav.page(&profil);
    let suivante = attributs(&html, "href", &format!("{profil}?service="))
        .into_iter()
        .find(|u| u.contains("semaine="))
        .expect("a next-week link");
    let semaine2 = nav.page(&suivante);
    assert!(semaine2.contains("Semaine précédente"));
    let premier = |h: &str| {
        attributs(h, "href", &format!("{profil}/reserver?"))
            .first()
            .cloned()
    };
    assert_ne!(premier(&html), premier(&semaine2));
}

#[test]
fn choosing_another_service_shows_its_slots() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "garage");
    let profil = lien(&nav.page("/recherche"), "/professionnels/");
    let html = nav.page(&profil);
    let autre = attributs(&html, "href", &format!("{profil}?service="))
        .into_iter()
        .find(|u| !u.contains("semaine="))
        .expect("another service");
    let id = autre
        .split("service=")
        .nth(1)
        .unwrap()
        .split('#')
        .next()
        .unwrap()
        .to_owned();
    let html = nav.page(&autre);
    let creneaux = attributs(&html, "href", &format!("{profil}/reserver?service={id}&"));
    assert!(!creneaux.is_empty(), "slots of service {id}");
}

#[test]
fn an_unknown_or_unpublished_professional_is_a_404_in_the_vertical_look() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "garage");
    let r = nav.get("/professionnels/personne");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("class=\"marque\""));
    let cache = app
        .db
        .scalar("SELECT count(*) FROM professionnels WHERE vertical = 'garage' AND public = 0");
    assert!(cache >= 1);
}

#[test]
fn public_pages_carry_an_etag_and_answer_304_when_it_matches() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "coach");
    let profil = lien(&nav.page("/recherche"), "/professionnels/");
    for (chemin, cache) in [
        ("/", "public, max-age=60"),
        ("/recherche", "public, max-age=60"),
        ("/mentions-legales", "public, max-age=3600"),
        (profil.as_str(), "no-cache"),
    ] {
        let r = nav.get(chemin);
        assert_eq!(r.header("cache-control"), Some(cache), "{chemin}");
        let etag = r.header("etag").expect("an ETag").to_owned();
        let mut req = booking_functions::http::Request::new(
            booking_functions::http::Method::Get,
            &format!("http://coach.localhost:8787{chemin}"),
        );
        req.headers.push(("if-none-match".into(), etag.clone()));
        let r = app.send(req);
        assert_eq!(r.status, 304, "{chemin}");
        assert!(r.body.is_empty());
        assert_eq!(r.header("etag"), Some(etag.as_str()));
    }
}
