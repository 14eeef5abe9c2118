//! Load through a real `wrangler dev`: each target requested from several connections for
//! some seconds, its latencies' percentiles, and the ids of its requests (the Worker's
//! `x-request-id`), by which the Worker's log lines say what each one cost D1.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use booking_shared::reservation::limites::DEMANDES_PROFESSIONNEL_HEURE;

use crate::wrangler::{server, source_unique};

pub struct Cible {
    pub nom: &'static str,
    pub methode: &'static str,
    pub hote: &'static str,
    pub chemin: String,
    /// Bodies to send in turn (POST); empty for GET.
    pub corps: Vec<Vec<u8>>,
}

impl Cible {
    pub fn get(nom: &'static str, hote: &'static str, chemin: impl Into<String>) -> Cible {
        Cible {
            nom,
            methode: "GET",
            hote,
            chemin: chemin.into(),
            corps: Vec::new(),
        }
    }
}

pub struct Mesure {
    pub nom: &'static str,
    pub requetes: usize,
    pub erreurs: usize,
    pub rps: f64,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    /// The Worker's id of each request answered.
    pub ids: Vec<String>,
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

pub fn mesurer(cible: &Cible, secondes: u64, connexions: usize) -> Mesure {
    let latences = Mutex::new(Vec::new());
    let ids = Mutex::new(Vec::new());
    let erreurs = AtomicUsize::new(0);
    let suivant = AtomicUsize::new(0);
    let fin = Instant::now() + Duration::from_secs(secondes);
    let debut = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..connexions {
            scope.spawn(|| {
                let mut locales = Vec::new();
                let mut miens = Vec::new();
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
                    let reponse =
                        server().request(cible.methode, cible.hote, &cible.chemin, headers, corps);
                    locales.push(t.elapsed());
                    match reponse {
                        Ok(r) if r.status < 400 => {
                            miens.extend(r.header("x-request-id").map(str::to_owned));
                        }
                        _ => {
                            erreurs.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                if let (Ok(mut toutes), Ok(mut tous)) = (latences.lock(), ids.lock()) {
                    toutes.extend(locales);
                    tous.extend(miens);
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
        p95: percentile(&toutes, 95.0),
        p99: percentile(&toutes, 99.0),
        ids: ids.into_inner().unwrap_or_default(),
    }
}

pub fn json(hote: &str, chemin: &str) -> serde_json::Value {
    let r = server().get(hote, chemin).expect("the server answers");
    serde_json::from_slice(&r.body).unwrap_or(serde_json::Value::Null)
}

/// Free slots of every public coach (no online payment, so booking calls no one else),
/// as booking bodies: one distinct slot and one distinct e-mail per request, and per
/// professional no more than the requests nobody confirmed yet that one professional
/// takes in an hour (`reservation::limites`): beyond, the answer would be a 429, which
/// is not what is measured.
pub fn corps_reservations(max: usize) -> Vec<Vec<u8>> {
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
