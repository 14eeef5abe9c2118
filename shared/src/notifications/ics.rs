//! The `.ics` attached to booking e-mails (RFC 5545, iTIP methods of RFC 5546).
//!
//! One calendar event per booking: its UID is stable (`<reservation id>@booking-multisite`)
//! and its SEQUENCE grows with every change, so that a moved or cancelled booking updates
//! the event already in the client's calendar instead of adding a second one.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::dates;

/// The iTIP method: a new or updated event, or its cancellation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Methode {
    Request,
    Cancel,
}

impl Methode {
    pub fn as_str(self) -> &'static str {
        match self {
            Methode::Request => "REQUEST",
            Methode::Cancel => "CANCEL",
        }
    }
}

/// A person named in the event (organizer or attendee).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Personne {
    pub nom: String,
    pub email: String,
}

#[derive(Debug, Clone)]
pub struct Evenement {
    pub reservation_id: String,
    /// 0 when booked, +1 for every later change (move, cancellation).
    pub sequence: u32,
    /// When this version of the event was made (the booking's last change).
    pub horodatage: DateTime<Utc>,
    pub debut: DateTime<Utc>,
    pub fin: DateTime<Utc>,
    /// The professional's time zone: Europe/Paris is written with its VTIMEZONE,
    /// any other zone as UTC times.
    pub fuseau: Tz,
    pub resume: String,
    pub description: String,
    pub lieu: String,
    pub url: Option<String>,
    pub organisateur: Personne,
    pub participant: Personne,
    pub methode: Methode,
}

impl Evenement {
    pub fn uid(&self) -> String {
        uid(&self.reservation_id)
    }

    /// The whole calendar object, CRLF line endings, lines folded at 75 octets.
    pub fn ics(&self) -> String {
        let paris = self.fuseau == chrono_tz::Europe::Paris;
        let mut lignes: Vec<String> = vec![
            "BEGIN:VCALENDAR".into(),
            "PRODID:-//Booking Multisite//Reservations//FR".into(),
            "VERSION:2.0".into(),
            "CALSCALE:GREGORIAN".into(),
            format!("METHOD:{}", self.methode.as_str()),
        ];
        if paris {
            lignes.extend(VTIMEZONE_PARIS.iter().map(|l| (*l).to_owned()));
        }
        lignes.push("BEGIN:VEVENT".into());
        lignes.push(format!("UID:{}", self.uid()));
        lignes.push(format!("SEQUENCE:{}", self.sequence));
        lignes.push(format!("DTSTAMP:{}", dates::ics_utc(self.horodatage)));
        lignes.push(self.instant("DTSTART", self.debut, paris));
        lignes.push(self.instant("DTEND", self.fin, paris));
        lignes.push(format!("SUMMARY:{}", echapper(&self.resume)));
        if !self.description.is_empty() {
            lignes.push(format!("DESCRIPTION:{}", echapper(&self.description)));
        }
        if !self.lieu.is_empty() {
            lignes.push(format!("LOCATION:{}", echapper(&self.lieu)));
        }
        if let Some(url) = &self.url {
            lignes.push(format!("URL:{}", sans_controle(url)));
        }
        lignes.push(format!(
            "ORGANIZER;CN={}:mailto:{}",
            parametre(&self.organisateur.nom),
            sans_controle(&self.organisateur.email)
        ));
        lignes.push(format!(
            "ATTENDEE;CN={};ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:{}",
            parametre(&self.participant.nom),
            sans_controle(&self.participant.email)
        ));
        let statut = match self.methode {
            Methode::Request => "CONFIRMED",
            Methode::Cancel => "CANCELLED",
        };
        lignes.push(format!("STATUS:{statut}"));
        lignes.push("TRANSP:OPAQUE".into());
        lignes.push("END:VEVENT".into());
        lignes.push("END:VCALENDAR".into());
        lignes.iter().map(|l| plier(l)).collect()
    }

    fn instant(&self, nom: &str, instant: DateTime<Utc>, paris: bool) -> String {
        if paris {
            let local = instant.with_timezone(&self.fuseau);
            format!(
                "{nom};TZID=Europe/Paris:{}",
                dates::ics_local(local.naive_local())
            )
        } else {
            format!("{nom}:{}", dates::ics_utc(instant))
        }
    }
}

/// The stable UID of a booking's calendar event.
pub fn uid(reservation_id: &str) -> String {
    format!("{reservation_id}@booking-multisite")
}

/// Europe/Paris since 1996: CET/CEST, changing on the last Sundays of March and October.
const VTIMEZONE_PARIS: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Paris",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

fn sans_controle(texte: &str) -> String {
    texte.chars().filter(|c| !c.is_control()).collect()
}

/// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped.
pub fn echapper(texte: &str) -> String {
    let mut sortie = String::with_capacity(texte.len());
    let mut caracteres = texte.chars().peekable();
    while let Some(c) = caracteres.next() {
        match c {
            '\\' => sortie.push_str("\\\\"),
            ';' => sortie.push_str("\\;"),
            ',' => sortie.push_str("\\,"),
            '\r' => {
                if caracteres.peek() == Some(&'\n') {
                    caracteres.next();
                }
                sortie.push_str("\\n");
            }
            '\n' => sortie.push_str("\\n"),
            c if c.is_control() => {}
            c => sortie.push(c),
        }
    }
    sortie
}

