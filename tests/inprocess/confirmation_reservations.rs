//! A guest booking in a vertical without online payment is a request, held for 30
//! minutes, until the owner of the e-mail address confirms it from the e-mail; the
//! scheduled job frees the slot of a request left unconfirmed.

use booking_functions::http::{Method, Request};
use booking_tests::{json, TestApp};
use chrono::Duration;
use serde_json::{json as j, Value};

use crate::api_reservations::{coach_body, first_slot, RESERVER};
use crate::comptes::{client, jeton};
use crate::notifications::{outbox_rows, sent, Sent};
use crate::pages_outils::{champ, texte, Navigateur};

const COACH: &str = "http://coach.localhost:8787";

fn book(app: &TestApp) -> Value {
    let r = app.post_json(RESERVER, &coach_body(&first_slot(app)));
    assert_eq!(r.status, 201, "{}", r.text());
    json(&r)
}

fn statut(app: &TestApp, id: &str) -> String {
    let n = app.db.scalar(&format!(
        "SELECT CASE statut WHEN 'en_attente_confirmation' THEN 1 WHEN 'confirmee' THEN 2 \
         WHEN 'expiree' THEN 3 WHEN 'annulee' THEN 4 ELSE 0 END FROM reservations WHERE id = '{id}'"
    ));
    [
        "autre",
        "en_attente_confirmation",
        "confirmee",
        "expiree",
        "annulee",
    ][n as usize]
        .to_owned()
}

fn offered(app: &TestApp, debut: &str) -> bool {
    app.creneaux(
        "coach.localhost",
        "claire-fontaine",
        1012,
        "2026-11-26",
        "2026-12-02",
    )
    .iter()
    .any(|(d, _)| d == debut)
}

/// The path and the secret of the e-mail's link.
fn lien(app: &TestApp, id: &str) -> (String, String) {
    let url = app.confirmation_link_from_email(id);
    let chemin = url.trim_start_matches(COACH).to_owned();
    let secret = url.rsplit('=').next().unwrap().to_owned();
    (chemin, secret)
}

fn confirmer_api(app: &TestApp, id: &str, token: &str) -> booking_functions::http::Response {
    app.post_json(
        &format!("{COACH}/api/v1/reservations/{id}/confirmer"),
        &j!({ "token": token }),
    )
}

fn mails_of(app: &TestApp, id: &str) -> Vec<Sent> {
    sent(app)
        .into_iter()
        .filter(|m| m.headers["idempotency-key"].contains(id))
        .collect()
}

#[test]
fn a_guest_booking_on_coach_holds_the_slot_until_confirmed_from_the_email() {
    let app = TestApp::spawn().with_demo_data();
    // Far enough ahead for both of coach's reminders (24 h and 2 h before).
    let debut = crate::notifications::slot_on(&app, "2026-11-30");
    let r = app.post_json(RESERVER, &coach_body(&debut));
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    let id = b["id"].as_str().unwrap();
    assert_eq!(b["statut"], "en_attente_confirmation");
    assert_eq!(b["confirmation_requise"], true);
    assert_eq!(b["paiement_requis"], false);
    let expire = chrono::DateTime::parse_from_rfc3339(b["expire_a"].as_str().unwrap()).unwrap();
    use booking_shared::ports::Clock;
    assert_eq!(
        expire.timestamp() - app.clock.now().timestamp(),
        30 * 60,
        "held 30 minutes"
    );
    assert!(
        !app.creneaux(
            "coach.localhost",
            "claire-fontaine",
            1012,
            "2026-11-30",
            "2026-11-30"
        )
        .iter()
        .any(|(d, _)| *d == debut),
        "the slot is held"
    );
    // Only the request to confirm is queued: no confirmation, no notice to the
    // professional, no reminder, no review request before the client confirms.
    let kinds: Vec<String> = outbox_rows(&app)
        .into_iter()
        .filter(|r| r.cle.contains(id))
        .map(|r| r.kind)
        .collect();
    assert_eq!(kinds, ["demande_confirmation"]);

    let confirmee = app.confirm_from_email(id);
    assert_eq!(confirmee["statut"], "confirmee");
    assert!(confirmee["expire_a"].is_null());
    assert_eq!(statut(&app, id), "confirmee");
    // The manage link the API gave at booking still manages it.
    assert_eq!(
        confirmee["lien_gestion"], b["lien_gestion"],
        "the same manage link"
    );
    let mut kinds: Vec<String> = outbox_rows(&app)
        .into_iter()
        .filter(|r| r.cle.contains(id))
        .map(|r| r.kind)
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "confirmation",
            "demande_avis",
            "demande_confirmation",
            "rappel",
            "rappel",
            "reservation_creee_pro"
        ]
    );
    app.run_cron();
    let mails = mails_of(&app, id);
    let client = mails
        .iter()
        .find(|m| m.headers["idempotency-key"] == format!("confirmation:{id}"))
        .expect("the confirmation e-mail");
    assert!(client.subject().starts_with("Rendez-vous confirmé"));
    assert!(
        client.body["text"]
            .as_str()
            .unwrap()
            .contains(b["lien_gestion"].as_str().unwrap()),
        "the confirmation carries the manage link"
    );
    assert!(mails
        .iter()
        .any(|m| m.headers["idempotency-key"] == format!("nouvelle:{id}:professionnel")));
}

