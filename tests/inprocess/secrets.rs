//! The deployment's secrets and the cookies they protect: a missing secret stops the Worker
//! with its name in the log (never served empty), no secret in `Debug`, one derived key
//! per use of the master secret, `__Host-` cookies over https, plain http redirected.

use booking_functions::app::Settings;
use booking_functions::http::{Method, Request, Response};
use booking_functions::log::capturer;
use booking_shared::ports::Clock;
use booking_shared::securite::csrf;
use booking_tests::{json, percent_encode, TestApp};

const COACH: &str = "http://coach.localhost:8787";

/// The kit's master secret (`JWT_SECRET`), spelled out so that a test can forge with it.
const MAITRE: &str = "kit-secret-0123456789abcdef0123456789abcdef";

/// Every secret value the kit's settings hold.
fn valeurs_secretes() -> Vec<String> {
    vec![
        "sk_test_kit".into(),
        "whsec_kit".into(),
        "mail_kit".into(),
        MAITRE.into(),
    ]
}

fn set_cookies(r: &Response) -> Vec<String> {
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.clone())
        .collect()
}

fn webhook(app: &TestApp, secret: &str) -> Response {
    let corps = r#"{"id":"evt_forge","type":"checkout.session.completed","data":{"object":{"id":"cs_x","metadata":{"reservation_id":"x"}}}}"#;
    let t = app.clock.now().timestamp();
    let mut r = Request::new(Method::Post, &format!("{COACH}/webhooks/stripe"));
    r.headers
        .push(("content-type".into(), "application/json".into()));
    r.headers.push((
        "stripe-signature".into(),
        booking_shared::stripe::signer(corps.as_bytes(), secret, t),
    ));
    r.body = corps.as_bytes().to_vec();
    app.send(r)
}

#[test]
fn a_missing_secret_is_named_in_the_error_and_never_served_empty() {
    type Vider = fn(&mut Settings);
    let cas: [(&str, Vider); 5] = [
        ("JWT_SECRET", |s| s.jwt_secret = "".into()),
        ("JWT_SECRET", |s| s.jwt_secret = "trop-court-0123".into()),
        ("STRIPE_SECRET_KEY", |s| s.stripe_secret_key = "".into()),
        ("STRIPE_WEBHOOK_SECRET", |s| {
            s.stripe_webhook_secret = "  ".into()
        }),
        ("MAIL_API_KEY", |s| s.mail_api_key = "".into()),
    ];
    for (nom, vider) in cas {
        let mut app = TestApp::spawn().with_demo_data();
        vider(&mut app.settings);
        let secrets = valeurs_secretes();
        let (page, lignes) = capturer(|| app.get(&format!("{COACH}/")));
        assert_eq!(page.status, 503, "{nom}: {}", page.text());
        assert!(
            page.text().contains("temporairement indisponible"),
            "{nom}: a French page"
        );
        let journal = lignes.join("\n");
        assert!(
            lignes
                .iter()
                .any(|l| l.contains("configuration_incomplete") && l.contains(nom)),
            "{nom} is named in the log: {journal}"
        );
        assert!(!journal.contains("trop-court-0123"));
        for valeur in &secrets {
            assert!(!journal.contains(valeur.as_str()), "{nom}: value logged");
            assert!(!page.text().contains(valeur.as_str()));
        }
        let api = app.get(&format!("{COACH}/api/v1/professionnels"));
        assert_eq!(api.status, 503);
        assert_eq!(json(&api)["code"], "configuration_incomplete");
        assert!(api.header("retry-after").is_some());
        // Nothing is served with the empty value: not even a webhook signed with it.
        let forge = webhook(&app, "");
        assert_eq!(forge.status, 503, "{nom}: {}", forge.text());
        assert_eq!(
            app.db.scalar("SELECT count(*) FROM stripe_events"),
            0,
            "{nom}"
        );
        // Nor is a session or a form accepted.
        let r = app.post(
            &format!("{COACH}/compte/connexion"),
            "application/x-www-form-urlencoded",
            "email=a%40exemple.fr&mot_de_passe=x",
        );
        assert_eq!(r.status, 503);
        // The security headers are still there.
        assert!(page.header("content-security-policy").is_some());
    }
    // The same settings, complete: served.
    let app = TestApp::spawn().with_demo_data();
    assert_eq!(app.get(&format!("{COACH}/")).status, 200);
}

