//! The manage link's pages: see, cancel (with a confirmation step), move, download. The
//! booking form leaves the manage cookie in the browser, so these pages open at their
//! clean addresses (see `liens_secrets` for the e-mail's link and its exchange).

use booking_tests::TestApp;

use crate::pages_outils::{
    attributs, champ, confirmation, confirmer_par_le_lien, id_de, lien, poids, premier_creneau,
    premier_profil, redirection, reserver, texte, Navigateur, BUDGET_OCTETS,
};

/// Books the first slot of the first professional (confirming it from the e-mail when the
/// vertical asks a guest to); returns the manage page's path (the browser keeps the
/// booking's cookie).
fn reservation(nav: &mut Navigateur<'_>, vertical: &str) -> String {
    let profil = premier_profil(nav);
    let formulaire = premier_creneau(nav, &profil);
    let r = reserver(nav, vertical, &formulaire);
    let chemin = confirmation(nav, &r);
    let html = nav.page(&chemin);
    let gestion = lien(&html, "/reservations/");
    if html.contains("Confirmez votre rendez-vous") {
        let apres = confirmer_par_le_lien(nav, &id_de(&gestion));
        assert_eq!(apres, format!("{gestion}?fait=confirmee"));
    }
    gestion
}

/// 1 when the booking behind a manage path is cancelled, else 0.
fn annulee(app: &TestApp, gestion: &str) -> i64 {
    let id = gestion
        .trim_start_matches("/reservations/")
        .split(['?', '/'])
        .next()
        .unwrap_or("");
    app.db.scalar(&format!(
        "SELECT count(*) FROM reservations WHERE id = '{id}' AND statut = 'annulee'"
    ))
}

#[test]
fn the_manage_page_shows_the_booking_and_what_can_be_done() {
    let app = TestApp::spawn().with_demo_data();
    for vertical in crate::pages_outils::VERTICALS {
        let mut nav = Navigateur::new(&app, vertical);
        let gestion = reservation(&mut nav, vertical);
        assert!(!gestion.contains('?'), "{gestion}");
        let r = nav.get(&gestion);
        assert_eq!(r.status, 200);
        assert_eq!(r.header("cache-control"), Some("private, no-store"));
        let html = r.text();
        assert!(html.contains("Statut : <strong>"));
        assert!(html.contains("Camille Martin"));
        assert!(html.contains("Annuler le rendez-vous"));
        assert!(html.contains("noindex"));
        assert!(poids(&app, vertical, &html) < BUDGET_OCTETS);
    }
}

#[test]
fn a_wrong_token_shows_a_french_404_and_nothing_else() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "coach");
    let gestion = reservation(&mut nav, "coach");
    let faux = "token=0123456789abcdef0123456789abcdef";
    for chemin in [
        format!("{gestion}?{faux}"),
        format!("{gestion}/ics?{faux}"),
        format!("{gestion}/annuler?{faux}"),
        format!("{gestion}0000?{faux}"),
    ] {
        let r = nav.get(&chemin);
        assert_eq!(r.status, 404, "{chemin}");
        assert!(r.text().contains("Réservation introuvable"));
    }
}

#[test]
fn cancelling_asks_for_confirmation_then_cancels_and_frees_the_slot() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "coach");
    let gestion = reservation(&mut nav, "coach");
    let html = nav.page(&gestion);
    let etape = lien(&html, &format!("{gestion}/annuler"));
    let confirmer = nav.page(&etape);
    assert!(confirmer.contains("Annuler ce rendez-vous ?"));
    assert!(confirmer.contains("Confirmer l'annulation"));
    assert!(confirmer.contains("Non, garder mon rendez-vous"));
    assert_eq!(
        annulee(&app, &gestion),
        0,
        "the step itself changes nothing"
    );
    let action = attributs(&confirmer, "action", "/reservations/")[0].clone();
    let r = nav.post(
        &action,
        &[
            ("csrf", &champ(&confirmer, "csrf")),
            ("motif", "Empêchement"),
        ],
    );
    let retour = redirection(&r);
    assert!(retour.contains("fait=annulee"));
    let apres = nav.page(&retour);
    assert!(apres.contains("Votre rendez-vous est annulé."));
    assert!(apres.contains("<strong>Annulée</strong>"));
    assert!(!apres.contains("Annuler le rendez-vous"));
    assert_eq!(annulee(&app, &gestion), 1);
}

