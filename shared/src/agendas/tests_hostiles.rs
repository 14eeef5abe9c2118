//! Hostile calendars: whatever the file, reading it never panics (the Worker aborts on a
//! panic, which would end the scheduled run or the request).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::occupations;

fn t(texte: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(texte)
        .unwrap()
        .with_timezone(&Utc)
}

fn lire(ics: &str) -> usize {
    occupations(
        ics,
        Tz::Europe__Paris,
        t("2026-03-01T00:00:00Z"),
        t("2027-03-02T00:00:00Z"),
    )
    .map_or(0, |o| o.len())
}

fn evenement(lignes: &str) -> String {
    format!("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\n{lignes}\nEND:VEVENT\nEND:VCALENDAR\n")
}

#[test]
fn multibyte_characters_in_dates_do_not_panic() {
    lire(&evenement("DTSTART:20260302T00€0\nDTEND:20260302T00€0"));
    lire(&evenement("DTSTART:20260302T00€\nDTEND:2026€30"));
    lire(&evenement(
        "DTSTART:20260302T090000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY;UNTIL=20260302T00€0",
    ));
    lire(&evenement(
        "DTSTART:20260302T090000Z\nDURATION:PT1H\nRRULE:FREQ=DAILY;UNTIL=2026€302",
    ));
}

#[test]
fn huge_durations_and_ordinals_do_not_panic() {
    let n = lire(&evenement(
        "DTSTART:20260302T090000Z\nDURATION:P99999999W\nRRULE:FREQ=DAILY",
    ));
    assert_eq!(n, 1, "a long event covers the window");
    lire(&evenement(
        "DTSTART:20260302T090000Z\nDURATION:P15000000000W15000000000W",
    ));
    lire(&evenement(
        "DTSTART:20260302T090000Z\nDURATION:-P15000000000W15000000000W\nRRULE:FREQ=WEEKLY",
    ));
    lire(&evenement(
        "DTSTART:20260302T090000Z\nDURATION:PT1H\nRRULE:FREQ=MONTHLY;BYDAY=-2147483648MO",
    ));
    lire(&evenement(
        "DTSTART:20260302T090000Z\nDURATION:PT1H\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-2147483648",
    ));
    lire(&evenement(
        "DTSTART:99991231T233000\nDTEND:99991231T235959\nRRULE:FREQ=YEARLY",
    ));
    lire(&evenement("DTSTART;VALUE=DATE:99991231\nDURATION:P400D"));
    lire(&evenement(
        "DTSTART:00000101T000000Z\nDTEND:99991231T235959Z\nRRULE:FREQ=DAILY",
    ));
}

/// Pieces hostile files are made of.
fn morceau() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("BEGIN:VEVENT".to_owned()),
        Just("END:VEVENT".to_owned()),
        Just("BEGIN:VCALENDAR".to_owned()),
        Just("BEGIN:VALARM".to_owned()),
        Just("END:VALARM".to_owned()),
        "(DTSTART|DTEND|EXDATE|RECURRENCE-ID)(;TZID=[A-Za-z/]{0,12}|;VALUE=DATE)?:[0-9TZ€é,]{0,20}",
        "DURATION:[-+]?P[0-9WDTHMS€]{0,24}",
        "RRULE:(FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY|HOURLY);)?([A-Z]{2,10}=[-+0-9A-Z,€]{0,16};?){0,4}",
        "UID:[a-z]{0,3}",
        "[ \\t]?[ -~€é]{0,30}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn arbitrary_lines_never_panic(lignes in proptest::collection::vec(morceau(), 0..24)) {
        let texte = format!("BEGIN:VCALENDAR\n{}\n", lignes.join("\r\n"));
        lire(&texte);
    }

    #[test]
    fn arbitrary_bytes_never_panic(octets in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut texte = b"BEGIN:VCALENDAR\nBEGIN:VEVENT\n".to_vec();
        texte.extend(octets);
        lire(&String::from_utf8_lossy(&texte));
    }
}
