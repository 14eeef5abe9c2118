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
    pub fn csrf(&mut self, url: &str) -> String {
        let page = self.get(url).text();
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

const MDP: &str = "bonjour2026!";

fn inscription(app: &TestApp, corps: Value) -> Response {
    app.post_json(&format!("{COACH}/api/v1/comptes"), &corps)
}

fn connexion(app: &TestApp, email: &str, mdp: &str) -> Response {
    app.post_json(
        &format!("{COACH}/api/v1/sessions"),
        &j!({ "email": email, "mot_de_passe": mdp }),
    )
}

#[test]
fn a_client_signs_up_signs_in_and_sees_the_guest_bookings_made_with_the_same_email() {
    let app = TestApp::spawn().with_demo_data();
    // A guest booking first.
    let r = app.post_json(
        crate::api_reservations::RESERVER,
        &crate::api_reservations::coach_body(&crate::api_reservations::first_slot(&app)),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = inscription(
        &app,
        j!({ "nom": "Léa Martin", "email": "LEA.MARTIN@exemple.fr", "mot_de_passe": MDP }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let token = json(&r)["token"].as_str().unwrap().to_owned();
    assert_eq!(json(&r)["compte"]["role"], "client");
    let r = avec_bearer(
        &app,
        Method::Get,
        &format!("{COACH}/api/v1/moi/reservations"),
        &token,
        None,
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        json(&r)["reservations"].as_array().unwrap().len(),
        1,
        "the guest booking is attached"
    );
    // Instants in ISO 8601 with the offset of the professional's time zone.
    let reservation = &json(&r)["reservations"][0];
    for champ in ["date_heure", "fin"] {
        let instant = reservation[champ].as_str().unwrap_or_default();
        assert!(
            chrono::DateTime::parse_from_rfc3339(instant).is_ok() && instant.ends_with("+01:00"),
            "{champ}: {instant}"
        );
    }
    // Signing in works whatever the e-mail's case.
    let r = connexion(&app, "lea.martin@EXEMPLE.fr", MDP);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(json(&r)["token"].as_str().is_some());
    // The same e-mail cannot sign up twice, whatever its case.
    let r = inscription(
        &app,
        j!({ "nom": "Autre", "email": "lea.martin@exemple.FR", "mot_de_passe": MDP }),
    );
    assert_eq!(r.status, 409);
    assert_eq!(json(&r)["code"], "email_deja_utilise");
}

#[test]
fn the_password_is_stored_as_a_salted_pbkdf2_hash_with_its_parameters() {
    let app = TestApp::spawn();
    let r = inscription(
        &app,
        j!({ "nom": "A", "email": "a@exemple.fr", "mot_de_passe": MDP }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
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
        201
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
        assert_eq!(r.status, if i < 2 { 201 } else { 422 }, "{}", r.text());
    }
    let onzieme = j!({ "nom": "Client", "email": "client10@exemple.fr", "mot_de_passe": MDP });
    let r = inscription_depuis(&app, ip, &onzieme);
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(json(&r)["code"], "trop_de_tentatives");
    assert!(r
        .header("retry-after")
        .and_then(|s| s.parse::<i64>().ok())
        .is_some_and(|s| s > 0 && s <= 3600));
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
        201
    );
    app.clock.advance(chrono::Duration::minutes(61));
    let r = inscription_depuis(
        &app,
        ip,
        &j!({ "nom": "Client", "email": "client12@exemple.fr", "mot_de_passe": MDP }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
}

#[test]
fn sign_in_is_rate_limited_per_account_and_the_counter_is_in_the_database() {
    let app = TestApp::spawn();
    for _ in 0..8 {
        assert_eq!(connexion(&app, "cible@exemple.fr", "mauvais-1").status, 401);
    }
    let r = connexion(&app, "CIBLE@exemple.fr", "mauvais-1");
    assert_eq!(r.status, 429);
    assert_eq!(json(&r)["code"], "trop_de_tentatives");
    assert!(r.header("retry-after").is_some());
    assert!(
        app.db
            .scalar("SELECT nombre FROM limites WHERE cle = 'connexion:compte:cible@exemple.fr'")
            >= 9
    );
    // After the window, attempts are allowed again.
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(connexion(&app, "cible@exemple.fr", "mauvais-1").status, 401);
}

#[test]
fn sign_out_and_a_password_change_revoke_the_tokens_issued_before() {
    let app = TestApp::spawn();
    let r = inscription(
        &app,
        j!({ "nom": "A", "email": "a@exemple.fr", "mot_de_passe": MDP }),
    );
    let t1 = json(&r)["token"].as_str().unwrap().to_owned();
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
    assert_eq!(
        connexion(&app, "a@exemple.fr", "tout-neuf-2026").status,
        200
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

#[test]
fn reset_requests_are_rate_limited_per_account() {
    let app = TestApp::spawn();
    let oubli = format!("{COACH}/api/v1/comptes/mot-de-passe-oublie");
    for _ in 0..3 {
        assert_eq!(
            app.post_json(&oubli, &j!({ "email": "x@exemple.fr" }))
                .status,
            202
        );
    }
    assert_eq!(
        app.post_json(&oubli, &j!({ "email": "x@exemple.fr" }))
            .status,
        429
    );
}

#[test]
fn a_professional_signs_up_on_the_site_of_their_trade_with_an_unpublished_profile() {
    let app = TestApp::spawn();
    let r = inscription(
        &app,
        j!({ "role": "pro", "nom": "Léa Fontaine", "email": "lea@exemple.fr", "mot_de_passe": MDP, "ville": "Lyon", "region": "Auvergne-Rhône-Alpes" }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(json(&r)["compte"]["type_professionnel"], "coach");
    assert_eq!(app.db.scalar("SELECT count(*) FROM professionnels WHERE vertical = 'coach' AND slug = 'lea-fontaine' AND public = 0"), 1);
    // A homonym gets another address.
    let r = inscription(
        &app,
        j!({ "role": "pro", "nom": "Léa Fontaine", "email": "lea2@exemple.fr", "mot_de_passe": MDP, "ville": "Nice", "region": "PACA" }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM professionnels WHERE slug LIKE 'lea-fontaine%'"),
        2
    );
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
    assert_eq!(r.status, 303, "{}", r.text());
    let cookie = r.header("set-cookie").unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
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
fn over_https_the_session_cookie_is_secure() {
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
    assert_eq!(r.status, 303);
    assert!(r.header("set-cookie").unwrap().contains("; Secure"));
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
    let app = TestApp::spawn().with_demo_data();
    let seed =
        std::fs::read_to_string(booking_tests::root().join("local-dev/seed/comptes.sql")).unwrap();
    app.db.execute_script(&seed);
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
}
