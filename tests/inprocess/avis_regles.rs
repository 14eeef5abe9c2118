//! Who may review, and the French rules for online reviews: each refusal of the review
//! form and of its POST, the review request that never goes out for a booking that takes
//! no review, the professional's report, the admin's decision, the author told why, the
//! average without removed reviews, the `/avis-clients` page, and a vertical without
//! reviews (avocat) that shows no star anywhere.

use booking_functions::http::{Method, Response};
use booking_shared::store::Db;
use booking_tests::{json, TestApp};
use chrono::Duration;
use serde_json::{json as j, Value};

use crate::api_reservations::{coach_body, RESERVER};
use crate::avis::{completed, marquer, ouvrir, post_form};
use crate::comptes::{admin, avec_bearer, client, jeton, pro, Navigateur, COACH};
use crate::notifications::{book_on, instant, sent, slot_on};

/// A single text from SQL, for assertions.
fn texte(app: &TestApp, sql: &str) -> String {
    let lignes =
        futures::executor::block_on(app.db.query(booking_shared::store::Statement::new(sql)))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let valeur = lignes.first().and_then(|l| l.values().next().cloned());
    match valeur {
        Some(Value::String(s)) => s,
        Some(autre) => autre.to_string(),
        None => panic!("{sql}: no row"),
    }
}

fn id(b: &Value) -> &str {
    b["id"].as_str().unwrap()
}

/// The review page of a booking and what a POST of a 5 answers, both through the link.
fn page_et_envoi(app: &TestApp, b: &Value) -> (Response, Response) {
    let (page, gestion) = ouvrir(app, b, b["token"].as_str().unwrap());
    let envoi = post_form(
        app,
        b,
        &format!("csrf=0; {gestion}"),
        &[("csrf", "0"), ("note", "5"), ("commentaire", "Parfait")],
    );
    (page, envoi)
}

/// A page's text with apostrophes unescaped, as a reader sees them.
fn lu(r: &Response) -> String {
    r.text().replace("&#x27;", "'").replace("&#39;", "'")
}

/// Both show the refusal's French message, the page has no form, and no review exists.
fn refuse(app: &TestApp, b: &Value, message: &str, status: u16) {
    let (page, envoi) = page_et_envoi(app, b);
    assert_eq!(page.status, 200, "{}", page.text());
    assert!(lu(&page).contains(message), "{}", page.text());
    assert!(!page
        .text()
        .contains("<form method=\"post\" action=\"/avis/"));
    assert_eq!(envoi.status, status, "{}", envoi.text());
    assert!(lu(&envoi).contains(message), "{}", envoi.text());
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM avis WHERE reservation_id = '{}'",
            id(b)
        )),
        0
    );
}

fn demande_avis(app: &TestApp, b: &Value) -> String {
    texte(
        app,
        &format!("SELECT statut FROM outbox WHERE cle = 'avis:{}'", id(b)),
    )
}

/// Runs the scheduled job well after the review request's time.
fn plus_tard(app: &TestApp, b: &Value, heures: i64) {
    app.clock.set(instant(b, "fin") + Duration::hours(heures));
    app.run_cron();
}

fn aucune_demande_envoyee(app: &TestApp) {
    assert!(
        !sent(app).iter().any(|m| m.body["subject"]
            .as_str()
            .unwrap_or("")
            .starts_with("Votre avis sur")),
        "no review request e-mail"
    );
}

