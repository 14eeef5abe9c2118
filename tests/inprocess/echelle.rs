//! Round trips to the database per request (each one crosses to the database's region at
//! the edge), counted by the test kit's counting database as the Worker's D1 executor
//! counts them; and D1's bookmarks, which let a client read their own writes on a
//! replica.

use booking_functions::http::{Method, Request, Response};
use booking_tests::compteur::signet_apres;
use booking_tests::echelle::{remplir, Volume};
use booking_tests::TestApp;

use crate::api_reservations::{coach_body, first_slot, RESERVER};
use crate::pages_outils::{premier_creneau, premier_profil, reserver_compte, Navigateur};

const COACH: &str = "http://coach.localhost:8787";

fn get(app: &TestApp, chemin: &str) -> (Response, u64, Option<String>) {
    app.send_compte(Request::new(Method::Get, &format!("{COACH}{chemin}")))
}

/// A booking of `debut` with the coach through the API.
fn reservation_api(debut: &str) -> Request {
    let mut request = Request::new(Method::Post, RESERVER);
    request
        .headers
        .push(("content-type".into(), "application/json".into()));
    request.body = coach_body(debut).to_string().into_bytes();
    request
}

fn avec_en_tete(chemin: &str, nom: &str, valeur: &str) -> Request {
    let mut request = Request::new(Method::Get, &format!("{COACH}{chemin}"));
    request.headers.push((nom.into(), valeur.into()));
    request
}

#[test]
fn every_public_read_page_and_api_route_takes_one_round_trip() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    let formulaire = format!(
        "/professionnels/claire-fontaine/reserver?service=1012&debut={}",
        booking_tests::percent_encode(&debut)
    );
    for (chemin, statut) in [
        ("/", 200),
        ("/recherche", 200),
        ("/recherche?lieu=Lyon&q=coach", 200),
        ("/recherche?q=personne-ne-correspond", 200),
        ("/recherche?q=%25", 200),
        ("/recherche?page=2&par_page=2", 200),
        ("/ville/lyon", 200),
        ("/ville/nulle-part", 404),
        ("/professionnels/claire-fontaine", 200),
        ("/professionnels/claire-fontaine?service=1012&semaine=2026-12-07", 200),
        (formulaire.as_str(), 200),
        ("/professionnels/personne", 404),
        ("/api/v1/professionnels", 200),
        ("/api/v1/professionnels?ville=Lyon&service=s%C3%A9ance", 200),
        ("/api/v1/professionnels?q=personne-ne-correspond", 200),
        ("/api/v1/professionnels/claire-fontaine", 200),
        ("/api/v1/professionnels/personne", 404),
        ("/api/v1/professionnels/claire-fontaine/creneaux?service=1012", 200),
        (
            "/api/v1/professionnels/claire-fontaine/creneaux?service=1012&du=2026-12-01&au=2026-12-31",
            200,
        ),
        ("/api/v1/professionnels/personne/creneaux?service=1012", 404),
    ] {
        let (r, trajets, _) = get(&app, chemin);
        assert_eq!(r.status, statut, "{chemin}: {}", r.text());
        assert_eq!(trajets, 1, "{chemin}");
    }
}

#[test]
fn the_one_trip_pages_still_show_what_they_showed() {
    let app = TestApp::spawn().with_demo_data();
    // Cards with their services, the total, and cities to try when nothing matches.
    for chemin in ["/recherche?q=personne-ne-correspond", "/recherche?q=%25"] {
        let (r, _, _) = get(&app, chemin);
        assert!(
            r.text().contains("Lyon") || r.text().contains("Paris"),
            "{chemin}: {}",
            r.text()
        );
    }
    let (r, _, _) = get(&app, "/api/v1/professionnels?par_page=50");
    let liste = booking_tests::json(&r);
    let cartes = liste["professionnels"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(liste["total"].as_i64(), Some(cartes.len() as i64));
    for carte in &cartes {
        let services = carte["services"].as_array().cloned().unwrap_or_default();
        assert!(!services.is_empty(), "{carte}");
        let (r, _, _) = get(
            &app,
            &format!(
                "/api/v1/professionnels/{}",
                carte["slug"].as_str().unwrap_or("")
            ),
        );
        // The same services, in the same order, as the profile's own read.
        assert_eq!(booking_tests::json(&r)["services"], carte["services"]);
    }
}

#[test]
fn a_booking_takes_at_most_two_round_trips_through_the_api_and_the_form() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    let (r, trajets, _) = app.send_compte(reservation_api(&debut));
    assert_eq!(r.status, 201, "{}", r.text());
    assert!(trajets <= 2, "{trajets}");

    let mut nav = Navigateur::new(&app, "coach");
    let profil = premier_profil(&mut nav);
    let formulaire = premier_creneau(&mut nav, &profil);
    let (r, trajets) = reserver_compte(&mut nav, "coach", &formulaire);
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(trajets <= 2, "{trajets}");
    // The bookmark's cookie comes beside the booking's own manage cookie, not instead.
    let cookies: Vec<&str> = r
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.as_str())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("d1_signet=")),
        "{cookies:?}"
    );
    assert!(
        cookies.iter().any(|c| c.starts_with("gestion=")),
        "{cookies:?}"
    );
}

