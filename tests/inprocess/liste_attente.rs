//! The waitlist: joining when nothing is free, offers in order (one slot held for one
//! person at a time), declines, expiries and departures handing the slot on, and the
//! refusals a dishonest client meets.

use booking_functions::http::{Method, Request};
use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

use crate::api_reservations::{coach_body, RESERVER};

const HOTE: &str = "http://coach.localhost:8787";
/// The day whose two free slots are booked: nothing free then.
const JOUR: &str = "2026-12-02";

fn url_inscription() -> String {
    format!("{HOTE}/api/v1/professionnels/claire-fontaine/liste-attente")
}

fn instant(texte: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(texte)
        .unwrap()
        .timestamp()
}

/// Books `debut` as a guest with `email` (from its own source), confirmed from the
/// e-mail: the API's answer (with the manage secret).
fn reserver(app: &TestApp, debut: &str, email: &str, ip: &str) -> Value {
    let mut corps = coach_body(debut);
    corps["email"] = j!(email);
    let r = app.post_json_from(RESERVER, &corps, ip);
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    app.confirm_from_email(b["id"].as_str().unwrap());
    b
}

/// The day's bookings: each booking's answer and its slot (start, end).
type Reservees = Vec<(Value, (String, String))>;

/// The coach's `JOUR` narrowed by time off to its first and last slots, both booked:
/// nothing is free that day. Returns the two bookings and their (start, end).
fn journee_complete(app: &TestApp) -> Reservees {
    let libres = app.creneaux("coach.localhost", "claire-fontaine", 1012, JOUR, JOUR);
    assert!(libres.len() >= 3, "{libres:?}");
    let premier = libres.first().unwrap().clone();
    let dernier = libres.last().unwrap().clone();
    app.db.execute_script(&format!(
        "INSERT INTO absences (professionnel_id, type, debut, fin) SELECT id, 'periode', {}, {} \
         FROM professionnels WHERE slug = 'claire-fontaine';",
        instant(&premier.1),
        instant(&dernier.0)
    ));
    assert_eq!(
        app.creneaux("coach.localhost", "claire-fontaine", 1012, JOUR, JOUR),
        vec![premier.clone(), dernier.clone()]
    );
    let reservees = vec![
        (
            reserver(app, &premier.0, "occupe1@exemple.fr", "203.0.113.1"),
            premier,
        ),
        (
            reserver(app, &dernier.0, "occupe2@exemple.fr", "203.0.113.2"),
            dernier,
        ),
    ];
    assert!(app
        .creneaux("coach.localhost", "claire-fontaine", 1012, JOUR, JOUR)
        .is_empty());
    reservees
}

/// The text of the last e-mail sent to `email` whose text holds `contenant`, once the
/// scheduled job ran.
fn dernier_courriel(app: &TestApp, email: &str, contenant: &str) -> Option<String> {
    app.run_cron();
    app.http
        .requests_to("/emails")
        .into_iter()
        .rev()
        .filter_map(|r| serde_json::from_slice::<Value>(&r.body).ok())
        .filter(|b| b["to"][0] == email)
        .map(|b| b["text"].as_str().unwrap_or_default().to_owned())
        .find(|t| t.contains(contenant))
}

/// The secret that follows `chemin` in the text.
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