#[test]
fn a_booking_the_scheduled_job_closed_unpaid_takes_no_review_until_its_professional_marks_it_done()
{
    let app = TestApp::spawn().with_demo_data();
    let b = book_on(&app, "2026-11-30");
    plus_tard(&app, &b, 0);
    assert_eq!(
        texte(
            &app,
            &format!(
                "SELECT terminee_par FROM reservations WHERE id = '{}'",
                id(&b)
            )
        ),
        "systeme"
    );
    refuse(&app, &b, "n'a pas été confirmé comme effectué", 409);
    // The review request waits for the professional's word: not sent.
    plus_tard(&app, &b, 5);
    assert_eq!(demande_avis(&app, &b), "a_envoyer");
    aucune_demande_envoyee(&app);
    // The professional's agenda still offers to say whether it took place…
    let (_, claire) = pro(&app, "claire-fontaine");
    let agenda = Navigateur::avec_session(&app, claire)
        .get(&format!("{COACH}/pro/agenda?jour=2026-11-30&vue=jour"))
        .text();
    assert!(
        agenda.contains(&format!("/pro/reservations/{}/terminer", id(&b))),
        "{agenda}"
    );
    // … and once it says so, the request goes out and the form opens.
    marquer(&app, &b, "terminer");
    plus_tard(&app, &b, 18);
    assert_eq!(demande_avis(&app, &b), "envoye");
    let (page, envoi) = page_et_envoi(&app, &b);
    assert!(page.text().contains("Publier mon avis"), "{}", page.text());
    // (the POST without a valid CSRF token is refused for that reason only)
    assert_eq!(envoi.status, 403);
}

/// Records a paid payment for the booking, as Stripe's webhook does.
fn payee(app: &TestApp, b: &Value) {
    app.db.execute_script(&format!(
        "INSERT INTO paiements (reservation_id, montant, type, statut, created_at, updated_at) \
         VALUES ('{}', 5000, 'total', 'paye', 0, 0);",
        id(b)
    ));
}

#[test]
fn a_paid_booking_the_scheduled_job_closed_takes_a_review() {
    let app = TestApp::spawn().with_demo_data();
    let b = book_on(&app, "2026-11-30");
    payee(&app, &b);
    plus_tard(&app, &b, 4);
    assert_eq!(demande_avis(&app, &b), "envoye");
    let (page, _) = page_et_envoi(&app, &b);
    assert!(page.text().contains("Publier mon avis"), "{}", page.text());
    // Past the 48 hours after its end, the professional can no longer turn it into a
    // no-show to take its review away.
    app.clock.set(instant(&b, "fin") + Duration::hours(49));
    let (_, user) = pro(&app, "claire-fontaine");
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/pro/reservations/{}/absent", id(&b)),
        &jeton(&app, user),
        None,
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "absence_hors_delai");
    let (page, _) = page_et_envoi(&app, &b);
    assert!(page.text().contains("Publier mon avis"), "{}", page.text());
}

#[test]
fn a_paid_booking_the_scheduled_job_closed_takes_a_no_show_within_48_hours_of_its_end() {
    let app = TestApp::spawn().with_demo_data();
    let b = book_on(&app, "2026-11-30");
    payee(&app, &b);
    plus_tard(&app, &b, 47);
    marquer(&app, &b, "absent");
    refuse(&app, &b, "n'a pas eu lieu", 409);
}

#[test]
fn a_no_show_takes_no_review_and_its_review_request_is_dropped() {
    let app = TestApp::spawn().with_demo_data();
    // Marked absent during the appointment…
    let b = book_on(&app, "2026-11-30");
    app.clock.set(instant(&b, "debut") + Duration::minutes(10));
    marquer(&app, &b, "absent");
    plus_tard(&app, &b, 4);
    refuse(&app, &b, "n'a pas eu lieu", 409);
    assert_eq!(demande_avis(&app, &b), "annule");
    // … or after the scheduled job closed it.
    let c = book_on(&app, "2026-12-01");
    plus_tard(&app, &c, 0);
    marquer(&app, &c, "absent");
    refuse(&app, &c, "n'a pas eu lieu", 409);
    plus_tard(&app, &c, 4);
    assert_eq!(demande_avis(&app, &c), "annule");
    aucune_demande_envoyee(&app);
}

