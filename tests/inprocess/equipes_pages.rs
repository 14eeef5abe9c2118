//! Teams through the pages, without JavaScript, and through the public API: choosing a
//! person or « peu importe » on the profile and in the form, the seats left of a group
//! session, and who the booking is with on its pages, in its e-mails and in the API.

use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

use crate::membres::lignes;
use crate::notifications::sent;
use crate::pages_outils::{
    attributs, confirmation, nombre_reservations, reserver_avec, Navigateur,
};

const GARAGE: &str = "/professionnels/garage-des-trois-ponts";
const STUDIO: &str = "/professionnels/studio-elan-collectif";
const VIDANGE: i64 = 3071;
const SEANCE: i64 = 1079;

/// The garage's mechanics as the public API lists them: id and name.
fn mecaniciens(app: &TestApp) -> Vec<(i64, String)> {
    let r = app.get("http://garage.localhost/api/v1/professionnels/garage-des-trois-ponts");
    assert_eq!(r.status, 200, "{}", r.text());
    json(&r)["membres"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["id"].as_i64().unwrap(),
                m["nom"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The booking forms a profile page links to.
fn formulaires(html: &str, profil: &str) -> Vec<String> {
    attributs(html, "href", &format!("{profil}/reserver?"))
}

/// Who a booking went to, and its bay: names from the database.
fn assignes(app: &TestApp, id: &str) -> (String, String) {
    let nom = |colonne: &str| {
        let lignes = lignes(
            &app.db,
            &format!(
                "SELECT m.nom FROM reservations r JOIN membres m ON m.id = r.{colonne} \
             WHERE r.id = '{id}'"
            ),
        );
        lignes[0]["nom"].as_str().unwrap().to_owned()
    };
    (nom("membre_id"), nom("ressource_id"))
}

/// Sends a booking form as a client fills it, with `membre` as chosen.
fn envoyer(
    nav: &mut Navigateur<'_>,
    vertical: &str,
    formulaire: &str,
    membre: &str,
) -> booking_functions::http::Response {
    reserver_avec(nav, vertical, formulaire, &[("membre", membre)], false).0
}

/// An oil change booked through the API with mechanic `membre` at `debut`.
fn vidange_avec(app: &TestApp, membre: i64, debut: &str) {
    let corps = j!({
        "professionnel": "garage-des-trois-ponts", "service": VIDANGE, "membre": membre,
        "debut": debut, "nom": "Autre client", "email": "autre@exemple.fr",
        "telephone": "06 12 34 56 78",
        "reponses": { "immatriculation": "AB-123-CD", "marque": "Peugeot", "modele": "308" }
    });
    let r = app.post_json("http://garage.localhost/api/v1/reservations", &corps);
    assert_eq!(r.status, 201, "{}", r.text());
}

#[test]
fn the_garage_profile_offers_its_mechanics_or_peu_importe_and_a_choice_narrows_the_slots() {
    let app = TestApp::spawn().with_demo_data();
    let equipe = mecaniciens(&app);
    assert_eq!(equipe.len(), 3, "the mechanics, not the bays: {equipe:?}");
    let mut nav = Navigateur::new(&app, "garage");
    let html = nav.page(&format!("{GARAGE}?service={VIDANGE}"));
    assert!(
        html.contains("<label for=\"membre\">Mécanicien</label>"),
        "{html}"
    );
    assert!(html.contains("<option value=\"\">Peu importe</option>"));
    for (id, nom) in &equipe {
        assert!(
            html.contains(&format!("<option value=\"{id}\">{nom}</option>")),
            "{nom}"
        );
    }
    assert!(
        !html.contains("Pont 1"),
        "a bay is not for the client to choose"
    );
    let tous = formulaires(&html, GARAGE);
    assert!(!tous.is_empty());
    assert!(tous.iter().all(|f| !f.contains("membre=")), "peu importe");

    let (id, nom) = &equipe[1];
    // Busy at one slot the others are free at: that slot stays for « peu importe » only.
    let api = "http://garage.localhost/api/v1/professionnels/garage-des-trois-ponts/creneaux";
    let r = app.get(&format!("{api}?service={VIDANGE}&membre={id}"));
    let pris = json(&r)["creneaux"][5]["debut"]
        .as_str()
        .unwrap()
        .to_owned();
    vidange_avec(&app, *id, &pris);
    let lien_de = |d: &str| format!("debut={}", d.replace(':', "%3A").replace('+', "%2B"));
    let apres = formulaires(&nav.page(&format!("{GARAGE}?service={VIDANGE}")), GARAGE);
    assert!(
        apres.iter().any(|f| f.contains(&lien_de(&pris))),
        "{pris}: {apres:?}"
    );
    let html = nav.page(&format!("{GARAGE}?service={VIDANGE}&membre={id}"));
    assert!(html.contains(&format!("<option value=\"{id}\" selected>{nom}</option>")));
    let siens = formulaires(&html, GARAGE);
    assert!(!siens.is_empty());
    assert!(
        !siens.iter().any(|f| f.contains(&lien_de(&pris))),
        "{pris} is not theirs"
    );
    assert!(
        siens.iter().all(|f| f.ends_with(&format!("&membre={id}"))),
        "{siens:?}"
    );
    // The next week keeps the choice.
    assert!(attributs(&html, "href", GARAGE)
        .iter()
        .any(|l| l.contains(&format!("&membre={id}&semaine="))));

    // Someone of another establishment, or a bay, is not a choice: « peu importe ».
    let pont = app.db.scalar(
        "SELECT m.id FROM membres m JOIN professionnels p ON p.id = m.professionnel_id \
         WHERE p.slug = 'garage-des-trois-ponts' AND m.genre = 'ressource' LIMIT 1",
    );
    for autre in ["1".to_owned(), pont.to_string(), "abc".to_owned()] {
        let html = nav.page(&format!("{GARAGE}?service={VIDANGE}&membre={autre}"));
        assert!(!html.contains(" selected>"), "{autre}");
        assert_eq!(formulaires(&html, GARAGE), tous, "{autre}");
    }
    // A professional alone offers no choice.
    let liste = json(&app.get("http://garage.localhost/api/v1/professionnels?par_page=5"));
    let seul = liste["professionnels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["slug"].as_str().unwrap().to_owned())
        .find(|s| s != "garage-des-trois-ponts")
        .unwrap();
    let html = nav.page(&format!("/professionnels/{seul}"));
    assert!(!html.contains("name=\"membre\""));
}

#[test]
fn peu_importe_in_the_form_books_a_mechanic_and_a_bay_and_the_pages_and_e_mails_say_which() {
    let app = TestApp::spawn().with_demo_data();
    app.db.execute_script("DELETE FROM outbox");
    let mut nav = Navigateur::new(&app, "garage");
    let html = nav.page(&format!("{GARAGE}?service={VIDANGE}"));
    let formulaire = formulaires(&html, GARAGE).remove(0);
    let page = nav.page(&formulaire);
    assert!(
        page.contains("<label for=\"membre\">Mécanicien</label>"),
        "{page}"
    );
    assert!(page.contains("<option value=\"\">Peu importe</option>"));

    let r = envoyer(&mut nav, "garage", &formulaire, "");
    let chemin = confirmation(&nav, &r);
    let id = crate::pages_outils::id_de(&chemin);
    let (mecanicien, pont) = assignes(&app, &id);
    let page = nav.page(&chemin);
    assert!(
        page.contains(&format!("<dt>Mécanicien</dt><dd>{mecanicien}</dd>")),
        "{page}"
    );
    assert!(
        page.contains(&format!("<dt>Pont</dt><dd>{pont}</dd>")),
        "{page}"
    );
    let gestion = nav.page(&format!("/reservations/{id}"));
    assert!(gestion.contains(&format!("<dt>Mécanicien</dt><dd>{mecanicien}</dd>")));

    app.run_cron();
    let mails = sent(&app);
    assert!(!mails.is_empty());
    for mail in &mails {
        let texte = mail.body["text"].as_str().unwrap();
        assert!(
            texte.contains(&format!("- Mécanicien : {mecanicien}")),
            "{texte}"
        );
        assert!(texte.contains(&format!("- Pont : {pont}")), "{texte}");
    }
}

#[test]
fn a_mechanic_chosen_in_the_form_gets_the_booking_and_a_bad_choice_is_refused_in_french() {
    let app = TestApp::spawn().with_demo_data();
    let equipe = mecaniciens(&app);
    let (id, nom) = &equipe[2];
    let mut nav = Navigateur::new(&app, "garage");
    let html = nav.page(&format!("{GARAGE}?service={VIDANGE}&membre={id}"));
    let formulaire = formulaires(&html, GARAGE).remove(0);
    let page = nav.page(&formulaire);
    assert!(page.contains(&format!("<option value=\"{id}\" selected>{nom}</option>")));

    let avant = nombre_reservations(&app);
    for (mauvais, status, message) in [
        ("abc", 422, "Choisissez une personne de la liste"),
        ("1", 422, "ne réalise pas cette prestation"),
    ] {
        let r = envoyer(&mut nav, "garage", &formulaire, mauvais);
        assert_eq!(r.status, status, "{mauvais}: {}", r.text());
        assert!(r.text().contains(message), "{}", r.text());
        assert!(r.text().contains("value=\"Camille Martin\""), "values kept");
    }
    assert_eq!(nombre_reservations(&app), avant, "nothing booked");

    let r = envoyer(&mut nav, "garage", &formulaire, &id.to_string());
    let chemin = confirmation(&nav, &r);
    let reservation = crate::pages_outils::id_de(&chemin);
    assert_eq!(assignes(&app, &reservation).0, *nom);
    // Taken: the same person at the same time is no longer offered, and asking for them
    // says so.
    let r = nav.get(&formulaire);
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(r.text().contains("plus disponible"), "{}", r.text());
}

#[test]
fn a_group_session_shows_its_seats_left_on_the_profile_and_in_the_form() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "coach");
    let html = nav.page(&format!("{STUDIO}?service={SEANCE}"));
    assert!(
        html.contains("<span class=\"places\">8 places restantes</span>"),
        "{html}"
    );
    assert!(!html.contains("name=\"membre\""), "one coach: no choice");
    let formulaire = formulaires(&html, STUDIO).remove(0);
    let page = nav.page(&formulaire);
    assert!(
        page.contains("<dt>Places</dt><dd>8 places restantes</dd>"),
        "{page}"
    );
    let r = envoyer(&mut nav, "coach", &formulaire, "");
    assert_eq!(r.status, 303, "{}", r.text());
    let page = nav.page(&formulaire);
    assert!(
        page.contains("<dt>Places</dt><dd>7 places restantes</dd>"),
        "{page}"
    );
    let html = nav.page(&format!("{STUDIO}?service={SEANCE}"));
    assert!(html.contains("7 places restantes"));
    // One coach alone: the pages name nobody more than the professional.
    let derniere = lignes(
        &app.db,
        "SELECT id FROM reservations WHERE service_id = 1079 ORDER BY created_at DESC LIMIT 1",
    );
    let id = derniere[0]["id"].as_str().unwrap().to_owned();
    let r = app.get(&format!(
        "http://coach.localhost/api/v1/professionnels/studio-elan-collectif/creneaux?service={SEANCE}"
    ));
    let places: Vec<i64> = json(&r)["creneaux"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["places"].as_i64().unwrap())
        .collect();
    assert!(places.contains(&7), "{places:?}");
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM places_reservees WHERE reservation_id = '{id}'"
        )),
        1
    );
}