/// A guest joins the line for `JOUR`: the answer says the address must confirm it; the
/// secret of the e-mail's link.
fn inscrire_sans_confirmer(app: &TestApp, email: &str) -> String {
    let r = app.post_json(
        &url_inscription(),
        &j!({ "service": 1012, "du": JOUR, "au": JOUR, "nom": "Inscrite", "email": email }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(json(&r)["confirmation_requise"], true);
    let texte = dernier_courriel(app, email, "/liste-attente?token=")
        .unwrap_or_else(|| panic!("no waitlist e-mail to {email}"));
    secret_apres(&texte, "/liste-attente?token=")
}

/// Joins with `corps` and confirms from the e-mail, as the owner of the address.
fn confirmee(app: &TestApp, corps: &Value) {
    let r = app.post_json(&url_inscription(), corps);
    assert_eq!(r.status, 201, "{}", r.text());
    let email = corps["email"].as_str().unwrap();
    let texte = dernier_courriel(app, email, "/liste-attente?token=").unwrap();
    let r = agir(
        app,
        &secret_apres(&texte, "/liste-attente?token="),
        "confirmer",
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

fn agir(app: &TestApp, jeton: &str, action: &str) -> booking_functions::http::Response {
    app.post_json(
        &format!("{HOTE}/api/v1/liste-attente"),
        &j!({ "token": jeton, "action": action }),
    )
}

/// A guest joins the line and confirms it from the e-mail; a minute passes (the line is
/// first come, first served). The entry's secret.
fn inscrire(app: &TestApp, email: &str) -> String {
    let jeton = inscrire_sans_confirmer(app, email);
    let r = agir(app, &jeton, "confirmer");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["statut"], "active");
    app.clock.advance(chrono::Duration::minutes(1));
    jeton
}

/// The offer e-mailed to `email`, if any: (booking id, secret of its link).
fn offre(app: &TestApp, email: &str) -> Option<(String, String)> {
    let texte = dernier_courriel(app, email, "/offre?token=")?;
    let debut = texte.find("/reservations/")? + "/reservations/".len();
    let id: String = texte[debut..].chars().take(36).collect();
    Some((id, secret_apres(&texte, "/offre?token=")))
}

/// Answers the offer through the API; taking it gives what the coach's booking form asks.
fn repondre(
    app: &TestApp,
    id: &str,
    jeton: &str,
    reponse: &str,
) -> booking_functions::http::Response {
    let mut corps = j!({ "token": jeton, "reponse": reponse });
    if reponse == "accepter" {
        corps["telephone"] = j!("06 12 34 56 78");
        corps["reponses"] = j!({ "objectif": "Reprendre la course", "format": "visio" });
    }
    repondre_avec(app, id, &corps)
}

/// A full day, one guest in line, the first slot freed: the app, the day's bookings and
/// the offer made to the guest (booking id, secret of its link).
fn offre_ouverte() -> (TestApp, Reservees, String, String) {
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    inscrire(&app, "a@exemple.fr");
    annuler(&app, &reservees[0].0);
    let (id, jeton) = offre(&app, "a@exemple.fr").unwrap();
    (app, reservees, id, jeton)
}

fn repondre_avec(app: &TestApp, id: &str, corps: &Value) -> booking_functions::http::Response {
    app.post_json(&format!("{HOTE}/api/v1/reservations/{id}/offre"), corps)
}

fn annuler(app: &TestApp, b: &Value) {
    let r = app.post_json(
        &format!(
            "{HOTE}/api/v1/reservations/{}/annuler",
            b["id"].as_str().unwrap()
        ),
        &j!({ "token": b["token"] }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

/// Live offers (held slots) per address, as the database has them.
fn offres_de(app: &TestApp, email: &str) -> i64 {
    app.db.scalar(&format!(
        "SELECT count(*) FROM reservations WHERE statut = 'offerte' AND client_email = '{email}'"
    ))
}

#[test]
fn a_freed_slot_goes_to_the_first_in_line_and_a_decline_hands_it_to_the_next() {
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    inscrire(&app, "a@exemple.fr");
    let entree_b = inscrire(&app, "b@exemple.fr");
    inscrire(&app, "c@exemple.fr");

    annuler(&app, &reservees[0].0);
    let (id_a, jeton_a) = offre(&app, "a@exemple.fr").expect("the first in line is offered it");
    assert_eq!(
        (
            offres_de(&app, "b@exemple.fr"),
            offres_de(&app, "c@exemple.fr")
        ),
        (0, 0)
    );
    let texte = dernier_courriel(&app, "a@exemple.fr", "/offre?token=").unwrap();
    assert!(
        texte.contains("Un créneau s'est libéré pour vous"),
        "{texte}"
    );
    assert!(texte.contains("quitter la liste"), "{texte}");
    // Held for them: the slot is not free for anyone else.
    assert!(app
        .creneaux("coach.localhost", "claire-fontaine", 1012, JOUR, JOUR)
        .is_empty());

    let r = repondre(&app, &id_a, &jeton_a, "decliner");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["statut"], "expiree");
    let (id_b, jeton_b) = offre(&app, "b@exemple.fr").expect("the next in line is offered it");
    assert_eq!(
        offres_de(&app, "a@exemple.fr"),
        0,
        "never the same slot again"
    );
    assert_eq!(offres_de(&app, "c@exemple.fr"), 0);

    let r = repondre(&app, &id_b, &jeton_b, "accepter");
    assert_eq!(r.status, 200, "{}", r.text());
    let b = json(&r);
    assert_eq!(b["statut"], "confirmee");
    assert_eq!(b["debut"], reservees[0].1 .0);
    assert_eq!(
        entree(&app, &entree_b),
        (
            "servie".to_owned(),
            format!("anonyme-{}@anonyme.invalid", 2)
        )
    );
    assert!(
        dernier_courriel(&app, "b@exemple.fr", "Rendez-vous confirmé").is_some()
            || dernier_courriel(&app, "b@exemple.fr", "confirmé").is_some()
    );
    // Taken: nobody else is offered it.
    app.run_cron();
    assert_eq!(offres_de(&app, "c@exemple.fr"), 0);
    assert_eq!(app.db.scalar("SELECT count(*) FROM gardes"), 0);
}

#[test]
fn two_slots_freed_at_once_go_to_two_people() {
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    inscrire(&app, "a@exemple.fr");
    inscrire(&app, "b@exemple.fr");
    inscrire(&app, "c@exemple.fr");
    let requetes = reservees
        .iter()
        .map(|(b, _)| {
            let mut r = Request::new(
                Method::Post,
                &format!(
                    "{HOTE}/api/v1/reservations/{}/annuler",
                    b["id"].as_str().unwrap()
                ),
            );
            r.headers
                .push(("content-type".into(), "application/json".into()));
            r.body = j!({ "token": b["token"] }).to_string().into_bytes();
            r
        })
        .collect();
    for r in app.send_all_at_once(requetes) {
        assert_eq!(r.status, 200, "{}", r.text());
    }
    app.run_cron();
    assert_eq!(offres_de(&app, "a@exemple.fr"), 1);
    assert_eq!(offres_de(&app, "b@exemple.fr"), 1);
    assert_eq!(offres_de(&app, "c@exemple.fr"), 0);
    assert_eq!(
        app.db
            .scalar("SELECT count(DISTINCT date_heure) FROM reservations WHERE statut = 'offerte'"),
        2
    );
}

#[test]
fn while_an_offer_holds_the_slot_fifty_concurrent_bookings_of_it_all_fail() {
    let (app, reservees, id, jeton) = offre_ouverte();
    let debut = &reservees[0].1 .0;
    let requetes = (0..50)
        .map(|i| {
            let mut corps = coach_body(debut);
            corps["email"] = j!(format!("course{i}@exemple.fr"));
            let mut r = Request::new(Method::Post, RESERVER);
            r.headers
                .push(("content-type".into(), "application/json".into()));
            r.headers
                .push(("cf-connecting-ip".into(), format!("198.51.100.{i}")));
            r.body = corps.to_string().into_bytes();
            r
        })
        .collect();
    let reponses = app.send_all_at_once(requetes);
    assert_eq!(reponses.iter().filter(|r| r.status == 201).count(), 0);
    for r in &reponses {
        assert_eq!(r.status, 409, "{}", r.text());
    }
    // The person it is held for still takes it.
    let r = repondre(&app, &id, &jeton, "accepter");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE date_heure = {} AND statut = 'confirmee'",
            instant(debut)
        )),
        1
    );
}

#[test]
fn an_offer_let_pass_goes_to_the_next_in_line_at_the_next_scheduled_run() {
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    inscrire(&app, "a@exemple.fr");
    inscrire(&app, "b@exemple.fr");
    annuler(&app, &reservees[0].0);
    let (id_a, jeton_a) = offre(&app, "a@exemple.fr").unwrap();
    assert_eq!(offres_de(&app, "b@exemple.fr"), 0);
    app.clock.advance(chrono::Duration::minutes(31));
    app.run_cron();
    assert_eq!(offres_de(&app, "a@exemple.fr"), 0);
    assert_eq!(offres_de(&app, "b@exemple.fr"), 1);
    // The run recorded its walk of the line (the next runs start with the others).
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM liste_attente WHERE passage_at = {}",
            booking_shared::ports::Clock::now(&app.clock).timestamp()
        )),
        2
    );
    // Too late for the first: the offer expired, whatever they try.
    let r = repondre(&app, &id_a, &jeton_a, "accepter");
    assert_eq!(r.status, 410, "{}", r.text());
    assert_eq!(json(&r)["code"], "offre_expiree");
    assert!(json(&r)["title"].as_str().unwrap().contains("expiré"));
}

#[test]
fn leaving_the_list_from_an_email_ends_the_entry_and_hands_its_offer_on() {
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    let jeton_a = inscrire(&app, "a@exemple.fr");
    inscrire(&app, "b@exemple.fr");
    annuler(&app, &reservees[0].0);
    let (id_a, jeton_offre) = offre(&app, "a@exemple.fr").unwrap();
    let r = agir(&app, &jeton_a, "quitter");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["statut"], "quittee");
    assert_eq!(offres_de(&app, "a@exemple.fr"), 0);
    assert!(offre(&app, "b@exemple.fr").is_some());
    // Once left, the links do nothing more.
    let r = agir(&app, &jeton_a, "quitter");
    assert_eq!(r.status, 410);
    assert_eq!(json(&r)["code"], "inscription_close");
    assert_eq!(repondre(&app, &id_a, &jeton_offre, "accepter").status, 410);
}

