//! A bounded soak through a real `wrangler dev`: mixed traffic (pages and API reads,
//! bookings with and without online payment, payments, guests' requests confirmed from
//! the e-mail or left to expire, cancellations, moves) and scheduled runs, for a fixed
//! time. Then checks: no error answer, no double booking, the outbox drained. Exits 1 if
//! any check fails.
//!
//! Every booking comes from a client address of its own (`CF-Connecting-IP`, which
//! wrangler dev passes through), as many clients' would; the limits a professional puts
//! on unconfirmed requests still answer 429 once reached, counted apart.
//!
//! Usage: soak [--minutes N] [--clients N]   (run by `local-dev/soak`)

use booking_tests::argument_nombre;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use booking_tests::wrangler::{server, source_unique, HttpResponse};
use serde_json::{json, Value};

/// A small xorshift generator: the soak needs variety, not cryptography.
struct Hasard(u64);

impl Hasard {
    fn new(graine: u64) -> Hasard {
        Hasard(graine | 1)
    }

    fn suivant(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

#[derive(Default)]
struct Compteurs {
    requetes: AtomicUsize,
    erreurs: AtomicUsize,
    reservations: AtomicUsize,
    conflits: AtomicUsize,
    limites: AtomicUsize,
    confirmations: AtomicUsize,
    paiements: AtomicUsize,
    annulations: AtomicUsize,
    deplacements: AtomicUsize,
    crons: AtomicUsize,
}

impl Compteurs {
    fn noter(&self, quoi: &str, reponse: &std::io::Result<HttpResponse>) -> Option<Value> {
        self.requetes.fetch_add(1, Ordering::Relaxed);
        match reponse {
            Ok(r) if r.status < 500 => serde_json::from_slice(&r.body).ok().or(Some(Value::Null)),
            Ok(r) => {
                self.erreurs.fetch_add(1, Ordering::Relaxed);
                eprintln!(
                    "ERREUR {quoi}: {} {}",
                    r.status,
                    r.text().chars().take(300).collect::<String>()
                );
                None
            }
            Err(e) => {
                self.erreurs.fetch_add(1, Ordering::Relaxed);
                eprintln!("ERREUR {quoi}: {e}");
                None
            }
        }
    }
}

const VERTICAUX: &[(&str, &str)] = &[
    (
        "coach.localhost",
        r#"{"objectif": "Reprendre confiance", "format": "visio"}"#,
    ),
    (
        "garage.localhost",
        r#"{"immatriculation": "AB-123-CD", "marque": "Renault", "modele": "Clio"}"#,
    ),
    (
        "avocat.localhost",
        r#"{"domaine_droit": "travail", "mode": "visio", "resume": "Licenciement contesté."}"#,
    ),
];

fn get(c: &Compteurs, hote: &str, chemin: &str) -> Option<Value> {
    c.noter(&format!("GET {hote}{chemin}"), &server().get(hote, chemin))
}

fn post(c: &Compteurs, hote: &str, chemin: &str, corps: &Value) -> (u16, Option<Value>) {
    let r = server().post_from(
        hote,
        chemin,
        "application/json",
        corps.to_string().as_bytes(),
        &source_unique(),
    );
    let status = r.as_ref().map(|r| r.status).unwrap_or(0);
    (status, c.noter(&format!("POST {hote}{chemin}"), &r))
}

/// A vertical and one of its listed professionals, at random (the listing is traffic too).
fn pro_au_hasard(c: &Compteurs, h: &mut Hasard) -> Option<(&'static str, &'static str, Value)> {
    let (hote, reponses) = VERTICAUX[h.suivant(VERTICAUX.len())];
    let liste = get(c, hote, "/api/v1/professionnels")?;
    let pros = liste["professionnels"].as_array()?;
    let pro = pros.get(h.suivant(pros.len()))?.clone();
    Some((hote, reponses, pro))
}

fn lecteur(c: &Compteurs, fin: Instant, graine: u64) {
    let mut h = Hasard::new(graine);
    while Instant::now() < fin {
        let Some((hote, _, pro)) = pro_au_hasard(c, &mut h) else {
            continue;
        };
        let slug = pro["slug"].as_str().unwrap_or("");
        match h.suivant(4) {
            0 => drop(get(c, hote, "/")),
            1 => drop(get(c, hote, &format!("/professionnels/{slug}"))),
            2 => drop(get(
                c,
                hote,
                &format!(
                    "/recherche?lieu={}",
                    pro["ville"].as_str().unwrap_or("").replace(' ', "+")
                ),
            )),
            _ => {
                let service = pro["services"][0]["id"].as_i64().unwrap_or(0);
                drop(get(
                    c,
                    hote,
                    &format!("/api/v1/professionnels/{slug}/creneaux?service={service}"),
                ));
            }
        }
    }
}

fn reserveur(c: &Compteurs, fin: Instant, graine: u64) {
    let mut h = Hasard::new(graine);
    let mut n = 0;
    while Instant::now() < fin {
        n += 1;
        let Some((hote, reponses, pro)) = pro_au_hasard(c, &mut h) else {
            continue;
        };
        let slug = pro["slug"].as_str().unwrap_or("").to_owned();
        let services = pro["services"].as_array().cloned().unwrap_or_default();
        let service = services[h.suivant(services.len())]["id"]
            .as_i64()
            .unwrap_or(0);
        let du = chrono::Utc::now().date_naive() + chrono::Duration::days(2 + h.suivant(10) as i64);
        let creneaux = get(
            c,
            hote,
            &format!("/api/v1/professionnels/{slug}/creneaux?service={service}&du={du}&au={du}"),
        );
        let liste = creneaux
            .as_ref()
            .and_then(|v| v["creneaux"].as_array().cloned())
            .unwrap_or_default();
        if liste.is_empty() {
            continue;
        }
        let debut = liste[h.suivant(liste.len())]["debut"].clone();
        let corps = json!({
            "professionnel": slug, "service": service, "debut": debut,
            "nom": format!("Client Endurance {graine}-{n}"), "email": format!("endurance{graine}.{n}@exemple.fr"),
            "telephone": "06 12 34 56 78", "reponses": serde_json::from_str::<Value>(reponses).unwrap_or(Value::Null),
        });
        let (status, corps) = post(c, hote, "/api/v1/reservations", &corps);
        let Some(b) = corps.filter(|_| status == 201) else {
            if status == 409 {
                c.conflits.fetch_add(1, Ordering::Relaxed);
            }
            if status == 429 {
                c.limites.fetch_add(1, Ordering::Relaxed);
            }
            continue;
        };
        c.reservations.fetch_add(1, Ordering::Relaxed);
        // Pay most of the bookings that ask for it; let the others' hold run out.
        if let Some(url) = b["paiement_url"].as_str().filter(|_| h.suivant(4) != 0) {
            if let Some(session) = url.rsplit('/').next() {
                let r = server().stripe("POST", &format!("/_test/sessions/{session}/pay"), b"");
                if c.noter("stripe pay", &r).is_some() {
                    c.paiements.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        let id = b["id"].as_str().unwrap_or("");
        let token = b["token"].as_str().unwrap_or("");
        match h.suivant(5) {
            0 => {
                let (s, _) = post(
                    c,
                    hote,
                    &format!("/api/v1/reservations/{id}/annuler"),
                    &json!({ "token": token }),
                );
                if s == 200 {
                    c.annulations.fetch_add(1, Ordering::Relaxed);
                }
            }
            1 => {
                if let Some(autre) = liste
                    .get(h.suivant(liste.len()))
                    .map(|c| c["debut"].clone())
                {
                    let (s, _) = post(
                        c,
                        hote,
                        &format!("/api/v1/reservations/{id}/deplacer"),
                        &json!({ "token": token, "debut": autre }),
                    );
                    if s == 200 {
                        c.deplacements.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The clients of guests' requests: the e-mails asking to confirm, read from the mail
/// sink after the scheduled runs, are confirmed with their link's secret — three in four;
/// the others are left to expire.
fn confirmeur(c: &Compteurs, fin: Instant) {
    let mut h = Hasard::new(3000);
    while Instant::now() < fin {
        std::thread::sleep(Duration::from_secs(5));
        let Ok(r) = server().mail("GET", "/_test/messages", b"") else {
            continue;
        };
        // Taken from the sink as read, so that each is handled once.
        let _ = server().mail("DELETE", "/_test/messages", b"");
        let messages: Vec<Value> = serde_json::from_slice(&r.body).unwrap_or_default();
        for m in messages {
            let cle = m["idempotency_key"].as_str().unwrap_or("");
            let Some(id) = cle.strip_prefix("demande_confirmation:") else {
                continue;
            };
            let texte = m["text"].as_str().unwrap_or("");
            let Some((base, reste)) =
                texte.split_once(&format!("/reservations/{id}/confirmer?token="))
            else {
                continue;
            };
            let jeton: String = reste
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            let hote = base
                .rsplit(char::is_whitespace)
                .next()
                .and_then(|u| u.split_once("://"))
                .map(|(_, h)| h.split(':').next().unwrap_or(h).to_owned())
                .unwrap_or_default();
            if h.suivant(4) == 0 || hote.is_empty() {
                continue;
            }
            let (s, _) = post(
                c,
                &hote,
                &format!("/api/v1/reservations/{id}/confirmer"),
                &json!({ "token": jeton }),
            );
            if s == 200 {
                c.confirmations.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

fn cron(c: &Compteurs) {
    let r = server().get("localhost", "/__scheduled?cron=*/5+*+*+*+*");
    if c.noter("cron", &r).is_some() {
        c.crons.fetch_add(1, Ordering::Relaxed);
    }
}

const DOUBLES: &str = "SELECT count(*) FROM reservations a JOIN reservations b \
     ON a.professionnel_id = b.professionnel_id AND a.id < b.id \
     AND a.date_heure < b.fin AND b.date_heure < a.fin \
     WHERE a.statut IN ('confirmee', 'en_attente_paiement', 'en_attente_confirmation') \
     AND b.statut IN ('confirmee', 'en_attente_paiement', 'en_attente_confirmation')";
const SANS_OCCUPATION: &str = "SELECT count(*) FROM reservations r WHERE r.statut = 'confirmee' \
     AND NOT EXISTS (SELECT 1 FROM occupations o WHERE o.seance = r.id)";
const OCCUPATIONS_ORPHELINES: &str =
    "SELECT count(*) FROM occupations o JOIN reservations r ON r.id = o.seance \
     WHERE r.statut NOT IN ('confirmee', 'en_attente_paiement', 'en_attente_confirmation')";
const EN_RETARD: &str =
    "SELECT count(*) FROM outbox WHERE statut = 'a_envoyer' AND envoyer_a <= CAST(strftime('%s', 'now') AS INTEGER)";

fn main() {
    let minutes: f64 = argument_nombre("--minutes", 10.0);
    let clients: usize = argument_nombre("--clients", 4);
    let c = Compteurs::default();
    let debut = Instant::now();
    let fin = debut + Duration::from_secs_f64(minutes * 60.0);
    eprintln!("Endurance : {minutes} min, {clients} lecteurs et {clients} réservants, cron toutes les 10 s.");
    std::thread::scope(|scope| {
        for i in 0..clients {
            let c = &c;
            scope.spawn(move || lecteur(c, fin, 1000 + i as u64));
            scope.spawn(move || reserveur(c, fin, 2000 + i as u64));
        }
        let c = &c;
        scope.spawn(move || confirmeur(c, fin));
        scope.spawn(move || {
            while Instant::now() < fin {
                // Two runs at once now and then: overlapping runs must change nothing twice.
                std::thread::scope(|s| {
                    s.spawn(|| cron(c));
                    if c.crons.load(Ordering::Relaxed) % 3 == 0 {
                        s.spawn(|| cron(c));
                    }
                });
                std::thread::sleep(Duration::from_secs(10));
            }
        });
    });
    // Drain: last runs until nothing due is left. A run sends at most 50 e-mails (the
    // Workers subrequest budget), so a burst of bookings needs several; bounded at 40.
    for _ in 0..40 {
        cron(&c);
        if server().d1_scalar(EN_RETARD) == 0 {
            break;
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    let doubles = server().d1_scalar(DOUBLES);
    let sans = server().d1_scalar(SANS_OCCUPATION);
    let orphelines = server().d1_scalar(OCCUPATIONS_ORPHELINES);
    let en_retard = server().d1_scalar(EN_RETARD);
    let envoyes = server().d1_scalar("SELECT count(*) FROM outbox WHERE statut = 'envoye'");
    let erreurs = c.erreurs.load(Ordering::Relaxed);
    let duree = debut.elapsed().as_secs_f64();
    let requetes = c.requetes.load(Ordering::Relaxed);
    println!("## Endurance ({:.1} min)\n", duree / 60.0);
    println!("| mesure | valeur |\n|---|---:|");
    println!(
        "| requêtes | {requetes} ({:.0}/s) |",
        requetes as f64 / duree
    );
    println!("| réponses 5xx ou sans réponse | {erreurs} |");
    println!(
        "| réservations créées | {} |",
        c.reservations.load(Ordering::Relaxed)
    );
    println!(
        "| conflits (409, créneau pris entre-temps) | {} |",
        c.conflits.load(Ordering::Relaxed)
    );
    println!(
        "| refus des limites de réservation (429) | {} |",
        c.limites.load(Ordering::Relaxed)
    );
    println!(
        "| demandes confirmées depuis l'e-mail | {} |",
        c.confirmations.load(Ordering::Relaxed)
    );
    println!("| paiements | {} |", c.paiements.load(Ordering::Relaxed));
    println!(
        "| annulations | {} |",
        c.annulations.load(Ordering::Relaxed)
    );
    println!(
        "| déplacements | {} |",
        c.deplacements.load(Ordering::Relaxed)
    );
    println!(
        "| exécutions du cron | {} |",
        c.crons.load(Ordering::Relaxed)
    );
    println!("| e-mails envoyés | {envoyes} |");
    println!("| réservations actives qui se chevauchent | {doubles} |");
    println!("| réservations confirmées sans créneau réservé | {sans} |");
    println!("| créneaux tenus par une réservation inactive | {orphelines} |");
    println!("| e-mails dus non envoyés | {en_retard} |");
    let ok = erreurs == 0 && doubles == 0 && sans == 0 && orphelines == 0 && en_retard == 0;
    println!(
        "\n{}",
        if ok {
            "Endurance réussie."
        } else {
            "ENDURANCE EN ÉCHEC."
        }
    );
    if !ok {
        std::process::exit(1);
    }
}
