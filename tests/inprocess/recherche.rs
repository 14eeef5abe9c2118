//! Search: the full-text index (accents, case, prefixes, hostile input), places (city,
//! postcode, département, region, arrondissement), the index kept in step with every
//! write, its query plan, and the cities' pages in the sitemap.

use booking_functions::http::Method;
use booking_shared::recherche::RequeteFts;
use booking_shared::store::professionnels::{self, Filtres, Ordre, Tri};
use booking_shared::store::{Db, Statement};
use booking_tests::{json, percent_encode, TestApp};
use serde_json::{json as j, Value};

use crate::comptes::{admin, avec_bearer, jeton, pro, COACH};

const GARAGE: &str = "http://garage.localhost:8787";
const AVOCAT: &str = "http://avocat.localhost:8787";

/// The names the API lists for a query string, in order.
fn noms(app: &TestApp, site: &str, query: &str) -> Vec<String> {
    let r = app.get(&format!("{site}/api/v1/professionnels?{query}"));
    assert_eq!(r.status, 200, "{query}: {}", r.text());
    json(&r)["professionnels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["nom"].as_str().unwrap().to_owned())
        .collect()
}

fn lieu(app: &TestApp, site: &str, lieu: &str) -> Vec<String> {
    noms(app, site, &format!("lieu={}", percent_encode(lieu)))
}

/// The professional `slug` changes their profile through the API.
fn modifier_profil(app: &TestApp, slug: &str, corps: Value) -> Value {
    let (_, user_id) = pro(app, slug);
    let r = avec_bearer(
        app,
        Method::Post,
        &format!("{COACH}/api/v1/pro/profil"),
        &jeton(app, user_id),
        Some(&corps),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    json(&r)
}

#[test]
fn places_are_found_without_accents_by_region_postcode_departement_and_arrondissement() {
    let app = TestApp::spawn().with_demo_data();
    let claire = vec!["Claire Fontaine".to_owned()];
    for saisie in [
        "auvergne-rhone",
        "AUVERGNE RHÔNE alpes",
        "lyon",
        "69",
        "69003",
        "Lyon 3e",
    ] {
        assert_eq!(lieu(&app, COACH, saisie), claire, "{saisie}");
    }
    assert!(
        lieu(&app, COACH, "Lyon 7e").is_empty(),
        "another arrondissement"
    );
    // Rhône is Lyon's département, and part of Marseille's (Bouches-du-Rhône).
    assert_eq!(
        lieu(&app, COACH, "rhone"),
        ["Claire Fontaine", "Karim Benali"]
    );
    let marc = vec!["Marc Delaunay".to_owned()];
    for saisie in [
        "ile-de-france",
        "Île-de-France",
        "75011",
        "Paris 11e",
        "paris 11ème",
        "75",
    ] {
        assert_eq!(lieu(&app, AVOCAT, saisie), marc, "{saisie}");
    }
    assert!(lieu(&app, AVOCAT, "Paris 12e").is_empty());
    assert!(
        lieu(&app, AVOCAT, "750").is_empty(),
        "a place is matched word for word"
    );

    // The professional moves: Besançon, then Corsica, Saint-Étienne and La Réunion.
    let profil = modifier_profil(
        &app,
        "claire-fontaine",
        j!({ "ville": "Besançon", "region": "Bourgogne-Franche-Comté", "code_postal": "25000" }),
    );
    assert_eq!(profil["departement"], "25");
    for saisie in [
        "besancon",
        "Besançon",
        "25",
        "doubs",
        "bourgogne franche comte",
    ] {
        assert_eq!(lieu(&app, COACH, saisie), claire, "{saisie}");
    }
    assert!(lieu(&app, COACH, "lyon").is_empty());
    assert_eq!(
        noms(&app, COACH, "q=besancon"),
        claire,
        "the free text looks at places too"
    );
    for (ville, region, code, trouve, autre) in [
        ("Ajaccio", "Corse", "20000", "2A", "2B"),
        ("Bastia", "Corse", "20200", "2b", "2A"),
        (
            "Saint-Étienne",
            "Auvergne-Rhône-Alpes",
            "42000",
            "saint etienne",
            "saint-denis",
        ),
        ("Saint-Denis", "La Réunion", "97400", "974", "97"),
    ] {
        modifier_profil(
            &app,
            "claire-fontaine",
            j!({ "ville": ville, "region": region, "code_postal": code }),
        );
        assert_eq!(lieu(&app, COACH, trouve), claire, "{ville}: {trouve}");
        assert!(lieu(&app, COACH, autre).is_empty(), "{ville}: {autre}");
    }
    assert_eq!(
        app.db.scalar(
            "SELECT departement = '974' FROM professionnels WHERE slug = 'claire-fontaine'"
        ),
        1
    );

    // The filters of before still work, and without accents now.
    assert_eq!(noms(&app, AVOCAT, "ville=paris"), marc);
    assert_eq!(noms(&app, AVOCAT, "region=ile-de-france"), marc);
}

#[test]
fn a_postcode_is_five_digits_and_a_wrong_one_changes_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let (_, user_id) = pro(&app, "claire-fontaine");
    let token = jeton(&app, user_id);
    for faux in ["2A000", "6900", "00000", "690031"] {
        let r = avec_bearer(
            &app,
            Method::Post,
            &format!("{COACH}/api/v1/pro/profil"),
            &token,
            Some(&j!({ "code_postal": faux })),
        );
        assert_eq!(r.status, 422, "{faux}");
        assert_eq!(
            json(&r)["erreurs"][0]["champ"],
            "code_postal",
            "{}",
            r.text()
        );
    }
    assert_eq!(
        app.db.scalar(
            "SELECT code_postal = '69003' FROM professionnels WHERE slug = 'claire-fontaine'"
        ),
        1
    );
    // null takes it away, and the profile is no longer found by it.
    modifier_profil(&app, "claire-fontaine", j!({ "code_postal": null }));
    assert!(lieu(&app, COACH, "69003").is_empty());
    assert_eq!(lieu(&app, COACH, "lyon"), ["Claire Fontaine"]);
}

#[test]
fn words_and_places_combine_and_the_last_word_is_a_prefix() {
    let app = TestApp::spawn().with_demo_data();
    let avec_vidange = noms(&app, GARAGE, "q=vidange");
    assert_eq!(
        avec_vidange.len(),
        6,
        "every listed garage (the five and the demo's team) offers an oil change"
    );
    assert_eq!(
        noms(&app, GARAGE, "q=vida"),
        avec_vidange,
        "a prefix while typing"
    );
    assert_eq!(noms(&app, GARAGE, "q=VIDANGE"), avec_vidange);
    assert_eq!(
        noms(&app, GARAGE, "q=vidange%20nantes"),
        ["Garage Martin & Fils"]
    );
    assert_eq!(
        noms(&app, GARAGE, "q=vidange&lieu=rennes"),
        ["Garage Petit Frères"]
    );
    assert_eq!(
        noms(&app, GARAGE, "service=vid&lieu=35"),
        ["Garage Petit Frères"]
    );
    assert!(noms(&app, GARAGE, "q=vidange%20lyon").is_empty());
    assert!(
        noms(&app, GARAGE, "q=v").is_empty(),
        "one letter is no prefix"
    );
    assert_eq!(noms(&app, AVOCAT, "q=avocat%2075"), ["Marc Delaunay"]);
    // The page says it too.
    let page = app.get(&format!("{GARAGE}/recherche?q=vidange&lieu=Nantes"));
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("Garage Martin &#38; Fils"),
        "{}",
        page.text()
    );
    assert!(!page.text().contains("Garage Petit Frères"));
}

