//! External calendars: a professional's busy time elsewhere is never offered and never
//! booked; the calendars are read by the scheduled job and from the professional's
//! space, with the limits and refusals a dishonest professional or a hostile server
//! meet.

use async_trait::async_trait;
use booking_functions::http::{Method, Request};
use booking_shared::store::{Db, DbError, Row, Statement};
use booking_tests::{json, SqliteDb, TestApp};
use chrono::{DateTime, Duration, Utc};
use serde_json::json as j;

use crate::api_reservations::{coach_body, RESERVER};
use crate::api_reservations_gestion::creneaux_de_la_semaine;
use crate::comptes::{avec_bearer, client, jeton, pro, Navigateur, COACH};

const AGENDAS: &str = "http://coach.localhost:8787/api/v1/pro/agendas";
const PERSO: &str = "https://calendrier.exemple.fr/perso.ics";

fn ics(evenements: &[(DateTime<Utc>, DateTime<Utc>)]) -> String {
    let mut s = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//FR\r\n");
    for (i, (d, f)) in evenements.iter().enumerate() {
        s.push_str(&format!(
            "BEGIN:VEVENT\r\nUID:{i}@test\r\nDTSTART:{}\r\nDTEND:{}\r\nSUMMARY:Occupé\r\nEND:VEVENT\r\n",
            d.format("%Y%m%dT%H%M%SZ"),
            f.format("%Y%m%dT%H%M%SZ")
        ));
    }
    s.push_str("END:VCALENDAR\r\n");
    s
}

/// The demo data without its external calendars (their stand-in is not configured
/// here): the tests count the calendars they add.
fn demo() -> TestApp {
    let app = TestApp::spawn().with_demo_data();
    app.db.execute_script("DELETE FROM agendas_externes;");
    app
}

fn instant(iso: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(iso)
        .unwrap()
        .with_timezone(&Utc)
}

fn slots(app: &TestApp) -> Vec<String> {
    creneaux_de_la_semaine(app)
        .into_iter()
        .map(|(d, _)| d)
        .collect()
}

fn claire(app: &TestApp) -> (i64, String) {
    let (pro_id, user_id) = pro(app, "claire-fontaine");
    (pro_id, jeton(app, user_id))
}

fn ajouter(app: &TestApp, token: &str, url: &str) -> booking_functions::http::Response {
    avec_bearer(app, Method::Post, AGENDAS, token, Some(&j!({ "url": url })))
}

/// Busy intervals stored, over every calendar.
fn stockees(app: &TestApp) -> i64 {
    app.db.scalar("SELECT count(*) FROM occupations_externes")
}

/// Another professional of the demo: their bearer token.
fn autre_pro(app: &TestApp) -> String {
    let autre: i64 = app.db.scalar(
        "SELECT user_id FROM professionnels WHERE slug <> 'claire-fontaine' AND user_id IS NOT NULL LIMIT 1",
    );
    jeton(app, autre)
}

/// Removes a calendar through the API.
fn retirer(app: &TestApp, token: &str, id: i64) {
    let r = avec_bearer(
        app,
        Method::Post,
        &format!("{AGENDAS}/{id}/supprimer"),
        token,
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

fn reservations(app: &TestApp) -> i64 {
    app.db.scalar("SELECT count(*) FROM reservations")
}

#[test]
fn an_externally_busy_time_is_never_offered_and_a_booking_on_it_is_refused() {
    let app = demo();
    let (_, token) = claire(&app);
    let avant = slots(&app);
    let cible = avant[3].clone();
    let debut = instant(&cible);
    // Busy from 10 minutes into the slot for 20 minutes: the whole hour is lost.
    app.http.document(
        PERSO,
        200,
        &[],
        &ics(&[(debut + Duration::minutes(10), debut + Duration::minutes(30))]),
    );
    let r = ajouter(&app, &token, PERSO);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(json(&r)["occupations"], 1);
    assert_eq!(json(&r)["erreur"], serde_json::Value::Null);

    let apres = slots(&app);
    assert!(!apres.contains(&cible), "{cible} still offered");
    for s in &apres {
        let d = instant(s);
        assert!(
            d + Duration::minutes(60) <= debut + Duration::minutes(10)
                || d >= debut + Duration::minutes(30),
            "{s} meets the busy time"
        );
    }
    // The slots that do not meet it are all still there.
    assert!(
        apres.len() >= avant.len() - 2,
        "{} → {}",
        avant.len(),
        apres.len()
    );

    let avant_reservations = reservations(&app);
    let r = app.post_json(RESERVER, &coach_body(&cible));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "creneau_indisponible");
    assert_eq!(reservations(&app), avant_reservations);

    // Removed, the calendar frees the time again.
    let id = app.db.scalar("SELECT id FROM agendas_externes");
    retirer(&app, &token, id);
    assert_eq!(stockees(&app), 0);
    assert_eq!(slots(&app), avant);
}

/// A database that, right before the batch that writes a booking, stores a busy interval
/// of the professional over it — as a calendar read finishing between the slot check
/// and the write would.
struct OccupeJusteAvant<'a> {
    db: &'a SqliteDb,
    debut: i64,
    /// Set once the calendar's busy time is written (a refused booking may try again).
    fait: std::cell::Cell<bool>,
}

