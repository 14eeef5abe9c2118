//! A property test of the whole JSON API against its OpenAPI document.
//!
//! For every operation the document describes (the OpenAPI test keeps the document and the
//! router equal, so a new route is walked here as soon as it is described), requests are
//! derived from the documented parameters and body schemas: valid values — and the real
//! slugs, ids, free slots and manage tokens of the demo data, so that requests reach deep
//! — boundary values, and hostile mutations: huge numbers, leading zeros, empty and
//! overlong strings, odd Unicode, broken percent-encoding, wrong types, missing required
//! and unknown members, bodies that are not JSON or are too large. Each is sent
//! anonymously, with a forged token, or with a client's, a professional's or an admin's
//! session, on a vertical's domain or on another host.
//!
//! Every answer must be below 500, a status the document lists for that operation,
//! `application/problem+json` with a stable code when it is an error, carry the documented
//! headers (`WWW-Authenticate`, `Retry-After`) and have the documented shape.
//!
//! Reproducible: a fixed seed per operation (set `PROPRIETES_API_GRAINE` to another
//! number to explore further), a bounded number of cases per operation
//! (`PROPRIETES_API_CAS`, 40 by default), each operation on a fresh app with the demo data.

use std::collections::BTreeMap;
use std::sync::Mutex;

use booking_functions::http::{Method, Request, Response};
use booking_shared::stripe::signer;
use booking_tests::{json, percent_encode, TestApp};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde_json::{json as j, Value};

use crate::api_reservations::{coach_body, RESERVER};
use crate::comptes::{admin, client, jeton, pro, Horloge};
use crate::openapi::{document, validate, CHEMIN_OPENAPI};

const CAS_PAR_DEFAUT: u32 = 40;
const GRAINE_PAR_DEFAUT: u64 = 0x0b00_c1e5_2026;

/// One operation of the document: a method on a path pattern.
#[derive(Debug, Clone)]
struct Operation {
    methode: Method,
    chemin: String,
    decrite: Value,
}

fn operations(doc: &Value) -> Vec<Operation> {
    let mut liste = Vec::new();
    for (chemin, methodes) in doc["paths"].as_object().expect("paths") {
        // The description itself is a static file: the Worker never sees it (e2e: sites).
        if chemin == CHEMIN_OPENAPI {
            continue;
        }
        for (cle, decrite) in methodes.as_object().expect("operations") {
            let methode = match cle.as_str() {
                "get" => Method::Get,
                "post" => Method::Post,
                "put" => Method::Put,
                "patch" => Method::Patch,
                "delete" => Method::Delete,
                _ => continue,
            };
            liste.push(Operation {
                methode,
                chemin: chemin.clone(),
                decrite: decrite.clone(),
            });
        }
    }
    liste
}

/// Follows a `$ref` of the document; the name of the component, when it is one.
fn resoudre<'a>(doc: &'a Value, schema: &'a Value) -> (&'a Value, Option<String>) {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let cible = doc
                .pointer(reference.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("dangling {reference}"));
            let nom = reference.rsplit('/').next().map(str::to_owned);
            let (fin, autre) = resoudre(doc, cible);
            (fin, autre.or(nom))
        }
        None => (schema, None),
    }
}

// ---------------------------------------------------------------------------------------
// The world each operation is tried on: a fresh app with the demo data, three sessions,
// bookings with their manage tokens, and the ids a professional owns.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Qui {
    Anonyme,
    JetonFaux,
    Client,
    Pro,
    Admin,
    /// A hostile `Authorization` header (see `AUTORISATIONS_HOSTILES`).
    Entete(usize),
}

/// `Authorization` headers a forger tries: no scheme or token, another scheme, a token
/// signed with "none", an empty signature, a huge one.
const AUTORISATIONS_HOSTILES: &[&str] = &[
    "Bearer",
    "Bearer ",
    "Basic dXNlcjpwYXNzd29yZA==",
    "Bearer eyJhbGciOiJub25lIn0.eyJ1aWQiOjEsInJvbGUiOiJhZG1pbiIsInYiOjB9.",
    "Bearer eyJhbGciOiJIUzI1NiJ9.eyJ1aWQiOjEsInJvbGUiOiJhZG1pbiIsInYiOjB9.",
    "Bearer a.b.c.d",
    "Bearer \u{0}",
    "Bearer (20 000 caractères)",
];

/// `CF-Connecting-IP` values besides well-formed addresses: the rate limits key on it.
const IPS_HOSTILES: &[&str] = &[
    "",
    "pas-une-ip",
    "::1",
    "2001:db8::1",
    "198.51.100.1, 203.0.113.9",
    "999.999.999.999",
    "0.0.0.0",
    "::ffff:198.51.100.7",
];

struct Monde {
    app: TestApp,
    client: i64,
    pro: i64,
    admin: i64,
    exemples: BTreeMap<&'static str, Vec<Value>>,
}

