//! Payments in-process: Checkout Session creation through the `Http` port, Stripe
//! unreachable, the signed webhook (exactly once), late payments and refunds.

use booking_functions::http::{form_pairs, Method, Request, Response};
use booking_shared::ports::Clock;
use booking_shared::render::format::euros;
use booking_shared::store::{Db, Statement};
use booking_shared::stripe::signer;
use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

const HOST: &str = "garage.localhost:8787";
const SECRET: &str = "whsec_kit";

pub(crate) struct Reservee {
    pub(crate) id: String,
    pub(crate) token: String,
    pub(crate) debut: String,
}

pub(crate) fn garage(app: &TestApp) -> (String, i64) {
    let body = json(&app.get(&format!("http://{HOST}/api/v1/professionnels")));
    let slug = body["professionnels"][0]["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let profile = json(&app.get(&format!("http://{HOST}/api/v1/professionnels/{slug}")));
    (slug, profile["services"][0]["id"].as_i64().unwrap())
}

/// A free slot of the first garage, `jour` days ahead or later.
pub(crate) fn creneau(app: &TestApp, du: &str, au: &str) -> String {
    let (slug, service) = garage(app);
    app.creneaux("garage.localhost", &slug, service, du, au)[0]
        .0
        .clone()
}

fn demande(app: &TestApp, debut: &str) -> Value {
    let (slug, service) = garage(app);
    j!({
        "professionnel": slug, "service": service, "debut": debut,
        "nom": "Marc Petit", "email": "marc@exemple.fr", "telephone": "0601020304",
        "reponses": { "immatriculation": "AB-123-CD", "marque": "Peugeot", "modele": "208", "kilometrage": "45000" }
    })
}

fn reserver(app: &TestApp, debut: &str) -> Response {
    app.post_json(
        &format!("http://{HOST}/api/v1/reservations"),
        &demande(app, debut),
    )
}

fn reserver_ok(app: &TestApp, debut: &str) -> Reservee {
    let r = reserver(app, debut);
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    Reservee {
        id: b["id"].as_str().unwrap().to_owned(),
        token: b["token"].as_str().unwrap().to_owned(),
        debut: debut.to_owned(),
    }
}

/// A single text from SQL, for assertions.
fn texte(app: &TestApp, sql: &str) -> String {
    let rows = futures::executor::block_on(app.db.query(Statement::new(sql))).unwrap();
    rows.first()
        .and_then(|row| row.values().next())
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn statut(app: &TestApp, id: &str) -> String {
    texte(
        app,
        &format!("SELECT statut FROM reservations WHERE id = '{id}'"),
    )
}

pub(crate) fn statut_paiement(app: &TestApp, id: &str) -> String {
    texte(
        app,
        &format!(
            "SELECT statut FROM paiements WHERE reservation_id = '{id}' ORDER BY id DESC LIMIT 1"
        ),
    )
}

pub(crate) fn session_de(app: &TestApp, id: &str) -> String {
    texte(
        app,
        &format!("SELECT stripe_checkout_session_id FROM paiements WHERE reservation_id = '{id}'"),
    )
}

fn occupations(app: &TestApp, id: &str) -> i64 {
    app.db.scalar(&format!(
        "SELECT count(*) FROM occupations WHERE seance = '{id}'"
    ))
}

pub(crate) fn evenement(id: &str, nom: &str, objet: Value) -> String {
    j!({ "id": id, "object": "event", "type": nom, "created": 1, "data": { "object": objet } })
        .to_string()
}

/// What the platform asked Stripe to collect for the booking (cents).
fn montant(app: &TestApp, id: &str) -> i64 {
    app.db.scalar(&format!(
        "SELECT montant FROM paiements WHERE reservation_id = '{id}' ORDER BY id DESC LIMIT 1"
    ))
}

pub(crate) fn session_payee(app: &TestApp, r: &Reservee, pi: &str) -> Value {
    j!({ "id": session_de(app, &r.id), "object": "checkout.session", "payment_status": "paid",
         "status": "complete", "payment_intent": pi, "amount_total": montant(app, &r.id),
         "currency": "eur", "client_reference_id": r.id, "metadata": { "reservation_id": r.id } })
}

fn webhook_signe(app: &TestApp, corps: &str, secret: &str, decalage: i64) -> Response {
    let t = app.clock.now().timestamp() - decalage;
    webhook(app, corps, Some(signer(corps.as_bytes(), secret, t)))
}

fn webhook(app: &TestApp, corps: &str, signature: Option<String>) -> Response {
    let mut req = Request::new(Method::Post, "http://localhost:8787/webhooks/stripe");
    req.headers
        .push(("content-type".into(), "application/json".into()));
    if let Some(s) = signature {
        req.headers.push(("stripe-signature".into(), s));
    }
    req.body = corps.as_bytes().to_vec();
    app.send(req)
}

pub(crate) fn envoyer(app: &TestApp, corps: &str) -> Value {
    let r = webhook_signe(app, corps, SECRET, 0);
    assert_eq!(r.status, 200, "{}", r.text());
    json(&r)
}

fn evenements(app: &TestApp) -> i64 {
    app.db.scalar("SELECT count(*) FROM stripe_events")
}

#[test]
fn a_paid_booking_opens_a_checkout_session_with_the_booking_amount_and_return_urls() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver(&app, &debut);
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    assert_eq!(b["statut"], "en_attente_paiement");
    assert_eq!(b["paiement_url"], "http://stripe.test/c/pay/cs_test_kit_1");
    let id = b["id"].as_str().unwrap();
    let token = b["token"].as_str().unwrap();

    let sent = app.http.requests_to("/v1/checkout/sessions");
    assert_eq!(sent.len(), 1);
    let req = &sent[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.url, "http://stripe.test/v1/checkout/sessions");
    let header = |n: &str| {
        req.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        header("authorization").as_deref(),
        Some("Bearer sk_test_kit")
    );
    assert_eq!(
        header("content-type").as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(header("idempotency-key"), Some(format!("checkout-{id}")));
    let form = form_pairs(&String::from_utf8_lossy(&req.body));
    let champ = |n: &str| {
        form.iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(champ("mode"), "payment");
    assert_eq!(champ("line_items[0][price_data][currency]"), "eur");
    assert_eq!(
        champ("line_items[0][price_data][unit_amount]"),
        b["a_payer_centimes"].to_string()
    );
    assert_eq!(champ("line_items[0][quantity]"), "1");
    assert_eq!(champ("metadata[reservation_id]"), id);
    assert_eq!(champ("client_reference_id"), id);
    assert_eq!(champ("customer_email"), "marc@exemple.fr");
    let dans_31_min = app.clock.now().timestamp() + 31 * 60;
    assert_eq!(champ("expires_at"), dans_31_min.to_string());
    // No secret in the return addresses (the booking's cookie opens them).
    assert_eq!(
        champ("success_url"),
        format!("http://garage.localhost:8787/reservations/{id}/confirmation")
    );
    assert_eq!(
        champ("cancel_url"),
        format!("http://garage.localhost:8787/reservations/{id}")
    );
    assert!(!String::from_utf8_lossy(&req.body).contains(token));
    assert_eq!(statut_paiement(&app, id), "en_attente");
    assert_eq!(session_de(&app, id), "cs_test_kit_1");
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT montant FROM paiements WHERE reservation_id = '{id}'"
        )),
        b["a_payer_centimes"].as_i64().unwrap()
    );
}

