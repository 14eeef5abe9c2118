//! The expansion of an `RRULE` (RFC 5545, 3.3.10) — the subset calendars send for busy
//! time: FREQ DAILY, WEEKLY, MONTHLY or YEARLY, with INTERVAL, COUNT, UNTIL, BYDAY
//! (with an ordinal in a month or a year: `1MO`, `-1FR`), BYMONTHDAY (negative from the
//! month's end), BYMONTH, BYHOUR and BYMINUTE (several times a day), BYSETPOS (Outlook's
//! "last working day of the month") and WKST. A rule with any other part (BYWEEKNO,
//! BYYEARDAY, BYSECOND, HOURLY…) is not understood ([`NonCompris`] names it): the event
//! then counts as its first occurrence only, and the calendar says so.
//!
//! Occurrences are wall-clock times in the event's zone (a weekly 9:00 stays 9:00 across
//! a change of summer time); DTSTART is always the first one and counts for COUNT.

use chrono::{
    DateTime, Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequence {
    Quotidienne,
    Hebdomadaire,
    Mensuelle,
    Annuelle,
}

/// The end of a rule (UNTIL), as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jusqua {
    Instant(DateTime<Utc>),
    Local(NaiveDateTime),
    Jour(NaiveDate),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regle {
    pub frequence: Frequence,
    pub intervalle: u32,
    pub compte: Option<u32>,
    pub jusqua: Option<Jusqua>,
    /// BYDAY: an optional ordinal and a weekday.
    pub jours: Vec<(Option<i32>, Weekday)>,
    /// BYMONTHDAY, 1..=31 or -31..=-1.
    pub jours_du_mois: Vec<i32>,
    /// BYMONTH, 1..=12.
    pub mois: Vec<u32>,
    /// BYHOUR (0..=23) and BYMINUTE (0..=59): the times of each day (DTSTART's when empty).
    pub heures: Vec<u32>,
    pub minutes: Vec<u32>,
    /// BYSETPOS, 1..=366 or -366..=-1: the n-th occurrences of each period.
    pub positions: Vec<i32>,
    pub debut_semaine: Weekday,
}

/// The part of a rule that is not understood (or not valid), as written: `FREQ=HOURLY`,
/// `BYWEEKNO`… (cut to a few characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NonCompris(pub String);

/// Most occurrences one event gives, and most periods walked for it (a bound on the work
/// a hostile calendar can ask for).
pub const OCCURRENCES_MAX: usize = 5000;
const PERIODES_MAX: u32 = 20_000;
/// Most values in a BY list, once repeated ones are dropped (a longer list is not
/// understood).
const LISTE_MAX: usize = 62;
/// The work a whole file may ask of the expansion: periods walked, days they give and
/// occurrences kept, over all its events. A daily event over the year costs about 1,100.
pub const TRAVAIL_MAX: u32 = 250_000;

/// The file asks for more than [`TRAVAIL_MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("calendrier trop complexe")]
pub struct TropComplexe;

/// What is left of a file's [`TRAVAIL_MAX`].
#[derive(Debug)]
pub struct Travail(u32);

impl Default for Travail {
    fn default() -> Self {
        Self(TRAVAIL_MAX)
    }
}

impl Travail {
    pub fn compter(&mut self, n: usize) -> Result<(), TropComplexe> {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        self.0 = self.0.checked_sub(n).ok_or(TropComplexe)?;
        Ok(())
    }
}

fn jour_semaine(texte: &str) -> Option<Weekday> {
    Some(match texte {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

/// A BY list, sorted by `cle` without repeats, at most [`LISTE_MAX`] values.
fn liste<T, K: Ord>(
    valeur: &str,
    lire: impl Fn(&str) -> Option<T>,
    cle: impl Fn(&T) -> K,
) -> Option<Vec<T>> {
    let mut valeurs: Vec<T> = valeur
        .split(',')
        .map(|v| lire(v.trim()))
        .collect::<Option<_>>()?;
    crate::tri::trier_par(&mut valeurs, |a, b| cle(a).cmp(&cle(b)));
    valeurs.dedup_by(|a, b| cle(a) == cle(b));
    (valeurs.len() <= LISTE_MAX).then_some(valeurs)
}

fn jusqua(valeur: &str) -> Option<Jusqua> {
    if valeur.len() == 8 {
        return super::ics::lire_jour(valeur).map(Jusqua::Jour);
    }
    let (texte, utc) = match valeur.strip_suffix('Z') {
        Some(t) => (t, true),
        None => (valeur, false),
    };
    let local = super::ics::lire_date_heure(texte)?;
    Some(if utc {
        Jusqua::Instant(local.and_utc())
    } else {
        Jusqua::Local(local)
    })
}

/// A list of integers within `min..=max`, 0 excluded.
fn entiers(valeur: &str, min: i32, max: i32) -> Option<Vec<i32>> {
    liste(
        valeur,
        |v| {
            v.parse::<i32>()
                .ok()
                .filter(|n| *n != 0 && (min..=max).contains(n))
        },
        |n| *n,
    )
}

/// A list of integers within `0..=max`.
fn naturels(valeur: &str, max: u32) -> Option<Vec<u32>> {
    liste(
        valeur,
        |v| v.parse::<u32>().ok().filter(|n| *n <= max),
        |n| *n,
    )
}

impl Regle {
    /// The rule of an RRULE value, or `None` when it uses a part not understood.
    pub fn parse(texte: &str) -> Option<Self> {
        Self::lire(texte).ok()
    }

    /// The rule of an RRULE value, or the part not understood.
    pub fn lire(texte: &str) -> Result<Self, NonCompris> {
        let mut regle = Regle {
            frequence: Frequence::Quotidienne,
            intervalle: 1,
            compte: None,
            jusqua: None,
            jours: Vec::new(),
            jours_du_mois: Vec::new(),
            mois: Vec::new(),
            heures: Vec::new(),
            minutes: Vec::new(),
            positions: Vec::new(),
            debut_semaine: Weekday::Mon,
        };
        let mut frequence = None;
        for partie in texte.trim().split(';').filter(|p| !p.is_empty()) {
            let non_compris = || NonCompris(partie.trim().chars().take(20).collect());
            let (nom, valeur) = partie.split_once('=').ok_or_else(non_compris)?;
            let valeur = valeur.trim().to_ascii_uppercase();
            let nom = nom.trim().to_ascii_uppercase();
            let lu = regle.lire_partie(&nom, &valeur, &mut frequence);
            if lu.is_none() {
                // A known part with a value not understood is named with its value (a
                // frequency) or alone.
                return Err(match nom.as_str() {
                    "FREQ" => non_compris(),
                    _ => NonCompris(nom.chars().take(20).collect()),
                });
            }
        }
        regle.frequence = frequence.ok_or_else(|| NonCompris("FREQ".into()))?;
        Ok(regle)
    }

    /// Reads one part of the rule (`None` when not understood).
    fn lire_partie(
        &mut self,
        nom: &str,
        valeur: &str,
        frequence: &mut Option<Frequence>,
    ) -> Option<()> {
        let regle = self;
        {
            match nom {
                "FREQ" => {
                    *frequence = Some(match valeur {
                        "DAILY" => Frequence::Quotidienne,
                        "WEEKLY" => Frequence::Hebdomadaire,
                        "MONTHLY" => Frequence::Mensuelle,
                        "YEARLY" => Frequence::Annuelle,
                        _ => return None,
                    })
                }
                "BYHOUR" => regle.heures = naturels(valeur, 23)?,
                "BYMINUTE" => regle.minutes = naturels(valeur, 59)?,
                "BYSETPOS" => regle.positions = entiers(valeur, -366, 366)?,
                "INTERVAL" => regle.intervalle = valeur.parse().ok().filter(|&n| n >= 1)?,
                "COUNT" => regle.compte = Some(valeur.parse().ok()?),
                "UNTIL" => regle.jusqua = Some(jusqua(valeur)?),
                "WKST" => regle.debut_semaine = jour_semaine(valeur)?,
                "BYDAY" => {
                    regle.jours = liste(
                        valeur,
                        |v| {
                            let coupure = v.len().checked_sub(2)?;
                            let (ordinal, jour) = v.split_at(coupure);
                            let ordinal = match ordinal.trim_start_matches('+') {
                                "" => None,
                                n => Some(
                                    n.parse::<i32>()
                                        .ok()
                                        .filter(|n| *n != 0 && n.unsigned_abs() <= 53)?,
                                ),
                            };
                            Some((ordinal, jour_semaine(jour)?))
                        },
                        |(o, j)| (*o, j.num_days_from_monday()),
                    )?
                }
                "BYMONTHDAY" => regle.jours_du_mois = entiers(valeur, -31, 31)?,
                "BYMONTH" => {
                    regle.mois = naturels(valeur, 12)?;
                    if regle.mois.contains(&0) {
                        return None;
                    }
                }
                _ => return None,
            }
        }
        Some(())
    }

    /// The occurrences of an event starting at `debut` (wall-clock time in `fuseau`), in
    /// order, up to `jusqu_a` (wall-clock, inclusive). Without COUNT, the walk starts near
    /// `depuis` instead of at `debut` (the occurrences before it are not listed, but
    /// `debut` always is). The walk is charged to `travail`.
    pub fn occurrences(
        &self,
        debut: NaiveDateTime,
        fuseau: Tz,
        depuis: NaiveDate,
        jusqu_a: NaiveDateTime,
        travail: &mut Travail,
    ) -> Result<Vec<NaiveDateTime>, TropComplexe> {
        let limite = match self.jusqua {
            Some(Jusqua::Instant(i)) => i.with_timezone(&fuseau).naive_local(),
            Some(Jusqua::Local(l)) => l,
            Some(Jusqua::Jour(j)) => {
                j.and_time(NaiveTime::MIN) + chrono::TimeDelta::days(1)
                    - chrono::TimeDelta::seconds(1)
            }
            None => NaiveDateTime::MAX,
        }
        .min(jusqu_a);
        let mut resultat = vec![debut];
        let mut compte = 1u32;
        if self.compte.is_some_and(|c| c <= 1) {
            return Ok(resultat);
        }
        let premiere = if self.compte.is_none() {
            self.periode_proche(debut.date(), depuis)
        } else {
            0
        };
        for p in premiere..premiere.saturating_add(PERIODES_MAX) {
            // A period starting past the end gives nothing more (a rule that never
            // matches stops here rather than at the bound on periods).
            let Some(premier) = self.premier_jour(debut.date(), p) else {
                break;
            };
            if premier.and_time(NaiveTime::MIN) > limite {
                break;
            }
            let instants = self.instants_de_la_periode(debut, premier, travail)?;
            for instant in instants {
                if instant <= debut {
                    continue;
                }
                if instant > limite || resultat.len() >= OCCURRENCES_MAX {
                    return Ok(resultat);
                }
                travail.compter(1)?;
                resultat.push(instant);
                compte += 1;
                if self.compte.is_some_and(|c| compte >= c) {
                    return Ok(resultat);
                }
            }
        }
        Ok(resultat)
    }

    /// The times the rule gives in the period starting `premier`, sorted: each day's
    /// times (BYHOUR × BYMINUTE, or DTSTART's), then the n-th of them (BYSETPOS). The
    /// period's work is charged before its times are made.
    fn instants_de_la_periode(
        &self,
        debut: NaiveDateTime,
        premier: NaiveDate,
        travail: &mut Travail,
    ) -> Result<Vec<NaiveDateTime>, TropComplexe> {
        let jours = self.jours_de_la_periode(debut.date(), premier);
        let heures = if self.heures.is_empty() {
            vec![debut.hour()]
        } else {
            self.heures.clone()
        };
        let minutes = if self.minutes.is_empty() {
            vec![debut.minute()]
        } else {
            self.minutes.clone()
        };
        travail.compter(1 + jours.len() * heures.len() * minutes.len())?;
        let instants: Vec<NaiveDateTime> = jours
            .iter()
            .flat_map(|jour| {
                heures.iter().flat_map(|h| {
                    minutes
                        .iter()
                        .filter_map(|m| jour.and_hms_opt(*h, *m, debut.second()))
                })
            })
            .collect();
        if self.positions.is_empty() {
            return Ok(instants);
        }
        // Kept in order, each once (no sort: less code in the Wasm).
        let n = instants.len();
        let choisie = |i: usize| {
            self.positions.iter().any(|p| {
                let rang = if *p > 0 {
                    usize::try_from(p - 1).ok()
                } else {
                    usize::try_from(-p).ok().and_then(|d| n.checked_sub(d))
                };
                rang == Some(i)
            })
        };
        Ok(instants
            .into_iter()
            .enumerate()
            .filter(|(i, _)| choisie(*i))
            .map(|(_, instant)| instant)
            .collect())
    }

    /// The index of a period at least one period before the one holding `depuis`.
    fn periode_proche(&self, debut: NaiveDate, depuis: NaiveDate) -> u32 {
        let unites = match self.frequence {
            Frequence::Quotidienne => (depuis - debut).num_days(),
            Frequence::Hebdomadaire => (depuis - debut).num_days() / 7,
            Frequence::Mensuelle => {
                i64::from(depuis.year() - debut.year()) * 12 + i64::from(depuis.month())
                    - i64::from(debut.month())
            }
            Frequence::Annuelle => i64::from(depuis.year() - debut.year()),
        };
        u32::try_from(unites / i64::from(self.intervalle) - 1).unwrap_or(0)
    }

    /// The first day of the rule's `p`-th period (`None` past chrono's range or the
    /// year 9999).
    fn premier_jour(&self, debut: NaiveDate, p: u32) -> Option<NaiveDate> {
        let pas = u64::from(p) * u64::from(self.intervalle);
        match self.frequence {
            Frequence::Quotidienne => debut.checked_add_days(Days::new(pas)),
            Frequence::Hebdomadaire => {
                let recul = (7 + debut.weekday().num_days_from_monday()
                    - self.debut_semaine.num_days_from_monday())
                    % 7;
                debut
                    .checked_sub_days(Days::new(u64::from(recul)))?
                    .checked_add_days(Days::new(pas.checked_mul(7)?))
            }
            Frequence::Mensuelle => {
                premier_du_mois(debut).checked_add_months(Months::new(u32::try_from(pas).ok()?))
            }
            Frequence::Annuelle => {
                let annee = debut.year().checked_add(i32::try_from(pas).ok()?)?;
                if annee > 9999 {
                    return None;
                }
                NaiveDate::from_ymd_opt(annee, 1, 1)
            }
        }
    }

    /// The dates the rule gives in the period starting `premier`, sorted.
    fn jours_de_la_periode(&self, debut: NaiveDate, premier: NaiveDate) -> Vec<NaiveDate> {
        let mut jours = match self.frequence {
            Frequence::Quotidienne => vec![premier]
                .into_iter()
                .filter(|j| self.garde(*j))
                .collect(),
            Frequence::Hebdomadaire => {
                let semaine: Vec<NaiveDate> = (0..7)
                    .filter_map(|i| premier.checked_add_days(Days::new(i)))
                    .collect();
                semaine
                    .into_iter()
                    .filter(|j| {
                        if self.jours.is_empty() {
                            j.weekday() == debut.weekday()
                        } else {
                            self.jours.iter().any(|(_, w)| *w == j.weekday())
                        }
                    })
                    .filter(|j| self.mois.is_empty() || self.mois.contains(&j.month()))
                    .filter(|j| {
                        self.jours_du_mois.is_empty() || jour_du_mois_parmi(*j, &self.jours_du_mois)
                    })
                    .collect()
            }
            Frequence::Mensuelle => {
                let mois = premier;
                if self.mois.is_empty() || self.mois.contains(&mois.month()) {
                    self.jours_du_mois_selon_regle(mois, debut)
                } else {
                    Vec::new()
                }
            }
            Frequence::Annuelle => {
                let annee = premier.year();
                if self.mois.is_empty() && !self.jours.is_empty() && self.jours_du_mois.is_empty() {
                    // BYDAY alone: its ordinals count in the year.
                    let fin = NaiveDate::from_ymd_opt(annee, 12, 31).unwrap_or(premier);
                    selon_jours(&jours_entre(premier, fin), &self.jours)
                } else {
                    let mois = if self.mois.is_empty() {
                        vec![debut.month()]
                    } else {
                        self.mois.clone()
                    };
                    mois.into_iter()
                        .filter_map(|m| NaiveDate::from_ymd_opt(annee, m, 1))
                        .flat_map(|m| self.jours_du_mois_selon_regle(m, debut))
                        .collect()
                }
            }
        };
        crate::tri::trier(&mut jours);
        jours.dedup();
        jours
    }

    /// A daily rule's filters.
    fn garde(&self, jour: NaiveDate) -> bool {
        (self.mois.is_empty() || self.mois.contains(&jour.month()))
            && (self.jours_du_mois.is_empty() || jour_du_mois_parmi(jour, &self.jours_du_mois))
            && (self.jours.is_empty() || self.jours.iter().any(|(_, w)| *w == jour.weekday()))
    }

    /// The days of the month starting `mois` that BYMONTHDAY and BYDAY give (both: the
    /// days in both), or `debut`'s day of the month.
    fn jours_du_mois_selon_regle(&self, mois: NaiveDate, debut: NaiveDate) -> Vec<NaiveDate> {
        let Some(dernier) = mois
            .checked_add_months(Months::new(1))
            .and_then(|m| m.pred_opt())
        else {
            return Vec::new();
        };
        let tous = jours_entre(mois, dernier);
        match (self.jours_du_mois.is_empty(), self.jours.is_empty()) {
            (true, true) => tous
                .into_iter()
                .filter(|j| j.day() == debut.day())
                .collect(),
            (false, true) => tous
                .into_iter()
                .filter(|j| jour_du_mois_parmi(*j, &self.jours_du_mois))
                .collect(),
            (true, false) => selon_jours(&tous, &self.jours),
            (false, false) => selon_jours(&tous, &self.jours)
                .into_iter()
                .filter(|j| jour_du_mois_parmi(*j, &self.jours_du_mois))
                .collect(),
        }
    }
}

fn premier_du_mois(jour: NaiveDate) -> NaiveDate {
    jour.with_day(1).unwrap_or(jour)
}

fn jours_entre(du: NaiveDate, au: NaiveDate) -> Vec<NaiveDate> {
    du.iter_days().take_while(|j| *j <= au).collect()
}

fn jour_du_mois_parmi(jour: NaiveDate, jours: &[i32]) -> bool {
    let dernier = premier_du_mois(jour)
        .checked_add_months(Months::new(1))
        .and_then(|m| m.pred_opt())
        .map_or(31, |d| d.day());
    let n = i32::try_from(jour.day()).unwrap_or(0);
    let depuis_la_fin = n - i32::try_from(dernier).unwrap_or(31) - 1;
    jours.iter().any(|j| *j == n || *j == depuis_la_fin)
}

/// The days of `jours` (consecutive, sorted) that BYDAY picks: every such weekday, or
/// the n-th (from the end when negative).
fn selon_jours(jours: &[NaiveDate], selon: &[(Option<i32>, Weekday)]) -> Vec<NaiveDate> {
    let mut choisis = Vec::new();
    for (ordinal, semaine) in selon {
        let ceux: Vec<NaiveDate> = jours
            .iter()
            .copied()
            .filter(|j| j.weekday() == *semaine)
            .collect();
        match ordinal {
            None => choisis.extend(ceux),
            Some(n) if *n > 0 => {
                choisis.extend(usize::try_from(n - 1).ok().and_then(|i| ceux.get(i)))
            }
            Some(n) => choisis.extend(
                usize::try_from(-n)
                    .ok()
                    .and_then(|i| ceux.len().checked_sub(i))
                    .and_then(|i| ceux.get(i)),
            ),
        }
    }
    choisis
}
