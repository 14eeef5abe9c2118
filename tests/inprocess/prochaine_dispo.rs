//! The next free slot on cards, profiles and the API: current after every write that
//! changes it, and after time passes it (the scheduled job). "Current" is checked against
//! the slots API: the stored value is the first slot it lists for the same service.

use booking_functions::http::Method;
use booking_shared::render::format;
use booking_shared::store::prochaine_dispo::{enregistrer, Prochaine};
use booking_tests::{json, TestApp};
use chrono::{DateTime, Duration, FixedOffset};
use serde_json::{json as j, Value};

use crate::api_reservations::{coach_body, RESERVER};
use crate::comptes::{admin, avec_bearer, jeton, pro, Horloge, COACH};

const CLAIRE: &str = "claire-fontaine";
/// Claire's first active service, which her next free slot is computed for.
const SEANCE: i64 = 1011;

/// Claire as the API shows her.
fn fiche_api(app: &TestApp) -> Value {
    let r = app.get(&format!("{COACH}/api/v1/professionnels/{CLAIRE}"));
    assert_eq!(r.status, 200, "{}", r.text());
    json(&r)
}

fn prochaine(app: &TestApp) -> Option<String> {
    fiche_api(app)["prochaine_disponibilite"]
        .as_str()
        .map(str::to_owned)
}

/// The first free start the slots API lists for `service` from today, over 62 days.
fn premier_creneau(app: &TestApp, service: i64) -> Option<String> {
    let aujourdhui = app.clock_now().date_naive();
    [0, 31].into_iter().find_map(|decalage| {
        let du = aujourdhui + Duration::days(decalage);
        app.creneaux(
            "coach.localhost",
            CLAIRE,
            service,
            &du.to_string(),
            &(du + Duration::days(30)).to_string(),
        )
        .into_iter()
        .next()
        .map(|(debut, _)| debut)
    })
}

/// What Claire's card in the directory's results says of her next free slot.
fn texte_de_la_carte(app: &TestApp) -> Option<String> {
    let page = app.get(&format!("{COACH}/recherche?par_page=50")).text();
    let carte = page
        .split("<li class=\"carte pro\">")
        .find(|c| c.contains(&format!("/professionnels/{CLAIRE}\"")))
        .expect("Claire's card")
        .to_owned();
    let debut = carte.find("<p class=\"disponibilite\">")?;
    let reste = &carte[debut + "<p class=\"disponibilite\">".len()..];
    Some(reste[..reste.find("</p>")?].replace("&#39;", "'"))
}

/// The sentence for a start given with its offset (Claire's zone), seen today.
fn phrase(debut: &str, app: &TestApp) -> String {
    let debut: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(debut).unwrap();
    let aujourdhui = app.clock_now().with_timezone(debut.offset()).date_naive();
    format::prochaine_disponibilite(&debut, &aujourdhui)
}

/// The stored value is the first slot the slots API lists, for the service it names, and
/// the card says it. Returns it.
fn a_jour(app: &TestApp) -> Option<String> {
    let fiche = fiche_api(app);
    let valeur = fiche["prochaine_disponibilite"].as_str().map(str::to_owned);
    assert_eq!(
        fiche["prochaine_disponibilite_service_id"].as_i64(),
        valeur.as_ref().map(|_| SEANCE)
    );
    assert_eq!(valeur, premier_creneau(app, SEANCE));
    let attendu = match &valeur {
        Some(debut) => phrase(debut, app),
        None => "Aucune disponibilité dans les 60 prochains jours".to_owned(),
    };
    assert_eq!(texte_de_la_carte(app), Some(attendu));
    valeur
}

/// A guest's request for `debut` of Claire's first service: the answer (with the manage
/// link's secret).
fn demander(app: &TestApp, debut: &str) -> Value {
    let mut corps = coach_body(debut);
    corps["professionnel"] = CLAIRE.into();
    corps["service"] = SEANCE.into();
    let r = app.post_json(RESERVER, &corps);
    assert_eq!(r.status, 201, "{}", r.text());
    json(&r)
}