#[test]
fn an_unconfirmed_hold_is_freed_by_the_scheduled_job() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    let b = json(&app.post_json(RESERVER, &coach_body(&debut)));
    let id = b["id"].as_str().unwrap();
    app.clock.advance(Duration::minutes(29));
    app.run_cron();
    assert_eq!(statut(&app, id), "en_attente_confirmation", "still held");
    assert!(!offered(&app, &debut));
    app.clock.advance(Duration::minutes(2));
    app.run_cron();
    app.run_cron();
    assert_eq!(statut(&app, id), "expiree");
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM occupations WHERE seance = '{id}'"
        )),
        0,
        "slot claims released"
    );
    assert!(offered(&app, &debut), "the slot is offered again");
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM outbox WHERE reservation_id = '{id}' AND statut = 'a_envoyer'"
        )),
        0
    );
    // The link now says the request expired, and confirms nothing.
    let (chemin, secret) = lien(&app, id);
    let r = confirmer_api(&app, id, &secret);
    assert_eq!(r.status, 410, "{}", r.text());
    assert_eq!(json(&r)["code"], "confirmation_expiree");
    let mut nav = Navigateur::new(&app, "coach");
    let page = nav.get(&chemin);
    assert_eq!(page.status, 410);
    assert!(texte(&page).contains("expiré"), "{}", page.text());
    assert!(!page.text().contains("<form"));
    assert_eq!(statut(&app, id), "expiree");
    // Someone else books the freed slot.
    let mut autre = coach_body(&debut);
    autre["email"] = j!("autre@exemple.fr");
    assert_eq!(app.post_json(RESERVER, &autre).status, 201);
}

#[test]
fn overlapping_scheduled_runs_expire_an_unconfirmed_hold_once_and_forget_its_source() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    let b = json(&app.post_json(RESERVER, &coach_body(&debut)));
    let id = b["id"].as_str().unwrap();
    let source =
        format!("SELECT count(*) FROM reservations WHERE id = '{id}' AND source_hash IS NOT NULL");
    assert_eq!(app.db.scalar(&source), 1, "kept while it holds the slot");
    app.clock.advance(Duration::minutes(31));
    let avant = app.db.scalar("SELECT count(*) FROM outbox");
    app.run_crons_at_once(3);
    assert_eq!(statut(&app, id), "expiree");
    assert!(offered(&app, &debut));
    assert_eq!(app.db.scalar(&source), 0, "forgotten once it holds nothing");
    assert_eq!(
        app.db.scalar("SELECT count(*) FROM outbox"),
        avant,
        "expiring queues nothing"
    );
    assert!(
        mails_of(&app, id)
            .iter()
            .all(|m| m.headers["idempotency-key"] != format!("confirmation:{id}")),
        "an expired request is never confirmed to anyone"
    );
    app.run_crons_at_once(2);
    assert_eq!(statut(&app, id), "expiree");
    assert_eq!(app.db.scalar("SELECT count(*) FROM gardes"), 0);
}

