//! Free slots (creneaux) and the check of one requested start.
//!
//! Both go through the same [`Calcul`], so a start is accepted by [`verifier_creneau`] exactly
//! when [`creneaux_libres`] lists it.
//!
//! Decisions:
//! - slots start on the step grid measured from each opening range's start, in wall-clock
//!   time; a start that does not exist (spring-forward gap) gives no slot, a start that
//!   happens twice (autumn) gives one slot, at the earlier instant;
//! - durations are real elapsed minutes, and the whole appointment must lie inside one
//!   opening range, taken as the real interval from its start to its end (an end inside a
//!   gap means the first instant after the gap);
//! - buffers only matter against other bookings: they may extend outside opening hours and
//!   over time off (preparing before opening is the professional's business);
//! - the appointment itself must not touch time off.

use chrono::{DateTime, NaiveDate, Offset, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::dates;

use super::heure_locale::{instant_local, instant_local_ou_apres_saut};
use super::horaires::Plage;
use super::{Absence, Occupation, Planning, RefusCreneau, Regles, GRANULE_MINUTES};

/// Most days [`creneaux_libres`] looks at in one call, whatever the caller asks.
pub const JOURS_MAX: u64 = 62;

/// A bookable slot `[debut, fin)`. Only built by this module, so holding one means it was free
/// when it was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Creneau {
    debut: DateTime<Utc>,
    fin: DateTime<Utc>,
}

impl Creneau {
    pub fn debut(&self) -> DateTime<Utc> {
        self.debut
    }

    pub fn fin(&self) -> DateTime<Utc> {
        self.fin
    }

    /// The start in the professional's zone, ISO 8601 with its offset:
    /// `2026-03-29T10:00:00+02:00`.
    pub fn debut_local(&self, fuseau: Tz) -> String {
        iso_local(self.debut, fuseau)
    }

    /// The end in the professional's zone, ISO 8601 with its offset.
    pub fn fin_local(&self, fuseau: Tz) -> String {
        iso_local(self.fin, fuseau)
    }
}

fn iso_local(instant: DateTime<Utc>, fuseau: Tz) -> String {
    dates::rfc3339_secondes(&instant.with_timezone(&fuseau))
}

/// The free slots of `duree_minutes` whose start falls on a local date in `du..=au` (at most
/// [`JOURS_MAX`] days from `du`), sorted by start, without duplicates. Invalid rules or
/// duration (see [`Regles::valider`]) give no slot.
pub fn creneaux_libres(
    planning: &Planning,
    regles: &Regles,
    duree_minutes: u32,
    occupations: &[Occupation],
    du: NaiveDate,
    au: NaiveDate,
    maintenant: DateTime<Utc>,
) -> Vec<Creneau> {
    let Ok(calcul) = Calcul::new(planning, regles, duree_minutes, occupations, maintenant) else {
        return Vec::new();
    };
    let mut creneaux = Vec::new();
    for jour in jours(du, au) {
        calcul.ajouter_creneaux_du_jour(jour, &mut creneaux);
    }
    // Overlapping ranges (a dated opening over weekly hours) may offer the same start twice.
    crate::tri::trier(&mut creneaux);
    creneaux.dedup();
    creneaux.into_iter().filter_map(creneau).collect()
}

/// The first slot [`creneaux_libres`] would list over the local days `du..=au`, without
/// computing the others: days are walked in order and the walk stops at the first day
/// that has a free slot (and the day after it, which a zone that turns its clocks back
/// over midnight may make start earlier).
pub fn prochain_creneau(
    planning: &Planning,
    regles: &Regles,
    duree_minutes: u32,
    occupations: &[Occupation],
    (du, au): (NaiveDate, NaiveDate),
    maintenant: DateTime<Utc>,
) -> Option<Creneau> {
    let calcul = Calcul::new(planning, regles, duree_minutes, occupations, maintenant).ok()?;
    let mut creneaux = Vec::new();
    let mut trouve_le = None;
    for jour in jours(du, au) {
        if trouve_le.is_some_and(|premier: NaiveDate| premier < jour.pred_opt().unwrap_or(jour)) {
            break;
        }
        calcul.ajouter_creneaux_du_jour(jour, &mut creneaux);
        if trouve_le.is_none() && !creneaux.is_empty() {
            trouve_le = Some(jour);
        }
    }
    creneaux.into_iter().min().and_then(creneau)
}

