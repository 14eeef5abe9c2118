//! Authorization as a matrix: every protected route (enumerated from the router, so a new
//! one cannot escape) × every role (anonymous, client, professional, another
//! professional, admin) × another tenant's ids. Expected: 401, 403 or 404 — never someone
//! else's data, never a change.

use booking_functions::http::{Method, Request, Response};
use booking_functions::router::{routes, RouteId};
use booking_shared::securite::csrf;
use booking_shared::store::{Db, Statement};
use booking_tests::TestApp;
use serde_json::json as j;

use crate::comptes::{admin, client, jeton, pro};

/// Routes of the accounts, professional and admin areas that need no session: sign-up,
/// sign-in, reset (they are rate-limited and answer generically), the address check's
/// link (behind its secret, and the account's session or password) and the calendar
/// feed (behind its secret).
const PUBLIQUES: &[&str] = &[
    "/compte/inscription",
    "/compte/connexion",
    "/compte/mot-de-passe-oublie",
    "/compte/reinitialiser",
    "/compte/verifier",
    "/api/v1/comptes",
    "/api/v1/sessions",
    "/api/v1/comptes/mot-de-passe-oublie",
    "/api/v1/comptes/reinitialiser",
    "/ical/{jeton}",
];

/// Paths under these prefixes are protected, whatever area serves them.
const PREFIXES_PROTEGES: &[&str] = &[
    "/compte",
    "/pro",
    "/admin",
    "/api/v1/moi",
    "/api/v1/pro",
    "/api/v1/admin",
    "/api/v1/sessions/fin",
];

