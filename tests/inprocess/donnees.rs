//! Personal data (RGPD): the export holds every table's rows about the person, deletion
//! leaves no personal field of theirs in any column of any table and keeps the payments,
//! a guest does the same for one booking, the retention rule runs in the cron — and the
//! refusals: someone else's data, no password, no CSRF, a paid deposit, replays.

use booking_functions::http::{Method, Response};
use booking_shared::store::{Db, Row, Statement};
use booking_tests::{json, TestApp};
use serde_json::{json as j, Value};

use crate::api_reservations::{coach_body, first_slot, RESERVER};
use crate::comptes::{avec_bearer, jeton, pro, Horloge, Navigateur, COACH, MDP};
use crate::paiements::{creneau, garage, payer, statut_paiement, Reservee};

const GARAGE: &str = "http://garage.localhost:8787";
const NOM: &str = "Zoé Verdurin-Quintal";
pub(crate) const EMAIL: &str = "zoe.verdurin@exemple.fr";
const TELEPHONE: &str = "06 71 72 73 74";

fn lignes(app: &TestApp, sql: &str) -> Vec<Row> {
    futures::executor::block_on(app.db.query(Statement::new(sql)))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// A client account with a real password and a proved address, signed in: (id, token).
pub(crate) fn cliente(app: &TestApp) -> (i64, String) {
    let r = app.post_json(
        &format!("{COACH}/api/v1/comptes"),
        &j!({ "nom": NOM, "email": EMAIL, "telephone": TELEPHONE, "mot_de_passe": MDP }),
    );
    assert!((200..300).contains(&r.status), "{}", r.text());
    let id = app
        .db
        .scalar(&format!("SELECT id FROM users WHERE email = '{EMAIL}'"));
    app.db.execute_script(&format!(
        "UPDATE users SET email_verifie_at = 1 WHERE id = {id};"
    ));
    let r = app.post_json(
        &format!("{COACH}/api/v1/sessions"),
        &j!({ "email": EMAIL, "mot_de_passe": MDP }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    (id, json(&r)["token"].as_str().unwrap().to_owned())
}

/// The account's export, through the API.
fn export_de(app: &TestApp, token: &str) -> Response {
    avec_bearer(
        app,
        Method::Get,
        &format!("{COACH}/api/v1/moi/donnees"),
        token,
        None,
    )
}

fn corps_coach(debut: &str) -> Value {
    let mut corps = coach_body(debut);
    corps["nom"] = j!(NOM);
    corps["email"] = j!(EMAIL);
    corps["telephone"] = j!(TELEPHONE);
    corps
}

/// The booking a 201 answer made.
fn reservee(r: &Response) -> Reservee {
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(r);
    Reservee {
        id: b["id"].as_str().unwrap().to_owned(),
        token: b["token"].as_str().unwrap().to_owned(),
        debut: b["debut"].as_str().unwrap().to_owned(),
    }
}

/// A booking of the signed-in client (confirmed at once: their address is proved).
fn reserve(app: &TestApp, token: &str, url: &str, corps: &Value) -> Reservee {
    reservee(&avec_bearer(app, Method::Post, url, token, Some(corps)))
}

/// A garage booking of the client between two days, paid through the webhook; by the
/// signed-in account (`token`) or as a guest.
fn garage_paye(app: &TestApp, token: Option<&str>, du: &str, au: &str, pi: &str) -> Reservee {
    let (slug, service) = garage(app);
    let corps = j!({
        "professionnel": slug, "service": service, "debut": creneau(app, du, au),
        "nom": NOM, "email": EMAIL, "telephone": TELEPHONE,
        "reponses": { "immatriculation": "ZV-777-QT", "marque": "Renault", "modele": "Clio", "kilometrage": "12000" }
    });
    let url = format!("{GARAGE}/api/v1/reservations");
    let r = match token {
        Some(token) => reserve(app, token, &url, &corps),
        None => reservee(&app.post_json(&url, &corps)),
    };
    payer(app, &r, pi);
    r
}

/// The client's whole history: a confirmed coach booking to come, a paid garage booking
/// to come (refundable), a past paid one with its review, e-mails.
fn historique(app: &TestApp) -> (i64, String, Vec<Reservee>) {
    let (id, token) = cliente(app);
    let coach = reserve(app, &token, RESERVER, &corps_coach(&first_slot(app)));
    let futur = garage_paye(app, Some(&token), "2026-12-03", "2026-12-08", "pi_rgpd_1");
    let passe = garage_paye(app, Some(&token), "2026-12-09", "2026-12-14", "pi_rgpd_2");
    // The past one: it took place last year, and was reviewed.
    app.db.execute_script(&format!(
        "UPDATE reservations SET date_heure = date_heure - 400 * 86400, fin = fin - 400 * 86400, statut = 'terminee' WHERE id = '{0}';
         DELETE FROM occupations WHERE seance = '{0}';
         INSERT INTO avis (reservation_id, professionnel_id, note, commentaire, auteur, created_at)
             SELECT id, professionnel_id, 5, 'Très bien.', '{NOM}', 1 FROM reservations WHERE id = '{0}';",
        passe.id
    ));
    app.run_cron();
    (id, token, vec![coach, futur, passe])
}

/// Every table of the schema.
fn tables(app: &TestApp) -> Vec<String> {
    lignes(
        app,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .iter()
    .map(|r| r["name"].as_str().unwrap().to_owned())
    .collect()
}

/// How many cells of the whole database contain `aiguille` (case ignored), by table.column.
fn occurrences(app: &TestApp, aiguille: &str) -> Vec<String> {
    let mut trouvees = Vec::new();
    for table in tables(app) {
        for colonne in lignes(
            app,
            &format!("SELECT name FROM pragma_table_info('{table}')"),
        ) {
            let colonne = colonne["name"].as_str().unwrap().to_owned();
            let n = app.db.scalar(&format!(
                "SELECT count(*) FROM \"{table}\" WHERE instr(lower(CAST(\"{colonne}\" AS TEXT)), lower('{}')) > 0",
                aiguille.replace('\'', "''")
            ));
            if n > 0 {
                trouvees.push(format!("{table}.{colonne} ({n})"));
            }
        }
    }
    trouvees
}

#[test]
fn the_export_holds_every_tables_rows_about_the_client_as_a_direct_query_finds_them() {
    let app = TestApp::spawn().with_demo_data();
    let (id, token, _) = historique(&app);
    // A reset link and a throttle streak keyed by the address, too.
    app.db.execute_script(&format!(
        "INSERT INTO reinitialisations (token_hash, user_id, expire_at, created_at) VALUES ('{}', {id}, 99, 1);
         INSERT INTO freins (cle, tentatives, bloque_jusqua, derniere_at) VALUES ('connexion:paire:{EMAIL}|198.51.100.9', 2, 0, 5);",
        "b".repeat(64)
    ));
    let r = export_de(&app, &token);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-disposition"),
        Some("attachment; filename=\"mes-donnees.json\"")
    );
    let export = json(&r);
    let mine = format!("(user_id = {id} OR client_email = '{EMAIL}' COLLATE NOCASE)");
    let des_miennes = format!("(SELECT id FROM reservations WHERE {mine})");
    // Each table: the export's part and the direct query of the rows about the client, or
    // why no row of it is about a client. A new table fails here until it is placed.
    let parties: &[(&str, Option<(&str, String)>)] = &[
        ("users", Some(("compte", format!("SELECT count(*) FROM users WHERE id = {id}")))),
        ("reservations", Some(("reservations", format!("SELECT count(*) FROM reservations WHERE {mine}")))),
        ("paiements", Some(("paiements", format!("SELECT count(*) FROM paiements WHERE reservation_id IN {des_miennes}")))),
        ("avis", Some(("avis", format!("SELECT count(*) FROM avis WHERE reservation_id IN {des_miennes}")))),
        ("outbox", Some(("courriels", format!("SELECT count(*) FROM outbox WHERE user_id = {id} OR destinataire = '{EMAIL}' COLLATE NOCASE")))),
        ("sources_connues", Some(("sources_connues", format!("SELECT count(*) FROM sources_connues WHERE user_id = {id}")))),
        ("verifications_email", Some(("verifications_email", format!("SELECT count(*) FROM verifications_email WHERE user_id = {id}")))),
        ("reinitialisations", Some(("reinitialisations", format!("SELECT count(*) FROM reinitialisations WHERE user_id = {id}")))),
        ("limites", Some(("compteurs_limites", format!("SELECT count(*) FROM limites WHERE cle LIKE '%{EMAIL}%'")))),
        ("freins", Some(("compteurs_connexion", format!("SELECT count(*) FROM freins WHERE cle LIKE '%{EMAIL}%'")))),
        ("professionnels", Some(("profil_professionnel", format!("SELECT count(*) FROM professionnels WHERE user_id = {id}")))),
        ("liste_attente", Some(("liste_attente", format!("SELECT count(*) FROM liste_attente WHERE user_id = {id} OR email = '{EMAIL}' COLLATE NOCASE")))),
        // An entry's offers: an entry and a booking, both in the export.
        ("liste_attente_offres", None),
        // No row of these names a client: the professional's own offer…
        ("services", None),
        // (its members and who performs what: staff and bays, no client)
        ("membres", None),
        ("services_membres", None),
        ("disponibilites", None),
        ("absences", None),
        // …and their external calendars' addresses and busy intervals (times only)…
        ("agendas_externes", None),
        ("occupations_externes", None),
        // …slot claims (a booking's id and times, in the export's bookings)…
        ("occupations", None),
        // …a group session's seats (a booking's id, in the export's bookings)…
        ("places_reservees", None),
        // …Stripe's deliveries and refused events (ids and amounts), the admin's
        // documents, and the batch guards (always empty).
        ("stripe_events", None),
        ("paiements_anomalies", None),
        ("configurations_verticales", None),
        ("gardes", None),
        // …and the search: the listed professionals' index (FTS5 and its shadow tables,
        // which hold what the public profiles show) and the départements' names.
        ("recherche", None),
        ("recherche_config", None),
        ("recherche_content", None),
        ("recherche_data", None),
        ("recherche_docsize", None),
        ("recherche_idx", None),
        ("departements", None),
        // …and how many listed professionals each city has (no person in it).
        ("villes_listees", None),
    ];
    let schema = tables(&app);
    for table in &schema {
        assert!(
            parties.iter().any(|(t, _)| t == table),
            "the table {table} is new: say whether the export must hold its rows about the client"
        );
    }
    for (table, partie) in parties {
        assert!(schema.contains(&(*table).to_owned()), "{table} is gone");
        let Some((nom, requete)) = partie else {
            continue;
        };
        let attendu = app.db.scalar(requete);
        let exporte = match &export[*nom] {
            Value::Array(a) => a.len() as i64,
            Value::Object(_) => 1,
            _ => 0,
        };
        assert_eq!(exporte, attendu, "{table} ({nom})");
    }
    // The history is all there, with the form's answers and no secret.
    assert_eq!(export["reservations"].as_array().unwrap().len(), 3);
    assert_eq!(export["paiements"].as_array().unwrap().len(), 2);
    assert_eq!(export["avis"].as_array().unwrap().len(), 1);
    assert!(export["courriels"].as_array().unwrap().len() >= 4);
    assert_eq!(export["compte"]["email"], EMAIL);
    assert!(!export["compteurs_connexion"].as_array().unwrap().is_empty());
    let garage = export["reservations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["vertical"] == "garage")
        .unwrap();
    assert_eq!(garage["reponses"]["immatriculation"], "ZV-777-QT");
    let texte = export.to_string();
    for secret in [
        "password",
        "token_hash",
        "source_hash",
        "pbkdf2",
        &"b".repeat(64),
    ] {
        assert!(!texte.contains(secret), "the export shows {secret}");
    }
}

#[test]
fn another_account_exports_none_of_the_clients_data_and_a_stranger_nothing() {
    let app = TestApp::spawn().with_demo_data();
    historique(&app);
    let autre = crate::comptes::client(&app, "autre@exemple.fr");
    let r = export_de(&app, &jeton(&app, autre));
    assert_eq!(r.status, 200);
    let texte = r.text();
    assert!(!texte.contains(EMAIL) && !texte.contains(NOM), "{texte}");
    assert_eq!(json(&r)["reservations"], j!([]));
    // An account that never proved its address gets none of the guest bookings made with it.
    let r = app.post_json(RESERVER, &corps_coach(&first_slot(&app)));
    assert_eq!(r.status, 201);
    app.db.execute_script(&format!(
        "UPDATE users SET email = 'x@exemple.fr' WHERE email = '{EMAIL}';"
    ));
    let imposteur = crate::comptes::client(&app, EMAIL);
    let r = export_de(&app, &jeton(&app, imposteur));
    assert_eq!(json(&r)["reservations"], j!([]));
    assert_eq!(json(&r)["courriels"], j!([]));
    // No session: the API asks for one, the page for a sign-in.
    assert_eq!(app.get(&format!("{COACH}/api/v1/moi/donnees")).status, 401);
    assert_eq!(app.get(&format!("{COACH}/compte/donnees")).status, 401);
}

#[test]
fn deleting_the_account_leaves_no_personal_field_in_any_table_and_keeps_the_payments() {
    let app = TestApp::spawn().with_demo_data();
    let (id, token, reservations) = historique(&app);
    let telephone_stocke = app.db.scalar(&format!(
        "SELECT count(*) FROM reservations WHERE client_telephone <> '' AND user_id = {id}"
    ));
    assert_eq!(telephone_stocke, 3);
    let telephones: Vec<String> = lignes(
        &app,
        &format!("SELECT DISTINCT client_telephone AS t FROM reservations WHERE user_id = {id}"),
    )
    .iter()
    .map(|r| r["t"].as_str().unwrap().to_owned())
    .collect();
    for aiguille in [NOM, EMAIL, TELEPHONE] {
        assert!(
            !occurrences(&app, aiguille).is_empty(),
            "{aiguille} is nowhere before"
        );
    }
    let paiements = app.db.scalar("SELECT count(*) FROM paiements");
    app.http.answer(
        200,
        r#"{"id":"re_rgpd","object":"refund","status":"succeeded"}"#,
    );
    let r = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/moi/suppression"),
        &token,
        Some(&j!({ "mot_de_passe": MDP })),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let b = json(&r);
    // The two bookings to come were cancelled as the client would: the paid one refunded.
    let annulees = b["annulees"].as_array().unwrap();
    assert_eq!(annulees.len(), 2, "{b}");
    assert!(annulees
        .iter()
        .any(|a| a["id"] == reservations[1].id.as_str()
            && a["remboursement"]["statut"] == "rembourse"));
    assert_eq!(statut_paiement(&app, &reservations[1].id), "rembourse");
    assert_eq!(statut_paiement(&app, &reservations[2].id), "paye");
    // Nothing names the client any more, in any column of any table.
    for aiguille in [NOM, EMAIL, TELEPHONE]
        .into_iter()
        .chain(telephones.iter().map(String::as_str))
    {
        assert_eq!(
            occurrences(&app, aiguille),
            Vec::<String>::new(),
            "{aiguille}"
        );
    }
    // The payments are all there; the bookings too, as « Client supprimé ».
    assert_eq!(app.db.scalar("SELECT count(*) FROM paiements"), paiements);
    for r in &reservations {
        assert_eq!(
            app.db.scalar(&format!("SELECT count(*) FROM reservations WHERE id = '{}' AND client_nom = 'Client supprimé' AND anonymisee_at IS NOT NULL", r.id)),
            1
        );
        // The manage link opens nothing any more.
        let lu = app.get_gestion(&format!("{COACH}/api/v1/reservations/{}", r.id), &r.token);
        assert_eq!(lu.status, 404);
    }
    assert_eq!(
        app.db
            .scalar("SELECT count(*) FROM avis WHERE auteur = 'Client supprimé'"),
        1
    );
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM users WHERE id = {id} AND email = 'supprime-{id}@anonyme.invalid' \
             AND password_hash IS NULL AND telephone IS NULL"
        )),
        1,
        "the account's row stays, emptied, so that its id is never reused"
    );
    // The session is gone with the account; a replay changes nothing.
    let rejoue = avec_bearer(
        &app,
        Method::Post,
        &format!("{COACH}/api/v1/moi/suppression"),
        &token,
        Some(&j!({ "mot_de_passe": MDP })),
    );
    assert_eq!(rejoue.status, 401);
    // The professional sees « Client supprimé » in the agenda.
    let (_, garagiste) = pro(&app, &garage(&app).0);
    let agenda = avec_bearer(
        &app,
        Method::Get,
        &format!("{GARAGE}/api/v1/pro/agenda?du=2026-12-01&au=2026-12-20"),
        &jeton(&app, garagiste),
        None,
    );
    assert_eq!(agenda.status, 200, "{}", agenda.text());
    assert!(
        agenda.text().contains("Client supprimé"),
        "{}",
        agenda.text()
    );
    // The address may sign up again.
    let r = app.post_json(
        &format!("{COACH}/api/v1/comptes"),
        &j!({ "nom": "Zoé", "email": EMAIL, "mot_de_passe": MDP }),
    );
    assert_eq!(r.status, 202, "{}", r.text());
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM users WHERE email = '{EMAIL}'"
        )),
        1
    );
    // The new account has a new id: the deleted account's session opens nothing.
    let nouvel_id = app
        .db
        .scalar(&format!("SELECT id FROM users WHERE email = '{EMAIL}'"));
    assert_ne!(nouvel_id, id);
    let ancien = avec_bearer(
        &app,
        Method::Get,
        &format!("{COACH}/api/v1/moi"),
        &token,
        None,
    );
    assert_eq!(ancien.status, 401, "{}", ancien.text());
}