#[test]
fn an_unconfirmed_entry_gets_no_offer_so_nobody_can_subscribe_a_stranger() {
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    inscrire_sans_confirmer(&app, "inconnue@exemple.fr");
    inscrire(&app, "b@exemple.fr");
    annuler(&app, &reservees[0].0);
    app.run_cron();
    assert_eq!(offres_de(&app, "inconnue@exemple.fr"), 0);
    assert_eq!(offres_de(&app, "b@exemple.fr"), 1);
    let texte = dernier_courriel(&app, "inconnue@exemple.fr", "/liste-attente?token=").unwrap();
    assert!(
        texte.contains("aucune proposition ne vous est envoyée"),
        "{texte}"
    );
}

#[test]
fn an_offer_refuses_another_token_a_second_acceptance_and_an_unknown_answer() {
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    let jeton_a = inscrire(&app, "a@exemple.fr");
    inscrire(&app, "b@exemple.fr");
    annuler(&app, &reservees[0].0);
    annuler(&app, &reservees[1].0);
    let (id_a, offre_a) = offre(&app, "a@exemple.fr").unwrap();
    let (id_b, offre_b) = offre(&app, "b@exemple.fr").unwrap();
    // Someone else's secret, the entry's secret, a made-up one: the same "not found".
    for (id, jeton) in [(&id_a, &offre_b), (&id_b, &offre_a), (&id_a, &jeton_a)] {
        let r = repondre(&app, id, jeton, "accepter");
        assert_eq!(r.status, 404, "{}", r.text());
        assert_eq!(json(&r)["code"], "reservation_introuvable");
    }
    let r = repondre(&app, &id_a, &offre_a, "prendre");
    assert_eq!(r.status, 422);
    assert_eq!(offres_de(&app, "a@exemple.fr"), 1, "nothing changed");
    assert_eq!(repondre(&app, &id_a, &offre_a, "accepter").status, 200);
    let r = repondre(&app, &id_a, &offre_a, "accepter");
    assert_eq!(r.status, 409);
    assert_eq!(json(&r)["code"], "deja_confirmee");
    let r = repondre(&app, &id_a, &offre_a, "decliner");
    assert_eq!(r.status, 409, "a booking taken is no offer to decline");
    // An entry's secret opens nothing but its entry.
    let r = agir(&app, &"0".repeat(32), "quitter");
    assert_eq!(r.status, 404);
    assert_eq!(json(&r)["code"], "inscription_introuvable");
    let r = agir(&app, &offre_b, "quitter");
    assert_eq!(r.status, 404);
}

#[test]
fn an_offer_expired_and_its_slot_since_booked_cannot_be_accepted() {
    let (app, reservees, id, jeton) = offre_ouverte();
    app.clock.advance(chrono::Duration::minutes(31));
    app.run_cron();
    // The slot is free again (A was its only taker): someone books it.
    reserver(&app, &reservees[0].1 .0, "rapide@exemple.fr", "203.0.113.9");
    let r = repondre(&app, &id, &jeton, "accepter");
    assert_eq!(r.status, 410, "{}", r.text());
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE date_heure = {} AND statut IN ('confirmee', 'offerte')",
            instant(&reservees[0].1 .0)
        )),
        1
    );
}

#[test]
fn joining_is_refused_while_the_window_has_free_slots_and_every_field_is_checked() {
    let app = TestApp::spawn().with_demo_data();
    let corps = |du: &str, au: &str, email: &str| j!({ "service": 1012, "du": du, "au": au, "nom": "Léa", "email": email });
    let r = app.post_json(&url_inscription(), &corps(JOUR, JOUR, "a@exemple.fr"));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "creneaux_libres");
    journee_complete(&app);
    for (du, au, champ) in [
        ("2026-11-20", JOUR, "du"),
        (JOUR, "2026-12-01", "au"),
        ("02/12/2026", JOUR, "du"),
        (JOUR, "2027-12-01", "au"),
        (JOUR, "", "au"),
    ] {
        let r = app.post_json(&url_inscription(), &corps(du, au, "a@exemple.fr"));
        assert_eq!(r.status, 422, "{du} {au}: {}", r.text());
        assert_eq!(json(&r)["code"], "periode_invalide");
        assert_eq!(json(&r)["champ"], champ, "{}", r.text());
    }
    let r = app.post_json(&url_inscription(), &corps(JOUR, JOUR, "pas-une-adresse"));
    assert_eq!(r.status, 422);
    assert_eq!(json(&r)["code"], "champs_invalides");
    let r = app.post_json(
        &url_inscription(),
        &j!({ "service": 999_999, "du": JOUR, "au": JOUR, "nom": "Léa", "email": "a@exemple.fr" }),
    );
    assert_eq!(r.status, 404);
    // One address keeps at most three entries in line at one professional.
    for _ in 0..3 {
        confirmee(&app, &corps(JOUR, JOUR, "a@exemple.fr"));
    }
    let r = app.post_json(&url_inscription(), &corps(JOUR, JOUR, "A@exemple.fr"));
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(json(&r)["code"], "trop_d_inscriptions");
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM liste_attente WHERE email = 'a@exemple.fr'"),
        3
    );
}

#[test]
fn an_entry_expires_at_the_end_of_its_window() {
    let app = TestApp::spawn().with_demo_data();
    journee_complete(&app);
    let jeton = inscrire(&app, "a@exemple.fr");
    app.clock.set(
        chrono::DateTime::parse_from_rfc3339("2026-12-03T00:30:00+01:00")
            .unwrap()
            .with_timezone(&chrono::Utc),
    );
    app.run_cron();
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM liste_attente WHERE statut = 'expiree'"),
        1
    );
    assert_eq!(agir(&app, &jeton, "quitter").status, 410);
}