impl Monde {
    fn nouveau() -> Monde {
        let app = TestApp::spawn().with_demo_data();
        let (pro_id, pro_user) = pro(&app, "claire-fontaine");
        let client_id = client(&app, "client@exemple.fr");
        let admin_id = admin(&app);
        let mut exemples: BTreeMap<&'static str, Vec<Value>> = BTreeMap::new();
        let slots = app.creneaux(
            "coach.localhost",
            "claire-fontaine",
            1012,
            "2026-11-26",
            "2026-12-09",
        );
        // Three bookings to act on (by manage token, as the professional, as the client).
        let mut ids = Vec::new();
        let mut tokens = Vec::new();
        for (debut, _) in slots.iter().step_by(7).take(3) {
            let mut corps = coach_body(debut);
            corps["email"] = j!("client@exemple.fr");
            let r = app.post_json(RESERVER, &corps);
            assert_eq!(r.status, 201, "{}", r.text());
            let b = json(&r);
            ids.push(b["id"].clone());
            tokens.push(b["token"].clone());
        }
        app.db.execute_script(&format!(
            "INSERT INTO disponibilites (professionnel_id, recurrence, date, heure_debut, heure_fin) VALUES ({pro_id}, 'date', '2026-12-20', '10:00', '11:00');
             INSERT INTO absences (professionnel_id, type, du, au) VALUES ({pro_id}, 'jours', '2026-12-30', '2026-12-31');"
        ));
        let mut entiers: Vec<Value> = Vec::new();
        for sql in [
            format!("SELECT min(id) FROM services WHERE professionnel_id = {pro_id}"),
            format!("SELECT max(id) FROM services WHERE professionnel_id = {pro_id}"),
            format!("SELECT max(id) FROM disponibilites WHERE professionnel_id = {pro_id}"),
            format!("SELECT max(id) FROM absences WHERE professionnel_id = {pro_id}"),
            format!("SELECT max(id) FROM services WHERE professionnel_id <> {pro_id}"),
        ] {
            entiers.push(j!(app.db.scalar(&sql)));
        }
        entiers.push(j!(pro_id));
        let annuaire =
            json(&app.get("http://coach.localhost:8787/api/v1/professionnels?par_page=50"));
        let mut slugs: Vec<Value> = annuaire["professionnels"]
            .as_array()
            .map(|ps| ps.iter().map(|p| p["slug"].clone()).collect())
            .unwrap_or_default();
        slugs.extend(
            ["claire-fontaine", "coach", "garage", "avocat"]
                .iter()
                .map(|s| j!(s)),
        );
        let debuts: Vec<Value> = slots.iter().map(|(d, _)| j!(d)).collect();
        let fins: Vec<Value> = slots.iter().map(|(_, f)| j!(f)).collect();
        // Path parameters by the segment before them, as the routes use them.
        exemples.insert(
            "services/{id}",
            vec![entiers[0].clone(), entiers[1].clone(), entiers[4].clone()],
        );
        exemples.insert(
            "ouvertures/{id}",
            vec![entiers[2].clone(), entiers[3].clone()],
        );
        exemples.insert(
            "absences/{id}",
            vec![entiers[3].clone(), entiers[2].clone()],
        );
        exemples.insert("professionnels/{id}", vec![j!(pro_id), entiers[0].clone()]);
        // The manage routes name a booking by id and prove it by token: the examples pair
        // the first booking's id with its token (the others stay as other people's).
        exemples.insert("reservations/{id}", vec![ids[0].clone()]);
        exemples.insert(
            "verticaux/{slug}",
            vec![
                j!("coach"),
                j!("avocat"),
                j!("garage"),
                j!("claire-fontaine"),
            ],
        );
        exemples.insert(
            "professionnels/{slug}",
            vec![j!("claire-fontaine"), j!("claire-fontaine"), j!("coach")],
        );
        let mut identifiants = ids.clone();
        identifiants.extend(entiers.iter().cloned());
        exemples.insert("id", identifiants);
        exemples.insert("token", vec![tokens[0].clone()]);
        exemples.insert("slug", slugs.clone());
        exemples.insert("professionnel", slugs);
        exemples.insert(
            "service",
            vec![entiers[0].clone(), entiers[1].clone(), entiers[4].clone()],
        );
        exemples.insert("debut", debuts);
        exemples.insert("fin", fins);
        let dates: Vec<Value> = ["2026-11-26", "2026-12-01", "2026-12-20", "2027-06-30"]
            .iter()
            .map(|d| j!(d))
            .collect();
        exemples.insert("du", dates.clone());
        exemples.insert("au", dates.clone());
        exemples.insert("date", dates);
        exemples.insert(
            "email",
            vec![
                j!("client@exemple.fr"),
                j!("lea.martin@exemple.fr"),
                j!("nouvelle.cliente@exemple.fr"),
            ],
        );
        exemples.insert("mot_de_passe", vec![j!("bonjour2026!"), j!("nouveau2026!")]);
        exemples.insert("actuel", vec![j!("bonjour2026!")]);
        exemples.insert("nom", vec![j!("Léa Martin"), j!("Atelier")]);
        exemples.insert(
            "telephone",
            vec![j!("06 12 34 56 78"), j!("+33 6 12 34 56 78")],
        );
        exemples.insert(
            "reponses",
            vec![
                coach_body("")["reponses"].clone(),
                j!({ "immatriculation": "AB-123-CD", "marque": "Renault", "modele": "Clio", "kilometrage": "85000" }),
                j!({ "objectif": "x".repeat(5000), "format": "inconnu" }),
            ],
        );
        for heure in ["heure_debut", "heure_fin"] {
            exemples.insert(
                heure,
                vec![
                    j!("09:00"),
                    j!("10:30"),
                    j!("24:00"),
                    j!("23:59"),
                    j!("9:00"),
                ],
            );
        }
        for jour in [
            "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        ] {
            exemples.insert(
                jour,
                vec![
                    j!("09:00-12:00, 14:00-18:00"),
                    j!(""),
                    j!("00:00-24:00"),
                    j!("12:00-08:00"),
                ],
            );
        }
        exemples.insert(
            "type",
            [
                "jours",
                "periode",
                "checkout.session.completed",
                "checkout.session.async_payment_succeeded",
                "checkout.session.async_payment_failed",
                "checkout.session.expired",
                "charge.refunded",
            ]
            .iter()
            .map(|t| j!(t))
            .collect(),
        );
        let mut donnees = Vec::new();
        for id in &ids {
            donnees.push(j!({ "object": {
                "id": "cs_test_kit_1", "object": "checkout.session", "payment_status": "paid",
                "status": "complete", "payment_intent": "pi_1", "amount_total": 6000,
                "client_reference_id": id, "metadata": { "reservation_id": id } } }));
            donnees.push(j!({ "object": {
                "id": "ch_1", "object": "charge", "payment_intent": "pi_1",
                "amount_refunded": 9_007_199_254_740_993_i64, "metadata": { "reservation_id": id } } }));
        }
        let evenements: Vec<Value> = donnees
            .iter()
            .enumerate()
            .flat_map(|(i, d)| {
                [
                    "checkout.session.completed",
                    "checkout.session.async_payment_failed",
                    "checkout.session.expired",
                    "charge.refunded",
                    "customer.created",
                ]
                .iter()
                .map(move |t| j!({ "id": format!("evt_{i}_{t}"), "object": "event", "type": t, "created": 1, "data": d }))
            })
            .collect();
        exemples.insert("data", donnees);
        // Whole bodies, valid for their schema (by component name; an inline schema by
        // its operation's path), that the mutations then spoil.
        exemples.insert("/webhooks/stripe", evenements);
        let libres: Vec<&(String, String)> = slots.iter().skip(1).step_by(5).collect();
        exemples.insert(
            "DemandeReservation",
            libres.iter().map(|(d, _)| coach_body(d)).collect(),
        );
        exemples.insert(
            "DemandeDeplacement",
            libres
                .iter()
                .rev()
                .take(3)
                .map(|(d, _)| j!({ "token": tokens[0], "debut": d }))
                .collect(),
        );
        exemples.insert(
            "DemandeAnnulation",
            vec![
                j!({ "token": tokens[0], "motif": "Empêchement" }),
                j!({ "token": tokens[0] }),
                j!({ "token": tokens[1] }),
            ],
        );
        exemples.insert(
            "DemandeInscription",
            vec![
                j!({ "nom": "Alice Martin", "email": "alice@exemple.fr", "telephone": "06 12 34 56 78", "mot_de_passe": "bonjour2026!" }),
                j!({ "role": "pro", "nom": "Paul Coach", "email": "paul@exemple.fr", "mot_de_passe": "bonjour2026!", "ville": "Lyon", "region": "Auvergne-Rhône-Alpes" }),
            ],
        );
        exemples.insert(
            "DemandeConnexion",
            vec![j!({ "email": "client@exemple.fr", "mot_de_passe": "bonjour2026!" })],
        );
        exemples.insert(
            "DemandeChangementMotDePasse",
            vec![j!({ "actuel": "bonjour2026!", "mot_de_passe": "nouveau2026!" })],
        );
        exemples.insert(
            "SaisieProfil",
            vec![
                j!({ "bio": "Coach sportive.", "ville": "Lyon", "region": "Auvergne-Rhône-Alpes", "prix_min": 4000, "prix_max": 9050, "public": true }),
                j!({ "photo_url": null, "prix_min": null }),
            ],
        );
        exemples.insert(
            "SaisieService",
            vec![
                j!({ "nom": "Atelier", "duree_minutes": 90, "prix_centimes": 12000, "acompte_centimes": 3000 }),
                j!({ "nom": "Séance gratuite", "description": null, "duree_minutes": 5, "prix_centimes": 0 }),
            ],
        );
        exemples.insert(
            "SaisieSemaine",
            vec![j!({ "lundi": "08:00-12:00, 14:00-18:00", "mardi": "09:00-17:00", "dimanche": null })],
        );
        exemples.insert(
            "SaisieOuverture",
            vec![j!({ "date": "2026-12-21", "heure_debut": "10:00", "heure_fin": "11:00" })],
        );
        exemples.insert(
            "SaisieAbsence",
            vec![
                j!({ "type": "jours", "du": "2026-12-28", "au": "2026-12-29", "motif": "Congés" }),
                j!({ "type": "periode", "debut": "2026-12-01T10:00", "fin": "2026-12-01T12:00" }),
                j!({ "type": "periode", "debut": "2026-12-02T10:00:00+01:00", "fin": "2026-12-02T12:00:00+01:00" }),
            ],
        );
        exemples.insert(
            "DemandeActionPro",
            vec![j!({ "motif": "Empêchement" }), j!({})],
        );
        let documents: Vec<Value> = ["coach", "avocat", "garage"]
            .iter()
            .map(|v| {
                let texte = std::fs::read_to_string(
                    booking_tests::root().join(format!("verticals/{v}.json")),
                )
                .expect("vertical document");
                serde_json::from_str(&texte).expect("vertical JSON")
            })
            .collect();
        exemples.insert("DocumentVertical", documents);
        Monde {
            app,
            client: client_id,
            pro: pro_user,
            admin: admin_id,
            exemples,
        }
    }