#[test]
fn a_professional_cannot_review_a_booking_made_with_their_own_address() {
    let app = TestApp::spawn().with_demo_data();
    let (_, user) = pro(&app, "claire-fontaine");
    let email = texte(
        &app,
        // The same mailbox written otherwise: case and a `+tag`.
        &format!("SELECT upper(replace(email, '@', '+avis@')) FROM users WHERE id = {user}"),
    );
    let mut corps = coach_body(&slot_on(&app, "2026-11-30"));
    corps["email"] = j!(email);
    let r = app.post_json(RESERVER, &corps);
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    app.confirm_from_email(id(&b));
    plus_tard(&app, &b, 0);
    marquer(&app, &b, "terminer");
    refuse(
        &app,
        &b,
        "ne peut pas donner d'avis sur ses propres rendez-vous",
        403,
    );
    plus_tard(&app, &b, 4);
    assert_eq!(demande_avis(&app, &b), "annule");
}

#[test]
fn a_review_past_the_verticals_limit_is_refused() {
    let app = TestApp::spawn().with_demo_data();
    let b = completed(&app);
    app.clock.set(instant(&b, "fin") + Duration::days(29));
    assert!(page_et_envoi(&app, &b)
        .0
        .text()
        .contains("Publier mon avis"));
    app.clock.set(instant(&b, "fin") + Duration::days(31));
    refuse(
        &app,
        &b,
        "dans les 30 jours qui suivent le rendez-vous",
        409,
    );
}

#[test]
fn a_booking_reviewed_once_takes_no_second_review() {
    let app = TestApp::spawn().with_demo_data();
    let b = completed(&app);
    app.db.execute_script(&format!(
        "INSERT INTO avis (reservation_id, professionnel_id, note, auteur, created_at) \
         SELECT id, professionnel_id, 4, 'Léa M.', 0 FROM reservations WHERE id = '{}';",
        id(&b)
    ));
    let (page, envoi) = page_et_envoi(&app, &b);
    assert!(page.text().contains("déjà donné votre avis"));
    assert_eq!(envoi.status, 409);
}

/// A review given through the form, as its client does; returns its id.
fn avis_donne(app: &TestApp, b: &Value, note: &str) -> i64 {
    let (form, gestion) = ouvrir(app, b, b["token"].as_str().unwrap());
    let html = form.text();
    let debut = html.find("name=\"csrf\" value=\"").unwrap() + 19;
    let champ = html[debut..].split('"').next().unwrap().to_owned();
    let cookie = form
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .unwrap()
        .to_owned();
    let r = post_form(
        app,
        b,
        &format!("{cookie}; {gestion}"),
        &[
            ("csrf", &champ),
            ("note", note),
            ("commentaire", "Nul, à éviter"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    app.db.scalar(&format!(
        "SELECT id FROM avis WHERE reservation_id = '{}'",
        id(b)
    ))
}

fn api(app: &TestApp, user: i64, chemin: &str, corps: Option<&Value>) -> Response {
    let method = if corps.is_some() {
        Method::Post
    } else {
        Method::Get
    };
    avec_bearer(
        app,
        method,
        &format!("{COACH}{chemin}"),
        &jeton(app, user),
        corps,
    )
}

const CLAIRE: &str = "(SELECT id FROM professionnels WHERE slug = 'claire-fontaine')";

/// The professional's count and average equal those of their reviews not removed.
fn moyenne_juste(app: &TestApp) {
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT nombre_avis = (SELECT count(*) FROM avis WHERE professionnel_id = {CLAIRE} AND statut <> 'retire') \
             AND note_moyenne IS (SELECT round(avg(note), 2) FROM avis WHERE professionnel_id = {CLAIRE} AND statut <> 'retire') \
             FROM professionnels WHERE id = {CLAIRE}"
        )),
        1
    );
}