#[test]
fn through_the_pages_a_guest_joins_confirms_from_the_email_and_takes_the_slot_offered() {
    use crate::pages_outils::{champ, texte, Navigateur};
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    let mut nav = Navigateur::new(&app, "coach");
    // The slots page leads to the form.
    let profil = nav.page("/professionnels/claire-fontaine?service=1012");
    assert!(profil.contains("/professionnels/claire-fontaine/liste-attente?service=1012"));
    let html = nav.page("/professionnels/claire-fontaine/liste-attente?service=1012");
    let csrf = champ(&html, "csrf");
    let champs = |du: &'static str| {
        vec![
            ("service", "1012"),
            ("du", du),
            ("au", JOUR),
            ("nom", "Léa Page"),
            ("email", "page@exemple.fr"),
        ]
    };
    // A refusal comes back as the form, with the values and the French message.
    let mut mauvais = champs("2026-11-01");
    mauvais.push(("csrf", &csrf));
    let r = nav.post("/professionnels/claire-fontaine/liste-attente", &mauvais);
    assert_eq!(r.status, 422);
    let page = texte(&r);
    assert!(
        page.contains("La période doit commencer aujourd'hui ou plus tard."),
        "{page}"
    );
    assert!(page.contains("page@exemple.fr"));
    // Without its CSRF token, nothing is written.
    let r = nav.post(
        "/professionnels/claire-fontaine/liste-attente",
        &champs(JOUR),
    );
    assert_eq!(r.status, 403);
    assert_eq!(app.db.scalar("SELECT count(*) FROM liste_attente"), 0);
    let mut bons = champs(JOUR);
    bons.push(("csrf", &csrf));
    let r = nav.post("/professionnels/claire-fontaine/liste-attente", &bons);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(texte(&r).contains("confirmer votre inscription"));

    // The e-mail's link: exchanged for a cookie, then the page's button confirms.
    let texte_courriel =
        dernier_courriel(&app, "page@exemple.fr", "/liste-attente?token=").unwrap();
    let jeton = secret_apres(&texte_courriel, "/liste-attente?token=");
    let r = nav.get(&format!("/liste-attente?token={jeton}"));
    assert_eq!(r.status, 303);
    let html = nav.page("/liste-attente");
    assert!(texte_de(&html).contains("Confirmer mon inscription"));
    let r = nav.post(
        "/liste-attente",
        &[("csrf", &champ(&html, "csrf")), ("action", "confirmer")],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM liste_attente WHERE statut = 'active'"),
        1
    );

    // A slot frees: the offer's page takes it, and opens the booking's pages.
    annuler(&app, &reservees[0].0);
    let (id, jeton_offre) = offre(&app, "page@exemple.fr").unwrap();
    let r = nav.get(&format!("/reservations/{id}/offre?token={jeton_offre}"));
    assert_eq!(r.status, 303, "{}", r.text());
    let html = nav.page(&format!("/reservations/{id}/offre"));
    assert!(texte_de(&html).contains("Réserver ce créneau"));
    let r = nav.post(
        &format!("/reservations/{id}/offre"),
        &[
            ("csrf", &champ(&html, "csrf")),
            ("action", "accepter"),
            ("telephone", "06 12 34 56 78"),
            ("objectif", "Reprendre la course"),
            ("format", "visio"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header("location"),
        Some(format!("/reservations/{id}/confirmation").as_str())
    );
    let confirmation = nav.page(&format!("/reservations/{id}/confirmation"));
    assert!(texte_de(&confirmation).contains("Léa Page") || confirmation.contains("confirm"));
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE id = '{id}' AND statut = 'confirmee'"
        )),
        1
    );
}

fn texte_de(html: &str) -> String {
    html.replace("&#39;", "'").replace("&#x27;", "'")
}

#[test]
fn the_professional_sees_how_many_wait_per_service_and_a_client_sees_their_entries() {
    let app = TestApp::spawn().with_demo_data();
    journee_complete(&app);
    inscrire(&app, "a@exemple.fr");
    inscrire(&app, "b@exemple.fr");
    let (_, compte_pro) = crate::comptes::pro(&app, "claire-fontaine");
    let mut nav = crate::comptes::Navigateur::avec_session(&app, compte_pro);
    let r = nav.get("http://coach.localhost:8787/pro/services");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.text().contains("Liste d'attente : 2 personnes")
            || r.text().contains("Liste d&#39;attente : 2 personnes"),
        "{}",
        r.text()
    );

    let client = crate::comptes::client(&app, "inscrite@exemple.fr");
    app.db.execute_script(&format!(
        "UPDATE liste_attente SET user_id = {client} WHERE email = 'a@exemple.fr';"
    ));
    let mut nav = crate::comptes::Navigateur::avec_session(&app, client);
    let r = nav.get("http://coach.localhost:8787/compte");
    assert_eq!(r.status, 200);
    let page = texte_de(&r.text());
    assert!(page.contains("Mes listes d'attente"), "{page}");
    assert!(page.contains(&format!("du {JOUR} au {JOUR}")), "{page}");
}

#[test]
fn time_off_removed_by_the_professional_offers_the_slots_it_frees_at_once() {
    let app = TestApp::spawn().with_demo_data();
    journee_complete(&app);
    inscrire(&app, "a@exemple.fr");
    let absence = app.db.scalar(
        "SELECT max(a.id) FROM absences a JOIN professionnels p ON p.id = a.professionnel_id \
         WHERE p.slug = 'claire-fontaine'",
    );
    let r = en_claire(
        &app,
        Method::Post,
        &format!("{HOTE}/api/v1/pro/absences/{absence}/supprimer"),
        Some(&j!({})),
    );
    assert!(r.status < 300, "{} {}", r.status, r.text());
    // No scheduled run needed: the removal itself walked the line.
    assert_eq!(offres_de(&app, "a@exemple.fr"), 1);
}

/// A request of the demo coach Claire Fontaine through her own API, signed in.
fn en_claire(
    app: &TestApp,
    method: Method,
    chemin: &str,
    corps: Option<&serde_json::Value>,
) -> booking_functions::http::Response {
    let (_, compte_pro) = crate::comptes::pro(app, "claire-fontaine");
    crate::comptes::avec_bearer(
        app,
        method,
        chemin,
        &crate::comptes::jeton(app, compte_pro),
        corps,
    )
}

/// Writes `nombre` entries in line at the coach, joined before anyone else, for
/// `service` over the local day `jour` (e-mails `<prefixe><n>@exemple.fr`).
fn entrees_devant(app: &TestApp, prefixe: &str, service: i64, jour: &str, nombre: u32) {
    let maintenant = booking_shared::ports::Clock::now(&app.clock).timestamp();
    for n in 0..nombre {
        let jeton = format!("{:0>64}", format!("{prefixe}{n}"));
        app.db.execute_script(&format!(
            "INSERT INTO liste_attente (professionnel_id, service_id, email, nom, du, au, \
             fin_fenetre, statut, jeton_hash, base_url, created_at, updated_at) \
             SELECT id, {service}, '{prefixe}{n}@exemple.fr', 'Devant', '{jour}', '{jour}', \
             {fin}, 'active', '{jeton}', '{HOTE}', {t}, {t} \
             FROM professionnels WHERE slug = 'claire-fontaine';",
            fin = maintenant + 30 * 86_400,
            t = maintenant - 3600,
        ));
    }
}

#[test]
fn entries_that_cannot_be_served_never_hold_up_those_behind_them() {
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    // Ahead in line: entries for a service since withdrawn, and entries whose day has
    // nothing free at all (more than one page of the line).
    let autre = app.db.scalar(
        "SELECT min(s.id) FROM services s JOIN professionnels p ON p.id = s.professionnel_id \
         WHERE p.slug = 'claire-fontaine' AND s.id <> 1012",
    );
    entrees_devant(&app, "ret", autre, JOUR, 10);
    app.db.execute_script(&format!(
        "UPDATE services SET actif = 0 WHERE id = {autre};"
    ));
    let ferme = (3..20)
        .map(|j| {
            (chrono::NaiveDate::parse_from_str(JOUR, "%Y-%m-%d").unwrap()
                + chrono::Duration::days(j))
            .to_string()
        })
        .find(|jour| {
            app.creneaux("coach.localhost", "claire-fontaine", 1012, jour, jour)
                .is_empty()
        })
        .expect("a day with nothing free");
    entrees_devant(&app, "ferme", 1012, &ferme, 60);
    inscrire(&app, "derriere@exemple.fr");

    annuler(&app, &reservees[0].0);
    assert_eq!(offres_de(&app, "derriere@exemple.fr"), 1);
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM reservations WHERE statut = 'offerte'"),
        1
    );
}

