//! Payments against the real Worker and the Stripe stand-in: the stand-in's page and
//! test hooks pay or expire sessions and send correctly signed webhooks to the Worker.

use booking_tests::wrangler::{server, source_unique};
use serde_json::{json, Value};

const HOST: &str = "garage.localhost";

fn get_json(path: &str) -> Value {
    let r = server().get(HOST, path).unwrap();
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.json()
}

/// One garage and one of its services, distinct per test so tests do not share slots.
fn garage(n: usize) -> (String, i64) {
    let list = get_json("/api/v1/professionnels?par_page=50");
    let pros = list["professionnels"].as_array().unwrap();
    let slug = pros[n % pros.len()]["slug"].as_str().unwrap().to_owned();
    let profile = get_json(&format!("/api/v1/professionnels/{slug}"));
    (slug, profile["services"][0]["id"].as_i64().unwrap())
}

fn slots(slug: &str, service: i64, jours: i64) -> Vec<String> {
    let du = chrono::Utc::now().date_naive() + chrono::Duration::days(jours);
    let au = du + chrono::Duration::days(4);
    get_json(&format!(
        "/api/v1/professionnels/{slug}/creneaux?service={service}&du={du}&au={au}"
    ))["creneaux"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["debut"].as_str().unwrap().to_owned())
        .collect()
}

struct Reservee {
    id: String,
    token: String,
    session: String,
    paiement_url: String,
}

fn reserver(slug: &str, service: i64, debut: &str, n: usize) -> Reservee {
    let body = json!({
        "professionnel": slug, "service": service, "debut": debut,
        "nom": format!("Client {n}"), "email": format!("paiement{n}@exemple.fr"), "telephone": "06 12 34 56 78",
        "reponses": { "immatriculation": "AB-123-CD", "marque": "Renault", "modele": "Clio", "kilometrage": "30000" }
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
    assert_eq!(b["statut"], "en_attente_paiement");
    let paiement_url = b["paiement_url"]
        .as_str()
        .expect("a checkout URL")
        .to_owned();
    Reservee {
        id: b["id"].as_str().unwrap().to_owned(),
        token: b["token"].as_str().unwrap().to_owned(),
        session: paiement_url.rsplit('/').next().unwrap().to_owned(),
        paiement_url,
    }
}

fn statut(r: &Reservee) -> String {
    let path = format!("/api/v1/reservations/{}", r.id);
    let lu = server()
        .request("GET", HOST, &path, &[("x-jeton-gestion", &r.token)], b"")
        .unwrap();
    assert_eq!(lu.status, 200, "{path}: {}", lu.text());
    lu.json()["statut"].as_str().unwrap().to_owned()
}

fn stripe_post(path: &str) -> Value {
    let r = server().stripe("POST", path, b"").unwrap();
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.json()
}

/// The stand-in's events about one object (a session, a charge), oldest first.
fn evenements_de(object_id: &str) -> Vec<Value> {
    let r = server().stripe("GET", "/_test/events", b"").unwrap();
    r.json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["object_id"] == object_id)
        .cloned()
        .collect()
}

fn d1(sql: &str) -> i64 {
    server().d1_scalar(sql)
}

fn statut_paiement_est(r: &Reservee, statut: &str) -> bool {
    d1(&format!(
        "SELECT count(*) FROM paiements WHERE reservation_id = '{}' AND statut = '{statut}'",
        r.id
    )) == 1
}

#[test]
fn paying_on_the_stand_in_page_confirms_the_booking_and_returns_to_the_vertical() {
    let (slug, service) = garage(0);
    let debut = slots(&slug, service, 3)[0].clone();
    let r = reserver(&slug, service, &debut, 1);
    assert!(r
        .paiement_url
        .contains(&format!(":{}/c/pay/", server().stripe_port)));
    let page = server()
        .stripe("GET", &format!("/c/pay/{}", r.session), b"")
        .unwrap();
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Payer"));

    let paye = server()
        .stripe("POST", &format!("/c/pay/{}/payer", r.session), b"")
        .unwrap();
    assert_eq!(paye.status, 303, "{}", paye.text());
    // Back to the vertical's confirmation page, with no secret in the address.
    let retour = paye.header("location").unwrap();
    assert!(
        retour.ends_with(&format!(
            "garage.localhost:{}/reservations/{}/confirmation",
            server().port,
            r.id,
        )),
        "{retour}"
    );
    assert!(!retour.contains(&r.token));
    assert_eq!(statut(&r), "confirmee");
    assert!(statut_paiement_est(&r, "paye"));
    let events = evenements_de(&r.session);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["last_status"], 200);
}