#[test]
fn a_free_vertical_opens_no_checkout_session() {
    let app = TestApp::spawn().with_demo_data();
    let debut = crate::api_reservations::first_slot(&app);
    let r = app.post_json(
        crate::api_reservations::RESERVER,
        &crate::api_reservations::coach_body(&debut),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(json(&r)["paiement_url"], Value::Null);
    assert!(app.http.requests_to("/v1/checkout/sessions").is_empty());
}

#[test]
fn stripe_unreachable_answers_503_and_leaves_no_booking_holding_the_slot() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    app.http.fail();
    let r = reserver(&app, &debut);
    assert_eq!(r.status, 503, "{}", r.text());
    let p = json(&r);
    assert_eq!(p["code"], "paiement_indisponible");
    assert!(p["title"]
        .as_str()
        .unwrap()
        .contains("momentanément indisponible"));
    assert_eq!(
        app.db.scalar("SELECT count(*) FROM occupations"),
        app.db.scalar(
            "SELECT count(*) FROM occupations o JOIN reservations r ON r.id = o.seance \
             WHERE r.statut IN ('confirmee', 'en_attente_paiement')"
        )
    );
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM reservations WHERE statut = 'en_attente_paiement'"),
        0
    );
    // The slot is free at once: booking it again works.
    reserver_ok(&app, &debut);
}

#[test]
fn a_stripe_refusal_answers_502_and_frees_the_slot() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    app.http.answer(
        400,
        r#"{"error":{"type":"invalid_request_error","code":"parameter_invalid","message":"Invalid"}}"#,
    );
    let r = reserver(&app, &debut);
    assert_eq!(r.status, 502, "{}", r.text());
    assert_eq!(json(&r)["code"], "paiement_impossible");
    reserver_ok(&app, &debut);
}

#[test]
fn a_signed_payment_confirms_the_booking_once_however_often_it_is_delivered() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver_ok(&app, &debut);
    let corps = evenement(
        "evt_paye",
        "checkout.session.completed",
        session_payee(&app, &r, "pi_1"),
    );
    for _ in 0..5 {
        envoyer(&app, &corps);
    }
    assert_eq!(statut(&app, &r.id), "confirmee");
    assert_eq!(statut_paiement(&app, &r.id), "paye");
    assert_eq!(
        texte(
            &app,
            &format!(
                "SELECT stripe_payment_intent_id FROM paiements WHERE reservation_id = '{}'",
                r.id
            )
        ),
        "pi_1"
    );
    assert_eq!(evenements(&app), 1);
    assert!(occupations(&app, &r.id) > 0);
    // The manage link shows it confirmed.
    let lu = json(&app.get_gestion(
        &format!("http://{HOST}/api/v1/reservations/{}", r.id),
        &r.token,
    ));
    assert_eq!(lu["statut"], "confirmee");
}