/// The text columns `colonnes` of the first row `sql` reads.
fn textes(app: &TestApp, sql: &str, colonnes: &[&str]) -> Vec<String> {
    let lignes = futures::executor::block_on(booking_shared::store::Db::query(
        &app.db,
        booking_shared::store::Statement::new(sql),
    ))
    .unwrap();
    colonnes
        .iter()
        .map(|c| lignes[0][*c].as_str().unwrap().to_owned())
        .collect()
}

/// The status and address of the entry whose link's secret is `jeton`.
fn entree(app: &TestApp, jeton: &str) -> (String, String) {
    let hash = booking_shared::types::JetonGestion::choisi(jeton).hash();
    let [statut, email]: [String; 2] = textes(
        app,
        &format!("SELECT statut, email FROM liste_attente WHERE jeton_hash = '{hash}'"),
        &["statut", "email"],
    )
    .try_into()
    .unwrap();
    (statut, email)
}

fn statut_entree(app: &TestApp, jeton: &str) -> String {
    entree(app, jeton).0
}

/// The first in line is offered the freed slot, now due to be paid online, and takes it:
/// the booking awaits payment. (booking id, its offer's secret, the entry's secret).
fn offre_a_payer_prise(app: &TestApp) -> (String, String, String) {
    let reservees = journee_complete(app);
    let entree_a = inscrire(app, "a@exemple.fr");
    inscrire(app, "b@exemple.fr");
    annuler(app, &reservees[0].0);
    let (id, jeton) = offre(app, "a@exemple.fr").unwrap();
    app.db.execute_script(&format!(
        "UPDATE reservations SET prix_centimes = 4000, a_payer_centimes = 4000 WHERE id = '{id}';"
    ));
    let r = repondre(app, &id, &jeton, "accepter");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["statut"], "en_attente_paiement");
    // Not served before the payment is received, and nobody else is offered the slot
    // meanwhile, nor them another.
    assert_eq!(statut_entree(app, &entree_a), "active");
    app.run_cron();
    assert_eq!(offres_de(app, "a@exemple.fr"), 0);
    assert_eq!(offres_de(app, "b@exemple.fr"), 0);
    (id, jeton, entree_a)
}

#[test]
fn an_offer_taken_but_never_paid_keeps_the_place_and_hands_the_slot_on() {
    use crate::paiements::{envoyer, evenement, session_de};
    let app = TestApp::spawn().with_demo_data();
    let (id, _, entree_a) = offre_a_payer_prise(&app);
    let corps = evenement(
        "evt_exp",
        "checkout.session.expired",
        j!({ "id": session_de(&app, &id), "payment_status": "unpaid", "payment_intent": null,
             "client_reference_id": id, "metadata": { "reservation_id": id } }),
    );
    envoyer(&app, &corps);
    assert_eq!(statut_entree(&app, &entree_a), "active");
    assert_eq!(
        offres_de(&app, "b@exemple.fr"),
        1,
        "the slot goes on at once"
    );
}

#[test]
fn an_offer_taken_and_paid_serves_the_entry() {
    let app = TestApp::spawn().with_demo_data();
    let (id, jeton, entree_a) = offre_a_payer_prise(&app);
    let r = crate::paiements::Reservee {
        id,
        token: jeton,
        debut: String::new(),
    };
    crate::paiements::payer(&app, &r, "pi_offre");
    assert_eq!(statut_entree(&app, &entree_a), "servie");
}

#[test]
fn aliases_of_one_mailbox_share_its_cap_and_one_source_keeps_few_entries_in_line() {
    let app = TestApp::spawn().with_demo_data();
    journee_complete(&app);
    let corps =
        |email: &str| j!({ "service": 1012, "du": JOUR, "au": JOUR, "nom": "Léa", "email": email });
    for email in [
        "anne.roux@gmail.com",
        "anneroux+1@gmail.com",
        "AnneRoux+2@googlemail.com",
    ] {
        confirmee(&app, &corps(email));
    }
    let r = app.post_json(&url_inscription(), &corps("a.n.n.e.r.o.u.x+3@gmail.com"));
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(json(&r)["code"], "trop_d_inscriptions");
    // One source, whatever the addresses, keeps at most ten entries in line (its hourly
    // limit aside).
    app.clock.advance(chrono::Duration::minutes(61));
    for n in 0..7 {
        let r = app.post_json(&url_inscription(), &corps(&format!("autre{n}@exemple.fr")));
        assert_eq!(r.status, 201, "{n}: {}", r.text());
    }
    let r = app.post_json(&url_inscription(), &corps("onzieme@exemple.fr"));
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(json(&r)["code"], "trop_d_inscriptions");
    assert_eq!(app.db.scalar("SELECT count(*) FROM liste_attente"), 10);
}

#[test]
fn entries_out_of_line_keep_nothing_of_their_client_and_go_after_a_month() {
    let app = TestApp::spawn().with_demo_data();
    journee_complete(&app);
    let partie = inscrire(&app, "partie@exemple.fr");
    let expiree = inscrire(&app, "expiree@exemple.fr");
    let attend = inscrire(&app, "attend@exemple.fr");
    assert_eq!(agir(&app, &partie, "quitter").status, 200);
    let (statut, email) = entree(&app, &partie);
    assert_eq!(statut, "quittee");
    assert!(email.ends_with("@anonyme.invalid"), "{email}");
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM liste_attente WHERE nom = 'Inscrite' AND statut = 'quittee'"
        ),
        0
    );
    // Its window ended: anonymised too; the one still in line keeps its address.
    app.db.execute_script(&format!(
        "UPDATE liste_attente SET fin_fenetre = 0 WHERE jeton_hash = '{}';",
        booking_shared::types::JetonGestion::choisi(&expiree).hash()
    ));
    app.run_cron();
    let (statut, email) = entree(&app, &expiree);
    assert_eq!(statut, "expiree");
    assert!(email.ends_with("@anonyme.invalid"), "{email}");
    assert_eq!(entree(&app, &attend).1, "attend@exemple.fr");
    // A month later, the rows out of line then are gone (the last, expired in the
    // meantime, stays its month).
    app.clock.advance(chrono::Duration::days(31));
    app.run_cron();
    assert_eq!(app.db.scalar("SELECT count(*) FROM liste_attente"), 1);
    assert_eq!(entree(&app, &attend).0, "expiree");
}

