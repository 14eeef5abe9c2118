//! Booking through the pages: the form, its errors, CSRF, the confirmation.

use booking_tests::TestApp;

use crate::pages_outils::{
    attributs, champ, confirmation, confirmer_par_le_lien, id_de, lien, nombre_reservations, poids,
    premier_creneau, premier_profil, reserver, Navigateur, BUDGET_OCTETS, VERTICALS,
};

#[test]
fn a_client_books_a_slot_from_the_home_page_on_each_vertical() {
    let app = TestApp::spawn().with_demo_data();
    for vertical in VERTICALS {
        let mut nav = Navigateur::new(&app, vertical);
        let accueil = nav.page("/");
        assert!(accueil.contains("action=\"/recherche\""));
        let profil = premier_profil(&mut nav);
        let formulaire = premier_creneau(&mut nav, &profil);
        let html = nav.page(&formulaire);
        assert!(html.contains("name=\"csrf\""));
        assert!(poids(&app, vertical, &html) < BUDGET_OCTETS);
        let avant = nombre_reservations(&app);
        let r = reserver(&mut nav, vertical, &formulaire);
        let chemin = confirmation(&nav, &r);
        assert!(
            chemin.ends_with("/confirmation"),
            "no secret in it: {chemin}"
        );
        assert_eq!(nombre_reservations(&app), avant + 1);
        let page = nav.page(&chemin);
        assert!(page.contains("Camille Martin"));
        assert!(page.contains("Gérer mon rendez-vous"));
        assert!(page.contains("noindex"));
        assert!(poids(&app, vertical, &page) < BUDGET_OCTETS);
        if vertical == "coach" {
            // A guest's request: confirmed from the e-mail's link.
            assert!(page.contains("Confirmez votre rendez-vous"), "{page}");
            let gestion = lien(&page, "/reservations/");
            let apres = confirmer_par_le_lien(&mut nav, &id_de(&gestion));
            assert!(apres.contains("fait=confirmee"), "{apres}");
            let page = nav.page(&chemin);
            assert!(page.contains("votre rendez-vous est confirmé"));
        } else {
            assert!(page.contains("attend le paiement"), "{vertical}");
        }
    }
}

#[test]
fn the_booking_form_has_the_verticals_own_fields_with_types_required_flags_and_patterns() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "garage");
    let profil = premier_profil(&mut nav);
    let formulaire = premier_creneau(&mut nav, &profil);
    let html = nav.page(&formulaire);
    assert!(html.contains("<label for=\"champ-immatriculation\">Immatriculation"));
    assert!(html.contains("pattern=\"[A-Za-z]{2}[\\- ]?[0-9]{3}[\\- ]?[A-Za-z]{2}\""));
    assert!(html.contains("name=\"kilometrage\" type=\"number\""));
    assert!(html.contains("min=\"0\" max=\"2000000\""));
    assert!(
        html.contains("name=\"email\" type=\"email\" value=\"\" required autocomplete=\"email\"")
    );
    let mut nav = Navigateur::new(&app, "avocat");
    let profil = premier_profil(&mut nav);
    let formulaire = premier_creneau(&mut nav, &profil);
    let html = nav.page(&formulaire);
    assert!(html.contains("<select id=\"champ-domaine_droit\" name=\"domaine_droit\" required"));
    assert!(html.contains("<option value=\"travail\">"));
    assert!(html.contains("<textarea id=\"champ-resume\" name=\"resume\""));
}

#[test]
fn a_form_with_errors_comes_back_with_french_messages_next_to_each_field_and_the_values_kept() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "garage");
    let profil = premier_profil(&mut nav);
    let formulaire = premier_creneau(&mut nav, &profil);
    let html = nav.page(&formulaire);
    let action = attributs(&html, "action", "/professionnels/")[0].clone();
    let (csrf, service, debut) = (
        champ(&html, "csrf"),
        champ(&html, "service"),
        champ(&html, "debut"),
    );
    let avant = nombre_reservations(&app);
    let r = nav.post(
        &action,
        &[
            ("csrf", &csrf),
            ("service", &service),
            ("debut", &debut),
            ("nom", "Camille <Martin>"),
            ("email", "pas-un-email"),
            ("telephone", ""),
            ("immatriculation", "12345"),
            ("marque", "Peugeot"),
            ("modele", ""),
            ("kilometrage", "beaucoup"),
        ],
    );
    assert_eq!(r.status, 422);
    let page = r.text();
    assert_eq!(nombre_reservations(&app), avant, "nothing stored");
    for nom in [
        "email",
        "telephone",
        "immatriculation",
        "modele",
        "kilometrage",
    ] {
        assert!(
            page.contains(&format!("<p class=\"message-erreur\" id=\"erreur-{nom}\">")),
            "{nom}: {page}"
        );
    }
    assert!(crate::pages_outils::unescape(&page)
        .contains("L'immatriculation doit être au format AB-123-CD."));
    assert!(page.contains("value=\"Peugeot\""), "values kept");
    assert!(page.contains("value=\"pas-un-email\""));
    assert!(
        page.contains("value=\"Camille &#60;Martin&#62;\"")
            || page.contains("value=\"Camille &lt;Martin&gt;\""),
        "escaped"
    );
    assert!(page.contains("aria-invalid=\"true\""));
    assert!(
        !page.contains("id=\"erreur-marque\""),
        "a right field has no error"
    );
    assert!(
        page.contains(&format!("name=\"debut\" value=\"{debut}\""))
            || page.contains("name=\"debut\" value=\"")
    );
}