#[test]
fn words_rank_by_relevance_a_name_above_a_mention_whatever_the_rating() {
    let app = TestApp::spawn().with_demo_data();
    // Claire Fontaine, rated 5/5, mentions Karim Benali (no review yet) in her presentation.
    modifier_profil(
        &app,
        "claire-fontaine",
        j!({ "bio": "Formée aux côtés de Karim Benali, j'accompagne les cadres." }),
    );
    // Whole words, a prefix being typed, capitals and accents: the same order.
    for q in ["benali", "bena", "BÉNALI", "karim benali", "Karim Béna"] {
        assert_eq!(
            noms(&app, COACH, &format!("q={}", percent_encode(q))),
            ["Karim Benali", "Claire Fontaine"],
            "{q}"
        );
    }
    // The page too: Karim's card before Claire's.
    let page = app.get(&format!("{COACH}/recherche?q=benali")).text();
    let karim = page.find("Karim Benali</a>").expect("Karim's card");
    let claire = page.find("Claire Fontaine</a>").expect("Claire's card");
    assert!(karim < claire, "{page}");

    // A service's name weighs more than a presentation, and a city more than a
    // presentation: Marseille's coach first for "marseille", then the one who mentions it.
    modifier_profil(
        &app,
        "claire-fontaine",
        j!({ "bio": "Séances à Lyon, et à Marseille une fois par mois." }),
    );
    assert_eq!(
        noms(&app, COACH, "q=marseille"),
        ["Karim Benali", "Claire Fontaine"]
    );
    // Two words, both in Claire's presentation; Karim is in Marseille and mentions
    // "séances" in his.
    assert_eq!(
        noms(&app, COACH, "q=seances%20marseille"),
        ["Karim Benali", "Claire Fontaine"]
    );

    // Among matches alike, the best rated comes first ("coach" is everyone's trade).
    let tous = noms(&app, COACH, "q=coach&par_page=50");
    assert!(tous.len() > 2, "{tous:?}");
    let par_note = noms(&app, COACH, "par_page=50");
    assert_eq!(
        tous.first(),
        par_note.iter().find(|n| tous.contains(n)),
        "{tous:?} / {par_note:?}"
    );

    // Asked, the soonest next free slot comes first, relevance after: Karim is free a day
    // after Claire.
    app.db.execute_script(
        "UPDATE professionnels SET prochaine_dispo = 86400 + \
         (SELECT prochaine_dispo FROM professionnels WHERE slug = 'claire-fontaine') \
         WHERE slug = 'karim-benali'",
    );
    assert_eq!(
        noms(&app, COACH, "q=marseille&tri=disponibilite"),
        ["Claire Fontaine", "Karim Benali"]
    );
}

