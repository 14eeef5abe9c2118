//! WCAG 2.1 AA on every kind of public page of every vertical, checked in a real headless
//! Chromium by axe-core (the `axe-core` dev dependency of `local-dev/package.json`): home,
//! search (with and without results), profile, booking form (blank and sent back with its
//! errors), confirmation, manage, cancel and move pages of a booking, legal pages, 404,
//! sign-in (blank and refused), sign-up and forgotten password; and the neutral page of a
//! host that is no vertical's.
//!
//! axe is injected through WebDriver's script execution, which the DevTools protocol runs
//! outside the page's Content-Security-Policy: production's CSP (no inline or external
//! script at all) stays as it is.

use booking_tests::percent_encode;
use booking_tests::webdriver::Navigateur;
use booking_tests::wrangler::server;
use serde_json::{json, Value};

/// The WCAG 2.0 and 2.1 success criteria of levels A and AA, as axe tags them.
const NIVEAUX: [&str; 4] = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

fn axe_source() -> String {
    let chemin = booking_tests::root().join("local-dev/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&chemin).unwrap_or_else(|e| {
        panic!(
            "{} : {e} — lancez local-dev/setup (npm ci installe axe-core)",
            chemin.display()
        )
    })
}

/// The vertical documents the server was seeded with.
fn verticaux() -> Vec<Value> {
    let mut docs: Vec<(String, Value)> = std::fs::read_dir(booking_tests::root().join("verticals"))
        .expect("verticals/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && !p.to_string_lossy().ends_with(".schema.json")
        })
        .map(|p| {
            let texte = std::fs::read_to_string(&p).expect("vertical document");
            (
                p.display().to_string(),
                serde_json::from_str(&texte).expect("vertical JSON"),
            )
        })
        .collect();
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    docs.into_iter().map(|(_, d)| d).collect()
}

/// Answers to a vertical's own booking fields, as a client would give them.
fn reponses(vertical: &Value) -> Value {
    let mut reponses = serde_json::Map::new();
    for champ in vertical["champs"].as_array().into_iter().flatten() {
        let nom = champ["nom"].as_str().unwrap_or("");
        let valeur = match (nom, champ["type"].as_str().unwrap_or("text")) {
            (_, "select") => champ["options"][0]["valeur"].clone(),
            (_, "number") => json!(champ["min"].as_i64().unwrap_or(1).to_string()),
            (_, "email") => json!("camille.martin@exemple.fr"),
            (_, "tel") => json!("06 12 34 56 78"),
            (_, "date") => json!("2026-01-15"),
            ("immatriculation", _) => json!("AB-123-CD"),
            _ => json!("À préciser lors du rendez-vous."),
        };
        reponses.insert(nom.to_owned(), valeur);
    }
    Value::Object(reponses)
}

fn api(host: &str, chemin: &str) -> Value {
    let r = server().get(host, chemin).unwrap();
    assert_eq!(r.status, 200, "{host}{chemin} : {}", r.text());
    r.json()
}

/// A published professional of the vertical, one of its services and a free slot.
fn pro_service_creneau(host: &str) -> (String, i64, String) {
    let annuaire = api(host, "/api/v1/professionnels?par_page=50");
    let du = chrono::Utc::now().date_naive() + chrono::Duration::days(2);
    let au = du + chrono::Duration::days(13);
    for pro in annuaire["professionnels"].as_array().into_iter().flatten() {
        let slug = pro["slug"].as_str().unwrap_or("").to_owned();
        for service in pro["services"].as_array().into_iter().flatten() {
            let id = service["id"].as_i64().unwrap_or(0);
            let creneaux = api(
                host,
                &format!("/api/v1/professionnels/{slug}/creneaux?service={id}&du={du}&au={au}"),
            );
            if let Some(debut) = creneaux["creneaux"][0]["debut"].as_str() {
                return (slug, id, debut.to_owned());
            }
        }
    }
    panic!("{host} : aucun créneau libre dans les deux semaines");
}

