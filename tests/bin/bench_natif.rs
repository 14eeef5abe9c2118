//! Native cost of the hot pure code: free-slot computation (and page rendering), timed
//! over many iterations in a release build. Prints a markdown table.

use std::hint::black_box;
use std::time::Instant;

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};

use booking_shared::cas::reservations::Agenda;
use booking_shared::disponibilites::{
    creneaux_libres, Absence, Occupation, PlageHebdo, Planning, Regles,
};
use booking_shared::store::membres::Membre;
use booking_shared::store::reservations::OccupationMembre;
use booking_shared::store::services::Service;

fn heure(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
}

fn planning() -> Planning {
    let mut hebdo = Vec::new();
    for jour in [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
    ] {
        hebdo.push(PlageHebdo {
            jour,
            debut: heure(8, 0),
            fin: heure(12, 0),
        });
        hebdo.push(PlageHebdo {
            jour,
            debut: heure(14, 0),
            fin: heure(18, 30),
        });
    }
    let debut = Utc
        .with_ymd_and_hms(2026, 12, 3, 13, 0, 0)
        .single()
        .unwrap_or_default();
    Planning {
        fuseau: chrono_tz::Europe::Paris,
        hebdo,
        ouvertures: Vec::new(),
        absences: vec![
            Absence::Jours {
                du: NaiveDate::from_ymd_opt(2026, 12, 24).unwrap_or_default(),
                au: NaiveDate::from_ymd_opt(2026, 12, 26).unwrap_or_default(),
            },
            Absence::Periode {
                debut,
                fin: debut + Duration::hours(3),
            },
        ],
    }
}

/// `nombre` one-hour bookings, one every 7 hours from Monday 30 November 2026 at 8:00 UTC
/// (200 of them cover 58 days).
fn occupations(nombre: u32) -> Vec<Occupation> {
    let base = Utc
        .with_ymd_and_hms(2026, 11, 30, 8, 0, 0)
        .single()
        .unwrap_or_default();
    (0..nombre)
        .map(|i| {
            let debut = base + Duration::hours(i64::from(i) * 7);
            Occupation {
                debut,
                fin: debut + Duration::minutes(60),
            }
        })
        .collect()
}

fn chronometrer(nom: &str, iterations: u32, f: impl FnMut() -> usize) -> String {
    chronometre(nom, iterations, f).0
}

/// The cost of one call: `iterations` calls in ten lots, and the fastest lot's mean, so
/// that other processes on a shared machine (which only ever slow a lot down) weigh as
/// little as possible. The table's line, and the seconds per call.
fn chronometre(nom: &str, iterations: u32, mut f: impl FnMut() -> usize) -> (String, f64) {
    const LOTS: u32 = 10;
    let par_lot = (iterations / LOTS).max(1);
    let mut total = 0;
    for _ in 0..par_lot {
        total += f();
    }
    let mut meilleur = f64::INFINITY;
    for _ in 0..LOTS {
        let debut = Instant::now();
        for _ in 0..par_lot {
            total += f();
        }
        meilleur = meilleur.min(debut.elapsed().as_secs_f64() / f64::from(par_lot));
    }
    black_box(total);
    (
        format!("| {nom} | {} | {:.1} |\n", par_lot * LOTS, meilleur * 1e6),
        meilleur,
    )
}

