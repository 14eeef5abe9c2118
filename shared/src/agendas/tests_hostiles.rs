//! Hostile calendars: whatever the file, reading it never panics (the Worker aborts on a
//! panic, which would end the scheduled run or the request).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::recurrence::Regle;
use super::{occupations, Illisible, OCCUPATIONS_MAX};

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

fn calendrier(evenements: impl Iterator<Item = String>) -> String {
    let mut texte = "BEGIN:VCALENDAR\n".to_owned();
    for e in evenements {
        texte.push_str(&e);
    }
    texte + "END:VCALENDAR\n"
}

#[test]
fn a_rule_that_never_matches_stops_at_the_end_of_the_window() {
    // 30 February: each event used to walk 20,000 months; now about fifteen, so that
    // hundreds of them stay within the work a file may ask for.
    let texte = calendrier((0..500).map(|i| {
        format!(
            "BEGIN:VEVENT\nUID:{i}\nDTSTART:20260130T090000Z\nDURATION:PT1H\nRRULE:FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30\nEND:VEVENT\n"
        )
    }));
    let o = occupations(
        &texte,
        Tz::UTC,
        t("2026-03-01T00:00:00Z"),
        t("2027-03-02T00:00:00Z"),
    );
    assert_eq!(o, Ok(Vec::new()));
}

#[test]
fn by_lists_are_deduplicated_and_bounded() {
    let repetee = format!("FREQ=YEARLY;BYMONTH={}2", "2,".repeat(20_000));
    assert_eq!(
        Regle::parse(&repetee),
        Regle::parse("FREQ=YEARLY;BYMONTH=2")
    );
    assert!(Regle::parse(&format!("FREQ=MONTHLY;BYDAY={}1MO", "1MO,".repeat(20_000))).is_some());
    let ordinaux: Vec<String> = (1..=53)
        .flat_map(|n| [format!("{n}MO"), format!("-{n}MO")])
        .collect();
    assert_eq!(
        Regle::parse(&format!("FREQ=YEARLY;BYDAY={}", ordinaux.join(","))),
        None
    );
}

#[test]
fn times_of_day_and_set_positions_are_bounded_by_the_work_a_file_may_ask_for() {
    // Every minute of every day of the year: far past the work allowed.
    let heures: Vec<String> = (0..24).map(|h| h.to_string()).collect();
    let minutes: Vec<String> = (0..60).map(|m| m.to_string()).collect();
    let texte = calendrier(std::iter::once(format!(
        "BEGIN:VEVENT\nUID:m\nDTSTART:20260101T000000Z\nDURATION:PT1M\nRRULE:FREQ=YEARLY;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12;BYDAY=MO,TU,WE,TH,FR,SA,SU;BYHOUR={};BYMINUTE={};BYSETPOS=-1\nEND:VEVENT\n",
        heures.join(","),
        minutes.join(",")
    )));
    let trop = |texte: &str| {
        assert_eq!(
            occupations(
                texte,
                Tz::UTC,
                t("2026-03-01T00:00:00Z"),
                t("2027-03-02T00:00:00Z"),
            ),
            Err(Illisible::TropComplexe)
        );
    };
    trop(&texte);
    // Many extra dates cost their number.
    let dates: Vec<String> = (0..40_000).map(|_| "20260302T090000Z".to_owned()).collect();
    let texte = calendrier((0..10).map(|i| {
        format!(
            "BEGIN:VEVENT\nUID:{i}\nDTSTART:20260302T090000Z\nDURATION:PT1H\nRDATE:{}\nEND:VEVENT\n",
            dates.join(",")
        )
    }));
    trop(&texte);
}

#[test]
fn a_megabyte_of_daily_events_is_too_complex() {
    let un = "BEGIN:VEVENT\nUID:u\nDTSTART:20260101T120000Z\nDURATION:PT1M\nRRULE:FREQ=DAILY\nEND:VEVENT\n";
    let texte = calendrier(std::iter::repeat_n(un.to_owned(), 1024 * 1024 / un.len()));
    assert_eq!(
        occupations(
            &texte,
            Tz::UTC,
            t("2026-03-01T00:00:00Z"),
            t("2027-03-02T00:00:00Z"),
        ),
        Err(Illisible::TropComplexe)
    );
    assert_eq!(
        Illisible::TropComplexe.to_string(),
        "Calendrier trop complexe : trop d'événements ou de répétitions à lire."
    );
}