#[test]
fn deleting_an_account_holding_an_offer_ends_the_offer_and_hands_the_slot_on() {
    use crate::donnees::{cliente, supprimer, EMAIL};
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    let (_, token) = cliente(&app);
    inscrire(&app, EMAIL);
    inscrire(&app, "b@exemple.fr");
    annuler(&app, &reservees[0].0);
    assert_eq!(offres_de(&app, EMAIL), 1);
    let r = supprimer(&app, &token, j!({ "mot_de_passe": crate::comptes::MDP }));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(offres_de(&app, EMAIL), 0);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM liste_attente WHERE email = '{EMAIL}'"
        )),
        0
    );
    assert_eq!(
        offres_de(&app, "b@exemple.fr"),
        1,
        "the slot goes on at once"
    );
}

#[test]
fn an_unconfirmed_entry_takes_its_place_when_confirmed_locks_nobody_out_and_lapses_in_a_day() {
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    // Joined first, confirmed after B: B is ahead.
    let jeton_a = inscrire_sans_confirmer(&app, "a@exemple.fr");
    app.clock.advance(chrono::Duration::minutes(1));
    inscrire(&app, "b@exemple.fr");
    assert_eq!(agir(&app, &jeton_a, "confirmer").status, 200);
    annuler(&app, &reservees[0].0);
    assert_eq!(offres_de(&app, "b@exemple.fr"), 1);
    assert_eq!(offres_de(&app, "a@exemple.fr"), 0);

    // A stranger's unconfirmed entries for an address never lock its owner out.
    let corps =
        |email: &str| j!({ "service": 1012, "du": JOUR, "au": JOUR, "nom": "Léa", "email": email });
    let mut jetons = Vec::new();
    for ip in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        let r = app.post_json_from(&url_inscription(), &corps("cible@exemple.fr"), ip);
        assert_eq!(r.status, 201, "{}", r.text());
        jetons.push(secret_apres(
            &dernier_courriel(&app, "cible@exemple.fr", "/liste-attente?token=").unwrap(),
            "/liste-attente?token=",
        ));
    }
    let r = app.post_json_from(
        &url_inscription(),
        &corps("cible@exemple.fr"),
        "198.51.100.4",
    );
    assert_eq!(r.status, 201, "{}", r.text());

    // Left unconfirmed a day, an entry lapses: its link no longer confirms it.
    app.clock.advance(chrono::Duration::hours(24));
    assert_eq!(agir(&app, &jetons[0], "confirmer").status, 410);
    app.run_cron();
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM liste_attente WHERE statut = 'a_confirmer'"),
        0
    );
    assert_eq!(entree(&app, &jetons[1]).0, "expiree");
}

#[test]
fn an_entry_for_an_address_not_the_signed_in_clients_own_never_reaches_their_account() {
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    let client = crate::comptes::client(&app, "curieux@exemple.fr");
    app.db.execute_script(&format!(
        "UPDATE users SET email_verifie_at = 1 WHERE id = {client};"
    ));
    let r = crate::comptes::avec_bearer(
        &app,
        Method::Post,
        &url_inscription(),
        &crate::comptes::jeton(&app, client),
        Some(
            &j!({ "service": 1012, "du": JOUR, "au": JOUR, "nom": "Victime", "email": "victime@exemple.fr" }),
        ),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(json(&r)["confirmation_requise"], true);
    // The owner of the address confirms it (they do want the slot): the offer is theirs.
    let texte = dernier_courriel(&app, "victime@exemple.fr", "/liste-attente?token=").unwrap();
    assert_eq!(
        agir(
            &app,
            &secret_apres(&texte, "/liste-attente?token="),
            "confirmer"
        )
        .status,
        200
    );
    annuler(&app, &reservees[0].0);
    assert_eq!(offres_de(&app, "victime@exemple.fr"), 1);
    // Neither the entry nor the offer is the signed-in client's.
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT (SELECT count(*) FROM reservations WHERE user_id = {client}) \
             + (SELECT count(*) FROM liste_attente WHERE user_id = {client})"
        )),
        0
    );
}

#[test]
fn an_offer_cannot_be_taken_once_the_professional_unlisted_the_service_withdrawn_or_the_time_busy_elsewhere(
) {
    let (app, reservees, id, jeton) = offre_ouverte();
    let pro = "(SELECT id FROM professionnels WHERE slug = 'claire-fontaine')";
    let refus = |code: &str| {
        let r = repondre(&app, &id, &jeton, "accepter");
        assert_eq!(r.status, 409, "{}", r.text());
        assert_eq!(json(&r)["code"], code, "{}", r.text());
        assert!(json(&r)["title"].as_str().unwrap().contains("Ce créneau"));
        assert_eq!(offres_de(&app, "a@exemple.fr"), 1, "nothing changed");
    };
    app.db.execute_script(&format!(
        "UPDATE professionnels SET public = 0 WHERE id = {pro};"
    ));
    refus("offre_retiree");
    app.db.execute_script(&format!(
        "UPDATE professionnels SET public = 1 WHERE id = {pro}; \
         UPDATE services SET actif = 0 WHERE id = 1012;"
    ));
    refus("offre_retiree");
    let (debut, fin) = &reservees[0].1;
    app.db.execute_script(&format!(
        "UPDATE services SET actif = 1 WHERE id = 1012; \
         INSERT INTO agendas_externes (professionnel_id, url, created_at) \
         VALUES ({pro}, 'https://agenda.exemple.fr/a.ics', 0); \
         INSERT INTO occupations_externes (agenda_id, professionnel_id, debut, fin) \
         SELECT max(id), {pro}, {}, {} FROM agendas_externes;",
        instant(debut),
        instant(fin)
    ));
    let r = repondre(&app, &id, &jeton, "accepter");
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "professionnel_occupe");
    assert_eq!(offres_de(&app, "a@exemple.fr"), 1, "nothing changed");
    app.db.execute_script("DELETE FROM occupations_externes;");
    assert_eq!(repondre(&app, &id, &jeton, "accepter").status, 200);
}

#[test]
fn an_unlisted_professionals_line_is_offered_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    inscrire(&app, "a@exemple.fr");
    app.db
        .execute_script("UPDATE professionnels SET public = 0 WHERE slug = 'claire-fontaine';");
    annuler(&app, &reservees[0].0);
    app.run_cron();
    assert_eq!(offres_de(&app, "a@exemple.fr"), 0);
}

#[test]
fn an_offer_is_held_no_later_than_the_slot_can_still_be_booked() {
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    inscrire(&app, "a@exemple.fr");
    inscrire(&app, "b@exemple.fr");
    annuler(&app, &reservees[0].0);
    assert_eq!(offres_de(&app, "a@exemple.fr"), 1);
    // A let it pass; the next run comes 2 h 15 before the slot (the coach's notice is
    // 2 h): B's offer ends when the notice starts, not 30 minutes later.
    let debut = instant(&reservees[0].1 .0);
    app.clock
        .set(chrono::DateTime::from_timestamp(debut - 135 * 60, 0).unwrap());
    app.run_cron();
    assert_eq!(offres_de(&app, "b@exemple.fr"), 1);
    assert_eq!(
        app.db.scalar(
            "SELECT expire_at FROM reservations WHERE statut = 'offerte' \
             AND client_email = 'b@exemple.fr'"
        ),
        debut - 120 * 60
    );
}

