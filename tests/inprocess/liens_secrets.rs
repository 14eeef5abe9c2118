//! Secrets in addresses: the manage, review and reset links carry their secret (e-mails
//! cannot do otherwise), but the first visit exchanges it for a short-lived HttpOnly
//! cookie scoped to the pages it opens and sends the browser to the clean address, so the
//! secret leaves the address bar, the history, the logs and any `Referer`.

use booking_functions::http::{Method, Request, Response};
use booking_functions::log::capturer;
use booking_tests::{json, TestApp};
use chrono::Duration;
use serde_json::{json as j, Value};

use crate::api_reservations::{coach_body, slot_outside_the_window, RESERVER};
use crate::notifications::{book_on, instant};
use crate::pages_outils::{
    attributs, champ, premier_creneau, premier_profil, redirection, reserver, texte, Navigateur,
};

const COACH: &str = "http://coach.localhost:8787";

/// A booking two days ahead, so that it may still be moved (outside the 24-hour window).
fn book(app: &TestApp) -> Value {
    let r = app.post_json(RESERVER, &coach_body(&slot_outside_the_window(app)));
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    app.confirm_from_email(b["id"].as_str().unwrap());
    b
}

/// The path and query of a link on the coach site.
fn chemin(lien: &str) -> String {
    lien.strip_prefix(COACH)
        .unwrap_or_else(|| panic!("{lien}"))
        .to_owned()
}

fn set_cookies(r: &Response) -> Vec<String> {
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.clone())
        .collect()
}

fn set_cookie(r: &Response, nom: &str) -> String {
    set_cookies(r)
        .into_iter()
        .find(|c| c.starts_with(&format!("{nom}=")))
        .unwrap_or_else(|| panic!("no {nom} cookie in {:?}", r.headers))
}

fn valeur(set_cookie: &str) -> String {
    set_cookie
        .split(';')
        .next()
        .and_then(|p| p.split_once('='))
        .map(|(_, v)| v.to_owned())
        .unwrap_or_default()
}

fn attribut(set_cookie: &str, nom: &str) -> Option<String> {
    set_cookie.split(';').skip(1).find_map(|a| {
        let (k, v) = a.trim().split_once('=').unwrap_or((a.trim(), ""));
        k.eq_ignore_ascii_case(nom).then(|| v.to_owned())
    })
}

/// GET with exactly this Cookie header (no jar).
fn get_avec(app: &TestApp, url: &str, cookie: &str) -> Response {
    let mut r = Request::new(Method::Get, url);
    r.headers.push(("cookie".into(), cookie.to_owned()));
    app.send(r)
}