#[test]
fn a_bad_signature_is_refused_with_400_and_changes_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver_ok(&app, &debut);
    let corps = evenement(
        "evt_1",
        "checkout.session.completed",
        session_payee(&app, &r, "pi_1"),
    );
    let refus = [
        webhook_signe(&app, &corps, "whsec_autre", 0),
        webhook_signe(&app, &corps, SECRET, 301),
        webhook(&app, &corps, None),
        webhook(
            &app,
            &corps.replace("pi_1", "pi_2"),
            Some(signer(
                corps.as_bytes(),
                SECRET,
                app.clock.now().timestamp(),
            )),
        ),
    ];
    for reponse in refus {
        assert_eq!(reponse.status, 400, "{}", reponse.text());
        assert_eq!(json(&reponse)["code"], "signature_invalide");
    }
    assert_eq!(statut(&app, &r.id), "en_attente_paiement");
    assert_eq!(statut_paiement(&app, &r.id), "en_attente");
    assert_eq!(evenements(&app), 0);
}

#[test]
fn an_unknown_event_type_is_acknowledged_and_ignored() {
    let app = TestApp::spawn();
    let corps = evenement("evt_x", "customer.created", j!({ "id": "cus_1" }));
    assert_eq!(envoyer(&app, &corps)["issue"], "ignore");
    assert_eq!(evenements(&app), 0);
}

#[test]
fn an_expired_session_expires_the_booking_and_frees_its_slot() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver_ok(&app, &debut);
    let corps = evenement(
        "evt_exp",
        "checkout.session.expired",
        j!({ "id": session_de(&app, &r.id), "payment_status": "unpaid", "payment_intent": null,
             "client_reference_id": r.id, "metadata": { "reservation_id": r.id } }),
    );
    envoyer(&app, &corps);
    envoyer(&app, &corps);
    assert_eq!(statut(&app, &r.id), "expiree");
    assert_eq!(statut_paiement(&app, &r.id), "expire");
    assert_eq!(occupations(&app, &r.id), 0);
    assert_eq!(evenements(&app), 1);
    reserver_ok(&app, &debut);
}

#[test]
fn a_failed_async_payment_expires_the_booking() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver_ok(&app, &debut);
    let corps = evenement(
        "evt_ko",
        "checkout.session.async_payment_failed",
        j!({ "id": session_de(&app, &r.id), "payment_status": "unpaid", "payment_intent": "pi_ko",
             "metadata": { "reservation_id": r.id } }),
    );
    envoyer(&app, &corps);
    assert_eq!(statut(&app, &r.id), "expiree");
    assert_eq!(statut_paiement(&app, &r.id), "echoue");
    assert_eq!(occupations(&app, &r.id), 0);
}

#[test]
fn a_late_payment_for_a_slot_taken_meanwhile_is_refunded() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let perdu = reserver_ok(&app, &debut);
    let session = session_payee(&app, &perdu, "pi_tard");
    app.clock.advance(chrono::Duration::minutes(32));
    let gagnant = reserver_ok(&app, &debut);
    assert_eq!(statut(&app, &perdu.id), "expiree");

    app.http.answer(
        200,
        r#"{"id":"re_1","object":"refund","status":"succeeded"}"#,
    );
    let corps = evenement("evt_tard", "checkout.session.completed", session);
    assert_eq!(envoyer(&app, &corps)["issue"], "remboursee");
    envoyer(&app, &corps);

    let refunds = app.http.requests_to("/v1/refunds");
    assert_eq!(
        refunds.len(),
        1,
        "one refund, however often the event comes"
    );
    let form = form_pairs(&String::from_utf8_lossy(&refunds[0].body));
    assert!(form.contains(&("payment_intent".into(), "pi_tard".into())));
    assert!(refunds[0].headers.contains(&(
        "idempotency-key".into(),
        format!("remboursement-{}", perdu.id)
    )));
    assert_eq!(statut_paiement(&app, &perdu.id), "rembourse");
    assert_eq!(statut(&app, &perdu.id), "expiree");
    assert_eq!(statut(&app, &gagnant.id), "en_attente_paiement");
}

#[test]
fn a_late_payment_for_an_expired_booking_whose_slot_is_still_free_revives_it() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver_ok(&app, &debut);
    let session = session_payee(&app, &r, "pi_2");
    let expiree = evenement(
        "evt_exp",
        "checkout.session.expired",
        j!({ "id": session_de(&app, &r.id), "payment_status": "unpaid", "metadata": { "reservation_id": r.id } }),
    );
    envoyer(&app, &expiree);
    assert_eq!(occupations(&app, &r.id), 0);
    let corps = evenement("evt_paye", "checkout.session.completed", session);
    assert_eq!(envoyer(&app, &corps)["issue"], "reprise");
    assert_eq!(statut(&app, &r.id), "confirmee");
    assert_eq!(statut_paiement(&app, &r.id), "paye");
    assert!(occupations(&app, &r.id) > 0);
    assert!(app.http.requests_to("/v1/refunds").is_empty());
    assert_eq!(reserver(&app, &r.debut).status, 409);
}

