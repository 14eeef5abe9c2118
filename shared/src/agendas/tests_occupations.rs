//! Busy intervals from calendars written the way Google, Outlook and Apple write them
//! (fixtures written for these tests).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{occupations, Illisible, OCCUPATIONS_MAX};

fn t(texte: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(texte)
        .unwrap()
        .with_timezone(&Utc)
}

fn lire(ics: &str, de: &str, a: &str) -> Vec<(String, String)> {
    occupations(ics, Tz::Europe__Paris, t(de), t(a))
        .unwrap()
        .into_iter()
        .map(|(d, f)| {
            (
                d.format("%Y-%m-%dT%H:%MZ").to_string(),
                f.format("%Y-%m-%dT%H:%MZ").to_string(),
            )
        })
        .collect()
}

fn paire(d: &str, f: &str) -> (String, String) {
    (d.to_owned(), f.to_owned())
}

const GOOGLE: &str = "BEGIN:VCALENDAR\r
PRODID:-//Google Inc//Google Calendar 70.9054//EN\r
VERSION:2.0\r
CALSCALE:GREGORIAN\r
METHOD:PUBLISH\r
X-WR-CALNAME:Perso\r
X-WR-TIMEZONE:Europe/Paris\r
BEGIN:VTIMEZONE\r
TZID:Europe/Paris\r
X-LIC-LOCATION:Europe/Paris\r
BEGIN:DAYLIGHT\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
TZNAME:CEST\r
DTSTART:19700329T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
TZNAME:CET\r
DTSTART:19701025T030000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
DTSTART;TZID=Europe/Paris:20260316T120000\r
DTEND;TZID=Europe/Paris:20260316T133000\r
RRULE:FREQ=WEEKLY;WKST=MO;BYDAY=MO,TH\r
EXDATE;TZID=Europe/Paris:20260319T120000\r
DTSTAMP:20260301T100000Z\r
UID:sport@google.com\r
SUMMARY:Sport\r
STATUS:CONFIRMED\r
TRANSP:OPAQUE\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART;TZID=Europe/Paris:20260326T150000\r
DTEND;TZID=Europe/Paris:20260326T163000\r
DTSTAMP:20260301T100000Z\r
UID:sport@google.com\r
RECURRENCE-ID;TZID=Europe/Paris:20260326T120000\r
SUMMARY:Sport (déplacé)\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART;TZID=Europe/Paris:20260330T120000\r
DTEND;TZID=Europe/Paris:20260330T133000\r
UID:sport@google.com\r
RECURRENCE-ID;TZID=Europe/Paris:20260330T120000\r
STATUS:CANCELLED\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART;VALUE=DATE:20260320\r
DTEND;VALUE=DATE:20260321\r
UID:conge@google.com\r
SUMMARY:Congé\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART:20260317T090000Z\r
DTEND:20260317T100000Z\r
UID:dispo@google.com\r
TRANSP:TRANSPARENT\r
END:VEVENT\r
BEGIN:VEVENT\r
DTSTART:20260318T090000Z\r
DTEND:20260318T100000Z\r
UID:annule@google.com\r
STATUS:CANCELLED\r
END:VEVENT\r
END:VCALENDAR\r
";

#[test]
fn a_google_calendar_gives_its_weekly_event_its_day_off_and_its_overrides() {
    let o = lire(GOOGLE, "2026-03-16T00:00:00Z", "2026-04-03T00:00:00Z");
    assert_eq!(
        o,
        [
            // Monday 16 and the 19th excluded (EXDATE).
            paire("2026-03-16T11:00Z", "2026-03-16T12:30Z"),
            // The whole day off, midnight to midnight in Paris.
            paire("2026-03-19T23:00Z", "2026-03-20T23:00Z"),
            paire("2026-03-23T11:00Z", "2026-03-23T12:30Z"),
            // Thursday 26 moved to 15:00.
            paire("2026-03-26T14:00Z", "2026-03-26T15:30Z"),
            // Summer time from the 29th; Monday 30 cancelled.
            paire("2026-04-02T10:00Z", "2026-04-02T11:30Z"),
        ]
    );
}

#[test]
fn intervals_are_clipped_to_the_window() {
    let o = lire(GOOGLE, "2026-03-16T11:30:00Z", "2026-03-20T00:00:00Z");
    assert_eq!(
        o,
        [
            paire("2026-03-16T11:30Z", "2026-03-16T12:30Z"),
            paire("2026-03-19T23:00Z", "2026-03-20T00:00Z"),
        ]
    );
}

