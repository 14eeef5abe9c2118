//! Booking abuse: one client posting booking after booking. Creations are counted per
//! source (IPv4, or IPv6 /64), per e-mail address and, for the requests an attacker
//! controls (holds awaiting confirmation or payment), per professional; the holds one
//! e-mail or one source keeps at one professional are capped in the booking's own batch.

use booking_functions::http::{Method, Request};
use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

use crate::comptes::{client, jeton};

const COACH: &str = "http://coach.localhost:8787";
const GARAGE: &str = "http://garage.localhost:8787";

fn reserver_url(base: &str) -> String {
    format!("{base}/api/v1/reservations")
}

/// A professional's services as (id, minutes).
fn services(app: &TestApp, base: &str, slug: &str) -> Vec<(i64, i64)> {
    json(&app.get(&format!("{base}/api/v1/professionnels/{slug}")))["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_i64().unwrap(),
                s["duree_minutes"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn slugs(app: &TestApp, base: &str) -> Vec<String> {
    json(&app.get(&format!("{base}/api/v1/professionnels?par_page=50")))["professionnels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap().to_owned())
        .collect()
}

fn slots(app: &TestApp, base: &str, slug: &str, service: i64, du: &str, au: &str) -> Vec<String> {
    let host = base
        .trim_start_matches("http://")
        .split(':')
        .next()
        .unwrap();
    app.creneaux(host, slug, service, du, au)
        .into_iter()
        .map(|(d, _)| d)
        .collect()
}

/// Starts at least `ecart` minutes apart, so that bookings of them never overlap.
fn disjoints(debuts: &[String], ecart: i64) -> Vec<String> {
    let mut choisis: Vec<String> = Vec::new();
    for d in debuts {
        let t = chrono::DateTime::parse_from_rfc3339(d).unwrap();
        if choisis.iter().all(|c| {
            (chrono::DateTime::parse_from_rfc3339(c).unwrap() - t)
                .num_minutes()
                .abs()
                >= ecart
        }) {
            choisis.push(d.clone());
        }
    }
    choisis
}

fn coach(slug: &str, service: i64, debut: &str, email: &str) -> Value {
    j!({
        "professionnel": slug, "service": service, "debut": debut,
        "nom": "Client Test", "email": email, "telephone": "06 12 34 56 78",
        "reponses": { "objectif": "Reprendre le sport", "format": "presentiel" }
    })
}

fn garage(slug: &str, service: i64, debut: &str, email: &str) -> Value {
    j!({
        "professionnel": slug, "service": service, "debut": debut,
        "nom": "Client Test", "email": email, "telephone": "06 12 34 56 78",
        "reponses": { "immatriculation": "AB-123-CD", "marque": "Renault", "modele": "Clio", "kilometrage": "85000" }
    })
}

fn requete(url: &str, body: &Value, ip: &str) -> Request {
    let mut r = Request::new(Method::Post, url);
    r.headers
        .push(("content-type".into(), "application/json".into()));
    r.headers.push(("cf-connecting-ip".into(), ip.into()));
    r.body = body.to_string().into_bytes();
    r
}

/// A 429 as the API gives it: problem+json with its stable code, a French title and a
/// `Retry-After` in seconds.
fn assert_limite(r: &booking_functions::http::Response, code: &str) {
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    let retry: i64 = r
        .header("retry-after")
        .expect("a Retry-After")
        .parse()
        .expect("seconds");
    assert!(retry > 0 && retry <= 24 * 3600, "{retry}");
    let p = json(r);
    assert_eq!(p["code"], code, "{p}");
    assert!(p["title"].as_str().unwrap().contains("réserv"), "{p}");
}

#[test]
fn one_source_cannot_fill_a_coachs_day_with_guest_bookings() {
    let app = TestApp::spawn().with_demo_data();
    let slug = "julien-morel";
    let (service, _) = *services(&app, COACH, slug)
        .iter()
        .find(|(_, d)| *d == 30)
        .unwrap();
    // A day with room for the coach's whole daily maximum (8).
    let jour = "2026-12-01";
    assert!(slots(&app, COACH, slug, service, jour, jour).len() >= 8);
    let mut creees = 0;
    let mut refus = Vec::new();
    for n in 0..8 {
        let Some(debut) = slots(&app, COACH, slug, service, jour, jour)
            .into_iter()
            .next()
        else {
            break;
        };
        let r = app.post_json_from(
            &reserver_url(COACH),
            &coach(slug, service, &debut, &format!("visiteur{n}@exemple.fr")),
            "203.0.113.7",
        );
        match r.status {
            201 => creees += 1,
            _ => refus.push(r),
        }
    }
    assert!(creees <= 6, "one source held {creees} slots of one day");
    let premier = refus.first().expect("a refusal");
    assert_limite(premier, "trop_de_demandes_en_attente");
    // The day is not full: someone else still books it.
    let debut = slots(&app, COACH, slug, service, jour, jour)
        .into_iter()
        .next()
        .expect("a slot left that day");
    let r = app.post_json_from(
        &reserver_url(COACH),
        &coach(slug, service, &debut, "autre@exemple.fr"),
        "198.51.100.20",
    );
    assert_eq!(r.status, 201, "{}", r.text());
}

#[test]
fn one_source_cannot_post_booking_after_booking_without_a_429() {
    let app = TestApp::spawn().with_demo_data();
    let pros = slugs(&app, COACH);
    let mut statuts = Vec::new();
    let mut derniere = None;
    // Twelve in a row from one address, each with its own e-mail, spread over
    // professionals so that no single cap is what stops them.
    for n in 0..12 {
        let slug = &pros[n % pros.len()];
        let (service, _) = services(&app, COACH, slug)[0];
        let debut = slots(&app, COACH, slug, service, "2026-11-30", "2026-12-11")
            .into_iter()
            .next()
            .unwrap();
        let r = app.post_json_from(
            &reserver_url(COACH),
            &coach(slug, service, &debut, &format!("serie{n}@exemple.fr")),
            "203.0.113.8",
        );
        statuts.push(r.status);
        derniere = Some(r);
    }
    assert_eq!(
        statuts.iter().filter(|s| **s == 201).count(),
        10,
        "{statuts:?}"
    );
    assert_limite(&derniere.unwrap(), "trop_de_reservations");
    // Another address is not affected.
    let slug = &pros[0];
    let (service, _) = services(&app, COACH, slug)[0];
    let debut = slots(&app, COACH, slug, service, "2026-11-30", "2026-12-11")
        .into_iter()
        .next()
        .unwrap();
    let r = app.post_json_from(
        &reserver_url(COACH),
        &coach(slug, service, &debut, "voisin@exemple.fr"),
        "2001:db8:1:2::1",
    );
    assert_eq!(r.status, 201, "{}", r.text());
    // An IPv6 client is one source per /64, whichever address of it it uses.
    let mut refuses = 0;
    for n in 0..11 {
        let (service, _) = services(&app, COACH, &pros[n % pros.len()])[0];
        let slug = &pros[n % pros.len()];
        let debut = slots(&app, COACH, slug, service, "2026-11-30", "2026-12-11")
            .into_iter()
            .next()
            .unwrap();
        let r = app.post_json_from(
            &reserver_url(COACH),
            &coach(slug, service, &debut, &format!("v6-{n}@exemple.fr")),
            &format!("2001:db8:1:2::{:x}", n + 2),
        );
        if r.status == 429 {
            refuses += 1;
        }
    }
    assert!(
        refuses >= 2,
        "the /64 shares one allowance ({refuses} refused)"
    );
}

#[test]
fn one_email_address_cannot_be_flooded_with_booking_emails() {
    let app = TestApp::spawn().with_demo_data();
    let pros = slugs(&app, COACH);
    let avant = app.db.scalar("SELECT count(*) FROM outbox");
    let mut statuts = Vec::new();
    let mut derniere = None;
    // A different address each time, one victim's e-mail.
    for n in 0..10 {
        let slug = &pros[n % pros.len()];
        let (service, _) = services(&app, COACH, slug)[0];
        let debut = slots(&app, COACH, slug, service, "2026-11-30", "2026-12-11")
            .into_iter()
            .next()
            .unwrap();
        let r = app.post_json_from(
            &reserver_url(COACH),
            &coach(slug, service, &debut, "Victime@Exemple.fr"),
            &format!("192.0.2.{}", n + 1),
        );
        statuts.push(r.status);
        derniere = Some(r);
    }
    assert_eq!(
        statuts.iter().filter(|s| **s == 201).count(),
        8,
        "{statuts:?}"
    );
    assert_limite(&derniere.unwrap(), "trop_de_reservations");
    // One e-mail per accepted request (the request to confirm it), none for the others.
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM outbox WHERE destinataire = 'Victime@Exemple.fr' COLLATE NOCASE"
        ),
        8
    );
    assert_eq!(app.db.scalar("SELECT count(*) FROM outbox") - avant, 8);
}

#[test]
fn unpaid_holds_per_email_at_one_professional_are_capped_even_under_concurrency() {
    let app = TestApp::spawn().with_demo_data();
    let slug = slugs(&app, GARAGE)[0].clone();
    let (service, _) = services(&app, GARAGE, &slug)[0];
    let debuts = disjoints(
        &slots(&app, GARAGE, &slug, service, "2026-11-30", "2026-12-11"),
        240,
    );
    assert!(debuts.len() >= 6);
    // Six requests at once, each from its own address, for six different slots, all
    // with one e-mail: every one of them reads "no hold yet" before any of them writes.
    let requetes = debuts
        .iter()
        .take(6)
        .enumerate()
        .map(|(n, d)| {
            requete(
                &reserver_url(GARAGE),
                &garage(&slug, service, d, "meme@exemple.fr"),
                &format!("192.0.2.{}", n + 10),
            )
        })
        .collect();
    let reponses = app.send_all_at_once(requetes);
    for r in &reponses {
        assert!(
            r.status == 201 || r.status == 429,
            "{} {}",
            r.status,
            r.text()
        );
    }
    let creees = reponses.iter().filter(|r| r.status == 201).count();
    assert_eq!(
        creees, 4,
        "four unpaid holds per e-mail at one professional"
    );
    let refus = reponses.iter().find(|r| r.status == 429).unwrap();
    assert_limite(refus, "trop_de_demandes_en_attente");
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM reservations WHERE client_email = 'meme@exemple.fr' \
             AND statut = 'en_attente_paiement'"
        ),
        4
    );
    assert_eq!(
        app.http.requests_to("/v1/checkout/sessions").len(),
        4,
        "no Checkout session for a refused request"
    );
    assert_eq!(app.db.scalar("SELECT count(*) FROM gardes"), 0);
}

