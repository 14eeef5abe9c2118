//! French formatting for pages: money, dates, durations, ratings, statuses.

use chrono::{DateTime, Datelike, TimeZone, Timelike};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

pub(crate) const JOURS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
pub(crate) const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `8900` → `89 €`, `8950` → `89,50 €` (non-breaking space before the sign).
pub fn euros(centimes: i64) -> String {
    let signe = if centimes < 0 { "-" } else { "" };
    let c = centimes.unsigned_abs();
    let (entiers, reste) = (c / 100, c % 100);
    let entiers = milliers(entiers);
    if reste == 0 {
        format!("{signe}{entiers}\u{a0}€")
    } else {
        format!("{signe}{entiers},{reste:02}\u{a0}€")
    }
}

fn milliers(n: u64) -> String {
    let chiffres = n.to_string();
    let mut sortie = String::new();
    for (i, c) in chiffres.chars().enumerate() {
        if i > 0 && (chiffres.len() - i).is_multiple_of(3) {
            sortie.push('\u{a0}');
        }
        sortie.push(c);
    }
    sortie
}

/// A price range: `de 60 € à 199 €`, or one price when both ends are equal.
pub fn fourchette(min: Option<i64>, max: Option<i64>) -> Option<String> {
    match (min, max) {
        (Some(a), Some(b)) if a == b => Some(euros(a)),
        (Some(a), Some(b)) => Some(format!("de {} à {}", euros(a), euros(b))),
        (Some(a), None) => Some(format!("à partir de {}", euros(a))),
        (None, Some(b)) => Some(format!("jusqu'à {}", euros(b))),
        (None, None) => None,
    }
}

/// `lundi 30 novembre 2026`.
pub fn date_longue<Tz: TimeZone>(instant: &DateTime<Tz>) -> String {
    format!("{} {}", jour_et_mois(instant), instant.year())
}

/// `lundi 30 novembre` (`1er` for the first of the month).
pub fn jour_et_mois<Tz: TimeZone>(instant: &DateTime<Tz>) -> String {
    let jour = JOURS[instant.weekday().num_days_from_monday() as usize];
    let mois = MOIS[instant.month0() as usize];
    let quantieme = match instant.day() {
        1 => "1er".to_owned(),
        d => d.to_string(),
    };
    format!("{jour} {quantieme} {mois}")
}

/// `09:30`.
pub fn heure<Tz: TimeZone>(instant: &DateTime<Tz>) -> String {
    format!("{:02}:{:02}", instant.hour(), instant.minute())
}

/// `lundi 30 novembre 2026 à 09:30`.
pub fn date_et_heure<Tz: TimeZone>(instant: &DateTime<Tz>) -> String {
    format!("{} à {}", date_longue(instant), heure(instant))
}

/// `45 min`, `1 h`, `1 h 30`.
pub fn duree(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}\u{a0}min"),
        (h, 0) => format!("{h}\u{a0}h"),
        (h, m) => format!("{h}\u{a0}h\u{a0}{m:02}"),
    }
}

/// `4,6` (one decimal, French comma).
pub fn note(valeur: f64) -> String {
    format!("{valeur:.1}").replace('.', ",")
}

/// Up to two initials, for a portrait placeholder: `Julien Morel` → `JM`.
pub fn initiales(nom: &str) -> String {
    nom.split_whitespace()
        .filter_map(|mot| mot.chars().find(|c| c.is_alphanumeric()))
        .flat_map(char::to_uppercase)
        .take(2)
        .collect()
}

/// A booking's status as the client reads it.
pub fn statut_libelle(statut: &str) -> &'static str {
    match statut {
        "en_attente_confirmation" => "En attente de votre confirmation",
        "en_attente_paiement" => "En attente de paiement",
        "confirmee" => "Confirmée",
        "terminee" => "Terminée",
        "absent" => "Absence signalée",
        "annulee" => "Annulée",
        "expiree" => "Expirée (ni payée ni confirmée à temps)",
        _ => "Inconnu",
    }
}

/// What a URL component keeps as it is: RFC 3986's unreserved characters.
const NON_RESERVES: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes a query-string value, a form component or a path segment (everything
/// but RFC 3986's unreserved characters).
pub fn encoder(valeur: &str) -> String {
    utf8_percent_encode(valeur, NON_RESERVES).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn amounts_are_written_the_french_way() {
        assert_eq!(euros(8900), "89\u{a0}€");
        assert_eq!(euros(8950), "89,50\u{a0}€");
        assert_eq!(euros(12_345_600), "123\u{a0}456\u{a0}€");
        assert_eq!(
            fourchette(Some(6000), Some(19900)).as_deref(),
            Some("de 60\u{a0}€ à 199\u{a0}€")
        );
    }

    #[test]
    fn dates_and_durations_read_in_french() {
        let d = Utc.with_ymd_and_hms(2026, 12, 1, 9, 5, 0).unwrap();
        assert_eq!(date_et_heure(&d), "mardi 1er décembre 2026 à 09:05");
        assert_eq!(duree(45), "45\u{a0}min");
        assert_eq!(duree(60), "1\u{a0}h");
        assert_eq!(duree(90), "1\u{a0}h\u{a0}30");
        assert_eq!(note(4.56), "4,6");
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(
            encoder("2026-12-01T09:30:00+01:00"),
            "2026-12-01T09%3A30%3A00%2B01%3A00"
        );
        assert_eq!(initiales("Julien  Morel-Blanc"), "JM");
    }
}
