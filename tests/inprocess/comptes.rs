//! Accounts: sign-up, sign-in, sign-out, password reset and change, rate limits, the
//! client's bookings — by the API and by the pages.

use booking_functions::http::{Method, Request, Response};
use booking_shared::comptes::session::{emettre, Session};
use booking_shared::comptes::Role;
use booking_tests::percent_encode;
use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

pub const COACH: &str = "http://coach.localhost:8787";

/// A session token for an account, as sign-in would issue it (no password hashing: fast).
pub fn jeton(app: &TestApp, user_id: i64) -> String {
    let role = match app
        .db
        .scalar(&format!("SELECT CASE role WHEN 'client' THEN 0 WHEN 'pro' THEN 1 ELSE 2 END FROM users WHERE id = {user_id}"))
    {
        0 => Role::Client,
        1 => Role::Pro,
        _ => Role::Admin,
    };
    let v = app.db.scalar(&format!(
        "SELECT token_version FROM users WHERE id = {user_id}"
    ));
    emettre(
        app.settings.cles().session.expose(),
        &Session {
            uid: user_id,
            role,
            v,
        },
        app.clock_now(),
    )
    .unwrap()
}

/// Accounts made directly in the database (no usable password).
pub fn client(app: &TestApp, email: &str) -> i64 {
    app.db.execute_script(&format!(
        "INSERT INTO users (email, role, nom, created_at) VALUES ('{email}', 'client', 'Client Test', 0);"
    ));
    app.db
        .scalar(&format!("SELECT id FROM users WHERE email = '{email}'"))
}

pub fn admin(app: &TestApp) -> i64 {
    app.db.execute_script(
        "INSERT INTO users (email, role, nom, created_at) VALUES ('admin@exemple.fr', 'admin', 'Admin', 0);",
    );
    app.db
        .scalar("SELECT id FROM users WHERE email = 'admin@exemple.fr'")
}

/// The account of a demo professional, by slug.
pub fn pro(app: &TestApp, slug: &str) -> (i64, i64) {
    let pro_id = app.db.scalar(&format!(
        "SELECT id FROM professionnels WHERE slug = '{slug}'"
    ));
    let user_id = app.db.scalar(&format!(
        "SELECT user_id FROM professionnels WHERE slug = '{slug}'"
    ));
    (pro_id, user_id)
}

pub trait Horloge {
    fn clock_now(&self) -> chrono::DateTime<chrono::Utc>;
}

impl Horloge for TestApp {
    fn clock_now(&self) -> chrono::DateTime<chrono::Utc> {
        use booking_shared::ports::Clock;
        self.clock.now()
    }
}

pub fn avec_bearer(
    app: &TestApp,
    method: Method,
    url: &str,
    token: &str,
    body: Option<&Value>,
) -> Response {
    let mut r = Request::new(method, url);
    r.headers
        .push(("authorization".into(), format!("Bearer {token}")));
    if let Some(b) = body {
        r.headers
            .push(("content-type".into(), "application/json".into()));
        r.body = b.to_string().into_bytes();
    }
    app.send(r)
}

/// A browser: keeps cookies, fills forms with their CSRF token.
pub struct Navigateur<'a> {
    pub app: &'a TestApp,
    pub cookies: Vec<(String, String)>,
    pub ip: String,
}

impl<'a> Navigateur<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Navigateur {
            app,
            cookies: Vec::new(),
            ip: "198.51.100.7".into(),
        }
    }

    pub fn avec_session(app: &'a TestApp, user_id: i64) -> Self {
        let mut n = Navigateur::new(app);
        n.cookies.push(("session".into(), jeton(app, user_id)));
        n
    }

    fn garder(&mut self, r: &Response) {
        for (k, v) in &r.headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                let paire = v.split(';').next().unwrap_or("");
                if let Some((nom, valeur)) = paire.split_once('=') {
                    self.cookies.retain(|(n, _)| n != nom);
                    if !valeur.is_empty() {
                        self.cookies.push((nom.into(), valeur.into()));
                    }
                }
            }
        }
    }

    fn requete(&self, method: Method, url: &str) -> Request {
        let mut r = Request::new(method, url);
        if !self.cookies.is_empty() {
            let c = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            r.headers.push(("cookie".into(), c));
        }
        r.headers.push(("cf-connecting-ip".into(), self.ip.clone()));
        r
    }

    pub fn get(&mut self, url: &str) -> Response {
        let r = self.app.send(self.requete(Method::Get, url));
        self.garder(&r);
        r
    }

    /// The CSRF token a page's forms carry.
    /// Opens a link as a browser does: one that carries a secret first trades it for a
    /// cookie (303 to the clean address, said with `no-referrer`), then the page shows.
    pub fn ouvrir(&mut self, url: &str) -> Response {
        let r = self.get(url);
        if r.status != 303 {
            return r;
        }
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
        let propre = r.header("location").unwrap_or("/").to_owned();
        assert!(!propre.contains("jeton"), "{propre}");
        let base = url.split('/').take(3).collect::<Vec<_>>().join("/");
        self.get(&format!("{base}{propre}"))
    }

    pub fn csrf(&mut self, url: &str) -> String {
        let page = self.ouvrir(url).text();
        let debut = page
            .find("name=\"csrf\" value=\"")
            .map(|i| i + 19)
            .unwrap_or_else(|| panic!("no csrf on {url}: {page}"));
        page[debut..].split('"').next().unwrap_or("").to_owned()
    }

    pub fn post(&mut self, url: &str, champs: &[(&str, &str)]) -> Response {
        let mut r = self.requete(Method::Post, url);
        r.headers.push((
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        ));
        r.body = champs
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
            .into_bytes();
        let r = self.app.send(r);
        self.garder(&r);
        r
    }

    /// Fills the form of `page` (its CSRF token) and posts it to `action`.
    pub fn soumettre(&mut self, page: &str, action: &str, champs: &[(&str, &str)]) -> Response {
        let csrf = self.csrf(page);
        let mut tous: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        tous.extend_from_slice(champs);
        self.post(action, &tous)
    }
}

pub const MDP: &str = "bonjour2026!";

fn inscription(app: &TestApp, corps: Value) -> Response {
    app.post_json(&format!("{COACH}/api/v1/comptes"), &corps)
}

fn connexion(app: &TestApp, email: &str, mdp: &str) -> Response {
    app.post_json(
        &format!("{COACH}/api/v1/sessions"),
        &j!({ "email": email, "mot_de_passe": mdp }),
    )
}

/// A sign-in through the API from a source, with a device cookie or not.
fn connexion_depuis(
    app: &TestApp,
    ip: &str,
    appareil: Option<&str>,
    email: &str,
    mdp: &str,
) -> Response {
    let mut r = Request::new(Method::Post, &format!("{COACH}/api/v1/sessions"));
    r.headers
        .push(("content-type".into(), "application/json".into()));
    r.headers.push(("cf-connecting-ip".into(), ip.into()));
    if let Some(a) = appareil {
        r.headers.push(("cookie".into(), format!("appareil={a}")));
    }
    r.body = j!({ "email": email, "mot_de_passe": mdp })
        .to_string()
        .into_bytes();
    app.send(r)
}

/// The value of a cookie a response sets.
fn cookie_pose(r: &Response, nom: &str) -> Option<String> {
    r.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next()?.split_once('='))
        .find(|(n, _)| *n == nom)
        .map(|(_, v)| v.to_owned())
}

