//! Booking against the real Worker and D1: concurrency cannot produce a double booking.

use std::thread;

use booking_tests::wrangler::{server, HttpResponse};
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

/// Sends every request at once (one thread each) and returns the responses.
fn all_at_once(requests: Vec<Vec<u8>>) -> Vec<HttpResponse> {
    let barrier = std::sync::Barrier::new(requests.len());
    thread::scope(|scope| {
        let handles: Vec<_> = requests
            .iter()
            .map(|b| {
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    server()
                        .post(HOST, "/api/v1/reservations", "application/json", b)
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

fn tally(responses: &[HttpResponse]) -> (usize, usize) {
    for r in responses {
        assert!(r.status < 500, "no 5xx: {} {}", r.status, r.text());
        assert!(
            r.status == 201 || r.status == 409,
            "{} {}",
            r.status,
            r.text()
        );
        if r.status == 409 {
            assert_eq!(r.json()["code"], "creneau_indisponible");
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
