//! The approval of professionals: a profile is listed only when its owner made it public
//! and an admin approved it; only the admin gives or withdraws approval; what a vertical
//! requires (SIRET, bar) is checked before it can be given.

use booking_functions::http::{Method, Response};
use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

use crate::comptes::{admin, avec_bearer, jeton, Navigateur, COACH, MDP};

const GARAGE: &str = "http://garage.localhost:8787";
const AVOCAT: &str = "http://avocat.localhost:8787";

/// A professional signed up through the API on `site` (not approved, not public yet):
/// (professional id, slug, Bearer token).
fn nouveau_pro(app: &TestApp, site: &str, nom: &str, email: &str) -> (i64, String, String) {
    let r = app.post_json(
        &format!("{site}/api/v1/comptes"),
        &j!({ "role": "pro", "nom": nom, "email": email, "mot_de_passe": MDP,
              "ville": "Lyon", "region": "Auvergne-Rhône-Alpes" }),
    );
    assert!((200..300).contains(&r.status), "{}", r.text());
    let user_id = app
        .db
        .scalar(&format!("SELECT id FROM users WHERE email = '{email}'"));
    let pro_id = app.db.scalar(&format!(
        "SELECT id FROM professionnels WHERE user_id = {user_id}"
    ));
    let token = jeton(app, user_id);
    let profil = avec_bearer(
        app,
        Method::Get,
        &format!("{site}/api/v1/pro/profil"),
        &token,
        None,
    );
    let slug = json(&profil)["slug"].as_str().unwrap().to_owned();
    (pro_id, slug, token)
}

fn approbation(app: &TestApp, pro_id: i64) -> String {
    let rows = futures::executor::block_on(booking_shared::store::Db::query(
        &app.db,
        booking_shared::store::Statement::new(
            "SELECT approbation FROM professionnels WHERE id = ?1",
        )
        .bind(pro_id),
    ))
    .unwrap();
    rows[0]["approbation"].as_str().unwrap().to_owned()
}

/// A decision through the API: `statut`, with `motif` when given.
fn decider(
    app: &TestApp,
    site: &str,
    token: &str,
    pro_id: i64,
    statut: &str,
    motif: Option<&str>,
) -> Response {
    let mut corps = j!({ "statut": statut });
    if let Some(m) = motif {
        corps["motif"] = m.into();
    }
    avec_bearer(
        app,
        Method::Post,
        &format!("{site}/api/v1/admin/professionnels/{pro_id}/approbation"),
        token,
        Some(&corps),
    )
}

/// The account that owns a professional profile.
fn compte(app: &TestApp, pro_id: i64) -> i64 {
    app.db.scalar(&format!(
        "SELECT user_id FROM professionnels WHERE id = {pro_id}"
    ))
}

fn pro_api(
    app: &TestApp,
    token: &str,
    method: Method,
    chemin: &str,
    corps: Option<Value>,
) -> Response {
    avec_bearer(
        app,
        method,
        &format!("{COACH}{chemin}"),
        token,
        corps.as_ref(),
    )
}

/// Where a client could find or book the professional: directory (API and page), search,
/// profile (page and API), sitemap, free slots, booking.
struct Visibilite {
    annuaire_api: bool,
    recherche: bool,
    sitemap: bool,
    profil_page: u16,
    profil_api: u16,
    creneaux: u16,
    reservation: u16,
}

fn visibilite(app: &TestApp, slug: &str, service: i64, debut: &str) -> Visibilite {
    let annuaire = app.get(&format!("{COACH}/api/v1/professionnels?ville=Lyon"));
    let recherche = app.get(&format!("{COACH}/recherche?lieu=Lyon"));
    let sitemap = app.get(&format!("{COACH}/sitemap.xml"));
    let reservation = app.post_json_from(
        &format!("{COACH}/api/v1/reservations"),
        &j!({ "professionnel": slug, "service": service, "debut": debut,
              "nom": "Jeanne Client", "email": format!("jeanne.{}@exemple.fr", debut.len()),
              "telephone": "06 11 22 33 44",
              "reponses": { "objectif": "Changer de métier", "format": "visio" } }),
        "203.0.113.7",
    );
    Visibilite {
        annuaire_api: annuaire.text().contains(slug),
        recherche: recherche.text().contains(slug),
        sitemap: sitemap.text().contains(slug),
        profil_page: app.get(&format!("{COACH}/professionnels/{slug}")).status,
        profil_api: app
            .get(&format!("{COACH}/api/v1/professionnels/{slug}"))
            .status,
        creneaux: app
            .get(&format!(
                "{COACH}/api/v1/professionnels/{slug}/creneaux?service={service}&du=2026-11-30&au=2026-12-05"
            ))
            .status,
        reservation: reservation.status,
    }
}