#[test]
fn the_cap_takes_exact_words_first_and_a_prefix_when_they_do_not_fill_it() {
    let app = TestApp::spawn().with_demo_data();
    // More professionals than the cap mention the word: the exact word fills the cap,
    // and so does a prefix of it that is no word. A name holding the word ranks first.
    app.db.execute_script(
        "WITH RECURSIVE n(value) AS (SELECT 0 UNION ALL SELECT value + 1 FROM n WHERE value < 320) \
         INSERT INTO users (id, email, role, nom, type_professionnel, created_at) \
             SELECT 9100 + value, 'yoga' || value || '@exemple.fr', 'pro', 'Yoga', 'coach', 0 FROM n;
         WITH RECURSIVE n(value) AS (SELECT 0 UNION ALL SELECT value + 1 FROM n WHERE value < 320) \
         INSERT INTO professionnels (id, user_id, vertical, slug, nom, bio, ville, region, code_postal, public, approbation, created_at) \
             SELECT 9100 + value, 9100 + value, 'coach', 'coach-' || value, 'Coach ' || value, \
                    'Séances de yoga au parc.', 'Dole', 'Bourgogne-Franche-Comté', '39100', 1, 'approuve', 0 \
             FROM n;
         UPDATE professionnels SET nom = 'Studio Yoga Dole', bio = '' WHERE id = 9150;",
    );
    for q in ["yoga", "YÔGA", "yog", "yo"] {
        let r = app.get(&format!(
            "{COACH}/api/v1/professionnels?q={}&par_page=2",
            percent_encode(q)
        ));
        assert_eq!(r.status, 200, "{}", r.text());
        let corps = json(&r);
        assert_eq!(corps["total"], 300, "{q}: {corps}");
        assert_eq!(
            corps["professionnels"][0]["nom"], "Studio Yoga Dole",
            "{q}: {corps}"
        );
    }
    // The page says whether anybody matched before it offers other cities: a prefix that
    // is no word finds them, a word nobody has finds nobody.
    for (q, trouve) in [
        ("yog", true),
        ("yo", true),
        ("yogaz", false),
        ("yoga%20zz", false),
    ] {
        let page = app.get(&format!("{COACH}/recherche?q={q}")).text();
        assert_eq!(page.contains("Studio Yoga Dole"), trouve, "{q}: {page}");
        assert_eq!(page.contains("Ou cherchez à"), !trouve, "{q}: {page}");
    }
}

