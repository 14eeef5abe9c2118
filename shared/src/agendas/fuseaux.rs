//! The time zone a `TZID` names: an IANA name (Google, Apple), one of the Windows names
//! Outlook and Exchange write, or an IANA name behind a vendor prefix
//! (`/mozilla.org/…/Europe/Paris`).
//!
//! The Worker carries only the French zones (see `.cargo/config.toml`); the Central
//! European zones, whose offsets and summer-time rules have been those of Paris since
//! 1996, are read as Europe/Paris rather than adding their tables to the Wasm.

use chrono_tz::Tz;

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
    // A prefixed IANA name: the longest tail that is one.
    tzid.match_indices('/')
        .find_map(|(i, _)| connu(&tzid[i + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
