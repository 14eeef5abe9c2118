//! E-mails and reminders: the outbox written with each booking change, and the scheduled
//! job that sends it — at most once, never lost, reminders following the booking.

use std::collections::HashMap;

use booking_functions::app::Ctx;
use booking_functions::random::OsRandom;
use booking_shared::cas::cron::MAX_TENTATIVES;
use booking_shared::cas::reservations::Dossier;
use booking_shared::ports::Clock;
use booking_shared::store::{outbox, professionnels, reservations, services, Db};
use booking_tests::{json, TestApp};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json as j, Value};

use crate::api_reservations::{coach_body, RESERVER};

// ---------------------------------------------------------------------------------------
// Helpers

/// A free slot of Claire Fontaine's 60-minute session on a given day (far enough ahead
/// for both of coach's reminders, 24 h and 2 h before).
pub fn slot_on(app: &TestApp, day: &str) -> String {
    app.creneaux("coach.localhost", "claire-fontaine", 1012, day, day)
        .into_iter()
        .next()
        .expect("a free slot that day")
        .0
}

/// A guest's booking on a day, confirmed from the e-mail as its client does; returns the
/// answer to the booking (with the manage link's secret). The mail API's record is then
/// cleared, so that a test sees what follows the confirmation only.
pub fn book_on(app: &TestApp, day: &str) -> Value {
    let r = app.post_json(RESERVER, &coach_body(&slot_on(app, day)));
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    app.confirm_from_email(b["id"].as_str().unwrap());
    app.http.sent.borrow_mut().clear();
    b
}

pub fn instant(b: &Value, field: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(b[field].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc)
}

#[derive(Debug, Clone)]
pub struct Row {
    pub cle: String,
    pub kind: String,
    pub destinataire: String,
    pub statut: String,
    pub envoyer_a: i64,
    pub tentatives: i64,
    pub derniere_erreur: Option<String>,
    pub donnees: Value,
}

pub fn outbox_rows(app: &TestApp) -> Vec<Row> {
    let rows = futures::executor::block_on(app.db.query(booking_shared::store::Statement::new(
        "SELECT cle, kind, destinataire, statut, envoyer_a, tentatives, derniere_erreur, donnees \
         FROM outbox ORDER BY id",
    )))
    .unwrap();
    rows.into_iter()
        .map(|r| Row {
            cle: r["cle"].as_str().unwrap().to_owned(),
            kind: r["kind"].as_str().unwrap().to_owned(),
            destinataire: r["destinataire"].as_str().unwrap().to_owned(),
            statut: r["statut"].as_str().unwrap().to_owned(),
            envoyer_a: r["envoyer_a"].as_i64().unwrap(),
            tentatives: r["tentatives"].as_i64().unwrap(),
            derniere_erreur: r["derniere_erreur"].as_str().map(str::to_owned),
            donnees: serde_json::from_str(r["donnees"].as_str().unwrap()).unwrap(),
        })
        .collect()
}

fn row<'a>(rows: &'a [Row], prefix: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.cle.starts_with(prefix))
        .unwrap_or_else(|| panic!("no row {prefix}: {rows:#?}"))
}

/// A message the mail API received, its JSON body and headers.
#[derive(Debug, Clone)]
pub struct Sent {
    pub headers: HashMap<String, String>,
    pub body: Value,
}

impl Sent {
    pub fn subject(&self) -> &str {
        self.body["subject"].as_str().unwrap_or("")
    }

    pub fn to(&self) -> &str {
        self.body["to"][0].as_str().unwrap_or("")
    }

    /// The `.ics` attachment, decoded and unfolded into (name with params, value) lines.
    pub fn ics(&self) -> Option<Ics> {
        let a = self.body["attachments"].as_array()?.first()?;
        assert!(a["content_type"]
            .as_str()
            .unwrap()
            .starts_with("text/calendar"));
        let raw = decode_base64(a["content"].as_str().unwrap());
        Some(Ics::parse(&String::from_utf8(raw).unwrap()))
    }
}