#[test]
fn a_city_where_nobody_is_free_in_the_window_is_still_its_page_and_says_so() {
    let app = TestApp::spawn().with_demo_data();
    // Claire Fontaine, the only coach in Lyon, is next free in a month.
    app.db.execute_script(
        "UPDATE professionnels SET prochaine_dispo = prochaine_dispo + 30 * 86400 \
         WHERE slug = 'claire-fontaine'",
    );
    for disponible in ["aujourdhui", "3jours", "semaine"] {
        let r = app.get(&format!("{COACH}/ville/lyon?disponible={disponible}"));
        assert_eq!(r.status, 200, "{disponible}: {}", r.text());
        let html = r.text();
        assert!(html.contains("<h1>Coachs à Lyon</h1>"), "{html}");
        assert!(html.contains("Aucun résultat"), "{html}");
        assert!(
            html.contains("Aucun coach à Lyon n&#39;a de créneau libre dans ce délai")
                || html.contains("Aucun coach à Lyon n'a de créneau libre dans ce délai"),
            "{html}"
        );
        // The way out: the city's page without the window, where she is.
        assert!(
            html.contains("href=\"/ville/lyon\">Voir toutes les disponibilités"),
            "{html}"
        );
        assert!(!html.contains("Claire Fontaine</a>"), "{html}");
    }
    assert!(app
        .get(&format!("{COACH}/ville/lyon"))
        .text()
        .contains("Claire Fontaine</a>"));
    // The search page says the same, keeping the other filters.
    let html = app
        .get(&format!(
            "{COACH}/recherche?lieu=Lyon&q=coach&disponible=semaine"
        ))
        .text();
    assert!(
        html.contains("href=\"/recherche?q=coach&amp;lieu=Lyon\">Voir toutes les disponibilités")
            || html.contains(
                "href=\"/recherche?q=coach&#38;lieu=Lyon\">Voir toutes les disponibilités"
            ),
        "{html}"
    );
    // A city that lists nobody, or a wrong window, is not turned into a page.
    assert_eq!(
        app.get(&format!("{COACH}/ville/besancon?disponible=semaine"))
            .status,
        404
    );
    assert_eq!(
        app.get(&format!("{COACH}/ville/lyon-?disponible=semaine"))
            .status,
        404
    );
    let r = app.get(&format!("{COACH}/ville/lyon?disponible=demain"));
    assert_eq!(r.status, 422, "{}", r.text());
    // Without the window's filter, nobody free is no message about it.
    let html = app
        .get(&format!("{COACH}/recherche?q=personne-ne-correspond"))
        .text();
    assert!(!html.contains("Voir toutes les disponibilités"), "{html}");
}

#[test]
fn what_a_visitor_types_is_never_fts_syntax_and_never_an_error() {
    let app = TestApp::spawn().with_demo_data();
    let tous = noms(&app, GARAGE, "q=vidange");
    for saisie in [
        "\"vidange",
        "vidange\"",
        "\"vidange\"",
        "vidange*",
        "(vidange",
        "vidange)",
        "-vidange",
        "+vidange",
        "^vidange",
        "vidange:",
        "{vidange}",
        "vidange -",
    ] {
        assert_eq!(
            noms(&app, GARAGE, &format!("q={}", percent_encode(saisie))),
            tous,
            "{saisie}"
        );
    }
    for saisie in [
        "\"",
        "*",
        "**",
        "(",
        ")",
        "()",
        ":",
        "-",
        "^",
        "NEAR(vidange freins, 2)",
        "nom:Martin",
        "{nom bio}: vidange",
        "vidange OR pneus) AND (x",
        "\"\"\"",
        "'",
        "é*",
        "NOT",
        "AND",
        "OR",
    ] {
        let encode = percent_encode(saisie);
        for filtre in ["q", "lieu", "ville", "region", "service"] {
            let r = app.get(&format!("{GARAGE}/api/v1/professionnels?{filtre}={encode}"));
            assert_eq!(r.status, 200, "{filtre}={saisie}: {}", r.text());
        }
        let r = app.get(&format!("{GARAGE}/recherche?q={encode}&lieu={encode}"));
        assert_eq!(r.status, 200, "{saisie}: {}", r.text());
    }
    // Operators are words like any other: OR does not widen the search.
    assert!(noms(&app, GARAGE, "q=vidange%20OR%20zzzz").is_empty());
}