#[test]
fn a_professional_reports_a_review_the_admin_removes_it_its_author_is_told_why_and_the_average_leaves_it_out(
) {
    let app = TestApp::spawn().with_demo_data();
    let b = completed(&app);
    let avis = avis_donne(&app, &b, "1");
    let avant = texte(
        &app,
        &format!("SELECT note_moyenne FROM professionnels WHERE id = {CLAIRE}"),
    );
    moyenne_juste(&app);
    let (_, claire) = pro(&app, "claire-fontaine");
    let (_, autre) = pro(&app, "julien-morel");
    let signaler = format!("/api/v1/pro/avis/{avis}/signaler");
    let motif = j!({ "motif": "Ce client n'est jamais venu : avis mensonger." });

    // Listed with its date and the appointment's.
    let liste = json(&api(&app, claire, "/api/v1/pro/avis", None));
    let ligne = liste["avis"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == j!(avis))
        .unwrap()
        .clone();
    assert_eq!(ligne["statut"], "publie");
    assert!(ligne["date_experience"]
        .as_str()
        .unwrap()
        .starts_with(&b["debut"].as_str().unwrap()[..10]));

    // Another professional, a client, an empty reason: refused, nothing changes.
    assert_eq!(api(&app, autre, &signaler, Some(&motif)).status, 404);
    let quelquun = client(&app, "quelquun@exemple.fr");
    assert_eq!(api(&app, quelquun, &signaler, Some(&motif)).status, 403);
    let vide = api(&app, claire, &signaler, Some(&j!({ "motif": "  " })));
    assert_eq!(vide.status, 422);
    assert_eq!(json(&vide)["code"], "motif_invalide");
    assert_eq!(
        texte(&app, &format!("SELECT statut FROM avis WHERE id = {avis}")),
        "publie"
    );
    // Reported once; twice is refused. It stays shown, marked, until the decision.
    let r = api(&app, claire, &signaler, Some(&motif));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["statut"], "signale");
    let encore = api(&app, claire, &signaler, Some(&motif));
    assert_eq!(encore.status, 409);
    assert_eq!(json(&encore)["code"], "avis_deja_signale");
    let profil = app
        .get(&format!("{COACH}/professionnels/claire-fontaine"))
        .text();
    assert!(profil.contains("Avis signalé, en cours d'examen"));

    // The admin sees it, and removes it with a reason.
    let admin = admin(&app);
    let file = json(&api(&app, admin, "/api/v1/admin/avis", None));
    assert_eq!(file["avis"][0]["id"], j!(avis));
    assert_eq!(
        file["avis"][0]["motif_signalement"],
        "Ce client n'est jamais venu : avis mensonger."
    );
    assert_eq!(api(&app, claire, "/api/v1/admin/avis", None).status, 403);
    let retirer = format!("/api/v1/admin/avis/{avis}/retirer");
    let raison = j!({ "motif": "Le rendez-vous n'a pas eu lieu comme décrit." });
    assert_eq!(
        api(
            &app,
            admin,
            &format!("/api/v1/admin/avis/{avis}/effacer"),
            Some(&raison)
        )
        .status,
        404
    );
    assert_eq!(
        api(&app, admin, &retirer, Some(&j!({ "motif": "" }))).status,
        422
    );
    let r = api(&app, admin, &retirer, Some(&raison));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["statut"], "retire");
    // Twice: refused, no second e-mail.
    let deux = api(&app, admin, &retirer, Some(&raison));
    assert_eq!(deux.status, 409);
    assert_eq!(json(&deux)["code"], "avis_sans_signalement");
    assert_eq!(
        api(
            &app,
            admin,
            &format!("/api/v1/admin/avis/{avis}/maintenir"),
            Some(&raison)
        )
        .status,
        409
    );
    // Gone from the profile and the average, which is recomputed without it.
    moyenne_juste(&app);
    assert_ne!(
        texte(
            &app,
            &format!("SELECT note_moyenne FROM professionnels WHERE id = {CLAIRE}")
        ),
        avant
    );
    let profil = app
        .get(&format!("{COACH}/professionnels/claire-fontaine"))
        .text();
    assert!(!profil.contains("Nul, à éviter"));
    // A removed review cannot be reported again.
    assert_eq!(api(&app, claire, &signaler, Some(&motif)).status, 409);

    // Its author is told why, in French, at the booking's address.
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM outbox WHERE kind = 'avis_retire' AND destinataire = 'lea.martin@exemple.fr' AND reservation_id = '{}'",
            id(&b)
        )),
        1
    );
    app.run_cron();
    let mails = sent(&app);
    let mail = mails
        .iter()
        .find(|m| m.body["subject"].as_str().unwrap().contains("a été retiré"))
        .expect("the author's e-mail");
    assert_eq!(mail.to(), "lea.martin@exemple.fr");
    assert!(mail.body["text"]
        .as_str()
        .unwrap()
        .contains("Le rendez-vous n'a pas eu lieu comme décrit."));
}