#[test]
fn two_bookings_of_one_slot_at_once_are_both_counted_and_one_is_refused() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    let compte = || {
        app.db
            .scalar("SELECT coalesce(sum(nombre), 0) FROM limites")
    };
    let avant = compte();
    // Both read the slot free; the second's one-trip batch then fails as a whole, so its
    // attempt is counted on its own before it is refused, as a booking always was.
    let mut statuts: Vec<u16> = app
        .send_all_at_once(vec![reservation_api(&debut), reservation_api(&debut)])
        .iter()
        .map(|r| r.status)
        .collect();
    statuts.sort_unstable();
    assert_eq!(statuts, [201, 409]);
    // Four rules for the requester and two for the professional, twice.
    assert_eq!(compte() - avant, 12);
    assert_eq!(app.db.scalar("SELECT count(*) FROM gardes"), 0);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE professionnel_id = 101 AND date_heure = {}",
            chrono::DateTime::parse_from_rfc3339(&debut).map_or(0, |d| d.timestamp())
        )),
        1
    );
}

#[test]
fn a_client_who_wrote_gets_a_bookmark_and_their_next_requests_continue_from_it() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    let (r, trajets, _) = app.send_compte(reservation_api(&debut));
    assert_eq!(r.status, 201, "{}", r.text());
    let signet = signet_apres(trajets);
    assert_eq!(r.header("x-d1-signet"), Some(signet.as_str()));
    let cookie = r
        .headers
        .iter()
        .find(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.starts_with("d1_signet="))
        .map(|(_, v)| v.clone())
        .expect("a bookmark cookie");
    assert!(
        cookie.starts_with(&format!("d1_signet={signet};")),
        "{cookie}"
    );
    for attribut in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribut), "{cookie}");
    }

    // A browser continues from its cookie, an API client from the header.
    let chemin = "/professionnels/claire-fontaine";
    let (_, _, continue_de) = app.send_compte(avec_en_tete(
        chemin,
        "cookie",
        &format!("d1_signet={signet}"),
    ));
    assert_eq!(continue_de.as_deref(), Some(signet.as_str()));
    let (_, _, continue_de) = app.send_compte(avec_en_tete(chemin, "x-d1-signet", &signet));
    assert_eq!(continue_de.as_deref(), Some(signet.as_str()));

    // A reader gets no bookmark; what is not a bookmark is never handed to D1.
    let (r, _, continue_de) = get(&app, chemin);
    assert_eq!(continue_de, None);
    assert_eq!(r.header("x-d1-signet"), None);
    assert!(!r
        .headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.contains("d1_signet")));
    for faux in [
        "first-primary",
        "0000; Path=/",
        "<script>",
        &"a".repeat(200),
    ] {
        let (r, _, continue_de) = app.send_compte(avec_en_tete(chemin, "x-d1-signet", faux));
        assert_eq!(r.status, 200, "{faux}");
        assert_eq!(continue_de, None, "{faux}");
    }
}

#[test]
fn each_request_logs_its_round_trips_and_rows() {
    let app = TestApp::spawn().with_demo_data();
    let (_, lignes) =
        booking_functions::log::capturer(|| get(&app, "/professionnels/claire-fontaine"));
    let ligne = lignes
        .iter()
        .find(|l| l.contains("\"route\""))
        .expect("the request's line");
    let ligne: serde_json::Value = serde_json::from_str(ligne).expect("JSON");
    assert_eq!(ligne["d1_trajets"], 1, "{ligne}");
    assert!(ligne["d1_lignes_lues"].is_u64(), "{ligne}");
    assert!(ligne["d1_lignes_ecrites"].is_u64(), "{ligne}");
}