#[test]
fn a_refunded_charge_marks_the_payment_refunded() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver_ok(&app, &debut);
    envoyer(
        &app,
        &evenement(
            "evt_p",
            "checkout.session.completed",
            session_payee(&app, &r, "pi_3"),
        ),
    );
    let m = montant(&app, &r.id);
    let charge = j!({ "id": "ch_3", "object": "charge", "payment_intent": "pi_3", "amount": m,
                      "amount_refunded": m, "currency": "eur", "refunded": true,
                      "metadata": { "reservation_id": r.id } });
    envoyer(&app, &evenement("evt_r", "charge.refunded", charge));
    assert_eq!(statut_paiement(&app, &r.id), "rembourse");
    assert_eq!(rembourse(&app, &r.id), m);
    assert_eq!(evenements(&app), 2);
}

pub(crate) fn payer(app: &TestApp, r: &Reservee, pi: &str) {
    let corps = evenement(
        &format!("evt_{pi}"),
        "checkout.session.completed",
        session_payee(app, r, pi),
    );
    envoyer(app, &corps);
    assert_eq!(statut(app, &r.id), "confirmee");
}

fn annuler(app: &TestApp, r: &Reservee) -> Value {
    let reponse = app.post_json(
        &format!("http://{HOST}/api/v1/reservations/{}/annuler", r.id),
        &j!({ "token": r.token }),
    );
    assert_eq!(reponse.status, 200, "{}", reponse.text());
    json(&reponse)
}

#[test]
fn a_cancellation_inside_the_free_window_is_refunded_through_stripe() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-12-03", "2026-12-08");
    let r = reserver_ok(&app, &debut);
    payer(&app, &r, "pi_4");
    app.http.answer(
        200,
        r#"{"id":"re_4","object":"refund","status":"succeeded"}"#,
    );
    let b = annuler(&app, &r);
    assert_eq!(b["remboursable"], true);
    assert_eq!(b["remboursement"]["statut"], "rembourse");
    assert_eq!(
        b["remboursement"]["montant_centimes"],
        b["a_payer_centimes"]
    );
    let refunds = app.http.requests_to("/v1/refunds");
    assert_eq!(refunds.len(), 1);
    assert!(refunds[0]
        .headers
        .contains(&("idempotency-key".into(), format!("remboursement-{}", r.id))));
    assert_eq!(statut_paiement(&app, &r.id), "rembourse");
    assert_eq!(
        texte(
            &app,
            &format!(
                "SELECT stripe_refund_id FROM paiements WHERE reservation_id = '{}'",
                r.id
            )
        ),
        "re_4"
    );
}

#[test]
fn a_cancellation_outside_the_free_window_keeps_the_payment_and_says_so() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-25", "2026-11-26");
    let r = reserver_ok(&app, &debut);
    payer(&app, &r, "pi_5");
    let b = annuler(&app, &r);
    assert_eq!(b["remboursable"], false);
    assert_eq!(b["remboursement"]["statut"], "non_remboursable");
    assert!(b["remboursement"]["message"]
        .as_str()
        .unwrap()
        .contains("ne sont pas remboursés"));
    assert!(app.http.requests_to("/v1/refunds").is_empty());
    assert_eq!(statut_paiement(&app, &r.id), "paye");
}

#[test]
fn cancelling_before_paying_closes_the_session_and_a_payment_landing_later_is_refunded() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver_ok(&app, &debut);
    let session = session_payee(&app, &r, "pi_6");
    let b = annuler(&app, &r);
    assert_eq!(b["remboursement"]["statut"], "aucun_paiement");
    assert_eq!(
        app.http
            .requests_to(&format!(
                "/v1/checkout/sessions/{}/expire",
                session_de(&app, &r.id)
            ))
            .len(),
        1
    );
    app.http.answer(200, r#"{"id":"re_6","object":"refund"}"#);
    let corps = evenement("evt_6", "checkout.session.completed", session);
    assert_eq!(envoyer(&app, &corps)["issue"], "remboursee");
    assert_eq!(statut(&app, &r.id), "annulee");
    assert_eq!(statut_paiement(&app, &r.id), "rembourse");
}

#[test]
fn a_refund_stripe_cannot_make_now_answers_5xx_so_that_stripe_retries() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver_ok(&app, &debut);
    let session = session_payee(&app, &r, "pi_7");
    annuler(&app, &r);
    app.http.fail();
    let corps = evenement("evt_7", "checkout.session.completed", session);
    let reponse = webhook_signe(&app, &corps, SECRET, 0);
    assert_eq!(reponse.status, 500, "{}", reponse.text());
    assert_eq!(evenements(&app), 0);
    app.http.answer(200, r#"{"id":"re_7","object":"refund"}"#);
    assert_eq!(envoyer(&app, &corps)["issue"], "remboursee");
}

const AVOCAT: &str = "avocat.localhost:8787";

/// A manage page as the client's browser opens it from the e-mail's link: the token is
/// exchanged for the booking's cookie, then the clean address (same other parameters) shows.
fn page_gestion(app: &TestApp, vertical: &str, lien: &str) -> Response {
    let mut nav = crate::pages_outils::Navigateur::new(app, vertical);
    let echange = nav.get(lien);
    assert_eq!(echange.status, 303, "{}", echange.text());
    let propre = crate::pages_outils::redirection(&echange);
    nav.get(&propre)
}

