//! Examples of slot computation: grid, hours, DST, notice, horizon, buffers, time off, limits.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use super::*;

fn heure(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn date(a: i32, m: u32, j: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(a, m, j).unwrap()
}

/// An instant given as wall-clock time in `fuseau` (must be unambiguous).
fn local(fuseau: Tz, a: i32, m: u32, j: u32, h: u32, min: u32) -> DateTime<Utc> {
    fuseau
        .with_ymd_and_hms(a, m, j, h, min, 0)
        .single()
        .unwrap()
        .with_timezone(&Utc)
}

fn paris() -> Tz {
    chrono_tz::Europe::Paris
}

fn regles(pas_minutes: u32) -> Regles {
    Regles {
        pas_minutes,
        preavis_minutes: 0,
        horizon_jours: 3650,
        tampon_avant_minutes: 0,
        tampon_apres_minutes: 0,
        max_reservations_par_jour: None,
    }
}

/// A weekday with its opening and closing (hour, minute).
type Horaire = (Weekday, (u32, u32), (u32, u32));

fn planning(fuseau: Tz, hebdo: &[Horaire]) -> Planning {
    Planning {
        fuseau,
        hebdo: hebdo
            .iter()
            .map(|&(jour, (hd, md), (hf, mf))| PlageHebdo {
                jour,
                debut: heure(hd, md),
                fin: heure(hf, mf),
            })
            .collect(),
        ..Planning::default()
    }
}

/// The free slots of one day of a Paris week, with no booking and no notice.
fn libres_a_paris(hebdo: &[Horaire], jour: NaiveDate, pas: u32, duree: u32) -> Vec<Creneau> {
    let p = planning(paris(), hebdo);
    creneaux_libres(&p, &regles(pas), duree, &[], jour, jour, autrefois())
}

/// The local starts of [`libres_a_paris`], as [`debuts_locaux`] writes them.
fn debuts_a_paris(hebdo: &[Horaire], jour: NaiveDate, pas: u32, duree: u32) -> String {
    debuts_locaux(&libres_a_paris(hebdo, jour, pas, duree), paris())
}

/// The local starts, as [`debuts_locaux`] writes them, of `p`'s free slots in Paris from
/// Monday to `jusqu_au`, seen from long before.
fn debuts_depuis_lundi(
    p: &Planning,
    r: &Regles,
    duree: u32,
    occupations: &[Occupation],
    jusqu_au: NaiveDate,
) -> String {
    let creneaux = creneaux_libres(p, r, duree, occupations, lundi(), jusqu_au, autrefois());
    debuts_locaux(&creneaux, paris())
}

/// Long before every date used here.
fn autrefois() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap()
}

/// The slots' local starts, one line: each day's date, then `HH:MM±HH` per slot
/// (`2026-03-29 01:30+01 03:00+02`).
fn debuts_locaux(creneaux: &[Creneau], fuseau: Tz) -> String {
    let mut texte = Vec::new();
    let mut jour = None;
    for c in creneaux {
        let debut = c.debut().with_timezone(&fuseau);
        assert_eq!(c.debut_local(fuseau), debut.to_rfc3339());
        if jour != Some(debut.date_naive()) {
            jour = Some(debut.date_naive());
            texte.push(debut.format("%Y-%m-%d").to_string());
        }
        texte.push(debut.format("%H:%M%:::z").to_string());
    }
    texte.join(" ")
}

// 2026-01-12 is a Monday; Paris is at +01:00 in January.
const LUNDI: (i32, u32, u32) = (2026, 1, 12);

fn lundi() -> NaiveDate {
    date(LUNDI.0, LUNDI.1, LUNDI.2)
}

#[test]
fn slots_start_on_the_step_grid_from_the_start_of_the_range_and_fit_inside_it() {
    let creneaux = libres_a_paris(&[(Weekday::Mon, (9, 0), (12, 0))], lundi(), 30, 60);
    assert_eq!(
        debuts_locaux(&creneaux, paris()),
        "2026-01-12 09:00+01 09:30+01 10:00+01 10:30+01 11:00+01"
    );
    assert_eq!(creneaux[4].fin_local(paris()), "2026-01-12T12:00:00+01:00");
}

#[test]
fn the_grid_restarts_at_each_range_of_a_day_with_several_ranges() {
    let hebdo = [
        (Weekday::Mon, (9, 0), (10, 0)),
        (Weekday::Mon, (14, 15), (15, 45)),
        (Weekday::Tue, (9, 0), (10, 0)),
    ];
    assert_eq!(
        debuts_a_paris(&hebdo, lundi(), 30, 30),
        "2026-01-12 09:00+01 09:30+01 14:15+01 14:45+01 15:15+01"
    );
}