fn gestion(b: &Value, action: &str) -> String {
    format!(
        "{COACH}/api/v1/reservations/{}{action}",
        b["id"].as_str().unwrap()
    )
}

/// Claire's own API, signed in.
fn claire(app: &TestApp, method: Method, chemin: &str, corps: Option<Value>) -> Value {
    let (_, user_id) = pro(app, CLAIRE);
    let r = avec_bearer(
        app,
        method,
        &format!("{COACH}{chemin}"),
        &jeton(app, user_id),
        corps.as_ref(),
    );
    assert!(r.status < 300, "{chemin}: {} {}", r.status, r.text());
    json(&r)
}

#[test]
fn the_demo_cards_and_the_profile_say_when_each_professional_is_next_free() {
    let app = TestApp::spawn().with_demo_data();
    // Wednesday 25 November 2026, 10:00 in Paris; two hours' notice.
    assert_eq!(a_jour(&app).as_deref(), Some("2026-11-25T14:00:00+01:00"));
    assert_eq!(
        texte_de_la_carte(&app).as_deref(),
        Some("Disponible aujourd'hui à 14 h")
    );
    let profil = app.get(&format!("{COACH}/professionnels/{CLAIRE}")).text();
    assert!(profil.contains("<p class=\"disponibilite\">Disponible aujourd&#39;hui à 14 h</p>"));
    // Every listed professional of every vertical carries one, the first slot of their
    // first service.
    for site in ["coach", "garage", "avocat"] {
        let r = app.get(&format!(
            "http://{site}.localhost:8787/api/v1/professionnels?par_page=50"
        ));
        for p in json(&r)["professionnels"].as_array().unwrap() {
            let service = p["prochaine_disponibilite_service_id"].as_i64();
            assert_eq!(
                service,
                p["services"][0]["id"].as_i64(),
                "{site}: {}",
                p["slug"]
            );
            assert!(
                p["prochaine_disponibilite"].is_string(),
                "{site}: {}",
                p["slug"]
            );
        }
    }
}

#[test]
fn a_booking_takes_the_next_free_slot_and_its_cancellation_gives_it_back() {
    let app = TestApp::spawn().with_demo_data();
    let avant = a_jour(&app).unwrap();
    let b = demander(&app, &avant);
    let pendant = a_jour(&app).unwrap();
    assert!(pendant > avant, "{pendant} after {avant}");
    let r = app.post_json(&gestion(&b, "/annuler"), &j!({ "token": b["token"] }));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(a_jour(&app), Some(avant));
}