#[test]
fn cancelling_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "coach");
    let gestion = reservation(&mut nav, "coach");
    let confirmer = nav.page(&format!("{gestion}/annuler"));
    let action = attributs(&confirmer, "action", "/reservations/")[0].clone();
    let r = nav.post(&action, &[("csrf", "x")]);
    assert_eq!(r.status, 403);
    assert!(texte(&r).contains("rien n'a été annulé"));
    assert_eq!(annulee(&app, &gestion), 0);
}

#[test]
fn moving_a_booking_offers_free_slots_and_moves_it_to_the_one_chosen() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "coach");
    // A booking of next week: moves are allowed until the free-cancellation window.
    let profil = premier_profil(&mut nav);
    let semaine = nav.page(&format!("{profil}?semaine=2026-11-30"));
    let formulaire = lien(&semaine, &format!("{profil}/reserver?"));
    let r = reserver(&mut nav, "coach", &formulaire);
    let chemin = confirmation(&nav, &r);
    let gestion = lien(&nav.page(&chemin), "/reservations/");
    let id = gestion.trim_start_matches("/reservations/").to_owned();
    confirmer_par_le_lien(&mut nav, &id);
    let date = format!("SELECT date_heure FROM reservations WHERE id = '{id}'");
    let avant = app.db.scalar(&date);
    let html = nav.page(&gestion);
    let deplacer = lien(&html, &format!("{gestion}/deplacer"));
    let page = nav.page(&deplacer);
    assert!(page.contains("type=\"radio\" name=\"debut\""));
    assert!(page.contains("Semaine suivante"));
    assert!(poids(&app, "coach", &page) < BUDGET_OCTETS);
    let choix = attributs(&page, "value", "20")
        .into_iter()
        .last()
        .expect("a slot");
    let action = attributs(&page, "action", "/reservations/")[0].clone();
    let r = nav.post(
        &action,
        &[("csrf", &champ(&page, "csrf")), ("debut", &choix)],
    );
    let retour = redirection(&r);
    let apres = nav.page(&retour);
    assert!(apres.contains("Votre rendez-vous est déplacé"), "{apres}");
    let maintenant = app.db.scalar(&date);
    assert_ne!(avant, maintenant);
    assert_eq!(
        maintenant,
        chrono::DateTime::parse_from_rfc3339(&choix)
            .unwrap()
            .timestamp()
    );
    // A slot that is not free is refused in French, and nothing moves.
    let r = nav.post(
        &action,
        &[
            ("csrf", &champ(&page, "csrf")),
            ("debut", "2026-11-25T03:00:00+01:00"),
        ],
    );
    assert!(r.status == 409 || r.status == 422, "{}", r.status);
    assert!(r.text().contains("class=\"alerte\""));
    assert_eq!(app.db.scalar(&date), maintenant);
}

#[test]
fn the_ics_file_is_one_event_with_a_stable_uid_and_utc_times() {
    let app = TestApp::spawn().with_demo_data();
    let mut nav = Navigateur::new(&app, "garage");
    let gestion = reservation(&mut nav, "garage");
    let r = nav.get(&format!("{gestion}/ics"));
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("text/calendar; charset=utf-8")
    );
    assert!(r.header("content-disposition").unwrap().contains(".ics"));
    let ics = r.text();
    let id = gestion.trim_start_matches("/reservations/");
    assert!(ics.contains(&format!("UID:{id}@booking-multisite\r\n")));
    assert!(ics.contains("BEGIN:VEVENT\r\n"));
    let dtstart = ics.lines().find(|l| l.starts_with("DTSTART:")).unwrap();
    assert!(dtstart.ends_with('Z') && dtstart.len() == "DTSTART:20261201T083000Z".len());
    assert!(ics.contains("LOCATION:"));
    assert_eq!(
        ics,
        nav.get(&format!("{gestion}/ics")).text().replace(
            ics.lines().find(|l| l.starts_with("DTSTAMP")).unwrap(),
            ics.lines().find(|l| l.starts_with("DTSTAMP")).unwrap()
        )
    );
}
