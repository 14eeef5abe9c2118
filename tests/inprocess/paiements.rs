//! Payments in-process: Checkout Session creation through the `Http` port, Stripe
//! unreachable, the signed webhook (exactly once), late payments and refunds.

use booking_functions::http::{form_pairs, Method, Request, Response};
use booking_shared::ports::Clock;
use booking_shared::store::{Db, Statement};
use booking_shared::stripe::signer;
use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

const HOST: &str = "garage.localhost:8787";
const SECRET: &str = "whsec_kit";

struct Reservee {
    id: String,
    token: String,
    debut: String,
}

fn garage(app: &TestApp) -> (String, i64) {
    let body = json(&app.get(&format!("http://{HOST}/api/v1/professionnels")));
    let slug = body["professionnels"][0]["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let profile = json(&app.get(&format!("http://{HOST}/api/v1/professionnels/{slug}")));
    (slug, profile["services"][0]["id"].as_i64().unwrap())
}

/// A free slot of the first garage, `jour` days ahead or later.
fn creneau(app: &TestApp, du: &str, au: &str) -> String {
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

fn statut_paiement(app: &TestApp, id: &str) -> String {
    texte(
        app,
        &format!(
            "SELECT statut FROM paiements WHERE reservation_id = '{id}' ORDER BY id DESC LIMIT 1"
        ),
    )
}

fn session_de(app: &TestApp, id: &str) -> String {
    texte(
        app,
        &format!("SELECT stripe_checkout_session_id FROM paiements WHERE reservation_id = '{id}'"),
    )
}

fn occupations(app: &TestApp, id: &str) -> i64 {
    app.db.scalar(&format!(
        "SELECT count(*) FROM occupations WHERE reservation_id = '{id}'"
    ))
}

fn evenement(id: &str, nom: &str, objet: Value) -> String {
    j!({ "id": id, "object": "event", "type": nom, "created": 1, "data": { "object": objet } })
        .to_string()
}

fn session_payee(app: &TestApp, r: &Reservee, pi: &str) -> Value {
    j!({ "id": session_de(app, &r.id), "object": "checkout.session", "payment_status": "paid",
         "status": "complete", "payment_intent": pi, "amount_total": 6000,
         "client_reference_id": r.id, "metadata": { "reservation_id": r.id } })
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

fn envoyer(app: &TestApp, corps: &str) -> Value {
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
            "SELECT count(*) FROM occupations o JOIN reservations r ON r.id = o.reservation_id \
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
    let charge = j!({ "id": "ch_3", "object": "charge", "payment_intent": "pi_3", "amount_refunded": 6000,
                      "refunded": true, "metadata": { "reservation_id": r.id } });
    envoyer(&app, &evenement("evt_r", "charge.refunded", charge));
    assert_eq!(statut_paiement(&app, &r.id), "rembourse");
    assert_eq!(evenements(&app), 2);
}

fn payer(app: &TestApp, r: &Reservee, pi: &str) {
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
