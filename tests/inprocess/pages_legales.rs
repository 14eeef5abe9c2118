//! Legal pages, sitemap, robots, error pages, and the weight of every page.

use booking_tests::TestApp;

use crate::pages_outils::{lien, poids, Navigateur, BUDGET_OCTETS, VERTICALS};

#[test]
fn the_legal_pages_exist_in_french_on_each_vertical() {
    let app = TestApp::spawn().with_demo_data();
    for vertical in VERTICALS {
        let mut nav = Navigateur::new(&app, vertical);
        let mentions = nav.page("/mentions-legales");
        assert!(mentions.contains("<h1>Mentions légales</h1>"));
        assert!(mentions.contains("Hébergement"));
        let confidentialite = nav.page("/confidentialite");
        assert!(confidentialite.contains("<h1>Politique de confidentialité</h1>"));
        assert!(confidentialite.contains("RGPD"));
        for html in [&mentions, &confidentialite] {
            assert!(html.contains("<html lang=\"fr\">"));
            assert!(poids(&app, vertical, html) < BUDGET_OCTETS);
        }
    }
}

#[test]
fn the_sitemap_lists_every_public_professional_on_the_verticals_domain() {
    let app = TestApp::spawn().with_demo_data();
    for vertical in VERTICALS {
        let mut nav = Navigateur::new(&app, vertical);
        let r = nav.get("/sitemap.xml");
        assert_eq!(r.status, 200);
        assert!(r
            .header("content-type")
            .unwrap()
            .starts_with("application/xml"));
        let xml = r.text();
        let publics = app.db.scalar(&format!(
            "SELECT count(*) FROM professionnels WHERE vertical = '{vertical}' AND public = 1"
        ));
        let profils = xml.matches("/professionnels/").count();
        assert_eq!(profils as i64, publics, "{vertical}");
        assert!(xml.contains(&format!("<loc>http://{vertical}.localhost:8787/</loc>")));
        let robots = nav.page("/robots.txt");
        assert!(robots.contains(&format!(
            "Sitemap: http://{vertical}.localhost:8787/sitemap.xml"
        )));
    }
}

#[test]
fn every_page_has_a_title_a_description_and_a_canonical_url() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "avocat");
    let profil = lien(&nav.page("/recherche"), "/professionnels/");
    let mut titres = Vec::new();
    for chemin in [
        "/",
        "/recherche",
        profil.as_str(),
        "/mentions-legales",
        "/confidentialite",
    ] {
        let html = nav.page(chemin);
        let titre = html
            .split("<title>")
            .nth(1)
            .unwrap()
            .split("</title>")
            .next()
            .unwrap()
            .to_owned();
        assert!(!titre.is_empty());
        assert!(html.contains("<meta name=\"description\" content=\""));
        assert!(!html.contains("<meta name=\"description\" content=\"\""));
        assert!(
            html.contains("<link rel=\"canonical\" href=\"http://avocat.localhost:8787"),
            "{chemin}"
        );
        assert!(html.contains("property=\"og:title\""), "{chemin}");
        titres.push(titre);
    }
    titres.sort();
    titres.dedup();
    assert_eq!(titres.len(), 5, "a title per page");
}

#[test]
fn error_pages_are_in_the_verticals_look_and_light() {
    let app = TestApp::spawn().with_demo_data();
    for vertical in VERTICALS {
        let mut nav = Navigateur::new(&app, vertical);
        let r = nav.get("/nulle-part");
        assert_eq!(r.status, 404);
        assert!(r.text().contains("class=\"marque\""));
        assert!(poids(&app, vertical, &r.text()) < BUDGET_OCTETS);
    }
}