#[test]
fn a_start_inside_the_spring_forward_gap_gives_no_slot_in_paris() {
    // 2026-03-29 is a Sunday: 02:00 jumps to 03:00 in Paris.
    let hebdo = [(Weekday::Sun, (1, 0), (5, 0))];
    assert_eq!(
        debuts_a_paris(&hebdo, date(2026, 3, 29), 30, 30),
        "2026-03-29 01:00+01 01:30+01 03:00+02 03:30+02 04:00+02 04:30+02"
    );
}

#[test]
fn durations_across_the_spring_forward_gap_are_real_minutes() {
    let hebdo = [(Weekday::Sun, (1, 0), (4, 0))];
    let creneaux = libres_a_paris(&hebdo, date(2026, 3, 29), 60, 60);
    // The range holds two real hours: 01:00–02:00 then 03:00–04:00.
    assert_eq!(creneaux.len(), 2);
    assert_eq!(
        creneaux[0].debut_local(paris()),
        "2026-03-29T01:00:00+01:00"
    );
    assert_eq!(creneaux[0].fin_local(paris()), "2026-03-29T03:00:00+02:00");
    assert_eq!(
        creneaux[1].debut_local(paris()),
        "2026-03-29T03:00:00+02:00"
    );
    assert_eq!(creneaux[1].fin_local(paris()), "2026-03-29T04:00:00+02:00");
}

#[test]
fn a_range_that_starts_or_ends_inside_the_gap_opens_at_the_first_real_instant_after_it() {
    let jour = date(2026, 3, 29);
    let commence_dans_le_trou = [(Weekday::Sun, (2, 0), (4, 0))];
    assert_eq!(
        debuts_a_paris(&commence_dans_le_trou, jour, 30, 30),
        "2026-03-29 03:00+02 03:30+02"
    );

    // "01:00–02:30" closes at 03:00 (+02:00): one real hour.
    let finit_dans_le_trou = [(Weekday::Sun, (1, 0), (2, 30))];
    assert_eq!(
        debuts_a_paris(&finit_dans_le_trou, jour, 30, 60),
        "2026-03-29 01:00+01"
    );
}

#[test]
fn a_wall_clock_time_that_happens_twice_in_autumn_gives_one_slot_at_the_earlier_instant() {
    // 2026-10-25 is a Sunday: 03:00 (+02:00) goes back to 02:00 (+01:00) in Paris.
    let p = planning(paris(), &[(Weekday::Sun, (1, 0), (4, 0))]);
    let jour = date(2026, 10, 25);
    let creneaux = creneaux_libres(&p, &regles(30), 60, &[], jour, jour, autrefois());
    let affiches: Vec<(String, String)> = creneaux
        .iter()
        .map(|c| (c.debut_local(paris()), c.fin_local(paris())))
        .collect();
    let attendu = [
        ("2026-10-25T01:00:00+02:00", "2026-10-25T02:00:00+02:00"),
        ("2026-10-25T01:30:00+02:00", "2026-10-25T02:30:00+02:00"),
        ("2026-10-25T02:00:00+02:00", "2026-10-25T02:00:00+01:00"),
        ("2026-10-25T02:30:00+02:00", "2026-10-25T02:30:00+01:00"),
        ("2026-10-25T03:00:00+01:00", "2026-10-25T04:00:00+01:00"),
    ];
    assert_eq!(
        affiches,
        attendu.map(|(d, f)| (d.to_owned(), f.to_owned())).to_vec()
    );

    // The second 02:30 is not a start the grid offers.
    let deuxieme_deux_heures_trente = Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap();
    assert_eq!(
        verifier_creneau(
            &p,
            &regles(30),
            60,
            &[],
            deuxieme_deux_heures_trente,
            autrefois()
        ),
        Err(RefusCreneau::HorsGrille)
    );
}

#[test]
fn a_ninety_minute_appointment_at_one_thirty_on_the_autumn_night_ends_at_the_second_two_oclock() {
    let p = planning(paris(), &[(Weekday::Sun, (1, 0), (4, 0))]);
    let debut = Utc.with_ymd_and_hms(2026, 10, 24, 23, 30, 0).unwrap(); // 01:30 +02:00
    let creneau = verifier_creneau(&p, &regles(30), 90, &[], debut, autrefois()).unwrap();
    assert_eq!(creneau.debut_local(paris()), "2026-10-25T01:30:00+02:00");
    assert_eq!(creneau.fin_local(paris()), "2026-10-25T02:00:00+01:00");
    assert_eq!(
        creneau.fin() - creneau.debut(),
        chrono::TimeDelta::minutes(90)
    );
}