fn retry_after(r: &Response) -> i64 {
    r.header("retry-after")
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| panic!("no Retry-After: {} {}", r.status, r.text()))
}

/// The link of the last e-mail of a kind queued for an address (it travels in the
/// outbox row only, until sent).
pub fn lien_du_courriel(app: &TestApp, kind: &str, destinataire: &str) -> String {
    let rows = futures::executor::block_on(booking_shared::store::Db::query(
        &app.db,
        booking_shared::store::Statement::new(
            "SELECT json_extract(donnees, '$.lien') AS lien FROM outbox \
             WHERE kind = ?1 AND destinataire = ?2 COLLATE NOCASE ORDER BY id DESC LIMIT 1",
        )
        .bind(kind)
        .bind(destinataire),
    ))
    .unwrap();
    rows.first()
        .and_then(|r| r["lien"].as_str())
        .unwrap_or_else(|| panic!("no {kind} e-mail for {destinataire}"))
        .to_owned()
}

fn courriels(app: &TestApp, kind: &str, destinataire: &str) -> i64 {
    app.db.scalar(&format!(
        "SELECT count(*) FROM outbox WHERE kind = '{kind}' AND destinataire = '{destinataire}' COLLATE NOCASE"
    ))
}

fn secret(lien: &str) -> String {
    lien.rsplit('=').next().unwrap().to_owned()
}

/// Signs up through the API (accepted), then signs in: the account's token.
fn inscrit_et_connecte(app: &TestApp, email: &str) -> String {
    let r = inscription(
        app,
        j!({ "nom": "Camille", "email": email, "mot_de_passe": MDP }),
    );
    // Accepted (202: the tests of sign-up itself check the exact answer).
    assert!((200..300).contains(&r.status), "{}", r.text());
    let r = connexion(app, email, MDP);
    assert_eq!(r.status, 200, "{}", r.text());
    json(&r)["token"].as_str().unwrap().to_owned()
}

/// Uses the address check's link of the account, signed in with `token`.
fn verifier(app: &TestApp, token: &str, jeton: &str) -> Response {
    avec_bearer(
        app,
        Method::Post,
        &format!("{COACH}/api/v1/moi/verification"),
        token,
        Some(&j!({ "jeton": jeton })),
    )
}

fn reservations_de(app: &TestApp, token: &str) -> usize {
    let r = avec_bearer(
        app,
        Method::Get,
        &format!("{COACH}/api/v1/moi/reservations"),
        token,
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    json(&r)["reservations"].as_array().unwrap().len()
}

#[test]
fn signing_up_with_a_guests_address_shows_none_of_their_bookings_until_verified() {
    let app = TestApp::spawn().with_demo_data();
    // Léa books as a guest.
    let r = app.post_json(
        crate::api_reservations::RESERVER,
        &crate::api_reservations::coach_body(&crate::api_reservations::first_slot(&app)),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    // Someone signs up with her address on another trade's site, then signs in.
    let r = app.post_json(
        "http://garage.localhost:8787/api/v1/comptes",
        &j!({ "nom": "Intrus", "email": "LEA.MARTIN@exemple.fr", "mot_de_passe": MDP }),
    );
    assert!(r.status < 300, "{} {}", r.status, r.text());
    let r = connexion(&app, "lea.martin@exemple.fr", MDP);
    assert_eq!(
        r.status,
        200,
        "an unverified account may sign in: {}",
        r.text()
    );
    let token = json(&r)["token"].as_str().unwrap().to_owned();
    assert_eq!(
        reservations_de(&app, &token),
        0,
        "the guest's booking shows to an account that never proved the address"
    );
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM reservations WHERE user_id IS NOT NULL"),
        0,
        "nothing attached"
    );
    // Not on the account page either (no match by e-mail), which says what to do.
    let mut nav = Navigateur::new(&app);
    let r = nav.soumettre(
        &format!("{COACH}/compte/connexion"),
        &format!("{COACH}/compte/connexion"),
        &[("email", "lea.martin@exemple.fr"), ("mot_de_passe", MDP)],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let page = nav.get(&format!("{COACH}/compte")).text();
    assert!(page.contains("Aucune réservation"), "{page}");
    assert!(page.contains("pas encore confirmée") && page.contains("Renvoyer le lien"));
    let moi = avec_bearer(
        &app,
        Method::Get,
        &format!("{COACH}/api/v1/moi"),
        &token,
        None,
    );
    assert_eq!(json(&moi)["email_verifie"], false);
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM users WHERE email_verifie_at IS NOT NULL"),
        app.db
            .scalar("SELECT count(*) FROM users WHERE role = 'pro'"),
        "only the demo accounts are verified"
    );
    // The link of the e-mail sent to the address (garage's site) proves it: the booking
    // is attached then.
    let lien = lien_du_courriel(&app, "verification_email", "lea.martin@exemple.fr");
    assert!(
        lien.starts_with("http://garage.localhost:8787/compte/verifier?jeton="),
        "{lien}"
    );
    let r = verifier(&app, &token, &secret(&lien));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["email_verifie"], true);
    assert_eq!(reservations_de(&app, &token), 1);
    let page = nav.get(&format!("{COACH}/compte")).text();
    assert!(!page.contains("Aucune réservation"), "{page}");
    assert!(!page.contains("Renvoyer le lien"));
}