#[test]
fn letting_the_session_expire_frees_the_slot_again() {
    let (slug, service) = garage(1);
    let debut = slots(&slug, service, 3)[0].clone();
    let r = reserver(&slug, service, &debut, 2);
    assert!(!slots(&slug, service, 3).contains(&debut));
    stripe_post(&format!("/_test/sessions/{}/expire", r.session));
    assert_eq!(statut(&r), "expiree");
    assert!(statut_paiement_est(&r, "expire"));
    assert!(slots(&slug, service, 3).contains(&debut));
    reserver(&slug, service, &debut, 3);
}

#[test]
fn events_delivered_five_times_and_out_of_order_change_state_once() {
    let (slug, service) = garage(2);
    let libres = slots(&slug, service, 5);
    let a = reserver(&slug, service, &libres[0], 4);
    let b = reserver(&slug, service, &libres[libres.len() - 1], 5);
    stripe_post(&format!("/_test/sessions/{}/pay", a.session));
    stripe_post(&format!("/_test/sessions/{}/expire", b.session));
    let ea = evenements_de(&a.session)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let eb = evenements_de(&b.session)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let courriels = format!(
        "SELECT count(*) FROM outbox WHERE reservation_id IN ('{}', '{}')",
        a.id, b.id
    );
    let avant = d1(&courriels);
    for id in [&eb, &ea, &ea, &eb, &ea, &eb, &eb, &ea, &ea, &eb] {
        let resent = stripe_post(&format!("/_test/events/{id}/resend"));
        assert_eq!(resent["last_status"], 200, "{resent}");
    }
    assert_eq!(statut(&a), "confirmee");
    assert_eq!(statut(&b), "expiree");
    assert!(statut_paiement_est(&a, "paye"));
    assert!(statut_paiement_est(&b, "expire"));
    assert_eq!(
        d1(&format!(
            "SELECT count(*) FROM stripe_events WHERE id IN ('{ea}', '{eb}')"
        )),
        2
    );
    // Redeliveries queue nothing more; the payment queued at most one confirmation.
    assert_eq!(d1(&courriels), avant);
    assert!(
        d1(&format!(
            "SELECT count(*) FROM outbox WHERE reservation_id = '{}' AND kind = 'confirmation'",
            a.id
        )) <= 1
    );
}

#[test]
fn a_payment_arriving_after_the_slot_was_lost_is_refunded() {
    let (slug, service) = garage(3);
    let debut = slots(&slug, service, 4)[0].clone();
    let perdu = reserver(&slug, service, &debut, 6);
    // Paid at Stripe, but the webhook is late; meanwhile the client cancels and
    // someone else takes the slot.
    stripe_post(&format!("/_test/sessions/{}/pay?deliver=0", perdu.session));
    let annule = server()
        .post(
            HOST,
            &format!("/api/v1/reservations/{}/annuler", perdu.id),
            "application/json",
            json!({ "token": perdu.token }).to_string().as_bytes(),
        )
        .unwrap();
    assert_eq!(annule.status, 200, "{}", annule.text());
    let gagnant = reserver(&slug, service, &debut, 7);

    let retard = evenements_de(&perdu.session)
        .into_iter()
        .find(|e| e["type"] == "checkout.session.completed")
        .expect("the payment event");
    let pi = retard["event"]["data"]["object"]["payment_intent"]
        .as_str()
        .unwrap()
        .to_owned();
    let livre = stripe_post(&format!(
        "/_test/events/{}/resend",
        retard["id"].as_str().unwrap()
    ));
    assert_eq!(livre["last_status"], 200, "{livre}");

    let charge = server()
        .stripe("GET", &format!("/v1/payment_intents/{pi}"), b"")
        .unwrap()
        .json()["latest_charge"]
        .as_str()
        .unwrap()
        .to_owned();
    let rembourse = evenements_de(&charge);
    assert_eq!(rembourse.len(), 1, "one refund");
    assert_eq!(rembourse[0]["type"], "charge.refunded");
    assert_eq!(rembourse[0]["event"]["data"]["object"]["refunded"], true);
    assert!(statut_paiement_est(&perdu, "rembourse"));
    assert_eq!(statut(&perdu), "annulee");
    assert_eq!(statut(&gagnant), "en_attente_paiement");
}