#[test]
fn new_york_skips_the_spring_gap_and_offers_the_repeated_autumn_hour_once() {
    let new_york = chrono_tz::America::New_York;
    let p = planning(new_york, &[(Weekday::Sun, (0, 0), (4, 0))]);

    // 2026-03-08: 02:00 jumps to 03:00.
    let printemps = date(2026, 3, 8);
    let creneaux = creneaux_libres(&p, &regles(60), 60, &[], printemps, printemps, autrefois());
    assert_eq!(
        debuts_locaux(&creneaux, new_york),
        "2026-03-08 00:00-05 01:00-05 03:00-04"
    );

    // 2026-11-01: 02:00 (-04:00) goes back to 01:00 (-05:00); the range holds five real hours.
    let automne = date(2026, 11, 1);
    let creneaux = creneaux_libres(&p, &regles(60), 60, &[], automne, automne, autrefois());
    assert_eq!(
        debuts_locaux(&creneaux, new_york),
        "2026-11-01 00:00-04 01:00-04 02:00-05 03:00-05"
    );
    assert_eq!(creneaux[1].fin_local(new_york), "2026-11-01T01:00:00-05:00");
}

#[test]
fn slots_closer_than_the_notice_are_not_offered_nor_accepted() {
    let p = planning(paris(), &[(Weekday::Mon, (9, 0), (12, 0))]);
    let mut r = regles(30);
    r.preavis_minutes = 60;
    let maintenant = local(paris(), 2026, 1, 12, 9, 10);
    let creneaux = creneaux_libres(&p, &r, 30, &[], lundi(), lundi(), maintenant);
    assert_eq!(
        creneaux[0].debut_local(paris()),
        "2026-01-12T10:30:00+01:00"
    );

    let trop_proche = local(paris(), 2026, 1, 12, 10, 0);
    assert_eq!(
        verifier_creneau(&p, &r, 30, &[], trop_proche, maintenant),
        Err(RefusCreneau::PreavisInsuffisant)
    );
    let passe = local(paris(), 2026, 1, 12, 9, 0);
    assert_eq!(
        verifier_creneau(&p, &r, 30, &[], passe, maintenant),
        Err(RefusCreneau::CreneauPasse)
    );
}

#[test]
fn slots_beyond_the_horizon_are_not_offered_nor_accepted() {
    let p = planning(
        paris(),
        &[
            (Weekday::Mon, (9, 0), (12, 0)),
            (Weekday::Tue, (9, 0), (12, 0)),
        ],
    );
    let mut r = regles(60);
    r.horizon_jours = 1;
    let maintenant = local(paris(), 2026, 1, 12, 10, 0);
    let mardi = date(2026, 1, 13);
    let creneaux = creneaux_libres(&p, &r, 60, &[], lundi(), mardi, maintenant);
    assert_eq!(
        debuts_locaux(&creneaux, paris()),
        "2026-01-12 10:00+01 11:00+01 2026-01-13 09:00+01 10:00+01"
    );
    assert_eq!(
        verifier_creneau(
            &p,
            &r,
            60,
            &[],
            local(paris(), 2026, 1, 13, 11, 0),
            maintenant
        ),
        Err(RefusCreneau::AuDelaHorizon)
    );
}

#[test]
fn buffers_keep_slots_away_from_other_bookings_but_may_leave_opening_hours() {
    let p = planning(paris(), &[(Weekday::Mon, (9, 0), (13, 0))]);
    let mut r = regles(15);
    r.tampon_avant_minutes = 15;
    r.tampon_apres_minutes = 15;
    let rdv = Occupation {
        debut: local(paris(), 2026, 1, 12, 10, 0),
        fin: local(paris(), 2026, 1, 12, 11, 0),
    };
    assert_eq!(
        occupation_avec_tampons(rdv.debut, rdv.fin, &r),
        (
            local(paris(), 2026, 1, 12, 9, 45),
            local(paris(), 2026, 1, 12, 11, 15)
        )
    );
    let creneaux = creneaux_libres(&p, &r, 30, &[rdv], lundi(), lundi(), autrefois());
    // Its buffer starts at 08:45, before opening: allowed.
    assert_eq!(
        debuts_locaux(&creneaux, paris()),
        "2026-01-12 09:00+01 11:30+01 11:45+01 12:00+01 12:15+01 12:30+01"
    );
    assert_eq!(
        verifier_creneau(
            &p,
            &r,
            30,
            &[rdv],
            local(paris(), 2026, 1, 12, 11, 15),
            autrefois()
        ),
        Err(RefusCreneau::CreneauIndisponible)
    );
}