#[test]
fn the_admin_keeps_a_reported_review_which_then_cannot_be_reported_again() {
    let app = TestApp::spawn().with_demo_data();
    let b = completed(&app);
    let avis = avis_donne(&app, &b, "2");
    let (_, claire) = pro(&app, "claire-fontaine");
    let admin = admin(&app);
    let motif = j!({ "motif": "Avis injuste." });
    let signaler = format!("/api/v1/pro/avis/{avis}/signaler");
    // Nothing to decide before a report.
    let maintenir = format!("/api/v1/admin/avis/{avis}/maintenir");
    assert_eq!(api(&app, admin, &maintenir, Some(&motif)).status, 409);
    assert_eq!(api(&app, claire, &signaler, Some(&motif)).status, 200);
    let r = api(
        &app,
        admin,
        &maintenir,
        Some(&j!({ "motif": "Avis d'un client réel, sans propos interdit." })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["statut"], "publie");
    assert_eq!(api(&app, claire, &signaler, Some(&motif)).status, 409);
    moyenne_juste(&app);
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM outbox WHERE kind = 'avis_retire'"),
        0
    );
}

#[test]
fn reporting_and_deciding_from_the_pages_go_through_csrf_and_show_errors_next_to_the_reason() {
    let app = TestApp::spawn().with_demo_data();
    let b = completed(&app);
    let avis = avis_donne(&app, &b, "1");
    let (_, claire) = pro(&app, "claire-fontaine");
    let mut nav = Navigateur::avec_session(&app, claire);
    let page = format!("{COACH}/pro/avis");
    let html = nav.get(&page).text();
    assert!(html.contains("Nul, à éviter") && html.contains("pour un rendez-vous du"));
    let action = format!("{COACH}/pro/avis/{avis}/signaler");
    let forge = nav.post(&action, &[("csrf", "faux"), ("motif", "x")]);
    assert_eq!(forge.status, 403);
    let vide = nav.soumettre(&page, &action, &[("motif", " ")]);
    assert_eq!(vide.status, 422);
    assert!(vide.text().contains("Indiquez le motif."));
    let r = nav.soumettre(&page, &action, &[("motif", "Propos injurieux.")]);
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        texte(&app, &format!("SELECT statut FROM avis WHERE id = {avis}")),
        "signale"
    );
    let encore = nav.soumettre(&page, &action, &[("motif", "Encore.")]);
    assert_eq!(encore.status, 409);

    let admin = admin(&app);
    let mut nav = Navigateur::avec_session(&app, admin);
    let file = format!("{COACH}/admin/avis");
    assert!(nav.get(&file).text().contains("Propos injurieux."));
    let retirer = format!("{COACH}/admin/avis/{avis}/retirer");
    assert_eq!(
        nav.post(&retirer, &[("csrf", "faux"), ("motif", "x")])
            .status,
        403
    );
    let vide = nav.soumettre(&file, &retirer, &[("motif", "")]);
    assert_eq!(vide.status, 422);
    let r = nav.soumettre(&file, &retirer, &[("motif", "Injurieux.")]);
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        texte(&app, &format!("SELECT statut FROM avis WHERE id = {avis}")),
        "retire"
    );
    assert!(nav
        .get(&file)
        .text()
        .contains("Aucun avis en attente de décision."));
}