/// A deposit booking at the first lawyer (30 %, free cancellation up to 48 h before),
/// paid through the webhook.
fn avocat_paye(app: &TestApp, du: &str, au: &str) -> (Reservee, String, i64) {
    let body = json(&app.get(&format!("http://{AVOCAT}/api/v1/professionnels")));
    let slug = body["professionnels"][0]["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let profil = json(&app.get(&format!("http://{AVOCAT}/api/v1/professionnels/{slug}")));
    let service = profil["services"][0]["id"].as_i64().unwrap();
    let debut = app.creneaux("avocat.localhost", &slug, service, du, au)[0]
        .0
        .clone();
    let r = app.post_json(
        &format!("http://{AVOCAT}/api/v1/reservations"),
        &j!({
            "professionnel": slug, "service": service, "debut": debut,
            "nom": "Paul Durand", "email": "paul.durand@exemple.fr", "telephone": "0601020304",
            "reponses": { "domaine_droit": "famille", "mode": "cabinet", "resume": "Garde d'enfants." }
        }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    assert_eq!(b["statut"], "en_attente_paiement");
    let reservee = Reservee {
        id: b["id"].as_str().unwrap().to_owned(),
        token: b["token"].as_str().unwrap().to_owned(),
        debut,
    };
    let mut session = session_payee(app, &reservee, "pi_avocat");
    session["amount_total"] = b["a_payer_centimes"].clone();
    envoyer(
        app,
        &evenement("evt_avocat", "checkout.session.completed", session),
    );
    assert_eq!(statut(app, &reservee.id), "confirmee");
    (reservee, slug, service)
}

#[test]
fn a_client_cannot_move_a_paid_booking_inside_the_window_then_cancel_for_a_refund() {
    let app = TestApp::spawn().with_demo_data();
    let (r, slug, service) = avocat_paye(&app, "2026-12-01", "2026-12-04");
    let debut = chrono::DateTime::parse_from_rfc3339(&r.debut).unwrap();
    // Two hours before the start: well inside the 48-hour window.
    app.clock
        .set(debut.with_timezone(&chrono::Utc) - chrono::Duration::hours(2));
    let cinq_jours = (debut + chrono::Duration::days(5)).date_naive().to_string();
    let neuf_jours = (debut + chrono::Duration::days(9)).date_naive().to_string();
    let plus_tard = app.creneaux("avocat.localhost", &slug, service, &cinq_jours, &neuf_jours)[0]
        .0
        .clone();

    let deplacement = app.post_json(
        &format!("http://{AVOCAT}/api/v1/reservations/{}/deplacer", r.id),
        &j!({ "token": r.token, "debut": plus_tard }),
    );
    assert_eq!(deplacement.status, 409, "{}", deplacement.text());
    let probleme = json(&deplacement);
    assert_eq!(probleme["code"], "deplacement_hors_delai");
    assert!(probleme["title"]
        .as_str()
        .unwrap()
        .contains("annulé sans frais"));
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT date_heure FROM reservations WHERE id = '{}'",
            r.id
        )),
        debut.timestamp()
    );

    // The cancellation is still measured from the start that was paid for: no refund.
    let annulation = app.post_json(
        &format!("http://{AVOCAT}/api/v1/reservations/{}/annuler", r.id),
        &j!({ "token": r.token }),
    );
    assert_eq!(annulation.status, 200, "{}", annulation.text());
    let b = json(&annulation);
    assert_eq!(b["remboursable"], false);
    assert!(app.http.requests_to("/v1/refunds").is_empty());
    assert_eq!(statut_paiement(&app, &r.id), "paye");
}

#[test]
fn inside_the_window_the_manage_page_offers_no_move_and_states_the_rule() {
    let app = TestApp::spawn().with_demo_data();
    let (r, _, _) = avocat_paye(&app, "2026-12-01", "2026-12-04");
    let gestion = format!("/reservations/{}?token={}", r.id, r.token);
    let avant = page_gestion(&app, "avocat", &gestion).text();
    assert!(avant.contains("Déplacer le rendez-vous"), "{avant}");
    assert!(avant.contains("déplacement possibles jusqu"), "{avant}");

    let debut = chrono::DateTime::parse_from_rfc3339(&r.debut).unwrap();
    app.clock
        .set(debut.with_timezone(&chrono::Utc) - chrono::Duration::hours(2));
    let page = page_gestion(&app, "avocat", &gestion).text();
    assert!(!page.contains("Déplacer le rendez-vous"), "{page}");
    assert!(page.contains("Annuler le rendez-vous"), "{page}");
    let formulaire = page_gestion(
        &app,
        "avocat",
        &format!("/reservations/{}/deplacer?token={}", r.id, r.token),
    )
    .text();
    assert!(
        formulaire.contains("ne peut plus être déplacé"),
        "{formulaire}"
    );
    assert!(
        !formulaire.contains("Déplacer à ce créneau"),
        "{formulaire}"
    );
}

// --- What a payer controls is not trusted: the session must be one the platform created,
// for the amount and currency it expected, and for the booking its payment row names.

fn rembourse(app: &TestApp, id: &str) -> i64 {
    app.db.scalar(&format!(
        "SELECT montant_rembourse FROM paiements WHERE reservation_id = '{id}' ORDER BY id DESC LIMIT 1"
    ))
}

fn anomalies(app: &TestApp) -> i64 {
    app.db.scalar("SELECT count(*) FROM paiements_anomalies")
}

