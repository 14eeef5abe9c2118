//! The waitlist on workerd: a cancelled slot goes to the first in line, whose e-mail's
//! link books it, and while it is held for them 50 concurrent bookings of it all fail.

use std::thread;
use std::time::{Duration, Instant};

use booking_tests::wrangler::{server, source_unique, HttpResponse};
use serde_json::{json, Value};

use crate::notifications::{unique_email, SEQUENTIEL};

const HOST: &str = "coach.localhost";
/// A coach no other end-to-end test books, whose Saturdays are short (09:00–12:00).
const SLUG: &str = "elodie-garnier";

fn post(path: &str, body: &Value) -> HttpResponse {
    server()
        .post_from(
            HOST,
            path,
            "application/json",
            body.to_string().as_bytes(),
            &source_unique(),
        )
        .expect("an answer")
}

fn service() -> i64 {
    let r = server()
        .get(HOST, &format!("/api/v1/professionnels/{SLUG}"))
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["services"][0]["id"].as_i64().unwrap()
}

/// A Saturday a few weeks ahead, within the booking horizon.
fn samedi() -> chrono::NaiveDate {
    use chrono::Datelike;
    let mut jour = chrono::Utc::now().date_naive() + chrono::Duration::days(14);
    while jour.weekday() != chrono::Weekday::Sat {
        jour += chrono::Duration::days(1);
    }
    jour
}

fn libres(service: i64, jour: chrono::NaiveDate) -> Vec<String> {
    let r = server()
        .get(
            HOST,
            &format!(
                "/api/v1/professionnels/{SLUG}/creneaux?service={service}&du={jour}&au={jour}"
            ),
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["creneaux"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["debut"].as_str().unwrap().to_owned())
        .collect()
}

/// The text of the first message to `email` whose key starts with `cle`, waiting for it.
fn courriel(email: &str, cle: &str) -> String {
    let debut = Instant::now();
    loop {
        let r = server().mail("GET", "/_test/messages", b"").unwrap();
        let trouve = r
            .json()
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .find(|m| {
                m["to"]
                    .as_array()
                    .is_some_and(|to| to.iter().any(|t| t == email))
                    && m["idempotency_key"]
                        .as_str()
                        .is_some_and(|k| k.starts_with(cle))
            });
        if let Some(m) = trouve {
            return m["text"].as_str().unwrap_or_default().to_owned();
        }
        assert!(
            debut.elapsed() < Duration::from_secs(20),
            "no {cle} e-mail to {email}"
        );
        server().scheduled();
        std::thread::sleep(Duration::from_millis(250));
    }
}

fn secret_apres(texte: &str, chemin: &str) -> String {
    let debut = texte
        .find(chemin)
        .unwrap_or_else(|| panic!("{chemin} in {texte}"))
        + chemin.len();
    texte[debut..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect()
}

/// A guest joins the line for `jour` and confirms from the e-mail's link.
fn inscrire(service: i64, jour: chrono::NaiveDate, email: &str) {
    let r = post(
        &format!("/api/v1/professionnels/{SLUG}/liste-attente"),
        &json!({ "service": service, "du": jour.to_string(), "au": jour.to_string(), "nom": "Attente E2E", "email": email }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    server().scheduled();
    let texte = courriel(email, "inscription_liste_attente:");
    let jeton = secret_apres(&texte, "/liste-attente?token=");
    let r = post(
        "/api/v1/liste-attente",
        &json!({ "token": jeton, "action": "confirmer" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn a_cancelled_slot_is_offered_to_the_first_in_line_held_against_fifty_concurrent_bookings_and_booked_from_the_link(
) {
    let _un = SEQUENTIEL.lock().unwrap_or_else(|e| e.into_inner());
    let service = service();
    let jour = samedi();
    // The day filled, one guest booking after the other, each confirmed from its e-mail.
    let mut reservees = Vec::new();
    while let Some(debut) = libres(service, jour).first().cloned() {
        let r = post(
            "/api/v1/reservations",
            &json!({
                "professionnel": SLUG, "service": service, "debut": debut,
                "nom": "Occupe E2E", "email": unique_email("occupe"), "telephone": "06 12 34 56 78",
                "reponses": { "objectif": "Dormir mieux", "format": "presentiel" }
            }),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        let b = r.json();
        server().confirm_from_email(HOST, b["id"].as_str().unwrap());
        reservees.push((b, debut));
        assert!(reservees.len() < 20, "the day never fills");
    }
    let premier = unique_email("premier");
    let second = unique_email("second");
    inscrire(service, jour, &premier);
    inscrire(service, jour, &second);

    // A cancellation: the slot is held for the first in line.
    let (b, debut) = &reservees[0];
    let r = post(
        &format!("/api/v1/reservations/{}/annuler", b["id"].as_str().unwrap()),
        &json!({ "token": b["token"] }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    server().scheduled();
    let texte = courriel(&premier, "offre_liste_attente:");
    assert!(
        texte.contains("Un créneau s'est libéré pour vous"),
        "{texte}"
    );
    let chemin = "/reservations/";
    let id: String = texte[texte.find("/offre?token=").map(|f| f - 36).unwrap()..]
        .chars()
        .take(36)
        .collect();
    assert!(texte.contains(&format!("{chemin}{id}/offre?token=")));
    let jeton = secret_apres(&texte, "/offre?token=");

    // Held: 50 clients at once cannot book it.
    let corps: Vec<Vec<u8>> = (0..50)
        .map(|n| {
            json!({
                "professionnel": SLUG, "service": service, "debut": debut,
                "nom": format!("Course {n}"), "email": unique_email(&format!("course{n}")), "telephone": "06 12 34 56 78",
                "reponses": { "objectif": "Dormir mieux", "format": "presentiel" }
            })
            .to_string()
            .into_bytes()
        })
        .collect();
    let barriere = std::sync::Barrier::new(corps.len());
    let reponses: Vec<HttpResponse> = thread::scope(|scope| {
        let fils: Vec<_> = corps
            .iter()
            .map(|b| {
                let barriere = &barriere;
                let ip = source_unique();
                scope.spawn(move || {
                    barriere.wait();
                    server()
                        .post_from(HOST, "/api/v1/reservations", "application/json", b, &ip)
                        .expect("an answer")
                })
            })
            .collect();
        fils.into_iter()
            .map(|f| f.join().expect("a thread"))
            .collect()
    });
    for r in &reponses {
        assert!(
            r.status == 409 || r.status == 429,
            "{} {}",
            r.status,
            r.text()
        );
    }
    assert_eq!(reponses.iter().filter(|r| r.status == 201).count(), 0);
    assert!(!libres(service, jour).contains(debut));

    // The link of the e-mail books it: its page, then its button.
    let r = server()
        .get(HOST, &format!("/reservations/{id}/offre?token={jeton}"))
        .unwrap();
    assert_eq!(r.status, 303, "{}", r.text());
    let r = post(
        &format!("/api/v1/reservations/{id}/offre"),
        &json!({ "token": jeton, "reponse": "accepter" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["statut"], "confirmee");
    assert_eq!(r.json()["debut"], *debut);
    // The second in line was not offered it.
    assert_eq!(
        server().d1_scalar(&format!(
            "SELECT count(*) FROM reservations WHERE client_email = '{second}' AND statut = 'offerte'"
        )),
        0
    );
}