pub(crate) fn supprimer(app: &TestApp, token: &str, corps: Value) -> Response {
    avec_bearer(
        app,
        Method::Post,
        &format!("{COACH}/api/v1/moi/suppression"),
        token,
        Some(&corps),
    )
}

fn etat(app: &TestApp) -> String {
    ["users", "reservations", "paiements", "avis", "outbox"]
        .iter()
        .map(|t| {
            serde_json::to_string(&lignes(app, &format!("SELECT * FROM {t} ORDER BY 1"))).unwrap()
        })
        .collect()
}

#[test]
fn deleting_needs_the_password_and_never_forfeits_a_paid_booking_unasked() {
    let app = TestApp::spawn().with_demo_data();
    let (_, token) = cliente(&app);
    // Paid, and too close to be refunded if cancelled now.
    let proche = garage_paye(&app, Some(&token), "2026-11-25", "2026-11-26", "pi_rgpd_3");
    let avant = etat(&app);
    let r = supprimer(&app, &token, j!({ "mot_de_passe": "pas-le-bon-2026" }));
    assert_eq!(r.status, 422, "{}", r.text());
    assert_eq!(json(&r)["code"], "mot_de_passe_incorrect");
    let r = supprimer(&app, &token, j!({}));
    assert!(matches!(r.status, 400 | 422), "{}", r.text());
    let r = supprimer(&app, &token, j!({ "mot_de_passe": MDP }));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(json(&r)["code"], "remboursement_perdu");
    assert!(json(&r)["title"].as_str().unwrap().contains("renoncez"));
    // Nothing changed by the refusals (but the sign-in throttles, which count them).
    assert_eq!(avant, etat(&app));
    // Given up knowingly: cancelled without refund, the payment kept for the professional.
    let r = supprimer(
        &app,
        &token,
        j!({ "mot_de_passe": MDP, "renoncer_remboursement": true }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        json(&r)["annulees"][0]["remboursement"]["statut"],
        "non_remboursable"
    );
    assert!(app.http.requests_to("/v1/refunds").is_empty());
    assert_eq!(statut_paiement(&app, &proche.id), "paye");
}

#[test]
fn wrong_passwords_for_a_deletion_are_throttled_like_sign_ins() {
    let app = TestApp::spawn().with_demo_data();
    let (_, token) = cliente(&app);
    let mut statuts = Vec::new();
    for _ in 0..12 {
        statuts.push(supprimer(&app, &token, j!({ "mot_de_passe": "devine-2026" })).status);
    }
    assert!(statuts.contains(&429), "{statuts:?}");
    let r = supprimer(&app, &token, j!({ "mot_de_passe": MDP }));
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some());
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM users WHERE email = '{EMAIL}'"
        )),
        1
    );
}