#[test]
fn whole_days_off_remove_every_slot_of_those_local_dates() {
    let tous_les_jours: Vec<_> = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu]
        .into_iter()
        .map(|j| (j, (9, 0), (10, 0)))
        .collect();
    let mut p = planning(paris(), &tous_les_jours);
    p.absences.push(Absence::Jours {
        du: date(2026, 1, 13),
        au: date(2026, 1, 14),
    });
    assert_eq!(
        debuts_depuis_lundi(&p, &regles(60), 60, &[], date(2026, 1, 15)),
        "2026-01-12 09:00+01 2026-01-15 09:00+01"
    );
    assert_eq!(
        verifier_creneau(
            &p,
            &regles(60),
            60,
            &[],
            local(paris(), 2026, 1, 13, 9, 0),
            autrefois()
        ),
        Err(RefusCreneau::CreneauIndisponible)
    );
}

#[test]
fn time_off_for_part_of_a_day_removes_only_the_slots_it_touches() {
    let mut p = planning(paris(), &[(Weekday::Mon, (9, 0), (12, 0))]);
    p.absences.push(Absence::Periode {
        debut: local(paris(), 2026, 1, 12, 10, 0),
        fin: local(paris(), 2026, 1, 12, 11, 0),
    });
    assert_eq!(
        debuts_depuis_lundi(&p, &regles(30), 60, &[], lundi()),
        "2026-01-12 09:00+01 11:00+01"
    );
}

#[test]
fn an_extra_opening_adds_slots_on_its_date_without_duplicating_weekly_ones() {
    let mut p = planning(paris(), &[(Weekday::Mon, (9, 0), (10, 0))]);
    p.ouvertures = vec![
        OuvertureDatee {
            date: lundi(),
            debut: heure(9, 0),
            fin: heure(11, 0),
        },
        OuvertureDatee {
            date: date(2026, 1, 17), // a Saturday, closed every week
            debut: heure(10, 0),
            fin: heure(11, 0),
        },
    ];
    assert_eq!(
        debuts_depuis_lundi(&p, &regles(30), 30, &[], date(2026, 1, 18)),
        "2026-01-12 09:00+01 09:30+01 10:00+01 10:30+01 2026-01-17 10:00+01 10:30+01"
    );
}

#[test]
fn time_off_wins_over_an_extra_opening() {
    let mut p = planning(paris(), &[]);
    p.ouvertures.push(OuvertureDatee {
        date: date(2026, 1, 17),
        debut: heure(10, 0),
        fin: heure(12, 0),
    });
    p.absences.push(Absence::Jours {
        du: date(2026, 1, 17),
        au: date(2026, 1, 17),
    });
    let jour = date(2026, 1, 17);
    assert!(creneaux_libres(&p, &regles(30), 30, &[], jour, jour, autrefois()).is_empty());
}

#[test]
fn a_day_that_reached_its_maximum_of_bookings_by_local_date_is_full() {
    let p = planning(
        paris(),
        &[
            (Weekday::Mon, (0, 0), (12, 0)),
            (Weekday::Tue, (9, 0), (10, 0)),
        ],
    );
    let mut r = regles(60);
    r.max_reservations_par_jour = Some(1);
    // 00:30 in Paris is still Sunday in UTC: it counts for Monday.
    let rdv = Occupation {
        debut: local(paris(), 2026, 1, 12, 0, 30),
        fin: local(paris(), 2026, 1, 12, 0, 45),
    };
    assert_eq!(rdv.debut.date_naive(), date(2026, 1, 11));
    assert_eq!(
        debuts_depuis_lundi(&p, &r, 60, &[rdv], date(2026, 1, 13)),
        "2026-01-13 09:00+01"
    );
    assert_eq!(
        verifier_creneau(
            &p,
            &r,
            60,
            &[rdv],
            local(paris(), 2026, 1, 12, 10, 0),
            autrefois()
        ),
        Err(RefusCreneau::JourneeComplete)
    );
}