#[async_trait(?Send)]
impl Db for OccupeJusteAvant<'_> {
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError> {
        self.db.query(statement).await
    }

    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError> {
        if !self.fait.get()
            && statements
                .iter()
                .any(|s| s.sql.starts_with("INSERT INTO reservations"))
        {
            self.fait.set(true);
            self.db.execute_script(&format!(
                "INSERT INTO agendas_externes (id, professionnel_id, url, created_at) \
                 SELECT 77, id, 'https://a.exemple.fr/x.ics', 0 FROM professionnels WHERE slug = 'claire-fontaine'; \
                 INSERT INTO occupations_externes (agenda_id, professionnel_id, debut, fin) \
                 SELECT 77, id, {}, {} FROM professionnels WHERE slug = 'claire-fontaine';",
                self.debut + 50 * 60,
                self.debut + 55 * 60
            ));
        }
        self.db.batch(statements).await
    }
}

#[test]
fn the_booking_batch_itself_refuses_a_time_that_became_busy_after_the_check() {
    let app = demo();
    let cible = slots(&app)[0].clone();
    let db = OccupeJusteAvant {
        db: &app.db,
        debut: instant(&cible).timestamp(),
        fait: Default::default(),
    };
    let avant = reservations(&app);
    let mut requete = Request::new(Method::Post, RESERVER);
    requete
        .headers
        .push(("content-type".into(), "application/json".into()));
    requete.body = coach_body(&cible).to_string().into_bytes();
    let r = app.send_over(&db, requete);
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "professionnel_occupe");
    assert!(json(&r)["title"].as_str().unwrap().contains("agenda"));
    assert_eq!(reservations(&app), avant);
    // Nothing of the batch stayed: no slot claimed at that time.
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM occupations WHERE tranche = {}",
            instant(&cible).timestamp()
        )),
        0
    );
}

#[test]
fn a_booking_cannot_be_moved_onto_an_externally_busy_time() {
    let app = demo();
    let (_, token) = claire(&app);
    let liste = slots(&app);
    let r = app.post_json(RESERVER, &coach_body(&liste[0]));
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    let cible = liste.last().unwrap().clone();
    let d = instant(&cible);
    app.http
        .document(PERSO, 200, &[], &ics(&[(d, d + Duration::minutes(5))]));
    assert_eq!(ajouter(&app, &token, PERSO).status, 201);
    let r = app.post_json(
        &format!("{RESERVER}/{}/deplacer", b["id"].as_str().unwrap()),
        &j!({ "token": b["token"], "debut": cible }),
    );
    assert_eq!(r.status, 409, "{}", r.text());
    let debut: i64 = app.db.scalar(&format!(
        "SELECT date_heure FROM reservations WHERE id = '{}'",
        b["id"].as_str().unwrap()
    ));
    assert_eq!(debut, instant(&liste[0]).timestamp());
}

fn erreur_apres_lecture(app: &TestApp, token: &str, url: &str) -> String {
    // One addition a minute.
    app.clock.advance(Duration::seconds(61));
    let r = ajouter(app, token, url);
    assert_eq!(r.status, 201, "{}", r.text());
    let id = json(&r)["id"].as_i64().unwrap();
    app.db
        .execute_script(&format!("DELETE FROM agendas_externes WHERE id = {id}"));
    json(&r)["erreur"].as_str().unwrap_or("").to_owned()
}

