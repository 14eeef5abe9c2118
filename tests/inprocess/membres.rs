//! Establishments and their members (issue 15): the migration that makes every
//! professional an establishment with one member, and the claims keyed by member.

use booking_shared::store::{Db, Row, Statement, Value};
use booking_tests::{json, SqliteDb, TestApp};
use chrono::{TimeZone, Utc};
use serde_json::Value as Json;

use crate::api_reservations::{coach_body, RESERVER};

const MIGRATION: &str = "migrations/0022_membres.sql";

pub(crate) fn lignes(db: &SqliteDb, sql: &str) -> Vec<Row> {
    futures::executor::block_on(db.query(Statement::new(sql)))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn noms(db: &SqliteDb, sql: &str) -> Vec<String> {
    lignes(db, sql)
        .iter()
        .filter_map(|r| r.values().next().and_then(Json::as_str).map(str::to_owned))
        .collect()
}

fn colonnes(db: &SqliteDb, table: &str) -> Vec<String> {
    noms(
        db,
        &format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"),
    )
}

/// The tables of `db` that hold rows of their own: not SQLite's, not the search index
/// (its triggers rebuild it from the rows copied) nor the per-city counts (likewise).
fn tables(db: &SqliteDb) -> Vec<String> {
    noms(
        db,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name NOT LIKE 'recherche%' AND name <> 'villes_listees' ORDER BY name",
    )
}

fn valeur(v: &Json) -> Value {
    match v {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Integer(i64::from(*b)),
        Json::Number(n) => n.as_i64().map_or_else(
            || Value::Real(n.as_f64().unwrap_or_default()),
            Value::Integer,
        ),
        Json::String(s) => Value::Text(s.clone()),
        autre => Value::Text(autre.to_string()),
    }
}

/// Copies the rows of `de` (the schema of today) into `vers` (the schema before 0022),
/// column by column where both have it; a slot claim goes back to its professional and
/// its booking, as it was keyed before.
fn copier(de: &SqliteDb, vers: &SqliteDb) {
    let mut batch = vec![Statement::new("PRAGMA defer_foreign_keys = true")];
    for table in tables(vers) {
        if vers.scalar(&format!("SELECT count(*) FROM \"{table}\"")) > 0 {
            continue; // reference rows the migrations wrote (départements…)
        }
        let avant = colonnes(vers, &table);
        let apres = colonnes(de, &table);
        let (liste, select) = if table == "occupations" {
            (
                avant.clone(),
                "SELECT r.professionnel_id AS professionnel_id, o.tranche AS tranche, \
                 o.seance AS reservation_id FROM occupations o JOIN reservations r ON r.id = o.seance"
                    .to_owned(),
            )
        } else {
            let communes: Vec<String> = avant
                .iter()
                .filter(|c| apres.contains(c))
                .cloned()
                .collect();
            let select = format!("SELECT {} FROM \"{table}\"", communes.join(", "));
            (communes, select)
        };
        let marques: Vec<String> = (1..=liste.len()).map(|i| format!("?{i}")).collect();
        for ligne in lignes(de, &select) {
            let mut insertion = Statement::new(format!(
                "INSERT INTO \"{table}\" ({}) VALUES ({})",
                liste.join(", "),
                marques.join(", ")
            ));
            insertion.params = liste.iter().map(|c| valeur(&ligne[c.as_str()])).collect();
            batch.push(insertion);
        }
    }
    futures::executor::block_on(vers.batch(batch)).unwrap_or_else(|e| panic!("copy: {e}"));
}

fn uuid(c: char) -> String {
    format!("{}-0000-4000-8000-000000000000", c.to_string().repeat(8))
}

/// Bookings of the demo garage 301 (service 3011) in every status, with the claims of the
/// active ones, their payments, a reminder to send and a waitlist entry holding the offer.
fn cas_en_plus(db: &SqliteDb) {
    let hash = "a".repeat(64);
    let jour = Utc
        .with_ymd_and_hms(2026, 12, 20, 8, 0, 0)
        .single()
        .unwrap()
        .timestamp();
    let statuts = [
        ('a', "offerte", "NULL"),
        ('b', "en_attente_confirmation", "NULL"),
        ('c', "en_attente_paiement", "NULL"),
        ('d', "confirmee", "NULL"),
        ('e', "terminee", "NULL"),
        ('f', "absent", "NULL"),
        ('0', "annulee", "'client'"),
        ('9', "expiree", "NULL"),
    ];
    let mut sql = String::new();
    for (i, (c, statut, par)) in (0_i64..).zip(statuts) {
        let debut = jour + i * 3600;
        let active = matches!(
            statut,
            "offerte" | "en_attente_confirmation" | "en_attente_paiement" | "confirmee"
        );
        let expire = if active && statut != "confirmee" {
            (debut - 86400).to_string()
        } else {
            "NULL".to_owned()
        };
        sql.push_str(&format!(
            "INSERT INTO reservations (id, professionnel_id, service_id, date_heure, fin, statut, \
             client_nom, client_email, prix_centimes, a_payer_centimes, manage_token_hash, expire_at, \
             annulee_par, created_at, updated_at) VALUES ('{}', 301, 3011, {debut}, {}, '{statut}', \
             'Client {c}', 'client.{c}@exemple.fr', 8900, 2000, '{hash}', {expire}, {par}, 1, 1);\n",
            uuid(c),
            debut + 3600
        ));
        if active {
            sql.push_str(&format!(
                "INSERT INTO occupations (professionnel_id, tranche, reservation_id) \
                 WITH RECURSIVE t(x) AS (SELECT {debut} UNION ALL SELECT x + 300 FROM t WHERE x + 300 < {}) \
                 SELECT 301, x, '{}' FROM t;\n",
                debut + 3600,
                uuid(c)
            ));
        }
        if matches!(statut, "en_attente_paiement" | "confirmee" | "expiree") {
            sql.push_str(&format!(
                "INSERT INTO paiements (reservation_id, montant, type, statut, stripe_checkout_session_id, \
                 created_at, updated_at) VALUES ('{}', 2000, 'acompte', '{}', 'cs_{c}', 1, 1);\n",
                uuid(c),
                if statut == "confirmee" { "paye" } else { "en_attente" }
            ));
        }
    }
    sql.push_str(&format!(
        "INSERT INTO liste_attente (id, professionnel_id, service_id, email, nom, fin_fenetre, statut, \
         jeton_hash, base_url, created_at, updated_at) VALUES (1, 301, 3011, 'client.a@exemple.fr', \
         'Client a', {0}, 'active', '{hash}', 'http://garage.localhost:8787', 1, 1);
         INSERT INTO liste_attente_offres (inscription_id, debut, reservation_id, created_at) \
         VALUES (1, {jour}, '{1}', 1);
         INSERT INTO outbox (cle, kind, reservation_id, destinataire, envoyer_a, created_at) \
         VALUES ('rappel:{2}:1440', 'rappel', '{2}', 'client.d@exemple.fr', 0, 1);",
        jour + 86400,
        uuid('a'),
        uuid('d')
    ));
    db.execute_script(&sql);
}

/// Every table's rows, each sorted, read with the columns it had before 0022 (`migree`:
/// after it, where the claims are keyed by member and session).
fn contenu(
    db: &SqliteDb,
    tables_avant: &[(String, Vec<String>)],
    migree: bool,
) -> Vec<(String, Vec<Row>)> {
    tables_avant
        .iter()
        .map(|(table, colonnes)| {
            let liste = if migree && table == "occupations" {
                "membre_id AS professionnel_id, tranche, seance AS reservation_id".to_owned()
            } else {
                colonnes
                    .iter()
                    // Marked stale by the migration's writes: the next free slot is
                    // computed again, which is a new value, not a lost one.
                    .filter(|c| !(table == "professionnels" && c.starts_with("dispo_")))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let tri: Vec<String> = (1..=liste.split(", ").count())
                .map(|i| i.to_string())
                .collect();
            let rows = lignes(
                db,
                &format!(
                    "SELECT {liste} FROM \"{table}\" ORDER BY {}",
                    tri.join(", ")
                ),
            );
            (table.clone(), rows)
        })
        .collect()
}

fn base_migree() -> (SqliteDb, Vec<(String, Vec<Row>)>) {
    let demo = TestApp::spawn().with_demo_data();
    let db = SqliteDb::migrated_before("0022");
    copier(&demo.db, &db);
    cas_en_plus(&db);
    let tables_avant: Vec<(String, Vec<String>)> = tables(&db)
        .into_iter()
        .map(|t| {
            let c = colonnes(&db, &t);
            (t, c)
        })
        .collect();
    let avant = contenu(&db, &tables_avant, false);
    db.apply_migration(&booking_tests::root().join(MIGRATION));
    let apres = contenu(&db, &tables_avant, true);
    for ((table, a), (_, b)) in avant.iter().zip(&apres) {
        assert_eq!(a.len(), b.len(), "{table}: rows lost or added");
        assert!(a == b, "{table}: rows changed by the migration");
    }
    (db, avant)
}

#[test]
fn the_migration_makes_every_professional_an_establishment_with_one_member_and_loses_nothing() {
    let (db, avant) = base_migree();
    let compte = |table: &str| {
        avant
            .iter()
            .find(|(t, _)| t == table)
            .map_or(0, |(_, rows)| rows.len())
    };
    // The data is there to be kept: every status, claims, payments, reviews, hours, time
    // off, a waitlist entry with its offer.
    assert_eq!(
        db.scalar("SELECT count(DISTINCT statut) FROM reservations"),
        8
    );
    for table in [
        "professionnels",
        "services",
        "disponibilites",
        "absences",
        "reservations",
        "occupations",
        "paiements",
        "avis",
        "liste_attente",
        "liste_attente_offres",
        "outbox",
    ] {
        assert!(compte(table) > 0, "{table} is empty: nothing is tested");
    }
    let zero = |sql: &str| assert_eq!(db.scalar(sql), 0, "{sql}");
    // One member per professional, of the same id, holding everything of theirs.
    assert_eq!(
        db.scalar("SELECT count(*) FROM membres"),
        db.scalar("SELECT count(*) FROM professionnels")
    );
    zero(
        "SELECT count(*) FROM professionnels p WHERE NOT EXISTS \
         (SELECT 1 FROM membres m WHERE m.id = p.id AND m.professionnel_id = p.id \
          AND m.actif = 1 AND m.genre = 'personne')",
    );
    zero("SELECT count(*) FROM disponibilites WHERE membre_id IS NOT professionnel_id");
    zero("SELECT count(*) FROM absences WHERE membre_id IS NOT professionnel_id");
    zero(
        "SELECT count(*) FROM reservations WHERE membre_id IS NOT professionnel_id \
         OR ressource_id IS NOT NULL",
    );
    assert_eq!(
        db.scalar("SELECT count(*) FROM services_membres"),
        db.scalar("SELECT count(*) FROM services")
    );
    zero(
        "SELECT count(*) FROM services s WHERE s.places <> 1 OR NOT EXISTS \
         (SELECT 1 FROM services_membres sm WHERE sm.service_id = s.id \
          AND sm.membre_id = s.professionnel_id)",
    );
    zero("SELECT count(*) FROM places_reservees");
    // The schema holds together.
    assert!(lignes(&db, "PRAGMA foreign_key_check").is_empty());
    assert_eq!(noms(&db, "PRAGMA integrity_check"), vec!["ok".to_owned()]);
    // The next-free-slot triggers of `reservations` are back.
    assert_eq!(
        db.scalar(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'reservations' \
             AND name LIKE '%_dispo'"
        ),
        2
    );
    zero("SELECT count(*) FROM reservations WHERE seance IS NOT NULL");
}

/// The starts of the free slots of the demo coach's `service`, two days ahead and on.
fn debuts(app: &TestApp, service: i64) -> Vec<String> {
    app.creneaux(
        "coach.localhost",
        "claire-fontaine",
        service,
        "2026-11-27",
        "2026-12-02",
    )
    .into_iter()
    .map(|(d, _)| d)
    .collect()
}

/// The answers of a race: the created ones, the others refused with one of the `codes`
/// of 409 or, as in the single professional's race, 429 when the professional received
/// too many unconfirmed requests at once (the attempts count); never a 5xx.
fn creees(reponses: &[booking_functions::http::Response], codes: &[&str]) -> usize {
    let mut refus_409 = 0;
    for r in reponses.iter().filter(|r| r.status != 201) {
        let code = json(r)["code"].as_str().unwrap_or_default().to_owned();
        assert!(
            (r.status == 409 && codes.contains(&code.as_str()))
                || (r.status == 429 && code == "professionnel_trop_sollicite"),
            "{} {}",
            r.status,
            r.text()
        );
        refus_409 += usize::from(r.status == 409);
    }
    let creees = reponses.iter().filter(|r| r.status == 201).count();
    assert!(refus_409 * 2 >= reponses.len() - creees, "mostly 409");
    creees
}

/// The start of a booking, as the API writes it.
fn debut_de(db: &SqliteDb, id: &str) -> String {
    let t = db.scalar(&format!(
        "SELECT date_heure FROM reservations WHERE id = '{id}'"
    ));
    Utc.timestamp_opt(t, 0)
        .single()
        .unwrap()
        .with_timezone(&chrono_tz::Europe::Paris)
        .to_rfc3339()
}

#[test]
fn after_the_migration_a_kept_claim_still_refuses_an_overlap_and_a_free_slot_is_booked() {
    let (db, _) = base_migree();
    let mut app = TestApp::spawn();
    app.db = db;
    let prise = noms(
        &app.db,
        "SELECT id FROM reservations WHERE professionnel_id = 101 AND statut = 'confirmee' \
         AND date_heure > strftime('%s', '2026-11-26') ORDER BY date_heure LIMIT 1",
    );
    let debut = debut_de(&app.db, &prise[0]);
    let avant = app.db.scalar("SELECT count(*) FROM reservations");
    let r = app.post_json(RESERVER, &coach_body(&debut));
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(app.db.scalar("SELECT count(*) FROM reservations"), avant);

    // The migrated garage's claims hold too: its confirmed booking's granule is taken.
    assert!(std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        app.db.execute_script(&format!(
            "INSERT INTO occupations VALUES (301, (SELECT date_heure FROM reservations \
             WHERE id = '{}'), 'autre')",
            uuid('d')
        ))
    }))
    .is_err());

    let libre = debuts(&app, 1012).remove(0);
    let r = app.post_json(RESERVER, &coach_body(&libre));
    assert_eq!(r.status, 201, "{}", r.text());
    let id = json(&r)["id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM reservations WHERE id = '{id}' AND membre_id = 101"
        )),
        1,
        "the booking is the only member's"
    );
    assert!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM occupations WHERE seance = '{id}' AND membre_id = 101"
        )) > 0
    );
}