#[test]
fn a_request_awaiting_confirmation_cannot_be_moved_by_whoever_holds_its_manage_link() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let id = b["id"].as_str().unwrap();
    let cible = app
        .creneaux(
            "coach.localhost",
            "claire-fontaine",
            1012,
            "2026-11-26",
            "2026-12-02",
        )
        .last()
        .unwrap()
        .0
        .clone();
    let r = app.post_json(
        &format!("{COACH}/api/v1/reservations/{id}/deplacer"),
        &j!({ "token": b["token"], "debut": cible }),
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "transition_interdite");
    assert_eq!(statut(&app, id), "en_attente_confirmation");
}

#[test]
fn a_professional_refusing_a_request_tells_the_address_without_repeating_the_requesters_text() {
    let app = TestApp::spawn().with_demo_data();
    let mut body = coach_body(&first_slot(&app));
    body["nom"] = j!("Gagnez 500 euros");
    body["message"] = j!("Cliquez ici");
    let b = json(&app.post_json(RESERVER, &body));
    let id = b["id"].as_str().unwrap();
    app.run_cron();
    let avant = sent(&app).len();
    let (_, user_id) = crate::comptes::pro(&app, "claire-fontaine");
    let r = crate::comptes::avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/pro/reservations/{id}/refuser"),
        &jeton(&app, user_id),
        Some(&j!({ "motif": "Je ne prends pas de nouveaux clients ce mois-ci" })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(statut(&app, id), "annulee");
    app.run_cron();
    let nouveaux: Vec<Sent> = sent(&app).into_iter().skip(avant).collect();
    assert_eq!(nouveaux.len(), 1, "only the address is told");
    let m = &nouveaux[0];
    assert_eq!(m.to(), "lea.martin@exemple.fr");
    let tout = format!(
        "{} {} {}",
        m.subject(),
        m.body["html"].as_str().unwrap(),
        m.body["text"].as_str().unwrap()
    );
    assert!(
        !tout.contains("Gagnez") && !tout.contains("Cliquez"),
        "{tout}"
    );
    assert!(
        tout.contains("Je ne prends pas de nouveaux clients"),
        "the pro's reason"
    );
    assert!(m.ics().is_none());
}

#[test]
fn a_signed_in_client_with_a_verified_email_books_through_the_page_confirmed_at_once() {
    let app = TestApp::spawn().with_demo_data();
    let user = client(&app, "camille.martin@exemple.fr");
    app.db.execute_script(&format!(
        "UPDATE users SET email_verifie_at = 1 WHERE id = {user}"
    ));
    let mut nav = Navigateur::new(&app, "coach");
    nav.poser_cookie("session", &jeton(&app, user));
    let profil = crate::pages_outils::premier_profil(&mut nav);
    let formulaire = crate::pages_outils::premier_creneau(&mut nav, &profil);
    let r = crate::pages_outils::reserver(&mut nav, "coach", &formulaire);
    let chemin = crate::pages_outils::confirmation(&nav, &r);
    let page = texte(&nav.get(&chemin));
    assert!(page.contains("votre rendez-vous est confirmé"), "{page}");
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE user_id = {user} AND statut = 'confirmee'"
        )),
        1
    );
}

#[test]
fn a_hold_past_its_end_cannot_be_confirmed_even_before_the_scheduled_job_runs() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    let b = json(&app.post_json(RESERVER, &coach_body(&debut)));
    let id = b["id"].as_str().unwrap();
    let (_, secret) = lien(&app, id);
    app.clock.advance(Duration::minutes(31));
    // Someone else takes the freed slot before any scheduled run.
    let mut autre = coach_body(&debut);
    autre["email"] = j!("autre@exemple.fr");
    let r = app.post_json(RESERVER, &autre);
    assert_eq!(r.status, 201, "{}", r.text());
    let r = confirmer_api(&app, id, &secret);
    assert_eq!(r.status, 410, "{}", r.text());
    assert_ne!(statut(&app, id), "confirmee");
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE date_heure = {} AND statut = 'confirmee'",
            chrono::DateTime::parse_from_rfc3339(&debut)
                .unwrap()
                .timestamp()
        )),
        0
    );
}