#[test]
fn moving_the_booking_that_holds_the_next_free_slot_frees_it() {
    let app = TestApp::spawn().with_demo_data();
    let avant = a_jour(&app).unwrap();
    // A booking may be moved outside the 24-hour window: from the first free slot two
    // days ahead.
    let apres_demain = (app.clock_now().date_naive() + Duration::days(2)).to_string();
    app.db.execute_script(&format!(
        "INSERT INTO absences (professionnel_id, type, du, au) SELECT id, 'jours', '{}', '{}' \
         FROM professionnels WHERE slug = '{CLAIRE}';",
        app.clock_now().date_naive(),
        app.clock_now().date_naive() + Duration::days(1)
    ));
    app.run_cron();
    let premier = a_jour(&app).unwrap();
    assert!(premier.starts_with(&apres_demain), "{premier}");
    let b = demander(&app, &premier);
    app.confirm_from_email(b["id"].as_str().unwrap());
    let occupe = a_jour(&app).unwrap();
    assert!(occupe > premier);
    let loin = premier_creneau(&app, SEANCE).unwrap();
    let cible = app
        .creneaux(
            "coach.localhost",
            CLAIRE,
            SEANCE,
            "2026-12-10",
            "2026-12-12",
        )
        .into_iter()
        .next()
        .unwrap()
        .0;
    assert!(cible > loin);
    let r = app.post_json(
        &gestion(&b, "/deplacer"),
        &j!({ "token": b["token"], "debut": cible }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(a_jour(&app), Some(premier));
    assert_ne!(Some(avant), prochaine(&app));
}

#[test]
fn a_hold_that_expires_gives_the_slot_back_at_the_next_run_of_the_scheduled_job() {
    let app = TestApp::spawn().with_demo_data();
    let avant = a_jour(&app).unwrap();
    demander(&app, &avant);
    assert_ne!(a_jour(&app).as_deref(), Some(avant.as_str()));
    // The request is not confirmed within its 30 minutes; the slot is still far enough.
    app.clock.advance(Duration::minutes(31));
    app.run_cron();
    assert_eq!(a_jour(&app), Some(avant));
}

#[test]
fn the_scheduled_job_moves_it_on_once_time_has_passed_it() {
    let app = TestApp::spawn().with_demo_data();
    let avant = a_jour(&app).unwrap();
    app.clock.advance(Duration::days(1));
    // Past: the card and the API say nothing rather than something false, until the
    // job runs.
    assert_eq!(prochaine(&app), None);
    assert_eq!(texte_de_la_carte(&app), None);
    app.run_cron();
    let apres = a_jour(&app).unwrap();
    assert!(apres > avant);
}

#[test]
fn the_professional_s_hours_openings_and_time_off_move_it_at_once() {
    let app = TestApp::spawn().with_demo_data();
    let avant = a_jour(&app).unwrap();
    // Time off today: tomorrow at the earliest.
    let r = claire(
        &app,
        Method::Post,
        "/api/v1/pro/absences",
        Some(j!({ "type": "jours", "du": "2026-11-25", "au": "2026-11-25" })),
    );
    let conge = a_jour(&app).unwrap();
    assert!(conge.as_str() > "2026-11-26", "{conge}");
    let id = r["id"].as_i64().unwrap();
    claire(
        &app,
        Method::Post,
        &format!("/api/v1/pro/absences/{id}/supprimer"),
        None,
    );
    assert_eq!(a_jour(&app), Some(avant.clone()));

    // An extra opening today at noon, the earliest the notice allows.
    let r = claire(
        &app,
        Method::Post,
        "/api/v1/pro/ouvertures",
        Some(j!({ "date": "2026-11-25", "heure_debut": "12:00", "heure_fin": "13:30" })),
    );
    assert_eq!(a_jour(&app).as_deref(), Some("2026-11-25T12:00:00+01:00"));
    assert_eq!(
        texte_de_la_carte(&app).as_deref(),
        Some("Disponible aujourd'hui à 12 h")
    );
    let id = r["id"].as_i64().unwrap();
    claire(
        &app,
        Method::Post,
        &format!("/api/v1/pro/ouvertures/{id}/supprimer"),
        None,
    );
    assert_eq!(a_jour(&app), Some(avant));

    // Weekly hours on Thursday mornings only.
    claire(
        &app,
        Method::Post,
        "/api/v1/pro/horaires",
        Some(j!({ "jeudi": "09:00-12:00" })),
    );
    assert_eq!(a_jour(&app).as_deref(), Some("2026-11-26T09:00:00+01:00"));
    assert_eq!(
        texte_de_la_carte(&app).as_deref(),
        Some("Disponible demain à 9 h")
    );
    // Then on Mondays only: her extra opening on Sunday comes first.
    claire(
        &app,
        Method::Post,
        "/api/v1/pro/horaires",
        Some(j!({ "lundi": "10:00-12:00" })),
    );
    assert_eq!(
        texte_de_la_carte(&app).as_deref(),
        Some("Disponible le dimanche 29 novembre à 10 h")
    );
    a_jour(&app);
}

#[test]
fn a_service_longer_than_every_opening_has_no_free_slot_in_60_days() {
    let app = TestApp::spawn().with_demo_data();
    // Three-hour mornings on Thursdays (and her Sunday opening, as long).
    claire(
        &app,
        Method::Post,
        "/api/v1/pro/horaires",
        Some(j!({ "jeudi": "09:00-12:00" })),
    );
    let avant = a_jour(&app).unwrap();
    let seance = |minutes: i64| j!({ "nom": "Séance découverte", "duree_minutes": minutes, "prix_centimes": 0 });
    let chemin = format!("/api/v1/pro/services/{SEANCE}");
    claire(&app, Method::Post, &chemin, Some(seance(240)));
    assert_eq!(a_jour(&app), None);
    assert_eq!(
        texte_de_la_carte(&app).as_deref(),
        Some("Aucune disponibilité dans les 60 prochains jours")
    );
    claire(&app, Method::Post, &chemin, Some(seance(60)));
    assert_eq!(a_jour(&app), Some(avant));
    // Retired, the next service in her order takes its place.
    claire(&app, Method::Post, &format!("{chemin}/retirer"), None);
    let fiche = fiche_api(&app);
    assert_eq!(
        fiche["prochaine_disponibilite_service_id"].as_i64(),
        fiche["services"][0]["id"].as_i64()
    );
    assert_ne!(
        fiche["prochaine_disponibilite_service_id"].as_i64(),
        Some(SEANCE)
    );
}

#[test]
fn unpublishing_or_a_suspension_clears_it_and_coming_back_computes_it_again() {
    let app = TestApp::spawn().with_demo_data();
    let avant = a_jour(&app).unwrap();
    let (pro_id, _) = pro(&app, CLAIRE);
    let stockee = |app: &TestApp| {
        app.db.scalar(&format!(
            "SELECT coalesce(prochaine_dispo, -1) FROM professionnels WHERE id = {pro_id}"
        ))
    };
    claire(
        &app,
        Method::Post,
        "/api/v1/pro/profil",
        Some(j!({ "public": false })),
    );
    assert_eq!(stockee(&app), -1);
    claire(
        &app,
        Method::Post,
        "/api/v1/pro/profil",
        Some(j!({ "public": true })),
    );
    assert_eq!(a_jour(&app), Some(avant.clone()));

    let admin_id = admin(&app);
    let token = jeton(&app, admin_id);
    let decider = |statut: &str| {
        let mut corps = j!({ "statut": statut });
        if statut == "suspendu" {
            corps["motif"] = "Vérification en cours".into();
        }
        let r = avec_bearer(
            &app,
            Method::Post,
            &format!("{COACH}/api/v1/admin/professionnels/{pro_id}/approbation"),
            &token,
            Some(&corps),
        );
        assert_eq!(r.status, 200, "{}", r.text());
    };
    decider("suspendu");
    assert_eq!(stockee(&app), -1);
    decider("approuve");
    assert_eq!(a_jour(&app), Some(avant));
}

#[test]
fn a_computation_from_data_older_than_the_last_write_is_not_stored() {
    let app = TestApp::spawn().with_demo_data();
    let avant = a_jour(&app).unwrap();
    let (pro_id, _) = pro(&app, CLAIRE);
    let version = app.db.scalar(&format!(
        "SELECT dispo_version FROM professionnels WHERE id = {pro_id}"
    ));
    // A write lands (a booking) after a computation read version `version`…
    let b = demander(&app, &avant);
    assert!(b["id"].is_string());
    let apres = prochaine(&app);
    // … whose result, older, then tries to store the former value.
    let perime = Prochaine {
        professionnel_id: pro_id,
        version,
        debut: DateTime::parse_from_rfc3339(&avant)
            .ok()
            .map(|d| d.to_utc()),
        service_id: Some(SEANCE),
        revoir_a: 4_102_444_800,
    };
    let s = enregistrer(&perime);
    futures::executor::block_on(booking_shared::store::Db::query(&app.db, s)).unwrap();
    assert_eq!(prochaine(&app), apres);
    assert_ne!(apres, Some(avant));
}

#[test]
fn the_directory_filters_by_availability_and_sorts_soonest_first() {
    let app = TestApp::spawn().with_demo_data();
    let liste = |requete: &str| -> Vec<(String, Option<String>)> {
        let r = app.get(&format!(
            "{COACH}/api/v1/professionnels?par_page=50{requete}"
        ));
        assert_eq!(r.status, 200, "{}", r.text());
        json(&r)["professionnels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["slug"].as_str().unwrap().to_owned(),
                    p["prochaine_disponibilite"].as_str().map(str::to_owned),
                )
            })
            .collect()
    };
    let tous = liste("");
    // Claire is free only from Sunday on (an extra opening).
    claire(
        &app,
        Method::Post,
        "/api/v1/pro/horaires",
        Some(j!({ "lundi": "10:00-12:00" })),
    );
    let tries = liste("&tri=disponibilite");
    assert_eq!(tries.len(), tous.len());
    let instants: Vec<DateTime<FixedOffset>> = tries
        .iter()
        .map(|(_, d)| DateTime::parse_from_rfc3339(d.as_deref().unwrap()).unwrap())
        .collect();
    assert!(instants.windows(2).all(|p| p[0] <= p[1]), "{tries:?}");
    assert_eq!(tries.last().unwrap().0, CLAIRE);

    let aujourdhui = liste("&disponible=aujourdhui");
    assert!(!aujourdhui.is_empty());
    assert!(aujourdhui
        .iter()
        .all(|(slug, d)| slug != CLAIRE && d.as_deref().unwrap().starts_with("2026-11-25")));
    let trois_jours = liste("&disponible=3jours");
    assert!(aujourdhui.iter().all(|p| trois_jours.contains(p)));
    assert!(trois_jours
        .iter()
        .all(|(_, d)| d.as_deref().unwrap() < "2026-11-28"));
    let semaine = liste("&disponible=semaine&tri=disponibilite");
    assert_eq!(semaine, tries, "Sunday is within seven days");
    assert!(!trois_jours.iter().any(|(s, _)| s == CLAIRE));

    // The page keeps the filter and the order, and offers them.
    let page = app.get(&format!(
        "{COACH}/recherche?disponible=aujourdhui&tri=disponibilite"
    ));
    assert_eq!(page.status, 200);
    let texte = page.text();
    assert!(texte.contains("<option value=\"aujourdhui\" selected>"));
    assert!(texte.contains("<option value=\"disponibilite\" selected>"));
    assert!(!texte.contains(&format!("/professionnels/{CLAIRE}\"")));

    // Anything else is refused in French, nothing listed.
    for requete in [
        "disponible=demain",
        "disponible=AUJOURDHUI",
        "tri=prix",
        "tri=disponibilite%27--",
    ] {
        let r = app.get(&format!("{COACH}/api/v1/professionnels?{requete}"));
        assert_eq!(r.status, 422, "{requete}");
        assert_eq!(json(&r)["code"], "parametre_invalide");
        assert!(r.text().contains("doit valoir"), "{}", r.text());
        let page = app.get(&format!("{COACH}/recherche?{requete}"));
        assert_eq!(page.status, 422, "{requete}");
        assert!(page.text().contains("doit valoir"));
    }
}