#[test]
fn unconfirmed_holds_per_source_at_one_professional_are_capped_even_under_concurrency() {
    let app = TestApp::spawn().with_demo_data();
    let slug = "julien-morel";
    let (service, _) = *services(&app, COACH, slug)
        .iter()
        .find(|(_, d)| *d == 60)
        .unwrap();
    // Eight at once from one address, each slot on its own and each e-mail its own.
    let choisis = disjoints(
        &slots(&app, COACH, slug, service, "2026-11-30", "2026-12-11"),
        120,
    );
    assert!(choisis.len() >= 8);
    let requetes = choisis
        .iter()
        .take(8)
        .enumerate()
        .map(|(n, d)| {
            requete(
                &reserver_url(COACH),
                &coach(slug, service, d, &format!("famille{n}@exemple.fr")),
                "203.0.113.99",
            )
        })
        .collect();
    let reponses = app.send_all_at_once(requetes);
    for r in &reponses {
        assert!(
            r.status == 201 || r.status == 429,
            "{} {}",
            r.status,
            r.text()
        );
    }
    assert_eq!(reponses.iter().filter(|r| r.status == 201).count(), 6);
    assert_limite(
        reponses.iter().find(|r| r.status == 429).unwrap(),
        "trop_de_demandes_en_attente",
    );
}

