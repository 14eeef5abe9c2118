//! External calendars on workerd: the real `fetch` (redirects not followed, body read as
//! a stream, a delay) reads a calendar served by the local stand-in, from the
//! professional's API and from the scheduled job (`/__scheduled`); the busy time never
//! appears as a slot and a booking on it is refused.

use booking_tests::wrangler::{server, source_unique, HttpResponse};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

const HOST: &str = "coach.localhost";

fn requete(method: &str, path: &str, body: Option<&Value>, token: Option<&str>) -> HttpResponse {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("content-type", "application/json")];
    if let Some(a) = auth.as_deref() {
        headers.push(("authorization", a));
    }
    let corps = body.map(Value::to_string).unwrap_or_default();
    server()
        .request(method, HOST, path, &headers, corps.as_bytes())
        .expect("an answer")
}

fn connexion(email: &str) -> String {
    let r = requete(
        "POST",
        "/api/v1/sessions",
        Some(&json!({ "email": email, "mot_de_passe": booking_tests::demo::MOT_DE_PASSE })),
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["token"].as_str().expect("a token").to_owned()
}

fn premier_service(slug: &str) -> i64 {
    let r = requete("GET", &format!("/api/v1/professionnels/{slug}"), None, None);
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["services"][0]["id"].as_i64().expect("a service")
}

fn creneaux(slug: &str, service: i64) -> Vec<String> {
    let du = Utc::now().date_naive() + Duration::days(2);
    let au = du + Duration::days(6);
    let r = requete(
        "GET",
        &format!("/api/v1/professionnels/{slug}/creneaux?service={service}&du={du}&au={au}"),
        None,
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["creneaux"]
        .as_array()
        .expect("slots")
        .iter()
        .map(|c| c["debut"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn instant(iso: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(iso)
        .expect("an ISO 8601 start")
        .with_timezone(&Utc)
}

#[test]
fn an_externally_busy_time_is_never_offered_and_a_booking_on_it_is_refused() {
    let slug = "elodie-garnier";
    let service = premier_service(slug);
    let avant = creneaux(slug, service);
    let cible = avant.get(2).expect("free slots").clone();
    let debut = instant(&cible);
    let ics = format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:e2e@test\r\nDTSTART:{}\r\nDTEND:{}\r\nSUMMARY:Occupé\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        (debut + Duration::minutes(10)).format("%Y%m%dT%H%M%SZ"),
        (debut + Duration::minutes(20)).format("%Y%m%dT%H%M%SZ"),
    );
    let r = server()
        .agendas("PUT", "/e2e/elodie.ics", ics.as_bytes())
        .expect("the stand-in answers");
    assert_eq!(r.status, 204);

    let token = connexion("elodie.garnier@exemple.fr");
    let url = format!("http://127.0.0.1:{}/e2e/elodie.ics", server().agendas_port);
    let r = requete(
        "POST",
        "/api/v1/pro/agendas",
        Some(&json!({ "url": url })),
        Some(&token),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["occupations"], 1, "{}", r.text());
    assert_eq!(r.json()["erreur"], Value::Null);

    let apres = creneaux(slug, service);
    assert!(!apres.contains(&cible), "{cible} is still offered");

    let reservation = json!({
        "professionnel": slug, "service": service, "debut": cible,
        "nom": "Client Agenda", "email": "client.agenda@exemple.fr", "telephone": "06 12 34 56 78",
        "reponses": { "objectif": "Reprendre le sport", "format": "presentiel" }
    });
    let r = server()
        .post_from(
            HOST,
            "/api/v1/reservations",
            "application/json",
            reservation.to_string().as_bytes(),
            &source_unique(),
        )
        .expect("an answer");
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(r.json()["code"], "creneau_indisponible");

    // "Synchroniser maintenant" within the minute is refused; the calendar was fetched
    // once, by the Worker.
    let id = requete("GET", "/api/v1/pro/agendas", None, Some(&token)).json()["agendas"][0]["id"]
        .as_i64()
        .expect("the calendar");
    let r = requete(
        "POST",
        &format!("/api/v1/pro/agendas/{id}/synchroniser"),
        None,
        Some(&token),
    );
    assert_eq!(r.status, 429, "{}", r.text());
    let vues = server()
        .agendas("GET", "/_test/requetes", b"")
        .expect("the stand-in answers")
        .json();
    let lectures = vues
        .as_array()
        .expect("a list")
        .iter()
        .filter(|r| r["chemin"] == "/e2e/elodie.ics")
        .count();
    assert_eq!(lectures, 1);
}

/// Marks the demo coach's calendar as due (never tried) with a sentinel in place of its
/// last outcome, so that the next scheduled run reads it, and that read's outcome can be
/// told from any earlier one.
const EN_ATTENTE: &str = "lecture e2e attendue";

fn marquer_du(qui: &str) {
    let marques = server().d1_execute(&format!(
        "UPDATE agendas_externes SET tente_at = NULL, erreur = '{EN_ATTENTE}' \
         WHERE professionnel_id = (SELECT id FROM professionnels WHERE slug = '{qui}')"
    ));
    assert_eq!(marques, 1);
}

/// The calendar once a read after the mark recorded its outcome (a concurrent run of
/// another test may be the one that read it), waiting up to 30 s.
fn apres_lecture(token: &str) -> Value {
    let debut = std::time::Instant::now();
    loop {
        let r = requete("GET", "/api/v1/pro/agendas", None, Some(token));
        assert_eq!(r.status, 200, "{}", r.text());
        let agenda = r.json()["agendas"][0].clone();
        if agenda["erreur"] != EN_ATTENTE {
            return agenda;
        }
        assert!(
            debut.elapsed() < std::time::Duration::from_secs(30),
            "never read: {agenda}"
        );
        std::thread::sleep(std::time::Duration::from_millis(250));
        server().scheduled();
    }
}

#[test]
fn the_scheduled_job_reads_the_demo_calendar_through_the_workers_fetch() {
    // The second demo coach has a calendar at the stand-in (weekly, one-off and
    // whole-day events, one cancelled and one free). Any scheduled run of the suite may
    // have read it first, and a read's failure stays for 15 minutes (the job does not try
    // again sooner): this test asks for a read of its own. On a machine loaded enough for
    // one read to pass its 10 s delay, a fresh read is asked again, twice at most; any
    // other outcome fails at once.
    let token = connexion("julien.morel@exemple.fr");
    let mut agenda = Value::Null;
    for _ in 0..3 {
        marquer_du("julien-morel");
        server().scheduled();
        agenda = apres_lecture(&token);
        if agenda["erreur"] != "Délai dépassé (10 s)." {
            break;
        }
    }
    assert_eq!(agenda["erreur"], Value::Null, "{agenda}");
    assert!(agenda["lu_at"].is_string(), "{agenda}");
    assert!(agenda["tente_at"].is_string(), "{agenda}");
    // 52 or 53 Tuesdays in a year, the one-off and the whole day (which may hold a
    // Tuesday: merged).
    assert!(
        agenda["occupations"].as_i64().unwrap_or(0) >= 53,
        "{agenda}"
    );
    // Read through the Worker's fetch: the stand-in saw it.
    let vues = server()
        .agendas("GET", "/_test/requetes", b"")
        .expect("the stand-in answers")
        .json();
    assert!(
        vues.as_array().expect("a list").iter().any(|r| r["chemin"]
            .as_str()
            .is_some_and(|c| c.starts_with("/demo/"))),
        "{vues}"
    );
}
