//! The scale bench: the Worker under `wrangler dev` on a state filled by `echelle`, each
//! target against `/healthz` in the same run — latency (p50, p95), and what each request
//! cost D1, read from the Worker's own log line of that request (`d1_trajets`,
//! `d1_lignes_lues`, found by the `x-request-id` of its response): nothing is added to the
//! Worker's responses for it. Prints a markdown report with the targets of issue 14.
//!
//! Usage: bench-echelle [--secondes N] [--connexions N] [--out FICHIER]
//! (run by `local-dev/echelle`, with `BOOKING_ETAT` naming the filled state)

use std::collections::HashMap;
use std::time::Duration;

use booking_tests::charge::{corps_reservations, mesurer, Cible, Mesure};
use booking_tests::wrangler::{fichier_d1, server};
use booking_tests::{argument, argument_nombre};

/// What a target must hold to: rows read per request, round trips per request.
struct Objectif {
    lignes: Option<u64>,
    trajets: u64,
}

const RECHERCHE: Objectif = Objectif {
    lignes: Some(2_000),
    trajets: 1,
};
const PROFIL: Objectif = Objectif {
    lignes: Some(500),
    trajets: 1,
};
const RATIO_MAX: f64 = 1.5;

/// Each request's (round trips, rows read), by request id, from the Worker's log.
fn couts(log: &str) -> HashMap<String, (u64, u64)> {
    log.lines()
        .filter_map(|ligne| {
            let debut = ligne.find('{')?;
            let valeur: serde_json::Value = serde_json::from_str(&ligne[debut..]).ok()?;
            Some((
                valeur["requete"].as_str()?.to_owned(),
                (
                    valeur["d1_trajets"].as_u64()?,
                    valeur["d1_lignes_lues"].as_u64()?,
                ),
            ))
        })
        .collect()
}