#[test]
fn each_failure_is_shown_in_french_and_keeps_nothing_it_should_not() {
    let app = demo();
    let (_, token) = claire(&app);
    let base = "https://calendrier.exemple.fr";
    app.http
        .document(&format!("{base}/absent.ics"), 404, &[], "");
    app.http.document_muet(&format!("{base}/lent.ics"));
    app.http.document(
        &format!("{base}/gros.ics"),
        200,
        &[],
        &"X".repeat(1024 * 1024 + 1),
    );
    app.http.document(
        &format!("{base}/page.ics"),
        200,
        &[],
        "<!DOCTYPE html><html>Connexion</html>",
    );
    app.http.document(
        &format!("{base}/vers-interne.ics"),
        302,
        &[("location", "http://169.254.169.254/latest/meta-data/")],
        "",
    );
    app.http.document(
        &format!("{base}/vers-localhost.ics"),
        301,
        &[("location", "https://localhost/x.ics")],
        "",
    );
    app.http.document(
        &format!("{base}/boucle.ics"),
        302,
        &[("location", "/boucle.ics")],
        "",
    );
    let cas = [
        ("absent.ics", "Adresse introuvable (404)."),
        ("lent.ics", "Délai dépassé (10 s)."),
        ("gros.ics", "Fichier trop volumineux (plus de 1 Mio)."),
        ("page.ics", "Ce n'est pas un calendrier iCalendar."),
        ("vers-interne.ics", "Redirection vers une adresse refusée."),
        (
            "vers-localhost.ics",
            "Redirection vers une adresse refusée.",
        ),
        ("boucle.ics", "Trop de redirections (plus de 3)."),
        ("inconnu.ics", "Serveur injoignable : vérifiez l'adresse."),
    ];
    for (fichier, message) in cas {
        assert_eq!(
            erreur_apres_lecture(&app, &token, &format!("{base}/{fichier}")),
            message,
            "{fichier}"
        );
    }
    // The refused redirects were never fetched.
    assert!(app.http.requests_to("169.254.169.254").is_empty());
    assert!(app.http.requests_to("localhost/x.ics").is_empty());
    // A loop stops after the first request and three redirects.
    assert_eq!(app.http.requests_to("/boucle.ics").len(), 4);
}

#[test]
fn a_redirect_to_a_public_host_is_followed_and_a_failure_keeps_the_last_intervals() {
    let app = demo();
    let (_, token) = claire(&app);
    let d = instant(&slots(&app)[0]);
    app.http.document(
        PERSO,
        301,
        &[("location", "https://cdn.exemple.fr/perso.ics")],
        "",
    );
    app.http.document(
        "https://cdn.exemple.fr/perso.ics",
        200,
        &[],
        &ics(&[(d, d + Duration::hours(1))]),
    );
    let r = ajouter(&app, &token, PERSO);
    assert_eq!(json(&r)["occupations"], 1, "{}", r.text());
    // The server fails later: the busy time stays, the failure is shown.
    app.http
        .document("https://cdn.exemple.fr/perso.ics", 500, &[], "");
    app.clock.advance(Duration::minutes(16));
    app.run_cron();
    let r = avec_bearer(&app, Method::Get, AGENDAS, &token, None);
    let a = &json(&r)["agendas"][0];
    assert_eq!(a["erreur"], "Le serveur a répondu 500.");
    assert_eq!(a["occupations"], 1);
    assert_eq!(stockees(&app), 1);
}

