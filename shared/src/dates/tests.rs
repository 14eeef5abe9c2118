//! Each reader and writer against the chrono function it replaces, on chosen texts and on
//! random ones.

use chrono::{
    DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone, Utc,
};
use proptest::prelude::*;

use super::*;

fn date(a: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(a, m, j).unwrap()
}

fn chrono_date(texte: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(texte, "%Y-%m-%d").ok()
}

fn chrono_heure(texte: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(texte, "%H:%M").ok()
}

fn chrono_date_heure(texte: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(texte, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(texte, "%Y-%m-%d %H:%M"))
        .ok()
}

fn chrono_rfc3339(texte: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(texte).ok()
}

/// The reader and chrono agree on `texte`, and the expected verdict is theirs.
fn verdicts(textes: &[(&str, bool)], lire: impl Fn(&str) -> bool, chrono: impl Fn(&str) -> bool) {
    for (texte, accepte) in textes {
        assert_eq!(lire(texte), *accepte, "{texte:?}");
        assert_eq!(chrono(texte), *accepte, "{texte:?} (chrono)");
    }
}

#[test]
fn a_date_is_read_as_chrono_read_it() {
    assert_eq!(lire_date("2026-03-05"), Some(date(2026, 3, 5)));
    assert_eq!(lire_date("2024-02-29"), Some(date(2024, 2, 29)));
    assert_eq!(lire_date("2026-3-5"), Some(date(2026, 3, 5)));
    assert_eq!(lire_date("+12026-01-01"), Some(date(12026, 1, 1)));
    assert_eq!(lire_date("-0001-12-31"), Some(date(-1, 12, 31)));
    verdicts(
        &[
            ("2026-03-05", true),
            ("2024-02-29", true),
            (" 2026- 03- 05", true),
            ("26-03-05", true),
            ("2026-02-29", false),
            ("2026-02-30", false),
            ("2026-13-01", false),
            ("2026-00-10", false),
            ("2026-04-31", false),
            ("2026/03/05", false),
            ("2026.03.05", false),
            ("20260305", false),
            ("2026-03-05 ", false),
            ("2026-03-05x", false),
            ("2026-03-05T10:00", false),
            ("2026-003-05", false),
            ("02026-03-05", false),
            ("- 2026-03-05", false),
            ("", false),
            ("aaaa-mm-jj", false),
        ],
        |t| lire_date(t).is_some(),
        |t| chrono_date(t).is_some(),
    );
}

#[test]
fn a_time_is_read_as_chrono_read_it() {
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert_eq!(lire_heure("09:30"), Some(hm(9, 30)));
    assert_eq!(lire_heure("9:5"), Some(hm(9, 5)));
    assert_eq!(lire_heure("23:59"), Some(hm(23, 59)));
    assert_eq!(lire_heure("00:00"), Some(hm(0, 0)));
    verdicts(
        &[
            ("09:30", true),
            (" 9: 30", true),
            ("24:00", false),
            ("23:60", false),
            ("09h30", false),
            ("09.30", false),
            ("0930", false),
            ("09:30 ", false),
            ("09:30:00", false),
            ("09:300", false),
            ("009:30", false),
            ("09 :30", false),
            ("-1:30", false),
            ("", false),
        ],
        |t| lire_heure(t).is_some(),
        |t| chrono_heure(t).is_some(),
    );
}

#[test]
fn a_local_date_and_time_is_read_as_chrono_read_it() {
    let attendu = date(2026, 3, 5).and_hms_opt(9, 30, 0).unwrap();
    assert_eq!(lire_date_heure("2026-03-05T09:30"), Some(attendu));
    assert_eq!(lire_date_heure("2026-03-05 09:30"), Some(attendu));
    assert_eq!(lire_date_heure("2026-03-0509:30"), Some(attendu));
    verdicts(
        &[
            ("2024-02-29T23:59", true),
            ("2026-03-05\t9:30", true),
            ("2026-03-05T 09:30", true),
            ("2026-03-05t09:30", false),
            ("2026-03-05T24:00", false),
            ("2026-03-05T23:60", false),
            ("2026-02-30T10:00", false),
            ("2026-03-05T09:30:00", false),
            ("2026-03-05T09:30Z", false),
            ("2026-03-05T09:30+01:00", false),
            ("2026-03-05", false),
            ("2026-03-05 T09:30", false),
            ("2026-03-05_09:30", false),
            ("2026-03-05T09:30 ", false),
        ],
        |t| lire_date_heure(t).is_some(),
        |t| chrono_date_heure(t).is_some(),
    );
}