#[test]
fn a_professional_created_after_the_migration_starts_with_one_member_who_does_every_service() {
    let app = TestApp::spawn().with_demo_data();
    // The demo's professionals are written after every migration (the demo's teams,
    // 107, 207 and 307, rename that member afterwards, as the pro space lets them).
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM professionnels p WHERE (SELECT count(*) FROM membres m \
             WHERE m.professionnel_id = p.id AND m.nom = substr(p.nom, 1, 80)) <> 1 \
             AND p.id NOT IN (107, 207, 307)"
        ),
        0
    );
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM services s WHERE NOT EXISTS (SELECT 1 FROM services_membres sm \
             JOIN membres m ON m.id = sm.membre_id WHERE sm.service_id = s.id \
             AND m.professionnel_id = s.professionnel_id)"
        ),
        0
    );
    // A service is never performed by another establishment's member.
    assert!(std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        app.db.execute_script(
            "INSERT INTO services_membres (service_id, membre_id) \
             SELECT 1012, id FROM membres WHERE professionnel_id = 301",
        )
    }))
    .is_err());
    // Every booking of the demo is assigned to its professional's member.
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM reservations r JOIN membres m ON m.id = r.membre_id \
             WHERE m.professionnel_id <> r.professionnel_id"
        ),
        0
    );
}