#[test]
fn the_scheduled_job_reads_with_a_conditional_get_and_a_304_keeps_the_intervals() {
    let app = demo();
    let (_, token) = claire(&app);
    let d = instant(&slots(&app)[0]);
    let corps = ics(&[
        (d, d + Duration::hours(1)),
        (
            d + Duration::days(1),
            d + Duration::days(1) + Duration::hours(2),
        ),
    ]);
    app.http.document(
        PERSO,
        200,
        &[
            ("etag", "\"v1\""),
            ("last-modified", "Tue, 24 Nov 2026 10:00:00 GMT"),
        ],
        &corps,
    );
    assert_eq!(ajouter(&app, &token, PERSO).status, 201);
    let premiere = app.http.requests_to(PERSO);
    assert!(!premiere[0]
        .headers
        .iter()
        .any(|(n, _)| n == "if-none-match"));

    // Not due yet: the job leaves it.
    app.clock.advance(Duration::minutes(5));
    app.run_cron();
    assert_eq!(app.http.requests_to(PERSO).len(), 1);

    app.http.document(PERSO, 304, &[], "");
    app.clock.advance(Duration::minutes(11));
    app.run_cron();
    let envoyees = app.http.requests_to(PERSO);
    assert_eq!(envoyees.len(), 2);
    let entetes = &envoyees[1].headers;
    assert!(entetes.contains(&("if-none-match".into(), "\"v1\"".into())));
    assert!(entetes.contains(&(
        "if-modified-since".into(),
        "Tue, 24 Nov 2026 10:00:00 GMT".into()
    )));
    assert_eq!(stockees(&app), 2);
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM agendas_externes WHERE erreur IS NULL"),
        1
    );

    // A day after the last file read, it is read in full again (the horizon moved).
    app.http
        .document(PERSO, 200, &[("etag", "\"v2\"")], &ics(&[]));
    app.clock.advance(Duration::days(1));
    app.run_cron();
    let envoyees = app.http.requests_to(PERSO);
    assert!(!envoyees[2]
        .headers
        .iter()
        .any(|(n, _)| n == "if-none-match"));
    assert_eq!(stockees(&app), 0);
}

#[test]
fn one_run_reads_a_bounded_number_of_calendars_least_recently_tried_first() {
    let app = demo();
    let pro_id = claire(&app).0;
    let n = booking_shared::cas::agendas::PAR_PASSAGE as i64 + 5;
    for i in 0..n {
        app.db.execute_script(&format!(
            "INSERT INTO agendas_externes (professionnel_id, url, tente_at, created_at) \
             VALUES ({pro_id}, 'https://c{i}.exemple.fr/a.ics', {}, 0);",
            if i == 0 {
                "NULL".to_owned()
            } else {
                (1_000 + i).to_string()
            }
        ));
        app.http.document(
            &format!("https://c{i}.exemple.fr/a.ics"),
            200,
            &[],
            &ics(&[]),
        );
    }
    app.run_cron();
    let lus = app.http.requests_to(".exemple.fr/a.ics");
    assert_eq!(
        lus.len() as i64,
        booking_shared::cas::agendas::PAR_PASSAGE as i64
    );
    assert_eq!(lus[0].url, "https://c0.exemple.fr/a.ics");
    assert!(lus
        .iter()
        .all(|r| !r.url.starts_with(&format!("https://c{}.", n - 1))));
    // Overlapping runs do not read a calendar twice.
    app.clock.advance(Duration::minutes(16));
    app.run_crons_at_once(3);
    let lus = app.http.requests_to(".exemple.fr/a.ics");
    let mut urls: Vec<&str> = lus.iter().map(|r| r.url.as_str()).collect();
    urls.sort();
    let total = urls.len();
    urls.dedup();
    assert_eq!(urls.len(), n as usize, "every calendar read");
    assert_eq!(total, 2 * n as usize - 5, "none twice in the same turn");
}

/// Claire's token, after she added an empty calendar at `PERSO`, and its id.
fn claire_avec_un_agenda(app: &TestApp) -> (String, i64) {
    let (_, token) = claire(app);
    app.http.document(PERSO, 200, &[], &ics(&[]));
    let r = ajouter(app, &token, PERSO);
    assert_eq!(r.status, 201, "{}", r.text());
    (token, json(&r)["id"].as_i64().unwrap())
}

