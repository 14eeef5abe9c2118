//! Teams against the real Worker and D1: 50 concurrent « peu importe » bookings of one
//! slot at the demo garage (three mechanics and three bays) give exactly three, and 50
//! concurrent bookings of the demo coach's group session of eight give exactly eight.
//!
//! Each booking comes from a signed-in client whose address is proved, for that very
//! address: such a booking is vouched for and does not count against the
//! professional's allowance of unvouched requests, so every refusal is the database's
//! (409) and none is a 429.

use booking_tests::wrangler::{server, source_unique, HttpResponse};

use crate::reservations::tous_ensemble;
use serde_json::{json, Value};

const MOT_DE_PASSE: &str = "demo-pro-2026";

/// `n` client accounts with a proved address (the demo password's hash, copied from a
/// demo professional), signed in: their (address, bearer token).
fn clients(etiquette: &str, n: usize) -> Vec<(String, String)> {
    let run = std::process::id();
    let numeros: Vec<usize> = (0..n).collect();
    server().d1_execute(&format!(
        "INSERT INTO users (email, password_hash, password_algorithme, password_iterations, \
         password_sel, role, nom, telephone, created_at, email_verifie_at) \
         SELECT '{etiquette}.' || j.value || '.{run}@exemple.fr', u.password_hash, \
         u.password_algorithme, u.password_iterations, u.password_sel, 'client', \
         'Client ' || j.value, '06 12 34 56 78', u.created_at, u.created_at \
         FROM users u, json_each('{}') j WHERE u.email = 'claire.fontaine@exemple.fr'",
        json!(numeros)
    ));
    numeros
        .iter()
        .map(|k| {
            let email = format!("{etiquette}.{k}.{run}@exemple.fr");
            let corps = json!({ "email": email, "mot_de_passe": MOT_DE_PASSE }).to_string();
            let r = server()
                .post_from(
                    "coach.localhost",
                    "/api/v1/sessions",
                    "application/json",
                    corps.as_bytes(),
                    &source_unique(),
                )
                .expect("an answer");
            assert_eq!(r.status, 200, "{email}: {}", r.text());
            let token = r.json()["token"].as_str().expect("a token").to_owned();
            (email, token)
        })
        .collect()
}

/// The free slots of `service` at `slug` from J+3 for a week: (start, members free, seats).
fn creneaux(host: &str, slug: &str, service: i64) -> Vec<Value> {
    let du = chrono::Utc::now().date_naive() + chrono::Duration::days(3);
    let au = du + chrono::Duration::days(6);
    let r = server()
        .get(
            host,
            &format!("/api/v1/professionnels/{slug}/creneaux?service={service}&du={du}&au={au}"),
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["creneaux"].as_array().unwrap().clone()
}

/// (201, 409) of a race, every other answer a failure (no 429, no 5xx); each 409 says
/// one of `codes`.
fn compte(reponses: &[HttpResponse], codes: &[&str]) -> (usize, usize) {
    for r in reponses.iter().filter(|r| r.status != 201) {
        assert_eq!(r.status, 409, "{}", r.text());
        let code = r.json()["code"].as_str().unwrap_or_default().to_owned();
        assert!(codes.contains(&code.as_str()), "{}", r.text());
    }
    let creees = reponses.iter().filter(|r| r.status == 201).count();
    let refus: Vec<String> = reponses
        .iter()
        .filter(|r| r.status != 201)
        .map(|r| r.json()["code"].as_str().unwrap_or_default().to_owned())
        .collect();
    eprintln!("{creees} créées ; refus : {refus:?}");
    (creees, reponses.len() - creees)
}

#[test]
fn fifty_concurrent_peu_importe_bookings_of_one_slot_at_the_demo_garage_give_exactly_three() {
    let (host, slug, service) = ("garage.localhost", "garage-des-trois-ponts", 3071);
    // A slot late in the window, where all three mechanics (and bays) are free.
    let creneau = creneaux(host, slug, service)
        .into_iter()
        .rev()
        .find(|c| c["membres"].as_array().is_some_and(|m| m.len() == 3))
        .expect("a slot free for the three mechanics");
    let debut = creneau["debut"].as_str().unwrap().to_owned();
    let demandes = clients("garage", 50)
        .into_iter()
        .map(|(email, token)| {
            let corps = json!({
                "professionnel": slug, "service": service, "debut": debut,
                "nom": "Client pressé", "email": email, "telephone": "06 12 34 56 78",
                "reponses": { "immatriculation": "AB-123-CD", "marque": "Peugeot", "modele": "308" }
            });
            (Some(token), corps.to_string().into_bytes())
        })
        .collect();
    let reponses = tous_ensemble(host, demandes);
    assert_eq!(compte(&reponses, &["creneau_indisponible"]), (3, 47));
    let mut membres: Vec<i64> = reponses
        .iter()
        .filter(|r| r.status == 201)
        .map(|r| r.json()["membre"].as_i64().expect("the assigned member"))
        .collect();
    membres.sort_unstable();
    membres.dedup();
    assert_eq!(membres.len(), 3, "one booking per mechanic");
    assert!(
        !creneaux(host, slug, service)
            .iter()
            .any(|c| c["debut"] == debut.as_str()),
        "the slot is no longer offered"
    );
}

#[test]
fn fifty_concurrent_bookings_of_the_demo_group_session_of_eight_give_exactly_eight() {
    let (host, slug, service) = ("coach.localhost", "studio-elan-collectif", 1079);
    let creneau = creneaux(host, slug, service)
        .into_iter()
        .rev()
        .find(|c| c["places"] == 8)
        .expect("a session with its eight seats free");
    let debut = creneau["debut"].as_str().unwrap().to_owned();
    let demandes = clients("seance", 50)
        .into_iter()
        .map(|(email, token)| {
            let corps = json!({
                "professionnel": slug, "service": service, "debut": debut,
                "nom": "Client sportif", "email": email, "telephone": "06 12 34 56 78",
                "reponses": { "objectif": "Reprendre le sport", "format": "presentiel" }
            });
            (Some(token), corps.to_string().into_bytes())
        })
        .collect();
    let reponses = tous_ensemble(host, demandes);
    assert_eq!(
        compte(&reponses, &["seance_complete", "creneau_indisponible"]),
        (8, 42)
    );
    assert!(
        !creneaux(host, slug, service)
            .iter()
            .any(|c| c["debut"] == debut.as_str()),
        "a full session is no longer offered"
    );
}
