//! French formatting, one way for pages, e-mails, calendars and the pro space alike:
//! money, dates and times, durations, ratings, statuses, and URL components.

use chrono::{Datelike, Timelike};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::notifications::Pour;
use crate::reservation::StatutReservation;

const JOURS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const MOIS: [&str; 12] = [
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

/// Between groups of three digits: a narrow no-break space.
const ESPACE_FINE: char = '\u{202f}';

/// « Mécanicien » from « mécanicien ».
pub fn capitaliser(texte: &str) -> String {
    let mut c = texte.chars();
    match c.next() {
        Some(premier) => crate::casse::majuscule(premier).chain(c).collect(),
        None => String::new(),
    }
}

/// « Mécanicien » from « mécanicien » or « MÉCANICIEN »: the first letter in upper case, the
/// rest in lower case (what the templates' `capitalize` filter did).
pub fn majuscule_initiale(texte: &str) -> String {
    let mut c = texte.chars();
    match c.next() {
        Some(premier) => {
            let mut mot: String = crate::casse::majuscule(premier).collect();
            mot.push_str(&crate::casse::minuscules(c.as_str()));
            mot
        }
        None => String::new(),
    }
}

/// « 1 place restante », « 3 places restantes ».
pub fn places_restantes(places: i64) -> String {
    if places > 1 {
        format!("{places} places restantes")
    } else {
        format!("{places} place restante")
    }
}

/// Who a booking is with, as its pages and e-mails say it, in the trade's words
/// (« Mécanicien : Karim », « Pont : Pont 2 »): the person when the establishment has
/// several active ones, the resource when it took one.
///
/// When the trade calls its professionals and their people alike (« coach »), the person's
/// line says « Avec ».
pub fn avec(
    vertical: &crate::vertical::VerticalConfig,
    personne: Option<&str>,
    ressource: Option<&str>,
) -> Vec<(String, String)> {
    let mots = vertical.membres();
    let libelle = if mots.personne == vertical.textes().professionnel_singulier() {
        "Avec".to_owned()
    } else {
        capitaliser(&mots.personne)
    };
    [
        (libelle, personne),
        (capitaliser(&mots.ressource), ressource),
    ]
    .into_iter()
    .filter_map(|(libelle, nom)| Some((libelle, nom?.to_owned())))
    .collect()
}

/// `8900` → `89,00 €`, `123450` → `1 234,50 €`: cents always shown, digits grouped by a
/// narrow no-break space, a no-break space before the sign (as French typography, and
/// CLDR's `fr`, write it).
pub fn euros(centimes: i64) -> String {
    let signe = if centimes < 0 { "-" } else { "" };
    let c = centimes.unsigned_abs();
    format!("{signe}{},{:02}\u{a0}€", milliers(c / 100), c % 100)
}

fn milliers(n: u64) -> String {
    let chiffres = n.to_string();
    let mut sortie = String::new();
    for (i, c) in chiffres.chars().enumerate() {
        if i > 0 && (chiffres.len() - i).is_multiple_of(3) {
            sortie.push(ESPACE_FINE);
        }
        sortie.push(c);
    }
    sortie
}

/// An amount as a form field shows it for editing (what `comptes::saisies_pro::euros`
/// reads back): `45`, `45,50`, nothing when there is none.
pub fn euros_saisis(centimes: Option<i64>) -> String {
    match centimes {
        None => String::new(),
        Some(c) => {
            let signe = if c < 0 { "-" } else { "" };
            match c.unsigned_abs() {
                c if c % 100 == 0 => format!("{signe}{}", c / 100),
                c => format!("{signe}{},{:02}", c / 100, c % 100),
            }
        }
    }
}

/// A price range: `de 60,00 € à 199,00 €`, or one price when both ends are equal.
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
pub fn date_longue(jour: &impl Datelike) -> String {
    format!("{} {}", jour_et_mois(jour), jour.year())
}

/// `lundi 30 novembre` (`1er` for the first of the month).
pub fn jour_et_mois(date: &impl Datelike) -> String {
    let jour = JOURS[date.weekday().num_days_from_monday() as usize];
    let mois = MOIS[date.month0() as usize];
    let quantieme = match date.day() {
        1 => "1er".to_owned(),
        d => d.to_string(),
    };
    format!("{jour} {quantieme} {mois}")
}

/// `9 h 05`, `10 h`.
pub fn heure(instant: &impl Timelike) -> String {
    match instant.minute() {
        0 => format!("{} h", instant.hour()),
        m => format!("{} h {m:02}", instant.hour()),
    }
}

/// When a professional is next free, in their zone, as cards and profiles say it:
/// `Disponible aujourd'hui à 14 h 30`, `Disponible demain à 9 h`, `Disponible le jeudi
/// 12 mars à 10 h`. `aujourdhui` is the local date now.
pub fn prochaine_disponibilite(
    debut: &(impl Datelike + Timelike),
    aujourdhui: &impl Datelike,
) -> String {
    let jour = debut.num_days_from_ce() - aujourdhui.num_days_from_ce();
    let quand = match jour {
        0 => "aujourd'hui".to_owned(),
        1 => "demain".to_owned(),
        _ => format!("le {}", jour_et_mois(debut)),
    };
    format!("Disponible {quand} à {}", heure(debut))
}

/// `mardi 3 mars 2026 à 9 h 05`.
pub fn date_et_heure(instant: &(impl Datelike + Timelike)) -> String {
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

/// A delay in words, for sentences: `30 minutes`, `1 heure 30`, `24 heures`, `2 jours`.
pub fn delai(minutes: u32) -> String {
    let (h, m) = (minutes / 60, minutes % 60);
    let heures = if h > 1 { "heures" } else { "heure" };
    match (h, m) {
        (0, m) => format!("{m} minutes"),
        (h, 0) if h.is_multiple_of(24) && h >= 48 => format!("{} jours", h / 24),
        (h, 0) => format!("{h} {heures}"),
        (h, m) => format!("{h} {heures} {m:02}"),
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
        .flat_map(crate::casse::majuscule)
        .take(2)
        .collect()
}

/// A booking's status as the client or the professional (and the admin) reads it.
pub fn statut_libelle(statut: StatutReservation, pour: Pour) -> &'static str {
    use StatutReservation as S;
    match (statut, pour) {
        (S::Offerte, Pour::Client) => "Proposée (liste d'attente) : à accepter",
        (S::Offerte, Pour::Professionnel) => "Proposé à la liste d'attente",
        (S::EnAttenteConfirmation, Pour::Client) => "En attente de votre confirmation",
        (S::EnAttenteConfirmation, Pour::Professionnel) => "En attente de confirmation du client",
        (S::EnAttentePaiement, _) => "En attente de paiement",
        (S::Confirmee, Pour::Client) => "Confirmée",
        (S::Confirmee, Pour::Professionnel) => "Confirmé",
        (S::Terminee, Pour::Client) => "Terminée",
        (S::Terminee, Pour::Professionnel) => "Effectué",
        (S::Absent, Pour::Client) => "Absence signalée",
        (S::Absent, Pour::Professionnel) => "Client absent",
        (S::Annulee, Pour::Client) => "Annulée",
        (S::Annulee, Pour::Professionnel) => "Annulé",
        (S::Expiree, Pour::Client) => "Expirée (ni payée ni confirmée à temps)",
        (S::Expiree, Pour::Professionnel) => "Expiré (ni payé ni confirmé à temps)",
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
    use chrono::{TimeZone, Utc};

    #[test]
    fn a_word_gets_its_first_letter_in_upper_case() {
        assert_eq!(capitaliser("mécanicien"), "Mécanicien");
        assert_eq!(capitaliser("ßa IA"), "SSa IA");
        assert_eq!(majuscule_initiale("éLECTRICIEN IA"), "Électricien ia");
        assert_eq!(majuscule_initiale("ǆ"), "Ǆ");
        assert_eq!(
            (capitaliser(""), majuscule_initiale("")),
            (String::new(), String::new())
        );
    }

    #[test]
    fn amounts_are_written_the_french_way() {
        assert_eq!(euros(8900), "89,00\u{a0}€");
        assert_eq!(euros(8950), "89,50\u{a0}€");
        assert_eq!(euros(123450), "1\u{202f}234,50\u{a0}€");
        assert_eq!(euros(12_345_600), "123\u{202f}456,00\u{a0}€");
        assert_eq!(euros(-5), "-0,05\u{a0}€");
        assert_eq!(
            fourchette(Some(6000), Some(19900)).as_deref(),
            Some("de 60,00\u{a0}€ à 199,00\u{a0}€")
        );
        assert_eq!(euros_saisis(Some(4500)), "45");
        assert_eq!(euros_saisis(Some(4550)), "45,50");
        assert_eq!(euros_saisis(None), "");
    }

    #[test]
    fn dates_and_durations_read_in_french() {
        let d = Utc.with_ymd_and_hms(2026, 12, 1, 9, 5, 0).unwrap();
        assert_eq!(date_et_heure(&d), "mardi 1er décembre 2026 à 9 h 05");
        let d = chrono_tz::Europe::Paris
            .with_ymd_and_hms(2026, 8, 15, 9, 0, 0)
            .unwrap();
        assert_eq!(date_et_heure(&d), "samedi 15 août 2026 à 9 h");
        assert_eq!(duree(45), "45\u{a0}min");
        assert_eq!(duree(60), "1\u{a0}h");
        assert_eq!(duree(90), "1\u{a0}h\u{a0}30");
        assert_eq!(note(4.56), "4,6");
        assert_eq!(delai(1440), "24 heures");
        assert_eq!(delai(2880), "2 jours");
        assert_eq!(delai(120), "2 heures");
        assert_eq!(delai(60), "1 heure");
        assert_eq!(delai(30), "30 minutes");
        assert_eq!(delai(90), "1 heure 30");
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