/// A parameter value (CN): always quoted; a quoted string cannot hold `"` or controls.
fn parametre(texte: &str) -> String {
    let propre: String = texte
        .chars()
        .filter(|c| *c != '"' && !c.is_control())
        .collect();
    format!("\"{propre}\"")
}

/// One content line, folded so that no physical line exceeds 75 octets (a continuation
/// starts with a space), never inside a UTF-8 character; ends with CRLF.
pub fn plier(ligne: &str) -> String {
    let mut sortie = String::with_capacity(ligne.len() + ligne.len() / 70 * 3 + 2);
    let mut longueur = 0;
    for c in ligne.chars() {
        let octets = c.len_utf8();
        if longueur + octets > 75 {
            sortie.push_str("\r\n ");
            longueur = 1;
        }
        sortie.push(c);
        longueur += octets;
    }
    sortie.push_str("\r\n");
    sortie
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn evenement(methode: Methode, fuseau: Tz) -> Evenement {
        Evenement {
            reservation_id: "abababab-abab-4bab-abab-abababababab".into(),
            sequence: 2,
            horodatage: Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
            debut: Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).unwrap(),
            fin: Utc.with_ymd_and_hms(2026, 12, 1, 10, 30, 0).unwrap(),
            fuseau,
            resume: "Séance individuelle, avec Claire Fontaine".into(),
            description: "Ligne 1; avec, virgule\nLigne 2 \\ fin".into(),
            lieu: "Lyon".into(),
            url: Some("http://coach.localhost:8787/reservations/x?token=y".into()),
            organisateur: Personne {
                nom: "Claire \"La\" Fontaine".into(),
                email: "claire@exemple.fr".into(),
            },
            participant: Personne {
                nom: "Renée Dupont".into(),
                email: "renee@exemple.fr".into(),
            },
            methode,
        }
    }

    fn deplier(ics: &str) -> Vec<String> {
        ics.replace("\r\n ", "")
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_line_ends_with_crlf_and_no_line_exceeds_75_octets() {
        let mut e = evenement(Methode::Request, chrono_tz::Europe::Paris);
        e.description = "é".repeat(200);
        let ics = e.ics();
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
        for ligne in ics.split("\r\n") {
            assert!(ligne.len() <= 75, "{} octets: {ligne}", ligne.len());
        }
        let description = deplier(&ics)
            .into_iter()
            .find(|l| l.starts_with("DESCRIPTION:"))
            .unwrap();
        assert_eq!(description, format!("DESCRIPTION:{}", "é".repeat(200)));
    }

    #[test]
    fn paris_times_carry_their_tzid_and_the_zone_is_described() {
        let lignes = deplier(&evenement(Methode::Request, chrono_tz::Europe::Paris).ics());
        assert!(lignes.contains(&"DTSTART;TZID=Europe/Paris:20261201T103000".to_owned()));
        assert!(lignes.contains(&"DTEND;TZID=Europe/Paris:20261201T113000".to_owned()));
        assert!(lignes.contains(&"TZID:Europe/Paris".to_owned()));
        assert!(lignes.contains(&"METHOD:REQUEST".to_owned()));
        assert!(lignes
            .contains(&"UID:abababab-abab-4bab-abab-abababababab@booking-multisite".to_owned()));
        assert!(lignes.contains(&"SEQUENCE:2".to_owned()));
        assert!(lignes.contains(&"DTSTAMP:20261125T090000Z".to_owned()));
    }

    #[test]
    fn other_zones_are_written_in_utc_and_a_cancellation_says_so() {
        let lignes = deplier(&evenement(Methode::Cancel, chrono_tz::America::Martinique).ics());
        assert!(lignes.contains(&"DTSTART:20261201T093000Z".to_owned()));
        assert!(!lignes.iter().any(|l| l.starts_with("BEGIN:VTIMEZONE")));
        assert!(lignes.contains(&"METHOD:CANCEL".to_owned()));
        assert!(lignes.contains(&"STATUS:CANCELLED".to_owned()));
    }

    #[test]
    fn text_values_are_escaped_and_names_quoted() {
        let lignes = deplier(&evenement(Methode::Request, chrono_tz::Europe::Paris).ics());
        assert!(lignes
            .contains(&"DESCRIPTION:Ligne 1\\; avec\\, virgule\\nLigne 2 \\\\ fin".to_owned()));
        assert!(lignes.contains(&"SUMMARY:Séance individuelle\\, avec Claire Fontaine".to_owned()));
        assert!(
            lignes
                .iter()
                .any(|l| l
                    .starts_with("ORGANIZER;CN=\"Claire La Fontaine\":mailto:claire@exemple.fr"))
        );
    }

    #[test]
    fn folding_never_splits_a_character() {
        let ligne = format!("SUMMARY:{}", "€".repeat(60));
        let plie = plier(&ligne);
        for morceau in plie.split("\r\n") {
            assert!(morceau.len() <= 75);
        }
        assert_eq!(plie.replace("\r\n ", "").trim_end(), ligne);
    }
}