pub fn sent(app: &TestApp) -> Vec<Sent> {
    app.http
        .requests_to("/emails")
        .into_iter()
        .map(|r| Sent {
            headers: r
                .headers
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
                .collect(),
            body: serde_json::from_slice(&r.body).unwrap(),
        })
        .collect()
}

pub fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let bytes: Vec<u8> = text.bytes().filter(|b| *b != b'=').collect();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c) << (18 - 6 * i);
        }
        for i in 0..chunk.len().saturating_sub(1) {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

/// A minimal RFC 5545 reader: checks the line format and gives the properties back.
#[derive(Debug, Clone)]
pub struct Ics {
    pub lines: Vec<(String, String)>,
}

impl Ics {
    pub fn parse(text: &str) -> Ics {
        assert!(text.ends_with("\r\n"), "CRLF at the end");
        for physical in text.split("\r\n") {
            assert!(!physical.contains('\n'), "bare LF in {physical:?}");
            assert!(physical.len() <= 75, "line over 75 octets: {physical:?}");
        }
        let unfolded = text.replace("\r\n ", "");
        let lines: Vec<(String, String)> = unfolded
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (name, value) = l.split_once(':').expect("name:value");
                (name.to_owned(), value.to_owned())
            })
            .collect();
        assert_eq!(lines.first().unwrap().0, "BEGIN");
        assert_eq!(lines.first().unwrap().1, "VCALENDAR");
        assert_eq!(lines.last().unwrap().1, "VCALENDAR");
        Ics { lines }
    }

    /// The properties of the event (VEVENT), then of the calendar: the value of the first
    /// one with this name (parameters left out).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.find(name).map(|(_, v)| v.as_str())
    }

    /// The name of the property with its parameters, e.g. `DTSTART;TZID=Europe/Paris`.
    pub fn name_with_params(&self, name: &str) -> Option<&str> {
        self.find(name).map(|(n, _)| n.as_str())
    }

    fn find(&self, name: &str) -> Option<&(String, String)> {
        let event = self
            .lines
            .iter()
            .position(|(n, v)| n == "BEGIN" && v == "VEVENT")
            .unwrap_or(0);
        let matches = |(n, _): &&(String, String)| n.split(';').next() == Some(name);
        self.lines[event..]
            .iter()
            .find(matches)
            .or_else(|| self.lines.iter().find(matches))
    }
}

/// The professional's wall-clock time of an API instant (given with its Paris offset),
/// as ICS writes it.
pub fn paris(b: &Value, field: &str) -> String {
    DateTime::parse_from_rfc3339(b[field].as_str().unwrap())
        .unwrap()
        .format("%Y%m%dT%H%M%S")
        .to_string()
}

