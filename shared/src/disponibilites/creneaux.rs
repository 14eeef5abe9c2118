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

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::dates;

use super::heure_locale::{instant_local, instant_local_ou_apres_saut};
use super::horaires::Plage;
use super::{
    occupation_avec_tampons, Absence, Occupation, Planning, RefusCreneau, Regles, GRANULE_MINUTES,
};

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
    if au < du {
        return Vec::new();
    }
    let dernier_jour = du
        .checked_add_days(Days::new(JOURS_MAX - 1))
        .map_or(au, |limite| au.min(limite));

    let mut creneaux = Vec::new();
    let mut jour = du;
    loop {
        for plage in planning.plages_du_jour(jour) {
            calcul.ajouter_creneaux(jour, plage, &mut creneaux);
        }
        match jour.succ_opt() {
            Some(suivant) if suivant <= dernier_jour => jour = suivant,
            _ => break,
        }
    }
    // Overlapping ranges (a dated opening over weekly hours) may offer the same start twice.
    creneaux.sort();
    creneaux.dedup();
    creneaux
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
    calcul.controler_delais(debut)?;
    calcul.controler_disponibilite(creneau)?;
    Ok(creneau)
}

/// Everything derived once from the inputs, shared by the listing and the check.
struct Calcul<'a> {
    planning: &'a Planning,
    regles: &'a Regles,
    duree: TimeDelta,
    pas: TimeDelta,
    /// Earliest allowed start (now + notice); `None` if that is beyond chrono's range.
    plus_tot: Option<DateTime<Utc>>,
    /// Latest allowed start (now + horizon); `None` if beyond chrono's range (no limit).
    plus_tard: Option<DateTime<Utc>>,
    /// Other bookings' occupied intervals (buffers included), empty ones left out.
    occupes: Vec<(DateTime<Utc>, DateTime<Utc>)>,
    /// Active bookings per local start date.
    par_jour: HashMap<NaiveDate, u32>,
    /// Time off given as periods (with the busy time of external calendars: hundreds of
    /// them), sorted and merged, so that a slot is checked against them by a binary
    /// search rather than one by one.
    periodes: Vec<(DateTime<Utc>, DateTime<Utc>)>,
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
        let occupes = occupations
            .iter()
            .map(|o| occupation_avec_tampons(o.debut, o.fin, regles))
            .filter(|(debut, fin)| debut < fin)
            .collect();
        let mut periodes: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        let mut triees: Vec<(DateTime<Utc>, DateTime<Utc>)> = planning
            .absences
            .iter()
            .filter_map(|a| match *a {
                Absence::Periode { debut, fin } if debut < fin => Some((debut, fin)),
                _ => None,
            })
            .collect();
        triees.sort_unstable();
        for (debut, fin) in triees {
            match periodes.last_mut() {
                Some(derniere) if debut <= derniere.1 => derniere.1 = derniere.1.max(fin),
                _ => periodes.push((debut, fin)),
            }
        }
        let mut par_jour = HashMap::new();
        for occupation in occupations {
            let jour = occupation
                .debut
                .with_timezone(&planning.fuseau)
                .date_naive();
            let compte = par_jour.entry(jour).or_insert(0u32);
            *compte = compte.saturating_add(1);
        }
        Ok(Self {
            planning,
            regles,
            duree: TimeDelta::minutes(i64::from(duree_minutes)),
            pas: TimeDelta::minutes(i64::from(regles.pas_minutes)),
            plus_tot: maintenant
                .checked_add_signed(TimeDelta::minutes(i64::from(regles.preavis_minutes))),
            plus_tard: maintenant
                .checked_add_signed(TimeDelta::days(i64::from(regles.horizon_jours))),
            occupes,
            par_jour,
            periodes,
        })
    }

    /// Walks the grid of one opening range and keeps the free starts.
    fn ajouter_creneaux(&self, jour: NaiveDate, plage: Plage, creneaux: &mut Vec<Creneau>) {
        let Some(intervalle) = self.intervalle(jour, plage) else {
            return;
        };
        let fin_locale = jour.and_time(plage.fin);
        let mut heure = jour.and_time(plage.debut);
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
                        && self.controler_delais(creneau.debut).is_ok()
                        && self.controler_disponibilite(*creneau).is_ok()
                });
            creneaux.extend(libre);
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

    fn controler_delais(&self, debut: DateTime<Utc>) -> Result<(), RefusCreneau> {
        match self.plus_tot {
            Some(plus_tot) if debut >= plus_tot => {}
            _ => return Err(RefusCreneau::PreavisInsuffisant),
        }
        match self.plus_tard {
            Some(plus_tard) if debut > plus_tard => Err(RefusCreneau::AuDelaHorizon),
            _ => Ok(()),
        }
    }

    fn controler_disponibilite(&self, creneau: Creneau) -> Result<(), RefusCreneau> {
        let fuseau = self.planning.fuseau;
        // The first period that ends after the slot starts is the only one that may meet it.
        let suivante = self
            .periodes
            .partition_point(|&(_, fin)| fin <= creneau.debut);
        let dans_une_periode = self
            .periodes
            .get(suivante)
            .is_some_and(|&(debut, _)| debut < creneau.fin);
        if dans_une_periode
            || self.planning.absences.iter().any(|absence| {
                matches!(absence, Absence::Jours { .. })
                    && absence.chevauche(fuseau, creneau.debut, creneau.fin)
            })
        {
            return Err(RefusCreneau::CreneauIndisponible);
        }
        if let Some(max) = self.regles.max_reservations_par_jour {
            let jour = creneau.debut.with_timezone(&fuseau).date_naive();
            if self.par_jour.get(&jour).copied().unwrap_or(0) >= max {
                return Err(RefusCreneau::JourneeComplete);
            }
        }
        let (debut, fin) = occupation_avec_tampons(creneau.debut, creneau.fin, self.regles);
        if self
            .occupes
            .iter()
            .any(|&(autre_debut, autre_fin)| debut < autre_fin && autre_debut < fin)
        {
            return Err(RefusCreneau::CreneauIndisponible);
        }
        Ok(())
    }
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