#[test]
fn the_confirmation_link_is_single_use() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let id = b["id"].as_str().unwrap();
    let (chemin, secret) = lien(&app, id);
    let r = confirmer_api(&app, id, &secret);
    assert_eq!(r.status, 200, "{}", r.text());
    let lignes = app.db.scalar("SELECT count(*) FROM outbox");
    let r = confirmer_api(&app, id, &secret);
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "deja_confirmee");
    assert_eq!(
        app.db.scalar("SELECT count(*) FROM outbox"),
        lignes,
        "nothing queued twice"
    );
    // The page says so too, and offers nothing to press.
    let mut nav = Navigateur::new(&app, "coach");
    let page = nav.get(&chemin);
    assert_eq!(page.status, 409);
    assert!(texte(&page).contains("déjà confirmée"), "{}", page.text());
    assert!(!page.text().contains("<form method=\"post\""));
    app.run_cron();
    let confirmations = mails_of(&app, id)
        .into_iter()
        .filter(|m| m.headers["idempotency-key"] == format!("confirmation:{id}"))
        .count();
    assert_eq!(confirmations, 1);
}

#[test]
fn a_get_on_the_confirmation_link_confirms_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let id = b["id"].as_str().unwrap();
    let (chemin, secret) = lien(&app, id);
    let mut nav = Navigateur::new(&app, "coach");
    // A mail scanner follows the link, twice: the secret leaves the address for a
    // cookie on that page alone, and the page confirms nothing.
    for _ in 0..2 {
        let echange = nav.get(&chemin);
        assert_eq!(echange.status, 303, "{}", echange.text());
        let propre = echange.header("location").unwrap().to_owned();
        assert_eq!(propre, format!("/reservations/{id}/confirmer"));
        assert_eq!(echange.header("referrer-policy"), Some("no-referrer"));
        let page = nav.get(&propre);
        assert_eq!(page.status, 200, "{}", page.text());
        assert_eq!(statut(&app, id), "en_attente_confirmation");
        let html = texte(&page);
        assert!(html.contains("Claire Fontaine"));
        assert!(html.contains("Confirmer mon rendez-vous"));
        assert!(!html.contains(&secret), "the page carries the secret");
        assert!(page.header("cache-control").unwrap().contains("no-store"));
    }
    let propre = format!("/reservations/{id}/confirmer");
    let page = nav.get(&propre).text();
    let csrf = champ(&page, "csrf");
    // Without the link's cookie, the button confirms nothing, even with the secret posted.
    let mut ailleurs = Navigateur::new(&app, "coach");
    let autre_page = ailleurs.get(&propre);
    assert_eq!(autre_page.status, 404, "{}", autre_page.text());
    let r = ailleurs.post(&propre, &[("csrf", &csrf), ("token", &secret)]);
    assert_ne!(r.status, 303);
    assert_eq!(statut(&app, id), "en_attente_confirmation");
    // A POST without the form's CSRF token is refused.
    let r = nav.post(&propre, &[("csrf", "faux")]);
    assert_eq!(r.status, 403);
    assert_eq!(statut(&app, id), "en_attente_confirmation");
    // The button confirms and leads to the manage page, opened by its cookie.
    let r = nav.post(&propre, &[("csrf", &csrf)]);
    assert_eq!(r.status, 303, "{}", r.text());
    let location = r.header("location").unwrap().to_owned();
    assert_eq!(location, format!("/reservations/{id}?fait=confirmee"));
    assert_eq!(statut(&app, id), "confirmee");
    let gestion = nav.get(&location);
    assert_eq!(gestion.status, 200);
    assert!(texte(&gestion).contains("Votre rendez-vous est confirmé"));
}