#[test]
fn a_missing_secret_also_stops_the_scheduled_job_with_its_name() {
    let mut app = TestApp::spawn().with_demo_data();
    app.settings.mail_api_key = "".into();
    let ((), lignes) = capturer(|| app.run_cron());
    assert!(
        lignes
            .iter()
            .any(|l| l.contains("configuration_incomplete") && l.contains("MAIL_API_KEY")),
        "{lignes:?}"
    );
    assert!(
        app.http.requests_to("/emails").is_empty(),
        "no e-mail sent with an empty key"
    );
}

#[test]
fn secrets_never_appear_in_debug_output() {
    let app = TestApp::spawn();
    let debug = format!("{:?} {:#?}", app.settings, app.settings);
    for valeur in valeurs_secretes() {
        assert!(!debug.contains(&valeur), "{valeur} in {debug}");
    }
    // What is not secret stays readable.
    assert!(debug.contains("http://stripe.test"), "{debug}");
}

/// The CSRF cookie's value and the form's token on a page with a form.
fn formulaire(app: &TestApp, url: &str) -> (String, String, String) {
    let r = app.get(url);
    assert_eq!(r.status, 200, "{}", r.text());
    let cookie = set_cookies(&r)
        .into_iter()
        .find(|c| c.contains("csrf="))
        .expect("a CSRF cookie");
    let paire = cookie.split(';').next().unwrap().to_owned();
    let valeur = paire.split_once('=').unwrap().1.to_owned();
    let html = r.text();
    let debut = html.find("name=\"csrf\" value=\"").expect("a csrf field") + 19;
    let jeton = html[debut..].split('"').next().unwrap().to_owned();
    (paire, valeur, jeton)
}

fn poster(app: &TestApp, url: &str, cookie: &str, corps: &str) -> Response {
    let mut r = Request::new(Method::Post, url);
    r.headers.push((
        "content-type".into(),
        "application/x-www-form-urlencoded".into(),
    ));
    r.headers.push(("cookie".into(), cookie.to_owned()));
    r.body = corps.as_bytes().to_vec();
    app.send(r)
}