#[test]
fn an_rfc3339_instant_is_read_as_chrono_read_it() {
    let a = |texte: &str| lire_rfc3339(texte).map(|i| (i.to_utc(), i.offset().local_minus_utc()));
    let utc = |h, mi, s| Utc.with_ymd_and_hms(2026, 3, 29, h, mi, s).unwrap();
    assert_eq!(a("2026-03-29T10:00:00+02:00"), Some((utc(8, 0, 0), 7200)));
    assert_eq!(a("2026-03-29T10:00:00Z"), Some((utc(10, 0, 0), 0)));
    assert_eq!(
        a("2026-03-29 10:00:00-01:30"),
        Some((utc(11, 30, 0), -5400))
    );
    assert_eq!(
        a("2026-03-29t10:00:00\u{2212}01:00"),
        Some((utc(11, 0, 0), -3600))
    );
    assert_eq!(
        lire_rfc3339("2026-03-29T10:00:00.1234567891Z").map(|i| i.timestamp_subsec_nanos()),
        Some(123_456_789)
    );
    verdicts(
        &[
            ("2026-03-29T10:00:00z", true),
            ("2024-02-29T23:59:59+23:59", true),
            ("2026-03-29T10:00:00.5-00:00", true),
            ("2026-06-30T23:59:60Z", true),
            ("2026-06-30T10:20:60.999Z", true),
            ("2026-02-30T10:00:00Z", false),
            ("2026-03-29T24:00:00Z", false),
            ("2026-03-29T23:60:00Z", false),
            ("2026-03-29T23:59:61Z", false),
            ("2026-03-29T10:00:00+24:00", false),
            ("2026-03-29T10:00:00+01:60", false),
            ("2026-03-29T10:00:00+0100", false),
            ("2026-03-29T10:00:00+01", false),
            ("2026-03-29T10:00:00", false),
            ("2026-03-29T10:00Z", false),
            ("2026-03-29T10:00:00.Z", false),
            ("2026-03-29T10:00:00Z ", false),
            ("2026-03-29T10:00:00ZZ", false),
            ("2026-03-29T10:00:00UTC", false),
            ("2026-03-29x10:00:00Z", false),
            ("2026/03/29T10:00:00Z", false),
            ("2026-3-29T10:00:00Z", false),
            (" 2026-03-29T10:00:00Z", false),
            ("", false),
        ],
        |t| lire_rfc3339(t).is_some(),
        |t| chrono_rfc3339(t).is_some(),
    );
}

#[test]
fn times_and_instants_are_written_as_chrono_wrote_them() {
    let local = date(2026, 3, 5).and_hms_opt(9, 5, 7).unwrap();
    assert_eq!(hh_mm(local.time()), "09:05");
    assert_eq!(ics_local(local), "20260305T090507");
    assert_eq!(ics_utc(local.and_utc()), "20260305T090507Z");
    let paris = FixedOffset::east_opt(7200).unwrap();
    let ete = paris.from_local_datetime(&local).unwrap();
    assert_eq!(rfc3339(&ete), "2026-03-05T09:05:07+02:00");
    assert_eq!(rfc3339(&local.and_utc()), "2026-03-05T09:05:07+00:00");
    assert_eq!(rfc3339_secondes(&ete), "2026-03-05T09:05:07+02:00");
    let millis = ete + chrono::TimeDelta::milliseconds(250);
    assert_eq!(rfc3339(&millis), "2026-03-05T09:05:07.250+02:00");
    assert_eq!(rfc3339_secondes(&millis), "2026-03-05T09:05:07+02:00");
    assert_eq!(date(2026, 3, 5).to_string(), "2026-03-05");
}