/// The demo coach Claire Fontaine (101) becomes a team: two more coaches with her hours
/// who can give her service 1012.
fn equipe_de_trois(app: &TestApp) -> Vec<i64> {
    app.db.execute_script(
        "INSERT INTO membres (professionnel_id, nom, position, created_at) \
         VALUES (101, 'Coach deux', 1, 0), (101, 'Coach trois', 2, 0);
         INSERT INTO services_membres (service_id, membre_id) \
         SELECT 1012, id FROM membres WHERE professionnel_id = 101 AND nom LIKE 'Coach %';
         INSERT INTO disponibilites (professionnel_id, recurrence, jour_semaine, date, heure_debut, \
         heure_fin, membre_id) SELECT d.professionnel_id, d.recurrence, d.jour_semaine, d.date, \
         d.heure_debut, d.heure_fin, m.id FROM disponibilites d JOIN membres m \
         ON m.professionnel_id = d.professionnel_id AND m.nom LIKE 'Coach %' \
         WHERE d.professionnel_id = 101;",
    );
    lignes(
        &app.db,
        "SELECT id FROM membres WHERE professionnel_id = 101 ORDER BY position, id",
    )
    .iter()
    .map(|r| r["id"].as_i64().unwrap())
    .collect()
}

fn corps(debut: &str, n: usize) -> Json {
    let mut corps = coach_body(debut);
    corps["email"] = format!("client.{n}@exemple.fr").into();
    corps
}