#[test]
fn the_manage_token_is_exchanged_for_a_cookie_and_leaves_the_url() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let id = b["id"].as_str().unwrap();
    let token = b["token"].as_str().unwrap();
    let propre = format!("/reservations/{id}");
    let mut nav = Navigateur::new(&app, "coach");
    // The e-mail's link, as the client clicks it.
    let (r, lignes) = capturer(|| nav.get(&chemin(b["lien_gestion"].as_str().unwrap())));
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some(propre.as_str()));
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(r.header("cache-control"), Some("private, no-store"));
    for ligne in &lignes {
        assert!(
            !ligne.contains(token),
            "the log carries the secret: {ligne}"
        );
    }
    let cookie = set_cookie(&r, "gestion");
    assert_eq!(attribut(&cookie, "path").as_deref(), Some(propre.as_str()));
    assert_eq!(attribut(&cookie, "samesite").as_deref(), Some("Lax"));
    assert!(attribut(&cookie, "httponly").is_some(), "{cookie}");
    let max_age: i64 = attribut(&cookie, "max-age").unwrap().parse().unwrap();
    assert!(max_age > 0 && max_age <= 3600, "{cookie}");
    assert!(
        !valeur(&cookie).contains(token),
        "the cookie is not the secret"
    );
    // The clean address opens the booking, and nothing on it carries the secret.
    let page = nav.get(&propre);
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    assert!(html.contains("Léa Martin"));
    assert!(!html.contains(token), "the page shows the secret");
    assert!(!html.contains("token="), "a link carries a secret");
    // The calendar file.
    let ics = nav.get(&format!("{propre}/ics"));
    assert_eq!(ics.status, 200);
    assert!(!ics.text().contains(token));
    // Moving with the cookie alone.
    let formulaire = nav.page(&format!("{propre}/deplacer"));
    assert!(!formulaire.contains(token));
    assert!(!formulaire.contains("name=\"token\""));
    let debuts = attributs(&formulaire, "value", "2026-");
    let nouveau = debuts.last().expect("a free slot to move to").clone();
    let r = nav.post(
        &format!("{propre}/deplacer"),
        &[("csrf", &champ(&formulaire, "csrf")), ("debut", &nouveau)],
    );
    assert_eq!(redirection(&r), format!("{propre}?fait=deplacee"));
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE id = '{id}' AND date_heure = {}",
            chrono::DateTime::parse_from_rfc3339(&nouveau)
                .unwrap()
                .timestamp()
        )),
        1
    );
    // Cancelling with the cookie alone.
    let formulaire = nav.page(&format!("{propre}/annuler"));
    assert!(!formulaire.contains("name=\"token\""));
    let r = nav.post(
        &format!("{propre}/annuler"),
        &[("csrf", &champ(&formulaire, "csrf"))],
    );
    let apres = redirection(&r);
    assert!(
        apres.starts_with(&format!("{propre}?fait=annulee")),
        "{apres}"
    );
    assert!(!apres.contains(token));
    assert!(texte(&nav.get(&apres)).contains("Votre rendez-vous est annulé."));
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE id = '{id}' AND statut = 'annulee'"
        )),
        1
    );
    // Another browser, without the cookie, sees nothing at the clean address.
    let mut autre = Navigateur::new(&app, "coach");
    let r = autre.get(&propre);
    assert_eq!(r.status, 403);
    assert!(!r.text().contains("Léa Martin"));
    assert!(texte(&r).contains("lien reçu par e-mail"), "{}", r.text());
}

#[test]
fn every_manage_page_reached_with_the_token_exchanges_it_and_keeps_its_other_parameters() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let id = b["id"].as_str().unwrap();
    let token = b["token"].as_str().unwrap();
    for (avec, sans) in [
        (
            format!("/reservations/{id}/annuler?token={token}"),
            format!("/reservations/{id}/annuler"),
        ),
        (
            format!("/reservations/{id}/confirmation?token={token}"),
            format!("/reservations/{id}/confirmation"),
        ),
        (
            format!("/reservations/{id}/deplacer?semaine=2026-12-07&token={token}"),
            format!("/reservations/{id}/deplacer?semaine=2026-12-07"),
        ),
        (
            format!("/reservations/{id}/ics?token={token}"),
            format!("/reservations/{id}/ics"),
        ),
    ] {
        let mut nav = Navigateur::new(&app, "coach");
        let r = nav.get(&avec);
        assert_eq!(redirection(&r), sans);
        assert_eq!(nav.get(&sans).status, 200, "{sans}");
    }
    // A wrong secret exchanges nothing: the same 404 as before, and no cookie.
    let mut nav = Navigateur::new(&app, "coach");
    let r = nav.get(&format!(
        "/reservations/{id}?token=0123456789abcdef0123456789abcdef"
    ));
    assert_eq!(r.status, 404);
    assert!(set_cookies(&r).iter().all(|c| !c.starts_with("gestion")));
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    assert!(texte(&r).contains("Réservation introuvable"));
}

