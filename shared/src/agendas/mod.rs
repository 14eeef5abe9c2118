//! A professional's external calendars (Google, Outlook, Apple): the check of their
//! address, and the busy intervals their iCalendar file gives over a window.
//!
//! The file is read by a parser of the subset busy time needs rather than a crate:
//! `icalendar` expands recurrences only through `rrule`, which needs the full `regex`
//! crate (the Worker keeps to `regex-lite` for its size); see the README, "Agendas
//! externes".

mod adresse;
mod fuseaux;
mod ics;
mod recurrence;

#[cfg(test)]
mod tests_hostiles;
#[cfg(test)]
mod tests_occupations;
#[cfg(test)]
mod tests_recurrence;

use chrono::{DateTime, NaiveTime, SubsecRound, TimeDelta, Utc};
use chrono_tz::Tz;

pub use adresse::{AdresseAgenda, AdresseRefusee, LONGUEUR_MAX};
pub use ics::{evenements, Ajout, Evenement, Moment};
pub use recurrence::{Frequence, Jusqua, NonCompris, Regle, Travail, TropComplexe};

/// Most busy intervals kept per calendar (the nearest ones; the time after them is
/// busy up to the horizon).
pub const OCCUPATIONS_MAX: usize = 2000;
/// Intervals collected before they are merged (and the farthest dropped).
const COLLECTE_MAX: usize = 4 * OCCUPATIONS_MAX;

/// Why a file gives no busy intervals, as the professional reads it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Illisible {
    #[error("Ce n'est pas un calendrier iCalendar.")]
    PasUnCalendrier,
    #[error("Calendrier trop complexe : trop d'événements ou de répétitions à lire.")]
    TropComplexe,
    /// A TZID this reader does not know (its times are not guessed): its name, cut.
    #[error("Fuseau horaire inconnu : {0}.")]
    FuseauInconnu(String),
}

impl From<TropComplexe> for Illisible {
    fn from(_: TropComplexe) -> Self {
        Illisible::TropComplexe
    }
}

/// A busy interval `[debut, fin)`.
pub type Intervalle = (DateTime<Utc>, DateTime<Utc>);

/// The instant of a wall-clock time; a time in a spring-forward gap is read as the
/// first instant after it.
pub fn instant(moment: &Moment) -> Option<DateTime<Utc>> {
    (0..=4).find_map(|quarts| {
        let local = moment
            .local
            .checked_add_signed(TimeDelta::minutes(15 * quarts))?;
        local
            .and_local_timezone(moment.fuseau)
            .earliest()
            .map(|i| i.with_timezone(&Utc))
    })
}

/// What a calendar gives: its busy intervals, and the parts of its rules not taken into
/// account (each event using one counts only at its first date).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Occupations {
    pub intervalles: Vec<Intervalle>,
    /// RRULE parts not understood (`BYWEEKNO`, `FREQ=HOURLY`…), sorted, without repeats.
    pub non_compris: Vec<String>,
    /// Whether an exclusion rule (EXRULE) was left out (the dates it excludes count as
    /// busy).
    pub exclusions_ignorees: bool,
}

/// Parts not understood named in the warning, at most.
const NON_COMPRIS_MAX: usize = 5;

impl Occupations {
    /// What the professional should know of what was not taken into account, in French.
    pub fn avertissement(&self) -> Option<String> {
        let mut phrases = Vec::new();
        if !self.non_compris.is_empty() {
            phrases.push(format!(
                "Répétitions non prises en compte ({}) : les événements concernés ne comptent comme occupés qu'à leur première date.",
                self.non_compris.join(", ")
            ));
        }
        if self.exclusions_ignorees {
            phrases.push(
                "Règles d'exclusion (EXRULE) non prises en compte : les dates qu'elles excluent comptent comme occupées."
                    .to_owned(),
            );
        }
        (!phrases.is_empty()).then(|| phrases.join(" "))
    }
}

/// The busy intervals of the calendar `texte` that meet `[de, a)` ([`lire`]).
pub fn occupations(
    texte: &str,
    fuseau: Tz,
    de: DateTime<Utc>,
    a: DateTime<Utc>,
) -> Result<Vec<Intervalle>, Illisible> {
    lire(texte, fuseau, de, a).map(|o| o.intervalles)
}