fn cache(app: &TestApp, slug: &str, service: i64, debut: &str) {
    let v = visibilite(app, slug, service, debut);
    assert!(!v.annuaire_api, "listed by the API");
    assert!(!v.recherche, "found by the search page");
    assert!(!v.sitemap, "in the sitemap");
    assert_eq!(v.profil_page, 404);
    assert_eq!(v.profil_api, 404);
    assert_eq!(v.creneaux, 404);
    assert_eq!(v.reservation, 404, "booked like an unknown professional is");
}

/// A coach signed up, with a service and hours, who made their profile public: (pro id,
/// slug, pro token, admin token, service id, a free slot's start once listed).
fn coach_pret(app: &TestApp) -> (i64, String, String, String, i64) {
    let (pro_id, slug, token) = nouveau_pro(app, COACH, "Marc Durand", "marc@exemple.fr");
    assert_eq!(approbation(app, pro_id), "en_attente");
    let r = pro_api(
        app,
        &token,
        Method::Post,
        "/api/v1/pro/services",
        Some(j!({ "nom": "Séance", "duree_minutes": 60, "prix_centimes": 7500 })),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let service = json(&r)["id"].as_i64().unwrap();
    let r = pro_api(
        app,
        &token,
        Method::Post,
        "/api/v1/pro/horaires",
        Some(
            j!({ "lundi": "09:00-17:00", "mardi": "09:00-17:00", "mercredi": "09:00-17:00",
                  "jeudi": "09:00-17:00", "vendredi": "09:00-17:00" }),
        ),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let r = pro_api(
        app,
        &token,
        Method::Post,
        "/api/v1/pro/profil",
        Some(j!({ "public": true })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["public"], true);
    assert_eq!(json(&r)["approbation"], "en_attente");
    let admin_token = jeton(app, admin(app));
    (pro_id, slug, token, admin_token, service)
}

const DEBUT: &str = "2026-12-01T10:00:00+01:00";

#[test]
fn a_new_professional_is_listed_only_once_approved_and_hidden_again_when_suspended_or_refused() {
    let app = TestApp::spawn();
    let (pro_id, slug, token, admin_token, service) = coach_pret(&app);

    // Public by their own choice, but pending: nowhere to be found or booked.
    cache(&app, &slug, service, DEBUT);

    let r = decider(&app, COACH, &admin_token, pro_id, "approuve", None);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["approbation"], "approuve");
    let v = visibilite(&app, &slug, service, DEBUT);
    assert!(v.annuaire_api && v.recherche && v.sitemap);
    assert_eq!(
        (v.profil_page, v.profil_api, v.creneaux, v.reservation),
        (200, 200, 200, 201)
    );

    // Suspended with a reason: hidden again, and the professional reads why.
    let r = decider(
        &app,
        COACH,
        &admin_token,
        pro_id,
        "suspendu",
        Some("Plaintes de clients à vérifier"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    cache(&app, &slug, service, "2026-12-01T14:00:00+01:00");
    let profil = json(&pro_api(
        &app,
        &token,
        Method::Get,
        "/api/v1/pro/profil",
        None,
    ));
    assert_eq!(profil["approbation"], "suspendu");
    assert_eq!(
        profil["approbation_motif"],
        "Plaintes de clients à vérifier"
    );
    let user_id = compte(&app, pro_id);
    let mut nav = Navigateur::avec_session(&app, user_id);
    let page = nav.get(&format!("{COACH}/pro"));
    assert_eq!(page.status, 200);
    assert!(page.text().contains("profil suspendu"), "{}", page.text());
    assert!(page.text().contains("Plaintes de clients à vérifier"));

    // Refused (from suspended), hidden; approved again, listed again.
    let r = decider(
        &app,
        COACH,
        &admin_token,
        pro_id,
        "refuse",
        Some("Diplôme non reconnu"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    cache(&app, &slug, service, "2026-12-01T15:00:00+01:00");
    let r = decider(&app, COACH, &admin_token, pro_id, "approuve", None);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(visibilite(&app, &slug, service, "2026-12-02T10:00:00+01:00").annuaire_api);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM professionnels WHERE id = {pro_id} AND approbation_motif IS NULL \
             AND approbation_par IS NOT NULL AND approbation_at IS NOT NULL"
        )),
        1,
        "who decided and when is kept; an approval carries no reason"
    );
}

#[test]
fn the_professional_can_neither_approve_themselves_nor_undo_a_suspension_with_their_profile() {
    let app = TestApp::spawn();
    let (pro_id, slug, token, admin_token, service) = coach_pret(&app);

    // The admin's routes refuse a professional's token and session.
    let r = decider(&app, COACH, &token, pro_id, "approuve", None);
    assert_eq!(r.status, 403, "{}", r.text());
    let r = pro_api(
        &app,
        &token,
        Method::Get,
        "/api/v1/admin/approbations",
        None,
    );
    assert_eq!(r.status, 403);
    let user_id = compte(&app, pro_id);
    let mut nav = Navigateur::avec_session(&app, user_id);
    let r = nav.soumettre(
        &format!("{COACH}/pro"),
        &format!("{COACH}/admin/professionnels/{pro_id}/approbation"),
        &[("statut", "approuve")],
    );
    assert_eq!(r.status, 403, "{}", r.text());
    // The profile's body has no such member: refused, nothing changes.
    let r = pro_api(
        &app,
        &token,
        Method::Post,
        "/api/v1/pro/profil",
        Some(j!({ "approbation": "approuve" })),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(approbation(&app, pro_id), "en_attente");

    // Approved, then suspended: the profile form (page and API), public ticked, keeps
    // the suspension.
    assert_eq!(
        decider(&app, COACH, &admin_token, pro_id, "approuve", None).status,
        200
    );
    assert_eq!(
        decider(
            &app,
            COACH,
            &admin_token,
            pro_id,
            "suspendu",
            Some("Contrôle")
        )
        .status,
        200
    );
    let r = nav.soumettre(
        &format!("{COACH}/pro"),
        &format!("{COACH}/pro/profil"),
        &[
            ("bio", "Toujours là."),
            ("ville", "Lyon"),
            ("region", "ARA"),
            ("public", "1"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let r = pro_api(
        &app,
        &token,
        Method::Post,
        "/api/v1/pro/profil",
        Some(j!({ "public": true, "bio": "Encore là." })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(approbation(&app, pro_id), "suspendu");
    cache(&app, &slug, service, DEBUT);
}

#[test]
fn a_refusal_or_a_suspension_needs_a_reason_and_a_decision_must_fit_the_state() {
    let app = TestApp::spawn();
    let (pro_id, _, _, admin_token, _) = coach_pret(&app);
    let r = decider(&app, COACH, &admin_token, pro_id, "refuse", None);
    assert_eq!(r.status, 422, "{}", r.text());
    let p = json(&r);
    assert_eq!(p["code"], "champs_invalides");
    assert_eq!(p["erreurs"][0]["champ"], "motif");
    assert!(p["erreurs"][0]["message"]
        .as_str()
        .unwrap()
        .contains("motif"));
    let r = decider(&app, COACH, &admin_token, pro_id, "refuse", Some("   "));
    assert_eq!(r.status, 422);
    let r = decider(&app, COACH, &admin_token, pro_id, "en_attente", None);
    assert_eq!(r.status, 422);
    assert_eq!(json(&r)["erreurs"][0]["champ"], "statut");
    // A pending professional is not suspended; an approved one not approved twice.
    let r = decider(&app, COACH, &admin_token, pro_id, "suspendu", Some("x"));
    assert_eq!(r.status, 409);
    assert_eq!(json(&r)["code"], "decision_impossible");
    assert_eq!(approbation(&app, pro_id), "en_attente");
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM outbox WHERE kind = 'decision_approbation'"),
        0,
        "nothing is told when nothing is decided"
    );

    // The page: the form comes back with the message on that line, nothing changed.
    let mut nav = Navigateur::avec_session(
        &app,
        app.db.scalar("SELECT id FROM users WHERE role = 'admin'"),
    );
    let file = format!("{COACH}/admin/approbations");
    let action = format!("{COACH}/admin/professionnels/{pro_id}/approbation");
    let r = nav.soumettre(&file, &action, &[("statut", "refuse"), ("motif", "")]);
    assert_eq!(r.status, 422);
    assert!(r.text().contains("Indiquez le motif"), "{}", r.text());
    assert!(r.text().contains(&format!("id=\"motif-{pro_id}-erreur\"")));
    assert_eq!(approbation(&app, pro_id), "en_attente");
    // Without the CSRF token: refused, nothing changed.
    let r = nav.post(&action, &[("statut", "refuse"), ("motif", "Spam")]);
    assert_eq!(r.status, 403);
    assert_eq!(approbation(&app, pro_id), "en_attente");
    let r = nav.soumettre(
        &file,
        &action,
        &[("statut", "refuse"), ("motif", "Profil incomplet")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(approbation(&app, pro_id), "refuse");

    // The professional is told, in French, with the reason.
    app.run_cron();
    let mail = app
        .http
        .requests_to("/emails")
        .into_iter()
        .map(|r| String::from_utf8_lossy(&r.body).into_owned())
        .find(|corps| corps.contains("marc@exemple.fr") && corps.contains("pas été approuvé"))
        .expect("the decision is e-mailed to the professional");
    assert!(mail.contains("Motif : Profil incomplet"), "{mail}");
    // The link goes to the professional's space on their vertical's own site.
    assert!(
        mail.contains("https://coach.booking-multisite.fr/pro"),
        "{mail}"
    );
}

#[test]
fn a_garage_is_approved_only_with_a_valid_siret_and_a_lawyer_with_their_bar() {
    let app = TestApp::spawn();
    let admin_token = jeton(&app, admin(&app));
    let (pro_id, _, token) = nouveau_pro(&app, GARAGE, "Garage du Centre", "garage@exemple.fr");
    let r = decider(&app, GARAGE, &admin_token, pro_id, "approuve", None);
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(json(&r)["code"], "exigences_non_remplies");
    assert!(json(&r)["title"]
        .as_str()
        .unwrap()
        .contains("Numéro SIRET : non renseigné."));

    // An invalid SIRET is refused where it is typed (API and page) and nothing is kept.
    let profil = |corps: Value| {
        avec_bearer(
            &app,
            Method::Post,
            &format!("{GARAGE}/api/v1/pro/profil"),
            &token,
            Some(&corps),
        )
    };
    let r = profil(j!({ "siret": "73282932000075" }));
    assert_eq!(r.status, 422);
    assert_eq!(json(&r)["erreurs"][0]["code"], "siret_invalide");
    let user_id = app
        .db
        .scalar("SELECT id FROM users WHERE email = 'garage@exemple.fr'");
    let mut nav = Navigateur::avec_session(&app, user_id);
    let page = nav.get(&format!("{GARAGE}/pro"));
    assert!(page
        .text()
        .contains("<label for=\"siret\">Numéro SIRET</label>"));
    let r = nav.soumettre(
        &format!("{GARAGE}/pro"),
        &format!("{GARAGE}/pro/profil"),
        &[("ville", "Lyon"), ("region", "ARA"), ("siret", "1234")],
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("id=\"siret-erreur\""));
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM professionnels WHERE id = {pro_id} AND siret IS NULL"
        )),
        1
    );
    // A SIRET stored before the rule (14 digits, wrong key) still blocks approval.
    app.db.execute_script(&format!(
        "UPDATE professionnels SET siret = '73282932000075' WHERE id = {pro_id};"
    ));
    let r = decider(&app, GARAGE, &admin_token, pro_id, "approuve", None);
    assert_eq!(r.status, 422);
    assert!(json(&r)["title"]
        .as_str()
        .unwrap()
        .contains("Numéro SIRET : invalide."));
    let r = profil(j!({ "siret": "732 829 320 00074" }));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["siret"], "73282932000074");
    let r = decider(&app, GARAGE, &admin_token, pro_id, "approuve", None);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(json(&r)["manquants"], j!([]));
    // Approval holds while the profile changes, but not once the SIRET it was given on does.
    let r = profil(j!({ "bio": "Mécanique générale." }));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(approbation(&app, pro_id), "approuve");
    let r = profil(j!({ "siret": "443 061 841 00047" }));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(approbation(&app, pro_id), "en_attente");
    assert_eq!(json(&r)["approbation"], "en_attente");
    assert!(json(&r)["approbation_motif"]
        .as_str()
        .is_some_and(|m| m.contains("Justificatif modifié")));
    let r = decider(&app, GARAGE, &admin_token, pro_id, "approuve", None);
    assert_eq!(r.status, 200, "{}", r.text());

    // The bar of a lawyer; a coach needs nothing.
    let (avocat_id, _, avocat_token) =
        nouveau_pro(&app, AVOCAT, "Maître Anne Roux", "anne.roux@exemple.fr");
    let file = json(&avec_bearer(
        &app,
        Method::Get,
        &format!("{COACH}/api/v1/admin/approbations?vertical=avocat&statut=en_attente"),
        &admin_token,
        None,
    ));
    let ligne = file["professionnels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == avocat_id)
        .unwrap()
        .clone();
    assert_eq!(ligne["exigences"], j!(["barreau"]));
    assert_eq!(
        ligne["manquants"][0],
        "Barreau d'inscription : non renseigné."
    );
    assert_eq!(
        decider(&app, AVOCAT, &admin_token, avocat_id, "approuve", None).status,
        422
    );
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{AVOCAT}/api/v1/pro/profil"),
        &avocat_token,
        Some(&j!({ "barreau": "Barreau de Lyon" })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        decider(&app, AVOCAT, &admin_token, avocat_id, "approuve", None).status,
        200
    );
    let (coach_id, _, _) = nouveau_pro(&app, COACH, "Léa Coach", "lea.coach@exemple.fr");
    assert_eq!(
        decider(&app, COACH, &admin_token, coach_id, "approuve", None).status,
        200
    );
}

#[test]
fn the_admin_queue_shows_pending_professionals_first_with_what_their_trade_requires() {
    let app = TestApp::spawn().with_demo_data();
    let (pro_id, _, _) = nouveau_pro(&app, GARAGE, "Garage Neuf", "neuf@exemple.fr");
    let mut nav = Navigateur::avec_session(&app, admin(&app));
    let page = nav.get(&format!("{COACH}/admin/approbations"));
    assert_eq!(page.status, 200);
    let texte = page.text();
    let premier = texte.find("<article").unwrap();
    assert!(
        texte[premier..].starts_with(&format!("<article class=\"carte\" id=\"pro-{pro_id}\"")),
        "pending first"
    );
    assert!(texte.contains("en attente de validation"));
    assert!(texte.contains("Numéro SIRET"));
    assert!(texte.contains("À compléter avant approbation"));
    assert!(texte.contains("<label for=\"motif-"));
    // Demo professionals are approved, with what their trade requires.
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM professionnels WHERE user_id != (SELECT id FROM users WHERE email = 'neuf@exemple.fr') \
             AND approbation != 'approuve'"
        ),
        0
    );
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM professionnels WHERE vertical = 'garage' AND approbation = 'approuve' AND siret IS NULL"
        ),
        0
    );
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM professionnels WHERE vertical = 'avocat' AND barreau IS NULL"
        ),
        0
    );
    let r = avec_bearer(
        &app,
        Method::Get,
        &format!("{COACH}/api/v1/admin/approbations?vertical=garage"),
        &jeton(
            &app,
            app.db.scalar("SELECT id FROM users WHERE role = 'admin'"),
        ),
        None,
    );
    let liste = json(&r)["professionnels"].as_array().unwrap().clone();
    assert_eq!(liste[0]["id"], pro_id);
    assert!(liste[1..].iter().all(|p| p["manquants"] == j!([])));
}