#[test]
fn signing_up_with_an_existing_address_answers_exactly_like_a_new_one() {
    let app = TestApp::spawn();
    inscrit_et_connecte(&app, "proprio@exemple.fr");
    let r = inscription(
        &app,
        j!({ "nom": "Autre", "email": "nouveau@exemple.fr", "mot_de_passe": "autre-mdp-2026" }),
    );
    let deja = inscription(
        &app,
        j!({ "nom": "Autre", "email": "PROPRIO@exemple.fr", "mot_de_passe": "autre-mdp-2026" }),
    );
    let sans_id = |r: &Response| -> Vec<(String, String)> {
        r.headers
            .iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("x-request-id"))
            .cloned()
            .collect()
    };
    assert_eq!(
        (deja.status, deja.text()),
        (r.status, r.text()),
        "the API tells whether the address has an account"
    );
    assert_eq!(sans_id(&deja), sans_id(&r));
    assert_eq!(r.status, 202);
    // The same as a professional.
    let pro = |email: &str| {
        inscription(
            &app,
            j!({ "role": "pro", "nom": "Paul Coach", "email": email, "mot_de_passe": MDP, "ville": "Lyon", "region": "ARA" }),
        )
    };
    let (p1, p2) = (pro("paul@exemple.fr"), pro("proprio@exemple.fr"));
    assert_eq!((p1.status, p1.text()), (p2.status, p2.text()));
    // And by the page, for the same browser: same status, same page, same cookies.
    let mut nav = Navigateur::new(&app);
    let page = format!("{COACH}/compte/inscription");
    let formulaire = |email: &'static str| {
        [
            ("role", "client"),
            ("nom", "Anne"),
            ("email", email),
            ("mot_de_passe", MDP),
        ]
    };
    let nouveau = nav.soumettre(&page, &page, &formulaire("anne@exemple.fr"));
    let existant = nav.soumettre(&page, &page, &formulaire("proprio@exemple.fr"));
    assert_eq!(
        (existant.status, existant.text()),
        (nouveau.status, nouveau.text())
    );
    assert_eq!(sans_id(&existant), sans_id(&nouveau));
    assert_eq!(nouveau.status, 200);
    assert!(nouveau.text().contains("ouvrez l'e-mail"));
    assert!(
        cookie_pose(&nouveau, "session").is_none(),
        "no session before sign-in"
    );
    // Nothing of the owner's changed; they are told by e-mail instead.
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM users WHERE email = 'proprio@exemple.fr' COLLATE NOCASE"),
        1
    );
    assert_eq!(connexion(&app, "proprio@exemple.fr", MDP).status, 200);
    assert_eq!(
        connexion(&app, "proprio@exemple.fr", "autre-mdp-2026").status,
        401
    );
    // Every sign-up with the address counts (the first one too): three an hour at most,
    // so the owner heard of the first two attempts and not of the page's.
    assert_eq!(
        courriels(&app, "inscription_existante", "proprio@exemple.fr"),
        2
    );
    assert_eq!(
        courriels(&app, "verification_email", "proprio@exemple.fr"),
        1
    );
    assert_eq!(courriels(&app, "verification_email", "anne@exemple.fr"), 1);
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM professionnels WHERE slug LIKE 'paul-coach%'"),
        1
    );
    // Past the cap the answer is the same and nobody is e-mailed; an hour later the
    // owner hears of attempts again.
    let r4 = inscription(
        &app,
        j!({ "nom": "Autre", "email": "proprio@exemple.fr", "mot_de_passe": "autre-mdp-2026" }),
    );
    assert_eq!((r4.status, r4.text()), (r.status, r.text()));
    assert_eq!(
        courriels(&app, "inscription_existante", "proprio@exemple.fr"),
        2
    );
    app.clock.advance(chrono::Duration::minutes(61));
    let r5 = inscription(
        &app,
        j!({ "nom": "Autre", "email": "proprio@exemple.fr", "mot_de_passe": "autre-mdp-2026" }),
    );
    assert_eq!((r5.status, r5.text()), (r.status, r.text()));
    assert_eq!(
        courriels(&app, "inscription_existante", "proprio@exemple.fr"),
        3
    );
}

#[test]
fn the_verification_link_is_single_use_and_expires() {
    let app = TestApp::spawn();
    let token = inscrit_et_connecte(&app, "a@exemple.fr");
    let lien = lien_du_courriel(&app, "verification_email", "a@exemple.fr");
    let jeton = secret(&lien);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM verifications_email WHERE token_hash LIKE '%{jeton}%'"
        )),
        0,
        "only the hash is stored"
    );
    // Opening the link (a mail scanner does) shows a button and uses nothing.
    let mut nav = Navigateur::new(&app);
    nav.cookies.push(("session".into(), token.clone()));
    for _ in 0..2 {
        let page = nav.ouvrir(&lien);
        assert_eq!(page.status, 200, "{}", page.text());
        assert!(page.text().contains("Confirmer mon adresse"));
        assert!(!page.text().contains(&jeton), "the page carries the secret");
        assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    }
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM users WHERE email_verifie_at IS NOT NULL"),
        0
    );
    // Another account cannot use it.
    let autre = inscrit_et_connecte(&app, "b@exemple.fr");
    let r = verifier(&app, &autre, &jeton);
    assert_eq!(r.status, 400);
    assert_eq!(json(&r)["code"], "lien_invalide");
    // The page's button, once.
    let r = nav.soumettre(
        &lien,
        &format!("{COACH}/compte/verifier"),
        &[("jeton", &jeton)],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/compte?info=email-verifie"));
    assert_eq!(
        json(&avec_bearer(
            &app,
            Method::Get,
            &format!("{COACH}/api/v1/moi"),
            &token,
            None
        ))["email_verifie"],
        true
    );
    let r = verifier(&app, &token, &jeton);
    assert_eq!(r.status, 400, "single use");
    assert_eq!(json(&r)["code"], "lien_invalide");
    assert_eq!(nav.get(&lien).status, 410);
    // B's link, used two days and an hour later, has expired; a new one works.
    let lien_b = lien_du_courriel(&app, "verification_email", "b@exemple.fr");
    app.clock.advance(chrono::Duration::hours(49));
    let autre = json(&connexion(&app, "b@exemple.fr", MDP))["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = verifier(&app, &autre, &secret(&lien_b));
    assert_eq!(r.status, 400);
    assert_eq!(json(&r)["code"], "lien_invalide");
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/moi/verification/renvoi"),
        &autre,
        None,
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let nouveau = lien_du_courriel(&app, "verification_email", "b@exemple.fr");
    assert_ne!(nouveau, lien_b);
    assert_eq!(verifier(&app, &autre, &secret(&nouveau)).status, 200);
}

#[test]
fn someone_who_signed_up_with_your_address_gets_nothing_from_your_click_on_the_link() {
    let app = TestApp::spawn().with_demo_data();
    let r = app.post_json(
        crate::api_reservations::RESERVER,
        &crate::api_reservations::coach_body(&crate::api_reservations::first_slot(&app)),
    );
    assert_eq!(r.status, 201);
    // The squatter signs up first with Léa's address and keeps a session.
    let squatteur = inscrit_et_connecte(&app, "lea.martin@exemple.fr");
    // Léa opens the e-mail in her own browser, not signed in: the page asks for the
    // account's password, which she does not know; the click alone proves nothing.
    let lien = lien_du_courriel(&app, "verification_email", "lea.martin@exemple.fr");
    let mut lea = Navigateur::new(&app);
    lea.ip = "192.0.2.44".into();
    let page = lea.ouvrir(&lien);
    assert_eq!(page.status, 200);
    assert!(page
        .text()
        .contains("saisissez le mot de passe de ce compte"));
    let r = lea.soumettre(
        &lien,
        &format!("{COACH}/compte/verifier"),
        &[("jeton", &secret(&lien))],
    );
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(reservations_de(&app, &squatteur), 0);
    // She takes the account over with a reset link: that proves the address (her
    // booking is attached) and shuts the squatter out.
    let oubli = format!("{COACH}/compte/mot-de-passe-oublie");
    lea.soumettre(&oubli, &oubli, &[("email", "lea.martin@exemple.fr")]);
    let reinit = lien_du_courriel(
        &app,
        "reinitialisation_mot_de_passe",
        "lea.martin@exemple.fr",
    );
    let r = lea.soumettre(
        &reinit,
        &format!("{COACH}/compte/reinitialiser"),
        &[
            ("jeton", &secret(&reinit)),
            ("mot_de_passe", "le-mien-2026"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        avec_bearer(
            &app,
            Method::Get,
            &format!("{COACH}/api/v1/moi"),
            &squatteur,
            None
        )
        .status,
        401
    );
    assert_eq!(connexion(&app, "lea.martin@exemple.fr", MDP).status, 401);
    let r = connexion(&app, "lea.martin@exemple.fr", "le-mien-2026");
    assert_eq!(json(&r)["compte"]["email_verifie"], true);
    assert_eq!(
        reservations_de(&app, json(&r)["token"].as_str().unwrap()),
        1
    );
    // The squatter's pending link is spent as well.
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM verifications_email WHERE utilise_at IS NULL"),
        0
    );
}

#[test]
fn the_link_page_signs_the_owner_in_with_the_password_and_resending_is_rate_limited() {
    let app = TestApp::spawn();
    inscrit_et_connecte(&app, "a@exemple.fr");
    let lien = lien_du_courriel(&app, "verification_email", "a@exemple.fr");
    // From another browser: the account's password, then the address is proved.
    let mut nav = Navigateur::new(&app);
    let r = nav.soumettre(
        &lien,
        &format!("{COACH}/compte/verifier"),
        &[("jeton", &secret(&lien)), ("mot_de_passe", MDP)],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/compte?info=email-verifie"));
    let page = nav.get(&format!("{COACH}/compte?info=email-verifie"));
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Votre adresse e-mail est confirmée"));
    assert!(!page.text().contains("Renvoyer le lien"));
    // Resending: needs a session, says "already" once verified, and is rate-limited.
    let anonyme = Navigateur::new(&app).post(&format!("{COACH}/compte/verification/renvoi"), &[]);
    assert_eq!(anonyme.status, 401);
    let token = inscrit_et_connecte(&app, "b@exemple.fr");
    let mut b = Navigateur::avec_session(
        &app,
        app.db
            .scalar("SELECT id FROM users WHERE email = 'b@exemple.fr'"),
    );
    b.cookies.retain(|(k, _)| k != "session");
    b.cookies.push(("session".into(), token.clone()));
    let compte = format!("{COACH}/compte");
    let renvoi = format!("{COACH}/compte/verification/renvoi");
    for _ in 0..3 {
        let r = b.soumettre(&compte, &renvoi, &[]);
        assert_eq!(r.status, 303, "{}", r.text());
        assert_eq!(
            r.header("location"),
            Some("/compte?info=verification-envoyee")
        );
    }
    let r = b.soumettre(&compte, &renvoi, &[]);
    assert_eq!(r.status, 429);
    assert!(retry_after(&r) > 0);
    assert!(r.text().contains("Trop de tentatives"));
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/moi/verification/renvoi"),
        &token,
        None,
    );
    assert_eq!(r.status, 429);
    assert_eq!(json(&r)["code"], "trop_de_tentatives");
    assert_eq!(courriels(&app, "verification_email", "b@exemple.fr"), 4);
    // Every link sent is still good until one is used.
    let premier = app.db.scalar("SELECT count(*) FROM verifications_email WHERE user_id = (SELECT id FROM users WHERE email = 'b@exemple.fr') AND utilise_at IS NULL");
    assert_eq!(premier, 4);
    let a = json(&connexion(&app, "a@exemple.fr", MDP))["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/moi/verification/renvoi"),
        &a,
        None,
    );
    assert_eq!(r.status, 200, "already verified: {}", r.text());
}

#[test]
fn account_emails_go_out_in_french_with_their_links() {
    let app = TestApp::spawn();
    inscrit_et_connecte(&app, "a@exemple.fr");
    inscription(
        &app,
        j!({ "nom": "X", "email": "a@exemple.fr", "mot_de_passe": MDP }),
    );
    app.post_json(
        &format!("{COACH}/api/v1/comptes/mot-de-passe-oublie"),
        &j!({ "email": "a@exemple.fr" }),
    );
    let liens = [
        lien_du_courriel(&app, "verification_email", "a@exemple.fr"),
        lien_du_courriel(&app, "reinitialisation_mot_de_passe", "a@exemple.fr"),
    ];
    app.run_cron();
    let envoyes = crate::notifications::sent(&app);
    let sujets: Vec<&str> = envoyes.iter().map(|m| m.subject()).collect();
    assert_eq!(envoyes.len(), 3, "{sujets:?}");
    assert!(envoyes.iter().all(|m| m.to() == "a@exemple.fr"));
    assert!(
        sujets.contains(&"Confirmez votre adresse e-mail — Coachs & Bien-être"),
        "{sujets:?}"
    );
    assert!(sujets
        .iter()
        .any(|s| s.starts_with("Vous avez déjà un compte")));
    assert!(sujets
        .iter()
        .any(|s| s.starts_with("Réinitialisation de votre mot de passe")));
    let textes: Vec<String> = envoyes
        .iter()
        .map(|m| m.body["text"].as_str().unwrap_or("").to_owned())
        .collect();
    for lien in &liens {
        assert!(textes.iter().any(|t| t.contains(lien.as_str())), "{lien}");
    }
    // Sent rows keep no secret.
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM outbox WHERE json_extract(donnees, '$.lien') IS NOT NULL"
        ),
        0
    );
}

