//! Booking against the real Worker and D1: concurrency cannot produce a double booking,
//! and a guest's request is confirmed from the link of the e-mail it sends.

use std::thread;

use booking_tests::wrangler::{server, source_unique, HttpResponse};
use serde_json::{json, Value};

const HOST: &str = "coach.localhost";

fn get_json(path: &str) -> Value {
    let r = server().get(HOST, path).unwrap();
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.json()
}

fn services(slug: &str) -> Vec<(i64, i64)> {
    get_json(&format!("/api/v1/professionnels/{slug}"))["services"]
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

fn slots(slug: &str, service: i64) -> Vec<String> {
    let today = chrono::Utc::now().date_naive();
    let du = today + chrono::Duration::days(2);
    let au = du + chrono::Duration::days(6);
    get_json(&format!(
        "/api/v1/professionnels/{slug}/creneaux?service={service}&du={du}&au={au}"
    ))["creneaux"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["debut"].as_str().unwrap().to_owned())
        .collect()
}

fn body(slug: &str, service: i64, debut: &str, n: usize) -> Vec<u8> {
    json!({
        "professionnel": slug, "service": service, "debut": debut,
        "nom": format!("Client {n}"), "email": format!("client{n}@exemple.fr"), "telephone": "06 12 34 56 78",
        "reponses": { "objectif": "Reprendre le sport", "format": "presentiel" }
    })
    .to_string()
    .into_bytes()
}

/// Sends every request at once (one thread each, each from a client address of its
/// own, as 50 different clients would) and returns the responses.
fn all_at_once(requests: Vec<Vec<u8>>) -> Vec<HttpResponse> {
    tous_ensemble(HOST, requests.into_iter().map(|b| (None, b)).collect())
}

/// Sends every booking at once to `host`, each from a client address of its own and
/// with its bearer token if any, and returns the responses.
pub(crate) fn tous_ensemble(
    host: &str,
    demandes: Vec<(Option<String>, Vec<u8>)>,
) -> Vec<HttpResponse> {
    let barrier = std::sync::Barrier::new(demandes.len());
    thread::scope(|scope| {
        let handles: Vec<_> = demandes
            .iter()
            .map(|(token, corps)| {
                let barrier = &barrier;
                let ip = source_unique();
                let auth = token.as_ref().map(|t| format!("Bearer {t}"));
                scope.spawn(move || {
                    let mut headers = vec![
                        ("content-type", "application/json"),
                        ("cf-connecting-ip", ip.as_str()),
                    ];
                    headers.extend(auth.as_deref().map(|a| ("authorization", a)));
                    barrier.wait();
                    server()
                        .request("POST", host, "/api/v1/reservations", &headers, corps)
                        .expect("an answer")
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("request thread"))
            .collect()
    })
}

/// (created, refused). Refused is 409 (the slot went to another) or, honestly, 429 (the
/// professional received too many unconfirmed requests at once); never a 5xx.
fn tally(responses: &[HttpResponse]) -> (usize, usize) {
    for r in responses {
        assert!(r.status < 500, "no 5xx: {} {}", r.status, r.text());
        assert!(
            r.status == 201 || r.status == 409 || r.status == 429,
            "{} {}",
            r.status,
            r.text()
        );
        if r.status == 409 {
            assert_eq!(r.json()["code"], "creneau_indisponible");
        }
        if r.status == 429 {
            assert_eq!(r.json()["code"], "professionnel_trop_sollicite");
            assert!(r.header("retry-after").is_some());
        }
    }
    let created = responses.iter().filter(|r| r.status == 201).count();
    (created, responses.len() - created)
}

#[test]
fn fifty_concurrent_bookings_of_one_slot_make_exactly_one_booking() {
    let slug = "julien-morel";
    let (service, _) = services(slug)
        .into_iter()
        .find(|(_, d)| *d == 60)
        .expect("a 60-minute service");
    let debut = slots(slug, service)
        .into_iter()
        .next()
        .expect("a free slot");
    let responses = all_at_once((0..50).map(|n| body(slug, service, &debut, n)).collect());
    assert_eq!(tally(&responses), (1, 49));
    assert!(
        !slots(slug, service).contains(&debut),
        "the slot is no longer offered"
    );
}

#[test]
fn concurrent_overlapping_bookings_of_different_lengths_make_exactly_one_booking() {
    let slug = "sophie-lambert";
    let services = services(slug);
    let (court, _) = *services
        .iter()
        .find(|(_, d)| *d == 30)
        .expect("a 30-minute service");
    let (long, _) = *services
        .iter()
        .find(|(_, d)| *d >= 60)
        .expect("a service of an hour or more");
    let courts = slots(slug, court);
    // A long booking at S and a short one at S + 30 min overlap.
    let (debut_long, debut_court) = slots(slug, long)
        .into_iter()
        .find_map(|s| {
            let plus30 = (chrono::DateTime::parse_from_rfc3339(&s).unwrap()
                + chrono::Duration::minutes(30))
            .to_rfc3339();
            courts.contains(&plus30).then_some((s, plus30))
        })
        .expect("overlapping slots of both services");
    let requests = (0..50)
        .map(|n| {
            if n % 2 == 0 {
                body(slug, long, &debut_long, n)
            } else {
                body(slug, court, &debut_court, n)
            }
        })
        .collect();
    assert_eq!(tally(&all_at_once(requests)), (1, 49));
}

/// The HTML form field `name`'s value.
pub(crate) fn champ(html: &str, name: &str) -> String {
    html.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|v| v.split('"').next())
        .unwrap_or_else(|| panic!("no field {name} in {html}"))
        .to_owned()
}

pub(crate) fn cookie(r: &HttpResponse, nom: &str) -> String {
    r.headers
        .iter()
        .filter(|(n, _)| n == "set-cookie")
        .filter_map(|(_, v)| v.split(';').next())
        .find(|paire| paire.starts_with(&format!("{nom}=")))
        .unwrap_or_else(|| panic!("no cookie {nom}"))
        .to_owned()
}

#[test]
fn a_guest_request_is_held_until_confirmed_from_the_emails_link_on_workerd() {
    let slug = "karim-benali";
    let (service, _) = services(slug)[0];
    let debut = slots(slug, service)
        .into_iter()
        .next()
        .expect("a free slot");
    let email = format!("confirmation-{}@exemple.fr", std::process::id());
    let body = json!({
        "professionnel": slug, "service": service, "debut": debut,
        "nom": "Camille Invitée", "email": email, "telephone": "06 12 34 56 78",
        "message": "Texte libre de la demande",
        "reponses": { "objectif": "Parler en public", "format": "visio" }
    });
    let r = server()
        .post_from(
            HOST,
            "/api/v1/reservations",
            "application/json",
            body.to_string().as_bytes(),
            &source_unique(),
        )
        .unwrap();
    assert_eq!(r.status, 201, "{}", r.text());
    let b = r.json();
    let id = b["id"].as_str().unwrap().to_owned();
    assert_eq!(b["statut"], "en_attente_confirmation");
    assert!(!slots(slug, service).contains(&debut), "the slot is held");

    // The e-mail: who, what, when and the link; nothing the requester typed.
    let chemin = server().confirmation_path_from_email(&id);
    let mail = &server().mails(&format!("demande_confirmation:{id}"), 1)[0];
    let texte = mail["text"].as_str().unwrap();
    assert!(texte.contains("Karim Benali"), "{texte}");
    assert!(
        !texte.contains("Camille") && !texte.contains("Texte libre"),
        "{texte}"
    );
    assert!(server().mails(&format!("confirmation:{id}"), 0).is_empty());

    // Opening the link (as a mail scanner does) confirms nothing: its secret leaves the
    // address for a cookie on that page alone, and the page shows a button.
    let echange = server().get(HOST, &chemin).unwrap();
    assert_eq!(echange.status, 303, "{}", echange.text());
    let propre = echange.header("location").unwrap().to_owned();
    assert_eq!(propre, format!("/reservations/{id}/confirmer"));
    let cookie_lien = cookie(&echange, "confirmation");
    let page = server()
        .request("GET", HOST, &propre, &[("cookie", &cookie_lien)], b"")
        .unwrap();
    assert_eq!(page.status, 200, "{}", page.text());
    let statut =
        format!("SELECT statut = 'en_attente_confirmation' FROM reservations WHERE id = '{id}'");
    assert_eq!(server().d1_scalar(&statut), 1);
    let html = page.text();
    assert!(html.contains("Confirmer mon rendez-vous"));
    // The button does: its form, with the page's CSRF cookie and the link's cookie.
    let form = format!("csrf={}", champ(&html, "csrf"));
    let cookies = format!("{}; {cookie_lien}", cookie(&page, "csrf"));
    let r = server()
        .request(
            "POST",
            HOST,
            &propre,
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("cookie", &cookies),
            ],
            form.as_bytes(),
        )
        .unwrap();
    assert_eq!(r.status, 303, "{}", r.text());
    let gestion = r.header("location").unwrap().to_owned();
    assert_eq!(gestion, format!("/reservations/{id}?fait=confirmee"));
    assert_eq!(
        server().d1_scalar(&format!(
            "SELECT statut = 'confirmee' FROM reservations WHERE id = '{id}'"
        )),
        1
    );
    let page = server()
        .request(
            "GET",
            HOST,
            &gestion,
            &[("cookie", &cookie(&r, "gestion"))],
            b"",
        )
        .unwrap();
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("Votre rendez-vous est confirmé"));
    // Then, and only then, the confirmation e-mail with the manage link.
    server().scheduled();
    let confirmations = server().mails(&format!("confirmation:{id}"), 1);
    assert_eq!(confirmations.len(), 1);
    assert!(confirmations[0]["text"]
        .as_str()
        .unwrap()
        .contains(b["token"].as_str().unwrap()));
    // A second use of the link: a clear page, nothing more.
    let encore = server().get(HOST, &chemin).unwrap();
    assert_eq!(encore.status, 409);
    assert!(encore.text().contains("déjà confirmée"));
}

#[test]
fn a_client_who_booked_gets_a_d1_bookmark_and_reads_their_booking_with_it_on_workerd() {
    let slug = "claire-fontaine";
    let (service, _) = services(slug)[0];
    // The week's last free slot: the tests running beside this one take the first ones.
    let debut = slots(slug, service)
        .into_iter()
        .last()
        .expect("a free slot");
    let r = server()
        .post_from(
            HOST,
            "/api/v1/reservations",
            "application/json",
            &body(slug, service, &debut, 9_001),
            &source_unique(),
        )
        .unwrap();
    assert_eq!(r.status, 201, "{}", r.text());
    // The local D1 runs sessions too: the write's bookmark comes back, header and cookie.
    let signet = r
        .header("x-d1-signet")
        .expect("a bookmark after a write")
        .to_owned();
    assert_eq!(cookie(&r, "d1_signet"), format!("d1_signet={signet}"));
    // Reads continued from it see the booking: its slot is no longer offered.
    let today = chrono::Utc::now().date_naive();
    let du = today + chrono::Duration::days(2);
    let au = du + chrono::Duration::days(6);
    let chemin =
        format!("/api/v1/professionnels/{slug}/creneaux?service={service}&du={du}&au={au}");
    for en_tete in [
        ("x-d1-signet", signet.clone()),
        ("cookie", format!("d1_signet={signet}")),
    ] {
        let lus = server()
            .request(
                "GET",
                HOST,
                &chemin,
                &[(en_tete.0, en_tete.1.as_str())],
                b"",
            )
            .unwrap();
        assert_eq!(lus.status, 200, "{}", lus.text());
        assert!(!lus.text().contains(&debut), "{}", lus.text());
        assert!(
            lus.header("x-d1-signet").is_none(),
            "a read gives no bookmark"
        );
    }
    // A bookmark that is not one is ignored, never a failure.
    let lus = server()
        .request(
            "GET",
            HOST,
            &chemin,
            &[("x-d1-signet", "first-primary")],
            b"",
        )
        .unwrap();
    assert_eq!(lus.status, 200, "{}", lus.text());
}