#[test]
fn a_professional_cannot_touch_another_ones_calendars_nor_go_past_the_limits() {
    let app = demo();
    let (token, id) = claire_avec_un_agenda(&app);

    // Another professional of the demo.
    let autre = autre_pro(&app);
    for action in ["synchroniser", "supprimer"] {
        let r = avec_bearer(
            &app,
            Method::Post,
            &format!("{AGENDAS}/{id}/{action}"),
            &autre,
            None,
        );
        assert_eq!(r.status, 404, "{action}: {}", r.text());
        assert_eq!(json(&r)["code"], "agenda_introuvable");
    }
    let r = avec_bearer(&app, Method::Get, AGENDAS, &autre, None);
    assert_eq!(json(&r)["agendas"], j!([]));
    assert_eq!(app.db.scalar("SELECT count(*) FROM agendas_externes"), 1);
    // A client is not a professional.
    let c = client(&app, "curieux@exemple.fr");
    let r = ajouter(&app, &jeton(&app, c), PERSO);
    assert_eq!(r.status, 403);

    // "Synchroniser maintenant" at most once a minute.
    let sync = format!("{AGENDAS}/{id}/synchroniser");
    let r = avec_bearer(&app, Method::Post, &sync, &token, None);
    assert_eq!(r.status, 429, "{}", r.text());
    assert_eq!(json(&r)["code"], "synchronisation_recente");
    app.clock.advance(Duration::seconds(61));
    let r = avec_bearer(&app, Method::Post, &sync, &token, None);
    assert_eq!(r.status, 200, "{}", r.text());
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{AGENDAS}/abc/synchroniser"),
        &token,
        None,
    );
    assert_eq!(r.status, 404);
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{AGENDAS}/{id}/effacer"),
        &token,
        None,
    );
    assert_eq!(r.status, 404);
    assert_eq!(json(&r)["code"], "action_inconnue");
    assert_eq!(app.db.scalar("SELECT count(*) FROM agendas_externes"), 1);

    // The same address twice, then the limit.
    let r = ajouter(&app, &token, "webcal://calendrier.exemple.fr/perso.ics");
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "agenda_existant");
    for i in 1..5 {
        // One addition a minute (each reads the calendar at once).
        app.clock.advance(Duration::seconds(61));
        assert_eq!(
            ajouter(&app, &token, &format!("https://c{i}.exemple.fr/a.ics")).status,
            201
        );
    }
    app.clock.advance(Duration::seconds(61));
    let r = ajouter(&app, &token, "https://c9.exemple.fr/a.ics");
    assert_eq!(r.status, 409);
    assert_eq!(json(&r)["code"], "agendas_plafond");
    assert_eq!(app.db.scalar("SELECT count(*) FROM agendas_externes"), 5);
}

#[test]
fn addresses_that_could_reach_inside_are_refused_before_any_request() {
    let app = demo();
    let (_, token) = claire(&app);
    // The longest address allowed, which the `/` added when normalised takes past it.
    let tete = "https://calendrier.exemple.fr?";
    let longue = format!(
        "{tete}{}",
        "a".repeat(booking_shared::agendas::LONGUEUR_MAX - tete.len())
    );
    for url in [
        longue.as_str(),
        "http://calendrier.exemple.fr/a.ics",
        "https://127.0.0.1/a.ics",
        "https://2130706433/a.ics",
        "https://0x7f.1/a.ics",
        "https://[::1]/a.ics",
        "https://localhost/a.ics",
        "https://metadata.google.internal/a.ics",
        "https://moi:secret@exemple.fr/a.ics",
        "https://exemple.fr:8080/a.ics",
        "file:///etc/passwd",
        "",
    ] {
        let r = ajouter(&app, &token, url);
        assert_eq!(r.status, 422, "{url}: {}", r.text());
        assert_eq!(json(&r)["code"], "adresse_agenda_refusee", "{url}");
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
    }
    let r = avec_bearer(&app, Method::Post, AGENDAS, &token, Some(&j!({ "url": 3 })));
    assert_eq!(r.status, 422);
    let r = avec_bearer(
        &app,
        Method::Post,
        AGENDAS,
        &token,
        Some(&j!({ "url": PERSO, "x": 1 })),
    );
    assert_eq!(r.status, 422);
    assert!(app.http.sent.borrow().is_empty());
    assert_eq!(app.db.scalar("SELECT count(*) FROM agendas_externes"), 0);
}