fn requete(debut: &str, n: usize) -> booking_functions::http::Request {
    let mut r =
        booking_functions::http::Request::new(booking_functions::http::Method::Post, RESERVER);
    r.headers
        .push(("content-type".into(), "application/json".into()));
    r.headers.push((
        "cf-connecting-ip".into(),
        format!("192.0.2.{}", n % 200 + 1),
    ));
    r.body = corps(debut, n).to_string().into_bytes();
    r
}

fn membre_de(app: &TestApp, id: &str) -> i64 {
    app.db.scalar(&format!(
        "SELECT membre_id FROM reservations WHERE id = '{id}'"
    ))
}

fn offert(app: &TestApp, debut: &str) -> bool {
    debuts(app, 1012).iter().any(|d| d == debut)
}

/// A slot free for the whole team, on a day none of them has a booking.
fn creneau_libre_pour_tous(app: &TestApp) -> String {
    debuts(app, 1012)
        .into_iter()
        .find(|d| {
            lignes(
                &app.db,
                &format!(
                "SELECT 1 FROM reservations WHERE professionnel_id = 101 AND statut = 'confirmee' \
                 AND date(date_heure, 'unixepoch') = substr('{d}', 1, 10)"
            ),
            )
            .is_empty()
        })
        .expect("a free slot")
}