#[test]
fn the_confirmation_email_repeats_no_text_typed_by_the_requester() {
    let app = TestApp::spawn().with_demo_data();
    let mut body = coach_body(&first_slot(&app));
    body["nom"] = j!("Gagnez 500 euros sur arnaque-exemple.fr");
    body["message"] = j!("Cliquez ici : http://arnaque-exemple.fr/promo");
    body["reponses"] = j!({ "objectif": "Appelez le 08 99 00 00 00", "format": "visio" });
    body["telephone"] = j!("08 99 00 00 00");
    let r = app.post_json(RESERVER, &body);
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    let id = b["id"].as_str().unwrap();
    let manage = b["token"].as_str().unwrap();
    app.run_cron();
    let mails = mails_of(&app, id);
    assert_eq!(mails.len(), 1, "only the request to confirm");
    let m = &mails[0];
    assert_eq!(m.to(), "lea.martin@exemple.fr");
    assert_eq!(
        m.headers["idempotency-key"],
        format!("demande_confirmation:{id}")
    );
    let tout = format!(
        "{} {} {}",
        m.subject(),
        m.body["html"].as_str().unwrap(),
        m.body["text"].as_str().unwrap()
    );
    for typed in [
        "Gagnez", "arnaque", "Cliquez", "08 99", "Appelez", "visio", "En visio",
    ] {
        assert!(!tout.contains(typed), "{typed:?} in {tout}");
    }
    assert!(!tout.contains(manage), "not the manage link either");
    // What it does say: who, what, when, and the link.
    let text = m.body["text"].as_str().unwrap();
    assert!(text.contains("Claire Fontaine"), "{text}");
    assert!(text.contains("Séance individuelle"), "{text}");
    assert!(
        text.contains("décembre 2026") || text.contains("novembre 2026"),
        "{text}"
    );
    assert!(text.contains(&format!("{COACH}/reservations/{id}/confirmer?token=")));
    assert!(m.ics().is_none(), "no calendar event before confirmation");
    // The secret travels in the row until sent, then is scrubbed; the booking keeps only
    // its SHA-256.
    let row = outbox_rows(&app)
        .into_iter()
        .find(|r| r.kind == "demande_confirmation")
        .unwrap();
    assert!(row.donnees.get("lien").is_none());
    let secret = app.confirmation_link_from_email(id);
    let secret = secret.rsplit('=').next().unwrap();
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE id = '{id}' \
             AND confirmation_token_hash IS NOT NULL AND instr(confirmation_token_hash, '{secret}') = 0"
        )),
        1
    );
}

#[test]
fn the_requester_cannot_confirm_with_the_manage_token_or_a_forged_one() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let id = b["id"].as_str().unwrap();
    let manage = b["token"].as_str().unwrap();
    for faux in [manage, "", "0123456789abcdef0123456789abcdef", "x'; --"] {
        let r = confirmer_api(&app, id, faux);
        assert_eq!(r.status, 404, "{faux}: {}", r.text());
        assert_eq!(json(&r)["code"], "lien_confirmation_invalide");
        let mut nav = Navigateur::new(&app, "coach");
        let page = nav.get(&format!(
            "/reservations/{id}/confirmer?token={}",
            booking_tests::percent_encode(faux)
        ));
        assert_eq!(page.status, 404);
        assert!(texte(&page).contains("Lien de confirmation invalide"));
    }
    // Another booking's secret does not confirm this one.
    let autre = {
        let mut body = coach_body(
            &app.creneaux(
                "coach.localhost",
                "claire-fontaine",
                1012,
                "2026-11-26",
                "2026-12-02",
            )[0]
            .0,
        );
        body["email"] = j!("autre@exemple.fr");
        json(&app.post_json(RESERVER, &body))
    };
    let (_, secret_autre) = lien(&app, autre["id"].as_str().unwrap());
    assert_eq!(confirmer_api(&app, id, &secret_autre).status, 404);
    assert_eq!(confirmer_api(&app, "pas-un-id", &secret_autre).status, 404);
    assert_eq!(statut(&app, id), "en_attente_confirmation");
}

#[test]
fn a_signed_in_client_with_a_verified_email_is_confirmed_at_once_and_no_one_else_is() {
    let app = TestApp::spawn().with_demo_data();
    let reserver_connecte = |user_id: i64, email: &str| {
        let mut body = coach_body(&first_slot(&app));
        body["email"] = j!(email);
        let mut r = Request::new(Method::Post, RESERVER);
        r.headers
            .push(("content-type".into(), "application/json".into()));
        r.headers.push((
            "authorization".into(),
            format!("Bearer {}", jeton(&app, user_id)),
        ));
        r.body = body.to_string().into_bytes();
        let r = app.send(r);
        assert_eq!(r.status, 201, "{}", r.text());
        json(&r)
    };
    let verifie = client(&app, "verifie@exemple.fr");
    app.db.execute_script(&format!(
        "UPDATE users SET email_verifie_at = 1 WHERE id = {verifie}"
    ));
    let b = reserver_connecte(verifie, "Verifie@Exemple.fr");
    assert_eq!(b["statut"], "confirmee");
    assert!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM outbox WHERE cle = 'confirmation:{}'",
            b["id"].as_str().unwrap()
        )) == 1
    );
    // Signed in, but for another address: that address must confirm.
    let b = reserver_connecte(verifie, "quelquun.dautre@exemple.fr");
    assert_eq!(b["statut"], "en_attente_confirmation");
    // Signed in with an address never verified: like a guest.
    let non_verifie = client(&app, "nonverifie@exemple.fr");
    let b = reserver_connecte(non_verifie, "nonverifie@exemple.fr");
    assert_eq!(b["statut"], "en_attente_confirmation");
}

