//! The pro space for teams (issue 15): members, their hours and time off, who performs
//! each service, the agenda and calendar feed per member, and a booking given to another
//! member — each with another establishment's ids tried where an id is taken.

use booking_functions::http::Method;
use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

use crate::api_reservations::{coach_body, first_slot, RESERVER};
use crate::comptes::{avec_bearer, jeton, pro, Navigateur, COACH};

const CLAIRE: &str = "claire-fontaine";
const AUTRE: &str = "julien-morel";

struct Pro<'a> {
    app: &'a TestApp,
    id: i64,
    jeton: String,
}

impl Pro<'_> {
    fn de<'a>(app: &'a TestApp, slug: &str) -> Pro<'a> {
        let (id, user) = pro(app, slug);
        Pro {
            app,
            id,
            jeton: jeton(app, user),
        }
    }

    fn post(&self, chemin: &str, corps: &Value) -> booking_functions::http::Response {
        avec_bearer(
            self.app,
            Method::Post,
            &format!("{COACH}{chemin}"),
            &self.jeton,
            Some(corps),
        )
    }

    fn get(&self, chemin: &str) -> booking_functions::http::Response {
        avec_bearer(
            self.app,
            Method::Get,
            &format!("{COACH}{chemin}"),
            &self.jeton,
            None,
        )
    }

    /// The establishment's first member (the one every professional starts with).
    fn premier(&self) -> i64 {
        self.app.db.scalar(&format!(
            "SELECT id FROM membres WHERE professionnel_id = {} ORDER BY position, id LIMIT 1",
            self.id
        ))
    }

    fn ajouter(&self, nom: &str, genre: &str) -> i64 {
        let r = self.post("/api/v1/pro/membres", &j!({ "nom": nom, "genre": genre }));
        assert_eq!(r.status, 201, "{}", r.text());
        json(&r)["id"].as_i64().unwrap()
    }

    /// Every active service performed by these members.
    fn equipe_partout(&self, membres: &[i64]) {
        for sid in self.services() {
            let r = self.post(
                &format!("/api/v1/pro/services/{sid}/membres"),
                &j!({ "membres": membres }),
            );
            assert_eq!(r.status, 200, "{}", r.text());
        }
    }

    fn services(&self) -> Vec<i64> {
        let r = self.get("/api/v1/pro/services");
        json(&r)["services"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["actif"] == true)
            .map(|s| s["id"].as_i64().unwrap())
            .collect()
    }

    /// Cancels the establishment's bookings (a fixture: nobody expected).
    fn sans_rendez_vous(&self) {
        self.app.db.execute_script(&format!(
            "UPDATE reservations SET statut = 'annulee', annulee_par = 'systeme' \
             WHERE professionnel_id = {} AND statut <> 'annulee'",
            self.id
        ));
    }
}