#[test]
fn the_scale_generator_fills_a_small_marketplace_that_the_sites_serve_in_one_trip() {
    let app = TestApp::spawn().with_demo_data();
    let configs = booking_tests::demo::configurations().expect("the verticals");
    let volume = Volume {
        pros_par_vertical: 200,
        reservations: 3_000,
        charges: 2,
        par_charge: 300,
    };
    let aujourdhui = booking_shared::ports::Clock::now(&app.clock).date_naive();
    let bilan =
        futures::executor::block_on(remplir(&app.db, &configs, volume, aujourdhui, 500, |_| {}))
            .expect("the generator writes");
    assert_eq!(bilan.professionnels, 600);
    let ecrites = app
        .db
        .scalar("SELECT count(*) FROM reservations WHERE professionnel_id > 10000000");
    assert_eq!(u64::try_from(ecrites).ok(), Some(bilan.reservations));
    assert!(bilan.reservations >= 2_900, "{bilan:?}");
    // The loaded professional's history, and only upcoming bookings holding slots.
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM reservations WHERE professionnel_id = 10000001"),
        300
    );
    assert_eq!(
        app.db.scalar(
            "SELECT count(DISTINCT seance) FROM occupations WHERE membre_id IN \
             (SELECT id FROM membres WHERE professionnel_id > 10000000)"
        ),
        app.db.scalar(
            "SELECT count(*) FROM reservations WHERE professionnel_id > 10000000 AND statut = 'confirmee'"
        )
    );

    // Each one's next free slot is computed, and the directory sorts and filters by it.
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM professionnels WHERE id > 10000000 \
             AND (prochaine_dispo IS NULL OR dispo_revoir_a = 0)"
        ),
        0
    );
    let (r, trajets, _) = get(
        &app,
        "/api/v1/professionnels?tri=disponibilite&disponible=semaine&par_page=50",
    );
    assert_eq!((r.status, trajets), (200, 1), "{}", r.text());
    let debuts: Vec<String> = booking_tests::json(&r)["professionnels"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p["prochaine_disponibilite"].as_str().map(str::to_owned))
        .collect();
    assert!(!debuts.is_empty(), "{}", r.text());
    assert!(debuts.windows(2).all(|d| d[0] <= d[1]), "{debuts:?}");

    // Listed, searchable, with free slots, bookable — each read in one trip.
    let (r, trajets, _) = get(&app, "/api/v1/professionnels?par_page=5");
    assert_eq!((r.status, trajets), (200, 1));
    assert!(booking_tests::json(&r)["total"].as_i64() > Some(200));
    let lignes = futures::executor::block_on(booking_shared::store::Db::query(
        &app.db,
        booking_shared::store::Statement::new(
            "SELECT slug FROM professionnels WHERE id = 10000001",
        ),
    ))
    .expect("the generated professional");
    let slug_reel = lignes[0]["slug"].as_str().unwrap_or("").to_owned();
    let (r, trajets, _) = get(&app, &format!("/professionnels/{slug_reel}"));
    assert_eq!((r.status, trajets), (200, 1), "{}", r.text());
    let creneaux = app.creneaux(
        "coach.localhost",
        &slug_reel,
        100_000_011,
        "2026-11-30",
        "2026-12-06",
    );
    assert!(!creneaux.is_empty());
    let mut corps = coach_body(&creneaux[0].0);
    corps["professionnel"] = slug_reel.clone().into();
    corps["service"] = 100_000_011.into();
    let r = app.post_json(RESERVER, &corps);
    assert_eq!(r.status, 201, "{}", r.text());
}

#[test]
fn the_reads_of_a_public_page_find_its_professional_by_the_slug_index() {
    use booking_shared::store::professionnels::{lecture_publique, Designe};
    use booking_shared::store::{reservations, services, Db};
    use chrono::{TimeZone, Utc};

    let app = TestApp::spawn().with_demo_data();
    let qui = Designe::Public {
        vertical: "coach",
        slug: "claire-fontaine",
    };
    let de = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    let a = Utc.with_ymd_and_hms(2026, 12, 8, 0, 0, 0).unwrap();
    for lecture in [
        lecture_publique(qui),
        services::lecture_actifs(qui),
        reservations::lecture_occupations(qui, de, a, de, None),
    ] {
        let details = app.db.plan(&lecture);
        assert!(
            details
                .iter()
                .any(|d| d.contains("professionnels_vertical_slug") && d.contains("slug=?")),
            "{}: {details:?}",
            lecture.sql
        );
        assert!(
            !details.iter().any(|d| d.starts_with("SCAN")),
            "{details:?}"
        );
    }
    let pro = futures::executor::block_on(app.db.query(lecture_publique(qui))).unwrap();
    assert_eq!(pro.len(), 1);
    let absent = Designe::Public {
        vertical: "garage",
        slug: "claire-fontaine",
    };
    let personne = futures::executor::block_on(app.db.query(lecture_publique(absent))).unwrap();
    assert!(personne.is_empty());
}