#[test]
fn a_paid_booking_emails_nothing_typed_by_the_requester_before_payment() {
    let app = TestApp::spawn().with_demo_data();
    let slug = json(&app.get("http://garage.localhost/api/v1/professionnels"))["professionnels"][0]
        ["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let service = json(&app.get(&format!(
        "http://garage.localhost/api/v1/professionnels/{slug}"
    )))["services"][0]["id"]
        .as_i64()
        .unwrap();
    let debut = app.creneaux(
        "garage.localhost",
        &slug,
        service,
        "2026-11-26",
        "2026-12-02",
    )[0]
    .0
    .clone();
    let body = j!({
        "professionnel": slug, "service": service, "debut": debut,
        "nom": "Gagnez 500 euros sur arnaque-exemple.fr", "email": "cible@exemple.fr",
        "telephone": "08 99 00 00 00", "message": "Cliquez ici",
        "reponses": { "immatriculation": "AB-123-CD", "marque": "Arnaque", "modele": "Promo", "kilometrage": "1" }
    });
    let r = app.post_json("http://garage.localhost/api/v1/reservations", &body);
    assert_eq!(r.status, 201, "{}", r.text());
    let id = json(&r)["id"].as_str().unwrap().to_owned();
    app.run_cron();
    let mails = mails_of(&app, &id);
    assert!(!mails.is_empty(), "the client is told to pay");
    for m in &mails {
        assert_eq!(m.to(), "cible@exemple.fr");
        let tout = format!(
            "{} {} {}",
            m.subject(),
            m.body["html"].as_str().unwrap(),
            m.body["text"].as_str().unwrap()
        );
        // (Words that random hex — ids, secrets — cannot contain.)
        for typed in ["Gagnez", "arnaque", "Cliquez", "08 99", "Arnaque", "Promo"] {
            assert!(!tout.contains(typed), "{typed:?} in {tout}");
        }
    }
}

#[test]
fn cancelling_an_unconfirmed_hold_emails_no_one() {
    let app = TestApp::spawn().with_demo_data();
    let debut = first_slot(&app);
    let b = json(&app.post_json(RESERVER, &coach_body(&debut)));
    let id = b["id"].as_str().unwrap();
    app.run_cron();
    let avant = sent(&app).len();
    // The requester holds the manage link: they may withdraw the request.
    let r = app.post_json(
        &format!("{COACH}/api/v1/reservations/{id}/annuler"),
        &j!({ "token": b["token"] }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["statut"], "annulee");
    assert!(offered(&app, &debut));
    app.run_cron();
    assert_eq!(
        sent(&app).len(),
        avant,
        "neither the address nor the professional"
    );
    // The e-mail's link then says the request was withdrawn.
    let (_, secret) = lien(&app, id);
    let r = confirmer_api(&app, id, &secret);
    assert_eq!(r.status, 409);
    assert_eq!(json(&r)["code"], "deja_annulee");
}

#[test]
fn two_confirmations_at_once_confirm_once() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let id = b["id"].as_str().unwrap();
    let (_, secret) = lien(&app, id);
    let requetes = (0..5)
        .map(|_| {
            let mut r = Request::new(
                Method::Post,
                &format!("{COACH}/api/v1/reservations/{id}/confirmer"),
            );
            r.headers
                .push(("content-type".into(), "application/json".into()));
            r.body = j!({ "token": secret }).to_string().into_bytes();
            r
        })
        .collect();
    let reponses = app.send_all_at_once(requetes);
    for r in &reponses {
        assert!(
            r.status == 200 || r.status == 409,
            "{} {}",
            r.status,
            r.text()
        );
    }
    assert_eq!(reponses.iter().filter(|r| r.status == 200).count(), 1);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM outbox WHERE cle = 'confirmation:{id}'"
        )),
        1
    );
    assert_eq!(app.db.scalar("SELECT count(*) FROM gardes"), 0);
}