#[test]
fn members_are_added_renamed_and_deactivated_by_the_rules() {
    let app = TestApp::spawn().with_demo_data();
    let claire = Pro::de(&app, CLAIRE);
    let autre = Pro::de(&app, AUTRE);
    let premier = claire.premier();
    let r = claire.get("/api/v1/pro/membres");
    assert_eq!(r.status, 200);
    assert_eq!(json(&r)["membres"].as_array().unwrap().len(), 1);
    assert_eq!(json(&r)["maximum"], 50);

    let julie = claire.ajouter("Julie Roux", "personne");
    let salle = claire.ajouter("Salle 1", "ressource");
    for (corps, champ) in [
        (j!({ "nom": "", "genre": "personne" }), "nom"),
        (j!({ "nom": "Pont", "genre": "machine" }), "genre"),
        (j!({ "nom": "x".repeat(81) }), "nom"),
    ] {
        let r = claire.post("/api/v1/pro/membres", &corps);
        assert_eq!(r.status, 422, "{}", r.text());
        assert_eq!(json(&r)["erreurs"][0]["champ"], champ, "{}", r.text());
    }
    // Renamed and placed; the kind does not change; another establishment's member is a
    // 404 and stays as it was.
    let r = claire.post(
        &format!("/api/v1/pro/membres/{julie}/modifier"),
        &j!({ "nom": "Julie Roux-Martin", "position": 0 }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["nom"], "Julie Roux-Martin");
    let r = claire.post(
        &format!("/api/v1/pro/membres/{julie}/modifier"),
        &j!({ "nom": "Julie", "genre": "ressource" }),
    );
    assert_eq!(r.status, 422);
    let sien = autre.premier();
    for action in ["modifier", "desactiver", "reactiver"] {
        let r = claire.post(
            &format!("/api/v1/pro/membres/{sien}/{action}"),
            &j!({ "nom": "Volé" }),
        );
        assert_eq!(r.status, 404, "{action}: {}", r.text());
    }
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM membres WHERE id = {sien} AND actif = 1 AND nom <> 'Volé'"
        )),
        1
    );

    // Who performs a service: at least one active person; a resource alone, nobody, an
    // unknown or another establishment's member, or too many seats change nothing.
    let sid = claire.services()[0];
    let avant = app.db.scalar(&format!(
        "SELECT count(*) FROM services_membres WHERE service_id = {sid}"
    ));
    for corps in [
        j!({ "membres": [salle] }),
        j!({ "membres": [] }),
        j!({ "membres": [premier, sien] }),
        j!({ "membres": [premier, 999_999] }),
        j!({ "membres": [premier], "places": 51 }),
        j!({ "membres": [premier], "places": 0 }),
    ] {
        let r = claire.post(&format!("/api/v1/pro/services/{sid}/membres"), &corps);
        assert_eq!(r.status, 422, "{corps}: {}", r.text());
    }
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM services_membres WHERE service_id = {sid}"
        )),
        avant
    );
    let sien_service = autre.services()[0];
    let r = claire.post(
        &format!("/api/v1/pro/services/{sien_service}/membres"),
        &j!({ "membres": [premier] }),
    );
    assert_eq!(r.status, 404);
    let r = claire.post(
        &format!("/api/v1/pro/services/{sid}/membres"),
        &j!({ "membres": [premier, julie, salle], "places": 8 }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["membres"], j!([premier, julie, salle]));
    assert_eq!(
        app.db
            .scalar(&format!("SELECT places FROM services WHERE id = {sid}")),
        8
    );

    // Deactivating: refused while Claire alone performs a service, then while she has
    // bookings to come (how many is said); the last person can never go.
    claire.sans_rendez_vous();
    let r = claire.post(
        &format!("/api/v1/pro/membres/{premier}/desactiver"),
        &j!({}),
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "seul_pour_prestation");
    claire.equipe_partout(&[premier, julie]);
    let debut = first_slot(&app);
    assert_eq!(app.post_json(RESERVER, &coach_body(&debut)).status, 201);
    let r = claire.post(
        &format!("/api/v1/pro/membres/{premier}/desactiver"),
        &j!({}),
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "membre_rendez_vous_a_venir");
    assert!(
        json(&r)["title"]
            .as_str()
            .unwrap()
            .contains("rendez-vous à venir"),
        "{}",
        r.text()
    );
    claire.sans_rendez_vous();
    let r = claire.post(&format!("/api/v1/pro/membres/{julie}/desactiver"), &j!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["actif"], false);
    let r = claire.post(
        &format!("/api/v1/pro/membres/{premier}/desactiver"),
        &j!({}),
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "dernier_membre");
    // A resource may go; the one back gets bookings again.
    let r = claire.post(&format!("/api/v1/pro/membres/{salle}/desactiver"), &j!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    let r = claire.post(&format!("/api/v1/pro/membres/{julie}/reactiver"), &j!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["actif"], true);
    let r = claire.post(&format!("/api/v1/pro/membres/{julie}/envoler"), &j!({}));
    assert_eq!(r.status, 404);

    // At most 50 members, whatever is sent.
    app.db.execute_script(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 47) \
         INSERT INTO membres (professionnel_id, nom, created_at) SELECT {}, 'Renfort ' || i, 0 FROM n",
        claire.id
    ));
    let r = claire.post("/api/v1/pro/membres", &j!({ "nom": "Un de trop" }));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "membres_trop_nombreux");
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM membres WHERE professionnel_id = {}",
            claire.id
        )),
        50
    );
}