/// The local days `du..=au`, at most [`JOURS_MAX`] of them.
fn jours(du: NaiveDate, au: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    let nombre = if au < du {
        0
    } else {
        (au - du).num_days().saturating_add(1).min(JOURS_MAX as i64)
    };
    du.iter_days().take(usize::try_from(nombre).unwrap_or(0))
}

/// Checks that `debut` can be booked for `duree_minutes` now; returns the slot it gives.
///
/// Refusals come in this order: configuration, past, hours then grid, notice, horizon, time
/// off, full day, other bookings.
pub fn verifier_creneau(
    planning: &Planning,
    regles: &Regles,
    duree_minutes: u32,
    occupations: &[Occupation],
    debut: DateTime<Utc>,
    maintenant: DateTime<Utc>,
) -> Result<Creneau, RefusCreneau> {
    let calcul = Calcul::new(planning, regles, duree_minutes, occupations, maintenant)?;
    if debut < maintenant {
        return Err(RefusCreneau::CreneauPasse);
    }
    let fin = debut
        .checked_add_signed(calcul.duree)
        .ok_or(RefusCreneau::HorsHoraires)?;
    let creneau = Creneau { debut, fin };

    let jour = debut.with_timezone(&planning.fuseau).date_naive();
    let mut dans_les_horaires = false;
    let mut sur_la_grille = false;
    for plage in planning.plages_du_jour(jour) {
        if calcul
            .intervalle(jour, plage)
            .is_some_and(|intervalle| dans(intervalle, creneau))
        {
            dans_les_horaires = true;
            if calcul.sur_la_grille(plage, debut) {
                sur_la_grille = true;
                break;
            }
        }
    }
    if !dans_les_horaires {
        return Err(RefusCreneau::HorsHoraires);
    }
    if !sur_la_grille {
        return Err(RefusCreneau::HorsGrille);
    }
    calcul.controler_delais(debut.timestamp())?;
    calcul.controler_disponibilite(creneau, jour)?;
    Ok(creneau)
}

/// Everything derived once from the inputs, shared by the listing and the check. Instants
/// the hot loop compares are Unix seconds (every slot starts on a whole second).
struct Calcul<'a> {
    planning: &'a Planning,
    regles: &'a Regles,
    duree: TimeDelta,
    pas: TimeDelta,
    /// Earliest allowed start (now + notice, rounded up to the second, which no slot
    /// starting on a whole second can tell apart); `None` if beyond chrono's range.
    plus_tot: Option<i64>,
    /// Latest allowed start (now + horizon, rounded down to the second); `None` if beyond
    /// chrono's range (no limit).
    plus_tard: Option<i64>,
    /// Other bookings' occupied intervals (buffers included), empty ones left out, sorted
    /// by start; `fins_max[i]` is the latest end among the first `i + 1`, so that whether
    /// an interval meets them all is one binary search (they may overlap one another).
    occupes: Vec<(i64, i64)>,
    fins_max: Vec<i64>,
    /// Time off given as periods (with the busy time of external calendars: hundreds of
    /// them), empty ones left out, sorted and merged, so that a slot is checked against
    /// them by a binary search rather than one by one.
    periodes: Vec<(i64, i64)>,
    /// Active bookings' starts as (seconds, nanoseconds), sorted: counted per local date
    /// for the daily maximum. (The same element type as the intervals: one sort compiled.)
    debuts: Vec<(i64, i64)>,
}