fn confirmations(app: &TestApp, id: &str) -> i64 {
    app.db.scalar(&format!(
        "SELECT count(*) FROM outbox WHERE reservation_id = '{id}' AND kind = 'confirmation'"
    ))
}

/// Sends the event several times (Stripe redelivers): the first answer is an anomaly,
/// the others are recognised; one anomaly row, one processed event, nothing else.
fn anomalie_une_fois(app: &TestApp, corps: &str, raison: &str) {
    let avant = anomalies(app);
    let premiere = envoyer(app, corps);
    assert_eq!(premiere["issue"], "anomalie", "{premiere}");
    assert_eq!(premiere["raison"], raison, "{premiere}");
    for _ in 0..3 {
        assert_eq!(envoyer(app, corps)["issue"], "deja_traite");
    }
    assert_eq!(anomalies(app), avant + 1);
    let id: Value = serde_json::from_str(corps).unwrap();
    assert_eq!(
        texte(
            app,
            &format!(
                "SELECT raison FROM paiements_anomalies WHERE event_id = '{}'",
                id["id"].as_str().unwrap()
            )
        ),
        raison
    );
    assert!(app.http.requests_to("/v1/refunds").is_empty());
}

fn rien_na_change(app: &TestApp, r: &Reservee) {
    assert_eq!(statut(app, &r.id), "en_attente_paiement");
    assert_eq!(statut_paiement(app, &r.id), "en_attente");
    assert_eq!(
        texte(
            app,
            &format!(
                "SELECT coalesce(stripe_payment_intent_id, '') FROM paiements WHERE reservation_id = '{}'",
                r.id
            )
        ),
        ""
    );
    assert_eq!(confirmations(app, &r.id), 0);
    assert!(
        occupations(app, &r.id) > 0,
        "the booking still holds its slot"
    );
}

#[test]
fn a_completed_session_the_platform_never_created_confirms_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver_ok(&app, &debut);
    // A session made elsewhere on the account (a Payment Link, whose client_reference_id
    // the payer fills in), paid in full and naming the booking everywhere it can.
    let etrangere = j!({ "id": "cs_lien_de_paiement", "object": "checkout.session",
        "payment_status": "paid", "status": "complete", "payment_intent": "pi_etranger",
        "amount_total": montant(&app, &r.id), "currency": "eur",
        "client_reference_id": r.id, "metadata": { "reservation_id": r.id } });
    let corps = evenement("evt_etranger", "checkout.session.completed", etrangere);
    anomalie_une_fois(&app, &corps, "session_inconnue");
    rien_na_change(&app, &r);
    assert_eq!(
        texte(
            &app,
            "SELECT session_id || '|' || payment_intent_id || '|' || type FROM paiements_anomalies"
        ),
        "cs_lien_de_paiement|pi_etranger|checkout.session.completed"
    );
    assert_eq!(evenements(&app), 1);
    // Paid the same way by the async route: the same answer.
    let differe = evenement(
        "evt_etranger_2",
        "checkout.session.async_payment_succeeded",
        j!({ "id": "cs_lien_2", "payment_status": "paid", "payment_intent": "pi_etranger_2",
             "amount_total": montant(&app, &r.id), "currency": "eur",
             "client_reference_id": r.id }),
    );
    anomalie_une_fois(&app, &differe, "session_inconnue");
    rien_na_change(&app, &r);
}

#[test]
fn a_session_paid_with_a_smaller_amount_confirms_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver_ok(&app, &debut);
    let mut session = session_payee(&app, &r, "pi_petit");
    let attendu = montant(&app, &r.id);
    session["amount_total"] = j!(100);
    anomalie_une_fois(
        &app,
        &evenement("evt_petit", "checkout.session.completed", session),
        "montant_different",
    );
    rien_na_change(&app, &r);
    assert_eq!(
        app.db
            .scalar("SELECT montant_recu * 1000000 + montant_attendu FROM paiements_anomalies"),
        100 * 1_000_000 + attendu
    );
    // Without any amount at all: the same.
    let mut sans = session_payee(&app, &r, "pi_petit");
    sans.as_object_mut().unwrap().remove("amount_total");
    anomalie_une_fois(
        &app,
        &evenement("evt_sans_montant", "checkout.session.completed", sans),
        "montant_different",
    );
    rien_na_change(&app, &r);
}

#[test]
fn a_session_paid_in_another_currency_confirms_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver_ok(&app, &debut);
    let mut session = session_payee(&app, &r, "pi_huf");
    session["currency"] = j!("huf");
    anomalie_une_fois(
        &app,
        &evenement("evt_huf", "checkout.session.completed", session),
        "devise_differente",
    );
    rien_na_change(&app, &r);
    assert_eq!(
        texte(
            &app,
            "SELECT currency_recue || '/' || currency_attendue FROM paiements_anomalies"
        ),
        "huf/eur"
    );
}