#[test]
fn a_professionals_or_an_admins_account_is_not_deleted_here() {
    let app = TestApp::spawn().with_demo_data();
    let (_, pro_user) = pro(&app, "claire-fontaine");
    let admin = crate::comptes::admin(&app);
    for compte in [pro_user, admin] {
        let avant = etat(&app);
        let r = supprimer(
            &app,
            &jeton(&app, compte),
            j!({ "mot_de_passe": "demo-pro-2026" }),
        );
        assert_eq!(r.status, 409, "{}", r.text());
        assert_eq!(json(&r)["code"], "compte_non_supprimable");
        assert_eq!(avant, etat(&app));
    }
    let mut nav = Navigateur::avec_session(&app, pro_user);
    let page = nav.ouvrir(&format!("{COACH}/compte/suppression")).text();
    assert!(page.contains("Un compte professionnel ou administrateur ne se supprime pas ici"));
}

#[test]
fn the_deletion_page_asks_for_the_password_and_refuses_a_forged_post() {
    let app = TestApp::spawn().with_demo_data();
    let (id, _) = cliente(&app);
    let mut nav = Navigateur::avec_session(&app, id);
    let compte = nav.ouvrir(&format!("{COACH}/compte")).text();
    assert!(
        compte.contains("href=\"/compte/donnees\"")
            && compte.contains("href=\"/compte/suppression\"")
    );
    let avant = etat(&app);
    // No CSRF token (a form posted from another site).
    let r = nav.post(
        &format!("{COACH}/compte/suppression"),
        &[("mot_de_passe", MDP)],
    );
    assert_eq!(r.status, 403);
    assert!(r.text().contains("Ce formulaire a expiré"));
    assert_eq!(avant, etat(&app));
    let page = format!("{COACH}/compte/suppression");
    let r = nav.soumettre(&page, &page, &[("mot_de_passe", "pas-le-bon-2026")]);
    assert_eq!(r.status, 422);
    assert!(r.text().contains("Le mot de passe est incorrect"));
    let r = nav.soumettre(&page, &page, &[("mot_de_passe", MDP)]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("Votre compte est supprimé"));
    assert!(r
        .headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("session=")));
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM users WHERE id = {id} AND email = 'supprime-{id}@anonyme.invalid' \
             AND password_hash IS NULL AND telephone IS NULL"
        )),
        1,
        "the account's row stays, emptied, so that its id is never reused"
    );
}