#[test]
fn the_page_adds_lists_reads_and_removes_calendars_behind_csrf() {
    let app = demo();
    let (_, user_id) = pro(&app, "claire-fontaine");
    let mut nav = Navigateur::avec_session(&app, user_id);
    let page = format!("{COACH}/pro/agendas");
    let r = nav.get(&page);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Aucun agenda externe"));

    // A refused address comes back next to the field; nothing is stored.
    let r = nav.soumettre(&page, &page, &[("url", "https://192.168.1.10/cal.ics")]);
    assert_eq!(r.status, 422);
    let texte = r.text();
    assert!(texte.contains("id=\"url-erreur\""), "{texte}");
    assert!(texte.contains("pas une adresse IP"));
    assert!(texte.contains("value=\"https://192.168.1.10/cal.ics\""));
    assert_eq!(app.db.scalar("SELECT count(*) FROM agendas_externes"), 0);

    let google =
        "https://calendar.google.com/calendar/ical/claire%40gmail.com/private-0123abcd/basic.ics";
    app.http.document(
        google,
        200,
        &[],
        &ics(&[(
            instant("2026-11-27T08:00:00Z"),
            instant("2026-11-27T09:00:00Z"),
        )]),
    );
    let r = nav.soumettre(&page, &page, &[("url", google)]);
    assert_eq!(r.status, 303, "{}", r.text());
    let r = nav.get(&page);
    let texte = r.text();
    assert!(
        texte.contains("<strong>calendar.google.com</strong>"),
        "{texte}"
    );
    assert!(
        !texte.contains("private-0123abcd") && !texte.contains("basic.ics"),
        "nothing of the secret address is shown again"
    );
    assert!(texte.contains("1 période occupée"));
    assert!(texte.contains("Dernière lecture : "));

    // The server fails: the page says why, in French.
    let id = app.db.scalar("SELECT id FROM agendas_externes");
    app.http.document(google, 404, &[], "");
    app.clock.advance(Duration::minutes(2));
    let action = format!("{COACH}/pro/agendas/{id}/synchroniser");
    let r = nav.soumettre(&page, &action, &[]);
    assert_eq!(r.status, 303);
    let texte = nav.get(&page).text();
    assert!(texte.contains("Adresse introuvable (404)."), "{texte}");
    // Again at once: refused, said on the page.
    let r = nav.soumettre(&page, &action, &[]);
    assert_eq!(r.status, 429);
    assert!(r.text().contains("réessayez dans une minute"));

    // Without the CSRF token: refused, nothing removed.
    let r = nav.post(
        &format!("{COACH}/pro/agendas/{id}/supprimer"),
        &[("csrf", "faux")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(app.db.scalar("SELECT count(*) FROM agendas_externes"), 1);
    let r = nav.soumettre(&page, &format!("{COACH}/pro/agendas/{id}/supprimer"), &[]);
    assert_eq!(r.status, 303);
    assert_eq!(app.db.scalar("SELECT count(*) FROM agendas_externes"), 0);
}

/// A file with an hour at `d` and an hour starting in the horizon's last (partial)
/// second from the clock's time.
fn au_bord_de_l_horizon(app: &TestApp, d: DateTime<Utc>) -> String {
    let maintenant = booking_shared::ports::Clock::now(&app.clock);
    let horizon = maintenant + Duration::days(booking_shared::cas::agendas::HORIZON_JOURS);
    let seconde = DateTime::from_timestamp(horizon.timestamp(), 0).unwrap();
    assert!(seconde < horizon);
    ics(&[
        (d, d + Duration::hours(1)),
        (seconde, seconde + Duration::hours(1)),
    ])
}

#[test]
fn an_event_ending_within_the_horizons_last_second_neither_fails_the_add_nor_the_run() {
    let app = demo();
    let (pro_id, token) = claire(&app);
    let d = instant(&slots(&app)[0]);
    // A clock between two seconds: the horizon too.
    app.clock.advance(Duration::milliseconds(500));
    app.http
        .document(PERSO, 200, &[], &au_bord_de_l_horizon(&app, d));
    let r = ajouter(&app, &token, PERSO);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(json(&r)["occupations"], 1);

    // Two calendars due: both are read by the same run.
    let autre = "https://autre.exemple.fr/a.ics";
    app.db.execute_script(&format!(
        "INSERT INTO agendas_externes (professionnel_id, url, tente_at, created_at) \
         VALUES ({pro_id}, '{autre}', NULL, 0);"
    ));
    app.clock.advance(Duration::minutes(16));
    let corps = au_bord_de_l_horizon(&app, d);
    app.http.document(PERSO, 200, &[("etag", "\"v2\"")], &corps);
    app.http.document(autre, 200, &[], &corps);
    app.run_cron();
    assert_eq!(app.http.requests_to(autre).len(), 1);
    assert_eq!(app.http.requests_to(PERSO).len(), 2);
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM agendas_externes WHERE erreur IS NULL AND lu_at IS NOT NULL"
        ),
        2
    );
    assert_eq!(stockees(&app), 2);
}