fn protegee(pattern: &str, id: RouteId) -> bool {
    if PUBLIQUES.contains(&pattern) {
        return false;
    }
    matches!(
        id,
        RouteId::Compte(_) | RouteId::EspacePro(_) | RouteId::Admin(_)
    ) || PREFIXES_PROTEGES
        .iter()
        .any(|p| pattern == *p || pattern.starts_with(&format!("{p}/")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qui {
    Anonyme,
    Client,
    Pro,
    AutrePro,
    Admin,
}

/// Who may use a route at all (by its path).
fn roles_admis(pattern: &str) -> &'static [Qui] {
    if pattern.starts_with("/admin") || pattern.starts_with("/api/v1/admin") {
        &[Qui::Admin]
    } else if pattern.starts_with("/pro") || pattern.starts_with("/api/v1/pro") {
        &[Qui::Pro, Qui::AutrePro]
    } else {
        &[Qui::Client, Qui::Pro, Qui::AutrePro, Qui::Admin]
    }
}

struct Monde {
    app: TestApp,
    /// The victim: a professional whose ids are used in every URL.
    pro_b: i64,
    service_b: i64,
    ouverture_b: i64,
    absence_b: i64,
    reservation_b: String,
    comptes: Vec<(Qui, Option<i64>)>,
}

fn monde() -> Monde {
    let app = TestApp::spawn().with_demo_data();
    let (pro_b, user_b) = pro(&app, "claire-fontaine");
    let r = app.post_json(
        crate::api_reservations::RESERVER,
        &crate::api_reservations::coach_body(&crate::api_reservations::first_slot(&app)),
    );
    assert_eq!(r.status, 201);
    let reservation_b = booking_tests::json(&r)["id"].as_str().unwrap().to_owned();
    app.db.execute_script(&format!(
        "INSERT INTO disponibilites (professionnel_id, recurrence, date, heure_debut, heure_fin) VALUES ({pro_b}, 'date', '2026-12-20', '10:00', '11:00');
         INSERT INTO absences (professionnel_id, type, du, au) VALUES ({pro_b}, 'jours', '2026-12-30', '2026-12-31');
         UPDATE professionnels SET calendrier_token_hash = '{}' WHERE id = {pro_b};",
        "a".repeat(64)
    ));
    let service_b = app.db.scalar(&format!(
        "SELECT min(id) FROM services WHERE professionnel_id = {pro_b}"
    ));
    let ouverture_b = app.db.scalar(&format!(
        "SELECT max(id) FROM disponibilites WHERE professionnel_id = {pro_b}"
    ));
    let absence_b = app.db.scalar(&format!(
        "SELECT max(id) FROM absences WHERE professionnel_id = {pro_b}"
    ));
    let autre_slug = "claire-fontaine";
    let pro_a_user = app.db.scalar(&format!(
        "SELECT user_id FROM professionnels WHERE vertical = 'coach' AND slug <> '{autre_slug}' ORDER BY id LIMIT 1"
    ));
    let client_id = client(&app, "client.a@exemple.fr");
    let admin_id = admin(&app);
    let comptes = vec![
        (Qui::Anonyme, None),
        (Qui::Client, Some(client_id)),
        (Qui::Pro, Some(pro_a_user)),
        // The owner of the ids, through the other vertical's site is not relevant here: the
        // "another professional" of the matrix is pro A acting on B's ids; B itself is
        // covered by the area tests. B's own session must still be refused admin routes.
        (Qui::AutrePro, Some(user_b)),
        (Qui::Admin, Some(admin_id)),
    ];
    Monde {
        app,
        pro_b,
        service_b,
        ouverture_b,
        absence_b,
        reservation_b,
        comptes,
    }
}

impl Monde {
    fn url(&self, pattern: &str) -> String {
        let segments: Vec<&str> = pattern.split('/').collect();
        let mut sortie = Vec::new();
        for (i, s) in segments.iter().enumerate() {
            let avant = if i > 0 { segments[i - 1] } else { "" };
            let valeur = match *s {
                "{id}" => match avant {
                    "services" => self.service_b.to_string(),
                    "ouvertures" => self.ouverture_b.to_string(),
                    "absences" => self.absence_b.to_string(),
                    "reservations" => self.reservation_b.clone(),
                    "professionnels" => self.pro_b.to_string(),
                    autre => panic!("the matrix does not know what {{id}} is after {autre} in {pattern}: add it"),
                },
                "{action}" => "annuler".into(),
                "{slug}" => "coach".into(),
                "{jeton}" => "0".repeat(32),
                s if s.starts_with('{') => panic!("unknown parameter {s} in {pattern}: add it to the matrix"),
                s => s.to_owned(),
            };
            sortie.push(valeur);
        }
        format!("http://coach.localhost:8787{}", sortie.join("/"))
    }

    /// Every row of the tables a request could change, as text.
    fn etat(&self) -> String {
        let tables = [
            "users",
            "professionnels",
            "services",
            "disponibilites",
            "absences",
            "reservations",
            "occupations",
            "paiements",
            "outbox",
            "reinitialisations",
            "configurations_verticales",
        ];
        let mut s = String::new();
        for t in tables {
            let rows = futures::executor::block_on(
                self.app
                    .db
                    .query(Statement::new(format!("SELECT * FROM {t} ORDER BY 1"))),
            )
            .unwrap_or_else(|e| panic!("{t}: {e}"));
            s.push_str(&serde_json::to_string(&rows).unwrap());
        }
        s
    }

    fn envoyer(&self, method: Method, pattern: &str, qui: Option<i64>) -> Response {
        let url = self.url(pattern);
        let mut r = Request::new(method, &url);
        let api = pattern.starts_with("/api/");
        let session = qui.map(|id| jeton(&self.app, id));
        if api {
            if let Some(t) = &session {
                r.headers
                    .push(("authorization".into(), format!("Bearer {t}")));
            }
            if method == Method::Post {
                r.headers
                    .push(("content-type".into(), "application/json".into()));
                // Every form's fields at once: no API body accepts it, so a 404 here also
                // shows that the id is checked before the body.
                r.body = j!({
                    "nom": "Pirate", "duree_minutes": 60, "prix_centimes": "10", "motif": "Pirate",
                    "bio": "Pirate", "ville": "Pirate", "region": "Pirate", "lundi": "09:00-10:00",
                    "date": "2026-12-01", "heure_debut": "09:00", "heure_fin": "10:00", "du": "2026-12-01",
                })
                .to_string()
                .into_bytes();
            }
        } else {
            // Pages: the session cookie and a valid CSRF pair, so that only authorization decides.
            let valeur = "f".repeat(32);
            let mut cookie = format!("{}={valeur}", csrf::COOKIE);
            if let Some(t) = &session {
                cookie.push_str(&format!("; session={t}"));
            }
            r.headers.push(("cookie".into(), cookie));
            if method == Method::Post {
                r.headers.push((
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                ));
                let jeton_csrf = csrf::jeton(self.app.settings.cles().csrf.expose(), &valeur);
                r.body = format!("{}={jeton_csrf}&nom=Pirate&duree_minutes=60&prix=10&motif=Pirate&ville=Pirate&region=Pirate&lundi=09%3A00-10%3A00&document=%7B%7D", csrf::CHAMP).into_bytes();
            }
        }
        self.app.send(r)
    }
}

#[test]
fn every_protected_route_refuses_every_role_that_may_not_use_it_and_other_tenants_ids() {
    let m = monde();
    let proteges: Vec<_> = routes().filter(|r| protegee(r.pattern, r.id)).collect();
    assert!(
        proteges.len() >= 40,
        "the matrix found only {} protected routes",
        proteges.len()
    );
    let mut verifie = 0;
    for route in &proteges {
        let admis = roles_admis(route.pattern);
        let a_un_id = route.pattern.contains("{id}");
        for (qui, compte) in &m.comptes {
            let refuse_attendu = match qui {
                Qui::Anonyme => Some(401),
                q if !admis.contains(q) => Some(403),
                // Pro A acting on B's ids: not found.
                Qui::Pro if a_un_id => Some(404),
                _ => None,
            };
            let Some(attendu) = refuse_attendu else {
                continue;
            };
            let avant = m.etat();
            let r = m.envoyer(route.method, route.pattern, *compte);
            assert_eq!(
                r.status,
                attendu,
                "{:?} {} as {qui:?}: {}",
                route.method,
                route.pattern,
                r.text()
            );
            assert_eq!(
                avant,
                m.etat(),
                "{:?} {} as {qui:?} changed something",
                route.method,
                route.pattern
            );
            let corps = r.text();
            assert!(
                !corps.contains("lea.martin@exemple.fr") && !corps.contains(&m.reservation_b),
                "{} as {qui:?} leaked B's data",
                route.pattern
            );
            verifie += 1;
        }
    }
    assert!(verifie > 150, "only {verifie} cases checked");
}

#[test]
fn what_a_professional_reads_of_their_space_is_only_their_own() {
    let m = monde();
    let (_, pro_a) = m.comptes[2];
    for route in routes().filter(|r| {
        protegee(r.pattern, r.id) && r.method == Method::Get && !r.pattern.contains('{')
    }) {
        if !roles_admis(route.pattern).contains(&Qui::Pro) {
            continue;
        }
        let r = m.envoyer(Method::Get, route.pattern, pro_a);
        assert_eq!(r.status, 200, "{} as pro A: {}", route.pattern, r.text());
        let corps = r.text();
        assert!(
            !corps.contains("lea.martin@exemple.fr") && !corps.contains(&m.reservation_b),
            "{} leaked B's data",
            route.pattern
        );
    }
}

#[test]
fn the_api_ignores_session_cookies_and_the_pages_ignore_bearer_tokens() {
    let m = monde();
    let (_, admin_id) = m.comptes[4];
    let t = jeton(&m.app, admin_id.unwrap());
    let mut r = Request::new(
        Method::Get,
        "http://coach.localhost:8787/api/v1/admin/professionnels",
    );
    r.headers.push(("cookie".into(), format!("session={t}")));
    assert_eq!(m.app.send(r).status, 401);
    let mut r = Request::new(Method::Get, "http://coach.localhost:8787/admin");
    r.headers
        .push(("authorization".into(), format!("Bearer {t}")));
    assert_eq!(m.app.send(r).status, 401);
}

#[test]
fn a_token_signed_with_another_secret_or_naming_another_role_is_refused() {
    let m = monde();
    let (_, client_id) = m.comptes[1];
    let forge = booking_shared::comptes::session::emettre(
        "another-secret-0123456789abcdef0123456789abcdef",
        &booking_shared::comptes::Session {
            uid: client_id.unwrap(),
            role: booking_shared::comptes::Role::Admin,
            v: 0,
        },
        chrono::Utc::now(),
    )
    .unwrap();
    let mut r = Request::new(
        Method::Get,
        "http://coach.localhost:8787/api/v1/admin/professionnels",
    );
    r.headers
        .push(("authorization".into(), format!("Bearer {forge}")));
    assert_eq!(m.app.send(r).status, 401);
    // The right secret but a role the account does not have.
    let faux_role = booking_shared::comptes::session::emettre(
        m.app.settings.cles().session.expose(),
        &booking_shared::comptes::Session {
            uid: client_id.unwrap(),
            role: booking_shared::comptes::Role::Admin,
            v: 0,
        },
        crate::comptes::Horloge::clock_now(&m.app),
    )
    .unwrap();
    let mut r = Request::new(
        Method::Get,
        "http://coach.localhost:8787/api/v1/admin/professionnels",
    );
    r.headers
        .push(("authorization".into(), format!("Bearer {faux_role}")));
    assert_eq!(m.app.send(r).status, 401);
}

#[test]
fn another_professionals_id_is_not_found_before_the_body_is_read() {
    let m = monde();
    let (_, pro_a) = m.comptes[2];
    let token = jeton(&m.app, pro_a.unwrap_or_default());
    let envoyer = |chemin: String, content_type: &str, corps: &str| {
        let mut r = Request::new(
            Method::Post,
            &format!("http://coach.localhost:8787{chemin}"),
        );
        r.headers
            .push(("authorization".into(), format!("Bearer {token}")));
        r.headers.push(("content-type".into(), content_type.into()));
        r.body = corps.as_bytes().to_vec();
        m.app.send(r)
    };
    // A body the API would refuse (unknown member, wrong type, not JSON): the id decides.
    for (content_type, corps) in [
        ("application/json", r#"{"couleur": "bleu"}"#),
        ("application/json", r#"{"nom": 3}"#),
        ("text/plain", "x"),
    ] {
        let r = envoyer(
            format!("/api/v1/pro/services/{}", m.service_b),
            content_type,
            corps,
        );
        assert_eq!(r.status, 404, "{corps}: {}", r.text());
        let r = envoyer(
            format!("/api/v1/pro/reservations/{}/annuler", m.reservation_b),
            content_type,
            corps,
        );
        assert_eq!(r.status, 404, "{corps}: {}", r.text());
    }
}