/// One axe run on the current page: its WCAG A/AA violations, one line each.
fn auditer(nav: &Navigateur, axe: &str, page: &str) -> Vec<String> {
    let charge = nav
        .executer(&format!("{axe}\n;return typeof window.axe;"), json!([]))
        .unwrap_or_else(|e| panic!("{page} : axe ne s'injecte pas : {e}"));
    assert_eq!(charge, "object", "{page} : axe absent après injection");
    let resultat = nav
        .executer_async(
            "const fini = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: arguments[0] }, resultTypes: ['violations'] })
               .then(function (r) {
                 fini(r.violations.map(function (v) {
                   return { id: v.id, impact: v.impact, aide: v.help,
                            noeuds: v.nodes.map(function (n) {
                              return { cible: n.target.join(' '), resume: n.failureSummary };
                            }) };
                 }));
               }, function (e) { fini({ erreur: String(e) }); });",
            json!([NIVEAUX]),
        )
        .unwrap_or_else(|e| panic!("{page} : axe.run : {e}"));
    if let Some(erreur) = resultat.get("erreur") {
        panic!("{page} : axe.run a échoué : {erreur}");
    }
    let mut lignes = Vec::new();
    for v in resultat.as_array().into_iter().flatten() {
        for n in v["noeuds"].as_array().into_iter().flatten() {
            lignes.push(format!(
                "{page}\n    {} ({}) : {}\n    cible : {}\n    {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["aide"].as_str().unwrap_or(""),
                n["cible"].as_str().unwrap_or("?"),
                n["resume"].as_str().unwrap_or("").replace('\n', "\n    ")
            ));
        }
    }
    lignes
}

/// Loads `url`, checks that it is the page expected (not an error page in its place),
/// and audits it. A page that does not load is reported like a violation.
fn visiter(nav: &Navigateur, axe: &str, nom: &str, url: &str, attendu: &str) -> Vec<String> {
    let mut source = String::new();
    // Three tries: under the load of the other tests, WebDriver has once given an empty
    // document for a page the server had answered.
    for essai in 0..3 {
        if essai > 0 {
            std::thread::sleep(std::time::Duration::from_millis(500));
        }
        match nav.aller(url).and_then(|()| nav.source()) {
            Ok(s) if s.contains(attendu) => return auditer(nav, axe, nom),
            Ok(s) => source = s,
            Err(e) => source = format!("(erreur WebDriver, essai {essai}) {e}"),
        }
    }
    vec![format!(
        "{nom} ({url}) ne contient pas « {attendu} » :\n    {}",
        source.chars().take(1500).collect::<String>()
    )]
}