fn with_ctx<T>(app: &TestApp, f: impl FnOnce(&Ctx<'_>) -> T) -> T {
    let ctx = Ctx {
        db: &app.db,
        config: &app.config,
        verticals: &app.verticals,
        clock: &app.clock,
        random: &OsRandom,
        http: &app.http,
        settings: &app.settings,
    };
    f(&ctx)
}

fn dossier(app: &TestApp, id: &str) -> Dossier {
    futures::executor::block_on(async {
        let reservation = reservations::par_id(&app.db, id).await.unwrap().unwrap();
        let professionnel = professionnels::par_id(&app.db, reservation.professionnel_id.get())
            .await
            .unwrap()
            .unwrap();
        let service = services::par_id(&app.db, reservation.service_id.get())
            .await
            .unwrap()
            .unwrap();
        Dossier {
            reservation,
            professionnel,
            service,
        }
    })
}

fn url(b: &Value, action: &str) -> String {
    format!(
        "http://coach.localhost:8787/api/v1/reservations/{}{action}",
        b["id"].as_str().unwrap()
    )
}

// ---------------------------------------------------------------------------------------
// Tests

#[test]
fn a_booking_queues_its_confirmation_notice_reminders_and_review_request_in_the_same_batch() {
    let app = TestApp::spawn().with_demo_data();
    let b = book_on(&app, "2026-11-30");
    let id = b["id"].as_str().unwrap();
    let token = b["token"].as_str().unwrap();
    let debut = instant(&b, "debut");
    let fin = instant(&b, "fin");
    let rows: Vec<Row> = outbox_rows(&app)
        .into_iter()
        .filter(|r| r.cle.contains(id))
        .collect();
    let confirmation = row(&rows, &format!("confirmation:{id}"));
    assert_eq!(confirmation.kind, "confirmation");
    assert_eq!(confirmation.destinataire, "lea.martin@exemple.fr");
    assert_eq!(
        confirmation.donnees["jeton"], token,
        "the link travels in the row"
    );
    let pro = row(&rows, &format!("nouvelle:{id}"));
    assert_eq!(pro.kind, "reservation_creee_pro");
    assert!(
        pro.donnees["jeton"].is_null(),
        "never the client's secret to the pro"
    );
    for minutes in [1440, 120] {
        let r = row(&rows, &format!("rappel:{id}:{minutes}:"));
        assert_eq!(
            r.envoyer_a,
            (debut - Duration::minutes(minutes)).timestamp()
        );
        assert_eq!(r.statut, "a_envoyer");
    }
    let avis = row(&rows, &format!("avis:{id}"));
    assert_eq!(avis.envoyer_a, (fin + Duration::hours(3)).timestamp());
    // And the request to confirm, sent before.
    assert_eq!(
        row(&rows, &format!("demande_confirmation:{id}")).statut,
        "envoye"
    );
    assert_eq!(rows.len(), 6, "{rows:#?}");
    // The booking itself never stores the secret.
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE instr(reservations.manage_token_hash, '{token}') > 0"
        )),
        0
    );
}

#[test]
fn the_cron_sends_each_due_email_once_in_french_with_html_text_an_ics_and_the_manage_link() {
    let app = TestApp::spawn().with_demo_data();
    app.db.execute_script("DELETE FROM outbox");
    let b = book_on(&app, "2026-11-30");
    let id = b["id"].as_str().unwrap();
    let token = b["token"].as_str().unwrap();
    app.run_cron();
    let mails = sent(&app);
    assert_eq!(mails.len(), 2, "confirmation and the professional's notice");
    let client = mails
        .iter()
        .find(|m| m.to() == "lea.martin@exemple.fr")
        .unwrap();
    assert_eq!(client.headers["authorization"], "Bearer mail_kit");
    assert_eq!(
        client.headers["idempotency-key"],
        format!("confirmation:{id}")
    );
    assert_eq!(client.headers["content-type"], "application/json");
    assert_eq!(
        client.body["from"],
        "Booking Multisite <reservations@booking-multisite.fr>"
    );
    assert!(
        client.subject().starts_with("Rendez-vous confirmé — "),
        "{}",
        client.subject()
    );
    let html = client.body["html"].as_str().unwrap();
    let text = client.body["text"].as_str().unwrap();
    assert!(html.contains("Coachs &amp; Bien-être") || html.contains("Coachs &#38; Bien-être"));
    assert!(html.contains("#257d36"), "the vertical's colour");
    let lien = format!("http://coach.localhost:8787/reservations/{id}?token={token}");
    assert!(text.contains(&lien), "{text}");
    assert!(text.contains("Bonjour Léa Martin,"));
    let ics = client.ics().expect("an .ics");
    assert_eq!(ics.get("METHOD"), Some("REQUEST"));
    assert_eq!(
        ics.get("UID"),
        Some(format!("{id}@booking-multisite").as_str())
    );
    assert_eq!(ics.get("SEQUENCE"), Some("0"));
    assert_eq!(
        ics.name_with_params("DTSTART"),
        Some("DTSTART;TZID=Europe/Paris")
    );
    assert_eq!(ics.get("DTSTART"), Some(paris(&b, "debut").as_str()));
    assert_eq!(ics.get("DTEND"), Some(paris(&b, "fin").as_str()));
    assert_eq!(ics.get("TZID"), Some("Europe/Paris"));
    assert_eq!(ics.get("STATUS"), Some("CONFIRMED"));

    let pro = mails
        .iter()
        .find(|m| m.to() != "lea.martin@exemple.fr")
        .unwrap();
    assert!(pro
        .subject()
        .starts_with("Nouvelle réservation — Léa Martin"));
    let pro_text = pro.body["text"].as_str().unwrap();
    assert!(pro_text.contains("Préparer une reconversion"));
    assert!(
        pro_text.contains("En visio"),
        "the select's label, not its value"
    );
    assert!(
        !pro_text.contains(token),
        "the pro never gets the client's secret"
    );

    let rows = outbox_rows(&app);
    let confirmation = row(&rows, "confirmation:");
    assert_eq!(confirmation.statut, "envoye");
    assert!(
        confirmation.donnees.get("jeton").is_none(),
        "secret scrubbed once sent"
    );
    // A second run sends nothing more.
    app.run_cron();
    assert_eq!(sent(&app).len(), 2);
}