impl<'a> Calcul<'a> {
    fn new(
        planning: &'a Planning,
        regles: &'a Regles,
        duree_minutes: u32,
        occupations: &[Occupation],
        maintenant: DateTime<Utc>,
    ) -> Result<Self, RefusCreneau> {
        regles
            .valider(duree_minutes)
            .map_err(|_| RefusCreneau::ConfigurationInvalide)?;
        // `occupation_avec_tampons` in whole seconds, rounded out (starts compared with
        // them are whole seconds).
        let (avant, apres) = (
            i64::from(regles.tampon_avant_minutes) * 60,
            i64::from(regles.tampon_apres_minutes) * 60,
        );
        let mut occupes: Vec<(i64, i64)> = occupations
            .iter()
            .filter(|o| {
                let debut = (
                    o.debut.timestamp() - avant,
                    o.debut.timestamp_subsec_nanos(),
                );
                debut < (o.fin.timestamp() + apres, o.fin.timestamp_subsec_nanos())
            })
            .map(|o| {
                (
                    o.debut.timestamp().saturating_sub(avant).max(MIN_SECONDES),
                    secondes_au_dessus(o.fin)
                        .saturating_add(apres)
                        .min(MAX_SECONDES),
                )
            })
            .collect();
        crate::tri::trier(&mut occupes);
        let fins_max = occupes
            .iter()
            .scan(i64::MIN, |max, &(_, fin)| {
                *max = (*max).max(fin);
                Some(*max)
            })
            .collect();
        let mut triees: Vec<(i64, i64)> = planning
            .absences
            .iter()
            .filter_map(|absence| match *absence {
                Absence::Periode { debut, fin } if debut < fin => {
                    Some((debut.timestamp(), secondes_au_dessus(fin)))
                }
                _ => None,
            })
            .collect();
        crate::tri::trier(&mut triees);
        let mut periodes: Vec<(i64, i64)> = Vec::with_capacity(triees.len());
        for (debut, fin) in triees {
            match periodes.last_mut() {
                Some(derniere) if debut <= derniere.1 => derniere.1 = derniere.1.max(fin),
                _ => periodes.push((debut, fin)),
            }
        }
        let mut debuts: Vec<(i64, i64)> = occupations.iter().map(|o| exact(o.debut)).collect();
        crate::tri::trier(&mut debuts);
        Ok(Self {
            planning,
            regles,
            duree: TimeDelta::minutes(i64::from(duree_minutes)),
            pas: TimeDelta::minutes(i64::from(regles.pas_minutes)),
            plus_tot: maintenant
                .checked_add_signed(TimeDelta::minutes(i64::from(regles.preavis_minutes)))
                .map(secondes_au_dessus),
            plus_tard: maintenant
                .checked_add_signed(TimeDelta::days(i64::from(regles.horizon_jours)))
                .map(|t| t.timestamp()),
            occupes,
            fins_max,
            periodes,
            debuts,
        })
    }

    /// The free slots of one local day, as Unix seconds `(debut, fin)` (every slot starts
    /// and ends on a whole second), over each of its opening ranges.
    // Not inlined: the listing and the next-slot search share one copy (the Worker's size).
    #[inline(never)]
    fn ajouter_creneaux_du_jour(&self, jour: NaiveDate, creneaux: &mut Vec<(i64, i64)>) {
        // Every start the day's ranges give falls on that local date: what depends on the
        // date alone is decided once.
        let decalage = decalage_du_jour(self.planning.fuseau, jour);
        if self.journee_complete(jour, decalage) {
            return;
        }
        let jour_absent = self.planning.absences.iter().any(|absence| {
            matches!(*absence, Absence::Jours { du, au } if du <= au && du <= jour && jour <= au)
        });
        for plage in self.planning.plages_du_jour(jour) {
            self.ajouter_creneaux(jour, plage, (jour_absent, decalage), creneaux);
        }
    }

    /// Walks the grid of one opening range and keeps the free starts. `jour_absent`: the
    /// date is a day off; `decalage`: the zone's offset (seconds) when it is the same all
    /// day long.
    fn ajouter_creneaux(
        &self,
        jour: NaiveDate,
        plage: Plage,
        (jour_absent, decalage): (bool, Option<i64>),
        creneaux: &mut Vec<(i64, i64)>,
    ) {
        let debut_local = jour.and_time(plage.debut);
        let fin_locale = jour.and_time(plage.fin);
        let constante = decalage.map(|decalage| {
            // Every wall-clock time of the day is the instant at that offset.
            (
                debut_local.and_utc().timestamp() - decalage,
                fin_locale.and_utc().timestamp() - decalage,
            )
        });
        if let Some((ouverture, fermeture)) = constante {
            // No clock change inside the range: each step of wall-clock time is the same
            // step of real time, every start exists once, and the appointment (inside the
            // range) ends on the same local date. A day off of the range's date covers it.
            if jour_absent {
                return;
            }
            let duree = self.duree.num_seconds();
            let pas = self.pas.num_seconds();
            let mut debut = ouverture;
            while debut < fermeture {
                let fin = debut.saturating_add(duree);
                if debut.rem_euclid(GRANULE_SECONDES) == 0
                    && fin <= fermeture
                    && self.controler_delais(debut).is_ok()
                    && !self.touche_une_periode(debut, fin)
                    && !self.touche_une_occupation(debut, fin)
                {
                    creneaux.push((debut, fin));
                }
                debut = debut.saturating_add(pas);
            }
            return;
        }
        // A day with a clock change: each start through the zone.
        let Some(intervalle) = self.intervalle(jour, plage) else {
            return;
        };
        let mut heure = debut_local;
        while heure < fin_locale {
            let libre = instant_local(self.planning.fuseau, heure)
                .and_then(|debut| {
                    Some(Creneau {
                        debut,
                        fin: debut.checked_add_signed(self.duree)?,
                    })
                })
                .filter(|creneau| {
                    aligne_sur_granule(creneau.debut)
                        && dans(intervalle, *creneau)
                        && self.controler_delais(creneau.debut.timestamp()).is_ok()
                        && self.controler_disponibilite(*creneau, jour).is_ok()
                });
            creneaux.extend(libre.map(|c| (c.debut.timestamp(), c.fin.timestamp())));
            match heure.checked_add_signed(self.pas) {
                Some(suivante) => heure = suivante,
                None => break,
            }
        }
    }