#[test]
fn a_post_without_the_csrf_token_is_refused_with_a_french_message_and_books_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "coach");
    let profil = premier_profil(&mut nav);
    let formulaire = premier_creneau(&mut nav, &profil);
    let html = nav.page(&formulaire);
    let action = attributs(&html, "action", "/professionnels/")[0].clone();
    let (service, debut) = (champ(&html, "service"), champ(&html, "debut"));
    let mut champs = vec![
        ("csrf", "faux"),
        ("service", service.as_str()),
        ("debut", debut.as_str()),
    ];
    champs.extend(crate::pages_outils::contact());
    champs.extend(crate::pages_outils::reponses("coach"));
    let avant = nombre_reservations(&app);
    let r = nav.post(&action, &champs);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("Ce formulaire a expiré"));
    assert!(r.text().contains("value=\"Camille Martin\""), "values kept");
    // Without the cookie, even a real token is refused.
    let csrf = champ(&html, "csrf");
    champs[0] = ("csrf", csrf.as_str());
    nav.oublier_cookies();
    assert_eq!(nav.post(&action, &champs).status, 403);
    assert_eq!(nombre_reservations(&app), avant);
}

#[test]
fn a_booked_slot_is_no_longer_offered_and_its_form_says_so() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "coach");
    let profil = premier_profil(&mut nav);
    let avant = nav.get(&profil);
    let etag = avant.header("etag").unwrap().to_owned();
    let formulaire = lien(&avant.text(), &format!("{profil}/reserver?"));
    let r = reserver(&mut nav, "coach", &formulaire);
    assert_eq!(r.status, 303);
    let apres = nav.get(&profil);
    assert_ne!(
        apres.header("etag").unwrap(),
        etag,
        "revalidation gets the new page"
    );
    assert!(!apres
        .text()
        .contains(&format!("href=\"{}\"", formulaire.replace('&', "&#38;"))));
    assert!(
        !attributs(&apres.text(), "href", &format!("{profil}/reserver?")).contains(&formulaire)
    );
    let r = nav.get(&formulaire);
    assert_eq!(r.status, 409);
    assert!(crate::pages_outils::texte(&r).contains("Ce créneau n'est plus disponible"));
    assert!(!r.text().contains("<form class=\"formulaire\""));
    // Posting it anyway (an old tab) is refused by the booking rules, in French.
    let r = reserver_via_ancien_formulaire(&mut nav, &formulaire, &profil);
    assert_eq!(r.status, 409);
    assert!(
        r.text().contains("class=\"alerte\" role=\"alert\""),
        "{}",
        r.text()
    );
    assert!(r.text().contains("value=\"Camille Martin\""), "values kept");
}

fn reserver_via_ancien_formulaire(
    nav: &mut Navigateur<'_>,
    formulaire: &str,
    profil: &str,
) -> booking_functions::http::Response {
    // The form's hidden fields, as an old tab would still have them.
    let debut = formulaire.split("debut=").nth(1).unwrap();
    let debut = debut.replace("%3A", ":").replace("%2B", "+");
    let service = formulaire
        .split("service=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    // A token for this browser, from a form still open.
    let ouvert = lien(&nav.page(profil), &format!("{profil}/reserver?"));
    let csrf = champ(&nav.page(&ouvert), "csrf");
    let mut champs = vec![
        ("csrf", csrf.as_str()),
        ("service", service.as_str()),
        ("debut", debut.as_str()),
    ];
    champs.extend(crate::pages_outils::contact());
    champs.extend(crate::pages_outils::reponses("coach"));
    nav.post(&format!("{profil}/reserver"), &champs)
}

#[test]
fn a_form_for_an_unknown_service_goes_back_to_the_profile() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "coach");
    let profil = premier_profil(&mut nav);
    let r = nav.get(&format!("{profil}/reserver?service=999999&debut=x"));
    assert_eq!(r.status, 303);
    assert!(r.header("location").unwrap().starts_with(&profil));
    let r = nav.get(&format!("{profil}/reserver?debut=pas-une-date&service={}",
        app.db.scalar("SELECT min(s.id) FROM services s JOIN professionnels p ON p.id = s.professionnel_id WHERE p.vertical = 'coach' AND p.public = 1 AND s.actif = 1 AND p.slug = (SELECT slug FROM professionnels WHERE vertical='coach' AND public=1 ORDER BY note_moyenne IS NULL, note_moyenne DESC, nombre_avis DESC, nom, id LIMIT 1)")));
    assert!(r.status == 409 || r.status == 303, "{}", r.status);
}