/// A date anywhere in chrono's range (the years below 1000 and above 9999 are written with
/// a sign or padding).
fn une_date() -> impl Strategy<Value = NaiveDate> {
    let (debut, fin) = (NaiveDate::MIN, NaiveDate::MAX);
    let jours = debut.num_days_from_ce()..=fin.num_days_from_ce();
    prop_oneof![jours, 0..3_700_000i32]
        .prop_map(|j| NaiveDate::from_num_days_from_ce_opt(j).unwrap())
}

/// A time of day, a leap second (nanoseconds past 10⁹ in second 59) now and then.
fn une_heure() -> impl Strategy<Value = NaiveTime> {
    (
        0..86_400u32,
        prop_oneof![Just(0u32), 0..1_000u32, 0..2_000_000_000u32],
    )
        .prop_filter_map("a leap second only in second 59", |(s, n)| {
            let n = if n < 1_000 { n * 1_000_000 } else { n };
            NaiveTime::from_num_seconds_from_midnight_opt(s, n)
        })
}

/// A text made of the pieces a date or a time is made of, well formed or not.
fn un_texte() -> impl Strategy<Value = String> {
    let morceau = prop_oneof![
        "[0-9]{1,5}",
        "[0-9]{2}",
        Just("-".to_owned()),
        Just(":".to_owned()),
        Just("+".to_owned()),
        Just("T".to_owned()),
        Just("t".to_owned()),
        Just("Z".to_owned()),
        Just(".".to_owned()),
        Just(" ".to_owned()),
        Just("\u{2212}".to_owned()),
        Just("\u{a0}".to_owned()),
        Just("x".to_owned()),
        Just("/".to_owned()),
    ];
    prop::collection::vec(morceau, 0..14).prop_map(|m| m.concat())
}

/// A text close to one of the shapes: a valid one with a piece changed.
fn une_forme() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ ]?[+-]?[0-9]{1,5}[-/ ][ ]?[0-9]{1,3}-[ ]?[0-9]{1,3}",
        "[ ]?[0-9]{1,3}[:h]?[ ]?[0-9]{1,3}[ ]?",
        "[0-9]{4}-[0-1][0-9]-[0-3][0-9][Tt _]{0,2}[0-2][0-9]:[0-6][0-9][ Z]?",
        "[0-9]{4}-[0-1][0-9]-[0-3][0-9][Tt x][0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{0,11})?(Z|z|[+\u{2212}-][0-2][0-9]:?[0-6][0-9]|[+-][0-9])?[ ]?",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_reader_agrees_with_chrono_on_any_text(texte in prop_oneof![un_texte(), une_forme()]) {
        prop_assert_eq!(lire_date(&texte), chrono_date(&texte));
        prop_assert_eq!(lire_heure(&texte), chrono_heure(&texte));
        prop_assert_eq!(lire_date_heure(&texte), chrono_date_heure(&texte));
        prop_assert_eq!(lire_rfc3339(&texte), chrono_rfc3339(&texte));
    }

    #[test]
    fn every_writer_agrees_with_chrono(
        jour in une_date(),
        heure in une_heure(),
        decalage in prop_oneof![Just(0i32), -86_399..86_400i32, (-24..24i32).prop_map(|h| h * 3600)],
    ) {
        let local = jour.and_time(heure);
        prop_assert_eq!(hh_mm(heure), heure.format("%H:%M").to_string());
        prop_assert_eq!(ics_local(local), local.format("%Y%m%dT%H%M%S").to_string());
        prop_assert_eq!(jour.to_string(), jour.format("%Y-%m-%d").to_string());
        let Some(instant) = FixedOffset::east_opt(decalage)
            .and_then(|f| f.from_local_datetime(&local).single())
        else {
            return Ok(());
        };
        prop_assert_eq!(rfc3339(&instant), instant.to_rfc3339());
        prop_assert_eq!(
            rfc3339_secondes(&instant),
            instant.to_rfc3339_opts(SecondsFormat::Secs, false)
        );
        let utc = instant.to_utc();
        prop_assert_eq!(ics_utc(utc), utc.format("%Y%m%dT%H%M%SZ").to_string());
        // What is written is read back, to the second or to the nanosecond.
        if decalage % 60 == 0 && (0..=9999).contains(&chrono::Datelike::year(&local)) {
            prop_assert_eq!(lire_rfc3339(&rfc3339(&instant)).map(|i| i.to_utc()), Some(utc));
        }
    }
}