#[test]
fn the_mail_api_failing_is_retried_later_with_the_same_key_and_nothing_is_lost_or_sent_twice() {
    let app = TestApp::spawn().with_demo_data();
    app.db.execute_script("DELETE FROM outbox");
    book_on(&app, "2026-11-30");
    app.http.answer(500, r#"{"name":"internal_server_error"}"#);
    app.http.fail();
    app.run_cron();
    assert_eq!(sent(&app).len(), 2);
    let rows = outbox_rows(&app);
    // (The request to confirm went out before, when the client confirmed.)
    for r in rows
        .iter()
        .filter(|r| r.envoyer_a <= app.clock.now().timestamp() + 600)
        .filter(|r| r.kind != "demande_confirmation")
    {
        assert_eq!(r.statut, "a_envoyer", "{r:?}");
        assert_eq!(r.tentatives, 1);
        assert!(r.derniere_erreur.is_some());
        assert_eq!(
            r.envoyer_a,
            (app.clock.now() + Duration::minutes(5)).timestamp()
        );
    }
    assert!(rows.iter().any(|r| r
        .derniere_erreur
        .as_deref()
        .is_some_and(|e| e.contains("HTTP 500"))));
    // Not yet due again.
    app.run_cron();
    assert_eq!(sent(&app).len(), 2);
    app.clock.advance(Duration::minutes(5));
    app.run_cron();
    let mails = sent(&app);
    assert_eq!(mails.len(), 4);
    let keys: Vec<&str> = mails
        .iter()
        .map(|m| m.headers["idempotency-key"].as_str())
        .collect();
    assert_eq!(
        keys[0..2].iter().collect::<std::collections::BTreeSet<_>>(),
        keys[2..4].iter().collect()
    );
    app.run_cron();
    assert_eq!(sent(&app).len(), 4, "sent, so never again");
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM outbox WHERE statut = 'envoye' AND kind <> 'demande_confirmation'"
        ),
        2
    );
}

#[test]
fn a_message_that_keeps_failing_is_given_up_after_the_last_attempt_with_its_error_kept() {
    let app = TestApp::spawn().with_demo_data();
    app.db.execute_script("DELETE FROM outbox");
    book_on(&app, "2026-12-02");
    app.db
        .execute_script("UPDATE outbox SET statut = 'annule' WHERE cle NOT LIKE 'confirmation:%'");
    for _ in 0..MAX_TENTATIVES {
        app.http.answer(503, "indisponible");
        app.run_cron();
        app.clock.advance(Duration::hours(7));
    }
    let rows = outbox_rows(&app);
    let confirmation = row(&rows, "confirmation:");
    assert_eq!(confirmation.statut, "abandonne");
    assert_eq!(confirmation.tentatives, MAX_TENTATIVES);
    assert!(confirmation
        .derniere_erreur
        .as_deref()
        .unwrap()
        .contains("HTTP 503"));
    assert!(confirmation.donnees.get("jeton").is_none());
    assert_eq!(sent(&app).len() as i64, MAX_TENTATIVES);
    app.run_cron();
    assert_eq!(sent(&app).len() as i64, MAX_TENTATIVES);
}