#[test]
fn removing_and_adding_again_does_not_read_a_calendar_more_than_once_a_minute() {
    let app = demo();
    let (token, id) = claire_avec_un_agenda(&app);
    retirer(&app, &token, id);

    // Added again at once, or another address: refused before any request.
    for url in [PERSO, "https://autre.exemple.fr/a.ics"] {
        let r = ajouter(&app, &token, url);
        assert_eq!(r.status, 429, "{}", r.text());
        assert_eq!(json(&r)["code"], "ajout_agenda_recent");
        assert!(json(&r)["title"]
            .as_str()
            .unwrap()
            .contains("réessayez dans une minute"));
    }
    assert_eq!(app.http.requests_to(PERSO).len(), 1);
    assert_eq!(app.http.requests_to("autre.exemple.fr").len(), 0);
    assert_eq!(app.db.scalar("SELECT count(*) FROM agendas_externes"), 0);

    // Another professional is not held back.
    assert_eq!(ajouter(&app, &autre_pro(&app), PERSO).status, 201);

    // A minute later, it goes through.
    app.clock.advance(Duration::seconds(61));
    assert_eq!(ajouter(&app, &token, PERSO).status, 201);
    assert_eq!(app.http.requests_to(PERSO).len(), 3);
}

#[test]
fn a_time_zone_not_known_is_shown_on_the_calendar_rather_than_guessed() {
    let app = demo();
    let (_, token) = claire(&app);
    let d = slots(&app)[0].clone();
    let local = instant(&d).format("%Y%m%dT%H%M%S");
    app.http.document(
        PERSO,
        200,
        &[],
        &format!(
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:z\r\nDTSTART;TZID=Customized Time Zone:{local}\r\nDURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        ),
    );
    let r = ajouter(&app, &token, PERSO);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        json(&r)["erreur"],
        "Fuseau horaire inconnu : Customized Time Zone."
    );
    assert_eq!(json(&r)["occupations"], 0);
}