#[test]
fn hours_and_time_off_are_each_members_or_the_whole_establishments() {
    let app = TestApp::spawn().with_demo_data();
    let claire = Pro::de(&app, CLAIRE);
    let autre = Pro::de(&app, AUTRE);
    let premier = claire.premier();
    let julie = claire.ajouter("Julie Roux", "personne");
    let heures_de = |m: i64| {
        app.db.scalar(&format!(
            "SELECT count(*) FROM disponibilites WHERE membre_id = {m} AND recurrence = 'hebdomadaire'"
        ))
    };
    let avant = heures_de(premier);
    let r = claire.post(
        "/api/v1/pro/horaires",
        &j!({ "membre": julie, "samedi": "10:00-12:00", "dimanche": "10:00-12:00" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["membre"], julie);
    assert_eq!(heures_de(julie), 2);
    assert_eq!(heures_de(premier), avant, "Claire's week is hers");
    let r = claire.get(&format!("/api/v1/pro/horaires?membre={julie}"));
    assert_eq!(
        json(&r)["disponibilites"].as_array().unwrap().len(),
        2,
        "{}",
        r.text()
    );
    // An opening and time off for Julie, and a holiday for everybody.
    let r = claire.post(
        "/api/v1/pro/ouvertures",
        &j!({ "membre": julie, "date": "2026-12-16", "heure_debut": "18:00", "heure_fin": "20:00" }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let r = claire.post(
        "/api/v1/pro/absences",
        &j!({ "membre": julie, "du": "2026-12-19", "au": "2026-12-20" }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let pour_julie = json(&r)["id"].as_i64().unwrap();
    let r = claire.post(
        "/api/v1/pro/absences",
        &j!({ "du": "2026-12-25", "au": "2026-12-25", "motif": "Noël" }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let pour_tous = json(&r)["id"].as_i64().unwrap();
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM absences WHERE id = {pour_julie} AND membre_id = {julie}"
        )),
        1
    );
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM absences WHERE id = {pour_tous} AND membre_id IS NULL"
        )),
        1
    );
    // Claire's view shows the holiday, not Julie's days off.
    let r = claire.get(&format!("/api/v1/pro/horaires?membre={premier}"));
    let ids: Vec<i64> = json(&r)["absences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert!(
        ids.contains(&pour_tous) && !ids.contains(&pour_julie),
        "{ids:?}"
    );

    // Another establishment's member, in every field that takes one: 404, nothing written.
    let sien = autre.premier();
    let sien_avant = heures_de(sien);
    let absences = app.db.scalar("SELECT count(*) FROM absences");
    for (chemin, corps) in [
        (
            "/api/v1/pro/horaires",
            j!({ "membre": sien, "lundi": "08:00-09:00" }),
        ),
        (
            "/api/v1/pro/ouvertures",
            j!({ "membre": sien, "date": "2026-12-16", "heure_debut": "08:00", "heure_fin": "09:00" }),
        ),
        (
            "/api/v1/pro/absences",
            j!({ "membre": sien, "du": "2026-12-21", "au": "2026-12-21" }),
        ),
    ] {
        let r = claire.post(chemin, &corps);
        assert_eq!(r.status, 404, "{chemin}: {}", r.text());
    }
    assert_eq!(heures_de(sien), sien_avant);
    assert_eq!(app.db.scalar("SELECT count(*) FROM absences"), absences);
    assert_eq!(
        claire
            .get(&format!("/api/v1/pro/horaires?membre={sien}"))
            .status,
        404
    );
    assert_eq!(claire.get("/api/v1/pro/horaires?membre=abc").status, 404);

    // The same through the pages: the selector, the hidden field, CSRF.
    let (_, user) = pro(&app, CLAIRE);
    let mut nav = Navigateur::avec_session(&app, user);
    let page = format!("{COACH}/pro/horaires?membre={julie}");
    let r = nav.get(&page);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Julie Roux"), "{}", r.text());
    assert!(r
        .text()
        .contains(&format!("name=\"membre\" value=\"{julie}\"")));
    let r = nav.soumettre(
        &page,
        &format!("{COACH}/pro/horaires"),
        &[("membre", &julie.to_string()), ("lundi", "07:00-08:00")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        r.header("location"),
        Some(format!("/pro/horaires?membre={julie}&ok=1").as_str()),
        "back to Julie's hours"
    );
    assert_eq!(heures_de(julie), 1);
    assert_eq!(heures_de(premier), avant);
    let r = nav.soumettre(
        &page,
        &format!("{COACH}/pro/horaires"),
        &[("membre", &sien.to_string()), ("lundi", "07:00-08:00")],
    );
    assert_eq!(r.status, 404);
    assert_eq!(heures_de(sien), sien_avant);
    let r = nav.post(
        &format!("{COACH}/pro/horaires"),
        &[("membre", &julie.to_string()), ("lundi", "06:00-07:00")],
    );
    assert_eq!(r.status, 403, "no CSRF token");
    assert_eq!(
        nav.get(&format!("{COACH}/pro/horaires?membre={sien}"))
            .status,
        404
    );
}

#[test]
fn a_booking_goes_to_another_member_only_if_that_member_is_free() {
    let app = TestApp::spawn().with_demo_data();
    let claire = Pro::de(&app, CLAIRE);
    let autre = Pro::de(&app, AUTRE);
    let premier = claire.premier();
    let julie = claire.ajouter("Julie Roux", "personne");
    let salle = claire.ajouter("Salle 1", "ressource");
    let debut = first_slot(&app);
    let r = app.post_json(RESERVER, &coach_body(&debut));
    assert_eq!(r.status, 201, "{}", r.text());
    let rid = json(&r)["id"].as_str().unwrap().to_owned();
    let granules = |m: i64| {
        app.db.scalar(&format!(
            "SELECT count(*) FROM occupations WHERE seance = '{rid}' AND membre_id = {m}"
        ))
    };
    let n = granules(premier);
    assert!(n > 0);
    let reassigner = |membre: Value| {
        claire.post(
            &format!("/api/v1/pro/reservations/{rid}/reassigner"),
            &j!({ "membre": membre }),
        )
    };
    // Julie does not perform it yet; a resource never takes a booking; another
    // establishment's member is not found; none named is a field to fill.
    let r = reassigner(j!(julie));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "membre_non_habilite");
    claire.equipe_partout(&[premier, julie]);
    let r = reassigner(j!(salle));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "membre_indisponible");
    let r = reassigner(j!(autre.premier()));
    assert_eq!(r.status, 404, "{}", r.text());
    let r = reassigner(Value::Null);
    assert_eq!(r.status, 422, "{}", r.text());
    // Julie busy at that time (one of her granules claimed): 409, the booking keeps
    // Claire and every claim.
    let tranche = app.db.scalar(&format!(
        "SELECT min(tranche) FROM occupations WHERE seance = '{rid}'"
    ));
    app.db.execute_script(&format!(
        "INSERT INTO occupations (membre_id, tranche, seance) VALUES ({julie}, {tranche}, 'autre-seance')"
    ));
    let r = reassigner(j!(julie));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "membre_occupe");
    assert_eq!(granules(premier), n);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT membre_id FROM reservations WHERE id = '{rid}'"
        )),
        premier
    );
    // Free again: the booking and all its claims change hands in one batch.
    app.db
        .execute_script("DELETE FROM occupations WHERE seance = 'autre-seance'");
    let r = reassigner(j!(julie));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["membre_id"], julie);
    assert_eq!(granules(julie), n);
    assert_eq!(granules(premier), 0);
    // Claire is free at that time again: her slot is offered anew.
    assert!(app
        .creneaux("coach.localhost", CLAIRE, 1012, "2026-11-26", "2026-12-02")
        .iter()
        .any(|c| c.0 == debut));

    // The agenda per member, and for the whole establishment, names who is assigned.
    let jour = &debut[..10];
    let agenda = |filtre: &str| claire.get(&format!("/api/v1/pro/agenda?du={jour}{filtre}"));
    let ids = |r: &booking_functions::http::Response| -> Vec<String> {
        json(r)["reservations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let r = agenda(&format!("&membre={julie}"));
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(ids(&r).contains(&rid));
    let ligne = json(&r)["reservations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["id"] == rid.as_str())
        .cloned()
        .unwrap();
    assert_eq!(ligne["membre"]["nom"], "Julie Roux");
    assert!(!ids(&agenda(&format!("&membre={premier}"))).contains(&rid));
    assert!(ids(&agenda("")).contains(&rid));
    assert_eq!(agenda(&format!("&membre={}", autre.premier())).status, 404);

    // The pages: the filter, the member shown, the form to give it to someone else.
    let (_, user) = pro(&app, CLAIRE);
    let mut nav = Navigateur::avec_session(&app, user);
    let page = format!("{COACH}/pro/agenda?jour={jour}&membre={julie}");
    let r = nav.get(&page);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("avec Julie Roux"), "{}", r.text());
    assert!(r
        .text()
        .contains(&format!("/pro/reservations/{rid}/reassigner")));
    assert_eq!(
        nav.get(&format!("{COACH}/pro/agenda?membre={}", autre.premier()))
            .status,
        404
    );
    let r = nav.soumettre(
        &page,
        &format!("{COACH}/pro/reservations/{rid}/reassigner"),
        &[("membre", &premier.to_string())],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(granules(premier), n);
    let r = nav.post(
        &format!("{COACH}/pro/reservations/{rid}/reassigner"),
        &[("membre", &julie.to_string())],
    );
    assert_eq!(r.status, 403, "no CSRF token");
    assert_eq!(granules(premier), n);

    // Another establishment cannot move Claire's booking.
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/pro/reservations/{rid}/reassigner"),
        &autre.jeton,
        Some(&j!({ "membre": autre.premier() })),
    );
    assert_eq!(r.status, 404);
}

#[test]
fn a_confirmed_booking_given_to_another_member_tells_its_client_who_now_and_a_request_does_not() {
    let app = TestApp::spawn().with_demo_data();
    let claire = Pro::de(&app, CLAIRE);
    let premier = claire.premier();
    let julie = claire.ajouter("Julie Roux", "personne");
    claire.equipe_partout(&[premier, julie]);
    let creneaux = app.creneaux("coach.localhost", CLAIRE, 1012, "2026-11-26", "2026-12-02");
    let reserver = |debut: &str, email: &str| {
        let mut corps = coach_body(debut);
        corps["email"] = j!(email);
        let r = app.post_json(RESERVER, &corps);
        assert_eq!(r.status, 201, "{}", r.text());
        json(&r)["id"].as_str().unwrap().to_owned()
    };
    let confirmee = reserver(&creneaux[3].0, "lea.confirmee@exemple.fr");
    app.confirm_from_email(&confirmee);
    let demande = reserver(&creneaux[8].0, "lea.demande@exemple.fr");
    app.run_cron();
    let avant = crate::notifications::sent(&app).len();
    for rid in [&confirmee, &demande] {
        let r = claire.post(
            &format!("/api/v1/pro/reservations/{rid}/reassigner"),
            &j!({ "membre": julie }),
        );
        assert_eq!(r.status, 200, "{}", r.text());
    }
    app.run_cron();
    let mails = crate::notifications::sent(&app);
    let nouveaux = &mails[avant..];
    assert_eq!(nouveaux.len(), 1, "the confirmed booking's client only");
    let mail = &nouveaux[0];
    assert_eq!(mail.to(), "lea.confirmee@exemple.fr");
    assert!(
        mail.subject().contains("change d'interlocuteur"),
        "{}",
        mail.subject()
    );
    let texte = mail.body["text"].as_str().unwrap();
    assert!(texte.contains("sera assuré par Julie Roux."), "{texte}");
    // The coach vertical calls its professionals and their people alike: « Avec ».
    assert!(texte.contains("- Avec : Julie Roux"), "{texte}");
    assert!(texte.contains("/reservations/"), "the manage link: {texte}");
    // The calendar event is the booking's, in a new version.
    let ics = mail.ics().expect("the event");
    assert_eq!(ics.get("METHOD"), Some("REQUEST"));
    assert_eq!(ics.get("SEQUENCE"), Some("1"));
    // Nothing queued for the request: its confirmation e-mail names Julie when it goes.
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM outbox WHERE reservation_id = '{demande}' AND cle LIKE 'membre:%'"
        )),
        0
    );
}