/// A guest's booking (coach, confirmed from the e-mail): its manage secret.
fn invitee(app: &TestApp) -> Reservee {
    let r = reservee(&app.post_json(RESERVER, &corps_coach(&first_slot(app))));
    app.confirm_from_email(&r.id);
    r
}

#[test]
fn a_guest_exports_and_erases_one_booking_with_its_link_and_nobody_else_can() {
    let app = TestApp::spawn().with_demo_data();
    let r = invitee(&app);
    let autre = app.post_json(
        RESERVER,
        &coach_body(&crate::api_reservations::slot_outside_the_window(&app)),
    );
    assert_eq!(autre.status, 201, "{}", autre.text());
    let autre = json(&autre);
    let donnees = format!("{COACH}/api/v1/reservations/{}/donnees", r.id);
    let effacement = format!("{COACH}/api/v1/reservations/{}/effacement", r.id);
    // Another booking's secret, or none: nothing is read, nothing is erased.
    let faux = autre["token"].as_str().unwrap();
    assert_eq!(app.get_gestion(&donnees, faux).status, 404);
    assert_eq!(app.get(&donnees).status, 401);
    let avant = etat(&app);
    assert_eq!(
        app.post_json(&effacement, &j!({ "token": faux })).status,
        404
    );
    assert_eq!(app.post_json(&effacement, &j!({})).status, 401);
    assert_eq!(avant, etat(&app));
    // Its own secret: the export, then the erasure.
    let lu = app.get_gestion(&donnees, &r.token);
    assert_eq!(lu.status, 200, "{}", lu.text());
    let export = json(&lu);
    assert_eq!(export["reservations"][0]["client_email"], EMAIL);
    assert_eq!(export["reservations"][0]["reponses"]["format"], "visio");
    assert!(export["courriels"].as_array().unwrap().len() >= 2);
    assert!(export.get("compte").is_none());
    assert!(!lu.text().contains("lea.martin@exemple.fr"));
    let e = app.post_json(&effacement, &j!({ "token": r.token }));
    assert_eq!(e.status, 200, "{}", e.text());
    assert_eq!(
        json(&e)["annulees"][0]["remboursement"]["statut"],
        "aucun_paiement"
    );
    for aiguille in [NOM, EMAIL] {
        assert_eq!(
            occurrences(&app, aiguille),
            Vec::<String>::new(),
            "{aiguille}"
        );
    }
    // The other booking is untouched; the erased one is cancelled, its slot free.
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM reservations WHERE client_email = 'lea.martin@exemple.fr'"
        ),
        1
    );
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE id = '{}' AND statut = 'annulee'",
            r.id
        )),
        1
    );
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM occupations WHERE seance = '{}'",
            r.id
        )),
        0
    );
    // A replay finds nothing: the secret opens nothing any more.
    assert_eq!(
        app.post_json(&effacement, &j!({ "token": r.token })).status,
        404
    );
    assert_eq!(app.get_gestion(&donnees, &r.token).status, 404);
}