#[test]
fn a_files_own_zone_is_read_and_what_is_not_taken_into_account_is_shown_on_the_calendar() {
    let app = demo();
    let (pro_id, token) = claire(&app);
    let cible = slots(&app)[1].clone();
    let d = instant(&cible);
    // Outlook's own zone for Paris, and a rule this reader does not expand.
    let local = d
        .with_timezone(&chrono_tz::Europe::Paris)
        .format("%Y%m%dT%H%M%S");
    let zone = "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";
    let fichier = |regle: &str| {
        format!(
            "BEGIN:VCALENDAR\r\n{zone}BEGIN:VEVENT\r\nUID:z\r\nDTSTART;TZID=Customized Time Zone:{local}\r\nDURATION:PT10M\r\n{regle}END:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    };
    app.http.document(
        PERSO,
        200,
        &[],
        &fichier("RRULE:FREQ=YEARLY;BYWEEKNO=1,20\r\n"),
    );
    let r = ajouter(&app, &token, PERSO);
    assert_eq!(r.status, 201, "{}", r.text());
    let agenda = json(&r);
    assert_eq!(agenda["erreur"], serde_json::Value::Null, "{agenda}");
    assert_eq!(agenda["occupations"], 1);
    assert_eq!(
        agenda["avertissement"],
        "Répétitions non prises en compte (BYWEEKNO) : les événements concernés ne comptent comme occupés qu'à leur première date."
    );
    assert!(!slots(&app).contains(&cible), "read at its time in Paris");
    let user_id: i64 = app.db.scalar(&format!(
        "SELECT user_id FROM professionnels WHERE id = {pro_id}"
    ));
    let mut nav = Navigateur::avec_session(&app, user_id);
    let texte = nav.get(&format!("{COACH}/pro/agendas")).text();
    assert!(texte.contains("non prises en compte (BYWEEKNO)"), "{texte}");

    // The file fixed: the next read says nothing more.
    app.http.document(PERSO, 200, &[], &fichier(""));
    app.clock.advance(Duration::minutes(20));
    app.run_cron();
    let r = avec_bearer(&app, Method::Get, AGENDAS, &token, None);
    assert_eq!(
        json(&r)["agendas"][0]["avertissement"],
        serde_json::Value::Null,
        "{}",
        r.text()
    );
    assert_eq!(json(&r)["agendas"][0]["occupations"], 1);
}

#[test]
fn past_the_periods_kept_the_rest_of_the_horizon_is_busy_and_the_card_says_so() {
    let app = demo();
    let (pro_id, token) = claire(&app);
    let d = instant(&slots(&app)[0]);
    // 2,500 separate minutes from the first slot on.
    let minutes: Vec<_> = (0..2_500)
        .map(|i| {
            let debut = d + Duration::minutes(2 * i);
            (debut, debut + Duration::minutes(1))
        })
        .collect();
    app.http.document(PERSO, 200, &[], &ics(&minutes));
    let r = ajouter(&app, &token, PERSO);
    assert_eq!(r.status, 201, "{}", r.text());
    let max = booking_shared::agendas::OCCUPATIONS_MAX as i64;
    assert_eq!(json(&r)["occupations"], max);
    let avertissement = json(&r)["avertissement"].as_str().unwrap().to_owned();
    assert!(
        avertissement.contains("compté comme occupé"),
        "{avertissement}"
    );
    // The last period runs from the first one not kept to the horizon.
    let fin: i64 = app.db.scalar("SELECT max(fin) FROM occupations_externes");
    let maintenant = booking_shared::ports::Clock::now(&app.clock);
    assert!(fin >= (maintenant + Duration::days(365)).timestamp());
    let coupure: i64 = app.db.scalar("SELECT max(debut) FROM occupations_externes");
    assert_eq!(coupure, (d + Duration::minutes(2 * (max - 1))).timestamp());
    assert!(slots(&app)
        .iter()
        .all(|s| instant(s).timestamp() + 3600 <= d.timestamp()
            || instant(s) >= d + Duration::minutes(5_000)));

    let user_id: i64 = app.db.scalar(&format!(
        "SELECT user_id FROM professionnels WHERE id = {pro_id}"
    ));
    let mut nav = Navigateur::avec_session(&app, user_id);
    let texte = nav.get(&format!("{COACH}/pro/agendas")).text();
    assert!(
        texte.contains("seules les 2 000 premières périodes"),
        "{texte}"
    );
}

#[test]
fn a_calendar_just_added_is_not_claimed_by_the_scheduled_job_before_its_first_read() {
    let app = demo();
    let pro_id = claire(&app).0;
    let maintenant = booking_shared::ports::Clock::now(&app.clock);
    let ajout = futures::executor::block_on(booking_shared::store::agendas::ajouter(
        &app.db, pro_id, PERSO, 5, maintenant,
    ))
    .unwrap();
    assert!(matches!(
        ajout,
        booking_shared::store::agendas::Ajout::Ajoute(_)
    ));
    let avant = maintenant - Duration::minutes(booking_shared::cas::agendas::FRAICHEUR_MINUTES);
    let reclames = futures::executor::block_on(booking_shared::store::agendas::reclamer_dus(
        &app.db, maintenant, avant, 20,
    ))
    .unwrap();
    assert!(reclames.is_empty(), "{reclames:?}");
}

#[test]
fn a_calendar_that_takes_the_next_free_slot_moves_it_at_once_and_gives_it_back_when_removed() {
    let app = demo();
    let (pro_id, token) = claire(&app);
    let stockee = || {
        let sql = format!(
            "SELECT coalesce(prochaine_dispo, 0) * 10 + (dispo_revoir_a > 0) \
             FROM professionnels WHERE id = {pro_id}"
        );
        let valeur = app.db.scalar(&sql);
        // The stored start, and whether it is current (not left stale).
        (valeur / 10, valeur % 10 == 1)
    };
    let (avant, a_jour) = stockee();
    assert!(avant > 0 && a_jour, "{avant}");
    let debut = DateTime::from_timestamp(avant, 0).unwrap();
    app.http.document(
        PERSO,
        200,
        &[],
        &ics(&[(debut, debut + Duration::minutes(30))]),
    );
    let r = ajouter(&app, &token, PERSO);
    assert_eq!(r.status, 201, "{}", r.text());
    let (pendant, a_jour) = stockee();
    assert!(pendant > avant && a_jour, "{pendant} after {avant}");
    // The same busy time read again leaves it as it is (nothing marked stale).
    let version = || {
        app.db.scalar(&format!(
            "SELECT dispo_version FROM professionnels WHERE id = {pro_id}"
        ))
    };
    let v = version();
    app.clock.advance(Duration::minutes(10));
    let id = json(&r)["id"].as_i64().unwrap();
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{AGENDAS}/{id}/synchroniser"),
        &token,
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(version(), v);
    assert_eq!(stockee(), (pendant, true));
    // Removed, the calendar's busy time goes, and the slot comes back.
    retirer(&app, &token, id);
    assert_eq!(stockee(), (avant, true));
}
