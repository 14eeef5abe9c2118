//! French wording of dates, times and amounts.

use chrono::{DateTime, Datelike, Timelike};
use chrono_tz::Tz;

use crate::render::format::{JOURS, MOIS};

/// « mardi 1er décembre 2026 »
pub fn date_longue(instant: &DateTime<Tz>) -> String {
    let jour = JOURS[instant.weekday().num_days_from_monday() as usize % 7];
    let mois = MOIS[instant.month0() as usize % 12];
    let quantieme = match instant.day() {
        1 => "1er".to_owned(),
        d => d.to_string(),
    };
    format!("{jour} {quantieme} {mois} {}", instant.year())
}

/// « 10 h 30 », « 9 h »
pub fn heure(instant: &DateTime<Tz>) -> String {
    match instant.minute() {
        0 => format!("{} h", instant.hour()),
        m => format!("{} h {m:02}", instant.hour()),
    }
}

/// « mardi 1er décembre 2026 à 10 h 30 »
pub fn date_heure(instant: &DateTime<Tz>) -> String {
    format!("{} à {}", date_longue(instant), heure(instant))
}

/// « 1 234,50 € », « 60 € »
pub fn montant(centimes: i64) -> String {
    let signe = if centimes < 0 { "-" } else { "" };
    let centimes = centimes.unsigned_abs();
    let euros = (centimes / 100).to_string();
    let mut groupes = String::new();
    for (i, c) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i).is_multiple_of(3) {
            groupes.push('\u{202f}');
        }
        groupes.push(c);
    }
    match centimes % 100 {
        0 => format!("{signe}{groupes} €"),
        c => format!("{signe}{groupes},{c:02} €"),
    }
}

/// « 24 heures », « 2 heures », « 30 minutes », « 1 heure 30 »
pub fn duree(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let heures = if h > 1 { "heures" } else { "heure" };
    match (h, m) {
        (0, m) => format!("{m} minutes"),
        (h, 0) if h.is_multiple_of(24) && h >= 48 => format!("{} jours", h / 24),
        (h, 0) => format!("{h} {heures}"),
        (h, m) => format!("{h} {heures} {m:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn dates_read_as_in_french() {
        let d = chrono_tz::Europe::Paris
            .with_ymd_and_hms(2026, 12, 1, 10, 30, 0)
            .unwrap();
        assert_eq!(date_heure(&d), "mardi 1er décembre 2026 à 10 h 30");
        let d = chrono_tz::Europe::Paris
            .with_ymd_and_hms(2026, 8, 15, 9, 0, 0)
            .unwrap();
        assert_eq!(date_heure(&d), "samedi 15 août 2026 à 9 h");
    }

    #[test]
    fn amounts_and_durations_read_as_in_french() {
        assert_eq!(montant(6000), "60 €");
        assert_eq!(montant(123450), "1\u{202f}234,50 €");
        assert_eq!(duree(1440), "24 heures");
        assert_eq!(duree(2880), "2 jours");
        assert_eq!(duree(120), "2 heures");
        assert_eq!(duree(60), "1 heure");
        assert_eq!(duree(30), "30 minutes");
        assert_eq!(duree(90), "1 heure 30");
    }
}