/// The admin's decision on a professional's approval, through the API.
fn decider(app: &TestApp, admin: &str, pro_id: i64, statut: &str) {
    let mut corps = j!({ "statut": statut });
    if statut != "approuve" {
        corps["motif"] = "Vérification en cours.".into();
    }
    let r = avec_bearer(
        app,
        Method::Post,
        &format!("{COACH}/api/v1/admin/professionnels/{pro_id}/approbation"),
        admin,
        Some(&corps),
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

/// The cities' counts (migration 0021) are those of the listed professionals, row for row.
fn villes_a_jour(app: &TestApp) {
    let ecarts = "SELECT count(*) FROM (
        SELECT * FROM (SELECT vertical, ville, nombre FROM villes_listees
            EXCEPT SELECT vertical, ville, count(*) FROM professionnels
            WHERE public = 1 AND approbation = 'approuve' GROUP BY vertical, ville)
        UNION ALL
        SELECT * FROM (SELECT vertical, ville, count(*) FROM professionnels
            WHERE public = 1 AND approbation = 'approuve' GROUP BY vertical, ville
            EXCEPT SELECT vertical, ville, nombre FROM villes_listees))";
    assert_eq!(app.db.scalar(ecarts), 0);
}

#[test]
fn the_index_follows_every_write_to_a_listed_field() {
    let app = TestApp::spawn().with_demo_data();
    let (pro_id, user_id) = pro(&app, "claire-fontaine");
    let token = jeton(&app, user_id);
    let claire = vec!["Claire Fontaine".to_owned()];
    let cherche = |q: &str| noms(&app, COACH, &format!("q={}", percent_encode(q)));
    let service = |q: &str| noms(&app, COACH, &format!("service={}", percent_encode(q)));

    // The profile: a new word in the presentation is found, the old one no more.
    modifier_profil(
        &app,
        "claire-fontaine",
        j!({ "bio": "Spécialiste de la zythologie." }),
    );
    assert_eq!(cherche("zythologie"), claire);
    modifier_profil(&app, "claire-fontaine", j!({ "bio": "Coach de carrière." }));
    assert!(cherche("zythologie").is_empty());

    // A service: added, renamed, retired.
    let poster = |chemin: &str, corps: Value| {
        let r = avec_bearer(
            &app,
            Method::Post,
            &format!("{COACH}{chemin}"),
            &token,
            Some(&corps),
        );
        assert_eq!(r.status / 100, 2, "{chemin}: {}", r.text());
        json(&r)
    };
    let ajoute = poster(
        "/api/v1/pro/services",
        j!({ "nom": "Hypnose ericksonienne", "duree_minutes": 60, "prix_centimes": 7000 }),
    );
    let id = ajoute["id"].as_i64().expect("the new service's id");
    assert_eq!(service("hypno"), claire);
    poster(
        &format!("/api/v1/pro/services/{id}"),
        j!({ "nom": "Sophrologie", "duree_minutes": 60, "prix_centimes": 7000 }),
    );
    assert!(service("hypnose").is_empty());
    assert_eq!(service("sophrologie").first(), Some(&claire[0]));
    poster(&format!("/api/v1/pro/services/{id}/retirer"), j!({}));
    assert!(!service("sophrologie").contains(&claire[0]));

    // Unpublished, then published again.
    villes_a_jour(&app);
    modifier_profil(&app, "claire-fontaine", j!({ "public": false }));
    assert!(lieu(&app, COACH, "lyon").is_empty());
    villes_a_jour(&app);
    modifier_profil(&app, "claire-fontaine", j!({ "public": true }));
    assert_eq!(lieu(&app, COACH, "lyon"), claire);

    // Suspended by the admin, then approved again.
    let admin = jeton(&app, admin(&app));
    decider(&app, &admin, pro_id, "suspendu");
    assert!(lieu(&app, COACH, "lyon").is_empty());
    villes_a_jour(&app);
    assert!(cherche("claire").is_empty());
    decider(&app, &admin, pro_id, "approuve");
    assert_eq!(lieu(&app, COACH, "lyon"), claire);

    // A professional written whole (as the demo loads them), then deleted.
    app.db.execute_script(
        "INSERT INTO users (id, email, role, nom, type_professionnel, created_at) \
             VALUES (9001, 'ecrit@exemple.fr', 'pro', 'Écrit', 'coach', 0);
         INSERT INTO professionnels (id, user_id, vertical, slug, nom, ville, region, code_postal, public, approbation, created_at) \
             VALUES (9001, 9001, 'coach', 'ecrit-entier', 'Écrit Entier', 'Besançon', 'Bourgogne-Franche-Comté', '25000', 1, 'approuve', 0);
         INSERT INTO services (professionnel_id, nom, duree_minutes, prix_centimes) VALUES (9001, 'Qi gong', 60, 5000);",
    );
    assert_eq!(service("qi gong"), ["Écrit Entier"]);
    assert_eq!(lieu(&app, COACH, "besancon"), ["Écrit Entier"]);
    villes_a_jour(&app);
    // Moved to another city, then deleted.
    app.db
        .execute_script("UPDATE professionnels SET ville = 'Dole' WHERE id = 9001;");
    villes_a_jour(&app);
    app.db
        .execute_script("DELETE FROM professionnels WHERE id = 9001;");
    assert!(lieu(&app, COACH, "besancon").is_empty());
    villes_a_jour(&app);
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM recherche WHERE rowid = 9001"),
        0
    );
    // The index holds exactly the listed professionals.
    assert_eq!(
        app.db.scalar("SELECT count(*) FROM recherche"),
        app.db.scalar(
            "SELECT count(*) FROM professionnels WHERE public = 1 AND approbation = 'approuve'"
        )
    );
}

