//! Authorization as a matrix: every route declared for a signed-in account (enumerated
//! from the route table, so a new one cannot escape) × every role (anonymous, client,
//! professional, another professional, admin) × another tenant's ids. Expected: 401, 403
//! or 404 — never someone else's data, never a change. The table's declarations are
//! checked against the paths too, so a route added with the wrong guard fails here.

use booking_functions::http::{Method, Request, Response};
use booking_functions::router::routes;
use booking_functions::routes::{Acces, Route};
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

/// Paths under these prefixes need a session, whatever the table says of them (but
/// [`PUBLIQUES`]).
const PREFIXES_PROTEGES: &[&str] = &[
    "/compte",
    "/pro",
    "/admin",
    "/api/v1/moi",
    "/api/v1/pro",
    "/api/v1/admin",
    "/api/v1/sessions/fin",
];

fn sous(pattern: &str, prefixes: &[&str]) -> bool {
    prefixes
        .iter()
        .any(|p| pattern == *p || pattern.starts_with(&format!("{p}/")))
}

/// A route declared for a signed-in account.
fn protegee(route: &Route) -> bool {
    matches!(route.acces, Acces::Connecte | Acces::Pro | Acces::Admin)
}

#[test]
fn every_route_is_declared_with_the_guard_its_path_calls_for() {
    for route in routes() {
        let attendu = if PUBLIQUES.contains(&route.pattern) {
            None
        } else if sous(route.pattern, &["/admin", "/api/v1/admin"]) {
            Some(Acces::Admin)
        } else if sous(route.pattern, &["/pro", "/api/v1/pro"]) {
            Some(Acces::Pro)
        } else if sous(route.pattern, PREFIXES_PROTEGES) {
            Some(Acces::Connecte)
        } else {
            None
        };
        match attendu {
            Some(acces) => assert_eq!(
                route.acces, acces,
                "{:?} {} is declared {:?}",
                route.method, route.pattern, route.acces
            ),
            None => assert!(
                !protegee(route),
                "{:?} {}: declared {:?} outside the protected prefixes",
                route.method,
                route.pattern,
                route.acces
            ),
        }
    }
    // The areas' routes that need no session are the known few.
    for route in routes().filter(|r| !protegee(r)) {
        let zone = sous(route.pattern, PREFIXES_PROTEGES)
            || sous(
                route.pattern,
                &["/api/v1/comptes", "/api/v1/sessions", "/ical"],
            );
        assert!(
            !zone || PUBLIQUES.contains(&route.pattern),
            "{:?} {} needs no session: add it to PUBLIQUES if that is meant",
            route.method,
            route.pattern
        );
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qui {
    Anonyme,
    Client,
    Pro,
    AutrePro,
    Admin,
}

/// Who may use a route at all, by its declared access.
fn roles_admis(route: &Route) -> &'static [Qui] {
    match route.acces {
        Acces::Admin => &[Qui::Admin],
        Acces::Pro => &[Qui::Pro, Qui::AutrePro],
        _ => &[Qui::Client, Qui::Pro, Qui::AutrePro, Qui::Admin],
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
    /// One of B's reviews (the demo's).
    avis_b: i64,
    /// One of B's external calendars.
    agenda_b: i64,
    membre_b: i64,
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
         UPDATE professionnels SET calendrier_token_hash = '{}' WHERE id = {pro_b};
         INSERT INTO agendas_externes (professionnel_id, url, created_at) VALUES ({pro_b}, 'https://calendrier.exemple.fr/b.ics', 0);",
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
    let avis_b = app.db.scalar(&format!(
        "SELECT max(id) FROM avis WHERE professionnel_id = {pro_b}"
    ));
    let agenda_b = app.db.scalar(&format!(
        "SELECT max(id) FROM agendas_externes WHERE professionnel_id = {pro_b}"
    ));
    let membre_b = app.db.scalar(&format!(
        "SELECT min(id) FROM membres WHERE professionnel_id = {pro_b}"
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
        avis_b,
        agenda_b,
        membre_b,
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
                    // The review form is a booking's; a report or a decision, a review's.
                    "avis" if pattern.starts_with("/avis/") => self.reservation_b.clone(),
                    "avis" => self.avis_b.to_string(),
                    "reservations" => self.reservation_b.clone(),
                    "professionnels" => self.pro_b.to_string(),
                    "agendas" => self.agenda_b.to_string(),
                    "membres" => self.membre_b.to_string(),
                    autre => panic!("the matrix does not know what {{id}} is after {autre} in {pattern}: add it"),
                },
                "{action}" => "annuler".into(),
                "{decision}" => "retirer".into(),
                "{slug}" => "coach".into(),
                "{jeton}" => "0".repeat(32),
                // A city with a listed coach (the demo's Claire Fontaine).
                "{ville}" => "lyon".into(),
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
            "avis",
            "membres",
            "services_membres",
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
        self.envoyer_avec(method, pattern, "", qui)
    }

    /// [`Monde::envoyer`] with a query string (`?…`) after the path.
    fn envoyer_avec(
        &self,
        method: Method,
        pattern: &str,
        requete: &str,
        qui: Option<i64>,
    ) -> Response {
        let url = format!("{}{requete}", self.url(pattern));
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
    let proteges: Vec<_> = routes().filter(|r| protegee(r)).collect();
    assert!(
        proteges.len() >= 40,
        "the matrix found only {} protected routes",
        proteges.len()
    );
    let mut verifie = 0;
    for route in &proteges {
        let admis = roles_admis(route);
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
fn a_public_route_serves_the_anonymous_caller() {
    let m = monde();
    let publiques: Vec<_> = routes().filter(|r| r.acces == Acces::Public).collect();
    assert!(publiques.len() >= 20, "{} public routes", publiques.len());
    for route in publiques {
        let r = m.envoyer(route.method, route.pattern, None);
        // A sign-in may answer 401 to wrong credentials, never the guard's refusal.
        let refus_du_garde = r.status == 403
            || (r.status == 401
                && (r.text().contains("non_authentifie")
                    || r.text().contains("Connectez-vous pour accéder")));
        assert!(
            !refus_du_garde && r.status < 500,
            "{:?} {} anonymously: {} {}",
            route.method,
            route.pattern,
            r.status,
            r.text()
        );
    }
}

#[test]
fn a_secret_link_route_refuses_a_caller_without_the_secret_and_changes_nothing() {
    let m = monde();
    let faux = "0".repeat(32);
    let routes_a_secret: Vec<_> = routes().filter(|r| r.acces == Acces::LienSecret).collect();
    assert!(routes_a_secret.len() >= 15, "{}", routes_a_secret.len());
    for route in routes_a_secret {
        for qui in [None, m.comptes[4].1] {
            for requete in [String::new(), format!("?token={faux}")] {
                let avant = m.etat();
                let r = m.envoyer_avec(route.method, route.pattern, &requete, qui);
                let quoi = format!("{:?} {}{requete} as {qui:?}", route.method, route.pattern);
                assert!(r.status < 500, "{quoi}: {}", r.status);
                if route.method == Method::Post {
                    assert!(r.status >= 400, "{quoi}: {} {}", r.status, r.text());
                }
                assert!(
                    !r.text().contains("lea.martin@exemple.fr"),
                    "{quoi} leaked B's data"
                );
                assert_eq!(avant, m.etat(), "{quoi} changed something");
            }
        }
    }
}

#[test]
fn stripes_route_refuses_an_unsigned_or_missigned_event_and_changes_nothing() {
    let m = monde();
    let stripe: Vec<_> = routes()
        .filter(|r| r.acces == Acces::SignatureStripe)
        .collect();
    assert!(!stripe.is_empty());
    let evenement = j!({
        "id": "evt_pirate", "type": "checkout.session.completed",
        "data": { "object": { "id": "cs_pirate", "metadata": { "reservation_id": m.reservation_b } } },
    })
    .to_string();
    for route in stripe {
        for signature in [None, Some("t=1,v1=00"), Some("v1=pirate")] {
            let avant = m.etat();
            let mut r = Request::new(route.method, &m.url(route.pattern));
            r.headers
                .push(("content-type".into(), "application/json".into()));
            if let Some(s) = signature {
                r.headers.push(("stripe-signature".into(), s.into()));
            }
            r.body = evenement.clone().into_bytes();
            let reponse = m.app.send(r);
            assert!(
                (400..500).contains(&reponse.status),
                "{} signed {signature:?}: {} {}",
                route.pattern,
                reponse.status,
                reponse.text()
            );
            assert_eq!(avant, m.etat(), "{} signed {signature:?}", route.pattern);
        }
    }
}

#[test]
fn what_a_professional_reads_of_their_space_is_only_their_own() {
    let m = monde();
    let (_, pro_a) = m.comptes[2];
    for route in
        routes().filter(|r| protegee(r) && r.method == Method::Get && !r.pattern.contains('{'))
    {
        if !roles_admis(route).contains(&Qui::Pro) {
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