#[test]
fn the_professional_cannot_cancel_a_slot_held_for_someone_in_line() {
    let (app, _, id, jeton) = offre_ouverte();
    let r = en_claire(
        &app,
        Method::Post,
        &format!("{HOTE}/api/v1/pro/reservations/{id}/annuler"),
        Some(&j!({ "motif": "Indisponible" })),
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "transition_interdite");
    assert_eq!(offres_de(&app, "a@exemple.fr"), 1);
    assert_eq!(repondre(&app, &id, &jeton, "accepter").status, 200);
}

#[test]
fn an_external_calendar_removed_offers_the_time_it_blocked_at_once() {
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    inscrire(&app, "a@exemple.fr");
    let pro = "(SELECT id FROM professionnels WHERE slug = 'claire-fontaine')";
    let (debut, fin) = &reservees[0].1;
    app.db.execute_script(&format!(
        "INSERT INTO agendas_externes (professionnel_id, url, created_at) \
         VALUES ({pro}, 'https://agenda.exemple.fr/a.ics', 0); \
         INSERT INTO occupations_externes (agenda_id, professionnel_id, debut, fin) \
         SELECT max(id), {pro}, {}, {} FROM agendas_externes;",
        instant(debut),
        instant(fin)
    ));
    annuler(&app, &reservees[0].0);
    app.run_cron();
    assert_eq!(offres_de(&app, "a@exemple.fr"), 0, "busy elsewhere");
    let agenda = app.db.scalar("SELECT max(id) FROM agendas_externes");
    let r = en_claire(
        &app,
        Method::Post,
        &format!("{HOTE}/api/v1/pro/agendas/{agenda}/supprimer"),
        Some(&j!({})),
    );
    assert!(r.status < 300, "{} {}", r.status, r.text());
    // No scheduled run needed: the removal itself walked the line.
    assert_eq!(offres_de(&app, "a@exemple.fr"), 1);
}

/// The offer's booking as the database holds it: (status, telephone, answers).
fn offre_en_base(app: &TestApp, id: &str) -> (String, String, Value) {
    let [statut, telephone, email, reponses]: [String; 4] = textes(
        app,
        &format!(
            "SELECT statut, client_telephone, client_email, reponses FROM reservations WHERE id = '{id}'"
        ),
        &["statut", "client_telephone", "client_email", "reponses"],
    )
    .try_into()
    .unwrap();
    assert_eq!(email, "a@exemple.fr");
    (statut, telephone, serde_json::from_str(&reponses).unwrap())
}

