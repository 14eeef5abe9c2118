//! Where the demo's bookings go: a professional's schedule as written so far, and the
//! first start from a preferred time that the Worker's slot check accepts.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, TimeZone, Timelike, Utc};

use booking_shared::disponibilites::{verifier_creneau, Occupation, Planning, Regles};

use super::contenu::Pro;
use super::{erreur, ErreurDemo, FUSEAU};

/// Demo bookings start on this wall-clock grid (minutes).
const GRILLE_MINUTES: u32 = 30;

/// The instant of a wall-clock time of the demo's zone (the earlier one if it happens
/// twice); `None` if it does not exist.
pub(super) fn instant(jour: NaiveDate, heure: NaiveTime) -> Option<DateTime<Utc>> {
    FUSEAU
        .from_local_datetime(&jour.and_time(heure))
        .earliest()
        .map(|i| i.with_timezone(&Utc))
}

pub(super) fn hm(texte: &str) -> Result<NaiveTime, ErreurDemo> {
    NaiveTime::parse_from_str(texte, "%H:%M").map_err(erreur(texte))
}

pub(super) fn plus_jours(jour: NaiveDate, n: i64) -> NaiveDate {
    let jours = Days::new(n.unsigned_abs());
    if n >= 0 {
        jour + jours
    } else {
        jour - jours
    }
}

/// A professional as placed so far: services, schedule, active bookings.
pub(super) struct ProDemo {
    pub(super) id: i64,
    pub(super) donnees: &'static Pro,
    /// (id, duration in minutes, price in cents), in display order.
    pub(super) services: Vec<(i64, i64, i64)>,
    pub(super) planning: Planning,
    pub(super) actives: Vec<Occupation>,
}

impl ProDemo {
    /// The day's opening ranges (weekly and dated), sorted.
    fn plages(&self, jour: NaiveDate) -> Vec<(NaiveTime, NaiveTime)> {
        let iso = jour.weekday().number_from_monday();
        let mut plages: Vec<(NaiveTime, NaiveTime)> = self
            .planning
            .hebdo
            .iter()
            .filter(|p| p.jour.number_from_monday() == iso)
            .map(|p| (p.debut, p.fin))
            .chain(
                self.planning
                    .ouvertures
                    .iter()
                    .filter(|o| o.date == jour)
                    .map(|o| (o.debut, o.fin)),
            )
            .collect();
        plages.sort();
        plages
    }

    /// The first day from `depuis` whose weekly hours meet `[debut, fin)`: time off is
    /// taken on working days, where it matters.
    pub(super) fn jour_ouvert(
        &self,
        depuis: NaiveDate,
        debut: &str,
        fin: &str,
    ) -> Result<NaiveDate, ErreurDemo> {
        (0..7)
            .map(|k| plus_jours(depuis, k))
            .find(|jour| {
                let iso = jour.weekday().number_from_monday();
                self.donnees
                    .horaires
                    .iter()
                    .any(|(j, d, f)| *j == iso && *d < fin && debut < *f)
            })
            .ok_or_else(|| {
                ErreurDemo(format!(
                    "{} n'ouvre jamais entre {debut} et {fin}",
                    self.donnees.nom
                ))
            })
    }

    /// The first start from `preferee` on the first day, then over the following days,
    /// on the demo's grid, that the Worker's slot check accepts at `maintenant`.
    pub(super) fn placer(
        &self,
        regles: &Regles,
        jours: &[NaiveDate],
        preferee: NaiveTime,
        duree: u32,
        actives: &[Occupation],
        maintenant: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, ErreurDemo> {
        for (i, jour) in jours.iter().enumerate() {
            for (debut, fin) in self.plages(*jour) {
                let mut h = debut;
                while h < fin {
                    let sur_la_grille = (h.hour() * 60 + h.minute()) % GRILLE_MINUTES == 0;
                    if (i > 0 || h >= preferee) && sur_la_grille {
                        if let Some(debut) = instant(*jour, h) {
                            let accepte = verifier_creneau(
                                &self.planning,
                                regles,
                                duree,
                                actives,
                                debut,
                                maintenant,
                            );
                            if accepte.is_ok() {
                                return Ok(debut);
                            }
                        }
                    }
                    let (suivante, jours_passes) = h.overflowing_add_signed(TimeDelta::minutes(5));
                    if jours_passes != 0 {
                        break;
                    }
                    h = suivante;
                }
            }
        }
        Err(ErreurDemo(format!(
            "aucun créneau pour {} ({duree} min) sur {:?}..{:?}",
            self.donnees.nom,
            jours.first(),
            jours.last()
        )))
    }
}

pub(super) fn jour_semaine(iso: u32) -> Result<chrono::Weekday, ErreurDemo> {
    u8::try_from(iso.wrapping_sub(1))
        .ok()
        .and_then(|i| chrono::Weekday::try_from(i).ok())
        .ok_or_else(|| ErreurDemo(format!("jour de semaine invalide : {iso}")))
}