#[test]
fn stripe_return_urls_carry_no_secret() {
    let app = TestApp::spawn().with_demo_data();
    // Through the pages: the form's answer sends the browser to Stripe with the cookie.
    let mut nav = Navigateur::new(&app, "garage");
    let profil = premier_profil(&mut nav);
    let formulaire = premier_creneau(&mut nav, &profil);
    let r = reserver(&mut nav, "garage", &formulaire);
    let stripe = redirection(&r);
    assert!(stripe.contains("/c/pay/"), "{stripe}");
    let id: String = {
        let rows = futures::executor::block_on(booking_shared::store::Db::query(
            &app.db,
            booking_shared::store::Statement::new(
                "SELECT id FROM reservations WHERE statut = 'en_attente_paiement' \
                 AND client_email = 'camille.martin@exemple.fr'",
            ),
        ))
        .unwrap();
        rows[0]["id"].as_str().unwrap().to_owned()
    };
    let propre = format!("/reservations/{id}");
    let cookie = set_cookie(&r, "gestion");
    assert_eq!(attribut(&cookie, "path").as_deref(), Some(propre.as_str()));
    let session = app.http.requests_to("/v1/checkout/sessions");
    let corps = String::from_utf8_lossy(&session.last().unwrap().body).into_owned();
    let champs = booking_functions::http::form_pairs(&corps);
    let url = |nom: &str| {
        champs
            .iter()
            .find(|(k, _)| k == nom)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {nom}"))
    };
    let secret: String = {
        let rows = futures::executor::block_on(booking_shared::store::Db::query(
            &app.db,
            booking_shared::store::Statement::new(
                "SELECT json_extract(donnees, '$.jeton') AS jeton FROM outbox \
                 WHERE json_extract(donnees, '$.jeton') IS NOT NULL LIMIT 1",
            ),
        ))
        .unwrap();
        rows[0]["jeton"].as_str().unwrap().to_owned()
    };
    assert_eq!(
        url("success_url"),
        format!("http://garage.localhost:8787{propre}/confirmation")
    );
    assert_eq!(
        url("cancel_url"),
        format!("http://garage.localhost:8787{propre}")
    );
    assert!(!corps.contains(&secret), "the secret went to Stripe");
    assert!(!corps.contains("token"));
    // Back from Stripe, the cookie opens the confirmation.
    let page = nav.get(&format!("{propre}/confirmation"));
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(page.text().contains("Camille Martin"));
    // Through the API as well: its Checkout Session returns to the same clean addresses.
    let slug: String = {
        let rows = futures::executor::block_on(booking_shared::store::Db::query(
            &app.db,
            booking_shared::store::Statement::new(
                "SELECT p.slug, s.id AS service FROM professionnels p \
                 JOIN services s ON s.professionnel_id = p.id \
                 WHERE p.vertical = 'garage' AND p.public = 1 AND s.actif = 1 \
                 ORDER BY p.id, s.id LIMIT 1",
            ),
        ))
        .unwrap();
        format!(
            "{}/{}",
            rows[0]["slug"].as_str().unwrap(),
            rows[0]["service"]
        )
    };
    let (slug, service) = slug.split_once('/').unwrap();
    let service: i64 = service.parse().unwrap();
    let debut = app
        .creneaux(
            "garage.localhost",
            slug,
            service,
            "2026-11-26",
            "2026-12-09",
        )
        .last()
        .expect("a free garage slot")
        .0
        .clone();
    let mut reponses = serde_json::Map::new();
    for (k, v) in crate::pages_outils::reponses("garage") {
        reponses.insert(k.into(), j!(v));
    }
    let r = app.post_json(
        "http://garage.localhost:8787/api/v1/reservations",
        &j!({
            "professionnel": slug, "service": service, "debut": debut,
            "nom": "Léa Martin", "email": "lea.martin@exemple.fr", "telephone": "06 12 34 56 78",
            "reponses": reponses,
        }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    let id = b["id"].as_str().unwrap();
    let token = b["token"].as_str().unwrap();
    let requete = app.http.requests_to("/v1/checkout/sessions");
    let corps = String::from_utf8_lossy(&requete.last().unwrap().body).into_owned();
    assert!(!corps.contains(token), "the secret went to Stripe");
    let succes = booking_functions::http::form_pairs(&corps)
        .into_iter()
        .find(|(k, _)| k == "success_url")
        .map(|(_, v)| v);
    assert_eq!(
        succes,
        Some(format!(
            "http://garage.localhost:8787/reservations/{id}/confirmation"
        ))
    );
}

#[test]
fn a_forged_or_expired_manage_cookie_opens_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let a = book(&app);
    let b = book(&app);
    let (ida, idb) = (a["id"].as_str().unwrap(), b["id"].as_str().unwrap());
    let mut nav = Navigateur::new(&app, "coach");
    let r = nav.get(&chemin(a["lien_gestion"].as_str().unwrap()));
    let vrai = valeur(&set_cookie(&r, "gestion"));
    let page_a = format!("{COACH}/reservations/{ida}");
    assert_eq!(
        get_avec(&app, &page_a, &format!("gestion={vrai}")).status,
        200
    );
    let refuse = |url: &str, cookie: &str| {
        let r = get_avec(&app, url, cookie);
        assert_eq!(r.status, 403, "{cookie} on {url}: {}", r.text());
        assert!(!r.text().contains("Léa Martin"));
    };
    // Forged values.
    refuse(&page_a, "gestion=0123456789abcdef0123456789abcdef");
    refuse(
        &page_a,
        &format!("gestion={}", a["token"].as_str().unwrap()),
    );
    refuse(&page_a, "gestion=");
    // Its expiry pushed back: the seal no longer matches.
    if let Some((expire, sceau)) = vrai.split_once('.') {
        let plus_tard: i64 = expire.parse::<i64>().unwrap() + 86_400;
        refuse(&page_a, &format!("gestion={plus_tard}.{sceau}"));
    }
    // A's cookie on B's pages.
    refuse(
        &format!("{COACH}/reservations/{idb}"),
        &format!("gestion={vrai}"),
    );
    // Nor does it cancel anything with a forged cookie.
    let formulaire = nav.page(&format!("/reservations/{ida}/annuler"));
    let csrf = champ(&formulaire, "csrf");
    let r = {
        let mut req = Request::new(Method::Post, &format!("{COACH}/reservations/{idb}/annuler"));
        req.headers.push((
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        ));
        let csrf_cookie = nav.cookie("csrf", "/").unwrap();
        req.headers.push((
            "cookie".into(),
            format!("csrf={csrf_cookie}; gestion={vrai}"),
        ));
        req.body = format!("csrf={csrf}").into_bytes();
        app.send(req)
    };
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM reservations WHERE statut = 'annulee'"),
        0
    );
    // An hour later the genuine cookie has expired.
    app.clock.advance(Duration::minutes(61));
    refuse(&page_a, &format!("gestion={vrai}"));
    // A fresh exchange works again; a link whose secret was replaced invalidates it.
    let r = nav.get(&chemin(a["lien_gestion"].as_str().unwrap()));
    let neuf = valeur(&set_cookie(&r, "gestion"));
    assert_eq!(
        get_avec(&app, &page_a, &format!("gestion={neuf}")).status,
        200
    );
    app.db.execute_script(&format!(
        "UPDATE reservations SET manage_token_hash = '{}' WHERE id = '{ida}';",
        "0".repeat(64)
    ));
    refuse(&page_a, &format!("gestion={neuf}"));
}

