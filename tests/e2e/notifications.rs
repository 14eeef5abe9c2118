//! E-mails through the real Worker: the scheduled job triggered by wrangler dev's
//! `/__scheduled` endpoint sends the outbox to the mail sink (local-dev/standins/mail.py).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use booking_tests::wrangler::{server, source_unique};
use serde_json::{json, Value};

const HOST: &str = "coach.localhost";
const SLUG: &str = "claire-fontaine";
const SERVICE: i64 = 1012;

/// These tests change the mail sink's failure switch: one at a time (and the accounts'
/// tests that wait for an e-mail hold it too).
pub(crate) static SEQUENTIEL: Mutex<()> = Mutex::new(());

pub(crate) fn unique_email(tag: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{tag}-{}-{nanos}@exemple.fr", std::process::id())
}

fn slots(offset_days: i64) -> Vec<String> {
    let du = chrono::Utc::now().date_naive() + chrono::Duration::days(offset_days);
    let au = du + chrono::Duration::days(6);
    let r = server()
        .get(
            HOST,
            &format!("/api/v1/professionnels/{SLUG}/creneaux?service={SERVICE}&du={du}&au={au}"),
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["creneaux"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["debut"].as_str().unwrap().to_owned())
        .collect()
}

/// Books a free slot (trying the next ones if another test took it) as a guest, and
/// confirms the request from the e-mail's link as its client does.
pub(crate) fn book(email: &str, offset_days: i64) -> Value {
    for debut in slots(offset_days).iter().rev().take(20) {
        let body = json!({
            "professionnel": SLUG, "service": SERVICE, "debut": debut,
            "nom": "Camille Notif", "email": email, "telephone": "06 12 34 56 78",
            "reponses": { "objectif": "Courir un 10 km", "format": "presentiel" }
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
        if r.status == 201 {
            let b = r.json();
            server().confirm_from_email(HOST, b["id"].as_str().unwrap());
            return b;
        }
        assert_eq!(r.status, 409, "{}", r.text());
    }
    panic!("no free slot to book");
}

pub(crate) fn scheduled() {
    let r = server()
        .get("localhost", "/__scheduled?cron=*/5+*+*+*+*")
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
}

fn messages_to(email: &str) -> Vec<Value> {
    let r = server().mail("GET", "/_test/messages", b"").unwrap();
    assert_eq!(r.status, 200);
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| {
            m["to"]
                .as_array()
                .is_some_and(|to| to.iter().any(|t| t == email))
        })
        .cloned()
        .collect()
}

/// Waits for the messages to `email` whose idempotency key starts with `key`.
pub(crate) fn wait_for(email: &str, key: &str, count: usize) -> Vec<Value> {
    let started = Instant::now();
    loop {
        let found: Vec<Value> = messages_to(email)
            .into_iter()
            .filter(|m| {
                m["idempotency_key"]
                    .as_str()
                    .is_some_and(|k| k.starts_with(key))
            })
            .collect();
        if found.len() >= count || started.elapsed() > Duration::from_secs(20) {
            return found;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// The unfolded properties of an `.ics`, after checking its line format.
fn ics(message: &Value) -> Vec<(String, String)> {
    let a = &message["attachments"][0];
    assert!(a["content_type"]
        .as_str()
        .unwrap()
        .starts_with("text/calendar"));
    let text = a["content"].as_str().unwrap();
    for line in text.split("\r\n") {
        assert!(line.len() <= 75 && !line.contains('\n'), "{line:?}");
    }
    text.replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (k, v) = l.split_once(':').unwrap();
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

fn prop<'a>(lines: &'a [(String, String)], name: &str) -> &'a str {
    let event = lines
        .iter()
        .position(|(k, v)| k == "BEGIN" && v == "VEVENT")
        .unwrap_or(0);
    lines[event..]
        .iter()
        .find(|(k, _)| k.split(';').next() == Some(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {name}"))
}

fn local(b: &Value) -> String {
    chrono::DateTime::parse_from_rfc3339(b["debut"].as_str().unwrap())
        .unwrap()
        .format("%Y%m%dT%H%M%S")
        .to_string()
}

#[test]
fn the_scheduled_job_sends_the_confirmation_and_a_move_updates_the_same_calendar_event() {
    let _one = SEQUENTIEL.lock().unwrap_or_else(|e| e.into_inner());
    let email = unique_email("deplacement");
    let b = book(&email, 3);
    let id = b["id"].as_str().unwrap();
    scheduled();
    let confirmations = wait_for(&email, &format!("confirmation:{id}"), 1);
    assert_eq!(confirmations.len(), 1, "{:#?}", messages_to(&email));
    let c = &confirmations[0];
    assert!(c["subject"]
        .as_str()
        .unwrap()
        .starts_with("Rendez-vous confirmé"));
    assert!(c["html"].as_str().unwrap().contains("Coachs"));
    assert!(c["text"].as_str().unwrap().contains(&format!(
        "/reservations/{id}?token={}",
        b["token"].as_str().unwrap()
    )));
    let first = ics(c);
    assert_eq!(prop(&first, "UID"), format!("{id}@booking-multisite"));
    assert_eq!(prop(&first, "SEQUENCE"), "0");
    assert_eq!(prop(&first, "DTSTART"), local(&b));

    let nouveau = slots(5)
        .into_iter()
        .find(|d| d != b["debut"].as_str().unwrap())
        .unwrap();
    let r = server()
        .post(
            HOST,
            &format!("/api/v1/reservations/{id}/deplacer"),
            "application/json",
            json!({ "token": b["token"], "debut": nouveau })
                .to_string()
                .as_bytes(),
        )
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    let moved = r.json();
    scheduled();
    let moves = wait_for(&email, &format!("deplacement:{id}:"), 1);
    assert_eq!(moves.len(), 1);
    let second = ics(&moves[0]);
    assert_eq!(prop(&second, "UID"), format!("{id}@booking-multisite"));
    assert_eq!(prop(&second, "SEQUENCE"), "1");
    assert_eq!(prop(&second, "DTSTART"), local(&moved));
    // The reminders followed the booking.
    let debut = chrono::DateTime::parse_from_rfc3339(moved["debut"].as_str().unwrap())
        .unwrap()
        .timestamp();
    assert_eq!(
        server().d1_scalar(&format!(
            "SELECT count(*) FROM outbox WHERE reservation_id = '{id}' AND kind = 'rappel' \
             AND statut = 'a_envoyer' AND cle LIKE '%:{debut}'"
        )),
        2
    );
    assert_eq!(
        server().d1_scalar(&format!(
            "SELECT count(*) FROM outbox WHERE reservation_id = '{id}' AND kind = 'rappel' \
             AND statut = 'a_envoyer' AND cle NOT LIKE '%:{debut}'"
        )),
        0
    );
}

#[test]
fn two_scheduled_runs_at_once_send_each_email_once() {
    let _one = SEQUENTIEL.lock().unwrap_or_else(|e| e.into_inner());
    let email = unique_email("concurrence");
    let b = book(&email, 4);
    let id = b["id"].as_str().unwrap();
    let barrier = std::sync::Barrier::new(2);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                barrier.wait();
                scheduled();
            });
        }
    });
    scheduled();
    let confirmations = wait_for(&email, &format!("confirmation:{id}"), 1);
    std::thread::sleep(Duration::from_millis(500));
    // Besides the request to confirm, sent before: the confirmation, once.
    let apres: Vec<Value> = messages_to(&email)
        .into_iter()
        .filter(|m| m["idempotency_key"] != format!("demande_confirmation:{id}"))
        .collect();
    assert_eq!(apres.len(), 1, "{apres:#?}");
    assert_eq!(confirmations.len(), 1);
    assert_eq!(
        server().d1_scalar(&format!(
            "SELECT tentatives FROM outbox WHERE cle = 'confirmation:{id}' AND statut = 'envoye'"
        )),
        1,
        "one attempt, by one run"
    );
}

#[test]
fn the_mail_api_failing_leaves_the_email_queued_with_its_error_for_a_later_run() {
    let _one = SEQUENTIEL.lock().unwrap_or_else(|e| e.into_inner());
    let email = unique_email("panne");
    let b = book(&email, 6);
    let id = b["id"].as_str().unwrap();
    let fail = server()
        .mail(
            "POST",
            "/_test/fail-next",
            br#"{"count": 1000, "status": 500}"#,
        )
        .unwrap();
    assert_eq!(fail.status, 200);
    scheduled();
    let restore = server()
        .mail(
            "POST",
            "/_test/fail-next",
            br#"{"count": 0, "status": 500}"#,
        )
        .unwrap();
    assert_eq!(restore.status, 200);
    let cle = format!("confirmation:{id}");
    let recus = |cle: &str| {
        messages_to(&email)
            .into_iter()
            .filter(|m| m["idempotency_key"] == cle)
            .count()
    };
    assert_eq!(recus(&cle), 0);
    assert_eq!(
        server().d1_scalar(&format!(
            "SELECT count(*) FROM outbox WHERE cle = '{cle}' AND statut = 'a_envoyer' \
             AND tentatives = 1 AND derniere_erreur LIKE 'HTTP 500%' AND reclame_par IS NULL"
        )),
        1,
        "kept, with its error, for the next try"
    );
    // Retried 5 minutes later: not before.
    assert!(
        server().d1_scalar(&format!(
            "SELECT envoyer_a - unixepoch() FROM outbox WHERE cle = '{cle}'"
        )) > 200
    );
    scheduled();
    assert_eq!(recus(&cle), 0, "not retried before its time");
}