#[test]
fn past_the_kept_intervals_the_rest_of_the_window_is_busy() {
    // 20,000 separate minutes over the year, listed farthest first.
    let texte = calendrier((0..20_000i64).rev().map(|i| {
        let debut = t("2026-03-01T00:00:00Z") + chrono::TimeDelta::minutes(25 * i);
        format!(
            "BEGIN:VEVENT\nUID:{i}\nDTSTART:{}\nDURATION:PT1M\nEND:VEVENT\n",
            debut.format("%Y%m%dT%H%M%SZ")
        )
    }));
    let a = t("2027-03-02T00:00:00Z");
    let o = occupations(&texte, Tz::UTC, t("2026-03-01T00:00:00Z"), a).unwrap();
    assert_eq!(o.len(), OCCUPATIONS_MAX);
    let apres = t("2026-03-01T00:00:00Z") + chrono::TimeDelta::minutes(25 * 1999);
    assert_eq!(
        o[OCCUPATIONS_MAX - 2].1,
        apres - chrono::TimeDelta::minutes(24)
    );
    assert_eq!(o[OCCUPATIONS_MAX - 1], (apres, a));
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
        "RDATE(;TZID=[A-Za-z/ ]{0,12}|;VALUE=(DATE|PERIOD))?:[0-9TZP/HM€,]{0,40}",
        "RRULE:FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY);(BYSETPOS|BYHOUR|BYMINUTE|BYDAY)=[-+0-9A-Z,€]{0,30}",
        Just("BEGIN:VTIMEZONE".to_owned()),
        Just("END:VTIMEZONE".to_owned()),
        "(BEGIN|END):(STANDARD|DAYLIGHT)",
        "TZID:[A-Za-z/ ]{0,12}",
        "TZOFFSET(FROM|TO):[-+]?[0-9€]{0,6}",
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

/// Reads `texte` and tells how long it took.
fn chrono_lire(texte: &str) -> std::time::Duration {
    let debut = std::time::Instant::now();
    lire(texte);
    debut.elapsed()
}

#[test]
fn a_files_own_zones_are_bounded_by_the_work_a_file_may_ask_for() {
    // 8 unknown zones of 12 parts, each changing at every minute of every day: once
    // ~60,000 change points per zone each scanned at every compared instant (seconds).
    let heures: Vec<String> = (0..24).map(|h| h.to_string()).collect();
    let minutes: Vec<String> = (0..60).map(|m| m.to_string()).collect();
    let zone = |n: usize, frequence: &str| {
        let partie = format!(
            "BEGIN:STANDARD\nDTSTART:20250101T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0100\nRRULE:FREQ={frequence};BYHOUR={};BYMINUTE={}\nEND:STANDARD\n",
            heures.join(","),
            minutes.join(",")
        );
        format!(
            "BEGIN:VTIMEZONE\nTZID:Zone {n}\n{}END:VTIMEZONE\n",
            partie.repeat(12)
        )
    };
    for frequence in ["DAILY", "YEARLY"] {
        let zones: String = (0..8).map(|n| zone(n, frequence)).collect();
        let texte = format!(
            "BEGIN:VCALENDAR\n{zones}BEGIN:VEVENT\nUID:x\nDTSTART;TZID=Zone 0:20260302T090000\nDURATION:PT1H\nEND:VEVENT\nEND:VCALENDAR\n"
        );
        let duree = chrono_lire(&texte);
        assert!(
            duree < std::time::Duration::from_secs(2),
            "{frequence}: {duree:?}"
        );
        assert!(
            occupations(
                &texte,
                Tz::Europe__Paris,
                t("2026-03-01T00:00:00Z"),
                t("2027-03-02T00:00:00Z"),
            )
            .is_err(),
            "{frequence}: no zone has these changes"
        );
    }
}

#[test]
fn a_long_tzid_full_of_slashes_is_read_in_linear_time() {
    let tzid = format!("{}Europe/Paris", "/".repeat(1024 * 1024));
    let debut = std::time::Instant::now();
    assert_eq!(super::fuseaux::fuseau(&tzid), None);
    assert!(debut.elapsed() < std::time::Duration::from_millis(500));
    let texte = evenement(&format!(
        "DTSTART;TZID={tzid}:20260302T090000\nDURATION:PT1H"
    ));
    assert!(chrono_lire(&texte) < std::time::Duration::from_secs(2));
    assert_eq!(
        super::fuseaux::fuseau("/a/b/c/d/e/mozilla.org/20050126_1/Europe/Paris"),
        Some(Tz::Europe__Paris)
    );
}