/// The codes of the field errors of a problem, by field.
fn erreurs_de(r: &booking_functions::http::Response) -> Vec<(String, String)> {
    json(r)["erreurs"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|x| {
                    (
                        x["champ"].as_str().unwrap_or_default().to_owned(),
                        x["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn taking_an_offer_through_the_api_asks_what_a_booking_asks_and_changes_nothing_until_it_is_right()
{
    let (app, _, id, jeton) = offre_ouverte();
    let intact = |app: &TestApp| {
        assert_eq!(
            offre_en_base(app, &id),
            ("offerte".to_owned(), String::new(), j!({}))
        );
    };
    // Nothing but the answer: every field the booking form requires is named.
    let r = repondre_avec(&app, &id, &j!({ "token": jeton, "reponse": "accepter" }));
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/problem+json"));
    assert_eq!(json(&r)["code"], "champs_invalides");
    let erreurs = erreurs_de(&r);
    for champ in ["telephone", "objectif", "format"] {
        assert!(erreurs.iter().any(|(c, _)| c == champ), "{erreurs:?}");
    }
    intact(&app);
    // Invalid values, and what a dishonest client adds: each refused in French, nothing
    // written.
    let mauvais = [
        j!({ "telephone": "appelez-moi", "reponses": { "objectif": "Courir", "format": "visio" } }),
        j!({ "telephone": "06 12 34 56 78", "reponses": { "objectif": "Courir", "format": "fusee" } }),
        j!({ "telephone": "06 12 34 56 78", "reponses": { "objectif": "x".repeat(1001), "format": "visio" } }),
        j!({ "telephone": "06 12 34 56 78", "reponses": { "objectif": { "$ne": 1 }, "format": "visio" } }),
        j!({ "telephone": "06 12 34 56 78", "reponses": { "objectif": "Courir", "format": "visio", "prix_centimes": 0 } }),
        j!({ "telephone": "06 12 34 56 78", "message": "m".repeat(2001), "reponses": { "objectif": "Courir", "format": "visio" } }),
    ];
    for corps in mauvais {
        let mut corps = corps;
        corps["token"] = j!(jeton);
        corps["reponse"] = j!("accepter");
        let r = repondre_avec(&app, &id, &corps);
        assert_eq!(r.status, 422, "{corps}: {}", r.text());
        assert_eq!(json(&r)["code"], "champs_invalides");
        let erreurs = json(&r)["erreurs"].clone();
        assert!(
            erreurs[0]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty() && !m.contains("serde")),
            "{erreurs}"
        );
        intact(&app);
    }
    // The entry's name and address are not the client's to change, nor the price.
    for (cle, valeur) in [
        ("email", j!("intrus@exemple.fr")),
        ("nom", j!("Autre")),
        ("prix_centimes", j!(0)),
        ("reponses", j!(["objectif"])),
    ] {
        let mut corps =
            j!({ "token": jeton, "reponse": "accepter", "telephone": "06 12 34 56 78" });
        corps[cle] = valeur;
        let r = repondre_avec(&app, &id, &corps);
        assert!(
            [400, 422].contains(&r.status),
            "{cle}: {} {}",
            r.status,
            r.text()
        );
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        intact(&app);
    }

    // Right: the booking carries them, the answer says so, and the professional's agenda
    // and e-mail show them like any booking's.
    let r = repondre_avec(
        &app,
        &id,
        &j!({ "token": jeton, "reponse": "accepter", "telephone": " 06 12 34 56 78 ",
              "message": "Je viendrai à pied.",
              "reponses": { "objectif": "Reprendre la course", "format": "presentiel" } }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["statut"], "confirmee");
    assert_eq!(json(&r)["reponses"]["objectif"], "Reprendre la course");
    let (statut, telephone, reponses) = offre_en_base(&app, &id);
    assert_eq!(statut, "confirmee");
    assert_eq!(telephone, "06 12 34 56 78");
    assert_eq!(
        reponses,
        j!({ "objectif": "Reprendre la course", "format": "presentiel" })
    );
    let r = en_claire(
        &app,
        Method::Get,
        &format!("{HOTE}/api/v1/pro/agenda?du={JOUR}&au=2026-12-03"),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let agenda = json(&r);
    let ligne = agenda["reservations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id.as_str())
        .unwrap_or_else(|| panic!("{agenda}"))
        .clone();
    assert_eq!(ligne["reponses"]["objectif"], "Reprendre la course");
    let pro_email = textes(
        &app,
        "SELECT u.email AS email FROM users u JOIN professionnels p ON p.user_id = u.id \
         WHERE p.slug = 'claire-fontaine'",
        &["email"],
    )
    .remove(0);
    let courriel = dernier_courriel(&app, &pro_email, "Reprendre la course")
        .unwrap_or_else(|| panic!("the professional's e-mail names the answers"));
    assert!(courriel.contains("En présentiel") || courriel.contains("presentiel"));
    assert!(courriel.contains("06 12 34 56 78"), "{courriel}");
}

#[test]
fn the_offers_page_asks_the_booking_forms_fields_and_comes_back_with_french_errors_under_them() {
    use crate::pages_outils::{champ, texte, Navigateur};
    let (app, _, id, jeton) = offre_ouverte();
    let mut nav = Navigateur::new(&app, "coach");
    assert_eq!(
        nav.get(&format!("/reservations/{id}/offre?token={jeton}"))
            .status,
        303
    );
    let chemin = format!("/reservations/{id}/offre");
    let html = nav.page(&chemin);
    // The booking form's fields, drawn the same way; the name and address are the
    // entry's; leaving the slot does not ask them.
    for attendu in [
        "id=\"champ-telephone\"",
        "id=\"champ-message\"",
        "id=\"champ-objectif\"",
        "id=\"champ-format\"",
        "value=\"presentiel\"",
        "formnovalidate",
    ] {
        assert!(html.contains(attendu), "{attendu} in {html}");
    }
    assert!(!html.contains("id=\"champ-email\""));
    assert!(!html.contains("id=\"champ-nom\""));

    // Missing and invalid: the page again, 422, the values kept, each message under its
    // field; nothing changed.
    let csrf = champ(&html, "csrf");
    let r = nav.post(
        &chemin,
        &[
            ("csrf", &csrf),
            ("action", "accepter"),
            ("telephone", "pas un numéro"),
            ("objectif", "Reprendre la course"),
            ("format", "fusee"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    let page = texte_de(&texte(&r));
    assert!(page.contains("Certains champs sont à corriger"), "{page}");
    assert!(
        page.contains("Le numéro de téléphone n'est pas valide"),
        "{page}"
    );
    assert!(page.contains("id=\"erreur-format\""), "{page}");
    assert!(page.contains("Reprendre la course"), "the values are kept");
    assert_eq!(offre_en_base(&app, &id).0, "offerte");
    // Without its CSRF token, nothing either.
    let r = nav.post(
        &chemin,
        &[
            ("action", "accepter"),
            ("telephone", "06 12 34 56 78"),
            ("objectif", "Reprendre la course"),
            ("format", "visio"),
        ],
    );
    assert_eq!(r.status, 403);
    assert_eq!(offre_en_base(&app, &id).0, "offerte");

    // Right, with another name and address slipped in: they are ignored.
    let html = nav.page(&chemin);
    let r = nav.post(
        &chemin,
        &[
            ("csrf", &champ(&html, "csrf")),
            ("action", "accepter"),
            ("telephone", "06 12 34 56 78"),
            ("objectif", "Reprendre la course"),
            ("format", "visio"),
            ("email", "intrus@exemple.fr"),
            ("nom", "Intrus"),
            ("inconnu", "x"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let (statut, telephone, reponses) = offre_en_base(&app, &id);
    assert_eq!(
        (statut.as_str(), telephone.as_str()),
        ("confirmee", "06 12 34 56 78")
    );
    assert_eq!(
        reponses,
        j!({ "objectif": "Reprendre la course", "format": "visio" })
    );
}

#[test]
fn an_offer_gone_answers_what_it_is_before_any_missing_field() {
    // A client of the first version sends only the token and the answer: an offer that
    // cannot be taken says why, as before, rather than which fields are missing.
    let app = TestApp::spawn().with_demo_data();
    let reservees = journee_complete(&app);
    inscrire(&app, "a@exemple.fr");
    inscrire(&app, "b@exemple.fr");
    inscrire(&app, "c@exemple.fr");
    annuler(&app, &reservees[0].0);
    annuler(&app, &reservees[1].0);
    let (id, jeton) = offre(&app, "a@exemple.fr").unwrap();
    let nu = |jeton: &str, reponse: &str| j!({ "token": jeton, "reponse": reponse });
    let pro = "(SELECT id FROM professionnels WHERE slug = 'claire-fontaine')";
    app.db.execute_script(&format!(
        "UPDATE professionnels SET public = 0 WHERE id = {pro};"
    ));
    let r = repondre_avec(&app, &id, &nu(&jeton, "accepter"));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "offre_retiree");
    app.db.execute_script(&format!(
        "UPDATE professionnels SET public = 1 WHERE id = {pro};"
    ));
    // Open: the fields are asked.
    let r = repondre_avec(&app, &id, &nu(&jeton, "accepter"));
    assert_eq!(r.status, 422, "{}", r.text());
    // Taken: already confirmed, whatever is sent.
    assert_eq!(repondre(&app, &id, &jeton, "accepter").status, 200);
    let r = repondre_avec(&app, &id, &nu(&jeton, "accepter"));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "deja_confirmee");
    // Declining needs no field; the slot goes to the next in line.
    let (id_b, jeton_b) = offre(&app, "b@exemple.fr").unwrap();
    let r = repondre_avec(&app, &id_b, &nu(&jeton_b, "decliner"));
    assert_eq!(r.status, 200, "{}", r.text());
    // Expired: gone, not fields missing.
    let (id_c, jeton_c) = offre(&app, "c@exemple.fr").unwrap();
    app.clock.advance(chrono::Duration::minutes(31));
    let r = repondre_avec(&app, &id_c, &nu(&jeton_c, "accepter"));
    assert_eq!(r.status, 410, "{}", r.text());
}

#[test]
fn the_offers_page_takes_the_entrys_name_and_address_as_they_were_stored() {
    use crate::pages_outils::{champ, Navigateur};
    // A name stored before today's rules (with a tab a booking refuses): the page does
    // not ask it (it is the entry's), so it does not refuse it either.
    let (app, _, id, jeton) = offre_ouverte();
    app.db.execute_script(&format!(
        "UPDATE reservations SET client_nom = 'Léa' || char(9) || 'Martin' WHERE id = '{id}';"
    ));
    let mut nav = Navigateur::new(&app, "coach");
    nav.get(&format!("/reservations/{id}/offre?token={jeton}"));
    let chemin = format!("/reservations/{id}/offre");
    let html = nav.page(&chemin);
    let r = nav.post(
        &chemin,
        &[
            ("csrf", &champ(&html, "csrf")),
            ("action", "accepter"),
            ("telephone", "06 12 34 56 78"),
            ("objectif", "Reprendre la course"),
            ("format", "visio"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(offre_en_base(&app, &id).0, "confirmee");
}
