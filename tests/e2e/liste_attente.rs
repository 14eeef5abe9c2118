//! The waitlist on workerd: a cancelled slot goes to the first in line, whose e-mail's
//! link books it, and while it is held for them 50 concurrent bookings of it all fail;
//! three in line are offered it in turn (declined, let pass, taken); at a garage, an
//! offer taken but not paid goes on to the next, who pays it on the Stripe stand-in
//! after giving the booking form's fields on the offer's page.

use std::thread;
use std::time::{Duration, Instant};

use booking_tests::wrangler::{server, source_unique, HttpResponse};
use serde_json::{json, Value};

use crate::notifications::{unique_email, SEQUENTIEL};

const HOST: &str = "coach.localhost";
/// A coach no other end-to-end test books, whose Saturdays are short (09:00–12:00).
const SLUG: &str = "elodie-garnier";

fn post(path: &str, body: &Value) -> HttpResponse {
    post_sur(HOST, path, body)
}

fn post_sur(host: &str, path: &str, body: &Value) -> HttpResponse {
    server()
        .post_from(
            host,
            path,
            "application/json",
            body.to_string().as_bytes(),
            &source_unique(),
        )
        .expect("an answer")
}

/// One professional's line: their site and slug.
#[derive(Clone, Copy)]
struct Chez {
    host: &'static str,
    slug: &'static str,
}

const COACH: Chez = Chez {
    host: HOST,
    slug: SLUG,
};

/// A garage no other end-to-end test books that far ahead, open on Saturday mornings.
const GARAGE: Chez = Chez {
    host: "garage.localhost",
    slug: "garage-martin-fils",
};

fn service() -> i64 {
    service_de(COACH)
}

fn service_de(chez: Chez) -> i64 {
    let r = server()
        .get(chez.host, &format!("/api/v1/professionnels/{}", chez.slug))
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["services"][0]["id"].as_i64().unwrap()
}

/// A Saturday a few weeks ahead, within the booking horizon.
fn samedi() -> chrono::NaiveDate {
    samedi_dans(14)
}

/// The first Saturday `jours` days ahead or later (each test its own day).
fn samedi_dans(jours: i64) -> chrono::NaiveDate {
    use chrono::Datelike;
    let mut jour = chrono::Utc::now().date_naive() + chrono::Duration::days(jours);
    while jour.weekday() != chrono::Weekday::Sat {
        jour += chrono::Duration::days(1);
    }
    jour
}

fn libres(service: i64, jour: chrono::NaiveDate) -> Vec<String> {
    libres_chez(COACH, service, jour)
}