#[test]
fn peu_importe_gives_each_free_member_one_booking_of_a_slot_then_refuses() {
    let app = TestApp::spawn().with_demo_data();
    let equipe = equipe_de_trois(&app);
    let debut = creneau_libre_pour_tous(&app);
    let mut assignes = Vec::new();
    for n in 0..3 {
        assert!(offert(&app, &debut), "still offered after {n} bookings");
        let r = app.post_json_from(RESERVER, &corps(&debut, n), &format!("192.0.2.{}", n + 1));
        assert_eq!(r.status, 201, "{}", r.text());
        let id = json(&r)["id"].as_str().unwrap().to_owned();
        assignes.push(membre_de(&app, &id));
        // Its claims are its member's.
        assert!(
            app.db.scalar(&format!(
                "SELECT count(*) FROM occupations WHERE seance = '{id}' AND membre_id = {}",
                assignes[n]
            )) > 0
        );
    }
    // Fewest bookings that day first, then in id order: here, the team in order.
    assert_eq!(assignes, equipe);
    assert!(!offert(&app, &debut), "nobody is free any more");
    let avant = app.db.scalar("SELECT count(*) FROM reservations");
    let r = app.post_json_from(RESERVER, &corps(&debut, 3), "192.0.2.4");
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(app.db.scalar("SELECT count(*) FROM reservations"), avant);

    // Cancelling one frees its member alone: the slot comes back, and goes to it.
    let deuxieme = lignes(
        &app.db,
        &format!(
            "SELECT id FROM reservations WHERE membre_id = {} AND client_email = 'client.1@exemple.fr'",
            equipe[1]
        ),
    );
    let id = deuxieme[0]["id"].as_str().unwrap().to_owned();
    app.db.execute_script(&format!(
        "UPDATE reservations SET statut = 'annulee', annulee_par = 'client' WHERE id = '{id}';
         DELETE FROM occupations WHERE seance = '{id}';"
    ));
    assert!(offert(&app, &debut));
    let r = app.post_json_from(RESERVER, &corps(&debut, 4), "192.0.2.5");
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(membre_de(&app, json(&r)["id"].as_str().unwrap()), equipe[1]);
}

#[test]
fn fifty_concurrent_peu_importe_bookings_of_one_slot_at_a_team_of_three_give_exactly_three() {
    let app = TestApp::spawn().with_demo_data();
    let equipe = equipe_de_trois(&app);
    let debut = creneau_libre_pour_tous(&app);
    let reponses = app.send_all_at_once((0..50).map(|n| requete(&debut, n)).collect());
    assert_eq!(creees(&reponses, &["creneau_indisponible"]), 3);
    let mut assignes: Vec<i64> = reponses
        .iter()
        .filter(|r| r.status == 201)
        .map(|r| membre_de(&app, json(r)["id"].as_str().unwrap()))
        .collect();
    assignes.sort_unstable();
    assert_eq!(assignes, equipe, "one booking per member");
    // No member's active bookings overlap.
    assert_eq!(
        app.db.scalar(
            "SELECT count(*) FROM reservations a JOIN reservations b ON a.membre_id = b.membre_id \
             AND a.id < b.id AND a.date_heure < b.fin AND b.date_heure < a.fin \
             WHERE a.statut NOT IN ('annulee', 'expiree') AND b.statut NOT IN ('annulee', 'expiree')"
        ),
        0
    );
}

#[test]
fn a_service_needing_a_resource_takes_a_person_and_a_free_resource_in_the_same_batch() {
    let app = TestApp::spawn().with_demo_data();
    let equipe = equipe_de_trois(&app);
    // One room for the whole team: one booking of a slot at a time, whoever gives it.
    app.db.execute_script(
        "INSERT INTO membres (professionnel_id, nom, genre, position, created_at) \
         VALUES (101, 'Salle', 'ressource', 3, 0);
         INSERT INTO services_membres (service_id, membre_id) \
         SELECT 1012, id FROM membres WHERE nom = 'Salle';
         INSERT INTO disponibilites (professionnel_id, recurrence, jour_semaine, date, heure_debut, \
         heure_fin, membre_id) SELECT professionnel_id, recurrence, jour_semaine, date, heure_debut, \
         heure_fin, (SELECT id FROM membres WHERE nom = 'Salle') FROM disponibilites \
         WHERE membre_id = (SELECT min(id) FROM membres WHERE professionnel_id = 101);",
    );
    let salle = app.db.scalar("SELECT id FROM membres WHERE nom = 'Salle'");
    let debut = creneau_libre_pour_tous(&app);
    let reponses = app.send_all_at_once((0..10).map(|n| requete(&debut, n)).collect());
    assert_eq!(creees(&reponses, &["creneau_indisponible"]), 1);
    let r = reponses.iter().find(|r| r.status == 201).unwrap();
    let id = json(r)["id"].as_str().unwrap().to_owned();
    assert_eq!(membre_de(&app, &id), equipe[0]);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT ressource_id FROM reservations WHERE id = '{id}'"
        )),
        salle
    );
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(DISTINCT membre_id) FROM occupations WHERE seance = '{id}'"
        )),
        2,
        "the person's and the room's granules"
    );
    assert!(!offert(&app, &debut), "the room is taken");
}