    /// The real interval a range covers that day, from its opening to its closing instant.
    fn intervalle(&self, jour: NaiveDate, plage: Plage) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let fuseau = self.planning.fuseau;
        let ouverture = instant_local_ou_apres_saut(fuseau, jour.and_time(plage.debut))?;
        let fermeture = instant_local_ou_apres_saut(fuseau, jour.and_time(plage.fin))?;
        Some((ouverture, fermeture))
    }

    /// Whether `debut` is a start the range's grid gives: on a granule, a whole number of
    /// steps after the range's start in wall-clock time, and the earlier instant of its
    /// wall-clock time.
    fn sur_la_grille(&self, plage: Plage, debut: DateTime<Utc>) -> bool {
        let local = debut.with_timezone(&self.planning.fuseau).naive_local();
        let ecart = local - local.date().and_time(plage.debut);
        let pas_secondes = self.pas.num_seconds();
        aligne_sur_granule(debut)
            && instant_local(self.planning.fuseau, local) == Some(debut)
            && ecart >= TimeDelta::zero()
            && ecart.subsec_nanos() == 0
            && pas_secondes > 0
            && ecart.num_seconds() % pas_secondes == 0
    }

    /// Notice and horizon, for a start on a whole second.
    fn controler_delais(&self, debut: i64) -> Result<(), RefusCreneau> {
        match self.plus_tot {
            Some(plus_tot) if debut >= plus_tot => {}
            _ => return Err(RefusCreneau::PreavisInsuffisant),
        }
        match self.plus_tard {
            Some(plus_tard) if debut > plus_tard => Err(RefusCreneau::AuDelaHorizon),
            _ => Ok(()),
        }
    }

    /// Whether the day already has its maximum of bookings. `decalage`: the zone's offset
    /// if it is the same all day ([`decalage_du_jour`]).
    fn journee_complete(&self, jour: NaiveDate, decalage: Option<i64>) -> bool {
        let Some(max) = self.regles.max_reservations_par_jour else {
            return false;
        };
        // The starts within a day and a half of the date hold every one on it.
        let minuit = |date: Option<NaiveDate>| {
            date.and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|minuit| minuit.and_utc())
        };
        let (Some(veille), Some(surlendemain)) = (
            minuit(jour.pred_opt()),
            minuit(jour.succ_opt().and_then(|d| d.succ_opt())),
        ) else {
            return false;
        };
        let entre = |de: DateTime<Utc>, a: DateTime<Utc>| {
            let premier = self.debuts.partition_point(|d| *d < exact(de));
            let apres = self.debuts.partition_point(|d| *d < exact(a));
            &self.debuts[premier..apres.max(premier)]
        };
        let nombre = match decalage {
            // The local day is the instants from its midnight to the next, at that offset.
            Some(decalage) => {
                let decalage = TimeDelta::seconds(decalage);
                let debut = veille + TimeDelta::days(1) - decalage;
                entre(debut, debut + TimeDelta::days(1)).len()
            }
            None => entre(veille, surlendemain)
                .iter()
                .filter_map(|&(secondes, nanos)| {
                    DateTime::from_timestamp(secondes, u32::try_from(nanos).ok()?)
                })
                .filter(|d| d.with_timezone(&self.planning.fuseau).date_naive() == jour)
                .count(),
        };
        u32::try_from(nombre).unwrap_or(u32::MAX) >= max
    }

    /// Whether the appointment `[debut, fin)` touches a period of time off: the first
    /// period that ends after it starts is the only one that may (they are sorted and
    /// merged).
    fn touche_une_periode(&self, debut: i64, fin: i64) -> bool {
        let suivante = self
            .periodes
            .partition_point(|&(_, absence_fin)| absence_fin <= debut);
        self.periodes
            .get(suivante)
            .is_some_and(|&(absence_debut, _)| absence_debut < fin)
    }

    /// Whether the appointment `[debut, fin)`, with its buffers, meets another booking's.
    fn touche_une_occupation(&self, debut: i64, fin: i64) -> bool {
        let avant = i64::from(self.regles.tampon_avant_minutes) * 60;
        let apres = i64::from(self.regles.tampon_apres_minutes) * 60;
        let (debut, fin) = (
            debut.saturating_sub(avant).max(MIN_SECONDES),
            fin.saturating_add(apres).min(MAX_SECONDES),
        );
        // The intervals starting before `fin`; one of them meets `[debut, fin)` exactly
        // when the latest end among them is after `debut`.
        let avant_la_fin = self
            .occupes
            .partition_point(|&(autre_debut, _)| autre_debut < fin);
        avant_la_fin > 0 && self.fins_max[avant_la_fin - 1] > debut
    }

    /// `jour` is the local date `creneau` starts on.
    fn controler_disponibilite(
        &self,
        creneau: Creneau,
        jour: NaiveDate,
    ) -> Result<(), RefusCreneau> {
        let fuseau = self.planning.fuseau;
        let (debut, fin) = (creneau.debut.timestamp(), secondes_au_dessus(creneau.fin));
        if self.touche_une_periode(debut, fin)
            || self.planning.absences.iter().any(|absence| {
                matches!(absence, Absence::Jours { .. })
                    && absence.chevauche(fuseau, creneau.debut, creneau.fin)
            })
        {
            return Err(RefusCreneau::CreneauIndisponible);
        }
        if self.journee_complete(jour, decalage_du_jour(fuseau, jour)) {
            return Err(RefusCreneau::JourneeComplete);
        }
        if self.touche_une_occupation(debut, fin) {
            return Err(RefusCreneau::CreneauIndisponible);
        }
        Ok(())
    }
}