/// Sends the current page's form (by CSS selector) without the browser's own checks, so
/// that the server answers with the form and its error messages.
fn envoyer_sans_verification(nav: &Navigateur, formulaire: &str, nom: &str) {
    let avant = nav.url().unwrap_or_default();
    nav.executer(
        "const f = document.querySelector(arguments[0]); f.noValidate = true;
         f.querySelector('button[type=submit], button:not([type])').click(); return true;",
        json!([formulaire]),
    )
    .unwrap_or_else(|e| panic!("{nom} : {e}"));
    // The answer replaces the page: wait until the old document is gone.
    for _ in 0..100 {
        let pret = nav
            .executer(
                "return document.readyState === 'complete' && !!document.querySelector('.message-erreur, .alerte');",
                json!([]),
            )
            .unwrap_or(Value::Bool(false));
        if pret == true {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("{nom} : pas de message d'erreur après l'envoi depuis {avant}");
}

#[test]
fn every_public_page_of_every_vertical_meets_wcag_2_1_aa() {
    let port = server().port;
    let axe = axe_source();
    let nav = Navigateur::lancer().unwrap_or_else(|e| panic!("{e}"));
    let mut violations = Vec::new();
    let mut pages = 0;

    for vertical in verticaux() {
        let slug_vertical = vertical["slug"].as_str().unwrap_or("?").to_owned();
        let host = vertical["domains"][0].as_str().unwrap_or("").to_owned();
        let base = format!("http://{host}:{port}");
        let (slug, service, debut) = pro_service_creneau(&host);

        // A booking, for its confirmation and manage pages (paid or not: both have them).
        let reservation = server()
            .post(
                &host,
                "/api/v1/reservations",
                "application/json",
                json!({
                    "professionnel": slug, "service": service, "debut": debut,
                    "nom": "Camille Martin", "email": "camille.martin@exemple.fr",
                    "telephone": "06 12 34 56 78", "reponses": reponses(&vertical),
                })
                .to_string()
                .as_bytes(),
            )
            .unwrap();
        assert_eq!(reservation.status, 201, "{host} : {}", reservation.text());
        let reservation = reservation.json();
        let id = reservation["id"].as_str().unwrap_or("").to_owned();
        let token = reservation["token"].as_str().unwrap_or("").to_owned();
        let (_, autre_debut) = {
            let (s, _, d) = pro_service_creneau(&host);
            (s, d)
        };

        let mut a_visiter = vec![
            ("accueil", format!("{base}/"), "form"),
            ("recherche", format!("{base}/recherche?q="), "carte pro"),
            (
                "recherche vide",
                format!("{base}/recherche?q=zzzz-introuvable"),
                "<main",
            ),
            (
                "profil",
                format!("{base}/professionnels/{slug}"),
                "creneaux",
            ),
            (
                "formulaire de réservation",
                format!(
                    "{base}/professionnels/{slug}/reserver?service={service}&debut={}",
                    percent_encode(&autre_debut)
                ),
                "formulaire",
            ),
            (
                "confirmation",
                format!("{base}/reservations/{id}/confirmation?token={token}"),
                "<main",
            ),
            (
                "gestion",
                format!("{base}/reservations/{id}?token={token}"),
                "<main",
            ),
            (
                "annulation",
                format!("{base}/reservations/{id}/annuler?token={token}"),
                "<main",
            ),
            (
                "déplacement",
                format!("{base}/reservations/{id}/deplacer?token={token}"),
                "<main",
            ),
            (
                "mentions légales",
                format!("{base}/mentions-legales"),
                "<h1",
            ),
            ("confidentialité", format!("{base}/confidentialite"), "<h1"),
            ("avis clients", format!("{base}/avis-clients"), "<h1"),
            (
                "effacement des données d'une réservation",
                format!("{base}/reservations/{id}/effacement?token={token}"),
                "<form",
            ),
            (
                "conditions générales",
                format!("{base}/conditions-generales"),
                "<h1",
            ),
            ("404", format!("{base}/cette-page-n-existe-pas"), "<main"),
            ("connexion", format!("{base}/compte/connexion"), "<form"),
            ("inscription", format!("{base}/compte/inscription"), "<form"),
            (
                "mot de passe oublié",
                format!("{base}/compte/mot-de-passe-oublie"),
                "<form",
            ),
        ];
        // Only a vertical that takes payment online has conditions de vente.
        if vertical["regles"]["paiement"]["mode"] != "aucun" {
            a_visiter.push((
                "conditions de vente",
                format!("{base}/conditions-de-vente"),
                "<h1",
            ));
        }
        // The demo's team of the vertical: the choice of a person, the seats left, and the
        // booking form with its list of who is free then.
        let equipe = match slug_vertical.as_str() {
            "garage" => Some("garage-des-trois-ponts"),
            "avocat" => Some("cabinet-vasseur-et-associes"),
            "coach" => Some("studio-elan-collectif"),
            _ => None,
        };
        if let Some(equipe) = equipe {
            // Its group session when it has one, else its last service.
            let services = api(&host, &format!("/api/v1/professionnels/{equipe}"))["services"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let prestation = services
                .iter()
                .find(|s| s["places"].as_i64().unwrap_or(1) > 1)
                .or(services.last())
                .and_then(|s| s["id"].as_i64())
                .unwrap_or(0);
            let profil = format!("{base}/professionnels/{equipe}");
            a_visiter.push((
                "profil d'une équipe",
                format!("{profil}?service={prestation}"),
                "creneaux",
            ));
            let du = chrono::Utc::now().date_naive() + chrono::Duration::days(1);
            let creneaux = api(
                &host,
                &format!("/api/v1/professionnels/{equipe}/creneaux?service={prestation}&du={du}"),
            );
            if let Some(debut) = creneaux["creneaux"][0]["debut"].as_str() {
                a_visiter.push((
                    "formulaire de réservation d'une équipe",
                    format!(
                        "{profil}/reserver?service={prestation}&debut={}",
                        percent_encode(debut)
                    ),
                    "formulaire",
                ));
            }
        }
        for (nom, url, attendu) in &a_visiter {
            violations.extend(visiter(
                &nav,
                &axe,
                &format!("{slug_vertical} · {nom}"),
                url,
                attendu,
            ));
            pages += 1;
        }

        // Forms sent back with their error messages (the red text and outlined fields).
        let nom = format!("{slug_vertical} · formulaire de réservation en erreur");
        nav.aller(&a_visiter[4].1).unwrap();
        envoyer_sans_verification(&nav, "form.formulaire", &nom);
        violations.extend(auditer(&nav, &axe, &nom));
        let nom = format!("{slug_vertical} · connexion refusée");
        nav.aller(&format!("{base}/compte/connexion")).unwrap();
        nav.executer(
            "document.querySelectorAll('input[type=email], input[name=email]').forEach(function (c) { c.value = 'personne@exemple.fr'; });
             document.querySelectorAll('input[type=password]').forEach(function (c) { c.value = 'pas-le-bon-1'; });
             return true;",
            json!([]),
        )
        .unwrap();
        envoyer_sans_verification(&nav, "main form", &nom);
        violations.extend(auditer(&nav, &axe, &nom));
        pages += 2;
    }
    violations.extend(visiter(
        &nav,
        &axe,
        "hôte sans vertical · page neutre",
        &format!("http://localhost:{port}/"),
        "<main",
    ));
    pages += 1;

    assert!(pages >= 40, "seulement {pages} pages auditées");
    assert!(
        violations.is_empty(),
        "{} violation(s) WCAG 2.1 A/AA sur {pages} pages :\n\n{}",
        violations.len(),
        violations.join("\n\n")
    );
}
