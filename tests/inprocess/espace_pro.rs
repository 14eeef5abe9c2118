//! The professional's space: from sign-up to a week run from the agenda.

use booking_functions::http::Method;
use booking_tests::{json, TestApp};
use serde_json::json as j;

use crate::comptes::{admin, avec_bearer, jeton, pro, Navigateur, COACH};

#[test]
fn a_professional_signs_up_sets_up_appears_once_approved_and_runs_the_agenda() {
    let app = TestApp::spawn();
    let mut nav = Navigateur::new(&app);
    let inscription = format!("{COACH}/compte/inscription");
    let r = nav.soumettre(
        &inscription,
        &inscription,
        &[
            ("role", "pro"),
            ("nom", "Marc Durand"),
            ("email", "marc@exemple.fr"),
            ("mot_de_passe", "bonjour2026!"),
            ("ville", "Lyon"),
            ("region", "Auvergne-Rhône-Alpes"),
        ],
    );
    // The same answer whether the address had an account: read the e-mail, sign in.
    assert_eq!(r.status, 200, "{}", r.text());
    let connexion = format!("{COACH}/compte/connexion");
    let r = nav.soumettre(
        &connexion,
        &connexion,
        &[
            ("email", "marc@exemple.fr"),
            ("mot_de_passe", "bonjour2026!"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/pro"));
    let r = nav.get(&format!("{COACH}/pro"));
    assert_eq!(r.status, 200);
    assert!(r.text().contains("en attente de validation"));

    // Profile: a wrong price range is shown next to the field, nothing is saved.
    let pro_page = format!("{COACH}/pro");
    let r = nav.soumettre(
        &pro_page,
        &format!("{COACH}/pro/profil"),
        &[
            ("bio", "Coach de carrière."),
            ("ville", "Lyon"),
            ("region", "ARA"),
            ("prix_min", "90"),
            ("prix_max", "60"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("id=\"prix_max-erreur\""));
    let r = nav.soumettre(
        &pro_page,
        &format!("{COACH}/pro/profil"),
        &[
            ("bio", "Coach de carrière."),
            ("ville", "Lyon"),
            ("region", "ARA"),
            ("prix_min", "60"),
            ("prix_max", "90,50"),
            ("public", "1"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        app.db
            .scalar("SELECT prix_max FROM professionnels WHERE slug = 'marc-durand'"),
        9050
    );

    // A service, then the week's hours.
    let services = format!("{COACH}/pro/services");
    let r = nav.soumettre(
        &services,
        &services,
        &[("nom", "Séance"), ("duree_minutes", "60"), ("prix", "75")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let horaires = format!("{COACH}/pro/horaires");
    let r = nav.soumettre(
        &horaires,
        &horaires,
        &[
            ("lundi", "09:00-12:00"),
            ("mardi", "09:00-12:00, 14:00-18:00"),
            ("mercredi", "9h"),
            ("jeudi", "09:00-17:00"),
            ("vendredi", "09:00-17:00"),
        ],
    );
    assert_eq!(r.status, 422, "a wrong day is refused as a whole");
    assert!(r.text().contains("id=\"mercredi-erreur\""));
    let r = nav.soumettre(
        &horaires,
        &horaires,
        &[
            ("lundi", "09:00-12:00"),
            ("mardi", "09:00-12:00, 14:00-18:00"),
            ("jeudi", "09:00-17:00"),
            ("vendredi", "09:00-17:00"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(app.db.scalar("SELECT count(*) FROM disponibilites d JOIN professionnels p ON p.id = d.professionnel_id WHERE p.slug = 'marc-durand'"), 5);
    let r = nav.soumettre(
        &horaires,
        &format!("{COACH}/pro/absences"),
        &[
            ("type", "jours"),
            ("du", "2026-12-24"),
            ("au", "2026-12-26"),
            ("motif", "Fêtes"),
        ],
    );
    assert_eq!(r.status, 303);
    let r = nav.soumettre(
        &horaires,
        &format!("{COACH}/pro/ouvertures"),
        &[
            ("date", "2026-11-28"),
            ("heure_debut", "10:00"),
            ("heure_fin", "12:00"),
        ],
    );
    assert_eq!(r.status, 303);

    // Not in the directory until an admin approves the profile.
    let annuaire = || json(&app.get(&format!("{COACH}/api/v1/professionnels?ville=Lyon")));
    let present = |v: &serde_json::Value| v.to_string().contains("marc-durand");
    assert!(!present(&annuaire()));
    let pro_id = app
        .db
        .scalar("SELECT id FROM professionnels WHERE slug = 'marc-durand'");
    let admin_token = jeton(&app, admin(&app));
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/admin/professionnels/{pro_id}/approbation"),
        &admin_token,
        Some(&j!({ "statut": "approuve" })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(present(&annuaire()));

    // A client books; the agenda shows it; the professional cancels with a reason.
    let service = app.db.scalar(&format!(
        "SELECT id FROM services WHERE professionnel_id = {pro_id}"
    ));
    let slots = app.creneaux(
        "coach.localhost",
        "marc-durand",
        service,
        "2026-11-26",
        "2026-12-02",
    );
    assert!(!slots.is_empty());
    let r = app.post_json(&format!("{COACH}/api/v1/reservations"), &j!({ "professionnel": "marc-durand", "service": service, "debut": slots[0].0, "nom": "Jeanne Client", "email": "jeanne@exemple.fr", "telephone": "06 11 22 33 44", "reponses": { "objectif": "Changer de métier", "format": "visio" } }));
    assert_eq!(r.status, 201, "{}", r.text());
    let rid = json(&r)["id"].as_str().unwrap().to_owned();
    let jour = &slots[0].0[..10];
    let agenda = nav.get(&format!("{COACH}/pro/agenda?jour={jour}&vue=jour"));
    assert!(agenda.text().contains("Jeanne Client"), "{}", agenda.text());
    let action = format!("{COACH}/pro/reservations/{rid}/annuler");
    let r = nav.soumettre(&format!("{COACH}/pro"), &action, &[("motif", "")]);
    assert_eq!(r.status, 422, "a reason is required");
    let r = nav.soumettre(
        &format!("{COACH}/pro"),
        &action,
        &[("motif", "Empêchement")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(app.db.scalar(&format!("SELECT count(*) FROM reservations WHERE id = '{rid}' AND statut = 'annulee' AND annulee_par = 'professionnel' AND motif_annulation = 'Empêchement'")), 1);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM occupations WHERE seance = '{rid}'"
        )),
        0,
        "the slot is free again"
    );
    assert!(app
        .creneaux(
            "coach.localhost",
            "marc-durand",
            service,
            "2026-11-26",
            "2026-12-02"
        )
        .contains(&slots[0]));
    // Cancelling twice is refused with a message, not an error page.
    let r = nav.soumettre(&format!("{COACH}/pro"), &action, &[("motif", "Encore")]);
    assert_eq!(r.status, 409);
}

#[test]
fn the_agenda_marks_a_past_booking_done_or_no_show_through_the_api() {
    let app = TestApp::spawn().with_demo_data();
    let (pro_id, user_id) = pro(&app, "claire-fontaine");
    let token = jeton(&app, user_id);
    let r = app.post_json(
        crate::api_reservations::RESERVER,
        &crate::api_reservations::coach_body(&crate::api_reservations::first_slot(&app)),
    );
    let rid = json(&r)["id"].as_str().unwrap().to_owned();
    app.confirm_from_email(&rid);
    let agir = |a: &str| {
        avec_bearer(
            &app,
            Method::Post,
            &format!("{COACH}/api/v1/pro/reservations/{rid}/{a}"),
            &token,
            Some(&j!({})),
        )
    };
    let r = agir("terminer");
    assert_eq!(r.status, 409, "not before it started: {}", r.text());
    let mut texte = booking_functions::http::Request::new(
        Method::Post,
        &format!("{COACH}/api/v1/pro/reservations/{rid}/terminer"),
    );
    texte
        .headers
        .push(("authorization".into(), format!("Bearer {token}")));
    texte
        .headers
        .push(("content-type".into(), "text/plain".into()));
    texte.body = b"fini".to_vec();
    assert_eq!(app.send(texte).status, 415, "a body that is not JSON");
    app.clock.advance(chrono::Duration::days(8));
    let token = jeton(&app, user_id);
    // Done and no-show need no input: an empty body, without a content type, is enough.
    let agir = |a: &str| {
        avec_bearer(
            &app,
            Method::Post,
            &format!("{COACH}/api/v1/pro/reservations/{rid}/{a}"),
            &token,
            None,
        )
    };
    let r = agir("absent");
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["statut"], "absent");
    assert_eq!(
        agir("terminer").status,
        409,
        "a final status does not change"
    );
    assert_eq!(agir("danser").status, 404);
    let r = avec_bearer(
        &app,
        Method::Get,
        &format!("{COACH}/api/v1/pro/agenda?du=2026-11-25&au=2026-12-05"),
        &token,
        None,
    );
    assert_eq!(r.status, 200);
    let agenda = json(&r);
    let ligne = agenda["reservations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == rid.as_str())
        .unwrap()
        .clone();
    // Instants in ISO 8601 with the professional's offset; the answers as an object.
    let debut = ligne["date_heure"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(debut).is_ok() && debut.ends_with("+01:00"),
        "{debut}"
    );
    assert!(chrono::DateTime::parse_from_rfc3339(ligne["fin"].as_str().unwrap()).is_ok());
    assert!(ligne["reponses"].is_object(), "{}", ligne["reponses"]);
    for (parametre, valeur) in [("du", "demain"), ("au", "2026-13-01")] {
        let r = avec_bearer(
            &app,
            Method::Get,
            &format!("{COACH}/api/v1/pro/agenda?{parametre}={valeur}"),
            &token,
            None,
        );
        assert_eq!(r.status, 422, "{}", r.text());
        assert_eq!(json(&r)["code"], "parametre_invalide");
        assert_eq!(json(&r)["champ"], parametre);
    }
    let _ = pro_id;
}

#[test]
fn services_hours_and_time_off_are_managed_through_the_api() {
    let app = TestApp::spawn().with_demo_data();
    let (pro_id, user_id) = pro(&app, "claire-fontaine");
    let token = jeton(&app, user_id);
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/pro/services"),
        &token,
        Some(
            &j!({ "nom": "Atelier", "duree_minutes": 90, "prix_centimes": 12000, "acompte_centimes": 3050 }),
        ),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let sid = json(&r)["id"].as_i64().unwrap();
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT acompte_centimes FROM services WHERE id = {sid}"
        )),
        3050
    );
    // Strict bodies: a price as text or in euros with decimals, an unknown member or a
    // missing one is a 422 naming it (amounts are integer cents).
    for (corps, champ) in [
        (
            j!({ "nom": "Atelier", "duree_minutes": 90, "prix_centimes": "12000" }),
            "prix_centimes",
        ),
        (
            j!({ "nom": "Atelier", "duree_minutes": 90, "prix_centimes": 120.5 }),
            "prix_centimes",
        ),
        (
            j!({ "nom": "Atelier", "duree_minutes": 90, "prix_centimes": 12000, "couleur": "bleu" }),
            "couleur",
        ),
        (
            j!({ "nom": "Atelier", "prix_centimes": 12000 }),
            "duree_minutes",
        ),
    ] {
        let r = avec_bearer(
            &app,
            Method::Post,
            &format!("{COACH}/api/v1/pro/services"),
            &token,
            Some(&corps),
        );
        assert_eq!(r.status, 422, "{}", r.text());
        assert_eq!(json(&r)["code"], "type_invalide");
        assert_eq!(json(&r)["champ"], champ);
    }
    // An unknown service is a 404 whatever the body.
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/pro/services/999999"),
        &token,
        Some(&j!({ "couleur": "bleu" })),
    );
    assert_eq!(r.status, 404, "{}", r.text());
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/pro/services/{sid}"),
        &token,
        Some(&j!({ "nom": "Atelier collectif", "duree_minutes": 95, "prix_centimes": 12000 })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["id"], sid, "the id as a number");
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT duree_minutes FROM services WHERE id = {sid}"
        )),
        95
    );
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/pro/services/{sid}/retirer"),
        &token,
        None,
    );
    assert_eq!(r.status, 200);
    assert_eq!(json(&r)["id"], sid);
    let r = avec_bearer(
        &app,
        Method::Get,
        &format!("{COACH}/api/v1/pro/services"),
        &token,
        None,
    );
    let services = json(&r)["services"].as_array().unwrap().clone();
    assert!(services.iter().all(|s| s["actif"].is_boolean()));
    assert!(services
        .iter()
        .any(|s| s["id"] == sid && s["actif"] == false));
    assert_eq!(
        app.db
            .scalar(&format!("SELECT actif FROM services WHERE id = {sid}")),
        0
    );
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/pro/horaires"),
        &token,
        Some(&j!({ "lundi": "08:00-12:00" })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(app.db.scalar(&format!("SELECT count(*) FROM disponibilites WHERE professionnel_id = {pro_id} AND recurrence = 'hebdomadaire'")), 1);
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/pro/absences"),
        &token,
        Some(
            &j!({ "type": "periode", "debut": "2026-12-01T10:00", "fin": "2026-12-01T12:00:00+01:00" }),
        ),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let aid = json(&r)["id"].as_i64().unwrap();
    let r = avec_bearer(
        &app,
        Method::Get,
        &format!("{COACH}/api/v1/pro/horaires"),
        &token,
        None,
    );
    let absence = json(&r)["absences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == aid)
        .unwrap()
        .clone();
    assert_eq!(absence["debut"], "2026-12-01T10:00:00+01:00");
    assert_eq!(absence["fin"], "2026-12-01T12:00:00+01:00");
    assert_eq!(
        avec_bearer(
            &app,
            Method::Post,
            &format!("{COACH}/api/v1/pro/absences/{aid}/supprimer"),
            &token,
            None
        )
        .status,
        200
    );
    assert_eq!(
        avec_bearer(
            &app,
            Method::Post,
            &format!("{COACH}/api/v1/pro/absences/{aid}/supprimer"),
            &token,
            None
        )
        .status,
        404
    );
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/pro/services"),
        &token,
        Some(&j!({ "nom": "", "duree_minutes": 7, "prix_centimes": 1000 })),
    );
    assert_eq!(r.status, 422);
    assert_eq!(json(&r)["code"], "champs_invalides");
}

#[test]
fn a_profile_update_through_the_api_changes_only_the_members_sent() {
    let app = TestApp::spawn().with_demo_data();
    let (pro_id, user_id) = pro(&app, "claire-fontaine");
    let token = jeton(&app, user_id);
    let envoyer = |corps: serde_json::Value| {
        avec_bearer(
            &app,
            Method::Post,
            &format!("{COACH}/api/v1/pro/profil"),
            &token,
            Some(&corps),
        )
    };
    let ville_avant = json(&envoyer(j!({})))["ville"].clone();
    let r = envoyer(j!({ "bio": "Nouvelle présentation." }));
    assert_eq!(r.status, 200, "{}", r.text());
    let profil = json(&r);
    assert_eq!(profil["bio"], "Nouvelle présentation.");
    assert_eq!(profil["public"], true, "public absent: still published");
    assert_eq!(profil["ville"], ville_avant);
    let r = envoyer(j!({ "prix_min": 4000, "prix_max": 9050 }));
    assert_eq!(json(&r)["prix_max"], 9050);
    let r = envoyer(j!({ "prix_max": null }));
    assert_eq!(json(&r)["prix_max"], serde_json::Value::Null);
    assert_eq!(json(&r)["prix_min"], 4000);
    for (corps, champ) in [
        (j!({ "public": "on" }), "public"),
        (j!({ "prix_min": "40" }), "prix_min"),
        (j!({ "prix_min": 40.5 }), "prix_min"),
        (j!({ "site": "x" }), "site"),
    ] {
        let r = envoyer(corps);
        assert_eq!(r.status, 422, "{}", r.text());
        assert_eq!(json(&r)["code"], "type_invalide");
        assert_eq!(json(&r)["champ"], champ);
    }
    let r = envoyer(j!({ "public": false }));
    assert_eq!(json(&r)["public"], false);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT public FROM professionnels WHERE id = {pro_id}"
        )),
        0
    );
}

#[test]
fn the_calendar_feed_is_private_and_revocable() {
    let app = TestApp::spawn().with_demo_data();
    let (_, user_id) = pro(&app, "claire-fontaine");
    let token = jeton(&app, user_id);
    app.post_json(
        crate::api_reservations::RESERVER,
        &crate::api_reservations::coach_body(&crate::api_reservations::first_slot(&app)),
    );
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/pro/calendrier"),
        &token,
        None,
    );
    assert_eq!(r.status, 201);
    let url = json(&r)["url"].as_str().unwrap().to_owned();
    let feed = app.get(&url);
    assert_eq!(feed.status, 200);
    assert!(feed
        .header("content-type")
        .unwrap()
        .starts_with("text/calendar"));
    assert!(feed.text().contains("BEGIN:VEVENT") && feed.text().contains("Léa Martin"));
    assert_eq!(
        app.get(&format!(
            "{COACH}/ical/00000000000000000000000000000000.ics"
        ))
        .status,
        404
    );
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/pro/calendrier/revoquer"),
        &token,
        None,
    );
    assert_eq!(r.status, 200);
    assert_eq!(app.get(&url).status, 404, "revoked");
}
