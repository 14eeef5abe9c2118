//! The demo's teams as a client meets them: the garage's « peu importe » gives each
//! mechanic (and bay) one booking of a slot, the coach's group session seats eight.

use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

use booking_functions::http::{Method, Response};

use crate::api_reservations::RESERVER;
use crate::comptes::{avec_bearer, client, jeton};

fn creneaux(app: &TestApp, host: &str, slug: &str, service: i64) -> Vec<Value> {
    let r = app.get(&format!(
        "http://{host}/api/v1/professionnels/{slug}/creneaux?service={service}&du=2026-11-30&au=2026-12-05"
    ));
    assert_eq!(r.status, 200, "{}", r.text());
    json(&r)["creneaux"].as_array().unwrap().clone()
}

/// The start of a session of the demo's group session with its eight seats free.
fn seance_libre(app: &TestApp) -> String {
    creneaux(app, "coach.localhost", "studio-elan-collectif", 1079)
        .into_iter()
        .find(|c| c["places"] == 8)
        .expect("a session with its eight seats")["debut"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Nine bookings of one session, one after the other (`reserver(n, body)`): eight seats,
/// then a refusal.
fn neuf_reservations(app: &TestApp, reserver: impl Fn(usize, Value) -> Response) {
    let debut = seance_libre(app);
    for n in 0..9 {
        let corps = j!({
            "professionnel": "studio-elan-collectif", "service": 1079, "debut": debut,
            "nom": "Client sportif", "email": format!("seance.{n}@exemple.fr"),
            "telephone": "06 12 34 56 78",
            "reponses": { "objectif": "Reprendre le sport", "format": "presentiel" }
        });
        let r = reserver(n, corps);
        if n < 8 {
            assert_eq!(r.status, 201, "seat {n}: {}", r.text());
        } else {
            assert_eq!(r.status, 409, "{}", r.text());
        }
    }
}

#[test]
fn the_demo_group_session_seats_eight_then_refuses() {
    let app = TestApp::spawn().with_demo_data();
    neuf_reservations(&app, |n, corps| {
        app.post_json_from(RESERVER, &corps, &format!("192.0.2.{}", n + 1))
    });
}

/// Signed-in clients booking for their own proved address: confirmed at once, each
/// takes a seat of the session.
#[test]
fn signed_in_clients_with_a_proved_address_take_the_seats_of_the_demo_group_session() {
    let app = TestApp::spawn().with_demo_data();
    neuf_reservations(&app, |n, corps| {
        let id = client(&app, &format!("seance.{n}@exemple.fr"));
        app.db.execute_script(&format!(
            "UPDATE users SET email_verifie_at = 1 WHERE id = {id};"
        ));
        let r = avec_bearer(&app, Method::Post, RESERVER, &jeton(&app, id), Some(&corps));
        if r.status == 201 {
            assert_eq!(json(&r)["statut"], "confirmee", "vouched for");
        }
        r
    });
}

/// « Peu importe » at the demo garage: each booking of one slot of the oil change takes
/// another mechanic and another bay; the fourth finds nobody.
#[test]
fn peu_importe_at_the_demo_garage_gives_each_mechanic_and_bay_one_booking_of_a_slot() {
    let app = TestApp::spawn().with_demo_data();
    let creneau = creneaux(&app, "garage.localhost", "garage-des-trois-ponts", 3071)
        .into_iter()
        .find(|c| c["membres"].as_array().is_some_and(|m| m.len() == 3))
        .expect("a slot free for the three mechanics");
    let debut = creneau["debut"].as_str().unwrap();
    let mut assignes = Vec::new();
    for n in 0..4 {
        let corps = j!({
            "professionnel": "garage-des-trois-ponts", "service": 3071, "debut": debut,
            "nom": "Client pressé", "email": format!("vidange.{n}@exemple.fr"),
            "telephone": "06 12 34 56 78",
            "reponses": { "immatriculation": "AB-123-CD", "marque": "Peugeot", "modele": "308" }
        });
        let r = app.post_json_from(
            "http://garage.localhost:8787/api/v1/reservations",
            &corps,
            &format!("192.0.2.{}", n + 1),
        );
        if n < 3 {
            assert_eq!(r.status, 201, "booking {n}: {}", r.text());
            assignes.push(json(&r)["id"].as_str().unwrap().to_owned());
        } else {
            assert_eq!(r.status, 409, "{}", r.text());
            assert_eq!(json(&r)["code"], "creneau_indisponible");
        }
    }
    let ids = assignes
        .iter()
        .map(|id| format!("'{id}'"))
        .collect::<Vec<_>>()
        .join(", ");
    for colonne in ["membre_id", "ressource_id"] {
        assert_eq!(
            app.db.scalar(&format!(
                "SELECT count(DISTINCT {colonne}) FROM reservations WHERE id IN ({ids})"
            )),
            3,
            "{colonne}"
        );
    }
}