fn libres_chez(chez: Chez, service: i64, jour: chrono::NaiveDate) -> Vec<String> {
    let r = server()
        .get(
            chez.host,
            &format!(
                "/api/v1/professionnels/{}/creneaux?service={service}&du={jour}&au={jour}",
                chez.slug
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
    inscrire_chez(COACH, service, jour, email);
}

fn inscrire_chez(chez: Chez, service: i64, jour: chrono::NaiveDate, email: &str) {
    let r = post_sur(
        chez.host,
        &format!("/api/v1/professionnels/{}/liste-attente", chez.slug),
        &json!({ "service": service, "du": jour.to_string(), "au": jour.to_string(), "nom": "Attente E2E", "email": email }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    server().scheduled();
    let texte = courriel(email, "inscription_liste_attente:");
    let jeton = secret_apres(&texte, "/liste-attente?token=");
    let r = post_sur(
        chez.host,
        "/api/v1/liste-attente",
        &json!({ "token": jeton, "action": "confirmer" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

/// The offer e-mailed to `email` (waiting for it): its booking id and its link's secret.
fn offre(email: &str) -> (String, String) {
    let texte = courriel(email, "offre_liste_attente:");
    assert!(
        texte.contains("Un créneau s'est libéré pour vous"),
        "{texte}"
    );
    let id: String = texte[texte.find("/offre?token=").map(|f| f - 36).unwrap()..]
        .chars()
        .take(36)
        .collect();
    assert!(texte.contains(&format!("/reservations/{id}/offre?token=")));
    (id, secret_apres(&texte, "/offre?token="))
}

/// The coach's booking form's fields, for taking an offer through the API.
fn champs_coach(jeton: &str) -> Value {
    json!({ "token": jeton, "reponse": "accepter", "telephone": "06 12 34 56 78",
            "reponses": { "objectif": "Dormir mieux", "format": "presentiel" } })
}

/// Live offers to `email`, as the database has them.
fn offres_a(email: &str) -> i64 {
    server().d1_scalar(&format!(
        "SELECT count(*) FROM reservations WHERE client_email = '{email}' AND statut = 'offerte'"
    ))
}

/// Every free slot of the coach's `jour` booked, one guest after the other, each confirmed
/// from its e-mail: the bookings (with their secrets) and their starts.
fn remplir_coach(service: i64, jour: chrono::NaiveDate) -> Vec<(Value, String)> {
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
    reservees
}

#[test]
fn a_cancelled_slot_is_offered_to_the_first_in_line_held_against_fifty_concurrent_bookings_and_booked_from_the_link(
) {
    let _un = SEQUENTIEL.lock().unwrap_or_else(|e| e.into_inner());
    let service = service();
    let jour = samedi();
    // The day filled, one guest booking after the other, each confirmed from its e-mail.
    let reservees = remplir_coach(service, jour);
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
    let (id, jeton) = offre(&premier);

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
        &champs_coach(&jeton),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["statut"], "confirmee");
    assert_eq!(r.json()["debut"], *debut);
    assert_eq!(r.json()["reponses"]["objectif"], "Dormir mieux");
    // The second in line was not offered it.
    assert_eq!(offres_a(&second), 0);
}

#[test]
fn three_in_line_are_offered_a_freed_slot_in_turn_declined_let_pass_then_taken() {
    let _un = SEQUENTIEL.lock().unwrap_or_else(|e| e.into_inner());
    let service = service();
    let jour = samedi_dans(21);
    let reservees = remplir_coach(service, jour);
    let [a, b, c] = ["ordre-a", "ordre-b", "ordre-c"].map(unique_email);
    for email in [&a, &b, &c] {
        inscrire(service, jour, email);
    }

    // A cancellation: the first in line, and only them, is offered the slot.
    let (annulee, debut) = &reservees[0];
    let r = post(
        &format!(
            "/api/v1/reservations/{}/annuler",
            annulee["id"].as_str().unwrap()
        ),
        &json!({ "token": annulee["token"] }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    server().scheduled();
    let (id_a, jeton_a) = offre(&a);
    assert_eq!((offres_a(&a), offres_a(&b), offres_a(&c)), (1, 0, 0));

    // A declines: the second gets it at once.
    let r = post(
        &format!("/api/v1/reservations/{id_a}/offre"),
        &json!({ "token": jeton_a, "reponse": "decliner" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let (id_b, _) = offre(&b);
    assert_eq!((offres_a(&a), offres_a(&b), offres_a(&c)), (0, 1, 0));

    // B lets it pass: once its hold is over, the scheduled job hands it to the third.
    let passe = server().d1_execute(&format!(
        "UPDATE reservations SET expire_at = unixepoch() - 1 WHERE id = '{id_b}' AND statut = 'offerte'"
    ));
    assert_eq!(passe, 1);
    server().scheduled();
    let (id_c, jeton_c) = offre(&c);
    assert_eq!((offres_a(&a), offres_a(&b), offres_a(&c)), (0, 0, 1));
    assert_eq!(
        server().d1_scalar(&format!(
            "SELECT count(*) FROM reservations WHERE id = '{id_b}' AND statut = 'expiree'"
        )),
        1
    );

    // C takes it; A and B were each offered it once, and nobody else.
    let r = post(
        &format!("/api/v1/reservations/{id_c}/offre"),
        &champs_coach(&jeton_c),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["statut"], "confirmee");
    assert_eq!(r.json()["debut"], *debut);
    let offerts = server().d1_scalar(&format!(
        "SELECT count(*) FROM reservations WHERE date_heure = unixepoch('{debut}') \
         AND client_email IN ('{a}', '{b}', '{c}')"
    ));
    assert_eq!(offerts, 3);
    assert!(!libres(service, jour).contains(debut));
}

/// Fills the garage's `jour`, each booking awaiting its Checkout payment: (booking,
/// Checkout session) in order.
fn remplir_garage(service: i64, jour: chrono::NaiveDate) -> Vec<(Value, String)> {
    let mut reservees = Vec::new();
    while let Some(debut) = libres_chez(GARAGE, service, jour).first().cloned() {
        let r = post_sur(
            GARAGE.host,
            "/api/v1/reservations",
            &json!({
                "professionnel": GARAGE.slug, "service": service, "debut": debut,
                "nom": "Occupe Garage", "email": unique_email("garage-occupe"), "telephone": "06 12 34 56 78",
                "reponses": { "immatriculation": "AB-123-CD", "marque": "Renault", "modele": "Clio" }
            }),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        let b = r.json();
        assert_eq!(b["statut"], "en_attente_paiement");
        let session = session_de(b["paiement_url"].as_str().expect("a checkout URL"));
        reservees.push((b, session));
        assert!(reservees.len() < 20, "the day never fills");
    }
    reservees
}

fn session_de(paiement_url: &str) -> String {
    paiement_url.rsplit('/').next().unwrap().to_owned()
}

fn stripe(path: &str) {
    let r = server().stripe("POST", path, b"").unwrap();
    assert_eq!(r.status, 200, "{path}: {}", r.text());
}

fn statut_inscription(email: &str) -> i64 {
    server().d1_scalar(&format!(
        "SELECT count(*) FROM liste_attente WHERE email = '{email}' AND statut = 'active'"
    ))
}

#[test]
fn at_a_garage_an_offer_taken_but_not_paid_goes_on_and_the_next_pays_it_from_the_offers_page() {
    use crate::reservations::{champ, cookie};
    let _un = SEQUENTIEL.lock().unwrap_or_else(|e| e.into_inner());
    let service = service_de(GARAGE);
    let jour = samedi_dans(21);
    let reservees = remplir_garage(service, jour);
    // All but the first are paid.
    for (_, session) in &reservees[1..] {
        stripe(&format!("/_test/sessions/{session}/pay"));
    }
    let premier = unique_email("garage-premier");
    let second = unique_email("garage-second");
    inscrire_chez(GARAGE, service, jour, &premier);
    inscrire_chez(GARAGE, service, jour, &second);

    // The first booking's payment lapses: its slot is offered to the first in line, who
    // takes it through the API with the garage's fields and is sent to Checkout.
    stripe(&format!("/_test/sessions/{}/expire", reservees[0].1));
    server().scheduled();
    let (id, jeton) = offre(&premier);
    let debut = reservees[0].0["debut"].as_str().unwrap().to_owned();
    let r = post_sur(
        GARAGE.host,
        &format!("/api/v1/reservations/{id}/offre"),
        &json!({ "token": jeton, "reponse": "accepter", "telephone": "06 12 34 56 78",
                 "reponses": { "immatriculation": "ZZ-999-ZZ", "marque": "Peugeot", "modele": "208" } }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["statut"], "en_attente_paiement");
    let session = session_de(r.json()["paiement_url"].as_str().expect("a checkout URL"));
    // Meanwhile the place is kept: still in line, nobody else offered the slot, not free.
    assert_eq!(statut_inscription(&premier), 1);
    assert_eq!(offres_a(&second), 0);
    assert!(!libres_chez(GARAGE, service, jour).contains(&debut));

    // Not paid in time: the slot goes on to the second, the first keeps their place.
    stripe(&format!("/_test/sessions/{session}/expire"));
    server().scheduled();
    let (id, jeton) = offre(&second);
    assert_eq!(statut_inscription(&premier), 1);
    assert_eq!(offres_a(&premier), 0);

    // The second opens the e-mail's link: the page asks the booking form's fields.
    let echange = server()
        .get(
            GARAGE.host,
            &format!("/reservations/{id}/offre?token={jeton}"),
        )
        .unwrap();
    assert_eq!(echange.status, 303, "{}", echange.text());
    let chemin = format!("/reservations/{id}/offre");
    let cookie_offre = cookie(&echange, "offre");
    let page = server()
        .request(
            "GET",
            GARAGE.host,
            &chemin,
            &[("cookie", &cookie_offre)],
            b"",
        )
        .unwrap();
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("id=\"champ-immatriculation\""), "{html}");
    let cookies = format!("{}; {cookie_offre}", cookie(&page, "csrf"));
    let envoyer = |immatriculation: &str| {
        let form = format!(
            "csrf={}&action=accepter&telephone=06+12+34+56+78&immatriculation={immatriculation}&marque=Renault&modele=Megane",
            champ(&html, "csrf")
        );
        server()
            .request(
                "POST",
                GARAGE.host,
                &chemin,
                &[
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("cookie", &cookies),
                ],
                form.as_bytes(),
            )
            .unwrap()
    };
    // A wrong plate: the page again with the French message, nothing changed.
    let r = envoyer("123");
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.text()
            .contains("L&#39;immatriculation doit être au format AB-123-CD.")
            || r.text()
                .contains("L'immatriculation doit être au format AB-123-CD.")
    );
    assert_eq!(offres_a(&second), 1);
    // Right: on to Checkout, paid on the stand-in's page, back to the confirmation.
    let r = envoyer("CD-456-EF");
    assert_eq!(r.status, 303, "{}", r.text());
    let paiement = r.header("location").unwrap().to_owned();
    assert!(
        paiement.contains(&format!(":{}/c/pay/", server().stripe_port)),
        "{paiement}"
    );
    let paye = server()
        .stripe(
            "POST",
            &format!("/c/pay/{}/payer", session_de(&paiement)),
            b"",
        )
        .unwrap();
    assert_eq!(paye.status, 303, "{}", paye.text());
    assert!(paye
        .header("location")
        .unwrap()
        .ends_with(&format!("/reservations/{id}/confirmation")));
    assert_eq!(
        server().d1_scalar(&format!(
            "SELECT count(*) FROM reservations WHERE id = '{id}' AND statut = 'confirmee' \
             AND json_extract(reponses, '$.immatriculation') = 'CD-456-EF' \
             AND client_telephone = '06 12 34 56 78'"
        )),
        1
    );
    assert_eq!(
        server().d1_scalar(&format!(
            "SELECT count(*) FROM liste_attente WHERE email = '{second}' AND statut = 'active'"
        )),
        0,
        "served"
    );
    assert_eq!(statut_inscription(&premier), 1);
}