const GRANULE_SECONDES: i64 = GRANULE_MINUTES as i64 * 60;
const MIN_SECONDES: i64 = DateTime::<Utc>::MIN_UTC.timestamp();
const MAX_SECONDES: i64 = DateTime::<Utc>::MAX_UTC.timestamp();

/// An instant as Unix seconds, rounded up: a start on a whole second is before it exactly
/// when it is before the instant itself.
fn secondes_au_dessus(instant: DateTime<Utc>) -> i64 {
    let secondes = instant.timestamp();
    if instant.timestamp_subsec_nanos() > 0 {
        secondes.saturating_add(1)
    } else {
        secondes
    }
}

/// An instant as (seconds, nanoseconds): ordered as the instant.
fn exact(instant: DateTime<Utc>) -> (i64, i64) {
    (
        instant.timestamp(),
        i64::from(instant.timestamp_subsec_nanos()),
    )
}

fn creneau((debut, fin): (i64, i64)) -> Option<Creneau> {
    Some(Creneau {
        debut: DateTime::from_timestamp(debut, 0)?,
        fin: DateTime::from_timestamp(fin, 0)?,
    })
}

/// The zone's offset in seconds when it is the same from a day before `jour` to a day
/// after it: then no clock change happens on that local date (no zone changes its clocks
/// twice within three days and back), and each of its wall-clock times is the instant at
/// that offset.
fn decalage_du_jour(fuseau: Tz, jour: NaiveDate) -> Option<i64> {
    let decalage = |date: Option<NaiveDate>| {
        date.and_then(|d| d.and_hms_opt(0, 0, 0)).map(|minuit| {
            fuseau
                .offset_from_utc_datetime(&minuit)
                .fix()
                .local_minus_utc()
        })
    };
    let avant = decalage(jour.pred_opt())?;
    let apres = decalage(jour.succ_opt().and_then(|d| d.succ_opt()))?;
    (avant == apres).then_some(i64::from(avant))
}

/// Whether the whole appointment lies within a range's real interval.
fn dans((ouverture, fermeture): (DateTime<Utc>, DateTime<Utc>), creneau: Creneau) -> bool {
    ouverture <= creneau.debut && creneau.fin <= fermeture
}

fn aligne_sur_granule(instant: DateTime<Utc>) -> bool {
    instant.timestamp_subsec_nanos() == 0
        && instant
            .timestamp()
            .rem_euclid(i64::from(GRANULE_MINUTES) * 60)
            == 0
}