#[test]
fn the_page_form_takes_the_postcode_and_shows_a_wrong_one_next_to_the_field() {
    let app = TestApp::spawn().with_demo_data();
    let (_, user_id) = pro(&app, "claire-fontaine");
    let mut nav = crate::comptes::Navigateur::avec_session(&app, user_id);
    let page = nav.get(&format!("{COACH}/pro"));
    assert!(page.text().contains("name=\"code_postal\""));
    assert!(page.text().contains("value=\"69003\""));
    let champs = [
        ("bio", "Coach."),
        ("ville", "Lyon"),
        ("region", "Auvergne-Rhône-Alpes"),
        ("public", "1"),
    ];
    let mut faux = champs.to_vec();
    faux.push(("code_postal", "69 003"));
    let r = nav.soumettre(
        &format!("{COACH}/pro"),
        &format!("{COACH}/pro/profil"),
        &faux,
    );
    assert_eq!(r.status, 422);
    assert!(
        r.text().contains("id=\"code_postal-erreur\""),
        "{}",
        r.text()
    );
    let mut bon = champs.to_vec();
    bon.push(("code_postal", "69007"));
    let r = nav.soumettre(
        &format!("{COACH}/pro"),
        &format!("{COACH}/pro/profil"),
        &bon,
    );
    assert_eq!(r.status, 303);
    assert_eq!(lieu(&app, COACH, "Lyon 7e"), ["Claire Fontaine"]);
}

fn par_note(par_note: bool) -> Ordre {
    Ordre {
        par_note,
        ..Ordre::default()
    }
}

