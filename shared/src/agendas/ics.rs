//! Reading an iCalendar file (RFC 5545) into its events: line unfolding, content lines
//! with quoted parameters, the VEVENTs of the calendar (alarms skipped) with the
//! properties busy time needs, and the file's own time zones (VTIMEZONE) for the TZIDs
//! no built-in name matches.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use chrono_tz::Tz;

use super::fuseaux::{decalage, equivalente, fuseau, Observance};
use super::recurrence::{Travail, TropComplexe};
use super::Illisible;

/// A date or a date-time as written: wall-clock time in a zone (UTC for a `Z` value, the
/// professional's zone for a floating one), or a whole day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub local: NaiveDateTime,
    pub fuseau: Tz,
    pub jour_entier: bool,
}

/// An extra occurrence (RDATE): its start, and its own end or length when written as a
/// period (`start/end`, `start/duration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ajout {
    pub debut: Moment,
    pub fin: Option<Moment>,
    pub duree: Option<TimeDelta>,
}

/// One VEVENT, with what busy time needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evenement {
    pub uid: String,
    pub debut: Moment,
    pub fin: Option<Moment>,
    pub duree: Option<TimeDelta>,
    pub regle: Option<String>,
    pub ajouts: Vec<Ajout>,
    pub exclusions: Vec<Moment>,
    pub recurrence_id: Option<Moment>,
    /// Neither cancelled (STATUS:CANCELLED) nor free time (TRANSP:TRANSPARENT).
    pub occupe: bool,
    /// An exclusion rule (EXRULE, obsolete) it has, which is not applied.
    pub exclusion_ignoree: bool,
}

/// The zones a file defines itself, by TZID, as the built-in zones they match.
type Zones = Vec<(String, Tz)>;

/// The content lines, unfolded (a line starting with a space or a tab continues the one
/// before).
fn deplier(texte: &str) -> Vec<String> {
    let mut lignes: Vec<String> = Vec::new();
    for brute in texte.split('\n') {
        let brute = brute.strip_suffix('\r').unwrap_or(brute);
        match (brute.strip_prefix([' ', '\t']), lignes.last_mut()) {
            (Some(suite), Some(derniere)) => derniere.push_str(suite),
            _ if brute.is_empty() => {}
            _ => lignes.push(brute.to_owned()),
        }
    }
    lignes
}

/// A content line: its name (upper case), its parameters (names upper case, values
/// unquoted) and its value.
struct Ligne {
    nom: String,
    parametres: Vec<(String, String)>,
    valeur: String,
}

impl Ligne {
    fn lire(ligne: &str) -> Option<Self> {
        let mut entre_guillemets = false;
        let mut deux_points = None;
        for (i, c) in ligne.char_indices() {
            match c {
                '"' => entre_guillemets = !entre_guillemets,
                ':' if !entre_guillemets => {
                    deux_points = Some(i);
                    break;
                }
                _ => {}
            }
        }
        let (tete, valeur) = ligne.split_at(deux_points?);
        let mut morceaux = decouper_hors_guillemets(tete);
        let nom = morceaux.next()?.trim().to_ascii_uppercase();
        let parametres = morceaux
            .filter_map(|p| {
                let (n, v) = p.split_once('=')?;
                Some((
                    n.trim().to_ascii_uppercase(),
                    v.trim().trim_matches('"').to_owned(),
                ))
            })
            .collect();
        Some(Self {
            nom,
            parametres,
            valeur: valeur[1..].trim().to_owned(),
        })
    }

    fn parametre(&self, nom: &str) -> Option<&str> {
        self.parametres
            .iter()
            .find(|(n, _)| n == nom)
            .map(|(_, v)| v.as_str())
    }

    /// The value as dates or date-times (a comma-separated list for EXDATE); `Err` with
    /// the TZID when a local time names a zone not known.
    fn moments(&self, defaut: Tz, zones: &Zones) -> Result<Vec<Moment>, String> {
        Ok(self
            .ajouts(defaut, zones)?
            .into_iter()
            .map(|a| a.debut)
            .collect())
    }