/// Hole found by trying it: a paid deposit booking two hours away was moved five days
/// out, then cancelled "inside the window" for a full refund. A move is now allowed only
/// while a cancellation would still be free.
#[test]
fn a_client_cannot_move_a_paid_booking_inside_the_window_then_cancel_for_a_refund() {
    const AVOCAT: &str = "avocat.localhost";
    let connexion = server()
        .request(
            "POST",
            AVOCAT,
            "/api/v1/sessions",
            &[("content-type", "application/json")],
            json!({ "email": "anne.rousseau@exemple.fr", "mot_de_passe": "demo-pro-2026" })
                .to_string()
                .as_bytes(),
        )
        .unwrap();
    assert_eq!(connexion.status, 200, "{}", connexion.text());
    let bearer = format!("Bearer {}", connexion.json()["token"].as_str().unwrap());
    // An opening on the day 36 hours from now, whatever the weekday: inside the
    // 48-hour window and past the 24-hour notice.
    let paris: chrono_tz::Tz = "Europe/Paris".parse().unwrap();
    let maintenant = chrono::Utc::now();
    let jour = (maintenant + chrono::Duration::hours(36))
        .with_timezone(&paris)
        .date_naive();
    let ouverture = server()
        .request(
            "POST",
            AVOCAT,
            "/api/v1/pro/ouvertures",
            &[
                ("content-type", "application/json"),
                ("authorization", &bearer),
            ],
            json!({ "date": jour.to_string(), "heure_debut": "00:00", "heure_fin": "23:45" })
                .to_string()
                .as_bytes(),
        )
        .unwrap();
    assert_eq!(ouverture.status, 201, "{}", ouverture.text());
    let profil = get_json_sur(AVOCAT, "/api/v1/professionnels/anne-rousseau");
    let service = profil["services"][0]["id"].as_i64().unwrap();
    let creneaux = |du: chrono::NaiveDate, au: chrono::NaiveDate| -> Vec<String> {
        get_json_sur(
            AVOCAT,
            &format!(
                "/api/v1/professionnels/anne-rousseau/creneaux?service={service}&du={du}&au={au}"
            ),
        )["creneaux"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["debut"].as_str().unwrap().to_owned())
            .collect()
    };
    let debut = creneaux(jour, jour)
        .into_iter()
        .find(|d| {
            let d = chrono::DateTime::parse_from_rfc3339(d).unwrap();
            d < maintenant + chrono::Duration::hours(46)
        })
        .expect("a slot inside the 48-hour window");
    let plus_tard = creneaux(
        jour + chrono::Duration::days(5),
        jour + chrono::Duration::days(9),
    )[0]
    .clone();

    let corps = json!({
        "professionnel": "anne-rousseau", "service": service, "debut": debut,
        "nom": "Paul Durand", "email": "deplacement.tardif@exemple.fr", "telephone": "06 12 34 56 78",
        "reponses": { "domaine_droit": "famille", "mode": "cabinet", "resume": "Garde d'enfants." }
    });
    let r = server()
        .post(
            AVOCAT,
            "/api/v1/reservations",
            "application/json",
            corps.to_string().as_bytes(),
        )
        .unwrap();
    assert_eq!(r.status, 201, "{}", r.text());
    let b = r.json();
    let id = b["id"].as_str().unwrap().to_owned();
    let token = b["token"].as_str().unwrap().to_owned();
    let session = b["paiement_url"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    stripe_post(&format!("/_test/sessions/{session}/pay"));
    let lire = || {
        let lu = server()
            .request(
                "GET",
                AVOCAT,
                &format!("/api/v1/reservations/{id}"),
                &[("x-jeton-gestion", &token)],
                b"",
            )
            .unwrap();
        assert_eq!(lu.status, 200, "{}", lu.text());
        lu.json()
    };
    assert_eq!(lire()["statut"], "confirmee");

    let deplacement = server()
        .post(
            AVOCAT,
            &format!("/api/v1/reservations/{id}/deplacer"),
            "application/json",
            json!({ "token": token, "debut": plus_tard })
                .to_string()
                .as_bytes(),
        )
        .unwrap();
    assert_eq!(deplacement.status, 409, "{}", deplacement.text());
    assert_eq!(deplacement.json()["code"], "deplacement_hors_delai");
    assert_eq!(lire()["debut"], debut);

    let annulation = server()
        .post(
            AVOCAT,
            &format!("/api/v1/reservations/{id}/annuler"),
            "application/json",
            json!({ "token": token }).to_string().as_bytes(),
        )
        .unwrap();
    assert_eq!(annulation.status, 200, "{}", annulation.text());
    assert_eq!(annulation.json()["remboursable"], false);
    assert_eq!(
        d1(&format!(
            "SELECT count(*) FROM paiements WHERE reservation_id = '{id}' AND statut = 'paye' AND stripe_refund_id IS NULL"
        )),
        1
    );
}

fn get_json_sur(host: &str, path: &str) -> Value {
    let r = server().get(host, path).unwrap();
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.json()
}
fn stripe_form(path: &str, corps: &str) -> Value {
    let r = server().stripe("POST", path, corps.as_bytes()).unwrap();
    assert_eq!(r.status, 200, "{path}: {}", r.text());
    r.json()
}

#[test]
fn a_session_created_outside_the_platform_confirms_nothing_and_is_recorded() {
    let (slug, service) = garage(4);
    let debut = slots(&slug, service, 7)[0].clone();
    let r = reserver(&slug, service, &debut, 8);
    // Someone with a Payment Link (or another integration) makes a 1 € session that names
    // the booking everywhere it can, and pays it: Stripe signs its events all the same.
    let corps = format!(
        "mode=payment&line_items[0][quantity]=1&line_items[0][price_data][currency]=eur\
         &line_items[0][price_data][unit_amount]=100&line_items[0][price_data][product_data][name]=Lien\
         &success_url=http://ailleurs.test/ok&client_reference_id={id}&metadata[reservation_id]={id}",
        id = r.id
    );
    let etrangere = stripe_form("/v1/checkout/sessions", &corps)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    stripe_post(&format!("/_test/sessions/{etrangere}/pay"));
    let livraisons = evenements_de(&etrangere);
    assert_eq!(livraisons.len(), 1);
    assert_eq!(
        livraisons[0]["last_status"], 200,
        "answered 200: Stripe stops retrying"
    );
    assert_eq!(statut(&r), "en_attente_paiement");
    assert!(statut_paiement_est(&r, "en_attente"));
    assert_eq!(
        d1(&format!(
            "SELECT count(*) FROM paiements_anomalies WHERE session_id = '{etrangere}' \
             AND raison = 'session_inconnue' AND montant_recu = 100"
        )),
        1
    );
    // The booking's own session still pays it.
    stripe_post(&format!("/_test/sessions/{}/pay", r.session));
    assert_eq!(statut(&r), "confirmee");
}

#[test]
fn a_partial_refund_from_the_dashboard_then_a_cancellation_refunds_only_the_rest() {
    let (slug, service) = garage(5);
    let debut = slots(&slug, service, 9)[0].clone();
    let r = reserver(&slug, service, &debut, 9);
    let paye = stripe_post(&format!("/_test/sessions/{}/pay", r.session));
    let pi = paye["payment_intent"].as_str().unwrap().to_owned();
    let montant = paye["amount_total"].as_i64().unwrap();
    assert_eq!(statut(&r), "confirmee");

    // 10 € refunded from Stripe's dashboard: the platform records it, still paid.
    stripe_form("/v1/refunds", &format!("payment_intent={pi}&amount=1000"));
    let montant_rembourse = || {
        d1(&format!(
            "SELECT montant_rembourse FROM paiements WHERE reservation_id = '{}'",
            r.id
        ))
    };
    assert_eq!(montant_rembourse(), 1000);
    assert!(statut_paiement_est(&r, "paye"));

    // The client cancels inside the free window: only the rest is refunded.
    let annule = server()
        .post(
            HOST,
            &format!("/api/v1/reservations/{}/annuler", r.id),
            "application/json",
            json!({ "token": r.token }).to_string().as_bytes(),
        )
        .unwrap();
    assert_eq!(annule.status, 200, "{}", annule.text());
    let b = annule.json();
    assert_eq!(b["remboursement"]["statut"], "rembourse", "{b}");
    assert_eq!(b["remboursement"]["montant_centimes"], montant - 1000);
    let charge = server()
        .stripe("GET", &format!("/v1/payment_intents/{pi}"), b"")
        .unwrap()
        .json()["latest_charge"]
        .as_str()
        .unwrap()
        .to_owned();
    let remboursements = evenements_de(&charge);
    assert_eq!(
        remboursements.len(),
        2,
        "the dashboard's refund, then the rest"
    );
    let dernier = &remboursements[1]["event"]["data"]["object"];
    assert_eq!(dernier["amount_refunded"], montant);
    assert_eq!(dernier["refunded"], true);
    assert_eq!(montant_rembourse(), montant);
    assert!(statut_paiement_est(&r, "rembourse"));
}