#[test]
fn a_run_never_takes_rows_another_run_holds_and_takes_them_over_once_its_lease_is_over() {
    let app = TestApp::spawn().with_demo_data();
    app.db.execute_script("DELETE FROM outbox");
    book_on(&app, "2026-11-30");
    let now = app.clock.now();
    // Another run, overlapping this one, has claimed the due rows.
    let other =
        futures::executor::block_on(outbox::reclamer(&app.db, "autre-run", now, 240, 50)).unwrap();
    assert_eq!(other.len(), 2);
    app.run_cron();
    assert_eq!(sent(&app).len(), 0, "held by the other run");
    // Claiming again at the same time gets nothing either: a claim is exclusive.
    let again =
        futures::executor::block_on(outbox::reclamer(&app.db, "troisieme", now, 240, 50)).unwrap();
    assert!(again.is_empty());
    // The other run died: its lease runs out and the next run delivers.
    app.clock.advance(Duration::seconds(241));
    app.run_cron();
    assert_eq!(sent(&app).len(), 2);
    // The late run waking up cannot mark anything any more.
    for m in &other {
        futures::executor::block_on(app.db.query(outbox::marquer_echec(
            m.id,
            "autre-run",
            "x",
            None,
        )))
        .unwrap();
    }
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM outbox WHERE statut = 'envoye' AND kind <> 'demande_confirmation'"
        ),
        2
    );
    app.run_cron();
    assert_eq!(sent(&app).len(), 2);
}

#[test]
fn reminders_go_out_at_the_verticals_offsets_and_never_after_the_appointment_started() {
    let app = TestApp::spawn().with_demo_data();
    let b = book_on(&app, "2026-11-30");
    let id = b["id"].as_str().unwrap();
    let token = b["token"].as_str().unwrap();
    let debut = instant(&b, "debut");
    app.run_cron();
    app.db.execute_script(
        "DELETE FROM outbox WHERE reservation_id IS NOT NULL AND statut = 'envoye'",
    );
    let before = sent(&app).len();
    app.clock
        .set(debut - Duration::minutes(1440) + Duration::minutes(2));
    app.run_cron();
    let mails = sent(&app);
    assert_eq!(mails.len(), before + 1);
    let rappel = mails.last().unwrap();
    assert!(
        rappel
            .subject()
            .starts_with("Rappel : votre rendez-vous dans 24 heures"),
        "{}",
        rappel.subject()
    );
    assert!(rappel.headers["idempotency-key"].starts_with(&format!("rappel:{id}:1440:")));
    assert!(
        rappel.body["text"].as_str().unwrap().contains(token),
        "the manage link"
    );
    assert_eq!(
        rappel.ics().unwrap().get("UID"),
        Some(format!("{id}@booking-multisite").as_str())
    );
    // The job is late: it next runs after the start. The 2-hour reminder is dropped.
    app.clock.set(debut + Duration::minutes(5));
    app.run_cron();
    assert_eq!(sent(&app).len(), before + 1);
    let rows = outbox_rows(&app);
    let deux_heures = row(&rows, &format!("rappel:{id}:120:"));
    assert_eq!(deux_heures.statut, "annule");
    assert!(deux_heures.donnees.get("jeton").is_none());
    assert_eq!(row(&rows, &format!("rappel:{id}:1440:")).statut, "envoye");
}

#[test]
fn a_late_run_still_catches_up_a_reminder_whose_time_has_passed_before_the_start() {
    let app = TestApp::spawn().with_demo_data();
    let b = book_on(&app, "2026-11-30");
    let id = b["id"].as_str().unwrap();
    let debut = instant(&b, "debut");
    app.run_cron();
    // No run between 24 h and 1 h before: both reminders are due at once; each goes once.
    app.clock.set(debut - Duration::minutes(60));
    app.run_cron();
    app.run_cron();
    let rappels: Vec<Sent> = sent(&app)
        .into_iter()
        .filter(|m| m.headers["idempotency-key"].starts_with(&format!("rappel:{id}:")))
        .collect();
    assert_eq!(rappels.len(), 2);
}