/// A group session of `places` seats at the demo coach (one member): its service's id.
fn seance_collective(app: &TestApp, places: i64) -> i64 {
    app.db.execute_script(&format!(
        "INSERT INTO services (professionnel_id, nom, duree_minutes, prix_centimes, places, position) \
         VALUES (101, 'Séance collective', 60, 0, {places}, 9);"
    ));
    app.db
        .scalar("SELECT id FROM services WHERE nom = 'Séance collective'")
}

fn corps_seance(service: i64, debut: &str, n: usize) -> Json {
    let mut corps = corps(debut, n);
    corps["service"] = service.into();
    corps
}

fn places_restantes(app: &TestApp, service: i64, debut: &str) -> Option<i64> {
    places_a(
        app,
        &format!(
            "http://coach.localhost:8787/api/v1/professionnels/claire-fontaine/creneaux?service={service}&du=2026-11-27&au=2026-12-02"
        ),
        debut,
    )
}

/// The seats left at `debut` in the slots the API lists at `creneaux`, if it lists it.
pub(crate) fn places_a(app: &TestApp, creneaux: &str, debut: &str) -> Option<i64> {
    let r = app.get(creneaux);
    assert_eq!(r.status, 200, "{}", r.text());
    json(&r)["creneaux"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["debut"] == debut)
        .map(|c| c["places"].as_i64().unwrap())
}

#[test]
fn a_group_session_seats_its_places_shows_the_seats_left_and_frees_one_on_cancellation() {
    let app = TestApp::spawn().with_demo_data();
    let service = seance_collective(&app, 3);
    let debut = creneau_libre_pour_tous(&app);
    assert_eq!(places_restantes(&app, service, &debut), Some(3));
    let mut ids = Vec::new();
    for n in 0..3 {
        let r = app.post_json_from(
            RESERVER,
            &corps_seance(service, &debut, n),
            &format!("192.0.2.{}", n + 1),
        );
        assert_eq!(r.status, 201, "{}", r.text());
        let b = json(&r);
        ids.push((
            b["id"].as_str().unwrap().to_owned(),
            b["token"].as_str().unwrap().to_owned(),
        ));
        let restantes = places_restantes(&app, service, &debut);
        assert_eq!(restantes, (n < 2).then_some(2 - i64::try_from(n).unwrap()));
    }
    // One session: its granules once, three seats numbered 1 to 3.
    let seance = noms(
        &app.db,
        &format!("SELECT seance FROM reservations WHERE id = '{}'", ids[0].0),
    )[0]
    .clone();
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(DISTINCT seance) FROM reservations WHERE id IN ('{}', '{}', '{}')",
            ids[0].0, ids[1].0, ids[2].0
        )),
        1
    );
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT group_concat(place) = '1,2,3' FROM (SELECT place FROM places_reservees \
             WHERE seance = '{seance}' ORDER BY place)"
        )),
        1
    );
    let granules = app.db.scalar(&format!(
        "SELECT count(*) FROM occupations WHERE seance = '{seance}'"
    ));
    assert!(granules >= 12, "an hour and its buffer, once: {granules}");
    // The fourth is refused; so is a one-to-one appointment of the same coach meeting it.
    let r = app.post_json_from(RESERVER, &corps_seance(service, &debut, 3), "192.0.2.4");
    assert_eq!(r.status, 409, "{}", r.text());
    let r = app.post_json_from(RESERVER, &corps(&debut, 4), "192.0.2.5");
    assert_eq!(r.status, 409, "{}", r.text());

    // Cancelling one seat frees it (the session keeps its granules); the last one, the
    // granules too.
    let annuler = |(id, jeton): &(String, String)| {
        let r = app.post_json(
            &format!("{RESERVER}/{id}/annuler"),
            &serde_json::json!({ "token": jeton }),
        );
        assert_eq!(r.status, 200, "{}", r.text());
    };
    annuler(&ids[1]);
    assert_eq!(places_restantes(&app, service, &debut), Some(1));
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM occupations WHERE seance = '{seance}'"
        )),
        granules
    );
    let r = app.post_json_from(RESERVER, &corps_seance(service, &debut, 5), "192.0.2.6");
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    let nouvelle = (
        b["id"].as_str().unwrap().to_owned(),
        b["token"].as_str().unwrap().to_owned(),
    );
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT place FROM places_reservees WHERE reservation_id = '{}'",
            nouvelle.0
        )),
        2,
        "the seat given back"
    );
    for reservee in [&ids[0], &ids[2], &nouvelle] {
        annuler(reservee);
    }
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM occupations WHERE seance = '{seance}'"
        )),
        0
    );
    assert_eq!(places_restantes(&app, service, &debut), Some(3));
}