#[test]
fn many_sources_cannot_flood_one_professional_with_unconfirmed_requests_but_verified_clients_still_book(
) {
    let app = TestApp::spawn().with_demo_data();
    let slug = "julien-morel";
    let (service, _) = *services(&app, COACH, slug)
        .iter()
        .find(|(_, d)| *d == 30)
        .unwrap();
    let mut statuts = Vec::new();
    // Many addresses and e-mails, each well within its own limits.
    for n in 0..32 {
        let debut = slots(&app, COACH, slug, service, "2026-11-26", "2026-12-24")
            .into_iter()
            .next()
            .unwrap();
        let r = app.post_json_from(
            &reserver_url(COACH),
            &coach(slug, service, &debut, &format!("bot{n}@exemple.fr")),
            &format!("198.18.{}.{}", n / 200, n % 200 + 1),
        );
        statuts.push(r.status);
        if r.status == 429 {
            assert_limite(&r, "professionnel_trop_sollicite");
        }
    }
    assert_eq!(
        statuts.iter().filter(|s| **s == 201).count(),
        30,
        "{statuts:?}"
    );
    // A client whose address is verified is confirmed at once: what the limit counts
    // (unconfirmed requests) is not what they make, so they still book.
    let id = client(&app, "verifiee@exemple.fr");
    app.db.execute_script(&format!(
        "UPDATE users SET email_verifie_at = 1 WHERE id = {id}"
    ));
    let debut = slots(&app, COACH, slug, service, "2026-11-26", "2026-12-24")
        .into_iter()
        .next()
        .unwrap();
    let mut r = requete(
        &reserver_url(COACH),
        &coach(slug, service, &debut, "verifiee@exemple.fr"),
        "198.51.100.77",
    );
    r.headers.push((
        "authorization".into(),
        format!("Bearer {}", jeton(&app, id)),
    ));
    let r = app.send(r);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(json(&r)["statut"], "confirmee");
}

