//! Load benchmark through a real `wrangler dev`: requests per second, p50 and p99 for the
//! pages and API routes, each against `/healthz` measured in the same run. Prints a
//! markdown report and writes it to the file given with `--out`.
//!
//! Usage: bench [--secondes N] [--connexions N] [--out FICHIER]
//! (run by `local-dev/bench`, which builds the Worker first)

use booking_shared::reservation::limites::DEMANDES_PROFESSIONNEL_HEURE;
use booking_tests::charge::{corps_reservations, json, mesurer, Cible, Mesure};
use booking_tests::{argument, argument_nombre};

fn main() {
    let secondes: u64 = argument_nombre("--secondes", 10);
    let connexions: usize = argument_nombre("--connexions", 8);
    let sortie = argument("--out");

    let liste = json("garage.localhost", "/api/v1/professionnels");
    let pro = &liste["professionnels"][0];
    let slug = pro["slug"].as_str().unwrap_or("").to_owned();
    let service = pro["services"][0]["id"].as_i64().unwrap_or(0);
    let ville = pro["ville"].as_str().unwrap_or("Lyon").to_owned();

    let mut cibles = vec![
        Cible {
            nom: "GET /healthz (référence)",
            methode: "GET",
            hote: "localhost",
            chemin: "/healthz".into(),
            corps: vec![],
        },
        Cible {
            nom: "Accueil (page)",
            methode: "GET",
            hote: "garage.localhost",
            chemin: "/".into(),
            corps: vec![],
        },
        Cible {
            nom: "Recherche (page)",
            methode: "GET",
            hote: "garage.localhost",
            chemin: format!("/recherche?lieu={ville}"),
            corps: vec![],
        },
        Cible {
            nom: "Profil (page)",
            methode: "GET",
            hote: "garage.localhost",
            chemin: format!("/professionnels/{slug}"),
            corps: vec![],
        },
        Cible {
            nom: "Recherche (API)",
            methode: "GET",
            hote: "garage.localhost",
            chemin: format!("/api/v1/professionnels?ville={ville}"),
            corps: vec![],
        },
        Cible {
            nom: "Profil (API)",
            methode: "GET",
            hote: "garage.localhost",
            chemin: format!("/api/v1/professionnels/{slug}"),
            corps: vec![],
        },
        Cible {
            nom: "Créneaux (API, 7 jours)",
            methode: "GET",
            hote: "garage.localhost",
            chemin: format!("/api/v1/professionnels/{slug}/creneaux?service={service}"),
            corps: vec![],
        },
    ];
    let reservations = corps_reservations(100_000);
    let nombre = reservations.len();
    cibles.push(Cible {
        nom: "Réservation (API, créneaux distincts)",
        methode: "POST",
        hote: "coach.localhost",
        chemin: "/api/v1/reservations".into(),
        corps: reservations,
    });

    let mesures: Vec<Mesure> = cibles
        .iter()
        .map(|c| mesurer(c, secondes, connexions))
        .collect();
    let reference = mesures[0].p50.as_secs_f64().max(1e-6);
    let par_pro = DEMANDES_PROFESSIONNEL_HEURE.maximum;
    let mut rapport = format!(
        "## Charge à travers wrangler dev\n\n{connexions} connexions, {secondes} s par cible, même exécution que /healthz ({nombre} créneaux distincts préparés pour les réservations, chacune depuis sa propre adresse et avec son propre e-mail, au plus {par_pro} par professionnel : la limite horaire des demandes non confirmées ; la cible s'arrête quand ils sont épuisés).\n\n\
         | cible | requêtes | erreurs | req/s | p50 (ms) | p99 (ms) | p50 / healthz |\n|---|---:|---:|---:|---:|---:|---:|\n"
    );
    for m in &mesures {
        let ratio = m.p50.as_secs_f64() / reference;
        rapport.push_str(&format!(
            "| {} | {} | {} | {:.0} | {:.1} | {:.1} | {:.2}{} |\n",
            m.nom,
            m.requetes,
            m.erreurs,
            m.rps,
            m.p50.as_secs_f64() * 1000.0,
            m.p99.as_secs_f64() * 1000.0,
            ratio,
            if ratio > 2.0 {
                " ⚠ au-delà de 2×"
            } else {
                ""
            }
        ));
    }
    print!("{rapport}");
    if let Some(chemin) = sortie {
        if let Err(e) = std::fs::write(&chemin, &rapport) {
            eprintln!("{chemin}: {e}");
            std::process::exit(1);
        }
    }
}