#[test]
fn fifty_concurrent_bookings_of_a_group_session_of_eight_give_exactly_eight() {
    let app = TestApp::spawn().with_demo_data();
    let service = seance_collective(&app, 8);
    let debut = creneau_libre_pour_tous(&app);
    let requetes = (0..50)
        .map(|n| {
            let mut r = requete(&debut, n);
            r.body = corps_seance(service, &debut, n).to_string().into_bytes();
            r
        })
        .collect();
    let reponses = app.send_all_at_once(requetes);
    assert_eq!(
        creees(&reponses, &["seance_complete", "creneau_indisponible"]),
        8
    );
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM places_reservees p JOIN reservations r ON r.id = p.reservation_id \
             WHERE r.service_id = {service}"
        )),
        8
    );
    assert_eq!(places_restantes(&app, service, &debut), None);
}

#[test]
fn a_client_may_choose_a_member_but_not_one_of_another_establishment_nor_a_resource() {
    let app = TestApp::spawn().with_demo_data();
    let equipe = equipe_de_trois(&app);
    let debut = creneau_libre_pour_tous(&app);
    let r = app.get(
        "http://coach.localhost:8787/api/v1/professionnels/claire-fontaine/creneaux?service=1012&du=2026-11-27&au=2026-12-02",
    );
    let creneau = json(&r)["creneaux"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["debut"] == debut.as_str())
        .cloned()
        .unwrap();
    assert_eq!(creneau["membres"], serde_json::json!(equipe));
    assert_eq!(creneau["places"], 3);

    let mut choisi = corps(&debut, 0);
    choisi["membre"] = equipe[2].into();
    let r = app.post_json_from(RESERVER, &choisi, "192.0.2.1");
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(json(&r)["membre"], equipe[2]);
    assert_eq!(membre_de(&app, json(&r)["id"].as_str().unwrap()), equipe[2]);
    // That member is no longer free then; the others are.
    let mut encore = corps(&debut, 1);
    encore["membre"] = equipe[2].into();
    let r = app.post_json_from(RESERVER, &encore, "192.0.2.2");
    assert_eq!(r.status, 409, "{}", r.text());

    let avant = app.db.scalar("SELECT count(*) FROM reservations");
    let ailleurs = app
        .db
        .scalar("SELECT min(id) FROM membres WHERE professionnel_id = 301");
    app.db.execute_script(
        "INSERT INTO membres (professionnel_id, nom, genre, created_at) VALUES (101, 'Salle', 'ressource', 0);
         INSERT INTO services_membres (service_id, membre_id) SELECT 1012, id FROM membres WHERE nom = 'Salle';
         UPDATE membres SET actif = 0 WHERE nom = 'Coach trois';",
    );
    let salle = app.db.scalar("SELECT id FROM membres WHERE nom = 'Salle'");
    for (n, membre) in [ailleurs, salle, equipe[2], 0, 9_999_999]
        .into_iter()
        .enumerate()
    {
        let mut intrus = corps(&debut, n + 10);
        intrus["membre"] = membre.into();
        let r = app.post_json_from(RESERVER, &intrus, &format!("192.0.2.{}", n + 10));
        assert_eq!(r.status, 422, "{membre}: {}", r.text());
        let code = json(&r)["code"].clone();
        assert!(
            code == "membre_inconnu" || code == "type_invalide",
            "{membre}: {}",
            r.text()
        );
    }
    assert_eq!(app.db.scalar("SELECT count(*) FROM reservations"), avant);
}