#[test]
fn the_api_lists_the_people_to_choose_filters_slots_by_one_and_names_who_a_booking_is_with() {
    let app = TestApp::spawn().with_demo_data();
    let equipe = mecaniciens(&app);
    let base = "http://garage.localhost/api/v1/professionnels/garage-des-trois-ponts/creneaux";
    let (id, nom) = &equipe[0];
    let r = app.get(&format!("{base}?service={VIDANGE}&membre={id}"));
    assert_eq!(r.status, 200, "{}", r.text());
    let creneaux = json(&r)["creneaux"].as_array().unwrap().clone();
    assert!(!creneaux.is_empty());
    assert!(
        creneaux.iter().all(|c| c["membres"] == j!([id])),
        "{creneaux:?}"
    );
    // Empty, as the pages' form sends « peu importe »: everyone.
    let r = app.get(&format!("{base}?service={VIDANGE}&membre="));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(json(&r)["creneaux"].as_array().unwrap().len() >= creneaux.len());
    for (mauvais, code) in [("abc", "parametre_invalide"), ("1", "membre_inconnu")] {
        let r = app.get(&format!("{base}?service={VIDANGE}&membre={mauvais}"));
        assert_eq!(r.status, 422, "{}", r.text());
        assert_eq!(json(&r)["code"], code);
        assert!(r.header("content-type").unwrap().contains("problem+json"));
    }

    let corps = j!({
        "professionnel": "garage-des-trois-ponts", "service": VIDANGE, "membre": id,
        "debut": creneaux[0]["debut"], "nom": "Client pressé", "email": "vidange@exemple.fr",
        "telephone": "06 12 34 56 78",
        "reponses": { "immatriculation": "AB-123-CD", "marque": "Peugeot", "modele": "308" }
    });
    let r = app.post_json("http://garage.localhost/api/v1/reservations", &corps);
    assert_eq!(r.status, 201, "{}", r.text());
    let b: Value = json(&r);
    assert_eq!(b["membre"], j!(id));
    assert_eq!(b["membre_nom"], j!(nom));
    assert!(
        b["ressource_nom"].as_str().unwrap().starts_with("Pont "),
        "{b}"
    );

    // A professional alone: the booking names nobody more than them.
    let b = crate::notifications::book_on(&app, "2026-11-30");
    assert_eq!(b["membre_nom"], Value::Null, "{b}");
    assert_eq!(b["ressource_nom"], Value::Null);
}