#[test]
fn a_guest_cannot_erase_a_paid_booking_to_dodge_its_deposit_and_the_payment_stays() {
    let app = TestApp::spawn().with_demo_data();
    let r = garage_paye(&app, None, "2026-11-25", "2026-11-26", "pi_rgpd_4");
    let effacement = format!("{GARAGE}/api/v1/reservations/{}/effacement", r.id);
    let avant = etat(&app);
    let e = app.post_json(&effacement, &j!({ "token": r.token }));
    assert_eq!(e.status, 409, "{}", e.text());
    assert_eq!(json(&e)["code"], "remboursement_perdu");
    assert_eq!(avant, etat(&app));
    let e = app.post_json(
        &effacement,
        &j!({ "token": r.token, "renoncer_remboursement": true }),
    );
    assert_eq!(e.status, 200, "{}", e.text());
    assert!(app.http.requests_to("/v1/refunds").is_empty());
    assert_eq!(statut_paiement(&app, &r.id), "paye");
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM paiements WHERE reservation_id = '{}' AND montant > 0",
            r.id
        )),
        1
    );
}

#[test]
fn a_guest_erases_from_the_manage_page_behind_its_cookie_and_csrf() {
    let app = TestApp::spawn().with_demo_data();
    let r = invitee(&app);
    let mut nav = Navigateur::new(&app);
    let gestion = nav.ouvrir(&format!("{COACH}/reservations/{}?token={}", r.id, r.token));
    assert_eq!(gestion.status, 200);
    assert!(gestion
        .text()
        .contains(&format!("/reservations/{}/effacement", r.id)));
    let telecharge = nav.get(&format!("{COACH}/reservations/{}/donnees", r.id));
    assert_eq!(telecharge.status, 200);
    assert!(telecharge
        .header("content-disposition")
        .unwrap()
        .starts_with("attachment"));
    assert!(telecharge.text().contains(EMAIL));
    let page = format!("{COACH}/reservations/{}/effacement", r.id);
    let avant = etat(&app);
    let forge = nav.post(&page, &[]);
    assert_eq!(forge.status, 403);
    assert_eq!(avant, etat(&app));
    // Without the link's cookie: the page asks for the e-mail's link.
    let mut etranger = Navigateur::new(&app);
    assert_eq!(etranger.get(&page).status, 403);
    let fait = nav.soumettre(&page, &page, &[]);
    assert_eq!(fait.status, 200, "{}", fait.text());
    assert!(fait
        .text()
        .contains("Vos données de ce rendez-vous sont effacées"));
    assert_eq!(occurrences(&app, EMAIL), Vec::<String>::new());
}