#[test]
fn the_availability_filter_and_sort_are_served_by_their_index() {
    use booking_shared::store::{Db, Statement};

    let app = TestApp::spawn().with_demo_data();
    let plan = Statement::new(
        "EXPLAIN QUERY PLAN SELECT p.id FROM professionnels p WHERE p.vertical = 'coach' \
         AND p.public = 1 AND p.approbation = 'approuve' \
         AND p.prochaine_dispo >= 1764061200 AND p.prochaine_dispo < 1764198000 \
         ORDER BY p.prochaine_dispo, p.id",
    );
    let lignes = futures::executor::block_on(app.db.query(plan)).unwrap();
    let details: Vec<&str> = lignes.iter().filter_map(|l| l["detail"].as_str()).collect();
    assert!(
        details
            .iter()
            .any(|d| d.contains("professionnels_prochaine_dispo")
                && d.contains("prochaine_dispo>?")
                && d.contains("prochaine_dispo<?")),
        "{details:?}"
    );
    assert!(
        !details.iter().any(|d| d.contains("TEMP B-TREE")),
        "{details:?}"
    );
}

#[test]
fn new_rules_for_the_vertical_move_it_once_the_sites_serve_them() {
    let app = TestApp::spawn().with_demo_data();
    assert_eq!(a_jour(&app).as_deref(), Some("2026-11-25T14:00:00+01:00"));
    let token = jeton(&app, admin(&app));
    let url = format!("{COACH}/api/v1/admin/verticaux/coach");
    let mut doc = json(&avec_bearer(&app, Method::Get, &url, &token, None));
    // Six hours' notice instead of two: nothing before 16:00 today.
    doc["regles"]["preavis_minutes"] = 360.into();
    let r = avec_bearer(&app, Method::Post, &url, &token, Some(&doc));
    assert_eq!(r.status, 200, "{}", r.text());
    app.clock.advance(Duration::minutes(3));
    app.run_cron();
    let apres = a_jour(&app).unwrap();
    assert!(apres.as_str() >= "2026-11-25T16:00:00+01:00", "{apres}");
}