/// The slug of the generated professional with the longest history in `vertical`.
fn pro_charge(vertical: &str) -> (String, i64) {
    let fichier = fichier_d1(&server().state_dir).expect("the local D1 database");
    let connection =
        rusqlite::Connection::open_with_flags(&fichier, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("D1 database opens");
    connection
        .query_row(
            "SELECT p.slug, min(s.id) FROM professionnels p JOIN services s ON s.professionnel_id = p.id \
             WHERE p.vertical = ?1 AND p.id > 10000000 \
             GROUP BY p.id ORDER BY (SELECT count(*) FROM reservations r WHERE r.professionnel_id = p.id) DESC LIMIT 1",
            [vertical],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("a generated professional: run the generator first")
}

fn main() {
    let secondes: u64 = argument_nombre("--secondes", 10);
    let connexions: usize = argument_nombre("--connexions", 8);
    let (slug, service) = pro_charge("garage");
    let profil = format!("/professionnels/{slug}");
    let cibles: Vec<(Cible, Option<Objectif>)> = vec![
        (
            Cible::get("GET /healthz (référence)", "localhost", "/healthz"),
            None,
        ),
        (
            Cible::get(
                "Recherche (page, lieu)",
                "garage.localhost",
                "/recherche?lieu=Lyon",
            ),
            Some(RECHERCHE),
        ),
        (
            Cible::get(
                "Recherche (page, texte)",
                "garage.localhost",
                "/recherche?q=vidange",
            ),
            Some(RECHERCHE),
        ),
        (
            Cible::get(
                "Recherche (API, sans filtre)",
                "garage.localhost",
                "/api/v1/professionnels",
            ),
            Some(RECHERCHE),
        ),
        (
            Cible::get(
                "Recherche (API, ville et prestation)",
                "garage.localhost",
                "/api/v1/professionnels?ville=Lyon&service=vidange",
            ),
            Some(RECHERCHE),
        ),
        (
            Cible::get(
                "Recherche (API, disponible cette semaine)",
                "garage.localhost",
                "/api/v1/professionnels?disponible=semaine",
            ),
            Some(RECHERCHE),
        ),
        (
            Cible::get(
                "Recherche (API, tri par disponibilité)",
                "garage.localhost",
                "/api/v1/professionnels?tri=disponibilite",
            ),
            Some(RECHERCHE),
        ),
        (
            Cible::get(
                "Recherche (page, texte, disponible et tri)",
                "garage.localhost",
                "/recherche?q=vidange&disponible=3jours&tri=disponibilite",
            ),
            Some(RECHERCHE),
        ),
        (
            Cible::get("Page d'une ville", "garage.localhost", "/ville/lyon"),
            Some(RECHERCHE),
        ),
        (
            Cible::get("Accueil", "garage.localhost", "/"),
            Some(RECHERCHE),
        ),
        (
            Cible::get(
                "Profil (page, le plus long historique)",
                "garage.localhost",
                profil.as_str(),
            ),
            Some(PROFIL),
        ),
        (
            Cible::get(
                "Profil (API)",
                "garage.localhost",
                format!("/api/v1{profil}"),
            ),
            Some(PROFIL),
        ),
        (
            Cible::get(
                "Créneaux (API, 7 jours)",
                "garage.localhost",
                format!("/api/v1{profil}/creneaux?service={service}"),
            ),
            Some(PROFIL),
        ),
        (
            Cible {
                nom: "Réservation (API, créneaux distincts)",
                methode: "POST",
                hote: "coach.localhost",
                chemin: "/api/v1/reservations".into(),
                corps: corps_reservations(100_000),
            },
            Some(Objectif {
                lignes: None,
                trajets: 2,
            }),
        ),
    ];
    let mesures: Vec<Mesure> = cibles
        .iter()
        .map(|(c, _)| mesurer(c, secondes, connexions))
        .collect();
    // The log lines of the last requests reach the file a moment later.
    std::thread::sleep(Duration::from_secs(2));
    let log = std::fs::read_to_string(&server().log_path).unwrap_or_default();
    let couts = couts(&log);
    let reference = mesures[0].p50.as_secs_f64().max(1e-6);
    let mut rapport = format!(
        "## Passage à l'échelle à travers wrangler dev\n\n\
         {connexions} connexions, {secondes} s par cible, même exécution que /healthz. \
         Lignes lues et trajets : ceux que D1 rapporte pour chaque requête (`meta.rows_read`, \
         un trajet par `first/all/run` ou par `batch`), lus dans la ligne de journal de la \
         requête. Objectifs : p50 ≤ {RATIO_MAX}× /healthz, ≤ 2 000 lignes par recherche, \
         ≤ 500 par profil, un trajet par page publique, deux au plus par réservation.\n\n\
         | cible | requêtes | erreurs | p50 (ms) | p95 (ms) | p50 / healthz | lignes lues (médiane / max) | trajets (max) | verdict |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---|\n"
    );
    for (m, (_, objectif)) in mesures.iter().zip(&cibles) {
        let ratio = m.p50.as_secs_f64() / reference;
        let mut lues: Vec<u64> = m
            .ids
            .iter()
            .filter_map(|id| couts.get(id))
            .map(|c| c.1)
            .collect();
        lues.sort_unstable();
        let trajets = m
            .ids
            .iter()
            .filter_map(|id| couts.get(id))
            .map(|c| c.0)
            .max();
        let mediane = lues.get(lues.len() / 2).copied();
        let max = lues.last().copied();
        let verdict = match objectif {
            None => "référence".to_owned(),
            Some(o) => {
                let mut depasses = Vec::new();
                if ratio > RATIO_MAX {
                    depasses.push("latence");
                }
                if o.lignes.is_some_and(|l| max.is_none_or(|m| m > l)) {
                    depasses.push("lignes");
                }
                if trajets.is_none_or(|t| t > o.trajets) {
                    depasses.push("trajets");
                }
                if depasses.is_empty() {
                    "tenu".to_owned()
                } else {
                    format!("DÉPASSÉ ({})", depasses.join(", "))
                }
            }
        };
        let nombre = |n: Option<u64>| n.map_or("–".to_owned(), |n| n.to_string());
        rapport.push_str(&format!(
            "| {} | {} | {} | {:.1} | {:.1} | {:.2} | {} / {} | {} | {} |\n",
            m.nom,
            m.requetes,
            m.erreurs,
            m.p50.as_secs_f64() * 1000.0,
            m.p95.as_secs_f64() * 1000.0,
            ratio,
            nombre(mediane),
            nombre(max),
            nombre(trajets),
            verdict
        ));
    }
    print!("{rapport}");
    if let Some(chemin) = argument("--out") {
        if let Err(e) = std::fs::write(&chemin, &rapport) {
            eprintln!("{chemin}: {e}");
            std::process::exit(1);
        }
    }
}