const OUTLOOK: &str = "BEGIN:VCALENDAR\r
METHOD:PUBLISH\r
PRODID:Microsoft Exchange Server 2010\r
VERSION:2.0\r
X-WR-CALNAME:Calendrier\r
BEGIN:VTIMEZONE\r
TZID:Romance Standard Time\r
BEGIN:STANDARD\r
DTSTART:16010101T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010101T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
RRULE:FREQ=MONTHLY;UNTIL=20261231T230000Z;INTERVAL=1;BYDAY=-1FR\r
UID:040000008200E00074C5B7101A82E00800000000\r
SUMMARY:Réunion mensuelle\r
DTSTART;TZID=Romance Standard Time:20260130T170000\r
DTEND;TZID=Romance Standard Time:20260130T183000\r
CLASS:PRIVATE\r
PRIORITY:5\r
TRANSP:OPAQUE\r
STATUS:CONFIRMED\r
SEQUENCE:0\r
LOCATION:\r
X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r
BEGIN:VALARM\r
DESCRIPTION:REMINDER\r
TRIGGER;RELATED=START:-PT15M\r
ACTION:DISPLAY\r
END:VALARM\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:0400000082-libre\r
DTSTART;TZID=Romance Standard Time:20260306T090000\r
DTEND;TZID=Romance Standard Time:20260306T100000\r
TRANSP:TRANSPARENT\r
X-MICROSOFT-CDO-BUSYSTATUS:FREE\r
END:VEVENT\r
END:VCALENDAR\r
";

#[test]
fn an_outlook_calendar_with_windows_zone_names_gives_the_last_friday_of_each_month() {
    let o = lire(OUTLOOK, "2026-02-01T00:00:00Z", "2026-05-01T00:00:00Z");
    assert_eq!(
        o,
        [
            paire("2026-02-27T16:00Z", "2026-02-27T17:30Z"),
            paire("2026-03-27T16:00Z", "2026-03-27T17:30Z"),
            // Summer time.
            paire("2026-04-24T15:00Z", "2026-04-24T16:30Z"),
        ]
    );
}

/// Apple writes floating times for some events, folds long lines, and may use
/// DURATION; a multi-day all-day event spans its days.
const APPLE: &str = "BEGIN:VCALENDAR\n\
VERSION:2.0\n\
PRODID:-//Apple Inc.//macOS 14.0//EN\n\
BEGIN:VEVENT\n\
UID:C0FFEE-1\n\
DTSTART:20260504T083000\n\
DURATION:PT45M\n\
RRULE:FREQ=DAILY;COUNT=3\n\
SUMMARY:Une description très longue qui est pliée sur plusieurs lignes p\n \
our vérifier le dépliage\n\
END:VEVENT\n\
BEGIN:VEVENT\n\
UID:C0FFEE-2\n\
DTSTART;VALUE=DATE:20260511\n\
DTEND;VALUE=DATE:20260513\n\
END:VEVENT\n\
END:VCALENDAR\n";

#[test]
fn an_apple_calendar_with_floating_times_durations_and_multi_day_events_is_read() {
    let o = lire(APPLE, "2026-05-01T00:00:00Z", "2026-05-31T00:00:00Z");
    assert_eq!(
        o,
        [
            paire("2026-05-04T06:30Z", "2026-05-04T07:15Z"),
            paire("2026-05-05T06:30Z", "2026-05-05T07:15Z"),
            paire("2026-05-06T06:30Z", "2026-05-06T07:15Z"),
            paire("2026-05-10T22:00Z", "2026-05-12T22:00Z"),
        ]
    );
}

#[test]
fn an_old_endless_daily_event_costs_the_window_not_its_history() {
    let ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:19000101T120000Z\nDTEND:19000101T130000Z\nRRULE:FREQ=DAILY\nEND:VEVENT\nEND:VCALENDAR\n";
    let o = lire(ics, "2026-06-01T00:00:00Z", "2026-06-04T00:00:00Z");
    assert_eq!(
        o,
        [
            paire("2026-06-01T12:00Z", "2026-06-01T13:00Z"),
            paire("2026-06-02T12:00Z", "2026-06-02T13:00Z"),
            paire("2026-06-03T12:00Z", "2026-06-03T13:00Z"),
        ]
    );
}