    /// The value as dates, date-times or periods (`start/end`, `start/duration`: RDATE's
    /// VALUE=PERIOD); `Err` with the TZID when a local time names a zone not known.
    fn ajouts(&self, defaut: Tz, zones: &Zones) -> Result<Vec<Ajout>, String> {
        let date = self
            .parametre("VALUE")
            .is_some_and(|v| v.eq_ignore_ascii_case("DATE"));
        let tzid = self.parametre("TZID");
        let zone = tzid.and_then(|t| {
            fuseau(t).or_else(|| zones.iter().find(|(n, _)| n == t).map(|(_, tz)| *tz))
        });
        let ajouts: Vec<Ajout> = self
            .valeur
            .split(',')
            .filter_map(|v| {
                let (debut, apres) = match v.trim().split_once('/') {
                    Some((debut, apres)) => (debut, Some(apres)),
                    None => (v.trim(), None),
                };
                let debut = moment(debut, date, zone, defaut)?;
                let fin = apres.and_then(|a| moment(a, false, zone, defaut));
                let duree = apres.and_then(duree);
                Some(Ajout { debut, fin, duree })
            })
            .collect();
        match tzid {
            Some(tzid)
                if zone.is_none()
                    && ajouts.iter().any(|a| {
                        [Some(a.debut), a.fin]
                            .iter()
                            .flatten()
                            .any(|m| !m.jour_entier && m.fuseau != Tz::UTC)
                    }) =>
            {
                Err(tzid.chars().take(60).collect())
            }
            _ => Ok(ajouts),
        }
    }
}

fn decouper_hors_guillemets(texte: &str) -> impl Iterator<Item = &str> {
    let mut entre_guillemets = false;
    texte.split(move |c| {
        if c == '"' {
            entre_guillemets = !entre_guillemets;
        }
        c == ';' && !entre_guillemets
    })
}

/// `n` decimal digits at the start of `texte`.
fn chiffres(texte: &str, n: usize) -> Option<u32> {
    let t = texte.get(..n)?;
    if t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok()
    } else {
        None
    }
}

/// `YYYYMMDD` (chrono's format parser would weigh on the Worker's Wasm for this).
pub fn lire_jour(texte: &str) -> Option<NaiveDate> {
    if texte.len() != 8 {
        return None;
    }
    let annee = i32::try_from(chiffres(texte, 4)?).ok()?;
    NaiveDate::from_ymd_opt(
        annee,
        chiffres(texte.get(4..)?, 2)?,
        chiffres(texte.get(6..)?, 2)?,
    )
}

/// `YYYYMMDDTHHMMSS`, or `YYYYMMDDTHHMM`.
pub fn lire_date_heure(texte: &str) -> Option<NaiveDateTime> {
    let (jour, heure) = texte.split_once(['T', 't'])?;
    let secondes = match heure.len() {
        6 => chiffres(heure.get(4..)?, 2)?,
        4 => 0,
        _ => return None,
    };
    lire_jour(jour)?.and_hms_opt(chiffres(heure, 2)?, chiffres(heure.get(2..)?, 2)?, secondes)
}

fn moment(valeur: &str, date: bool, zone: Option<Tz>, defaut: Tz) -> Option<Moment> {
    if date || valeur.len() == 8 {
        let jour = lire_jour(valeur.get(..8)?)?;
        return Some(Moment {
            local: jour.and_time(NaiveTime::MIN),
            fuseau: defaut,
            jour_entier: true,
        });
    }
    let (texte, utc) = match valeur.strip_suffix(['Z', 'z']) {
        Some(t) => (t, true),
        None => (valeur, false),
    };
    let local = lire_date_heure(texte)?;
    Some(Moment {
        local,
        fuseau: if utc { Tz::UTC } else { zone.unwrap_or(defaut) },
        jour_entier: false,
    })
}

/// Longest duration read: a longer one is read as this (an event covers at most the
/// horizon of busy time anyway).
const DUREE_MAX_JOURS: i64 = 366;

/// An iCalendar duration (`PT1H30M`, `P1D`, `P2W`, `-PT15M`), at most
/// [`DUREE_MAX_JOURS`] either way.
pub fn duree(texte: &str) -> Option<TimeDelta> {
    let (signe, texte) = match texte.strip_prefix('-') {
        Some(t) => (-1, t),
        None => (1, texte.strip_prefix('+').unwrap_or(texte)),
    };
    let texte = texte.strip_prefix('P')?;
    let max = TimeDelta::days(DUREE_MAX_JOURS);
    let mut total = TimeDelta::zero();
    let mut nombre = String::new();
    let mut dans_le_temps = false;
    for c in texte.chars() {
        match c {
            '0'..='9' => nombre.push(c),
            'T' => dans_le_temps = true,
            _ => {
                let n: i64 = nombre.parse().ok()?;
                nombre.clear();
                let partie = match (c, dans_le_temps) {
                    ('W', false) => TimeDelta::try_weeks(n),
                    ('D', false) => TimeDelta::try_days(n),
                    ('H', true) => TimeDelta::try_hours(n),
                    ('M', true) => TimeDelta::try_minutes(n),
                    ('S', true) => TimeDelta::try_seconds(n),
                    _ => return None,
                };
                // Past the bound (or chrono's range), the sum is the bound.
                total = partie
                    .and_then(|p| total.checked_add(&p))
                    .map_or(max, |t| t.min(max));
            }
        }
    }
    nombre.is_empty().then_some(total * signe)
}

