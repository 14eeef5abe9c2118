//! The time zone a `TZID` names: an IANA name (Google, Apple), one of the Windows names
//! Outlook and Exchange write, or an IANA name behind a vendor prefix
//! (`/mozilla.org/…/Europe/Paris`); and, for any other name, the built-in zone whose
//! offsets and changes are those the file's own VTIMEZONE describes ([`equivalente`]).
//!
//! The Worker carries only the French zones (see `.cargo/config.toml`); the Central
//! European zones, whose offsets and summer-time rules have been those of Paris since
//! 1996, are read as Europe/Paris rather than adding their tables to the Wasm.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

use super::recurrence::{Frequence, Regle, Travail, TropComplexe};

/// Windows zone names (CLDR's `windowsZones`) to the built-in zone with the same rules.
const WINDOWS: [(&str, Tz); 8] = [
    ("Romance Standard Time", Tz::Europe__Paris),
    ("W. Europe Standard Time", Tz::Europe__Paris),
    ("Central Europe Standard Time", Tz::Europe__Paris),
    ("Central European Standard Time", Tz::Europe__Paris),
    ("SA Eastern Standard Time", Tz::America__Cayenne),
    ("SA Western Standard Time", Tz::America__Martinique),
    ("Eastern Standard Time", Tz::America__New_York),
    ("UTC", Tz::UTC),
];

/// IANA zones whose rules are those of Paris since 1996.
const COMME_PARIS: [&str; 16] = [
    "Europe/Amsterdam",
    "Europe/Andorra",
    "Europe/Belgrade",
    "Europe/Berlin",
    "Europe/Brussels",
    "Europe/Budapest",
    "Europe/Copenhagen",
    "Europe/Luxembourg",
    "Europe/Madrid",
    "Europe/Monaco",
    "Europe/Oslo",
    "Europe/Prague",
    "Europe/Rome",
    "Europe/Stockholm",
    "Europe/Vienna",
    "Europe/Zurich",
];

fn connu(nom: &str) -> Option<Tz> {
    if COMME_PARIS.contains(&nom) {
        return Some(Tz::Europe__Paris);
    }
    match nom {
        "Etc/UTC" | "Etc/GMT" | "GMT" | "Z" => Some(Tz::UTC),
        _ => nom.parse::<Tz>().ok(),
    }
}

/// The zone `tzid` names, if known.
pub fn fuseau(tzid: &str) -> Option<Tz> {
    let tzid = tzid.trim().trim_matches('"');
    if let Some(tz) = connu(tzid) {
        return Some(tz);
    }
    if let Some((_, tz)) = WINDOWS
        .iter()
        .find(|(nom, _)| nom.eq_ignore_ascii_case(tzid))
    {
        return Some(*tz);
    }
    // A prefixed IANA name: the longest of the tails after the last three `/` that is
    // one (IANA names have at most three parts); a long name is none.
    if tzid.len() > TZID_MAX {
        return None;
    }
    tzid.rmatch_indices('/')
        .take(3)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .find_map(|(i, _)| connu(&tzid[i + 1..]))
}

/// The longest TZID read (vendor prefix and IANA name).
const TZID_MAX: usize = 128;

/// One STANDARD or DAYLIGHT part of a VTIMEZONE: from `debut` (wall-clock time before
/// the change), then at each occurrence of `regle` and at `dates`, the offset goes from
/// `de` to `vers` (seconds east of UTC).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observance {
    pub debut: NaiveDateTime,
    pub de: i32,
    pub vers: i32,
    pub regle: Option<String>,
    pub dates: Vec<NaiveDateTime>,
}

/// An offset as iCalendar writes it: `+0100`, `-0500`, `+053000`.
pub fn decalage(texte: &str) -> Option<i32> {
    let (signe, chiffres) = match texte.trim().split_at_checked(1)? {
        ("+", c) => (1, c),
        ("-", c) => (-1, c),
        _ => return None,
    };
    if !matches!(chiffres.len(), 4 | 6) || !chiffres.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nombre = |i: usize| chiffres.get(i..i + 2).and_then(|n| n.parse::<i32>().ok());
    let secondes = if chiffres.len() == 6 { nombre(4)? } else { 0 };
    let (heures, minutes) = (nombre(0)?, nombre(2)?);
    (heures < 24 && minutes < 60 && secondes < 60)
        .then_some(signe * (heures * 3600 + minutes * 60 + secondes))
}