#[test]
fn a_moved_booking_has_its_reminders_replanned_and_its_calendar_event_updated() {
    let app = TestApp::spawn().with_demo_data();
    let b = book_on(&app, "2026-11-30");
    let id = b["id"].as_str().unwrap();
    let token = b["token"].as_str().unwrap();
    app.run_cron();
    let nouveau = slot_on(&app, "2026-12-02");
    let r = app.post_json(
        &url(&b, "/deplacer"),
        &j!({ "token": token, "debut": nouveau }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let moved = json(&r);
    let debut = instant(&moved, "debut");
    let rows = outbox_rows(&app);
    let old: Vec<&Row> = rows
        .iter()
        .filter(|r| r.kind == "rappel" && !r.cle.ends_with(&format!(":{}", debut.timestamp())))
        .collect();
    assert_eq!(old.len(), 2);
    assert!(old.iter().all(|r| r.statut == "annule"), "{old:#?}");
    for minutes in [1440, 120] {
        let r = row(
            &rows,
            &format!("rappel:{id}:{minutes}:{}", debut.timestamp()),
        );
        assert_eq!(r.statut, "a_envoyer");
        assert_eq!(
            r.envoyer_a,
            (debut - Duration::minutes(minutes)).timestamp()
        );
        assert_eq!(r.donnees["jeton"], token);
    }
    assert_eq!(
        row(&rows, &format!("avis:{id}")).envoyer_a,
        (instant(&moved, "fin") + Duration::hours(3)).timestamp()
    );
    app.run_cron();
    let mails = sent(&app);
    let client = mails
        .iter()
        .find(|m| {
            m.headers["idempotency-key"].starts_with(&format!("deplacement:{id}:"))
                && m.to() == "lea.martin@exemple.fr"
        })
        .expect("the client is told");
    assert!(client.subject().starts_with("Rendez-vous déplacé au "));
    let ics = client.ics().unwrap();
    assert_eq!(
        ics.get("UID"),
        Some(format!("{id}@booking-multisite").as_str())
    );
    assert_eq!(ics.get("SEQUENCE"), Some("1"), "the same event, updated");
    assert_eq!(ics.get("DTSTART"), Some(paris(&moved, "debut").as_str()));
    assert!(mails.iter().any(|m| m.headers["idempotency-key"]
        == format!(
            "deplacement:{}:{}:professionnel",
            id,
            app.clock.now().timestamp()
        )));
    // The old reminder times pass: nothing. The new one comes: exactly one.
    app.clock
        .set(instant(&b, "debut") - Duration::minutes(1439));
    app.run_cron();
    let count = sent(&app).len();
    app.clock.set(debut - Duration::minutes(1439));
    app.run_cron();
    app.run_cron();
    let mails = sent(&app);
    assert_eq!(mails.len(), count + 1);
    assert_eq!(
        mails.last().unwrap().headers["idempotency-key"],
        format!("rappel:{id}:1440:{}", debut.timestamp())
    );
}

#[test]
fn a_cancelled_booking_tells_both_with_a_cancel_event_and_drops_its_reminders() {
    let app = TestApp::spawn().with_demo_data();
    let b = book_on(&app, "2026-11-30");
    let id = b["id"].as_str().unwrap().to_owned();
    app.run_cron();
    let r = app.post_json(
        &url(&b, "/annuler"),
        &j!({ "token": b["token"], "motif": "Empêchement" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // The cancellation's e-mails, as the flow that cancels queues them.
    let d = dossier(&app, &id);
    let statements = with_ctx(&app, |ctx| {
        let vertical = futures::executor::block_on(ctx.verticals.for_host(
            ctx.config,
            ctx.clock.now(),
            "coach.localhost",
        ))
        .unwrap();
        booking_shared::cas::notifications::reservation_annulee(
            &ctx.ports(),
            &vertical,
            &d,
            booking_shared::reservation::StatutReservation::Confirmee,
            "client",
            true,
        )
    });
    futures::executor::block_on(app.db.batch(statements)).unwrap();
    let rows = outbox_rows(&app);
    assert!(rows
        .iter()
        .filter(|r| r.kind == "rappel" || r.kind == "demande_avis")
        .all(|r| r.statut == "annule" && r.donnees.get("jeton").is_none()));
    app.run_cron();
    let mails = sent(&app);
    let annulations: Vec<&Sent> = mails
        .iter()
        .filter(|m| m.headers["idempotency-key"].starts_with(&format!("annulation:{id}:")))
        .collect();
    assert_eq!(annulations.len(), 2);
    let client = annulations
        .iter()
        .find(|m| m.to() == "lea.martin@exemple.fr")
        .unwrap();
    assert!(client.subject().starts_with("Rendez-vous annulé"));
    let ics = client.ics().unwrap();
    assert_eq!(ics.get("METHOD"), Some("CANCEL"));
    assert_eq!(ics.get("STATUS"), Some("CANCELLED"));
    assert_eq!(ics.get("SEQUENCE"), Some("1"));
    // No reminder ever goes out.
    app.clock.set(instant(&b, "debut") - Duration::minutes(30));
    app.run_cron();
    assert!(!sent(&app)
        .iter()
        .any(|m| m.headers["idempotency-key"].starts_with("rappel:")));
}

#[test]
fn an_unpaid_booking_expires_after_its_hold_its_payment_and_reminders_with_it() {
    let app = TestApp::spawn().with_demo_data();
    let b = book_on(&app, "2026-11-30");
    let id = b["id"].as_str().unwrap();
    let now = app.clock.now().timestamp();
    app.db.execute_script(&format!(
        "UPDATE reservations SET statut = 'en_attente_paiement', expire_at = {} WHERE id = '{id}';
         INSERT INTO paiements (reservation_id, montant, type, statut, created_at, updated_at)
           VALUES ('{id}', 6000, 'total', 'en_attente', {now}, {now});",
        now + 60
    ));
    app.run_cron();
    assert_eq!(
        app.db.scalar(&format!("SELECT count(*) FROM reservations WHERE id = '{id}' AND statut = 'en_attente_paiement'")),
        1,
        "still held"
    );
    app.clock.advance(Duration::minutes(2));
    app.run_cron();
    app.run_cron();
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE id = '{id}' AND statut = 'expiree'"
        )),
        1
    );
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM paiements WHERE reservation_id = '{id}' AND statut = 'expire'"
        )),
        1
    );
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM occupations WHERE seance = '{id}'"
        )),
        0,
        "the slot is free again"
    );
    assert_eq!(
        app.db.scalar(&format!("SELECT count(*) FROM outbox WHERE reservation_id = '{id}' AND kind IN ('rappel', 'demande_avis') AND statut <> 'annule'")),
        0
    );
}