    fn exemples(&self, nom: &str) -> Vec<Value> {
        self.exemples.get(nom).cloned().unwrap_or_default()
    }
}

// ---------------------------------------------------------------------------------------
// Values: valid, boundary, hostile.

/// Strings an attacker tries everywhere.
fn hostiles() -> Vec<String> {
    let mut h: Vec<String> = [
        "",
        " ",
        "0",
        "-0",
        "-1",
        "+1",
        "00042",
        "1.5",
        "1e3",
        "1e309",
        "NaN",
        "Infinity",
        "0x1f",
        " 12 ",
        "１２",
        "١٢",
        "9007199254740993",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "18446744073709551616",
        "' OR 1=1 --",
        "'); DROP TABLE reservations; --",
        "%",
        "_",
        "\\",
        "\"",
        "<script>alert(1)</script>",
        "../../../../etc/passwd",
        "null",
        "true",
        "[]",
        "{}",
        "\u{0}",
        "\u{202e}gnp.exe",
        "\u{feff}x",
        "𝕳𝖊𝖑𝖑𝖔 🙂 ﷽",
        "e\u{301}\u{301}\u{301}",
        "\u{10ffff}",
        "2026-02-30",
        "2026-13-01",
        "0000-01-01",
        "9999-12-31",
        "+275760-09-13",
        "02026-11-26",
        "2026-11-26T10:00:00+01:00",
        "2026-11-26T10:00:00Z",
        "2026-11-26T25:00:00+01:00",
        "2026-11-26T10:00:00+99:00",
        "1969-12-31T23:59:59Z",
        "2026-11-26T10:00",
        "a@b",
        "@",
        "x@exemple.fr",
        "00000000-0000-0000-0000-000000000000",
        "ABABABAB-ABAB-4BAB-ABAB-ABABABABABAB",
        "coach",
        "claire-fontaine",
        "annuler",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    h.extend([
        "0".repeat(100),
        "0".repeat(5000),
        "9".repeat(30),
        "%".repeat(60),
        "_".repeat(60),
        "é".repeat(200),
        "a".repeat(3000),
        "🙂".repeat(600),
    ]);
    h
}

fn hostile() -> BoxedStrategy<String> {
    prop::sample::select(hostiles()).boxed()
}

/// Values of the wrong JSON type, whatever the schema.
fn mauvais_type() -> BoxedStrategy<Value> {
    prop::sample::select(vec![
        Value::Null,
        j!(true),
        j!(0),
        j!(-1),
        j!(1.5),
        j!(1e300),
        j!(u64::MAX),
        j!(i64::MIN),
        j!("texte"),
        j!([]),
        j!([1, "a", null]),
        j!({}),
        j!({ "a": { "b": [] } }),
    ])
    .boxed()
}

fn nombre(schema: &Value, cle: &str) -> Option<i64> {
    schema.get(cle).and_then(Value::as_i64)
}

/// Integers in the documented range, or exactly at its bounds.
fn entiers_valides(schema: &Value) -> BoxedStrategy<i64> {
    let min = nombre(schema, "minimum");
    let max = nombre(schema, "maximum");
    let dedans = match (min, max) {
        (Some(a), Some(b)) => (a..=b).boxed(),
        (Some(a), None) => (a..a.saturating_add(20_000)).boxed(),
        _ => (0_i64..20_000).boxed(),
    };
    let bornes: Vec<i64> = [min, max].into_iter().flatten().collect();
    if bornes.is_empty() {
        dedans
    } else {
        prop_oneof![4 => dedans, 1 => prop::sample::select(bornes)].boxed()
    }
}

/// Integers just outside the documented range, and the ones that break parsers and
/// JavaScript's numbers.
fn entiers_limites(schema: &Value) -> Vec<i64> {
    let mut bornes = vec![
        0,
        -1,
        9_007_199_254_740_991,
        9_007_199_254_740_993,
        i64::MAX,
        i64::MIN,
    ];
    for b in [nombre(schema, "minimum"), nombre(schema, "maximum")]
        .into_iter()
        .flatten()
    {
        bornes.extend([b.saturating_sub(1), b.saturating_add(1)]);
    }
    bornes
}

fn dates() -> BoxedStrategy<String> {
    (0_i64..500)
        .prop_map(|n| {
            (chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default()
                + chrono::Duration::days(n))
            .to_string()
        })
        .boxed()
}

/// Strings valid for a documented string schema (by its format and pattern), sometimes
/// exactly at its length bounds.
fn chaines_valides(schema: &Value) -> BoxedStrategy<String> {
    let valides: BoxedStrategy<String> = match schema.get("format").and_then(Value::as_str) {
        Some("date") => dates(),
        Some("date-time") => (
            dates(),
            0_u32..24,
            prop::sample::select(vec![0_u32, 15, 30, 45]),
        )
            .prop_map(|(d, h, m)| format!("{d}T{h:02}:{m:02}:00+01:00"))
            .boxed(),
        Some("email") => "[a-z]{1,12}(\\.[a-z]{1,8})?@exemple\\.fr".boxed(),
        Some("uuid") => {
            "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}".boxed()
        }
        Some("uri") => "https://exemple\\.fr/[a-z]{0,20}\\.jpg".boxed(),
        _ if schema.get("pattern").is_some() => "[a-z0-9-]{1,40}".boxed(),
        _ => {
            let max = schema
                .get("maxLength")
                .and_then(Value::as_u64)
                .unwrap_or(40)
                .clamp(1, 120);
            prop::string::string_regex(&format!("[A-Za-z0-9 éèàçÉ'.,-]{{1,{max}}}"))
                .expect("a valid pattern")
                .boxed()
        }
    };
    let mut bornes = Vec::new();
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
        bornes.extend(["a".repeat(max as usize), "é".repeat(max as usize)]);
    }
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
        bornes.push(format!("{}1", "a".repeat(min as usize - 1)));
    }
    if bornes.is_empty() {
        valides
    } else {
        prop_oneof![5 => valides, 1 => prop::sample::select(bornes)].boxed()
    }
}