#[test]
fn the_password_is_stored_as_a_salted_pbkdf2_hash_with_its_parameters() {
    let app = TestApp::spawn();
    let r = inscription(
        &app,
        j!({ "nom": "A", "email": "a@exemple.fr", "mot_de_passe": MDP }),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    assert_eq!(app.db.scalar("SELECT count(*) FROM users WHERE password_algorithme = 'pbkdf2-sha256' AND password_iterations = 100000 AND length(password_sel) = 32 AND length(password_hash) = 64"), 1);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM users WHERE password_hash LIKE '%{MDP}%'"
        )),
        0
    );
}

#[test]
fn a_bad_sign_up_lists_every_field_at_fault_and_a_bad_body_is_never_a_500() {
    let app = TestApp::spawn();
    let r = inscription(
        &app,
        j!({ "role": "pro", "email": "x", "mot_de_passe": "court" }),
    );
    assert_eq!(r.status, 422);
    let champs: Vec<String> = json(&r)["erreurs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["champ"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(champs, ["nom", "email", "mot_de_passe", "ville", "region"]);
    assert_eq!(
        app.post(&format!("{COACH}/api/v1/comptes"), "application/json", "{")
            .status,
        400
    );
    assert_eq!(
        app.post(&format!("{COACH}/api/v1/sessions"), "text/plain", "x")
            .status,
        415
    );
    assert_eq!(
        app.post_json(&format!("{COACH}/api/v1/sessions"), &j!({ "email": 3 }))
            .status,
        422
    );
}

#[test]
fn sign_in_gives_the_same_answer_for_a_wrong_password_and_an_unknown_account() {
    let app = TestApp::spawn();
    assert_eq!(
        inscription(
            &app,
            j!({ "nom": "A", "email": "a@exemple.fr", "mot_de_passe": MDP })
        )
        .status,
        202
    );
    let mauvais = connexion(&app, "a@exemple.fr", "pas-le-bon-1");
    let inconnu = connexion(&app, "personne@exemple.fr", "pas-le-bon-1");
    assert_eq!(mauvais.status, 401);
    assert_eq!(inconnu.status, 401);
    assert_eq!(json(&mauvais), json(&inconnu));
    // Demo-like accounts without a password cannot sign in.
    client(&app, "sans@exemple.fr");
    assert_eq!(
        json(&connexion(&app, "sans@exemple.fr", "")),
        json(&inconnu)
    );
}

/// A sign-up through the API from a given IP.
fn inscription_depuis(app: &TestApp, ip: &str, corps: &Value) -> Response {
    let mut r = Request::new(Method::Post, &format!("{COACH}/api/v1/comptes"));
    r.headers
        .push(("content-type".into(), "application/json".into()));
    r.headers.push(("cf-connecting-ip".into(), ip.into()));
    r.body = corps.to_string().into_bytes();
    app.send(r)
}

#[test]
fn sign_up_is_rate_limited_per_ip_by_the_api_and_the_page() {
    let app = TestApp::spawn();
    let ip = "203.0.113.9";
    // Every attempt counts, refused or not: two accounts and eight invalid attempts.
    for i in 0..10 {
        let corps = if i < 2 {
            j!({ "nom": "Client", "email": format!("client{i}@exemple.fr"), "mot_de_passe": MDP })
        } else {
            j!({ "nom": "Client", "email": format!("client{i}@exemple.fr"), "mot_de_passe": "court" })
        };
        let r = inscription_depuis(&app, ip, &corps);
        assert_eq!(r.status, if i < 2 { 202 } else { 422 }, "{}", r.text());
    }
    let onzieme = j!({ "nom": "Client", "email": "client10@exemple.fr", "mot_de_passe": MDP });
    let r = inscription_depuis(&app, ip, &onzieme);
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(json(&r)["code"], "trop_de_tentatives");
    assert!((1..=3600).contains(&retry_after(&r)));
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM users WHERE email = 'client10@exemple.fr'"),
        0
    );
    // The page shares the IP's counter.
    let mut nav = Navigateur::new(&app);
    nav.ip = ip.into();
    let page = format!("{COACH}/compte/inscription");
    let r = nav.soumettre(
        &page,
        &page,
        &[
            ("role", "client"),
            ("nom", "Client"),
            ("email", "client11@exemple.fr"),
            ("mot_de_passe", MDP),
        ],
    );
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some());
    assert!(r.text().contains("Trop de tentatives"));
    // Another IP is not affected; the next window starts afresh.
    assert_eq!(
        inscription_depuis(&app, "203.0.113.10", &onzieme).status,
        202
    );
    app.clock.advance(chrono::Duration::minutes(61));
    let r = inscription_depuis(
        &app,
        ip,
        &j!({ "nom": "Client", "email": "client12@exemple.fr", "mot_de_passe": MDP }),
    );
    assert_eq!(r.status, 202, "{}", r.text());
}