#[test]
fn the_csrf_key_is_not_the_jwt_secret() {
    let mut app = TestApp::spawn();
    app.settings.jwt_secret = MAITRE.into();
    let url = format!("{COACH}/compte/mot-de-passe-oublie");
    let (cookie, valeur, jeton) = formulaire(&app, &url);
    // Whoever learns a CSRF token learns nothing about the master secret's HMACs…
    assert_ne!(jeton, csrf::jeton(MAITRE, &valeur));
    // …and a token made with the master secret itself is refused.
    let forge = csrf::jeton(MAITRE, &valeur);
    let r = poster(
        &app,
        &url,
        &cookie,
        &format!("csrf={forge}&email=a%40exemple.fr"),
    );
    assert_eq!(r.status, 403, "{}", r.text());
    // The form's own token still works.
    let r = poster(
        &app,
        &url,
        &cookie,
        &format!("csrf={}&email=a%40exemple.fr", percent_encode(&jeton)),
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn a_session_signed_with_the_master_secret_itself_is_refused() {
    let mut app = TestApp::spawn();
    app.settings.jwt_secret = MAITRE.into();
    let inscription = app.post_json(
        &format!("{COACH}/api/v1/comptes"),
        &serde_json::json!({ "nom": "A", "email": "a@exemple.fr", "mot_de_passe": "bonjour2026!" }),
    );
    assert_eq!(inscription.status, 202, "{}", inscription.text());
    let id = app.db.scalar("SELECT id FROM users");
    let forge = booking_shared::comptes::session::emettre(
        MAITRE,
        &booking_shared::comptes::Session {
            uid: id,
            role: booking_shared::comptes::Role::Client,
            v: 0,
        },
        app.clock.now(),
    )
    .unwrap();
    let mut r = Request::new(Method::Get, &format!("{COACH}/api/v1/moi"));
    r.headers
        .push(("authorization".into(), format!("Bearer {forge}")));
    assert_eq!(app.send(r).status, 401);
    // The token the API issues at sign-in works.
    let connexion = app.post_json(
        &format!("{COACH}/api/v1/sessions"),
        &serde_json::json!({ "email": "a@exemple.fr", "mot_de_passe": "bonjour2026!" }),
    );
    assert_eq!(connexion.status, 200, "{}", connexion.text());
    let vrai = json(&connexion)["token"].as_str().unwrap().to_owned();
    let mut r = Request::new(Method::Get, &format!("{COACH}/api/v1/moi"));
    r.headers
        .push(("authorization".into(), format!("Bearer {vrai}")));
    assert_eq!(app.send(r).status, 200);
}

fn attributs(cookie: &str) -> Vec<String> {
    cookie
        .split(';')
        .skip(1)
        .map(|a| a.trim().to_ascii_lowercase())
        .collect()
}

#[test]
fn cookies_are_host_prefixed_and_secure_over_https() {
    let app = TestApp::spawn();
    let https = "https://coach.localhost";
    // The CSRF cookie of a form page.
    let r = app.get(&format!("{https}/compte/inscription"));
    let csrf = set_cookies(&r)
        .into_iter()
        .find(|c| c.contains("csrf="))
        .expect("a CSRF cookie");
    assert!(csrf.starts_with("__Host-csrf="), "{csrf}");
    let a = attributs(&csrf);
    assert!(a.contains(&"secure".to_owned()), "{csrf}");
    assert!(a.contains(&"path=/".to_owned()), "{csrf}");
    assert!(!a.iter().any(|x| x.starts_with("domain")), "{csrf}");
    // The session cookie after signing in (signing up sets none: the address is checked
    // first).
    let (paire, _, jeton) = formulaire(&app, &format!("{https}/compte/inscription"));
    let r = poster(
        &app,
        &format!("{https}/compte/inscription"),
        &paire,
        &format!(
            "csrf={}&nom=Anne&email=anne%40exemple.fr&mot_de_passe=bonjour2026%21",
            percent_encode(&jeton)
        ),
    );
    assert!(r.status < 400, "{}", r.text());
    let (paire, _, jeton) = formulaire(&app, &format!("{https}/compte/connexion"));
    let r = poster(
        &app,
        &format!("{https}/compte/connexion"),
        &paire,
        &format!(
            "csrf={}&email=anne%40exemple.fr&mot_de_passe=bonjour2026%21",
            percent_encode(&jeton)
        ),
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let session = set_cookies(&r)
        .into_iter()
        .find(|c| c.contains("session="))
        .expect("a session cookie");
    assert!(session.starts_with("__Host-session="), "{session}");
    let a = attributs(&session);
    assert!(a.contains(&"secure".to_owned()) && a.contains(&"httponly".to_owned()));
    assert!(a.contains(&"path=/".to_owned()));
    assert!(!a.iter().any(|x| x.starts_with("domain")));
    let valeur = session
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    let page = |cookie: String| {
        let mut r = Request::new(Method::Get, &format!("{https}/compte"));
        r.headers.push(("cookie".into(), cookie));
        app.send(r).status
    };
    assert_eq!(page(format!("__Host-session={valeur}")), 200);
    // Over https the unprefixed name is not read: a cookie tossed by a sibling domain or
    // over plain http cannot stand for the session.
    assert_eq!(page(format!("session={valeur}")), 401);
    // Over plain http in local development: unprefixed names, no Secure.
    let r = app.get(&format!("{COACH}/compte/inscription"));
    let csrf = set_cookies(&r)
        .into_iter()
        .find(|c| c.contains("csrf="))
        .expect("a CSRF cookie");
    assert!(csrf.starts_with("csrf="), "{csrf}");
    assert!(!attributs(&csrf).contains(&"secure".to_owned()));
}

#[test]
fn plain_http_to_a_production_domain_is_redirected_to_https() {
    let app = TestApp::spawn().with_demo_data();
    let r = app.get("http://coach.booking-multisite.fr/recherche?q=yoga&lieu=Lyon");
    assert_eq!(r.status, 308, "{}", r.text());
    assert_eq!(
        r.header("location"),
        Some("https://coach.booking-multisite.fr/recherche?q=yoga&lieu=Lyon")
    );
    // A form or an API call too: 308 keeps the method and the body.
    let avant = app.db.scalar("SELECT count(*) FROM reservations");
    let r = app.post_json(
        "http://garage.booking-multisite.fr/api/v1/reservations",
        &serde_json::json!({}),
    );
    assert_eq!(r.status, 308);
    assert_eq!(
        r.header("location"),
        Some("https://garage.booking-multisite.fr/api/v1/reservations")
    );
    assert_eq!(app.db.scalar("SELECT count(*) FROM reservations"), avant);
    // Over https the production domain is served.
    let r = app.get("https://coach.booking-multisite.fr/recherche?q=yoga");
    assert_eq!(r.status, 200, "{}", r.text());
    // Local development stays on plain http.
    for local in [
        "http://coach.localhost:8787/",
        "http://localhost:8787/healthz",
        "http://127.0.0.1:8787/healthz",
    ] {
        assert_ne!(app.get(local).status, 308, "{local}");
    }
}