#[test]
fn metadata_pointing_at_another_booking_changes_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let libres = {
        let (slug, service) = garage(&app);
        app.creneaux(
            "garage.localhost",
            &slug,
            service,
            "2026-11-30",
            "2026-12-05",
        )
    };
    let a = reserver_ok(&app, &libres[0].0);
    let b = reserver_ok(&app, &libres[libres.len() - 1].0);
    // A's real session, but its booking fields name B.
    let mut session = session_payee(&app, &a, "pi_croise");
    session["metadata"] = j!({ "reservation_id": b.id });
    anomalie_une_fois(
        &app,
        &evenement("evt_croise", "checkout.session.completed", session.clone()),
        "reservation_differente",
    );
    session["metadata"] = j!({ "reservation_id": a.id });
    session["client_reference_id"] = j!(b.id);
    anomalie_une_fois(
        &app,
        &evenement("evt_croise_2", "checkout.session.completed", session),
        "reservation_differente",
    );
    // Nor can A's session, said expired, expire B.
    let expiree = j!({ "id": session_de(&app, &a.id), "payment_status": "unpaid",
        "client_reference_id": b.id, "metadata": { "reservation_id": b.id } });
    anomalie_une_fois(
        &app,
        &evenement("evt_croise_3", "checkout.session.expired", expiree),
        "reservation_differente",
    );
    rien_na_change(&app, &a);
    rien_na_change(&app, &b);
}

#[test]
fn a_session_the_platform_never_created_cannot_expire_a_booking() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver_ok(&app, &debut);
    for (id, nom) in [
        ("evt_x1", "checkout.session.expired"),
        ("evt_x2", "checkout.session.async_payment_failed"),
    ] {
        let corps = evenement(
            id,
            nom,
            j!({ "id": format!("cs_autre_{id}"), "payment_status": "unpaid",
                 "client_reference_id": r.id, "metadata": { "reservation_id": r.id } }),
        );
        anomalie_une_fois(&app, &corps, "session_inconnue");
    }
    rien_na_change(&app, &r);
    assert_eq!(reserver(&app, &debut).status, 409, "the slot is still held");
}

#[test]
fn a_refund_of_a_charge_the_platform_never_recorded_changes_no_payment() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-30", "2026-12-05");
    let r = reserver_ok(&app, &debut);
    payer(&app, &r, "pi_vrai");
    let m = montant(&app, &r.id);
    // Another charge, refunded, whose metadata names the booking.
    let charge = j!({ "id": "ch_autre", "object": "charge", "payment_intent": "pi_autre",
        "amount": m, "amount_refunded": m, "currency": "eur", "refunded": true,
        "metadata": { "reservation_id": r.id } });
    anomalie_une_fois(
        &app,
        &evenement("evt_ch_autre", "charge.refunded", charge),
        "paiement_inconnu",
    );
    // The platform's own payment intent, but a charge of another amount or currency.
    let autre_montant = j!({ "id": "ch_vrai", "object": "charge", "payment_intent": "pi_vrai",
        "amount": m * 10, "amount_refunded": m * 10, "currency": "eur", "refunded": true });
    anomalie_une_fois(
        &app,
        &evenement("evt_ch_montant", "charge.refunded", autre_montant),
        "montant_different",
    );
    let autre_devise = j!({ "id": "ch_vrai", "object": "charge", "payment_intent": "pi_vrai",
        "amount": m, "amount_refunded": m, "currency": "usd", "refunded": true });
    anomalie_une_fois(
        &app,
        &evenement("evt_ch_devise", "charge.refunded", autre_devise),
        "devise_differente",
    );
    assert_eq!(statut_paiement(&app, &r.id), "paye");
    assert_eq!(rembourse(&app, &r.id), 0);
    assert_eq!(statut(&app, &r.id), "confirmee");
}

/// Sends Stripe's `charge.refunded` for a payment intent (`deja`: refunded so far) and
/// returns the event, for a later redelivery.
fn charge_remboursee(app: &TestApp, evt: &str, pi: &str, m: i64, deja: i64, total: bool) -> String {
    let corps = evenement(
        evt,
        "charge.refunded",
        j!({ "id": format!("ch_{pi}"), "object": "charge", "payment_intent": pi, "amount": m,
             "amount_refunded": deja, "currency": "eur", "refunded": total }),
    );
    let b = envoyer(app, &corps);
    assert_ne!(b["issue"], "anomalie", "{b}");
    corps
}