#[test]
fn the_review_token_is_exchanged_for_a_cookie_scoped_to_the_review_page() {
    let app = TestApp::spawn().with_demo_data();
    let b = book_on(&app, "2026-11-30");
    app.clock.set(instant(&b, "fin") + Duration::minutes(1));
    app.run_cron();
    // Only a booking its professional marked done takes a review.
    crate::avis::marquer(&app, &b, "terminer");
    let id = b["id"].as_str().unwrap();
    let token = b["token"].as_str().unwrap();
    let mut nav = Navigateur::new(&app, "coach");
    let r = nav.get(&format!("/avis/{id}?token={token}"));
    assert_eq!(redirection(&r), format!("/avis/{id}"));
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    let cookie = set_cookie(&r, "gestion");
    assert_eq!(
        attribut(&cookie, "path").as_deref(),
        Some(format!("/avis/{id}").as_str())
    );
    assert!(!valeur(&cookie).contains(token));
    let formulaire = nav.page(&format!("/avis/{id}"));
    assert!(!formulaire.contains(token));
    assert!(!formulaire.contains("name=\"token\""));
    let r = nav.post(
        &format!("/avis/{id}"),
        &[
            ("csrf", &champ(&formulaire, "csrf")),
            ("note", "5"),
            ("commentaire", "Parfait."),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("Merci"));
    // Without the cookie: nothing.
    assert_eq!(
        Navigateur::new(&app, "coach")
            .get(&format!("/avis/{id}"))
            .status,
        403
    );
}

#[test]
fn the_reset_token_leaves_the_url_on_first_use() {
    let app = TestApp::spawn();
    let r = app.post_json(
        &format!("{COACH}/api/v1/comptes"),
        &j!({ "nom": "A", "email": "a@exemple.fr", "mot_de_passe": "bonjour2026!" }),
    );
    assert_eq!(r.status, 202);
    app.post_json(
        &format!("{COACH}/api/v1/comptes/mot-de-passe-oublie"),
        &j!({ "email": "a@exemple.fr" }),
    );
    let lien: String = {
        let rows = futures::executor::block_on(booking_shared::store::Db::query(
            &app.db,
            booking_shared::store::Statement::new(
                "SELECT json_extract(donnees, '$.lien') AS lien FROM outbox \
                 WHERE kind = 'reinitialisation_mot_de_passe'",
            ),
        ))
        .unwrap();
        rows[0]["lien"].as_str().unwrap().to_owned()
    };
    let secret = lien.rsplit('=').next().unwrap().to_owned();
    let mut nav = Navigateur::new(&app, "coach");
    let r = nav.get(&chemin(&lien));
    assert_eq!(redirection(&r), "/compte/reinitialiser");
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    let cookie = set_cookie(&r, "reinitialisation");
    assert_eq!(
        attribut(&cookie, "path").as_deref(),
        Some("/compte/reinitialiser")
    );
    assert!(attribut(&cookie, "httponly").is_some());
    assert!(
        !valeur(&cookie).contains(&secret),
        "the cookie is not the secret"
    );
    let page = nav.page("/compte/reinitialiser");
    assert!(!page.contains(&secret));
    assert!(!page.contains("name=\"jeton\""));
    // Another browser, without the cookie, gets the expired notice and changes nothing.
    let mut autre = Navigateur::new(&app, "coach");
    let r = autre.get("/compte/reinitialiser");
    assert_eq!(r.status, 410);
    let csrf_autre = champ(&autre.page("/compte/mot-de-passe-oublie"), "csrf");
    let r = autre.post(
        "/compte/reinitialiser",
        &[("csrf", &csrf_autre), ("mot_de_passe", "vole-2026-abc")],
    );
    assert_eq!(r.status, 410);
    // The cookie sets the new password, once.
    let r = nav.post(
        "/compte/reinitialiser",
        &[
            ("csrf", &champ(&page, "csrf")),
            ("mot_de_passe", "tout-neuf-2026"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        app.post_json(
            &format!("{COACH}/api/v1/sessions"),
            &j!({ "email": "a@exemple.fr", "mot_de_passe": "tout-neuf-2026" }),
        )
        .status,
        200
    );
    assert_eq!(nav.get("/compte/reinitialiser").status, 410);
    assert_eq!(nav.get(&chemin(&lien)).status, 410, "single use");
}

#[test]
fn the_api_takes_the_manage_token_in_a_header_and_never_in_the_address() {
    let app = TestApp::spawn().with_demo_data();
    let b = book(&app);
    let id = b["id"].as_str().unwrap();
    let token = b["token"].as_str().unwrap();
    // The 201 says how to use the secret.
    assert_eq!(b["token_entete"], "X-Jeton-Gestion");
    assert!(b["token_usage"]
        .as_str()
        .unwrap()
        .contains("X-Jeton-Gestion"));
    let url = format!("{COACH}/api/v1/reservations/{id}");
    let avec = |url: &str, jeton: Option<&str>| {
        let mut r = Request::new(Method::Get, url);
        if let Some(j) = jeton {
            r.headers.push(("x-jeton-gestion".into(), j.to_owned()));
        }
        app.send(r)
    };
    let r = avec(&url, Some(token));
    assert_eq!(r.status, 200, "{}", r.text());
    // In the address: refused, and said so.
    let r = avec(&format!("{url}?token={token}"), None);
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(json(&r)["code"], "jeton_gestion_manquant");
    assert!(json(&r)["title"]
        .as_str()
        .unwrap()
        .contains("X-Jeton-Gestion"));
    assert_eq!(avec(&url, None).status, 401);
    let r = avec(&url, Some("0123456789abcdef0123456789abcdef"));
    assert_eq!(r.status, 404);
    assert_eq!(json(&r)["code"], "reservation_introuvable");
    // Cancelling with the header.
    let mut r = Request::new(Method::Post, &format!("{url}/annuler"));
    r.headers
        .push(("content-type".into(), "application/json".into()));
    r.headers.push(("x-jeton-gestion".into(), token.to_owned()));
    r.body = b"{}".to_vec();
    let r = app.send(r);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["statut"], "annulee");
}
