//! A real headless Chromium books a slot on the garage site, from the home page through
//! search, profile and form to the confirmation (paying on the Stripe stand-in when a
//! payment is due), then cancels it from the manage page. No address it visits carries
//! the booking's secret: the booking form leaves the booking's cookie, which opens the
//! confirmation Stripe returns to and the manage pages. Screenshots of each step go to
//! `tests/artifacts/navigateur/`.

use std::path::PathBuf;
use std::time::Duration;

use booking_tests::webdriver::Navigateur;
use booking_tests::wrangler::server;

fn captures() -> PathBuf {
    booking_tests::root().join("tests/artifacts/navigateur")
}

fn etape(nav: &Navigateur, nom: &str) {
    let chemin = captures().join(format!("{nom}.png"));
    nav.capture(&chemin)
        .unwrap_or_else(|e| panic!("capture {nom} : {e}"));
}

fn remplir(nav: &Navigateur, id: &str, texte: &str) {
    let champ = nav
        .trouver(&format!("#{id}"))
        .unwrap_or_else(|e| panic!("{id} : {e}"));
    nav.saisir(&champ, texte).unwrap();
}

/// Opens `url` and waits until the page shows `texte`: while the whole suite runs, the
/// first page a browser opens may take a while, or come back as the browser's own error
/// page (opened again then). Fails with what the page showed.
fn ouvrir(nav: &Navigateur, url: &str, texte: &str) {
    nav.aller(url).unwrap();
    let mut source = String::new();
    for _ in 0..100 {
        source = nav.source().unwrap_or_default();
        if source.contains(texte) {
            return;
        }
        if nav.url().is_ok_and(|u| u.starts_with("chrome-error:")) {
            nav.aller(url).unwrap();
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("{url} ne montre pas « {texte} » :\n{source}");
}

fn cliquer(nav: &Navigateur, css: &str) {
    let element = nav.trouver(css).unwrap_or_else(|e| panic!("{css} : {e}"));
    nav.cliquer(&element).unwrap();
}

#[test]
fn a_real_browser_books_a_garage_slot_and_cancels_it_from_the_manage_page() {
    let port = server().port;
    let _ = std::fs::remove_dir_all(captures());
    let nav = Navigateur::lancer().unwrap_or_else(|e| panic!("{e}"));
    let accueil = format!("http://garage.localhost:{port}/");

    ouvrir(&nav, &accueil, "Rechercher");
    etape(&nav, "01-accueil");

    cliquer(&nav, "form.recherche button[type=submit]");
    nav.attendre_url("/recherche", Duration::from_secs(20))
        .unwrap();
    assert!(nav.source().unwrap().contains("class=\"carte pro\""));
    etape(&nav, "02-recherche");

    cliquer(&nav, ".carte.pro h3 a");
    nav.attendre_url("/professionnels/", Duration::from_secs(20))
        .unwrap();
    etape(&nav, "03-profil");

    cliquer(&nav, ".creneaux a");
    nav.attendre_url("/reserver?", Duration::from_secs(20))
        .unwrap();
    etape(&nav, "04-formulaire");

    remplir(&nav, "champ-nom", "Camille Martin");
    remplir(&nav, "champ-email", "camille.martin@exemple.fr");
    remplir(&nav, "champ-telephone", "06 12 34 56 78");
    remplir(&nav, "champ-immatriculation", "AB-123-CD");
    remplir(&nav, "champ-marque", "Renault");
    remplir(&nav, "champ-modele", "Clio");
    remplir(&nav, "champ-kilometrage", "85000");
    etape(&nav, "05-formulaire-rempli");
    cliquer(&nav, "form.formulaire button[type=submit]");

    // Garage asks for the full price online: Stripe's page (the local stand-in) first.
    let mut url = String::new();
    for _ in 0..100 {
        url = nav.url().unwrap();
        if url.contains("/c/pay/") || url.contains("/confirmation") {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    if url.contains("/c/pay/") {
        etape(&nav, "06-paiement");
        let payer = nav.bouton("Payer").unwrap_or_else(|e| panic!("{e}"));
        nav.cliquer(&payer).unwrap();
    }
    nav.attendre_url("/confirmation", Duration::from_secs(30))
        .unwrap_or_else(|e| panic!("{e}\n{}", nav.source().unwrap_or_default()));
    let url = nav.url().unwrap();
    assert!(!url.contains("token"), "a secret in the address: {url}");
    let page = nav.source().unwrap();
    assert!(page.contains("Camille Martin"), "{page}");
    assert!(page.contains("Gérer mon rendez-vous"));
    etape(&nav, "07-confirmation");

    cliquer(&nav, ".actions a.bouton");
    for _ in 0..100 {
        if nav
            .source()
            .is_ok_and(|s| s.contains("Que souhaitez-vous faire ?"))
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(nav.source().unwrap().contains("Que souhaitez-vous faire ?"));
    let url = nav.url().unwrap();
    assert!(
        !url.contains("token") && !url.contains("/confirmation"),
        "{url}"
    );
    etape(&nav, "08-gestion");

    cliquer(&nav, "a.bouton.danger");
    nav.attendre_url("/annuler", Duration::from_secs(20))
        .unwrap();
    etape(&nav, "09-annulation");
    cliquer(&nav, "button.danger");
    nav.attendre_url("fait=annulee", Duration::from_secs(20))
        .unwrap();
    let page = nav.source().unwrap();
    assert!(page.contains("Votre rendez-vous est annulé."), "{page}");
    assert!(page.contains("Annulée"));
    etape(&nav, "10-annulee");
}

fn captures_equipes() -> PathBuf {
    booking_tests::root().join("tests/artifacts/navigateur-equipes")
}

fn etape_equipe(nav: &Navigateur, nom: &str) {
    let chemin = captures_equipes().join(format!("{nom}.png"));
    nav.capture(&chemin)
        .unwrap_or_else(|e| panic!("capture {nom} : {e}"));
}

/// The seats left of the group session starting at `debut`, from the public API.
fn places_de_la_seance(debut: &str) -> i64 {
    let jour = &debut[..10];
    let r = server()
        .get(
            "coach.localhost",
            &format!(
                "/api/v1/professionnels/studio-elan-collectif/creneaux?service=1079&du={jour}&au={jour}"
            ),
        )
        .expect("an answer");
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()["creneaux"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["debut"] == debut)
        .map_or(0, |c| c["places"].as_i64().unwrap())
}

/// The demo's teams in a real browser, without a line of script of theirs: at the garage,
/// a client narrows the slots to one mechanic, comes back to « peu importe », books and
/// pays, and the confirmation names the mechanic and the bay the booking went to; at the
/// coach's studio, a client takes a seat of the group session of eight, whose seats left
/// the profile and the form show.
#[test]
fn a_real_browser_books_peu_importe_at_the_demo_garage_and_a_seat_in_the_group_session() {
    let port = server().port;
    let _ = std::fs::remove_dir_all(captures_equipes());
    let nav = Navigateur::lancer().unwrap_or_else(|e| panic!("{e}"));

    // The garage: the mechanics, or « peu importe ».
    let profil = format!("http://garage.localhost:{port}/professionnels/garage-des-trois-ponts");
    ouvrir(&nav, &format!("{profil}?service=3071"), "Mécanicien");
    let page = nav.source().unwrap();
    assert!(
        page.contains("<label for=\"membre\">Mécanicien</label>"),
        "{page}"
    );
    etape_equipe(&nav, "01-garage-profil");
    let mecanicien = nav
        .executer(
            "const s = document.querySelector('#membre'); s.selectedIndex = 2; return s.value;",
            serde_json::json!([]),
        )
        .unwrap();
    let mecanicien = mecanicien.as_str().unwrap().to_owned();
    cliquer(&nav, "form.choix-membre button[type=submit]");
    nav.attendre_url(&format!("membre={mecanicien}"), Duration::from_secs(20))
        .unwrap();
    let page = nav.source().unwrap();
    assert!(
        page.contains(&format!("&amp;membre={mecanicien}\"")),
        "the slots are theirs"
    );
    etape_equipe(&nav, "02-garage-un-mecanicien");
    nav.executer(
        "document.querySelector('#membre').selectedIndex = 0;",
        serde_json::json!([]),
    )
    .unwrap();
    cliquer(&nav, "form.choix-membre button[type=submit]");
    nav.attendre_url("membre=#", Duration::from_secs(20))
        .unwrap();
    let page = nav.source().unwrap();
    assert!(!page.contains("&amp;membre="), "peu importe: {page}");

    cliquer(&nav, ".creneaux a");
    nav.attendre_url("/reserver?", Duration::from_secs(20))
        .unwrap();
    let choisi = nav
        .executer(
            "return document.querySelector('#membre').value;",
            serde_json::json!([]),
        )
        .unwrap();
    assert_eq!(choisi, "", "peu importe by default");
    remplir(&nav, "champ-nom", "Camille Martin");
    remplir(&nav, "champ-email", "camille.equipe@exemple.fr");
    remplir(&nav, "champ-telephone", "06 12 34 56 78");
    remplir(&nav, "champ-immatriculation", "AB-123-CD");
    remplir(&nav, "champ-marque", "Renault");
    remplir(&nav, "champ-modele", "Clio");
    remplir(&nav, "champ-kilometrage", "85000");
    etape_equipe(&nav, "03-garage-formulaire");
    cliquer(&nav, "form.formulaire button[type=submit]");
    nav.attendre_url("/c/pay/", Duration::from_secs(30))
        .unwrap_or_else(|e| panic!("{e}\n{}", nav.source().unwrap_or_default()));
    let payer = nav.bouton("Payer").unwrap_or_else(|e| panic!("{e}"));
    nav.cliquer(&payer).unwrap();
    nav.attendre_url("/confirmation", Duration::from_secs(30))
        .unwrap_or_else(|e| panic!("{e}\n{}", nav.source().unwrap_or_default()));
    let page = nav.source().unwrap();
    let noms = ["Bruno Carpentier", "Yanis Ferreira", "Julie Marchal"];
    assert!(
        noms.iter()
            .any(|n| page.contains(&format!("<dt>Mécanicien</dt><dd>{n}</dd>"))),
        "{page}"
    );
    assert!(page.contains("<dt>Pont</dt><dd>Pont "), "{page}");
    etape_equipe(&nav, "04-garage-confirmation");

    // The group session: the seats left, then one seat taken.
    let studio = format!("http://coach.localhost:{port}/professionnels/studio-elan-collectif");
    ouvrir(&nav, &format!("{studio}?service=1079"), "places restantes");
    let page = nav.source().unwrap();
    assert!(page.contains("places restantes</span>"), "{page}");
    etape_equipe(&nav, "05-seance-profil");
    cliquer(&nav, ".creneaux a");
    nav.attendre_url("/reserver?", Duration::from_secs(20))
        .unwrap();
    let debut = nav
        .executer(
            "return document.querySelector('input[name=debut]').value;",
            serde_json::json!([]),
        )
        .unwrap();
    let debut = debut.as_str().unwrap().to_owned();
    let avant = places_de_la_seance(&debut);
    assert!(avant >= 1, "{debut}");
    let page = nav.source().unwrap();
    assert!(page.contains("<dt>Places</dt>"), "{page}");
    remplir(&nav, "champ-nom", "Léa Sportive");
    remplir(&nav, "champ-email", "lea.seance@exemple.fr");
    remplir(&nav, "champ-telephone", "06 12 34 56 78");
    remplir(&nav, "champ-objectif", "Reprendre le sport");
    nav.executer(
        "const s = document.querySelector('#champ-format'); if (s) { s.value = 'presentiel'; }",
        serde_json::json!([]),
    )
    .unwrap();
    etape_equipe(&nav, "06-seance-formulaire");
    cliquer(&nav, "form.formulaire button[type=submit]");
    nav.attendre_url("/confirmation", Duration::from_secs(30))
        .unwrap_or_else(|e| panic!("{e}\n{}", nav.source().unwrap_or_default()));
    let page = nav.source().unwrap();
    assert!(page.contains("Confirmez votre rendez-vous"), "{page}");
    etape_equipe(&nav, "07-seance-demande");
    assert_eq!(places_de_la_seance(&debut), avant - 1, "one seat held");
}