#[test]
fn a_partial_refund_is_recorded_and_a_later_cancellation_refunds_only_the_rest() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-12-03", "2026-12-08");
    let r = reserver_ok(&app, &debut);
    payer(&app, &r, "pi_partiel");
    let m = montant(&app, &r.id);

    // The professional refunds 10 € from Stripe's dashboard: recorded, still paid.
    let premier = charge_remboursee(&app, "evt_r1", "pi_partiel", m, 1000, false);
    assert_eq!(statut_paiement(&app, &r.id), "paye");
    assert_eq!(rembourse(&app, &r.id), 1000);
    // Redelivered, or an older event arriving late, lowers nothing.
    envoyer(&app, &premier);
    charge_remboursee(&app, "evt_r0", "pi_partiel", m, 400, false);
    assert_eq!(rembourse(&app, &r.id), 1000);
    assert_eq!(statut_paiement(&app, &r.id), "paye");

    // The client cancels inside the free window: only what is left is refunded.
    let reste = m - 1000;
    app.http.answer(
        200,
        &format!(r#"{{"id":"re_reste","object":"refund","amount":{reste},"status":"succeeded"}}"#),
    );
    let b = annuler(&app, &r);
    assert_eq!(b["remboursement"]["statut"], "rembourse");
    assert_eq!(b["remboursement"]["montant_centimes"], reste);
    let refunds = app.http.requests_to("/v1/refunds");
    assert_eq!(refunds.len(), 1);
    let form = form_pairs(&String::from_utf8_lossy(&refunds[0].body));
    assert!(
        form.contains(&("amount".into(), reste.to_string())),
        "{form:?}"
    );
    assert!(form.contains(&("payment_intent".into(), "pi_partiel".into())));
    assert_eq!(statut_paiement(&app, &r.id), "rembourse");
    assert_eq!(rembourse(&app, &r.id), m);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT json_extract(donnees, '$.montant') FROM outbox \
             WHERE reservation_id = '{}' AND kind = 'remboursement'",
            r.id
        )),
        reste
    );
    // The manage page, back from the cancellation, tells what was refunded in all.
    let page = page_gestion(
        &app,
        "garage",
        &format!(
            "/reservations/{}?token={}&fait=annulee&remboursement=rembourse",
            r.id, r.token
        ),
    );
    assert_eq!(page.status, 200);
    let en_tout = format!("{} vous sont remboursés", euros(m));
    assert!(page.text().contains(&en_tout), "{en_tout}");
    // Stripe's event for that refund changes nothing more.
    charge_remboursee(&app, "evt_r2", "pi_partiel", m, m, true);
    assert_eq!(statut_paiement(&app, &r.id), "rembourse");
    assert_eq!(rembourse(&app, &r.id), m);
    assert_eq!(app.http.requests_to("/v1/refunds").len(), 1);
}

#[test]
fn a_professional_cancelling_after_a_partial_refund_refunds_only_the_rest() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-12-03", "2026-12-08");
    let r = reserver_ok(&app, &debut);
    payer(&app, &r, "pi_pro");
    let m = montant(&app, &r.id);
    charge_remboursee(&app, "evt_p1", "pi_pro", m, 2000, false);
    let (slug, _) = garage(&app);
    let (_, user_id) = crate::comptes::pro(&app, &slug);
    let token = crate::comptes::jeton(&app, user_id);
    let reste = m - 2000;
    app.http.answer(
        200,
        &format!(r#"{{"id":"re_pro","object":"refund","amount":{reste},"status":"succeeded"}}"#),
    );
    let reponse = crate::comptes::avec_bearer(
        &app,
        Method::Post,
        &format!("http://{HOST}/api/v1/pro/reservations/{}/annuler", r.id),
        &token,
        Some(&j!({ "motif": "Pont élévateur en panne" })),
    );
    assert_eq!(reponse.status, 200, "{}", reponse.text());
    let b = json(&reponse);
    assert_eq!(b["remboursement"]["statut"], "rembourse", "{b}");
    assert_eq!(b["remboursement"]["montant_centimes"], reste);
    let refunds = app.http.requests_to("/v1/refunds");
    assert_eq!(refunds.len(), 1);
    let form = form_pairs(&String::from_utf8_lossy(&refunds[0].body));
    assert!(
        form.contains(&("amount".into(), reste.to_string())),
        "{form:?}"
    );
    assert_eq!(statut_paiement(&app, &r.id), "rembourse");
    assert_eq!(rembourse(&app, &r.id), m);
}

#[test]
fn a_cancellation_after_a_full_refund_asks_stripe_for_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-12-03", "2026-12-08");
    let r = reserver_ok(&app, &debut);
    payer(&app, &r, "pi_tout");
    let m = montant(&app, &r.id);
    // Refunded in two steps from the dashboard: the second one completes it.
    charge_remboursee(&app, "evt_t1", "pi_tout", m, 1000, false);
    charge_remboursee(&app, "evt_t2", "pi_tout", m, m, true);
    assert_eq!(statut_paiement(&app, &r.id), "rembourse");
    assert_eq!(rembourse(&app, &r.id), m);
    let b = annuler(&app, &r);
    assert_eq!(b["remboursement"]["statut"], "rembourse");
    assert!(app.http.requests_to("/v1/refunds").is_empty());
}

#[test]
fn a_late_cancellation_after_a_partial_refund_keeps_only_what_is_left() {
    let app = TestApp::spawn().with_demo_data();
    let debut = creneau(&app, "2026-11-25", "2026-11-26");
    let r = reserver_ok(&app, &debut);
    payer(&app, &r, "pi_tard_partiel");
    let m = montant(&app, &r.id);
    charge_remboursee(&app, "evt_tp", "pi_tard_partiel", m, 1500, false);
    let b = annuler(&app, &r);
    assert_eq!(b["remboursable"], false);
    assert_eq!(b["remboursement"]["statut"], "non_remboursable");
    let garde = m - 1500;
    assert_eq!(b["remboursement"]["montant_centimes"], garde);
    assert!(app.http.requests_to("/v1/refunds").is_empty());
    let page = page_gestion(
        &app,
        "garage",
        &format!(
            "/reservations/{}?token={}&fait=annulee&remboursement=non_remboursable",
            r.id, r.token
        ),
    );
    let phrase = format!("les {} réglés ne sont pas remboursés", euros(garde));
    assert!(page.text().contains(&phrase), "{phrase}");
    assert_eq!(statut_paiement(&app, &r.id), "paye");
    assert_eq!(rembourse(&app, &r.id), 1500);
}