/// The busy intervals of the calendar `texte` that meet `[de, a)`, clipped to it, sorted
/// and merged, at most [`OCCUPATIONS_MAX`] (past them, the rest of the window is one
/// busy interval), and what was not taken into account. `fuseau` is the professional's
/// zone (for whole days and floating times). The work a file may ask for is bounded
/// ([`recurrence::TRAVAIL_MAX`]).
pub fn lire(
    texte: &str,
    fuseau: Tz,
    de: DateTime<Utc>,
    a: DateTime<Utc>,
) -> Result<Occupations, Illisible> {
    let mut travail = Travail::default();
    let evenements = evenements(texte, fuseau, &mut travail)?;
    let mut non_compris: Vec<String> = Vec::new();
    // Whole seconds, as the intervals are stored: a bound within a second of an event's
    // end would otherwise give an interval that is empty once stored.
    let (de, a) = (de.trunc_subsecs(0), a.trunc_subsecs(0));
    // Instances moved or cancelled by an override: (UID, original start).
    // Sorted vectors searched by bisection rather than hash sets: less code in the Wasm.
    let mut remplacees: Vec<(&str, DateTime<Utc>)> = evenements
        .iter()
        .filter_map(|e| Some((e.uid.as_str(), instant(e.recurrence_id.as_ref()?)?)))
        .collect();
    crate::tri::trier(&mut remplacees);
    let mut intervalles = Vec::new();
    // Past this instant everything is busy (the intervals beyond the kept ones).
    let mut coupure: Option<DateTime<Utc>> = None;
    for e in evenements.iter().filter(|e| e.occupe) {
        let Some(debut) = instant(&e.debut) else {
            continue;
        };
        let longueur = longueur(e, debut);
        let occurrences = match (&e.regle, e.recurrence_id) {
            (Some(regle), None) => match Regle::lire(regle) {
                Ok(regle) => {
                    // DURATION is bounded, DTEND − DTSTART is not: checked either way.
                    let marge = longueur
                        .unwrap_or_default()
                        .checked_add(&TimeDelta::days(2))
                        .unwrap_or(TimeDelta::MAX);
                    let depuis = de
                        .checked_sub_signed(marge)
                        .unwrap_or(DateTime::<Utc>::MIN_UTC)
                        .with_timezone(&e.debut.fuseau)
                        .date_naive();
                    let jusqu_a = a
                        .checked_add_signed(TimeDelta::days(2))
                        .unwrap_or(DateTime::<Utc>::MAX_UTC)
                        .with_timezone(&e.debut.fuseau)
                        .naive_local();
                    regle.occurrences(
                        e.debut.local,
                        e.debut.fuseau,
                        depuis,
                        jusqu_a,
                        &mut travail,
                    )?
                }
                Err(NonCompris(partie)) => {
                    // Kept sorted as they come (no sort: less code in the Wasm).
                    if let Err(i) = non_compris.binary_search(&partie) {
                        if non_compris.len() < NON_COMPRIS_MAX {
                            non_compris.insert(i, partie);
                        }
                    }
                    vec![e.debut.local]
                }
            },
            _ => vec![e.debut.local],
        };
        let mut exclues: Vec<DateTime<Utc>> = e.exclusions.iter().filter_map(instant).collect();
        crate::tri::trier(&mut exclues);
        travail.compter(1 + e.ajouts.len())?;
        // The rule's dates, then the extra ones (RDATE): a timed one at its own instant, a
        // date alone at DTSTART's time of day, with their own length when written as a
        // period.
        let ajouts = e.ajouts.iter().filter_map(|ajout| ajoute(e, ajout));
        for (local, propre, fixe) in occurrences
            .into_iter()
            .map(|l| (l, None, None))
            .chain(ajouts)
        {
            let occurrence = Moment { local, ..e.debut };
            let Some(debut) = fixe.or_else(|| instant(&occurrence)) else {
                continue;
            };
            if exclues.binary_search(&debut).is_ok()
                || (e.recurrence_id.is_none()
                    && remplacees.binary_search(&(e.uid.as_str(), debut)).is_ok())
            {
                continue;
            }
            let fin = match (e.debut.jour_entier, longueur) {
                (true, _) => {
                    let jours = fin_jour_entier(e);
                    local
                        .date()
                        .checked_add_signed(TimeDelta::days(jours))
                        .and_then(|jour| {
                            instant(&Moment {
                                local: jour.and_time(NaiveTime::MIN),
                                ..occurrence
                            })
                        })
                }
                (false, _) if propre.is_some() => propre.and_then(|l| debut.checked_add_signed(l)),
                (false, Some(l)) => debut.checked_add_signed(l),
                (false, None) => Some(debut),
            };
            let Some(fin) = fin else { continue };
            let (debut, fin) = (debut.max(de), fin.min(a));
            if debut < fin && coupure.is_none_or(|c| debut < c) {
                intervalles.push((debut, fin));
                if intervalles.len() >= COLLECTE_MAX {
                    (intervalles, coupure) = fusionner(intervalles, coupure);
                }
            }
        }
    }
    let (mut intervalles, coupure) = fusionner(intervalles, coupure);
    if let Some(c) = coupure {
        match intervalles.last_mut() {
            Some(dernier) if dernier.1 >= c => dernier.1 = a,
            _ => intervalles.push((c, a)),
        }
    }
    Ok(Occupations {
        intervalles,
        non_compris,
        exclusions_ignorees: evenements.iter().any(|e| e.occupe && e.exclusion_ignoree),
    })
}

