//! Properties of slot computation over random schedules, rules and bookings, around DST
//! changes in several zones.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::*;

#[derive(Debug, Clone)]
struct Scenario {
    planning: Planning,
    regles: Regles,
    duree_minutes: u32,
    occupations: Vec<Occupation>,
    du: NaiveDate,
    au: NaiveDate,
    maintenant: DateTime<Utc>,
}

impl Scenario {
    fn creneaux(&self) -> Vec<Creneau> {
        self.creneaux_avec(&self.occupations)
    }

    fn creneaux_avec(&self, occupations: &[Occupation]) -> Vec<Creneau> {
        creneaux_libres(
            &self.planning,
            &self.regles,
            self.duree_minutes,
            occupations,
            self.du,
            self.au,
            self.maintenant,
        )
    }

    fn verifier(&self, debut: DateTime<Utc>) -> Result<Creneau, RefusCreneau> {
        verifier_creneau(
            &self.planning,
            &self.regles,
            self.duree_minutes,
            &self.occupations,
            debut,
            self.maintenant,
        )
    }

    fn minuit_utc(&self, jour: NaiveDate) -> DateTime<Utc> {
        jour.and_time(NaiveTime::MIN).and_utc()
    }

    fn jour_local(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.planning.fuseau).date_naive()
    }
}

fn minutes(m: i64) -> TimeDelta {
    TimeDelta::minutes(m)
}

/// A wall-clock time, usually on the 5-minute granule, sometimes a few minutes off it.
fn heure() -> impl Strategy<Value = u32> {
    (0u32..288, prop_oneof![6 => Just(0u32), 1 => 1u32..5])
        .prop_map(|(g, decalage)| g * 5 + decalage)
}

fn plage(debut: u32, longueur: u32) -> (NaiveTime, NaiveTime) {
    let fin = (debut + longueur).min(24 * 60 - 1);
    let t = |m: u32| NaiveTime::from_hms_opt(m / 60, m % 60, 0).unwrap_or(NaiveTime::MIN);
    (t(debut), t(fin))
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let fuseaux = prop::sample::select(vec![
        chrono_tz::Europe::Paris,
        chrono_tz::America::New_York,
        chrono_tz::Pacific::Auckland,
        chrono_tz::UTC,
    ]);
    // Around DST changes in Paris, New York and Auckland, and an ordinary week.
    let debuts = prop::sample::select(vec![
        (2026, 3, 27),
        (2026, 10, 23),
        (2026, 3, 6),
        (2026, 10, 30),
        (2026, 4, 3),
        (2026, 9, 25),
        (2026, 6, 8),
    ]);
    let hebdo = prop::collection::vec((0u8..7, heure(), 5u32..600), 0..12);
    let ouvertures = prop::collection::vec((0u64..5, heure(), 5u32..600), 0..3);
    let absences = prop::collection::vec(
        prop_oneof![
            (0u64..5, 0u64..3).prop_map(|(du, n)| (true, du as i64, (du + n) as i64)),
            (-1440i64..7 * 1440, -60i64..600).prop_map(|(d, l)| (false, d, l)),
        ],
        0..3,
    );
    let occupations = prop::collection::vec((-1440i64..7 * 1440, 0i64..240), 0..6);
    let regles = (
        prop::sample::select(vec![5u32, 10, 15, 20, 30, 45, 60]),
        prop_oneof![3 => Just(0u32), 2 => 0u32..100, 1 => 0u32..600],
        prop_oneof![1 => Just(0u32), 6 => 1u32..10],
        0u32..7,
        0u32..7,
        prop::option::of(0u32..5),
    );
    (
        fuseaux,
        debuts,
        0u64..5,
        hebdo,
        ouvertures,
        absences,
        occupations,
        regles,
        1u32..37,
        -1440i64..1440,
    )
        .prop_map(
            |(
                fuseau,
                (a, m, j),
                nb_jours,
                hebdo,
                ouvertures,
                absences,
                occupations,
                regles,
                duree,
                maintenant,
            )| {
                let du = NaiveDate::from_ymd_opt(a, m, j).unwrap_or_default();
                let au = du + Days::new(nb_jours);
                let minuit = du.and_time(NaiveTime::MIN).and_utc();
                let (pas, preavis, horizon, avant, apres, max) = regles;
                let jours_semaine = Weekday::Mon;
                Scenario {
                    planning: Planning {
                        fuseau,
                        hebdo: hebdo
                            .into_iter()
                            .map(|(j, debut, longueur)| {
                                let (debut, fin) = plage(debut, longueur);
                                let mut jour = jours_semaine;
                                for _ in 0..j {
                                    jour = jour.succ();
                                }
                                PlageHebdo { jour, debut, fin }
                            })
                            .collect(),
                        ouvertures: ouvertures
                            .into_iter()
                            .map(|(decalage, debut, longueur)| {
                                let (debut, fin) = plage(debut, longueur);
                                OuvertureDatee {
                                    date: du + Days::new(decalage),
                                    debut,
                                    fin,
                                }
                            })
                            .collect(),
                        absences: absences
                            .into_iter()
                            .map(|(jours, a, b)| {
                                if jours {
                                    Absence::Jours {
                                        du: du + Days::new(a as u64),
                                        au: du + Days::new(b as u64),
                                    }
                                } else {
                                    Absence::Periode {
                                        debut: minuit + minutes(a),
                                        fin: minuit + minutes(a + b),
                                    }
                                }
                            })
                            .collect(),
                    },
                    regles: Regles {
                        pas_minutes: pas,
                        preavis_minutes: preavis * 5,
                        horizon_jours: horizon,
                        tampon_avant_minutes: avant * 5,
                        tampon_apres_minutes: apres * 5,
                        max_reservations_par_jour: max,
                    },
                    duree_minutes: duree * 5,
                    occupations: occupations
                        .into_iter()
                        .map(|(debut, duree)| Occupation {
                            debut: minuit + minutes(debut / 5 * 5),
                            fin: minuit + minutes(debut / 5 * 5 + duree / 5 * 5),
                        })
                        .collect(),
                    du,
                    au,
                    maintenant: minuit
                        + TimeDelta::seconds(maintenant * 60 + maintenant.rem_euclid(7)),
                }
            },
        )
}

