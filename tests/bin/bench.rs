//! Load benchmark through a real `wrangler dev`: requests per second, p50 and p99 for the
//! pages and API routes, each against `/healthz` measured in the same run. Prints a
//! markdown report and writes it to the file given with `--out`.
//!
//! Usage: bench [--secondes N] [--connexions N] [--out FICHIER]
//! (run by `local-dev/bench`, which builds the Worker first)

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use booking_shared::reservation::limites::DEMANDES_PROFESSIONNEL_HEURE;
use booking_tests::wrangler::{server, source_unique};

struct Cible {
    nom: &'static str,
    methode: &'static str,
    hote: &'static str,
    chemin: String,
    /// Bodies to send in turn (POST); empty for GET.
    corps: Vec<Vec<u8>>,
}

struct Mesure {
    nom: &'static str,
    requetes: usize,
    erreurs: usize,
    rps: f64,
    p50: Duration,
    p99: Duration,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn mesurer(cible: &Cible, secondes: u64, connexions: usize) -> Mesure {
    let latences = Mutex::new(Vec::new());
    let erreurs = AtomicUsize::new(0);
    let suivant = AtomicUsize::new(0);
    let fin = Instant::now() + Duration::from_secs(secondes);
    let debut = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..connexions {
            scope.spawn(|| {
                let mut locales = Vec::new();
                while Instant::now() < fin {
                    let corps: &[u8] = if cible.corps.is_empty() {
                        b""
                    } else {
                        let i = suivant.fetch_add(1, Ordering::Relaxed);
                        match cible.corps.get(i) {
                            Some(c) => c,
                            None => break, // no distinct slot left
                        }
                    };
                    // Each booking comes from a client address of its own, as many
                    // clients' would: one address's limits (10 an hour) are not what is
                    // measured.
                    let source = source_unique();
                    let t = Instant::now();
                    let en_tetes = [
                        ("content-type", "application/json"),
                        ("cf-connecting-ip", source.as_str()),
                    ];
                    let headers: &[(&str, &str)] = if corps.is_empty() { &[] } else { &en_tetes };
                    let ok = server()
                        .request(cible.methode, cible.hote, &cible.chemin, headers, corps)
                        .map(|r| r.status < 400)
                        .unwrap_or(false);
                    locales.push(t.elapsed());
                    if !ok {
                        erreurs.fetch_add(1, Ordering::Relaxed);
                    }
                }
                if let Ok(mut toutes) = latences.lock() {
                    toutes.extend(locales);
                }
            });
        }
    });
    let ecoule = debut.elapsed().as_secs_f64();
    let mut toutes = latences.into_inner().unwrap_or_default();
    toutes.sort();
    Mesure {
        nom: cible.nom,
        requetes: toutes.len(),
        erreurs: erreurs.into_inner(),
        rps: toutes.len() as f64 / ecoule,
        p50: percentile(&toutes, 50.0),
        p99: percentile(&toutes, 99.0),
    }
}

fn json(hote: &str, chemin: &str) -> serde_json::Value {
    let r = server().get(hote, chemin).expect("the server answers");
    serde_json::from_slice(&r.body).unwrap_or(serde_json::Value::Null)
}

/// Free slots of every public coach (no online payment, so booking calls no one else),
/// as booking bodies: one distinct slot and one distinct e-mail per request, and per
/// professional no more than the requests nobody confirmed yet that one professional
/// takes in an hour (`reservation::limites`): beyond, the answer would be a 429, which
/// is not what is measured.
fn corps_reservations(max: usize) -> Vec<Vec<u8>> {
    let mut corps = Vec::new();
    let liste = json("coach.localhost", "/api/v1/professionnels?par_page=50");
    let du = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
    let au = du + chrono::Duration::days(30);
    for pro in liste["professionnels"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let slug = pro["slug"].as_str().unwrap_or("");
        let Some(service) = pro["services"]
            .as_array()
            .and_then(|s| s.iter().find(|s| s["duree_minutes"] == 30))
        else {
            continue;
        };
        let id = service["id"].as_i64().unwrap_or(0);
        let creneaux = json(
            "coach.localhost",
            &format!("/api/v1/professionnels/{slug}/creneaux?service={id}&du={du}&au={au}"),
        );
        // Slots far enough apart (duration + buffers) and few enough per day (the
        // vertical's daily maximum) that every booking can succeed.
        let mut dernier: Option<chrono::DateTime<chrono::FixedOffset>> = None;
        let mut par_jour = std::collections::HashMap::new();
        let maximum = usize::try_from(DEMANDES_PROFESSIONNEL_HEURE.maximum).unwrap_or(0);
        let mut du_pro = 0;
        for c in creneaux["creneaux"].as_array().cloned().unwrap_or_default() {
            if du_pro >= maximum {
                break;
            }
            let Some(debut) = c["debut"]
                .as_str()
                .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
            else {
                continue;
            };
            if dernier.is_some_and(|d| debut - d < chrono::Duration::minutes(90)) {
                continue;
            }
            let n = par_jour.entry(debut.date_naive()).or_insert(0);
            if *n >= 4 {
                continue;
            }
            *n += 1;
            du_pro += 1;
            dernier = Some(debut);
            let email = format!("bench{}@exemple.fr", corps.len());
            corps.push(
                serde_json::json!({
                    "professionnel": slug, "service": id, "debut": c["debut"],
                    "nom": "Client Bench", "email": email, "telephone": "06 12 34 56 78",
                    "reponses": { "objectif": "Mesurer", "format": "visio" }
                })
                .to_string()
                .into_bytes(),
            );
        }
    }
    corps.truncate(max);
    corps
}

fn arg(nom: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == nom)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let secondes: u64 = arg("--secondes").and_then(|s| s.parse().ok()).unwrap_or(10);
    let connexions: usize = arg("--connexions")
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let sortie = arg("--out");

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