#[test]
fn a_family_booking_several_appointments_is_not_blocked() {
    let app = TestApp::spawn().with_demo_data();
    let pros = slugs(&app, COACH);
    let ip = "203.0.113.50";
    // Four sessions with one coach and two with another, from one home, one e-mail.
    let mut ids = Vec::new();
    for (slug, fois) in [(&pros[0], 4), (&pros[1], 2)] {
        let (service, _) = services(&app, COACH, slug)[0];
        for _ in 0..fois {
            let debut = slots(&app, COACH, slug, service, "2026-11-30", "2026-12-11")
                .into_iter()
                .next()
                .unwrap();
            let r = app.post_json_from(
                &reserver_url(COACH),
                &coach(slug, service, &debut, "parent@exemple.fr"),
                ip,
            );
            assert_eq!(r.status, 201, "{}", r.text());
            ids.push(json(&r)["id"].as_str().unwrap().to_owned());
        }
    }
    for id in &ids {
        assert_eq!(app.confirm_from_email(id)["statut"], "confirmee");
    }
}

#[test]
fn the_booking_form_says_so_in_french_when_a_source_has_booked_too_much() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = crate::comptes::Navigateur::new(&app);
    nav.ip = "203.0.113.61".into();
    let pros = slugs(&app, COACH);
    let mut dernier = None;
    for n in 0..11 {
        let slug = &pros[n % pros.len()];
        let (service, _) = services(&app, COACH, slug)[0];
        let debut = slots(&app, COACH, slug, service, "2026-11-30", "2026-12-11")
            .into_iter()
            .next()
            .unwrap();
        let page = format!(
            "{COACH}/professionnels/{slug}/reserver?service={service}&debut={}",
            booking_tests::percent_encode(&debut)
        );
        let email = format!("page{n}@exemple.fr");
        let r = nav.soumettre(
            &page,
            &format!("{COACH}/professionnels/{slug}/reserver"),
            &[
                ("service", &service.to_string()),
                ("debut", &debut),
                ("nom", "Camille Martin"),
                ("email", &email),
                ("telephone", "06 12 34 56 78"),
                ("objectif", "Courir"),
                ("format", "presentiel"),
            ],
        );
        dernier = Some(r);
    }
    let r = dernier.unwrap();
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(r.header("retry-after").is_some());
    let page = crate::pages_outils::texte(&r);
    assert!(page.contains("class=\"alerte\" role=\"alert\""), "{page}");
    assert!(page.contains("Trop de réservations"), "{page}");
    assert!(page.contains("value=\"Camille Martin\""), "values kept");
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM reservations WHERE client_email = 'page10@exemple.fr'"),
        0
    );
}