/// The details of SQLite's plan for a statement.
fn plan(app: &TestApp, lecture: Statement) -> Vec<String> {
    let mut plan = Statement::new(format!("EXPLAIN QUERY PLAN {}", lecture.sql));
    plan.params = lecture.params;
    let lignes = futures::executor::block_on(app.db.query(plan)).unwrap();
    lignes
        .iter()
        .filter_map(|l| l["detail"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn a_search_reads_the_full_text_index_or_an_ordered_index_never_the_whole_table() {
    let app = TestApp::spawn().with_demo_data();
    let filtres = Filtres {
        texte: Some("vidange".into()),
        lieu: Some("69".into()),
        ..Filtres::default()
    };
    let RequeteFts::Expression(requete) = filtres.requete("garage") else {
        panic!("a query");
    };
    let details = plan(
        &app,
        professionnels::lecture("garage", Some(&requete), (1, 20), filtres.ordre(true)),
    );
    assert!(
        details
            .iter()
            .any(|d| d.contains("VIRTUAL TABLE INDEX") && d.contains("recherche")),
        "{details:?}"
    );
    assert!(
        !details
            .iter()
            .any(|d| d == "SCAN p" || d.starts_with("SCAN professionnels")),
        "{details:?}"
    );
    // The matches lead: each is read by its id, the vertical's index is not walked.
    assert!(
        details
            .iter()
            .any(|d| d == "SEARCH p USING INTEGER PRIMARY KEY (rowid=?)"),
        "{details:?}"
    );
    assert!(
        !details.iter().any(|d| d.contains("INDEX professionnels_")),
        "{details:?}"
    );
    // Without words, the first page is read in the order of an index, not sorted: by
    // rating, by name, by the soonest next free slot (with or without a window on it);
    // and within a window ranked by rating, its first candidates are the soonest.
    let semaine = Some((
        chrono::Utc::now(),
        chrono::Utc::now() + chrono::TimeDelta::days(7),
    ));
    let dispo = |disponible| Ordre {
        par_note: true,
        disponible,
        tri: Tri::Disponibilite,
        ..Ordre::default()
    };
    for (ordre, index) in [
        (par_note(true), "professionnels_par_note"),
        (par_note(false), "professionnels_par_nom"),
        (dispo(None), "professionnels_par_dispo"),
        (dispo(semaine), "professionnels_prochaine_dispo"),
        (
            Ordre {
                tri: Tri::Pertinence,
                ..dispo(semaine)
            },
            "professionnels_prochaine_dispo",
        ),
    ] {
        let details = plan(
            &app,
            professionnels::lecture("garage", None, (1, 20), ordre),
        );
        assert!(
            details.iter().any(|d| d.contains(index)),
            "{ordre:?}: {details:?}"
        );
        assert!(
            !details
                .iter()
                .any(|d| d == "SCAN p" || d.starts_with("SCAN professionnels")),
            "{details:?}"
        );
    }
}

#[test]
fn a_page_past_the_last_still_says_the_total() {
    let app = TestApp::spawn().with_demo_data();
    let r = json(&app.get(&format!("{GARAGE}/api/v1/professionnels?par_page=2&page=9")));
    assert!(r["professionnels"].as_array().unwrap().is_empty());
    // The five listed garages and the demo's team.
    assert_eq!(r["total"], 6);
    assert_eq!(r["total_plafonne"], false);
}

#[test]
fn a_city_has_its_page_linked_from_the_cards_and_listed_in_the_sitemap() {
    let app = TestApp::spawn().with_demo_data();
    let r = app.get(&format!("{AVOCAT}/ville/lyon"));
    assert_eq!(r.status, 200);
    let html = r.text();
    assert!(html.contains("<title>Avocats à Lyon — "), "{html}");
    assert!(html.contains("<h1>Avocats à Lyon</h1>"));
    assert!(html.contains("rel=\"canonical\" href=\"http://avocat.localhost:8787/ville/lyon\""));
    assert!(html.contains("<meta name=\"description\" content=\"1 avocats"));
    assert!(html.contains("\"@type\":\"BreadcrumbList\""));
    assert!(html.contains("Olivier Chevalier"));
    assert!(!html.contains("Marc Delaunay"));
    assert!(!html.contains("<script>"), "no JavaScript");
    // The cards of the directory link to it.
    let recherche = app.get(&format!("{AVOCAT}/recherche")).text();
    assert!(recherche.contains("href=\"/ville/lyon\""));
    // A city without a listed professional, or a name that is not the page's, is a 404.
    for chemin in [
        "/ville/besancon",
        "/ville/Lyon",
        "/ville/lyon-",
        "/ville/%22",
    ] {
        assert_eq!(
            app.get(&format!("{AVOCAT}{chemin}")).status,
            404,
            "{chemin}"
        );
    }
    assert_eq!(
        app.get(&format!("{GARAGE}/ville/bordeaux")).status,
        404,
        "unpublished"
    );

    let sitemap = app.get(&format!("{GARAGE}/sitemap.xml")).text();
    for ville in ["nantes", "toulouse", "strasbourg", "rennes", "marseille"] {
        assert!(
            sitemap.contains(&format!("/ville/{ville}</loc>")),
            "{ville}: {sitemap}"
        );
    }
    assert!(
        !sitemap.contains("/ville/bordeaux"),
        "its only garage is not listed"
    );
    assert!(sitemap.contains("/professionnels/garage-martin-fils</loc>"));
    // A city with an accent has one page, under its plain name.
    modifier_profil(
        &app,
        "claire-fontaine",
        j!({ "ville": "Saint-Étienne", "code_postal": "42000" }),
    );
    assert_eq!(app.get(&format!("{COACH}/ville/saint-etienne")).status, 200);
    let sitemap = app.get(&format!("{COACH}/sitemap.xml")).text();
    assert!(sitemap.contains("/ville/saint-etienne</loc>"));
}

#[test]
fn nobody_free_in_the_window_names_the_words_and_the_place_searched_in_correct_french() {
    let app = TestApp::spawn().with_demo_data();
    app.db
        .execute_script("UPDATE professionnels SET prochaine_dispo = prochaine_dispo + 30 * 86400");
    for (requete, attendu) in [
        (
            "q=yoga%20&lieu=%20Bretagne%20&disponible=aujourdhui",
            "Aucun coach correspondant à « yoga » et au lieu « Bretagne » n",
        ),
        (
            "lieu=69&disponible=aujourdhui",
            "Aucun coach correspondant au lieu « 69 » n",
        ),
        (
            "q=course&disponible=aujourdhui",
            "Aucun coach correspondant à « course » n",
        ),
        ("disponible=aujourdhui", "Aucun coach n"),
    ] {
        let html = app.get(&format!("{COACH}/recherche?{requete}")).text();
        assert!(html.contains(attendu), "{requete}: {html}");
        // Nor in the title.
        assert!(!html.contains("à Bretagne"), "{requete}: {html}");
        assert!(!html.contains("à 69"), "{requete}: {html}");
    }
}

#[test]
fn an_early_professional_in_lyon_centre_does_not_hide_the_page_of_lyon() {
    let app = TestApp::spawn().with_demo_data();
    // Claire Fontaine, the first listed coach, writes « Lyon Centre »; Karim Benali,
    // listed after her, moves to Lyon.
    app.db.execute_script(
        "UPDATE professionnels SET ville = 'Lyon Centre' WHERE slug = 'claire-fontaine'; \
         UPDATE professionnels SET ville = 'Lyon' WHERE slug = 'karim-benali';",
    );
    assert_eq!(
        app.db.scalar(
            "SELECT min(id) = (SELECT id FROM professionnels WHERE slug = 'claire-fontaine') \
             FROM professionnels WHERE vertical = 'coach'"
        ),
        1
    );
    for (chemin, titre) in [
        ("/ville/lyon", "<h1>Coachs à Lyon</h1>"),
        ("/ville/lyon-centre", "<h1>Coachs à Lyon Centre</h1>"),
    ] {
        let r = app.get(&format!("{COACH}{chemin}"));
        assert_eq!(r.status, 200, "{chemin}: {}", r.text());
        assert!(r.text().contains(titre), "{chemin}: {}", r.text());
    }
    assert_eq!(app.get(&format!("{COACH}/ville/lyon-sud")).status, 404);
}

#[test]
fn a_service_and_a_city_given_as_filters_rank_by_rating_without_reading_each_match() {
    let app = TestApp::spawn().with_demo_data();
    // Ratings that are not the order of the ids.
    app.db.execute_script(
        "UPDATE professionnels SET note_moyenne = 5.0 - (id % 4) * 0.5, nombre_avis = 1 + id % 3 \
         WHERE vertical = 'garage'",
    );
    let par_note = noms(&app, GARAGE, "par_page=50");
    assert!(par_note.len() >= 6, "{par_note:?}");
    // Every listed garage offers an oil change: a service filter keeps the rating's order,
    // and so does a place with it.
    assert_eq!(noms(&app, GARAGE, "service=vidange&par_page=50"), par_note);
    assert_eq!(
        noms(&app, GARAGE, "service=vid&par_page=50"),
        par_note,
        "a prefix"
    );
    assert_eq!(
        noms(&app, GARAGE, "service=vidange&ville=nantes"),
        ["Garage Martin & Fils"]
    );
    // Only free text is ranked by where its words are found: a filter matches every
    // candidate in its own columns, so its statement reads no candidate's match.
    let lecture = |filtres: Filtres| {
        let RequeteFts::Expression(requete) = filtres.requete("garage") else {
            panic!("a query");
        };
        professionnels::lecture("garage", Some(&requete), (1, 20), filtres.ordre(true)).sql
    };
    let filtres = Filtres {
        service: Some("vidange".into()),
        ville: Some("Lyon".into()),
        ..Filtres::default()
    };
    assert!(!lecture(filtres.clone()).contains("highlight("));
    assert!(!lecture(Filtres {
        lieu: Some("69".into()),
        region: Some("Auvergne-Rhône-Alpes".into()),
        ..filtres.clone()
    })
    .contains("highlight("));
    assert!(lecture(Filtres {
        texte: Some("vidange".into()),
        ..filtres
    })
    .contains("highlight("));
}