#[test]
fn a_past_confirmed_booking_becomes_done_and_its_review_request_goes_out_once() {
    let app = TestApp::spawn().with_demo_data();
    let b = book_on(&app, "2026-11-30");
    let id = b["id"].as_str().unwrap();
    let token = b["token"].as_str().unwrap();
    app.clock.set(instant(&b, "fin") + Duration::minutes(1));
    app.run_cron();
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE id = '{id}' AND statut = 'terminee'"
        )),
        1
    );
    // Only a booking its professional marked done (or a paid one) takes a review.
    crate::avis::marquer(&app, &b, "terminer");
    assert!(
        !sent(&app)
            .iter()
            .any(|m| m.headers["idempotency-key"] == format!("avis:{id}")),
        "not yet"
    );
    app.clock
        .set(instant(&b, "fin") + Duration::hours(3) + Duration::minutes(1));
    app.run_cron();
    app.run_cron();
    let demandes: Vec<Sent> = sent(&app)
        .into_iter()
        .filter(|m| m.headers["idempotency-key"] == format!("avis:{id}"))
        .collect();
    assert_eq!(demandes.len(), 1);
    assert!(demandes[0].subject().starts_with("Votre avis sur "));
    assert!(demandes[0].ics().is_none());
    let text = demandes[0].body["text"].as_str().unwrap();
    assert!(
        text.contains(&format!(
            "http://coach.localhost:8787/avis/{id}?token={token}"
        )),
        "{text}"
    );
}
