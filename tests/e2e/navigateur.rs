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

    nav.aller(&accueil).unwrap();
    assert!(nav.source().unwrap().contains("Rechercher"));
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