/// Strings just past a schema's bounds.
fn chaines_limites(schema: &Value) -> Vec<String> {
    let mut bornes = vec![String::new()];
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
        bornes.extend(["a".repeat(max as usize + 1), "🙂".repeat(max as usize + 1)]);
    }
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
        bornes.push("a".repeat(min as usize - 1));
    }
    bornes
}

fn types(schema: &Value) -> Vec<String> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ if schema.get("properties").is_some() => vec!["object".into()],
        _ => Vec::new(),
    }
}

/// The values of a parameter, as text: valid ones (an example of the demo data, or one
/// built from the schema, sometimes exactly at its bounds), and hostile ones (past its
/// bounds, malformed, of another kind) for when a case mutates it.
struct ValeursDeParametre {
    valides: BoxedStrategy<String>,
    hostiles: BoxedStrategy<String>,
}

fn valeurs_de_parametre(
    monde: &Monde,
    doc: &Value,
    nom: &str,
    contexte: &str,
    schema: &Value,
) -> ValeursDeParametre {
    let (schema, _) = resoudre(doc, schema);
    let entier = types(schema).iter().any(|t| t == "integer");
    // The examples of this parameter where it is (the segment before it), else by name.
    let mut exemples = monde.exemples(contexte);
    if exemples.is_empty() {
        exemples = monde.exemples(nom);
    }
    let exemples: Vec<String> = exemples
        .into_iter()
        .filter(|v| v.is_i64() == entier)
        .map(|v| match v {
            Value::String(s) => s,
            autre => autre.to_string(),
        })
        .collect();
    let (valides, limites): (BoxedStrategy<String>, Vec<String>) = if let Some(choix) =
        schema.get("enum").and_then(Value::as_array)
    {
        let choix: Vec<String> = choix
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        (prop::sample::select(choix).boxed(), vec![String::new()])
    } else if entier {
        let mut limites: Vec<String> = entiers_limites(schema).iter().map(i64::to_string).collect();
        limites.extend([
            "0".repeat(100),
            "+1012".into(),
            " 1012".into(),
            "1012.0".into(),
            "1e3".into(),
            "9".repeat(25),
        ]);
        (
            entiers_valides(schema).prop_map(|n| n.to_string()).boxed(),
            limites,
        )
    } else {
        (chaines_valides(schema), chaines_limites(schema))
    };
    let valides = if exemples.is_empty() {
        valides
    } else {
        prop_oneof![4 => prop::sample::select(exemples), 1 => valides].boxed()
    };
    ValeursDeParametre {
        valides,
        hostiles: prop_oneof![2 => prop::sample::select(limites), 3 => hostile()].boxed(),
    }
}