#[test]
fn wrong_passwords_from_elsewhere_never_lock_the_owner_out_on_a_known_source() {
    let app = TestApp::spawn();
    let chez_soi = "198.51.100.20";
    inscription(
        &app,
        j!({ "nom": "Admin", "email": "admin@exemple.fr", "mot_de_passe": MDP }),
    );
    app.db
        .execute_script("UPDATE users SET role = 'admin' WHERE email = 'admin@exemple.fr';");
    // The owner signs in at home with the page: the browser keeps a device cookie.
    let mut navigateur = Navigateur::new(&app);
    navigateur.ip = chez_soi.into();
    let connexion_page = format!("{COACH}/compte/connexion");
    let r = navigateur.soumettre(
        &connexion_page,
        &connexion_page,
        &[("email", "admin@exemple.fr"), ("mot_de_passe", MDP)],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let pose = r.clone();
    // Strangers guess, each from a source of their own, against the admin and against an
    // address with no account: more than the account-wide allowance.
    for i in 0..12 {
        let ip = format!("203.0.113.{i}");
        for email in ["admin@exemple.fr", "personne@exemple.fr"] {
            let r = connexion_depuis(&app, &ip, None, email, "devine-1234");
            assert!(matches!(r.status, 401 | 429), "{}", r.text());
        }
    }
    let bloque = connexion_depuis(
        &app,
        "203.0.113.200",
        None,
        "admin@exemple.fr",
        "devine-1234",
    );
    let bloque_inconnu = connexion_depuis(
        &app,
        "203.0.113.201",
        None,
        "personne@exemple.fr",
        "devine-1234",
    );
    assert_eq!(
        bloque.status,
        429,
        "strangers are throttled: {}",
        bloque.text()
    );
    assert_eq!(
        (bloque_inconnu.status, json(&bloque_inconnu)["code"].clone()),
        (429, json(&bloque)["code"].clone()),
        "the same answer whether the account exists or not"
    );
    // The owner: at home without the cookie (API), and with the browser's cookie from
    // anywhere (page and API).
    let r = connexion_depuis(&app, chez_soi, None, "admin@exemple.fr", MDP);
    assert_eq!(
        r.status,
        200,
        "the owner is locked out at home: {}",
        r.text()
    );
    let appareil = cookie_pose(&pose, "appareil").expect("a device cookie at sign-in");
    assert!(pose.headers.iter().any(|(k, v)| k == "set-cookie"
        && v.starts_with("appareil=")
        && v.contains("HttpOnly")
        && v.contains("SameSite=Strict")
        && v.contains("Max-Age=31536000")));
    let r = connexion_depuis(&app, "192.0.2.99", Some(&appareil), "admin@exemple.fr", MDP);
    assert_eq!(
        r.status,
        200,
        "the owner's device is locked out: {}",
        r.text()
    );
    navigateur.ip = "192.0.2.98".into();
    let r = navigateur.soumettre(
        &connexion_page,
        &connexion_page,
        &[("email", "admin@exemple.fr"), ("mot_de_passe", MDP)],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/admin"));
    // A forged device cookie, or one of another account, is a stranger's.
    let mut faux = appareil.clone();
    faux.pop();
    faux.push(if appareil.ends_with('0') { '1' } else { '0' });
    let r = connexion_depuis(&app, "192.0.2.97", Some(&faux), "admin@exemple.fr", MDP);
    assert_eq!(r.status, 429, "{}", r.text());
    inscription(
        &app,
        j!({ "nom": "Pirate", "email": "pirate@exemple.fr", "mot_de_passe": MDP }),
    );
    let r = connexion_depuis(&app, "192.0.2.96", None, "pirate@exemple.fr", MDP);
    assert_eq!(r.status, 200, "{}", r.text());
    let sien = cookie_pose(&r, "appareil").unwrap();
    let r = connexion_depuis(&app, "192.0.2.96", Some(&sien), "admin@exemple.fr", MDP);
    assert_eq!(r.status, 429, "{}", r.text());
}

#[test]
fn an_attacker_source_is_slowed_with_growing_delays() {
    let app = TestApp::spawn();
    inscrit_et_connecte(&app, "cible@exemple.fr");
    let pirate = "203.0.113.66";
    let essai = |email: &str| connexion_depuis(&app, pirate, None, email, "devine-1234");
    for _ in 0..5 {
        assert_eq!(essai("cible@exemple.fr").status, 401);
    }
    // Then each guess costs a wait that doubles: 30 s, 1 min, 2 min, 4 min…
    let mut attentes = Vec::new();
    for _ in 0..4 {
        let r = essai("cible@exemple.fr");
        assert_eq!(r.status, 429, "{}", r.text());
        assert_eq!(json(&r)["code"], "trop_de_tentatives");
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        assert!(json(&r)["title"]
            .as_str()
            .unwrap()
            .contains("réessayez dans"));
        let attente = retry_after(&r);
        attentes.push(attente);
        app.clock.advance(chrono::Duration::seconds(attente - 1));
        assert_eq!(essai("cible@exemple.fr").status, 429, "not a second early");
        app.clock.advance(chrono::Duration::seconds(1));
        assert_eq!(essai("cible@exemple.fr").status, 401);
    }
    assert_eq!(attentes, [30, 60, 120, 240]);
    // The counters live in the database.
    // Refused attempts counted nowhere: the source's and the account's streaks hold the
    // same nine attempts as the pair's.
    for cle in [
        format!("connexion:paire:cible@exemple.fr|v4:{pirate}"),
        format!("connexion:source:v4:{pirate}"),
        "connexion:compte:cible@exemple.fr".to_owned(),
    ] {
        assert_eq!(
            app.db.scalar(&format!(
                "SELECT tentatives FROM freins WHERE cle = '{cle}'"
            )),
            9,
            "{cle}"
        );
    }
    // One source spraying many accounts is slowed down too, with growing waits, and the
    // page answers the same way (the form again, with Retry-After).
    // (Empty passwords: counted like any attempt, and refused without hashing, which
    // keeps this test quick.)
    let pulverisateur = "203.0.113.77";
    let mut refus = Vec::new();
    for i in 0..40 {
        let r = connexion_depuis(
            &app,
            pulverisateur,
            None,
            &format!("victime{i}@exemple.fr"),
            "",
        );
        if r.status == 429 {
            refus.push(retry_after(&r));
            app.clock
                .advance(chrono::Duration::seconds(retry_after(&r)));
        } else {
            assert_eq!(r.status, 401);
        }
    }
    assert!(refus.len() >= 3, "{refus:?}");
    assert!(refus.windows(2).all(|w| w[1] == 2 * w[0]), "{refus:?}");
    let mut nav = Navigateur::new(&app);
    nav.ip = pulverisateur.into();
    let page = format!("{COACH}/compte/connexion");
    let mut r = nav.soumettre(
        &page,
        &page,
        &[
            ("email", "autre@exemple.fr"),
            ("mot_de_passe", "devine-1234"),
        ],
    );
    if r.status != 429 {
        r = nav.soumettre(
            &page,
            &page,
            &[
                ("email", "autre2@exemple.fr"),
                ("mot_de_passe", "devine-1234"),
            ],
        );
    }
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(retry_after(&r) > 0);
    assert!(r.text().contains("Trop de tentatives"));
    assert!(r.text().contains("name=\"email\""), "the form again");
    // A quiet day later the streak is forgotten.
    app.clock.advance(chrono::Duration::hours(25));
    assert_eq!(essai("cible@exemple.fr").status, 401);
}

#[test]
fn sign_out_and_a_password_change_revoke_the_tokens_issued_before() {
    let app = TestApp::spawn();
    let t1 = inscrit_et_connecte(&app, "a@exemple.fr");
    let moi = format!("{COACH}/api/v1/moi");
    assert_eq!(avec_bearer(&app, Method::Get, &moi, &t1, None).status, 200);
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/moi/mot-de-passe"),
        &t1,
        Some(&j!({ "actuel": MDP, "mot_de_passe": "nouveau-mdp-2027" })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let t2 = json(&r)["token"].as_str().unwrap().to_owned();
    assert_eq!(
        avec_bearer(&app, Method::Get, &moi, &t1, None).status,
        401,
        "the old token is revoked"
    );
    assert_eq!(avec_bearer(&app, Method::Get, &moi, &t2, None).status, 200);
    assert_eq!(connexion(&app, "a@exemple.fr", MDP).status, 401);
    assert_eq!(
        avec_bearer(
            &app,
            Method::Post,
            &format!("{COACH}/api/v1/sessions/fin"),
            &t2,
            None
        )
        .status,
        204
    );
    assert_eq!(avec_bearer(&app, Method::Get, &moi, &t2, None).status, 401);
    // An expired token is refused too.
    let t3 = json(&connexion(&app, "a@exemple.fr", "nouveau-mdp-2027"))["token"]
        .as_str()
        .unwrap()
        .to_owned();
    app.clock.advance(chrono::Duration::hours(9));
    assert_eq!(avec_bearer(&app, Method::Get, &moi, &t3, None).status, 401);
}

fn lien_de_reinitialisation(app: &TestApp) -> String {
    let donnees = app
        .db
        .scalar("SELECT count(*) FROM outbox WHERE kind = 'reinitialisation_mot_de_passe'");
    assert!(donnees >= 1);
    // The link travels in the outbox row only.
    let conn_lien: String = {
        let rows = futures::executor::block_on(booking_shared::store::Db::query(
            &app.db,
            booking_shared::store::Statement::new("SELECT json_extract(donnees, '$.lien') AS lien FROM outbox WHERE kind = 'reinitialisation_mot_de_passe' ORDER BY id DESC LIMIT 1"),
        ))
        .unwrap();
        rows[0]["lien"].as_str().unwrap().to_owned()
    };
    conn_lien
}

#[test]
fn a_reset_link_is_emailed_works_once_and_expires() {
    let app = TestApp::spawn();
    inscription(
        &app,
        j!({ "nom": "A", "email": "a@exemple.fr", "mot_de_passe": MDP }),
    );
    let oubli = format!("{COACH}/api/v1/comptes/mot-de-passe-oublie");
    let connu = app.post_json(&oubli, &j!({ "email": "A@exemple.fr" }));
    let inconnu = app.post_json(&oubli, &j!({ "email": "personne@exemple.fr" }));
    assert_eq!(connu.status, 202);
    assert_eq!(
        json(&connu),
        json(&inconnu),
        "the same answer whether the account exists or not"
    );
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM outbox WHERE kind = 'reinitialisation_mot_de_passe'"),
        1
    );
    let lien = lien_de_reinitialisation(&app);
    assert!(
        lien.starts_with("http://coach.localhost:8787/compte/reinitialiser?jeton="),
        "{lien}"
    );
    let secret = lien.rsplit('=').next().unwrap().to_owned();
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reinitialisations WHERE token_hash LIKE '%{secret}%'"
        )),
        0,
        "only the hash is stored"
    );
    let reinit = format!("{COACH}/api/v1/comptes/reinitialiser");
    let r = app.post_json(&reinit, &j!({ "jeton": secret, "mot_de_passe": "court" }));
    assert_eq!(r.status, 422);
    let r = app.post_json(
        &reinit,
        &j!({ "jeton": secret, "mot_de_passe": "tout-neuf-2026" }),
    );
    assert_eq!(r.status, 204, "{}", r.text());
    let r = connexion(&app, "a@exemple.fr", "tout-neuf-2026");
    assert_eq!(r.status, 200);
    assert_eq!(
        json(&r)["compte"]["email_verifie"],
        true,
        "a reset link proves the address too"
    );
    let r = app.post_json(
        &reinit,
        &j!({ "jeton": secret, "mot_de_passe": "encore-un-2026" }),
    );
    assert_eq!(r.status, 400, "single use");
    assert_eq!(json(&r)["code"], "lien_invalide");
    // A second link, used too late.
    app.post_json(&oubli, &j!({ "email": "a@exemple.fr" }));
    let secret2 = lien_de_reinitialisation(&app)
        .rsplit('=')
        .next()
        .unwrap()
        .to_owned();
    app.clock.advance(chrono::Duration::minutes(61));
    assert_eq!(
        app.post_json(
            &reinit,
            &j!({ "jeton": secret2, "mot_de_passe": "trop-tard-2026" })
        )
        .status,
        400
    );
}