#[test]
fn the_move_page_offers_only_the_slots_of_the_person_the_booking_is_with() {
    let app = TestApp::spawn().with_demo_data();
    let equipe = mecaniciens(&app);
    let (a, _) = &equipe[0];
    let base = "http://garage.localhost/api/v1/professionnels/garage-des-trois-ponts/creneaux";
    let libres = |membre: Option<i64>| -> Vec<String> {
        let filtre = membre.map_or_else(String::new, |m| format!("&membre={m}"));
        let r = app.get(&format!("{base}?service={VIDANGE}{filtre}"));
        json(&r)["creneaux"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["debut"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut nav = Navigateur::new(&app, "garage");
    let html = nav.page(&format!("{GARAGE}?service={VIDANGE}&membre={a}"));
    // Late in the week: still movable.
    let formulaire = formulaires(&html, GARAGE).pop().unwrap();
    let r = envoyer(&mut nav, "garage", &formulaire, &a.to_string());
    let id = crate::pages_outils::id_de(&confirmation(&nav, &r));
    // Paid (as the payment's webhook leaves it): a booking that can move.
    app.db.execute_script(&format!(
        "UPDATE reservations SET statut = 'confirmee', expire_at = NULL WHERE id = '{id}'"
    ));
    // Another client takes A at a later slot the others are still free at.
    let pris = libres(Some(*a)).into_iter().nth(12).unwrap();
    vidange_avec(&app, *a, &pris);
    assert!(libres(None).contains(&pris), "still free with someone else");
    let page = nav.page(&format!("/reservations/{id}/deplacer"));
    let proposes = attributs(&page, "value", "20");
    assert!(!proposes.is_empty(), "{page}");
    assert!(
        !proposes.contains(&pris),
        "{pris} is taken for its mechanic"
    );
    let siens = libres(Some(*a));
    assert!(proposes.iter().all(|d| siens.contains(d)), "{proposes:?}");
}