/// The VEVENTs of the calendar in `texte`; floating times and whole days are read in
/// `defaut`, the professional's zone. Events without a readable DTSTART are skipped; a
/// local time in a zone not known fails the file (rather than being guessed). Reading the
/// file's own zones is charged to `travail`.
pub fn evenements(
    texte: &str,
    defaut: Tz,
    travail: &mut Travail,
) -> Result<Vec<Evenement>, Illisible> {
    let lignes = deplier(texte.trim_start_matches('\u{feff}'));
    let premiere = lignes.first().map(|l| l.trim().to_ascii_uppercase());
    if premiere.as_deref() != Some("BEGIN:VCALENDAR") {
        return Err(Illisible::PasUnCalendrier);
    }
    let lignes: Vec<Ligne> = lignes.iter().filter_map(|l| Ligne::lire(l)).collect();
    let zones = zones_du_fichier(&lignes, travail)?;
    let mut evenements = Vec::new();
    // The components open around the current line, innermost last.
    let mut pile: Vec<String> = Vec::new();
    let mut courant: Option<Brouillon> = None;
    for ligne in &lignes {
        match ligne.nom.as_str() {
            "BEGIN" => {
                let composant = ligne.valeur.to_ascii_uppercase();
                if composant == "VEVENT" && pile.len() == 1 {
                    courant = Some(Brouillon::default());
                }
                pile.push(composant);
            }
            "END" => {
                if pile.len() == 2 && pile.last().is_some_and(|c| c == "VEVENT") {
                    evenements.extend(courant.take().and_then(Brouillon::evenement));
                }
                pile.pop();
            }
            _ if pile.len() == 2 => {
                if let Some(b) = courant.as_mut() {
                    b.lire(ligne, defaut, &zones)
                        .map_err(Illisible::FuseauInconnu)?;
                }
            }
            _ => {}
        }
    }
    Ok(evenements)
}

/// Zones defined in one file: past that, the others are unknown.
const ZONES_MAX: usize = 8;