/// A valid JSON value for a schema: an example of the demo data for a member of that
/// name, or a value built from the schema (sometimes exactly at its bounds).
fn valide(
    monde: &Monde,
    doc: &Value,
    nom: &str,
    schema: &Value,
    profondeur: u32,
) -> BoxedStrategy<Value> {
    let (schema, composant) = resoudre(doc, schema);
    let exemples = composant
        .map(|c| monde.exemples(&c))
        .filter(|e| !e.is_empty())
        .unwrap_or_else(|| monde.exemples(nom));
    let types = types(schema);
    let mut choix: Vec<(u32, BoxedStrategy<Value>)> = Vec::new();
    if let Some(valeurs) = schema.get("enum").and_then(Value::as_array) {
        choix.push((4, prop::sample::select(valeurs.clone()).boxed()));
    } else {
        for t in &types {
            let s: BoxedStrategy<Value> = match t.as_str() {
                "string" => chaines_valides(schema).prop_map(Value::String).boxed(),
                "integer" | "number" => entiers_valides(schema).prop_map(|n| j!(n)).boxed(),
                "boolean" => any::<bool>().prop_map(Value::Bool).boxed(),
                "null" => Just(Value::Null).boxed(),
                "object" => objet_valide(monde, doc, schema, profondeur),
                "array" if profondeur < 3 => prop::collection::vec(
                    valide(
                        monde,
                        doc,
                        nom,
                        schema.get("items").unwrap_or(&Value::Null),
                        profondeur + 1,
                    ),
                    0..4,
                )
                .prop_map(Value::Array)
                .boxed(),
                _ => json_quelconque(profondeur),
            };
            choix.push((if t == "null" { 1 } else { 4 }, s));
        }
    }
    if !exemples.is_empty() {
        choix.push((6, prop::sample::select(exemples).boxed()));
    }
    if choix.is_empty() {
        // Documented without its members or type (a Stripe event): its required members,
        // each from the examples of its name.
        choix.push((1, objet_valide(monde, doc, schema, profondeur)));
    }
    prop::strategy::Union::new_weighted(choix).boxed()
}

/// The required members of an object, and each optional one half of the time.
fn objet_valide(
    monde: &Monde,
    doc: &Value,
    schema: &Value,
    profondeur: u32,
) -> BoxedStrategy<Value> {
    let requis: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let proprietes = schema
        .get("properties")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut noms: Vec<String> = proprietes.keys().cloned().collect();
    noms.extend(
        requis
            .iter()
            .filter(|r| !proprietes.contains_key(*r))
            .cloned(),
    );
    if profondeur >= 3 {
        return Just(j!({})).boxed();
    }
    let membres: Vec<BoxedStrategy<Option<(String, Value)>>> = noms
        .into_iter()
        .map(|k| {
            let s = proprietes.get(&k).cloned().unwrap_or(Value::Null);
            let v = valide(monde, doc, &k, &s, profondeur + 1);
            if requis.contains(&k) {
                v.prop_map(move |v| Some((k.clone(), v))).boxed()
            } else {
                prop::option::weighted(0.5, v)
                    .prop_map(move |v| v.map(|v| (k.clone(), v)))
                    .boxed()
            }
        })
        .collect();
    membres
        .prop_map(|ms| Value::Object(ms.into_iter().flatten().collect()))
        .boxed()
}