/// An extra date of `e` (RDATE) as a wall-clock time in the zone of its DTSTART (a date
/// alone at DTSTART's time of day), its own length when it is a period, and its own
/// instant when it is timed (a UTC time in the hour repeated in autumn is not moved).
fn ajoute(
    e: &Evenement,
    ajout: &Ajout,
) -> Option<(
    chrono::NaiveDateTime,
    Option<TimeDelta>,
    Option<DateTime<Utc>>,
)> {
    let (local, fixe) = if ajout.debut.jour_entier {
        (
            ajout.debut.local.date().and_time(e.debut.local.time()),
            None,
        )
    } else {
        let fixe = instant(&ajout.debut)?;
        (
            fixe.with_timezone(&e.debut.fuseau).naive_local(),
            Some(fixe),
        )
    };
    let propre = match (ajout.fin.as_ref().and_then(instant), ajout.duree) {
        (Some(fin), _) => Some(fin - instant(&ajout.debut)?),
        (None, duree) => duree,
    };
    Some((local, propre, fixe))
}

/// A timed event's elapsed length: DTEND − DTSTART, or DURATION, or none (an instant,
/// which takes no time).
fn longueur(e: &Evenement, debut: DateTime<Utc>) -> Option<TimeDelta> {
    if let Some(fin) = e.fin.as_ref().and_then(instant) {
        return Some(fin - debut);
    }
    e.duree
}

/// A whole-day event's number of days (DTEND exclusive; one day by default).
fn fin_jour_entier(e: &Evenement) -> i64 {
    let jours = match (e.fin, e.duree) {
        (Some(fin), _) => (fin.local.date() - e.debut.local.date()).num_days(),
        (None, Some(d)) => d.num_days(),
        (None, None) => 1,
    };
    jours.clamp(1, 366)
}

/// Sorted, overlapping and touching intervals merged, cut at `coupure`; past
/// [`OCCUPATIONS_MAX`] − 1 of them, the start of the next becomes the cut (the time
/// from it on is busy).
fn fusionner(
    mut intervalles: Vec<Intervalle>,
    mut coupure: Option<DateTime<Utc>>,
) -> (Vec<Intervalle>, Option<DateTime<Utc>>) {
    crate::tri::trier(&mut intervalles);
    let mut fusion: Vec<Intervalle> = Vec::new();
    for (debut, fin) in intervalles {
        let fin = coupure.map_or(fin, |c| fin.min(c));
        if debut >= fin {
            continue;
        }
        match fusion.last_mut() {
            Some(dernier) if debut <= dernier.1 => dernier.1 = dernier.1.max(fin),
            _ => fusion.push((debut, fin)),
        }
    }
    if let Some(suivant) = fusion.get(OCCUPATIONS_MAX - 1) {
        coupure = Some(suivant.0);
        fusion.truncate(OCCUPATIONS_MAX - 1);
    }
    (fusion, coupure)
}