/// The file's VTIMEZONEs whose TZID no built-in name matches, as the built-in zones with
/// the same offsets and changes (those with none are left out: unknown), their work
/// charged to `travail`.
fn zones_du_fichier(lignes: &[Ligne], travail: &mut Travail) -> Result<Zones, TropComplexe> {
    let mut zones: Vec<(String, Vec<Observance>)> = Vec::new();
    let mut pile: Vec<String> = Vec::new();
    let mut observance: Option<Observance> = None;
    for ligne in lignes {
        match (ligne.nom.as_str(), pile.len()) {
            ("BEGIN", _) => {
                pile.push(ligne.valeur.to_ascii_uppercase());
                if pile.len() == 2 && pile[1] == "VTIMEZONE" {
                    zones.push((String::new(), Vec::new()));
                }
                if pile.len() == 3 && pile[1] == "VTIMEZONE" {
                    observance = Some(Observance {
                        debut: NaiveDateTime::MIN,
                        de: i32::MIN,
                        vers: i32::MIN,
                        regle: None,
                        dates: Vec::new(),
                    });
                }
            }
            ("END", 3) => {
                if let (Some(o), Some((_, observances))) = (observance.take(), zones.last_mut()) {
                    if o.vers != i32::MIN {
                        let de = if o.de == i32::MIN { o.vers } else { o.de };
                        observances.push(Observance { de, ..o });
                    }
                }
                pile.pop();
            }
            ("END", _) => {
                pile.pop();
            }
            ("TZID", 2) if pile[1] == "VTIMEZONE" => {
                if let Some(zone) = zones.last_mut() {
                    zone.0 = ligne.valeur.clone();
                }
            }
            (nom, 3) => {
                if let Some(o) = observance.as_mut() {
                    match nom {
                        "DTSTART" => {
                            o.debut = lire_date_heure(&ligne.valeur).unwrap_or(NaiveDateTime::MIN)
                        }
                        "TZOFFSETFROM" => o.de = decalage(&ligne.valeur).unwrap_or(i32::MIN),
                        "TZOFFSETTO" => o.vers = decalage(&ligne.valeur).unwrap_or(i32::MIN),
                        "RRULE" => o.regle = Some(ligne.valeur.clone()),
                        "RDATE" => o.dates.extend(
                            ligne
                                .valeur
                                .split(',')
                                .filter_map(|v| lire_date_heure(v.trim())),
                        ),
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let mut connues = Zones::new();
    for (tzid, mut observances) in zones
        .into_iter()
        .filter(|(tzid, _)| !tzid.is_empty() && fuseau(tzid).is_none())
        .take(ZONES_MAX)
    {
        // One part with no start nor rule (as some Exchange servers write a fixed
        // offset): in force all along.
        if let [o] = observances.as_mut_slice() {
            if o.debut == NaiveDateTime::MIN && o.regle.is_none() {
                o.debut = NaiveDate::from_ymd_opt(1601, 1, 1)
                    .unwrap_or_default()
                    .and_time(NaiveTime::MIN);
                o.de = o.vers;
            }
        }
        observances.retain(|o| o.debut != NaiveDateTime::MIN);
        if let Some(tz) = equivalente(&observances, travail)? {
            connues.push((tzid, tz));
        }
    }
    Ok(connues)
}

#[derive(Default)]
struct Brouillon {
    uid: String,
    debut: Option<Moment>,
    fin: Option<Moment>,
    duree: Option<TimeDelta>,
    regle: Option<String>,
    ajouts: Vec<Ajout>,
    exclusions: Vec<Moment>,
    recurrence_id: Option<Moment>,
    annule: bool,
    transparent: bool,
    exclusion_ignoree: bool,
}

impl Brouillon {
    /// Reads one property; `Err` with the TZID of a time in a zone not known.
    fn lire(&mut self, ligne: &Ligne, defaut: Tz, zones: &Zones) -> Result<(), String> {
        let premier = || Ok::<_, String>(ligne.moments(defaut, zones)?.into_iter().next());
        match ligne.nom.as_str() {
            "UID" => self.uid = ligne.valeur.clone(),
            "DTSTART" => self.debut = premier()?,
            "DTEND" => self.fin = premier()?,
            "DURATION" => self.duree = duree(&ligne.valeur),
            "RRULE" => self.regle = Some(ligne.valeur.clone()),
            "RDATE" => self.ajouts.extend(ligne.ajouts(defaut, zones)?),
            "EXRULE" => self.exclusion_ignoree = true,
            "EXDATE" => self.exclusions.extend(ligne.moments(defaut, zones)?),
            "RECURRENCE-ID" => self.recurrence_id = premier()?,
            "STATUS" => self.annule = ligne.valeur.eq_ignore_ascii_case("CANCELLED"),
            "TRANSP" => self.transparent = ligne.valeur.eq_ignore_ascii_case("TRANSPARENT"),
            _ => {}
        }
        Ok(())
    }

    fn evenement(self) -> Option<Evenement> {
        Some(Evenement {
            uid: self.uid,
            debut: self.debut?,
            fin: self.fin,
            duree: self.duree,
            regle: self.regle,
            ajouts: self.ajouts,
            exclusions: self.exclusions,
            recurrence_id: self.recurrence_id,
            occupe: !self.annule && !self.transparent,
            exclusion_ignoree: self.exclusion_ignoree,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_lines_quoted_parameters_and_alarms_are_read() {
        let texte = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a@b\r\nDTSTART;TZID=\"Romance Standard Time\":20260302T090000\r\nDTEND;TZID=\r\n Romance Standard Time:20260302T100000\r\nSUMMARY:Dentiste: \"contrôle\"\r\nEXDATE;TZID=Europe/Paris:20260309T090000,20260316T090000\r\nRRULE:FREQ=WEEKLY\r\nBEGIN:VALARM\r\nTRIGGER:-PT15M\r\nDTSTART:19700101T000000Z\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let e = evenements(texte, Tz::UTC, &mut Travail::default()).unwrap();
        assert_eq!(e.len(), 1);
        let e = &e[0];
        assert_eq!(e.uid, "a@b");
        assert_eq!(e.debut.fuseau, Tz::Europe__Paris);
        assert_eq!(e.debut.local.to_string(), "2026-03-02 09:00:00");
        assert_eq!(e.fin.unwrap().fuseau, Tz::Europe__Paris);
        assert_eq!(e.exclusions.len(), 2);
        assert_eq!(e.regle.as_deref(), Some("FREQ=WEEKLY"));
        assert!(e.occupe);
    }

    #[test]
    fn floating_utc_and_all_day_values_are_told_apart() {
        let texte = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20260302T090000Z\nDURATION:PT1H30M\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:20260303T090000\nTRANSP:TRANSPARENT\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260304\nSTATUS:CANCELLED\nEND:VEVENT\nEND:VCALENDAR";
        let e = evenements(texte, Tz::Europe__Paris, &mut Travail::default()).unwrap();
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].debut.fuseau, Tz::UTC);
        assert_eq!(e[0].duree, Some(TimeDelta::minutes(90)));
        assert_eq!(e[1].debut.fuseau, Tz::Europe__Paris);
        assert!(!e[1].occupe);
        assert!(e[2].debut.jour_entier);
        assert!(!e[2].occupe);
    }

    #[test]
    fn a_local_time_in_a_zone_not_known_fails_the_file_rather_than_being_guessed() {
        let avec = |ligne: &str| {
            evenements(
                &format!(
                    "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n{ligne}\nEND:VEVENT\nEND:VCALENDAR"
                ),
                Tz::Europe__Paris,
                &mut Travail::default(),
            )
        };
        assert_eq!(
            avec("DTSTART;TZID=Customized Time Zone:20260302T090000"),
            Err(Illisible::FuseauInconnu("Customized Time Zone".into()))
        );
        assert_eq!(
            avec("DTSTART;TZID=Europe/Paris:20260302T090000\nEXDATE;TZID=Mars/Olympus:20260309T090000"),
            Err(Illisible::FuseauInconnu("Mars/Olympus".into()))
        );
        assert_eq!(
            Illisible::FuseauInconnu("Mars/Olympus".into()).to_string(),
            "Fuseau horaire inconnu : Mars/Olympus."
        );
        // A zone that does not matter is no failure: a UTC time, a whole day.
        assert!(avec("DTSTART;TZID=Mars/Olympus:20260302T090000Z").is_ok());
        assert!(avec("DTSTART;TZID=Mars/Olympus;VALUE=DATE:20260302").is_ok());
        assert!(avec("DTSTART;TZID=Romance Standard Time:20260302T090000").is_ok());
    }

    #[test]
    fn what_is_not_a_calendar_is_refused() {
        for texte in ["", "<!DOCTYPE html><html>", "BEGIN:VCARD\nEND:VCARD", "{}"] {
            assert_eq!(
                evenements(texte, Tz::UTC, &mut Travail::default()),
                Err(Illisible::PasUnCalendrier),
                "{texte}"
            );
        }
        assert!(evenements(
            "\u{feff}BEGIN:VCALENDAR\r\nEND:VCALENDAR",
            Tz::UTC,
            &mut Travail::default()
        )
        .is_ok());
    }

    #[test]
    fn dates_and_times_are_read_digit_by_digit() {
        assert_eq!(lire_jour("20260229"), None);
        assert_eq!(lire_jour("2028022"), None);
        assert_eq!(lire_jour("2028+229"), None);
        assert_eq!(
            lire_jour("20280229").map(|j| j.to_string()).as_deref(),
            Some("2028-02-29")
        );
        assert_eq!(
            lire_date_heure("20260329T023000")
                .map(|j| j.to_string())
                .as_deref(),
            Some("2026-03-29 02:30:00")
        );
        assert_eq!(
            lire_date_heure("20260329T0230")
                .map(|j| j.to_string())
                .as_deref(),
            Some("2026-03-29 02:30:00")
        );
        assert_eq!(lire_date_heure("20260329T2500"), None);
        assert_eq!(lire_date_heure("20260329T02300"), None);
        assert_eq!(lire_date_heure("20260329"), None);
    }

    #[test]
    fn durations_are_read() {
        assert_eq!(duree("PT1H"), Some(TimeDelta::hours(1)));
        assert_eq!(duree("P1DT2H"), Some(TimeDelta::hours(26)));
        assert_eq!(duree("P2W"), Some(TimeDelta::days(14)));
        assert_eq!(duree("-PT15M"), Some(TimeDelta::minutes(-15)));
        assert_eq!(duree("PT"), Some(TimeDelta::zero()));
        assert_eq!(duree("P1H"), None);
        assert_eq!(duree("1H"), None);
        assert_eq!(duree("PT1"), None);
    }
}