/// Any small JSON value.
fn json_quelconque(profondeur: u32) -> BoxedStrategy<Value> {
    let feuille = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| j!(n)),
        hostile().prop_map(Value::String),
    ];
    if profondeur >= 2 {
        return feuille.boxed();
    }
    feuille
        .prop_recursive(2, 8, 4, |dedans| {
            prop_oneof![
                prop::collection::vec(dedans.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("[a-z_]{1,10}", dedans, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
        .boxed()
}

/// A value that a schema does not allow there: a hostile string, a number past any bound,
/// another type.
fn hostile_json() -> BoxedStrategy<Value> {
    let nombres: Vec<Value> = entiers_limites(&Value::Null)
        .into_iter()
        .map(|n| j!(n))
        .chain([j!(u64::MAX), j!(1e300), j!(-0.0), j!(1.5)])
        .collect();
    prop_oneof![
        3 => hostile().prop_map(Value::String),
        2 => mauvais_type(),
        2 => prop::sample::select(nombres),
    ]
    .boxed()
}

/// One change that makes a valid body hostile.
#[derive(Debug, Clone)]
enum Mutation {
    /// A member or element (or the body itself) replaced by a hostile value.
    Remplacer(Index, Value),
    /// A member removed (a required one, sometimes).
    Retirer(Index),
    /// A member no schema knows, added to an object.
    Ajouter(Index, Value),
}

fn mutation() -> BoxedStrategy<Mutation> {
    prop_oneof![
        4 => (any::<Index>(), hostile_json()).prop_map(|(i, v)| Mutation::Remplacer(i, v)),
        2 => any::<Index>().prop_map(Mutation::Retirer),
        1 => (any::<Index>(), hostile_json()).prop_map(|(i, v)| Mutation::Ajouter(i, v)),
    ]
    .boxed()
}

/// Every node of a JSON value, as JSON pointers ("" is the value itself).
fn noeuds(valeur: &Value, ici: String, sortie: &mut Vec<String>) {
    match valeur {
        Value::Object(m) => {
            for (k, v) in m {
                noeuds(
                    v,
                    format!("{ici}/{}", k.replace('~', "~0").replace('/', "~1")),
                    sortie,
                );
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                noeuds(v, format!("{ici}/{i}"), sortie);
            }
        }
        _ => {}
    }
    sortie.push(ici);
}

fn muter(mut valeur: Value, mutation: &Mutation) -> Value {
    let mut tous = Vec::new();
    noeuds(&valeur, String::new(), &mut tous);
    match mutation {
        Mutation::Remplacer(ou, par) => {
            let pointeur = ou.get(&tous).clone();
            if let Some(cible) = valeur.pointer_mut(&pointeur) {
                *cible = par.clone();
            }
        }
        Mutation::Retirer(ou) => {
            let membres: Vec<&String> = tous
                .iter()
                .filter(|p| {
                    p.rsplit_once('/').is_some_and(|(parent, _)| {
                        valeur.pointer(parent).is_some_and(Value::is_object)
                    })
                })
                .collect();
            if !membres.is_empty() {
                let pointeur = ou.get(&membres).to_string();
                if let Some((parent, cle)) = pointeur.rsplit_once('/') {
                    let cle = cle.replace("~1", "/").replace("~0", "~");
                    if let Some(Value::Object(m)) = valeur.pointer_mut(parent) {
                        m.remove(&cle);
                    }
                }
            }
        }
        Mutation::Ajouter(ou, par) => {
            let objets: Vec<&String> = tous
                .iter()
                .filter(|p| valeur.pointer(p).is_some_and(Value::is_object))
                .collect();
            if !objets.is_empty() {
                let pointeur = ou.get(&objets).to_string();
                if let Some(Value::Object(m)) = valeur.pointer_mut(&pointeur) {
                    m.insert("membre_inconnu".into(), par.clone());
                }
            }
        }
    }
    valeur
}

/// A body: valid, then changed by no, one or a few hostile mutations.
fn corps_json(monde: &Monde, doc: &Value, nom: &str, schema: &Value) -> BoxedStrategy<Value> {
    let mutations = prop_oneof![
        6 => Just(Vec::new()),
        3 => prop::collection::vec(mutation(), 1..=1),
        1 => prop::collection::vec(mutation(), 2..=3),
    ];
    (valide(monde, doc, nom, schema, 0), mutations)
        .prop_map(|(v, ms)| ms.iter().fold(v, muter))
        .boxed()
}

// ---------------------------------------------------------------------------------------
// A request: host, session, parameters, body.

#[derive(Debug, Clone)]
enum Corps {
    Aucun,
    Json(Value),
    Octets(Vec<u8>),
}

#[derive(Debug, Clone)]
enum Signature {
    Absente,
    Valide,
    Texte(String),
}

#[derive(Debug, Clone)]
struct Cas {
    hote: &'static str,
    qui: Qui,
    /// The last byte of a documentation IPv4 address, or past 255 a hostile value.
    ip: usize,
    /// Path parameters, percent-encoded into the path (or sent raw when `true`).
    chemin: Vec<(String, String, bool)>,
    /// Query parameters; raw ones go as they are (broken percent-encoding).
    requete: Vec<(String, String, bool)>,
    /// How many parameters this case made hostile.
    parametres_mutes: usize,
    signature: Signature,
    content_type: Option<&'static str>,
    corps: Corps,
}

/// One parameter of a case: where it goes, its valid value, and what it becomes when the
/// case mutates it (a hostile value, broken percent-encoding, or — `None` — left out).
#[derive(Debug, Clone)]
struct Parametre {
    dans_le_chemin: bool,
    nom: String,
    present: bool,
    valeur: String,
    /// Sent as it is, not percent-encoded.
    brut: bool,
    hostile: Option<(String, bool)>,
}

fn cas(monde: &Monde, doc: &Value, op: &Operation) -> BoxedStrategy<Cas> {
    let mut parametres: Vec<BoxedStrategy<Parametre>> = Vec::new();
    let mut a_signature = false;
    for p in op.decrite["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let (p, _) = resoudre(doc, &p);
        let nom = p["name"].as_str().unwrap_or("").to_owned();
        let avant = op
            .chemin
            .split('/')
            .take_while(|segment| *segment != format!("{{{nom}}}"))
            .last()
            .unwrap_or("");
        let contexte = format!("{avant}/{{{nom}}}");
        let valeurs = valeurs_de_parametre(monde, doc, &nom, &contexte, &p["schema"]);
        let dans_le_chemin = match p["in"].as_str() {
            Some("path") => true,
            Some("query") => false,
            Some("header") if nom.eq_ignore_ascii_case("stripe-signature") => {
                a_signature = true;
                continue;
            }
            _ => continue,
        };
        let brut = prop::sample::select(if dans_le_chemin {
            vec!["%zz", "%", "%C3%28", "%00", "%2e%2e", "%2F"]
        } else {
            vec!["%zz", "%", "%C3%28", "%ff%fe", "a%00b", "%2526"]
        })
        .prop_map(|v| Some((v.to_owned(), true)));
        let hostile = if dans_le_chemin {
            prop_oneof![
                6 => valeurs.hostiles.prop_map(|v| Some((v, false))),
                1 => brut,
            ]
            .boxed()
        } else {
            prop_oneof![
                6 => valeurs.hostiles.prop_map(|v| Some((v, false))),
                1 => brut,
                1 => Just(None),
            ]
            .boxed()
        };
        // An optional parameter one time in three: alone, each one's effect is seen (a
        // filter that matches nothing would hide what another one does).
        let present = if dans_le_chemin || p["required"] == true {
            Just(true).boxed()
        } else {
            prop::bool::weighted(1.0 / 3.0).boxed()
        };
        parametres.push(
            (present, valeurs.valides, hostile)
                .prop_map(move |(present, valeur, hostile)| Parametre {
                    dans_le_chemin,
                    nom: nom.clone(),
                    present,
                    valeur,
                    brut: false,
                    hostile,
                })
                .boxed(),
        );
    }
    // Valid parameters, then none, one or two of them made hostile: a hostile value is
    // then the one the answer is about, not hidden behind another.
    let mutations = prop_oneof![
        6 => Just(Vec::new()),
        3 => prop::collection::vec(any::<Index>(), 1..=1),
        1 => prop::collection::vec(any::<Index>(), 2..=2),
    ];
    let parametres = (parametres, mutations).prop_map(|(mut ps, mutations)| {
        let mut mutes = 0;
        if !ps.is_empty() {
            for m in &mutations {
                let i = m.index(ps.len());
                ps[i].present = true;
                mutes += 1;
                match ps[i].hostile.clone() {
                    Some((valeur, brut)) => {
                        ps[i].valeur = valeur;
                        ps[i].brut = brut;
                    }
                    None => ps[i].present = false,
                }
            }
        }
        let mut chemin = Vec::new();
        let mut requete = Vec::new();
        for p in ps.into_iter().filter(|p| p.present) {
            if p.dans_le_chemin {
                chemin.push((p.nom, p.valeur, p.brut));
            } else {
                requete.push((p.nom, p.valeur, p.brut));
            }
        }
        (chemin, requete, mutes)
    });
    // Sometimes a parameter no operation knows.
    let inconnu = prop::option::weighted(
        0.1,
        hostile().prop_map(|v| ("inconnu".to_owned(), v, false)),
    );
    let signature: BoxedStrategy<Signature> = if a_signature {
        prop_oneof![
            4 => Just(Signature::Valide),
            1 => Just(Signature::Absente),
            1 => hostile().prop_map(Signature::Texte),
            1 => Just(Signature::Texte("t=1,v1=00".into())),
        ]
        .boxed()
    } else {
        Just(Signature::Absente).boxed()
    };
    let schema_corps = op.decrite["requestBody"]["content"]["application/json"]["schema"].clone();
    let corps: BoxedStrategy<Corps> = if op.methode == Method::Get {
        // Browsers and the Workers runtime send no body with a GET.
        Just(Corps::Aucun).boxed()
    } else {
        let json = if schema_corps.is_null() {
            prop_oneof![Just(Corps::Aucun), json_quelconque(0).prop_map(Corps::Json)].boxed()
        } else {
            corps_json(monde, doc, &op.chemin, &schema_corps)
                .prop_map(Corps::Json)
                .boxed()
        };
        let octets = prop::sample::select(vec![
            Vec::new(),
            b"{".to_vec(),
            b"{\"a\":".to_vec(),
            b"null".to_vec(),
            vec![0xff, 0xfe, 0x00, 0x7b],
            b"{\"a\":1,\"a\":2}".to_vec(),
            [b"[".repeat(10_000), b"]".repeat(10_000)].concat(),
            [
                b"{\"x\":\"".to_vec(),
                vec![b'a'; booking_functions::app::CORPS_MAX],
                b"\"}".to_vec(),
            ]
            .concat(),
        ])
        .prop_map(Corps::Octets);
        prop_oneof![10 => json, 2 => octets].boxed()
    };
    let content_type = prop_oneof![
        12 => Just(Some("application/json")),
        2 => Just(Some("application/json; charset=utf-8")),
        1 => Just(Some("Application/JSON")),
        1 => Just(None),
        1 => Just(Some("text/plain")),
        1 => Just(Some("application/x-www-form-urlencoded")),
    ];
    let hote = prop_oneof![
        12 => Just("coach.localhost:8787"),
        1 => Just("garage.localhost:8787"),
        1 => Just("avocat.localhost:8787"),
        1 => Just("localhost:8787"),
        1 => Just("inconnu.example"),
    ];
    // Every session everywhere, and mostly the one the operation is for (by its path:
    // the document says a session is needed, not which role).
    let securisee = op.decrite["security"]
        .as_array()
        .is_some_and(|s| !s.is_empty());
    let attendu = if !securisee {
        Qui::Anonyme
    } else if op.chemin.starts_with("/api/v1/pro/") {
        Qui::Pro
    } else if op.chemin.starts_with("/api/v1/admin/") {
        Qui::Admin
    } else {
        Qui::Client
    };
    let qui = prop_oneof![
        5 => prop::sample::select(vec![Qui::Anonyme, Qui::JetonFaux, Qui::Client, Qui::Pro, Qui::Admin]),
        1 => (0..AUTORISATIONS_HOSTILES.len()).prop_map(Qui::Entete),
        5 => Just(attendu),
    ];
    (
        hote,
        qui,
        prop_oneof![9 => 0_usize..256, 1 => 256..256 + IPS_HOSTILES.len()],
        parametres,
        inconnu,
        signature,
        content_type,
        corps,
    )
        .prop_map(
            |(
                hote,
                qui,
                ip,
                (chemin, mut requete, parametres_mutes),
                inconnu,
                signature,
                content_type,
                corps,
            )| {
                requete.extend(inconnu);
                Cas {
                    hote,
                    qui,
                    ip,
                    chemin,
                    requete,
                    parametres_mutes,
                    signature,
                    content_type,
                    corps,
                }
            },
        )
        .boxed()
}

fn requete(monde: &Monde, op: &Operation, cas: &Cas) -> Request {
    let mut chemin = op.chemin.clone();
    for (nom, valeur, brut) in &cas.chemin {
        let valeur = if *brut {
            valeur.clone()
        } else {
            percent_encode(valeur)
        };
        chemin = chemin.replace(&format!("{{{nom}}}"), &valeur);
    }
    let requete: Vec<String> = cas
        .requete
        .iter()
        .map(|(n, v, brut)| {
            if *brut {
                format!("{n}={v}")
            } else {
                format!("{n}={}", percent_encode(v))
            }
        })
        .collect();
    // A production host is served over https (plain http is redirected there, 308).
    let schema = if cas.hote.contains("localhost") {
        "http"
    } else {
        "https"
    };
    let mut url = format!("{schema}://{}{chemin}", cas.hote);
    if !requete.is_empty() {
        url = format!("{url}?{}", requete.join("&"));
    }
    let mut r = Request::new(op.methode, &url);
    let ip = match cas.ip.checked_sub(256) {
        None => format!("198.51.100.{}", cas.ip),
        Some(i) => IPS_HOSTILES[i % IPS_HOSTILES.len()].to_owned(),
    };
    r.headers.push(("cf-connecting-ip".into(), ip));
    let app = &monde.app;
    let session = match cas.qui {
        Qui::Anonyme => None,
        Qui::JetonFaux => Some("eyJhbGciOiJIUzI1NiJ9.e30.faux".to_owned()),
        Qui::Client => Some(jeton(app, monde.client)),
        Qui::Pro => Some(jeton(app, monde.pro)),
        Qui::Admin => Some(jeton(app, monde.admin)),
        Qui::Entete(_) => None,
    };
    if let Some(t) = session {
        r.headers
            .push(("authorization".into(), format!("Bearer {t}")));
    }
    if let Qui::Entete(i) = cas.qui {
        let valeur = match AUTORISATIONS_HOSTILES[i % AUTORISATIONS_HOSTILES.len()] {
            "Bearer (20 000 caractères)" => format!("Bearer {}", "x".repeat(20_000)),
            autre => autre.to_owned(),
        };
        r.headers.push(("authorization".into(), valeur));
    }
    r.body = match &cas.corps {
        Corps::Aucun => Vec::new(),
        Corps::Json(v) => v.to_string().into_bytes(),
        Corps::Octets(o) => o.clone(),
    };
    if let (Some(ct), false) = (
        cas.content_type,
        r.body.is_empty() && op.methode == Method::Get,
    ) {
        r.headers.push(("content-type".into(), ct.into()));
    }
    match &cas.signature {
        Signature::Absente => {}
        Signature::Valide => {
            let t = app.clock_now().timestamp();
            r.headers.push((
                "stripe-signature".into(),
                signer(&r.body, app.settings.stripe_webhook_secret.expose(), t),
            ));
        }
        Signature::Texte(s) => r.headers.push(("stripe-signature".into(), s.clone())),
    }
    r
}

// ---------------------------------------------------------------------------------------
// What every answer must be.

fn verifier(doc: &Value, op: &Operation, r: &Response) -> Result<(), String> {
    if r.status >= 500 {
        return Err(format!("a {} ", r.status));
    }
    let statut = r.status.to_string();
    let (documentee, _) = match op.decrite["responses"].get(statut.as_str()) {
        Some(d) => resoudre(doc, d),
        None => {
            return Err(format!(
                "{statut}, which the document does not list for this operation"
            ))
        }
    };
    let content_type = r
        .header("content-type")
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_owned();
    if r.status >= 400 {
        if content_type != "application/problem+json" {
            return Err(format!(
                "an error in {content_type}, not application/problem+json"
            ));
        }
        let corps: Value = serde_json::from_slice(&r.body)
            .map_err(|e| format!("problem+json that is not JSON: {e}"))?;
        if !corps["code"].is_string()
            || !corps["title"].is_string()
            || corps["status"] != j!(r.status)
        {
            return Err("a problem without code, title or the right status".into());
        }
    }
    for (entete, _) in documentee["headers"]
        .as_object()
        .cloned()
        .unwrap_or_default()
    {
        if r.header(&entete).is_none() {
            return Err(format!("{statut} without its documented {entete} header"));
        }
    }
    let contenu = &documentee["content"];
    if r.body.is_empty() && (contenu.is_null() || r.status == 204) {
        return Ok(());
    }
    let schema = &contenu[content_type.as_str()]["schema"];
    if schema.is_null() {
        return Err(format!(
            "{statut} in {content_type}, which is not documented"
        ));
    }
    let corps: Value =
        serde_json::from_slice(&r.body).map_err(|e| format!("a body that is not JSON: {e}"))?;
    let erreurs = validate(doc, schema, &corps, "$");
    if erreurs.is_empty() {
        Ok(())
    } else {
        Err(format!("{statut} not of the documented shape: {erreurs:?}"))
    }
}

fn apercu(octets: &[u8]) -> String {
    let texte = String::from_utf8_lossy(octets);
    if texte.chars().count() > 400 {
        format!(
            "{}… ({} octets)",
            texte.chars().take(400).collect::<String>(),
            octets.len()
        )
    } else {
        texte.into_owned()
    }
}

fn graine() -> u64 {
    std::env::var("PROPRIETES_API_GRAINE")
        .ok()
        .and_then(|g| g.parse().ok())
        .unwrap_or(GRAINE_PAR_DEFAUT)
}

fn nombre_de_cas() -> u32 {
    std::env::var("PROPRIETES_API_CAS")
        .ok()
        .and_then(|g| g.parse().ok())
        .unwrap_or(CAS_PAR_DEFAUT)
}

/// The statuses seen for one operation, and its failure if any.
struct Bilan {
    operation: String,
    statuts: BTreeMap<u16, u32>,
    echec: Option<String>,
}

fn essayer(doc: &Value, op: &Operation) -> Bilan {
    let monde = Monde::nouveau();
    let nom = format!("{} {}", op.methode.as_str(), op.chemin);
    // One seed per operation: adding an operation does not change the others' cases.
    let mut octets = [0_u8; 32];
    octets[..8].copy_from_slice(&graine().to_le_bytes());
    for (i, b) in nom.bytes().enumerate() {
        octets[8 + i % 24] ^= b.rotate_left(i as u32 % 8);
    }
    let config = Config {
        cases: nombre_de_cas(),
        max_shrink_iters: 200,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &octets));
    let statuts = std::cell::RefCell::new(BTreeMap::new());
    let resultat = runner.run(&cas(&monde, doc, op), |c| {
        let req = requete(&monde, op, &c);
        let description = format!(
            "{} http://{}{}{} [{:?}, content-type {:?}, {} parameter(s) mutated] {}",
            req.method.as_str(),
            c.hote,
            req.path,
            if req.query.is_empty() {
                String::new()
            } else {
                format!("?{}", apercu(req.query.as_bytes()))
            },
            c.qui,
            c.content_type,
            c.parametres_mutes,
            apercu(&req.body)
        );
        let r = monde.app.send(req);
        if std::env::var("PROPRIETES_API_TRACE").is_ok_and(|t| nom.contains(&t)) {
            println!("{description}\n  -> {} {}", r.status, apercu(&r.body));
        }
        *statuts.borrow_mut().entry(r.status).or_insert(0) += 1;
        verifier(doc, op, &r).map_err(|e| {
            TestCaseError::fail(format!(
                "{description}\n  answered {e}\n  {}",
                apercu(&r.body)
            ))
        })
    });
    let echec = match resultat {
        Ok(()) => None,
        Err(TestError::Fail(raison, _)) => Some(raison.to_string()),
        Err(autre) => Some(autre.to_string()),
    };
    Bilan {
        operation: nom,
        statuts: statuts.into_inner(),
        echec,
    }
}

#[test]
fn every_documented_operation_answers_only_documented_statuses_to_generated_and_hostile_requests() {
    let doc = document();
    let ops = operations(&doc);
    assert!(
        ops.len() >= 40,
        "only {} operations in the document",
        ops.len()
    );
    let bilans = Mutex::new(Vec::new());
    let suivante = Mutex::new(0_usize);
    let fils = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(4);
    std::thread::scope(|s| {
        for _ in 0..fils {
            s.spawn(|| loop {
                let i = {
                    let mut n = suivante.lock().unwrap_or_else(|e| e.into_inner());
                    *n += 1;
                    *n - 1
                };
                let Some(op) = ops.get(i) else { break };
                let bilan = essayer(&doc, op);
                bilans.lock().unwrap_or_else(|e| e.into_inner()).push(bilan);
            });
        }
    });
    let mut bilans = bilans.into_inner().unwrap_or_else(|e| e.into_inner());
    bilans.sort_by(|a, b| a.operation.cmp(&b.operation));
    let mut echecs = Vec::new();
    let mut avec_succes = 0;
    for b in &bilans {
        println!("{:<60} {:?}", b.operation, b.statuts);
        if b.statuts.keys().any(|s| (200..300).contains(s)) {
            avec_succes += 1;
        }
        if let Some(e) = &b.echec {
            echecs.push(format!("{}:\n{e}", b.operation));
        }
    }
    assert!(
        echecs.is_empty(),
        "{} operation(s) broke their contract (seed {}):\n\n{}",
        echecs.len(),
        graine(),
        echecs.join("\n\n")
    );
    // The generator reaches past validation: most operations succeed at least once.
    assert!(
        avec_succes * 3 >= bilans.len() * 2,
        "only {avec_succes} of {} operations ever succeeded: the generated requests are too far off",
        bilans.len()
    );
}