#[test]
fn an_inverted_date_range_is_empty_and_a_long_one_is_capped_to_sixty_two_days() {
    let tous_les_jours: Vec<_> = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .map(|j| (j, (9, 0), (10, 0)))
    .collect();
    let p = planning(paris(), &tous_les_jours);
    assert!(creneaux_libres(
        &p,
        &regles(60),
        60,
        &[],
        lundi(),
        date(2026, 1, 11),
        autrefois()
    )
    .is_empty());
    let creneaux = creneaux_libres(
        &p,
        &regles(60),
        60,
        &[],
        lundi(),
        date(2027, 1, 1),
        autrefois(),
    );
    assert_eq!(creneaux.len(), 62);
    assert_eq!(
        creneaux[61].debut_local(paris()),
        "2026-03-14T09:00:00+01:00"
    );
}

#[test]
fn rules_or_durations_off_the_five_minute_granule_offer_nothing() {
    let p = planning(paris(), &[(Weekday::Mon, (9, 0), (12, 0))]);
    let neuf_heures = local(paris(), 2026, 1, 12, 9, 0);
    let mut buffers_impairs = regles(30);
    buffers_impairs.tampon_apres_minutes = 7;
    for (r, duree) in [
        (regles(0), 30),
        (regles(7), 30),
        (regles(30), 0),
        (regles(30), 31),
        (buffers_impairs, 30),
    ] {
        assert!(creneaux_libres(&p, &r, duree, &[], lundi(), lundi(), autrefois()).is_empty());
        assert_eq!(
            verifier_creneau(&p, &r, duree, &[], neuf_heures, autrefois()),
            Err(RefusCreneau::ConfigurationInvalide)
        );
    }
}

#[test]
fn refusals_come_in_order_past_then_hours_then_grid_then_notice() {
    let p = planning(paris(), &[(Weekday::Mon, (9, 0), (12, 0))]);
    let mut r = regles(30);
    r.preavis_minutes = 24 * 60;
    let maintenant = local(paris(), 2026, 1, 12, 8, 0);
    let verifier = |h, m| {
        verifier_creneau(
            &p,
            &r,
            60,
            &[],
            local(paris(), 2026, 1, 12, h, m),
            maintenant,
        )
    };
    assert_eq!(verifier(7, 0), Err(RefusCreneau::CreneauPasse));
    assert_eq!(verifier(11, 30), Err(RefusCreneau::HorsHoraires));
    assert_eq!(verifier(13, 0), Err(RefusCreneau::HorsHoraires));
    assert_eq!(verifier(9, 15), Err(RefusCreneau::HorsGrille));
    assert_eq!(verifier(9, 30), Err(RefusCreneau::PreavisInsuffisant));
    let seconde_pres = local(paris(), 2026, 1, 12, 10, 0) + chrono::TimeDelta::seconds(1);
    assert_eq!(
        verifier_creneau(&p, &regles(30), 60, &[], seconde_pres, maintenant),
        Err(RefusCreneau::HorsGrille)
    );
}

#[test]
fn every_refusal_has_a_stable_code_and_a_french_message() {
    let codes = [
        (
            RefusCreneau::ConfigurationInvalide,
            "configuration_invalide",
        ),
        (RefusCreneau::CreneauPasse, "creneau_passe"),
        (RefusCreneau::HorsGrille, "hors_grille"),
        (RefusCreneau::HorsHoraires, "hors_horaires"),
        (RefusCreneau::PreavisInsuffisant, "preavis_insuffisant"),
        (RefusCreneau::AuDelaHorizon, "au_dela_horizon"),
        (RefusCreneau::CreneauIndisponible, "creneau_indisponible"),
        (RefusCreneau::JourneeComplete, "journee_complete"),
    ];
    for (refus, code) in codes {
        assert_eq!(refus.code(), code);
        assert_eq!(refus.to_string(), refus.message());
        assert!(refus.message().ends_with('.'));
    }
    assert_eq!(GRANULE_MINUTES, 5);
}

#[test]
fn an_accepted_start_gives_the_same_slot_as_the_list() {
    let p = planning(paris(), &[(Weekday::Mon, (9, 0), (12, 0))]);
    let creneaux = creneaux_libres(&p, &regles(30), 60, &[], lundi(), lundi(), autrefois());
    for creneau in creneaux {
        assert_eq!(
            verifier_creneau(&p, &regles(30), 60, &[], creneau.debut(), autrefois()),
            Ok(creneau)
        );
    }
}