#[test]
fn the_cron_anonymises_bookings_older_than_three_years_once_even_in_overlapping_runs() {
    let app = TestApp::spawn().with_demo_data();
    let r = invitee(&app);
    let recente = invitee(&app);
    app.run_cron();
    let trois_ans = 3 * 365 * 86400 + 86400;
    app.db.execute_script(&format!(
        "UPDATE reservations SET statut = 'terminee', date_heure = date_heure - {trois_ans} - 86400, fin = fin - {trois_ans} - 86400 WHERE id = '{}';
         DELETE FROM occupations WHERE seance = '{}';
         UPDATE outbox SET envoyer_a = envoyer_a - 400 * 86400 WHERE reservation_id = '{}' AND statut = 'envoye';",
        r.id, r.id, r.id
    ));
    let anciennes = app.db.scalar(&format!(
        "SELECT count(*) FROM reservations WHERE anonymisee_at IS NULL AND fin < {}",
        app.clock_now().timestamp() - 3 * 365 * 86400
    ));
    assert!(anciennes >= 1);
    // The e-mails sent more than a year ago go too.
    let vieux_courriels = format!(
        "SELECT count(*) FROM outbox WHERE reservation_id = '{}' AND envoyer_a < {}",
        r.id,
        app.clock_now().timestamp() - 365 * 86400
    );
    assert!(app.db.scalar(&vieux_courriels) > 0);
    app.run_crons_at_once(2);
    assert_eq!(
        app.db.scalar(&format!("SELECT count(*) FROM reservations WHERE id = '{}' AND client_nom = 'Client supprimé' AND client_email = 'client-supprime@anonyme.invalid' AND client_telephone = '' AND reponses = '{{}}' AND anonymisee_at IS NOT NULL", r.id)),
        1
    );
    assert_eq!(app.db.scalar(&vieux_courriels), 0);
    // The recent booking keeps its client; a later run changes nothing more.
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE id = '{}' AND client_email = '{EMAIL}'",
            recente.id
        )),
        1
    );
    let apres = etat(&app);
    app.run_cron();
    assert_eq!(apres, etat(&app));
}

#[test]
fn the_privacy_page_names_the_processors_the_legal_bases_and_the_retention_per_vertical() {
    let app = TestApp::spawn().with_demo_data();
    let mut garage = crate::pages_outils::Navigateur::new(&app, "garage");
    let page = garage.page("/confidentialite");
    for attendu in [
        "6.1.b",
        "6.1.c",
        "6.1.f",
        "Cloudflare",
        "Stripe",
        "prestataire d'envoi d'e-mails",
        "Immatriculation",
        "3 ans",
        "365 jours",
        "href=\"/compte/donnees\"",
        "href=\"/compte/suppression\"",
        "CNIL",
        "États-Unis",
    ] {
        assert!(page.contains(attendu), "garage: {attendu}");
    }
    let mut coach = crate::pages_outils::Navigateur::new(&app, "coach");
    let page = coach.page("/confidentialite");
    assert!(page.contains("Cloudflare") && page.contains("6.1.b"));
    assert!(
        !page.contains("Stripe"),
        "the coach vertical takes no payment online"
    );
}