fn reserver_seance(app: &TestApp, service: i64, debut: &str, n: usize) -> (String, String) {
    let r = app.post_json_from(
        RESERVER,
        &corps_seance(service, debut, n),
        &format!("192.0.2.{}", n + 1),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    (
        b["id"].as_str().unwrap().to_owned(),
        b["token"].as_str().unwrap().to_owned(),
    )
}

fn seance_de(app: &TestApp, id: &str) -> String {
    noms(
        &app.db,
        &format!("SELECT seance FROM reservations WHERE id = '{id}'"),
    )[0]
    .clone()
}

#[test]
fn a_moved_seat_leaves_its_session_for_the_other_and_an_expired_hold_gives_its_seat_back() {
    let app = TestApp::spawn().with_demo_data();
    let service = seance_collective(&app, 3);
    let libres = debuts(&app, service);
    let (premier, second) = (&libres[0], &libres[libres.len() - 1]);
    let a = reserver_seance(&app, service, premier, 0);
    let b = reserver_seance(&app, service, premier, 1);
    // Guests' requests: confirmed from the e-mail, they may be moved.
    app.confirm_from_email(&a.0);
    app.confirm_from_email(&b.0);
    let session_a = seance_de(&app, &a.0);
    let granules = |seance: &str| {
        app.db.scalar(&format!(
            "SELECT count(*) FROM occupations WHERE seance = '{seance}'"
        ))
    };
    let deplacer = |(id, jeton): &(String, String), debut: &str| {
        let r = app.post_json(
            &format!("{RESERVER}/{id}/deplacer"),
            &serde_json::json!({ "token": jeton, "debut": debut }),
        );
        assert_eq!(r.status, 200, "{}", r.text());
    };
    deplacer(&a, second);
    let session_b = seance_de(&app, &a.0);
    assert_ne!(session_a, session_b);
    assert!(granules(&session_a) > 0, "b still sits there");
    assert!(granules(&session_b) > 0);
    assert_eq!(places_restantes(&app, service, premier), Some(2));
    assert_eq!(places_restantes(&app, service, second), Some(2));
    deplacer(&b, second);
    assert_eq!(granules(&session_a), 0, "the last seat left");
    assert_eq!(places_restantes(&app, service, premier), Some(3));
    assert_eq!(places_restantes(&app, service, second), Some(1));

    // A guest's seat is held until confirmed; unconfirmed, it expires and is given back.
    let c = reserver_seance(&app, service, second, 2);
    assert_eq!(
        noms(
            &app.db,
            &format!("SELECT statut FROM reservations WHERE id = '{}'", c.0)
        ),
        vec!["en_attente_confirmation".to_owned()]
    );
    assert_eq!(places_restantes(&app, service, second), None);
    app.clock.advance(chrono::Duration::minutes(31));
    app.run_cron();
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(*) FROM places_reservees WHERE reservation_id = '{}'",
            c.0
        )),
        0
    );
    assert_eq!(places_restantes(&app, service, second), Some(1));
}

#[test]
fn a_moved_booking_stays_with_its_member() {
    let app = TestApp::spawn().with_demo_data();
    let equipe = equipe_de_trois(&app);
    let debut = creneau_libre_pour_tous(&app);
    let mut choisi = corps(&debut, 0);
    choisi["membre"] = equipe[1].into();
    let r = app.post_json_from(RESERVER, &choisi, "192.0.2.1");
    assert_eq!(r.status, 201, "{}", r.text());
    let b = json(&r);
    let id = b["id"].as_str().unwrap().to_owned();
    app.confirm_from_email(&id);
    let ailleurs = debuts(&app, 1012)
        .into_iter()
        .rfind(|d| *d != debut)
        .unwrap();
    let r = app.post_json(
        &format!("{RESERVER}/{id}/deplacer"),
        &serde_json::json!({ "token": b["token"], "debut": ailleurs }),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(membre_de(&app, &id), equipe[1]);
    assert_eq!(
        app.db.scalar(&format!(
            "SELECT count(DISTINCT membre_id) || ':' || min(membre_id) = '1:{}' FROM occupations WHERE seance = '{id}'",
            equipe[1]
        )),
        1
    );
}

#[test]
fn a_seat_past_the_capacity_is_refused_by_the_database_as_a_full_session() {
    let app = TestApp::spawn().with_demo_data();
    let service = seance_collective(&app, 2);
    let debut = creneau_libre_pour_tous(&app);
    let (id, _) = reserver_seance(&app, service, &debut, 0);
    reserver_seance(&app, service, &debut, 1);
    let seance = seance_de(&app, &id);
    let autre = noms(
        &app.db,
        "SELECT id FROM reservations WHERE seance IS NULL LIMIT 1",
    )[0]
    .clone();
    // A third seat, whatever the path that would write it, breaks the capacity's CHECK,
    // which reads as a full session (409), not as a failure of ours.
    let erreur = futures::executor::block_on(app.db.batch(vec![Statement::new(format!(
        "INSERT INTO places_reservees (seance, place, reservation_id, capacite) \
         VALUES ('{seance}', 3, '{autre}', 2)"
    ))]))
    .unwrap_err();
    assert!(
        matches!(
            booking_shared::store::reservations::ErreurEcriture::from(erreur),
            booking_shared::store::reservations::ErreurEcriture::Complete
        ),
        "the seat's CHECK names its table"
    );
}