fn main() {
    let planning = planning();
    let quarante = occupations(40);
    let beaucoup = occupations(200);
    let regles = Regles {
        pas_minutes: 30,
        preavis_minutes: 240,
        horizon_jours: 60,
        tampon_avant_minutes: 0,
        tampon_apres_minutes: 15,
        max_reservations_par_jour: Some(12),
    };
    let maintenant = Utc
        .with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
        .single()
        .unwrap_or_default();
    let du = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
    let mut rapport = String::from("## Coût natif (build release)\n\n| opération | itérations | µs par appel (meilleur lot sur 10) |\n|---|---:|---:|\n");
    // The free slots of the first `jours` days from `du`.
    let liste = |occupations: &[Occupation], jours: i64| {
        let au = du + Duration::days(jours - 1);
        creneaux_libres(&planning, &regles, 60, occupations, du, au, maintenant).len()
    };
    for (jours, occupations, iterations) in [
        (7, &quarante, 2_000),
        (31, &quarante, 500),
        (60, &beaucoup, 500),
    ] {
        rapport.push_str(&chronometrer(
            &format!(
                "créneaux libres, {jours} jours, {} réservations",
                occupations.len()
            ),
            iterations,
            || liste(occupations, jours),
        ));
    }
    // The next free slot from a day whose first free slot is two weeks ahead: the walk
    // stops there instead of listing the 60 days.
    let complet = Utc
        .with_ymd_and_hms(2026, 11, 30, 7, 0, 0)
        .single()
        .unwrap_or_default();
    let quinze_jours: Vec<Occupation> = (0..14)
        .map(|jour| Occupation {
            debut: complet + Duration::days(jour),
            fin: complet + Duration::days(jour) + Duration::hours(11),
        })
        .chain(
            beaucoup
                .iter()
                .copied()
                .filter(|o| o.debut > complet + Duration::days(14)),
        )
        .collect();
    // External calendars: 200 busy intervals over the same 31 days, fed to the slot
    // computation as time off (as `cas::reservations` does). Budget: within 1.5× of the
    // same computation without them.
    {
        let fin = du + Duration::days(30);
        let trente_et_un_jours =
            |p: &Planning| creneaux_libres(p, &regles, 60, &quarante, du, fin, maintenant).len();
        let mut avec_externes = planning.clone();
        let base = Utc
            .with_ymd_and_hms(2026, 11, 30, 7, 10, 0)
            .single()
            .unwrap_or_default();
        avec_externes
            .absences
            .extend((0..200).map(|i| Absence::Periode {
                debut: base + Duration::minutes(i64::from(i) * 223),
                fin: base + Duration::minutes(i64::from(i) * 223 + 40),
            }));
        let (ligne_sans, t_sans) = chronometre(
            "créneaux libres, 31 jours, 40 réservations (référence)",
            500,
            || trente_et_un_jours(&planning),
        );
        let (ligne_avec, t_avec) = chronometre(
            "créneaux libres, 31 jours, 40 réservations, 200 occupations d'agendas externes",
            500,
            || trente_et_un_jours(&avec_externes),
        );
        rapport.push_str(&ligne_sans);
        rapport.push_str(&ligne_avec);
        let rapport_x100 = (t_avec * 100.0 / t_sans) as i64;
        rapport.push_str(&format!(
            "| rapport avec / sans agendas externes (budget 1,5) | | {},{:02} |\n",
            rapport_x100 / 100,
            rapport_x100 % 100
        ));
    }
    // An establishment of three members (the same hours, 200 bookings shared out among
    // them): the free slots of one service over 60 days, the union over the members with
    // who is free at each. Budget: 300 µs.
    {
        let garage = booking_tests::demo::configurations()
            .unwrap_or_default()
            .into_iter()
            .find(|c| c.slug() == "garage");
        if let Some(garage) = garage {
            let service = Service {
                id: 1,
                professionnel_id: 1,
                nom: "Révision".into(),
                description: String::new(),
                duree_minutes: 60,
                prix_centimes: 0,
                acompte_centimes: None,
                places: 1,
            };
            let membres: Vec<(Membre, Planning)> = (1..=3)
                .map(|id| {
                    let membre = Membre {
                        id,
                        nom: format!("Mécanicien {id}"),
                        ressource: false,
                        services: vec![1],
                    };
                    (membre, planning.clone())
                })
                .collect();
            let reparties = (1_i64..)
                .zip(&beaucoup)
                .map(|(i, o)| OccupationMembre {
                    membre_id: i % 3 + 1,
                    occupation: *o,
                    service_id: 1,
                    seance: None,
                })
                .collect();
            let agenda = Agenda::new(chrono_tz::Europe::Paris, membres.clone(), reparties);
            // The next free slot as the Worker computes it (`Agenda::prochain`, a day at a
            // time until one has a slot): the first 14 days full, for one member and for
            // each of three.
            for nombre in [1, 3] {
                let equipe: Vec<(Membre, Planning)> =
                    membres.iter().take(nombre).cloned().collect();
                let pleines = equipe
                    .iter()
                    .flat_map(|(m, _)| {
                        quinze_jours.iter().map(|o| OccupationMembre {
                            membre_id: m.id,
                            occupation: *o,
                            service_id: 1,
                            seance: None,
                        })
                    })
                    .collect();
                let occupee = Agenda::new(chrono_tz::Europe::Paris, equipe, pleines);
                rapport.push_str(&chronometrer(
                    &format!(
                        "prochain créneau libre (dans 14 jours), {nombre} membre(s), 60 jours, {} réservations chacun",
                        quinze_jours.len()
                    ),
                    1_000,
                    || {
                        usize::from(
                            occupee
                                .prochain(&garage, &service, du, 60, maintenant)
                                .is_some(),
                        )
                    },
                ));
            }
            let au = du + Duration::days(59);
            rapport.push_str(&chronometrer(
                "créneaux libres, 3 membres, 60 jours, 200 réservations (budget 300 µs)",
                500,
                || {
                    agenda
                        .offre(&garage, &service, du, au, maintenant)
                        .creneaux
                        .len()
                },
            ));
        }
    }
    // The whole profile page natively: routing, SQL on in-memory SQLite, slot
    // computation for the week and the askama rendering.
    let app = booking_tests::TestApp::spawn().with_demo_data();
    let profil = "http://garage.localhost/professionnels/garage-martin-fils";
    let taille = app.get(profil).body.len();
    rapport.push_str(&chronometrer(
        &format!("page profil complète ({} Kio de HTML)", taille / 1024),
        300,
        || app.get(profil).body.len(),
    ));
    rapport.push_str(&chronometrer("page d'accueil complète", 300, || {
        app.get("http://garage.localhost/").body.len()
    }));
    print!("{rapport}");
}