/// The opening ranges of a local date, read straight from the schedule.
fn plages_brutes(s: &Scenario, jour: NaiveDate) -> Vec<(NaiveTime, NaiveTime)> {
    let hebdo = s
        .planning
        .hebdo
        .iter()
        .filter(|p| p.jour == jour.weekday())
        .map(|p| (p.debut, p.fin));
    let datees = s
        .planning
        .ouvertures
        .iter()
        .filter(|o| o.date == jour)
        .map(|o| (o.debut, o.fin));
    hebdo.chain(datees).filter(|(d, f)| d < f).collect()
}

fn se_chevauchent(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> bool {
    a.0 < a.1 && b.0 < b.1 && a.0 < b.1 && b.0 < a.1
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn free_slots_are_sorted_without_duplicates_and_last_the_service_duration(s in scenario()) {
        let creneaux = s.creneaux();
        for paire in creneaux.windows(2) {
            prop_assert!(paire[0].debut() < paire[1].debut());
        }
        for c in &creneaux {
            prop_assert_eq!(c.fin() - c.debut(), minutes(i64::from(s.duree_minutes)));
            prop_assert!(s.du <= s.jour_local(c.debut()) && s.jour_local(c.debut()) <= s.au);
        }
    }

    #[test]
    fn every_free_slot_lies_inside_an_opening_range_on_its_grid(s in scenario()) {
        let fuseau: Tz = s.planning.fuseau;
        for c in s.creneaux() {
            let debut = c.debut().with_timezone(&fuseau).naive_local();
            let derniere_seconde = (c.fin() - TimeDelta::seconds(1)).with_timezone(&fuseau).naive_local();
            let pas = i64::from(s.regles.pas_minutes) * 60;
            let dedans = plages_brutes(&s, debut.date()).into_iter().any(|(o, f)| {
                let ecart = (debut.time() - o).num_seconds();
                debut.time() >= o
                    && ecart % pas == 0
                    && derniere_seconde.date() == debut.date()
                    && derniere_seconde.time() < f
            });
            prop_assert!(dedans, "{:?} outside every range", c.debut_local(fuseau));
            prop_assert_eq!(c.debut().timestamp() % 300, 0);
        }
    }

    #[test]
    fn no_free_slot_touches_time_off_or_another_booking_with_its_buffers(s in scenario()) {
        let fuseau = s.planning.fuseau;
        let avant = minutes(i64::from(s.regles.tampon_avant_minutes));
        let apres = minutes(i64::from(s.regles.tampon_apres_minutes));
        for c in s.creneaux() {
            let occupe = (c.debut() - avant, c.fin() + apres);
            for o in &s.occupations {
                prop_assert!(!se_chevauchent(occupe, (o.debut - avant, o.fin + apres)));
            }
            for absence in &s.planning.absences {
                match *absence {
                    Absence::Jours { du, au } => {
                        let jour = c.debut().with_timezone(&fuseau).date_naive();
                        prop_assert!(!(du <= jour && jour <= au));
                    }
                    Absence::Periode { debut, fin } => {
                        prop_assert!(!se_chevauchent((c.debut(), c.fin()), (debut, fin)));
                    }
                }
            }
            if let Some(max) = s.regles.max_reservations_par_jour {
                let jour = s.jour_local(c.debut());
                let deja = s.occupations.iter().filter(|o| s.jour_local(o.debut) == jour).count();
                prop_assert!((deja as u64) < u64::from(max));
            }
            prop_assert!(c.debut() >= s.maintenant + minutes(i64::from(s.regles.preavis_minutes)));
            prop_assert!(c.debut() <= s.maintenant + TimeDelta::days(i64::from(s.regles.horizon_jours)));
        }
    }

    #[test]
    fn adding_a_booking_never_adds_a_slot_and_removing_one_never_removes_a_slot(
        s in scenario(),
        nouvelle in (-1440i64..7 * 1440, 0i64..48),
    ) {
        let avant = s.creneaux();
        let minuit = s.minuit_utc(s.du);
        let mut plus = s.occupations.clone();
        plus.push(Occupation {
            debut: minuit + minutes(nouvelle.0 / 5 * 5),
            fin: minuit + minutes(nouvelle.0 / 5 * 5 + nouvelle.1 * 5),
        });
        let apres_ajout = s.creneaux_avec(&plus);
        prop_assert!(apres_ajout.iter().all(|c| avant.contains(c)));

        if !s.occupations.is_empty() {
            let moins = &s.occupations[1..];
            let apres_retrait = s.creneaux_avec(moins);
            prop_assert!(avant.iter().all(|c| apres_retrait.contains(c)));
        }
    }

    #[test]
    fn verifier_creneau_accepts_exactly_the_free_slots(s in scenario(), decalage in prop_oneof![4 => Just(0i64), 1 => 1i64..300]) {
        let creneaux = s.creneaux();
        for c in &creneaux {
            prop_assert_eq!(s.verifier(c.debut()), Ok(*c));
        }
        // Every start, every five minutes (or shifted off the granule), whose local date is
        // in the window.
        let fin = s.minuit_utc(s.au) + TimeDelta::hours(24 + 15);
        let mut debut = s.minuit_utc(s.du) - TimeDelta::hours(15) + TimeDelta::seconds(decalage);
        while debut < fin {
            let jour = s.jour_local(debut);
            if s.du <= jour && jour <= s.au {
                let libre = creneaux.iter().any(|c| c.debut() == debut);
                let verdict = s.verifier(debut);
                prop_assert_eq!(verdict.is_ok(), libre, "{} gave {:?}", debut, verdict);
            }
            debut += minutes(5);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn the_next_free_slot_is_the_first_of_the_full_listing(s in scenario()) {
        let prochain = prochain_creneau(
            &s.planning,
            &s.regles,
            s.duree_minutes,
            &s.occupations,
            (s.du, s.au),
            s.maintenant,
        );
        prop_assert_eq!(prochain, s.creneaux().first().copied());
    }
}