/// Claire (101) gains a colleague (a person or a resource) who keeps her hours and gives
/// her first service: the member's id.
fn collegue(app: &TestApp, nom: &str, genre: &str) -> i64 {
    app.db.execute_script(&format!(
        "INSERT INTO membres (professionnel_id, nom, genre, position, created_at) \
         VALUES (101, '{nom}', '{genre}', 1, 0);
         INSERT INTO services_membres (service_id, membre_id) \
         SELECT {SEANCE}, id FROM membres WHERE nom = '{nom}';
         INSERT INTO disponibilites (professionnel_id, recurrence, jour_semaine, date, \
         heure_debut, heure_fin, membre_id) SELECT professionnel_id, recurrence, jour_semaine, \
         date, heure_debut, heure_fin, (SELECT id FROM membres WHERE nom = '{nom}') \
         FROM disponibilites WHERE membre_id = \
         (SELECT min(id) FROM membres WHERE professionnel_id = 101);"
    ));
    app.db
        .scalar(&format!("SELECT id FROM membres WHERE nom = '{nom}'"))
}

#[test]
fn a_teams_next_free_slot_is_the_union_over_its_members_and_waits_for_a_resource_it_needs() {
    let app = TestApp::spawn().with_demo_data();
    let avant = a_jour(&app).unwrap();
    collegue(&app, "Coach deux", "personne");
    app.run_cron();
    assert_eq!(a_jour(&app), Some(avant.clone()));
    // One of the two takes the first slot: the other is still free then, in the value the
    // booking's own batch stores and in the one the scheduled job confirms.
    demander(&app, &avant);
    assert_eq!(
        a_jour(&app),
        Some(avant.clone()),
        "the other coach is free then"
    );
    app.run_cron();
    assert_eq!(a_jour(&app), Some(avant.clone()));
    // A room the service now needs, closed today: the first slot waits for the room.
    let salle = collegue(&app, "Salle", "ressource");
    let aujourdhui = app.clock_now().date_naive();
    app.db.execute_script(&format!(
        "INSERT INTO absences (professionnel_id, type, du, au, membre_id) \
         VALUES (101, 'jours', '{aujourdhui}', '{aujourdhui}', {salle});"
    ));
    app.run_cron();
    let apres = a_jour(&app).unwrap();
    assert!(
        apres > avant && !apres.starts_with(&aujourdhui.to_string()),
        "{apres} after today"
    );
}
