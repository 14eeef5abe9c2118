//! A booking as an iCalendar file (RFC 5545): one VEVENT, times in UTC, a UID that stays
//! the same for the booking so that a second download updates the first.

use chrono::{DateTime, Utc};

use crate::dates;
use crate::notifications::ics::{echapper, plier};

/// What the event says.
#[derive(Debug, Clone)]
pub struct Evenement<'a> {
    pub reservation_id: &'a str,
    pub debut: DateTime<Utc>,
    pub fin: DateTime<Utc>,
    /// When the file is made (DTSTAMP).
    pub maintenant: DateTime<Utc>,
    pub resume: &'a str,
    pub lieu: &'a str,
    pub description: &'a str,
    pub annule: bool,
}

pub fn ics(evenement: &Evenement<'_>) -> String {
    let statut = if evenement.annule {
        "CANCELLED"
    } else {
        "CONFIRMED"
    };
    let lignes = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Booking Multisite//Reservations//FR".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!("UID:{}@booking-multisite", evenement.reservation_id),
        format!("DTSTAMP:{}", dates::ics_utc(evenement.maintenant)),
        format!("DTSTART:{}", dates::ics_utc(evenement.debut)),
        format!("DTEND:{}", dates::ics_utc(evenement.fin)),
        format!("SUMMARY:{}", echapper(evenement.resume)),
        format!("LOCATION:{}", echapper(evenement.lieu)),
        format!("DESCRIPTION:{}", echapper(evenement.description)),
        format!("STATUS:{statut}"),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lignes.iter().map(|l| plier(l)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn exemple(description: &str) -> String {
        ics(&Evenement {
            reservation_id: "r_abc",
            debut: Utc.with_ymd_and_hms(2026, 12, 1, 8, 30, 0).unwrap(),
            fin: Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).unwrap(),
            maintenant: Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
            resume: "Vidange, filtre",
            lieu: "Lyon",
            description,
            annule: false,
        })
    }

    #[test]
    fn the_event_has_a_stable_uid_and_utc_times() {
        let ics = exemple("Ligne 1\nLigne 2");
        assert!(ics.contains("UID:r_abc@booking-multisite\r\n"));
        assert!(ics.contains("DTSTART:20261201T083000Z\r\n"));
        assert!(ics.contains("DTEND:20261201T093000Z\r\n"));
        assert!(ics.contains("SUMMARY:Vidange\\, filtre\r\n"));
        assert!(ics.contains("DESCRIPTION:Ligne 1\\nLigne 2\r\n"));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn long_lines_are_folded_at_75_octets() {
        let ics = exemple(&"é".repeat(100));
        for ligne in ics.split("\r\n") {
            assert!(ligne.len() <= 75, "{ligne}");
        }
        assert!(ics.contains("\r\n é"));
    }
}