/// The years over which a file's zone is compared with the built-in ones: the rules in
/// force now (a zone's past rules are not those of the calendar's coming events).
const COMPARAISON: (i32, i32) = (2025, 2036);
/// Parts of one zone read, and dates of one part.
const OBSERVANCES_MAX: usize = 12;
const DATES_MAX: usize = 60;

/// Changes of offset a zone may have in the years compared, on average per year (real
/// zones have two); past them the zone is not compared (its work would be quadratic).
const CHANGEMENTS_PAR_AN: usize = 4;

/// The built-in zone with the offsets and changes a VTIMEZONE describes, compared at each
/// change and four times a year over [`COMPARAISON`]; `None` when no built-in zone has
/// them (the file's times are then not guessed), when a part repeats other than yearly
/// (real zones do not), or when it changes more than [`CHANGEMENTS_PAR_AN`] times a year.
/// The work is charged to the file's `travail`.
pub fn equivalente(
    observances: &[Observance],
    travail: &mut Travail,
) -> Result<Option<Tz>, TropComplexe> {
    let (Some(depuis), Some(fin)) = (
        NaiveDate::from_ymd_opt(COMPARAISON.0 - 1, 1, 1),
        NaiveDate::from_ymd_opt(COMPARAISON.1, 1, 1),
    ) else {
        return Ok(None);
    };
    let jusqu_a = fin.and_time(NaiveTime::MIN);
    let debut = NaiveDate::from_ymd_opt(COMPARAISON.0, 1, 1)
        .unwrap_or(depuis)
        .and_time(NaiveTime::MIN)
        .and_utc();
    let plafond =
        CHANGEMENTS_PAR_AN * usize::try_from(COMPARAISON.1 - COMPARAISON.0 + 1).unwrap_or(0);
    let dans_la_fenetre = |i: &DateTime<Utc>| *i > debut && i.naive_utc() < jusqu_a;
    let mut changements: Vec<(DateTime<Utc>, i32)> = Vec::new();
    for o in observances.iter().take(OBSERVANCES_MAX) {
        let mut locales = match o.regle.as_deref().map(Regle::parse) {
            Some(Some(regle)) if regle.frequence == Frequence::Annuelle => {
                regle.occurrences(o.debut, Tz::UTC, depuis, jusqu_a, travail)?
            }
            Some(_) => return Ok(None),
            None => vec![o.debut],
        };
        locales.extend(o.dates.iter().take(DATES_MAX));
        travail.compter(locales.len())?;
        for local in locales {
            let Some(instant) = local.checked_sub_signed(TimeDelta::seconds(i64::from(o.de)))
            else {
                return Ok(None);
            };
            changements.push((instant.and_utc(), o.vers));
        }
        if changements
            .iter()
            .filter(|(i, _)| dans_la_fenetre(i))
            .count()
            > plafond
        {
            return Ok(None);
        }
    }
    crate::tri::trier(&mut changements);
    // The offset after the last change at or before `t`.
    let attendu = |t: DateTime<Utc>| {
        let n = changements.partition_point(|(i, _)| *i <= t);
        n.checked_sub(1).map(|n| changements[n].1)
    };
    let mut instants: Vec<DateTime<Utc>> = (COMPARAISON.0..COMPARAISON.1)
        .flat_map(|annee| [1, 4, 7, 10].map(|mois| (annee, mois)))
        .filter_map(|(annee, mois)| {
            Some(
                NaiveDate::from_ymd_opt(annee, mois, 15)?
                    .and_hms_opt(12, 0, 0)?
                    .and_utc(),
            )
        })
        .collect();
    for (instant, _) in changements.iter().filter(|(i, _)| dans_la_fenetre(i)) {
        instants.push(*instant);
        instants.extend(instant.checked_sub_signed(TimeDelta::seconds(1)));
    }
    let echantillons: Vec<(DateTime<Utc>, i32)> = instants
        .into_iter()
        .filter_map(|t| Some((t, attendu(t)?)))
        .collect();
    if echantillons.is_empty() {
        return Ok(None);
    }
    // Paris first: the zones linked to it (Monaco…) have its rules.
    let candidates = [Tz::Europe__Paris].into_iter();
    Ok(candidates.chain(chrono_tz::TZ_VARIANTS).find(|tz| {
        echantillons.iter().all(|(t, attendu)| {
            tz.offset_from_utc_datetime(&t.naive_utc())
                .fix()
                .local_minus_utc()
                == *attendu
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn equivalente_(observances: &[Observance]) -> Option<Tz> {
        equivalente(observances, &mut Travail::default()).unwrap()
    }

    #[test]
    fn iana_windows_and_prefixed_names_are_understood() {
        assert_eq!(fuseau("Europe/Paris"), Some(Tz::Europe__Paris));
        assert_eq!(fuseau("Europe/Brussels"), Some(Tz::Europe__Paris));
        assert_eq!(fuseau("Romance Standard Time"), Some(Tz::Europe__Paris));
        assert_eq!(
            fuseau("\"W. Europe Standard Time\""),
            Some(Tz::Europe__Paris)
        );
        assert_eq!(fuseau("Eastern Standard Time"), Some(Tz::America__New_York));
        assert_eq!(
            fuseau("/mozilla.org/20050126_1/Europe/Paris"),
            Some(Tz::Europe__Paris)
        );
        assert_eq!(
            fuseau("/citadel.org/20190914_1/Europe/Berlin"),
            Some(Tz::Europe__Paris)
        );
        assert_eq!(fuseau("Customized Time Zone"), None);
    }

    fn heure(texte: &str) -> NaiveDateTime {
        super::super::ics::lire_date_heure(texte).unwrap()
    }

    fn observance(debut: &str, de: &str, vers: &str, regle: Option<&str>) -> Observance {
        Observance {
            debut: heure(debut),
            de: decalage(de).unwrap(),
            vers: decalage(vers).unwrap(),
            regle: regle.map(str::to_owned),
            dates: Vec::new(),
        }
    }

    #[test]
    fn offsets_are_read_as_written() {
        assert_eq!(decalage("+0100"), Some(3600));
        assert_eq!(decalage("-0500"), Some(-18000));
        assert_eq!(decalage("+053000"), Some(19800));
        assert_eq!(decalage("-0000"), Some(0));
        for faux in ["0100", "+01", "+2500", "+0160", "+01€0", "", "+"] {
            assert_eq!(decalage(faux), None, "{faux}");
        }
    }

    #[test]
    fn a_files_own_zone_is_the_built_in_one_with_the_same_offsets_and_changes() {
        // Outlook's "Customized Time Zone" for Paris (its changes since 1601).
        let paris = [
            observance(
                "16010101T030000",
                "+0200",
                "+0100",
                Some("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"),
            ),
            observance(
                "16010101T020000",
                "+0100",
                "+0200",
                Some("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"),
            ),
        ];
        assert_eq!(equivalente_(&paris), Some(Tz::Europe__Paris));
        // The US rules (second Sunday of March, first of November).
        let new_york = [
            observance(
                "20071104T020000",
                "-0400",
                "-0500",
                Some("FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"),
            ),
            observance(
                "20070311T020000",
                "-0500",
                "-0400",
                Some("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
            ),
        ];
        assert_eq!(equivalente_(&new_york), Some(Tz::America__New_York));
        // A fixed offset: Réunion's +04.
        let reunion = [observance("19700101T000000", "+0400", "+0400", None)];
        assert_eq!(
            equivalente_(&reunion).map(|tz| tz
                .offset_from_utc_datetime(&heure("20260115T120000"))
                .fix()
                .local_minus_utc()),
            Some(4 * 3600)
        );
        // Paris's offsets with changes a week off, a zone no built-in one has, a rule not
        // understood: no zone.
        let decalee = [
            observance(
                "16010101T030000",
                "+0200",
                "+0100",
                Some("FREQ=YEARLY;BYDAY=-2SU;BYMONTH=10"),
            ),
            observance(
                "16010101T020000",
                "+0100",
                "+0200",
                Some("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"),
            ),
        ];
        assert_eq!(equivalente_(&decalee), None);
        assert_eq!(
            equivalente_(&[observance("19700101T000000", "+0917", "+0917", None)]),
            None
        );
        assert_eq!(
            equivalente_(&[observance(
                "19700101T000000",
                "+0100",
                "+0100",
                Some("FREQ=SECONDLY")
            )]),
            None
        );
        assert_eq!(equivalente_(&[]), None);
        // Paris's changes, but repeated daily rather than yearly: no real zone does.
        let quotidienne = [
            observance("16010101T030000", "+0200", "+0100", Some("FREQ=DAILY")),
            observance(
                "16010101T020000",
                "+0100",
                "+0200",
                Some("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"),
            ),
        ];
        assert_eq!(equivalente_(&quotidienne), None);
        // Yearly, but at every hour of its day: past the changes a zone may have.
        let horaire = [
            observance(
                "16010101T030000",
                "+0200",
                "+0100",
                Some("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11"),
            ),
            paris[1].clone(),
        ];
        assert_eq!(equivalente_(&horaire), None);
    }
}