#[test]
fn each_review_shows_its_date_and_the_appointments_and_the_reviews_page_explains_the_rules() {
    let app = TestApp::spawn().with_demo_data();
    let profil = app
        .get(&format!("{COACH}/professionnels/claire-fontaine"))
        .text();
    assert!(profil.contains(", avis du "), "{profil}");
    assert!(profil.contains(" pour un rendez-vous du "));
    assert!(
        profil.contains("href=\"/avis-clients\""),
        "next to the reviews"
    );
    assert!(profil.contains("\"aggregateRating\""));
    let page = app.get(&format!("{COACH}/avis-clients"));
    assert_eq!(page.status, 200);
    let html = page.text();
    for phrase in [
        "Seuls les clients dont le rendez-vous a bien eu lieu",
        "lien personnel",
        "ne sont pas contrôlés avant leur publication",
        "du plus récent au plus ancien",
        "aucune contrepartie",
        "Signaler un avis",
        "Durée de conservation",
        "dans les 30 jours",
    ] {
        assert!(html.contains(phrase), "{phrase}");
    }
    assert!(app
        .get(&format!("{COACH}/"))
        .text()
        .contains("<a href=\"/avis-clients\">Avis clients</a>"));
}

#[test]
fn the_avocat_vertical_shows_no_star_note_or_review_anywhere_and_asks_for_none() {
    let app = TestApp::spawn().with_demo_data();
    const AVOCAT: &str = "http://avocat.localhost:8787";
    let slug = texte(
        &app,
        "SELECT slug FROM professionnels WHERE vertical = 'avocat' AND public = 1 \
         AND nombre_avis > 0 ORDER BY id LIMIT 1",
    );
    for chemin in [
        "/".to_owned(),
        "/recherche".to_owned(),
        "/recherche?q=droit".to_owned(),
        format!("/professionnels/{slug}"),
    ] {
        let r = app.get(&format!("{AVOCAT}{chemin}"));
        assert_eq!(r.status, 200, "{chemin}");
        let html = r.text().to_lowercase();
        for marque in ["★", "aggregaterating", "class=\"note\"", "/5", "avis"] {
            assert!(
                !html.contains(marque),
                "{chemin}: {marque} in {}",
                html.find(marque)
                    .map_or("", |i| &html[i.saturating_sub(200)..i + 50])
            );
        }
    }
    // The API says null, the reviews page says they are not collected.
    let liste = json(&app.get(&format!("{AVOCAT}/api/v1/professionnels")));
    for p in liste["professionnels"].as_array().unwrap() {
        assert!(
            p["note_moyenne"].is_null() && p["nombre_avis"].is_null(),
            "{p}"
        );
    }
    let detail = json(&app.get(&format!("{AVOCAT}/api/v1/professionnels/{slug}")));
    assert!(detail["note_moyenne"].is_null());
    let charte = app.get(&format!("{AVOCAT}/avis-clients")).text();
    assert!(charte.contains("Les avis ne sont pas collectés pour ce métier"));
    // No review form for any booking there.
    let resa = texte(&app, &format!(
        "SELECT id FROM reservations WHERE professionnel_id = (SELECT id FROM professionnels WHERE slug = '{slug}') LIMIT 1"
    ));
    assert_eq!(
        app.get(&format!(
            "{AVOCAT}/avis/{resa}?token=0123456789abcdef0123456789abcdef"
        ))
        .status,
        404
    );
    let r = app.post(
        &format!("{AVOCAT}/avis/{resa}"),
        "application/x-www-form-urlencoded",
        "note=5",
    );
    assert_eq!(r.status, 404);
    // A booking there plans no review request.
    let service = app.db.scalar(&format!(
        "SELECT min(id) FROM services WHERE actif = 1 AND professionnel_id = (SELECT id FROM professionnels WHERE slug = '{slug}')"
    ));
    let debut = app.creneaux(
        "avocat.localhost",
        &slug,
        service,
        "2026-12-01",
        "2026-12-10",
    )[0]
    .0
    .clone();
    let r = app.post_json(
        &format!("{AVOCAT}/api/v1/reservations"),
        &j!({
            "professionnel": slug, "service": service, "debut": debut,
            "nom": "Léa Martin", "email": "lea.martin@exemple.fr", "telephone": "06 12 34 56 78",
            "reponses": { "domaine_droit": "famille", "mode": "cabinet", "resume": "Garde d'enfants." }
        }),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM outbox o JOIN reservations r ON r.id = o.reservation_id \
             JOIN professionnels p ON p.id = r.professionnel_id \
             WHERE p.vertical = 'avocat' AND o.kind = 'demande_avis'"
        ),
        0
    );
}