#[test]
fn the_manage_page_and_the_pro_agenda_show_an_unconfirmed_booking_in_french() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let lien_gestion = b["lien_gestion"]
        .as_str()
        .unwrap()
        .trim_start_matches(COACH);
    let mut nav = Navigateur::new(&app, "coach");
    let echange = nav.get(lien_gestion);
    assert_eq!(echange.status, 303, "{}", echange.text());
    let page = texte(&nav.get(echange.header("location").unwrap()));
    assert!(page.contains("En attente de votre confirmation"), "{page}");
    assert!(page.contains("e-mail"), "{page}");
    assert!(!page.contains("Déplacer le rendez-vous"), "{page}");
    // Right after booking: the page says to check the mailbox (the manage cookie opens it).
    let confirmation = format!("/reservations/{}/confirmation", b["id"].as_str().unwrap());
    let page = texte(&nav.get(&confirmation));
    assert!(page.contains("Confirmez votre rendez-vous"), "{page}");
    assert!(!page.contains("votre rendez-vous est confirmé"), "{page}");
    // The professional sees it, in French, and may refuse it.
    let (_, user_id) = crate::comptes::pro(&app, "claire-fontaine");
    let mut pro = crate::comptes::Navigateur::avec_session(&app, user_id);
    let jour = &b["debut"].as_str().unwrap()[..10];
    let agenda = pro.get(&format!("{COACH}/pro/agenda?jour={jour}&vue=jour"));
    assert_eq!(agenda.status, 200);
    let agenda = texte(&agenda);
    assert!(
        agenda.contains("En attente de confirmation du client"),
        "{agenda}"
    );
    assert!(agenda.contains("Refuser le rendez-vous"), "{agenda}");
}

#[test]
fn strangers_typing_a_verified_clients_address_cannot_stop_them_from_booking() {
    let app = TestApp::spawn().with_demo_data();
    let verifie = client(&app, "cible@exemple.fr");
    app.db.execute_script(&format!(
        "UPDATE users SET email_verifie_at = 1 WHERE id = {verifie}"
    ));
    let creneaux = app.creneaux(
        "coach.localhost",
        "claire-fontaine",
        1012,
        "2026-11-26",
        "2026-12-20",
    );
    // Strangers from many sources spend the address's allowance.
    let mut refusee = false;
    for (n, (debut, _)) in creneaux.iter().take(20).enumerate() {
        let mut body = coach_body(debut);
        body["email"] = j!("cible@exemple.fr");
        let mut r = Request::new(Method::Post, RESERVER);
        r.headers
            .push(("content-type".into(), "application/json".into()));
        r.headers
            .push(("cf-connecting-ip".into(), format!("203.0.113.{n}")));
        r.body = body.to_string().into_bytes();
        refusee |= app.send(r).status == 429;
    }
    assert!(refusee, "the address's own limit holds for strangers");
    // The owner, signed in, still books.
    let debut = creneaux.last().unwrap().0.clone();
    let mut body = coach_body(&debut);
    body["email"] = j!("cible@exemple.fr");
    let mut r = Request::new(Method::Post, RESERVER);
    r.headers
        .push(("content-type".into(), "application/json".into()));
    r.headers.push((
        "authorization".into(),
        format!("Bearer {}", jeton(&app, verifie)),
    ));
    r.headers
        .push(("cf-connecting-ip".into(), "198.51.100.7".into()));
    r.body = body.to_string().into_bytes();
    let r = app.send(r);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(json(&r)["statut"], "confirmee");
}

#[test]
fn a_confirmation_link_padded_with_spaces_or_line_breaks_sets_no_broken_cookie() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let id = b["id"].as_str().unwrap();
    let (_, secret) = lien(&app, id);
    let mut nav = Navigateur::new(&app, "coach");
    for habillage in ["%0A", "%20", "%E3%80%80"] {
        let r = nav.get(&format!(
            "/reservations/{id}/confirmer?token={habillage}{secret}"
        ));
        assert!(r.status < 500, "{}", r.text());
        for (nom, valeur) in &r.headers {
            assert!(
                !valeur.chars().any(char::is_control) && !valeur.contains('\u{3000}'),
                "{nom}: {valeur:?}"
            );
        }
    }
    assert_eq!(statut(&app, id), "en_attente_confirmation");
}
