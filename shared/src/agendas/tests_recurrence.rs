//! The RRULE expansion against a brute-force reference that walks every day and decides
//! each by the rule's definition, on random rules (DST weeks of Europe/Paris included).

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Weekday};
use chrono_tz::Tz;
use proptest::prelude::*;

use super::recurrence::{Frequence, Jusqua, NonCompris, Regle, Travail};
use super::{instant, Moment};

fn jours_dans_le_mois(j: NaiveDate) -> u32 {
    let suivant = if j.month() == 12 {
        NaiveDate::from_ymd_opt(j.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(j.year(), j.month() + 1, 1)
    };
    suivant.unwrap().pred_opt().unwrap().day()
}

fn jour_du_mois_ok(r: &Regle, j: NaiveDate) -> bool {
    let n = j.day() as i32;
    let depuis_la_fin = n - jours_dans_le_mois(j) as i32 - 1;
    r.jours_du_mois.is_empty()
        || r.jours_du_mois
            .iter()
            .any(|&m| m == n || m == depuis_la_fin)
}

/// BYDAY with ordinals counted in the month.
fn jour_semaine_mois_ok(r: &Regle, j: NaiveDate) -> bool {
    let rang = ((j.day() - 1) / 7 + 1) as i32;
    let rang_fin = -(((jours_dans_le_mois(j) - j.day()) / 7 + 1) as i32);
    r.jours.is_empty()
        || r.jours
            .iter()
            .any(|&(o, w)| w == j.weekday() && o.is_none_or(|o| o == rang || o == rang_fin))
}

/// The first day of the week (WKST) holding `d`.
fn debut_semaine(r: &Regle, d: NaiveDate) -> NaiveDate {
    let recul =
        (7 + d.weekday().num_days_from_monday() - r.debut_semaine.num_days_from_monday()) % 7;
    d - TimeDelta::days(i64::from(recul))
}

fn correspond(r: &Regle, d0: NaiveDate, j: NaiveDate) -> bool {
    let i = i64::from(r.intervalle);
    let mois_ok = r.mois.is_empty() || r.mois.contains(&j.month());
    let semaine_ok = r.jours.is_empty() || r.jours.iter().any(|&(_, w)| w == j.weekday());
    match r.frequence {
        Frequence::Quotidienne => {
            (j - d0).num_days() % i == 0 && mois_ok && jour_du_mois_ok(r, j) && semaine_ok
        }
        Frequence::Hebdomadaire => {
            let semaines = (debut_semaine(r, j) - debut_semaine(r, d0)).num_days() / 7;
            let jour_ok = if r.jours.is_empty() {
                j.weekday() == d0.weekday()
            } else {
                semaine_ok
            };
            semaines % i == 0 && jour_ok && mois_ok && jour_du_mois_ok(r, j)
        }
        Frequence::Mensuelle => {
            let mois = (j.year() - d0.year()) as i64 * 12 + j.month() as i64 - d0.month() as i64;
            let jour_ok = if r.jours.is_empty() && r.jours_du_mois.is_empty() {
                j.day() == d0.day()
            } else {
                jour_du_mois_ok(r, j) && jour_semaine_mois_ok(r, j)
            };
            mois % i == 0 && mois_ok && jour_ok
        }
        Frequence::Annuelle => {
            let annees = i64::from(j.year() - d0.year());
            if annees % i != 0 {
                return false;
            }
            if r.mois.is_empty() && !r.jours.is_empty() && r.jours_du_mois.is_empty() {
                let ordinal = j.ordinal0() as i32;
                let total = if j.leap_year() { 366 } else { 365 };
                let rang = ordinal / 7 + 1;
                let rang_fin = -((total - 1 - ordinal) / 7 + 1);
                return r.jours.iter().any(|&(o, w)| {
                    w == j.weekday() && o.is_none_or(|o| o == rang || o == rang_fin)
                });
            }
            let mois_ok = if r.mois.is_empty() {
                j.month() == d0.month()
            } else {
                mois_ok
            };
            let jour_ok = if r.jours.is_empty() && r.jours_du_mois.is_empty() {
                j.day() == d0.day()
            } else {
                jour_du_mois_ok(r, j) && jour_semaine_mois_ok(r, j)
            };
            mois_ok && jour_ok
        }
    }
}

/// The rule's period holding `j`, counted from `d0`'s.
fn periode(r: &Regle, d0: NaiveDate, j: NaiveDate) -> i64 {
    match r.frequence {
        Frequence::Quotidienne => (j - d0).num_days(),
        Frequence::Hebdomadaire => (debut_semaine(r, j) - debut_semaine(r, d0)).num_days() / 7,
        Frequence::Mensuelle => {
            (j.year() - d0.year()) as i64 * 12 + j.month() as i64 - d0.month() as i64
        }
        Frequence::Annuelle => i64::from(j.year() - d0.year()),
    }
}

/// The days the rule gives, period by period from `d0`'s (whole periods, BYSETPOS
/// applied to each), up to `jusqu_a`'s period.
fn jours_choisis(r: &Regle, d0: NaiveDate, jusqu_a: NaiveDate) -> Vec<NaiveDate> {
    let mut premier = d0;
    while let Some(veille) = premier.pred_opt().filter(|v| periode(r, d0, *v) == 0) {
        premier = veille;
    }
    let fin = jusqu_a + TimeDelta::days(370);
    let candidats: Vec<(i64, NaiveDate)> = premier
        .iter_days()
        .take_while(|j| *j <= fin)
        .filter(|j| correspond(r, d0, *j))
        .map(|j| (periode(r, d0, j), j))
        .collect();
    let mut choisis = Vec::new();
    for groupe in candidats.chunk_by(|a, b| a.0 == b.0) {
        let jours: Vec<NaiveDate> = groupe.iter().map(|(_, j)| *j).collect();
        if r.positions.is_empty() {
            choisis.extend(jours);
            continue;
        }
        let mut pris: Vec<NaiveDate> = r
            .positions
            .iter()
            .filter_map(|&p| {
                let i = if p > 0 { p - 1 } else { jours.len() as i32 + p };
                usize::try_from(i).ok().and_then(|i| jours.get(i).copied())
            })
            .collect();
        pris.sort();
        pris.dedup();
        choisis.extend(pris);
    }
    choisis
}

fn reference(r: &Regle, debut: NaiveDateTime, jusqu_a: NaiveDateTime) -> Vec<NaiveDateTime> {
    let mut resultat = vec![debut];
    if r.compte.is_some_and(|c| c <= 1) {
        return resultat;
    }
    for jour in jours_choisis(r, debut.date(), jusqu_a.date()) {
        let t = jour.and_time(debut.time());
        if t > jusqu_a {
            break;
        }
        if let Some(Jusqua::Local(l)) = r.jusqua {
            if t > l {
                break;
            }
        }
        if t <= debut {
            continue;
        }
        resultat.push(t);
        if r.compte.is_some_and(|c| resultat.len() as u32 >= c) {
            break;
        }
    }
    resultat
}

/// The `n`-th day of the week from Monday.
fn jour(n: usize) -> Weekday {
    Weekday::try_from(u8::try_from(n).unwrap()).unwrap()
}

fn regle() -> impl Strategy<Value = Regle> {
    (
        0..4usize,
        1..4u32,
        proptest::option::of(1..40u32),
        proptest::collection::vec(
            (
                prop_oneof![
                    Just(None),
                    Just(Some(1)),
                    Just(Some(2)),
                    Just(Some(-1)),
                    Just(Some(-2))
                ],
                0..7usize,
            ),
            0..3,
        ),
        proptest::collection::vec(
            prop_oneof![
                Just(1),
                Just(15),
                Just(28),
                Just(29),
                Just(31),
                Just(-1),
                Just(-7)
            ],
            0..3,
        ),
        proptest::collection::vec(1..=12u32, 0..3),
        0..7usize,
        proptest::option::of(0..500i64),
        proptest::collection::vec(
            prop_oneof![Just(1), Just(2), Just(3), Just(-1), Just(-2)],
            0..3,
        ),
    )
        .prop_map(
            |(f, intervalle, compte, jours, jours_du_mois, mois, wkst, jusqua, positions)| {
                let frequence = [
                    Frequence::Quotidienne,
                    Frequence::Hebdomadaire,
                    Frequence::Mensuelle,
                    Frequence::Annuelle,
                ][f];
                let ordinaux = matches!(frequence, Frequence::Mensuelle | Frequence::Annuelle);
                Regle {
                    frequence,
                    intervalle,
                    compte,
                    jusqua: jusqua.map(|j| {
                        Jusqua::Local(
                            NaiveDate::from_ymd_opt(2026, 1, 1)
                                .unwrap()
                                .and_hms_opt(12, 0, 0)
                                .unwrap()
                                + TimeDelta::days(j),
                        )
                    }),
                    jours: jours
                        .into_iter()
                        .map(|(o, w)| (if ordinaux { o } else { None }, jour(w)))
                        .collect(),
                    jours_du_mois,
                    mois,
                    heures: Vec::new(),
                    minutes: Vec::new(),
                    positions: {
                        let mut p = positions;
                        p.sort();
                        p.dedup();
                        p
                    },
                    debut_semaine: jour(wkst),
                }
            },
        )
}

fn debut() -> impl Strategy<Value = NaiveDateTime> {
    // 2025-10-01 .. 2027-04-01: two autumns and two springs of Paris's summer time.
    (0..548i64, 0..24u32, prop_oneof![Just(0u32), Just(30)]).prop_map(|(j, h, m)| {
        (NaiveDate::from_ymd_opt(2025, 10, 1).unwrap() + TimeDelta::days(j))
            .and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn the_expansion_gives_the_days_a_day_by_day_walk_gives(r in regle(), d in debut()) {
        let jusqu_a = d + TimeDelta::days(800);
        let attendu = reference(&r, d, jusqu_a);
        let obtenu = r.occupations_pour_test(d, jusqu_a);
        prop_assert_eq!(obtenu, attendu);
    }

    #[test]
    fn starting_the_walk_near_the_window_loses_no_occurrence_in_it(
        r in regle(), d in debut(), decalage in 0..700i64
    ) {
        let r = Regle { compte: None, ..r };
        let jusqu_a = d + TimeDelta::days(900);
        let depuis = d.date() + TimeDelta::days(decalage);
        let tout: Vec<_> = r.occurrences(d, Tz::Europe__Paris, d.date(), jusqu_a, &mut Travail::default()).unwrap()
            .into_iter().filter(|t| t.date() >= depuis).collect();
        let proche: Vec<_> = r.occurrences(d, Tz::Europe__Paris, depuis, jusqu_a, &mut Travail::default()).unwrap()
            .into_iter().filter(|t| t.date() >= depuis).collect();
        prop_assert_eq!(proche, tout);
    }

    #[test]
    fn every_occurrence_keeps_its_wall_clock_time_in_paris_across_summer_time(
        r in regle(), d in debut()
    ) {
        for local in r.occupations_pour_test(d, d + TimeDelta::days(400)) {
            let i = instant(&Moment { local, fuseau: Tz::Europe__Paris, jour_entier: false }).unwrap();
            let vu = i.with_timezone(&Tz::Europe__Paris).naive_local();
            // Equal, or pushed past a spring-forward gap by at most an hour.
            prop_assert!(vu >= local && vu - local <= TimeDelta::hours(1), "{local} → {vu}");
        }
    }
}

impl Regle {
    fn occupations_pour_test(
        &self,
        d: NaiveDateTime,
        jusqu_a: NaiveDateTime,
    ) -> Vec<NaiveDateTime> {
        self.occurrences(
            d,
            Tz::Europe__Paris,
            d.date(),
            jusqu_a,
            &mut Travail::default(),
        )
        .unwrap()
    }
}

fn paris(texte: &str) -> String {
    let local = NaiveDateTime::parse_from_str(texte, "%Y-%m-%d %H:%M").unwrap();
    let i = instant(&Moment {
        local,
        fuseau: Tz::Europe__Paris,
        jour_entier: false,
    })
    .unwrap();
    i.format("%Y-%m-%dT%H:%MZ").to_string()
}

/// The instants of a rule's occurrences from a wall-clock start in Paris.
fn instants_a_paris(r: &Regle, debut: &str) -> Vec<String> {
    let d = NaiveDateTime::parse_from_str(debut, "%Y-%m-%d %H:%M").unwrap();
    r.occurrences(
        d,
        Tz::Europe__Paris,
        d.date(),
        d + TimeDelta::days(30),
        &mut Travail::default(),
    )
    .unwrap()
    .iter()
    .map(|l| paris(&l.format("%Y-%m-%d %H:%M").to_string()))
    .collect()
}

#[test]
fn a_weekly_nine_oclock_stays_at_nine_across_both_changes_of_summer_time() {
    let r = Regle::parse("FREQ=WEEKLY;BYDAY=MO;COUNT=3").unwrap();
    // Summer time starts on Sunday 29 March 2026…
    assert_eq!(
        instants_a_paris(&r, "2026-03-23 09:00"),
        [
            "2026-03-23T08:00Z",
            "2026-03-30T07:00Z",
            "2026-04-06T07:00Z"
        ]
    );
    // … and ends on Sunday 25 October 2026.
    assert_eq!(
        instants_a_paris(&r, "2026-10-19 09:00"),
        [
            "2026-10-19T07:00Z",
            "2026-10-26T08:00Z",
            "2026-11-02T08:00Z"
        ]
    );
    // A time in the spring gap is the first instant after it.
    assert_eq!(paris("2026-03-29 02:30"), "2026-03-29T01:00Z");
}

/// The dates of a rule's occurrences from a wall-clock start.
fn dates(regle: &str, debut: &str, fuseau: Tz) -> Vec<String> {
    let d = NaiveDateTime::parse_from_str(debut, "%Y-%m-%d %H:%M").unwrap();
    Regle::parse(regle)
        .unwrap()
        .occurrences(
            d,
            fuseau,
            d.date(),
            d + TimeDelta::days(365),
            &mut Travail::default(),
        )
        .unwrap()
        .iter()
        .map(|l| l.date().to_string())
        .collect()
}

#[test]
fn monthly_ordinals_and_until_are_understood() {
    assert_eq!(
        dates(
            "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20260601T000000Z",
            "2026-01-30 18:00",
            Tz::Europe__Paris
        ),
        [
            "2026-01-30",
            "2026-02-27",
            "2026-03-27",
            "2026-04-24",
            "2026-05-29"
        ]
    );
    assert_eq!(
        dates(
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,3MO;COUNT=4",
            "2026-01-05 08:00",
            Tz::UTC
        ),
        ["2026-01-05", "2026-01-19", "2026-03-02", "2026-03-16"]
    );
}

#[test]
fn rules_with_parts_not_understood_are_not_guessed_and_name_the_part() {
    for (texte, partie) in [
        ("FREQ=HOURLY", "FREQ=HOURLY"),
        ("FREQ=MINUTELY;INTERVAL=15", "FREQ=MINUTELY"),
        ("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "BYWEEKNO"),
        ("FREQ=YEARLY;BYYEARDAY=100", "BYYEARDAY"),
        ("FREQ=DAILY;BYSECOND=30", "BYSECOND"),
        ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL"),
        ("BYDAY=MO", "FREQ"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY"),
        ("FREQ=MONTHLY;BYSETPOS=0;BYDAY=MO", "BYSETPOS"),
        ("FREQ=DAILY;BYHOUR=24", "BYHOUR"),
        ("FREQ=DAILY;BYMINUTE=60", "BYMINUTE"),
        ("FREQ=DAILY;BYMONTH=0", "BYMONTH"),
    ] {
        assert_eq!(Regle::parse(texte), None, "{texte}");
        assert_eq!(
            Regle::lire(texte),
            Err(NonCompris(partie.to_owned())),
            "{texte}"
        );
    }
}

#[test]
fn outlooks_last_working_day_of_the_month_is_understood() {
    assert_eq!(
        dates(
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=5",
            "2026-01-30 17:00",
            Tz::Europe__Paris
        ),
        [
            "2026-01-30",
            "2026-02-27",
            "2026-03-31",
            "2026-04-30",
            "2026-05-29"
        ]
    );
    // The second Tuesday or Thursday, whichever comes first, each month.
    assert_eq!(
        dates(
            "FREQ=MONTHLY;BYDAY=TU,TH;BYSETPOS=2;UNTIL=20260401T000000Z",
            "2026-01-06 09:00",
            Tz::UTC
        ),
        ["2026-01-06", "2026-02-05", "2026-03-05"]
    );
}

/// The times of a rule's occurrences (`jour heure:minute`) from a wall-clock start, over
/// `jours` days.
fn heures(regle: &str, debut: (u32, u32, u32), jours: i64) -> Vec<String> {
    let debut = NaiveDate::from_ymd_opt(2026, debut.0, debut.1)
        .unwrap()
        .and_hms_opt(debut.2, 0, 0)
        .unwrap();
    Regle::parse(regle)
        .unwrap()
        .occupations_pour_test(debut, debut + TimeDelta::days(jours))
        .iter()
        .map(|l| l.format("%d %H:%M").to_string())
        .collect()
}

#[test]
fn several_times_a_day_are_understood() {
    assert_eq!(
        heures(
            "FREQ=DAILY;BYHOUR=9,14;BYMINUTE=0,30;COUNT=6",
            (3, 28, 9),
            10
        ),
        ["28 09:00", "28 09:30", "28 14:00", "28 14:30", "29 09:00", "29 09:30"]
    );
    // The last time of each week (BYSETPOS over the week's times).
    assert_eq!(
        heures(
            "FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=8,18;BYSETPOS=-1;COUNT=3",
            (3, 2, 8),
            30
        ),
        ["02 08:00", "06 18:00", "13 18:00"]
    );
}