#[test]
fn overlapping_events_are_merged_and_the_count_is_capped() {
    let ics = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20260601T090000Z\nDTEND:20260601T110000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:b\nDTSTART:20260601T100000Z\nDTEND:20260601T120000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:c\nDTSTART:20260601T120000Z\nDTEND:20260601T121500Z\nEND:VEVENT\nEND:VCALENDAR\n";
    assert_eq!(
        lire(ics, "2026-06-01T00:00:00Z", "2026-06-02T00:00:00Z"),
        [paire("2026-06-01T09:00Z", "2026-06-01T12:15Z")]
    );
    let beaucoup = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\nDTSTART:20260101T120000Z\nDTEND:20260101T121500Z\nRRULE:FREQ=DAILY\nEND:VEVENT\nEND:VCALENDAR\n";
    let o = occupations(
        beaucoup,
        Tz::UTC,
        t("2026-01-01T00:00:00Z"),
        t("2036-01-01T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(o.len(), OCCUPATIONS_MAX);
}

#[test]
fn an_html_page_is_not_a_calendar() {
    assert_eq!(
        occupations(
            "<html><body>Connexion</body></html>",
            Tz::UTC,
            t("2026-01-01T00:00:00Z"),
            t("2026-02-01T00:00:00Z")
        ),
        Err(Illisible::PasUnCalendrier)
    );
}

/// Outlook's export of a calendar in its own zone ("Customized Time Zone", the rules of
/// Paris written from 1601), with extra dates (RDATE: date-times in another zone, a
/// whole day, a period), the last working day of each month (BYSETPOS) and twice a day
/// (BYHOUR): a fixture written for this test after Outlook's and Exchange's exports.
const OUTLOOK_PERSO: &str = "BEGIN:VCALENDAR\r
PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r
VERSION:2.0\r
BEGIN:VTIMEZONE\r
TZID:Customized Time Zone\r
BEGIN:STANDARD\r
DTSTART:16010101T030000\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r
END:STANDARD\r
BEGIN:DAYLIGHT\r
DTSTART:16010101T020000\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r
END:DAYLIGHT\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:cloture\r
DTSTART;TZID=\"Customized Time Zone\":20260130T160000\r
DTEND;TZID=\"Customized Time Zone\":20260130T180000\r
RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:ajouts\r
DTSTART;TZID=Customized Time Zone:20260302T090000\r
DTEND;TZID=Customized Time Zone:20260302T100000\r
RDATE;TZID=/mozilla.org/20050126_1/America/New_York:20260303T080000,20260304T080000\r
RDATE;VALUE=DATE:20260305\r
RDATE;VALUE=PERIOD:20260306T100000Z/PT3H,20260307T100000Z/20260307T103000Z\r
EXDATE;TZID=Customized Time Zone:20260304T140000\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:deux-fois\r
DTSTART;TZID=Europe/Paris:20260309T080000\r
DURATION:PT15M\r
RRULE:FREQ=DAILY;BYHOUR=8,18;COUNT=3\r
END:VEVENT\r
END:VCALENDAR\r
";

#[test]
fn outlooks_own_zone_extra_dates_and_last_working_days_are_read() {
    let o = lire(
        OUTLOOK_PERSO,
        "2026-02-01T00:00:00Z",
        "2026-04-01T00:00:00Z",
    );
    assert_eq!(
        o,
        vec![
            // The last working day of February and March, 16:00–18:00 in Paris.
            paire("2026-02-27T15:00Z", "2026-02-27T17:00Z"),
            // 09:00 in Paris, then 08:00 in New York (14:00 in Paris, 13:00 UTC; the
            // second excluded), a whole day at DTSTART's time, and two periods of their
            // own lengths.
            paire("2026-03-02T08:00Z", "2026-03-02T09:00Z"),
            paire("2026-03-03T13:00Z", "2026-03-03T14:00Z"),
            paire("2026-03-05T08:00Z", "2026-03-05T09:00Z"),
            paire("2026-03-06T10:00Z", "2026-03-06T13:00Z"),
            paire("2026-03-07T10:00Z", "2026-03-07T10:30Z"),
            // 08:00 and 18:00, then 08:00 the next day.
            paire("2026-03-09T07:00Z", "2026-03-09T07:15Z"),
            paire("2026-03-09T17:00Z", "2026-03-09T17:15Z"),
            paire("2026-03-10T07:00Z", "2026-03-10T07:15Z"),
            // After the change of summer time: 16:00 in Paris is 14:00 UTC.
            paire("2026-03-31T14:00Z", "2026-03-31T16:00Z"),
        ]
    );
    let lu = super::lire(
        OUTLOOK_PERSO,
        Tz::Europe__Paris,
        t("2026-02-01T00:00:00Z"),
        t("2026-04-01T00:00:00Z"),
    )
    .unwrap();
    assert_eq!(lu.avertissement(), None, "read in full");
}

#[test]
fn what_is_not_taken_into_account_is_said_rather_than_counted_once_in_silence() {
    let texte = "BEGIN:VCALENDAR\r
BEGIN:VEVENT\r
UID:a\r
DTSTART:20260302T090000Z\r
DURATION:PT1H\r
RRULE:FREQ=YEARLY;BYWEEKNO=10,11;BYDAY=MO\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:b\r
DTSTART:20260302T120000Z\r
DURATION:PT15M\r
RRULE:FREQ=HOURLY;INTERVAL=2\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:c\r
DTSTART:20260303T120000Z\r
DURATION:PT1H\r
RRULE:FREQ=DAILY;COUNT=3\r
EXRULE:FREQ=DAILY;BYDAY=WE\r
END:VEVENT\r
BEGIN:VEVENT\r
UID:d\r
DTSTART:20260310T120000Z\r
DURATION:PT1H\r
RRULE:FREQ=WEEKLY;BYWEEKNO=1\r
STATUS:CANCELLED\r
END:VEVENT\r
END:VCALENDAR\r
";
    let lu = super::lire(
        texte,
        Tz::Europe__Paris,
        t("2026-03-01T00:00:00Z"),
        t("2026-04-01T00:00:00Z"),
    )
    .unwrap();
    // The first occurrence of each rule not understood, every date of the excluding
    // rule's event (a cancelled event says nothing).
    assert_eq!(lu.intervalles.len(), 5);
    assert_eq!(lu.non_compris, ["BYWEEKNO", "FREQ=HOURLY"]);
    assert!(lu.exclusions_ignorees);
    assert_eq!(
        lu.avertissement().as_deref(),
        Some(
            "Répétitions non prises en compte (BYWEEKNO, FREQ=HOURLY) : les événements concernés ne comptent comme occupés qu'à leur première date. Règles d'exclusion (EXRULE) non prises en compte : les dates qu'elles excluent comptent comme occupées."
        )
    );
}

#[test]
fn a_zone_of_the_file_matching_no_built_in_one_still_fails_the_file() {
    let texte = "BEGIN:VCALENDAR\r
BEGIN:VTIMEZONE\r
TZID:Customized Time Zone\r
BEGIN:STANDARD\r
DTSTART:16010101T000000\r
TZOFFSETFROM:+0917\r
TZOFFSETTO:+0917\r
END:STANDARD\r
END:VTIMEZONE\r
BEGIN:VEVENT\r
UID:a\r
DTSTART;TZID=Customized Time Zone:20260302T090000\r
DURATION:PT1H\r
END:VEVENT\r
END:VCALENDAR\r
";
    assert_eq!(
        occupations(
            texte,
            Tz::Europe__Paris,
            t("2026-03-01T00:00:00Z"),
            t("2026-04-01T00:00:00Z")
        ),
        Err(Illisible::FuseauInconnu("Customized Time Zone".into()))
    );
    // A fixed offset written without a start (as Exchange does) is one: Cayenne's −03.
    let fixe = texte
        .replace("DTSTART:16010101T000000\r\n", "")
        .replace("+0917", "-0300");
    assert_eq!(
        lire(&fixe, "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z"),
        vec![paire("2026-03-02T12:00Z", "2026-03-02T13:00Z")]
    );
}

#[test]
fn a_utc_extra_date_in_the_hour_repeated_in_autumn_keeps_its_instant() {
    // 01:30 UTC on 25 October 2026 is 02:30 in Paris the second time (CET), not the first.
    let texte = "BEGIN:VCALENDAR\r
BEGIN:VEVENT\r
UID:rdate-utc\r
DTSTART;TZID=Europe/Paris:20261020T100000\r
DURATION:PT30M\r
RDATE:20261025T013000Z\r
END:VEVENT\r
END:VCALENDAR\r
";
    assert_eq!(
        lire(texte, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z"),
        vec![paire("2026-10-25T01:30Z", "2026-10-25T02:00Z")]
    );
}