/// A confirmed booking with Claire, of a team of Claire and Julie, and its client's
/// address.
fn confirmee_en_equipe<'a>(app: &'a TestApp, email: &str) -> (Pro<'a>, i64, i64, String) {
    let claire = Pro::de(app, CLAIRE);
    let premier = claire.premier();
    let julie = claire.ajouter("Julie Roux", "personne");
    claire.equipe_partout(&[premier, julie]);
    let creneaux = app.creneaux("coach.localhost", CLAIRE, 1012, "2026-11-26", "2026-12-02");
    let mut corps = coach_body(&creneaux[3].0);
    corps["email"] = j!(email);
    let r = app.post_json(RESERVER, &corps);
    assert_eq!(r.status, 201, "{}", r.text());
    let rid = json(&r)["id"].as_str().unwrap().to_owned();
    app.confirm_from_email(&rid);
    app.run_cron();
    (claire, premier, julie, rid)
}

#[test]
fn a_booking_given_back_before_the_e_mail_leaves_tells_its_client_once_and_a_cancelled_one_not_at_all(
) {
    let app = TestApp::spawn().with_demo_data();
    let (claire, premier, julie, rid) = confirmee_en_equipe(&app, "lea.va.et.vient@exemple.fr");
    let avant = crate::notifications::sent(&app).len();
    let reassigner = |membre: i64| {
        let r = claire.post(
            &format!("/api/v1/pro/reservations/{rid}/reassigner"),
            &j!({ "membre": membre }),
        );
        assert_eq!(r.status, 200, "{}", r.text());
    };
    // To Julie and back to Claire within the same second: two rows, one e-mail.
    reassigner(julie);
    reassigner(premier);
    app.run_cron();
    let mails = crate::notifications::sent(&app);
    assert_eq!(mails.len() - avant, 1, "once");
    let texte = mails.last().unwrap().body["text"].as_str().unwrap();
    assert!(
        texte.contains("sera assuré par Claire Fontaine."),
        "{texte}"
    );
    assert!(!texte.contains("Julie"), "{texte}");

    // Given to Julie, then cancelled before the e-mail left: only the cancellation goes.
    reassigner(julie);
    let r = claire.post(
        &format!("/api/v1/pro/reservations/{rid}/annuler"),
        &j!({ "motif": "Fermeture exceptionnelle" }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let avant = crate::notifications::sent(&app).len();
    app.run_cron();
    let mails = crate::notifications::sent(&app);
    let sujets: Vec<&str> = mails[avant..].iter().map(|m| m.subject()).collect();
    assert!(
        sujets.iter().all(|s| !s.contains("interlocuteur")),
        "{sujets:?}"
    );
    assert!(sujets.iter().any(|s| s.contains("annulé")), "{sujets:?}");
}

#[test]
fn an_inactive_colleague_does_not_make_a_professional_alone_named_on_their_bookings() {
    let app = TestApp::spawn().with_demo_data();
    let claire = Pro::de(&app, CLAIRE);
    let julie = claire.ajouter("Julie Roux", "personne");
    let r = claire.post(&format!("/api/v1/pro/membres/{julie}/desactiver"), &j!({}));
    assert_eq!(r.status, 200, "{}", r.text());
    let r = app.post_json(RESERVER, &coach_body(&first_slot(&app)));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(json(&r)["membre_nom"], Value::Null, "{}", r.text());
}

#[test]
fn the_calendar_feed_reads_one_member_of_its_own_establishment_only() {
    let app = TestApp::spawn().with_demo_data();
    let claire = Pro::de(&app, CLAIRE);
    let autre = Pro::de(&app, AUTRE);
    let premier = claire.premier();
    let julie = claire.ajouter("Julie Roux", "personne");
    claire.equipe_partout(&[premier, julie]);
    let debut = first_slot(&app);
    let r = app.post_json(RESERVER, &coach_body(&debut));
    let rid = json(&r)["id"].as_str().unwrap().to_owned();
    let r = claire.post("/api/v1/pro/calendrier", &j!({}));
    assert_eq!(r.status, 201, "{}", r.text());
    let url = json(&r)["url"].as_str().unwrap().to_owned();
    let lire = |suffixe: &str| app.get(&format!("{url}{suffixe}"));
    assert!(lire("").text().contains(&rid));
    assert!(lire(&format!("?membre={premier}")).text().contains(&rid));
    let r = lire(&format!("?membre={julie}"));
    assert_eq!(r.status, 200);
    assert!(!r.text().contains(&rid));
    // Another establishment's member through this secret: not found, nothing read.
    for membre in [autre.premier().to_string(), "abc".into(), String::new()] {
        let r = lire(&format!("?membre={membre}"));
        if membre.is_empty() {
            assert_eq!(r.status, 200);
        } else {
            assert_eq!(r.status, 404, "{membre}");
        }
    }
    // The page shows each member's own address, with a new secret.
    let (_, user) = pro(&app, CLAIRE);
    let mut nav = Navigateur::avec_session(&app, user);
    let page = format!("{COACH}/pro/calendrier");
    let r = nav.soumettre(&page, &page, &[]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.text().contains(&format!(".ics?membre={julie}")),
        "{}",
        r.text()
    );
}

#[test]
fn the_team_page_adds_and_refuses_with_reasons_behind_csrf() {
    let app = TestApp::spawn().with_demo_data();
    let claire = Pro::de(&app, CLAIRE);
    let (_, user) = pro(&app, CLAIRE);
    let mut nav = Navigateur::avec_session(&app, user);
    let page = format!("{COACH}/pro/membres");
    let r = nav.get(&page);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Ajouter un membre"));
    let r = nav.soumettre(&page, &page, &[("nom", ""), ("genre", "personne")]);
    assert_eq!(r.status, 422);
    assert!(r.text().contains("id=\"nom-erreur\""), "{}", r.text());
    let r = nav.soumettre(&page, &page, &[("nom", "Pont 1"), ("genre", "ressource")]);
    assert_eq!(r.status, 303, "{}", r.text());
    let pont = app.db.scalar(&format!(
        "SELECT id FROM membres WHERE professionnel_id = {} AND nom = 'Pont 1' AND genre = 'ressource'",
        claire.id
    ));
    let r = nav.post(&page, &[("nom", "Sans jeton")]);
    assert_eq!(r.status, 403);
    // The only person cannot be deactivated: the reason is on the page.
    claire.sans_rendez_vous();
    let premier = claire.premier();
    let r = nav.soumettre(
        &page,
        &format!("{COACH}/pro/membres/{premier}/desactiver"),
        &[],
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert!(
        r.text().contains("dernière personne active"),
        "{}",
        r.text()
    );
    // The services page: who performs it; a resource alone is refused next to the form.
    let sid = claire.services()[0];
    let services = format!("{COACH}/pro/services");
    let r = nav.soumettre(
        &services,
        &format!("{COACH}/pro/services/{sid}/membres"),
        &[("membres", &pont.to_string()), ("places", "1")],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("au moins une personne"), "{}", r.text());
    let r = nav.soumettre(
        &services,
        &format!("{COACH}/pro/services/{sid}/membres"),
        &[
            ("membres", &premier.to_string()),
            ("membres", &pont.to_string()),
            ("places", "4"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM services_membres WHERE service_id = {sid}"
        )),
        2
    );
    let r = nav.get(&services);
    assert!(r.text().contains(&format!("value=\"{pont}\" checked")));
}

#[test]
fn a_seat_given_to_another_coach_takes_the_whole_group_session_with_it_or_nothing() {
    let app = TestApp::spawn().with_demo_data();
    let studio = Pro::de(&app, "studio-elan-collectif");
    let nadia = studio.premier();
    let marc = studio.ajouter("Marc Petit", "personne");
    let r = studio.post(
        "/api/v1/pro/services/1079/membres",
        &j!({ "membres": [nadia, marc], "places": 8 }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    // Marc works the studio's week too.
    let semaine = j!({
        "membre": marc, "lundi": "08:00-19:00", "mardi": "08:00-19:00",
        "mercredi": "08:00-19:00", "jeudi": "08:00-19:00", "vendredi": "08:00-19:00",
        "samedi": "08:00-19:00"
    });
    let r = studio.post("/api/v1/pro/horaires", &semaine);
    assert_eq!(r.status, 200, "{}", r.text());
    let api = "http://coach.localhost/api/v1/professionnels/studio-elan-collectif/creneaux";
    let places = |membre: i64, debut: &str| -> Option<i64> {
        let creneaux = format!("{api}?service=1079&du=2026-11-27&au=2026-12-02&membre={membre}");
        crate::membres::places_a(&app, &creneaux, debut)
    };
    let r = app.get(&format!(
        "{api}?service=1079&du=2026-11-27&au=2026-12-02&membre={nadia}"
    ));
    let debut = json(&r)["creneaux"][0]["debut"]
        .as_str()
        .unwrap()
        .to_owned();
    let reserver = |n: usize| {
        let corps = j!({
            "professionnel": "studio-elan-collectif", "service": 1079, "membre": nadia,
            "debut": debut, "nom": "Client sportif", "email": format!("groupe.{n}@exemple.fr"),
            "telephone": "06 12 34 56 78",
            "reponses": { "objectif": "Reprendre le sport", "format": "presentiel" }
        });
        let r = app.post_json_from(RESERVER, &corps, &format!("192.0.2.{}", n + 1));
        assert_eq!(r.status, 201, "{}", r.text());
        json(&r)["id"].as_str().unwrap().to_owned()
    };
    let seances: Vec<String> = (0..3).map(reserver).collect();
    app.confirm_from_email(&seances[0]);
    app.run_cron();
    let avant = crate::notifications::sent(&app).len();
    assert_eq!(places(nadia, &debut), Some(5));
    let ts = app.db.scalar(&format!(
        "SELECT date_heure FROM reservations WHERE id = '{}'",
        seances[0]
    ));
    let (cle_nadia, cle_marc) = (
        format!("g:1079:{nadia}:{ts}"),
        format!("g:1079:{marc}:{ts}"),
    );
    let compte = |sql: &str| app.db.scalar(sql);
    let granules = compte(&format!(
        "SELECT count(*) FROM occupations WHERE seance = '{cle_nadia}' AND membre_id = {nadia}"
    ));
    assert!(granules > 0);
    let reassigner = |rid: &str| {
        studio.post(
            &format!("/api/v1/pro/reservations/{rid}/reassigner"),
            &j!({ "membre": marc }),
        )
    };

    // Marc busy for part of that hour: 409, the session stays Nadia's, whole.
    let tranche = compte(&format!(
        "SELECT max(tranche) FROM occupations WHERE seance = '{cle_nadia}'"
    ));
    app.db.execute_script(&format!(
        "INSERT INTO occupations (membre_id, tranche, seance) VALUES ({marc}, {tranche}, 'ailleurs')"
    ));
    let r = reassigner(&seances[1]);
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "membre_occupe");
    let de = |membre: i64| {
        compte(&format!(
            "SELECT count(*) FROM reservations WHERE membre_id = {membre} AND service_id = 1079 \
             AND date_heure = {ts}"
        ))
    };
    assert_eq!((de(nadia), de(marc)), (3, 0));
    assert_eq!(
        compte(&format!(
            "SELECT count(*) FROM places_reservees WHERE seance = '{cle_nadia}'"
        )),
        3
    );

    // Free: one seat given to Marc takes the session — every seat, its numbers, its claims.
    app.db
        .execute_script("DELETE FROM occupations WHERE seance = 'ailleurs'");
    let r = reassigner(&seances[1]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!((de(nadia), de(marc)), (0, 3));
    assert_eq!(
        compte(&format!(
            "SELECT count(*) FROM reservations WHERE seance = '{cle_marc}'"
        )),
        3
    );
    assert_eq!(
        compte(&format!(
            "SELECT count(*) FROM places_reservees WHERE seance = '{cle_marc}'"
        )),
        3
    );
    assert_eq!(
        compte(&format!(
            "SELECT count(*) FROM occupations WHERE seance = '{cle_marc}' AND membre_id = {marc}"
        )),
        granules
    );
    assert_eq!(
        compte(&format!(
            "SELECT count(*) FROM occupations WHERE seance = '{cle_nadia}' OR membre_id = {nadia} \
             AND tranche BETWEEN {ts} AND {ts} + 3600"
        )),
        0,
        "Nadia free at that time"
    );
    assert_eq!(places(marc, &debut), Some(5));
    assert_eq!(
        places(nadia, &debut),
        Some(8),
        "Nadia may start a session anew"
    );

    // The confirmed client is told; the two requests will be in their confirmation.
    app.run_cron();
    let mails = crate::notifications::sent(&app);
    assert_eq!(mails.len() - avant, 1);
    let texte = mails.last().unwrap().body["text"].as_str().unwrap();
    assert!(texte.contains("sera assuré par Marc Petit."), "{texte}");

    // The session goes on under Marc: a new seat joins it, a cancellation frees one.
    let corps = j!({
        "professionnel": "studio-elan-collectif", "service": 1079, "membre": marc,
        "debut": debut, "nom": "Client sportif", "email": "groupe.9@exemple.fr",
        "telephone": "06 12 34 56 78",
        "reponses": { "objectif": "Reprendre le sport", "format": "presentiel" }
    });
    let r = app.post_json_from(RESERVER, &corps, "192.0.2.99");
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(places(marc, &debut), Some(4));
    app.db.execute_script(&format!(
        "UPDATE reservations SET statut = 'annulee', annulee_par = 'systeme' WHERE id = '{}'",
        seances[2]
    ));
    assert_eq!(places(marc, &debut), Some(5));
}