/// A reset request through the API from a source.
fn oubli_depuis(app: &TestApp, ip: &str, email: &str) -> Response {
    let mut r = Request::new(
        Method::Post,
        &format!("{COACH}/api/v1/comptes/mot-de-passe-oublie"),
    );
    r.headers
        .push(("content-type".into(), "application/json".into()));
    r.headers.push(("cf-connecting-ip".into(), ip.into()));
    r.body = j!({ "email": email }).to_string().into_bytes();
    app.send(r)
}

#[test]
fn reset_requests_by_others_never_block_the_owners_link() {
    let app = TestApp::spawn();
    inscrit_et_connecte(&app, "proprio@exemple.fr");
    let generique = oubli_depuis(&app, "203.0.113.1", "personne@exemple.fr");
    assert_eq!(generique.status, 202);
    // Strangers ask again and again for the owner's address, from several sources.
    let etrangers: Vec<Response> = (0..12)
        .map(|i| {
            oubli_depuis(
                &app,
                &format!("203.0.113.{}", 10 + i % 4),
                "proprio@exemple.fr",
            )
        })
        .collect();
    // The owner asks too, from home: the same generic answer, never a 429.
    let r = oubli_depuis(&app, "198.51.100.20", "PROPRIO@exemple.fr");
    assert_eq!(
        r.status,
        202,
        "the owner's request is refused: {}",
        r.text()
    );
    assert_eq!(json(&r), json(&generique));
    for r in &etrangers {
        assert_eq!((r.status, json(r)), (202, json(&generique)));
    }
    // The address received three links this hour, no more; the first one still works.
    let liens: Vec<String> = {
        let rows = futures::executor::block_on(booking_shared::store::Db::query(
            &app.db,
            booking_shared::store::Statement::new(
                "SELECT json_extract(donnees, '$.lien') AS lien FROM outbox \
                 WHERE kind = 'reinitialisation_mot_de_passe' ORDER BY id",
            ),
        ))
        .unwrap();
        rows.iter()
            .map(|r| r["lien"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(liens.len(), 3);
    app.clock.advance(chrono::Duration::minutes(50));
    let r = app.post_json(
        &format!("{COACH}/api/v1/comptes/reinitialiser"),
        &j!({ "jeton": secret(&liens[0]), "mot_de_passe": "le-mien-2026" }),
    );
    assert_eq!(r.status, 204, "{}", r.text());
    assert_eq!(
        connexion(&app, "proprio@exemple.fr", "le-mien-2026").status,
        200
    );
    // The next hour, the address may receive links again.
    app.clock.advance(chrono::Duration::minutes(11));
    assert_eq!(
        oubli_depuis(&app, "198.51.100.20", "proprio@exemple.fr").status,
        202
    );
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM outbox WHERE kind = 'reinitialisation_mot_de_passe'"),
        4
    );
}

#[test]
fn reset_requests_are_rate_limited_per_source_with_retry_after() {
    let app = TestApp::spawn();
    let ip = "203.0.113.50";
    for i in 0..10 {
        assert_eq!(
            oubli_depuis(&app, ip, &format!("x{i}@exemple.fr")).status,
            202
        );
    }
    let r = oubli_depuis(&app, ip, "y@exemple.fr");
    assert_eq!(r.status, 429);
    assert_eq!(json(&r)["code"], "trop_de_tentatives");
    assert!(retry_after(&r) > 0);
    // The page too: the form again, with the message.
    let mut nav = Navigateur::new(&app);
    nav.ip = ip.into();
    let oubli = format!("{COACH}/compte/mot-de-passe-oublie");
    let r = nav.soumettre(&oubli, &oubli, &[("email", "y@exemple.fr")]);
    assert_eq!(r.status, 429);
    assert!(retry_after(&r) > 0);
    assert!(r.text().contains("Trop de tentatives") && r.text().contains("name=\"email\""));
    // Another source is not affected.
    assert_eq!(
        oubli_depuis(&app, "203.0.113.51", "y@exemple.fr").status,
        202
    );
}

#[test]
fn a_professional_signs_up_on_the_site_of_their_trade_with_an_unpublished_profile() {
    let app = TestApp::spawn();
    let r = inscription(
        &app,
        j!({ "role": "pro", "nom": "Léa Fontaine", "email": "lea@exemple.fr", "mot_de_passe": MDP, "ville": "Lyon", "region": "Auvergne-Rhône-Alpes" }),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    let r = connexion(&app, "lea@exemple.fr", MDP);
    assert_eq!(json(&r)["compte"]["type_professionnel"], "coach");
    assert_eq!(json(&r)["compte"]["role"], "pro");
    assert_eq!(app.db.scalar("SELECT count(*) FROM professionnels WHERE vertical = 'coach' AND slug = 'lea-fontaine' AND public = 0"), 1);
    // A homonym gets another address.
    let r = inscription(
        &app,
        j!({ "role": "pro", "nom": "Léa Fontaine", "email": "lea2@exemple.fr", "mot_de_passe": MDP, "ville": "Nice", "region": "PACA" }),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM professionnels WHERE slug LIKE 'lea-fontaine%'"),
        2
    );
    // The professional's space says the address is still to confirm.
    let mut nav = Navigateur::new(&app);
    let page = format!("{COACH}/compte/connexion");
    nav.soumettre(
        &page,
        &page,
        &[("email", "lea@exemple.fr"), ("mot_de_passe", MDP)],
    );
    assert!(nav
        .get(&format!("{COACH}/pro"))
        .text()
        .contains("adresse e-mail n'est pas encore confirmée"));
}

#[test]
fn the_pages_sign_up_sign_in_and_sign_out_with_a_secure_cookie_and_csrf() {
    let app = TestApp::spawn();
    let mut nav = Navigateur::new(&app);
    let page = nav.get(&format!("{COACH}/compte/inscription"));
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Créer un compte"));
    // Without the CSRF token, nothing happens.
    let r = nav.post(
        &format!("{COACH}/compte/inscription"),
        &[
            ("nom", "A"),
            ("email", "a@exemple.fr"),
            ("mot_de_passe", MDP),
        ],
    );
    assert_eq!(r.status, 403);
    assert_eq!(app.db.scalar("SELECT count(*) FROM users"), 0);
    // Errors are shown next to the fields, the typed values kept, never the password.
    let r = nav.soumettre(
        &format!("{COACH}/compte/inscription"),
        &format!("{COACH}/compte/inscription"),
        &[
            ("nom", "Anne"),
            ("email", "pas-un-email"),
            ("mot_de_passe", "secret"),
        ],
    );
    assert_eq!(r.status, 422);
    let html = r.text();
    assert!(html.contains("id=\"email-erreur\""), "{html}");
    assert!(html.contains("value=\"Anne\""));
    assert!(!html.contains("value=\"secret\""));
    let r = nav.soumettre(
        &format!("{COACH}/compte/inscription"),
        &format!("{COACH}/compte/inscription"),
        &[
            ("nom", "Anne"),
            ("email", "anne@exemple.fr"),
            ("mot_de_passe", MDP),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("ouvrez l'e-mail"));
    assert!(cookie_pose(&r, "session").is_none());
    // Signing in gives the session cookie.
    let r = nav.soumettre(
        &format!("{COACH}/compte/connexion"),
        &format!("{COACH}/compte/connexion"),
        &[("email", "anne@exemple.fr"), ("mot_de_passe", MDP)],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let cookie = r.header("set-cookie").unwrap().to_owned();
    assert!(
        cookie.starts_with("session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http in local development"
    );
    let r = nav.get(&format!("{COACH}/compte"));
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Bonjour Anne"), "{}", r.text());
    let r = nav.soumettre(
        &format!("{COACH}/compte"),
        &format!("{COACH}/compte/deconnexion"),
        &[],
    );
    assert_eq!(r.status, 303);
    assert_eq!(nav.get(&format!("{COACH}/compte")).status, 401);
    // Sign in again: a wrong password shows the generic message.
    let r = nav.soumettre(
        &format!("{COACH}/compte/connexion"),
        &format!("{COACH}/compte/connexion"),
        &[("email", "anne@exemple.fr"), ("mot_de_passe", "faux-mdp-1")],
    );
    assert_eq!(r.status, 401);
    assert!(r
        .text()
        .contains("Adresse e-mail ou mot de passe incorrect."));
    let r = nav.soumettre(
        &format!("{COACH}/compte/connexion"),
        &format!("{COACH}/compte/connexion"),
        &[("email", "anne@exemple.fr"), ("mot_de_passe", MDP)],
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/compte"));
}

#[test]
fn over_https_the_session_and_device_cookies_are_secure() {
    let app = TestApp::spawn();
    let mut nav = Navigateur::new(&app);
    let r = nav.soumettre(
        "https://coach.localhost/compte/inscription",
        "https://coach.localhost/compte/inscription",
        &[
            ("nom", "Anne"),
            ("email", "anne@exemple.fr"),
            ("mot_de_passe", MDP),
        ],
    );
    assert_eq!(r.status, 200);
    let r = nav.soumettre(
        "https://coach.localhost/compte/connexion",
        "https://coach.localhost/compte/connexion",
        &[("email", "anne@exemple.fr"), ("mot_de_passe", MDP)],
    );
    assert_eq!(r.status, 303);
    let cookies: Vec<&String> = r
        .headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .map(|(_, v)| v)
        .collect();
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    assert!(
        cookies.iter().all(|c| c.contains("; Secure")),
        "{cookies:?}"
    );
}

#[test]
fn the_reset_pages_send_the_same_notice_and_the_link_sets_a_new_password() {
    let app = TestApp::spawn();
    inscription(
        &app,
        j!({ "nom": "A", "email": "a@exemple.fr", "mot_de_passe": MDP }),
    );
    let mut nav = Navigateur::new(&app);
    let oubli = format!("{COACH}/compte/mot-de-passe-oublie");
    let connu = nav
        .soumettre(&oubli, &oubli, &[("email", "a@exemple.fr")])
        .text();
    let inconnu = nav
        .soumettre(&oubli, &oubli, &[("email", "b@exemple.fr")])
        .text();
    assert!(connu.contains("Si un compte existe pour cette adresse"));
    assert!(inconnu.contains("Si un compte existe pour cette adresse"));
    let lien = lien_de_reinitialisation(&app);
    // The link's first visit trades its secret for a cookie and leaves the address.
    let echange = nav.get(&lien);
    assert_eq!(echange.status, 303);
    assert_eq!(echange.header("location"), Some("/compte/reinitialiser"));
    let propre = format!("{COACH}/compte/reinitialiser");
    assert_eq!(nav.get(&propre).status, 200);
    let r = nav.soumettre(&propre, &propre, &[("mot_de_passe", "tout-neuf-2026")]);
    assert_eq!(r.status, 303, "{}", r.text());
    assert!(
        cookie_pose(&r, "appareil").is_some(),
        "the browser that used the link is a known device"
    );
    assert_eq!(
        nav.get(&lien).status,
        410,
        "used links show the expired notice"
    );
    assert_eq!(
        connexion(&app, "a@exemple.fr", "tout-neuf-2026").status,
        200
    );
}

#[test]
fn a_signed_in_client_booking_through_the_api_is_attached_to_the_account() {
    let app = TestApp::spawn().with_demo_data();
    let id = client(&app, "lea.martin@exemple.fr");
    let token = jeton(&app, id);
    let mut r = Request::new(Method::Post, crate::api_reservations::RESERVER);
    r.headers
        .push(("content-type".into(), "application/json".into()));
    r.headers
        .push(("authorization".into(), format!("Bearer {token}")));
    r.body = crate::api_reservations::coach_body(&crate::api_reservations::first_slot(&app))
        .to_string()
        .into_bytes();
    assert_eq!(app.send(r).status, 201);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE user_id = {id}"
        )),
        1
    );
}

#[test]
fn the_demo_professionals_sign_in_with_the_seeded_demo_password() {
    // What `local-dev/prepare-state` loads: the demo data with the demo password.
    let app = TestApp::spawn();
    let aujourdhui = booking_shared::ports::Clock::now(&app.clock).date_naive();
    app.db
        .execute_script(&booking_tests::demo::script_local_dev(aujourdhui).unwrap());
    let email: String = {
        let rows = futures::executor::block_on(booking_shared::store::Db::query(
            &app.db,
            booking_shared::store::Statement::new("SELECT u.email FROM users u JOIN professionnels p ON p.user_id = u.id WHERE p.slug = 'claire-fontaine'"),
        ))
        .unwrap();
        rows[0]["email"].as_str().unwrap().to_owned()
    };
    let r = connexion(&app, &email, "demo-pro-2026");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["compte"]["role"], "pro");
    assert_eq!(
        json(&r)["compte"]["email_verifie"],
        true,
        "demo accounts are verified"
    );
}

#[test]
fn the_create_admin_command_makes_a_verified_admin_and_running_it_again_keeps_it_so() {
    use booking_shared::comptes::mot_de_passe;
    let app = TestApp::spawn();
    let empreinte = futures::executor::block_on(mot_de_passe::hacher(
        &booking_functions::comptes::derivation::Pbkdf2,
        "admin-mdp-2026",
        [3; 16],
    ))
    .unwrap();
    let creer = || {
        futures::executor::block_on(booking_shared::store::Db::query(
            &app.db,
            booking_shared::store::utilisateurs::creer_admin(
                "ada@exemple.fr",
                "Ada",
                &empreinte,
                1_000,
            ),
        ))
        .unwrap()
    };
    creer();
    creer();
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM users WHERE email = 'ada@exemple.fr' AND role = 'admin' \
             AND email_verifie_at = 1000 AND token_version = 1"
        ),
        1
    );
    let r = connexion(&app, "ada@exemple.fr", "admin-mdp-2026");
    assert_eq!(json(&r)["compte"]["email_verifie"], true);
}

#[test]
fn the_address_check_token_leaves_the_url_on_first_use() {
    let app = TestApp::spawn();
    let token = inscrit_et_connecte(&app, "a@exemple.fr");
    let lien = lien_du_courriel(&app, "verification_email", "a@exemple.fr");
    let jeton = secret(&lien);
    let mut nav = Navigateur::new(&app);
    nav.cookies.push(("session".into(), token));
    let r = nav.get(&lien);
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/compte/verifier"));
    assert_eq!(r.header("referrer-policy"), Some("no-referrer"));
    let cookie = r
        .headers
        .iter()
        .find(|(n, v)| n == "set-cookie" && v.starts_with("verification="))
        .map(|(_, v)| v.clone())
        .expect("the link's cookie");
    assert!(cookie.contains("Path=/compte/verifier"), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    // The clean page carries no secret, and its button works with the cookie alone.
    let page = nav.get(&format!("{COACH}/compte/verifier"));
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(!page.text().contains(&jeton));
    let r = nav.soumettre(
        &format!("{COACH}/compte/verifier"),
        &format!("{COACH}/compte/verifier"),
        &[],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/compte?info=email-verifie"));
    assert!(r
        .headers
        .iter()
        .any(|(n, v)| n == "set-cookie" && v.starts_with("verification=;")));
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM users WHERE email_verifie_at IS NOT NULL"),
        1
    );
}
