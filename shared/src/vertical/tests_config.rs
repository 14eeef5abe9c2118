//! Tests of `VerticalConfig::parse`: the seeded documents, and every refusal with its path.

use serde_json::{json, Value};

use super::{Acompte, ConfigError, Paiement, Police, TypeChamp, VerticalConfig};

const COACH: &str = include_str!("../../../verticals/coach.json");
const AVOCAT: &str = include_str!("../../../verticals/avocat.json");
const GARAGE: &str = include_str!("../../../verticals/garage.json");
const SCHEMA: &str = include_str!("../../../verticals/vertical.schema.json");

fn garage_modifie(modifier: fn(&mut Value)) -> Value {
    let mut document: Value = serde_json::from_str(GARAGE).expect("garage.json is JSON");
    modifier(&mut document);
    document
}

fn erreur_de(document: &str) -> ConfigError {
    match VerticalConfig::parse(document) {
        Ok(_) => panic!("the document should have been refused:\n{document}"),
        Err(erreur) => erreur,
    }
}

#[test]
fn reviews_are_on_by_default_for_thirty_days_and_the_avocat_document_turns_them_off() {
    let avocat = VerticalConfig::parse(AVOCAT).expect("avocat.json is valid");
    assert!(!avocat.avis().actifs);
    let coach = VerticalConfig::parse(COACH).expect("coach.json is valid");
    assert_eq!(
        coach.avis(),
        super::ReglesAvis {
            actifs: true,
            delai_jours: 30
        }
    );
    let sans = garage_modifie(|d| {
        d.as_object_mut().unwrap().remove("avis");
    });
    let garage = VerticalConfig::parse(&sans.to_string()).expect("valid without avis");
    assert!(garage.avis().actifs);
    assert_eq!(garage.avis().delai_jours, 30);
}

#[test]
fn each_trade_names_its_members_and_a_document_without_the_block_gets_generic_words() {
    let garage = VerticalConfig::parse(GARAGE).expect("garage.json is valid");
    assert_eq!(garage.membres().personne, "mécanicien");
    assert_eq!(garage.membres().ressources, "ponts");
    let avocat = VerticalConfig::parse(AVOCAT).expect("avocat.json is valid");
    assert_eq!(avocat.membres().personnes, "avocats associés");
    let sans = garage_modifie(|d| {
        d.as_object_mut().unwrap().remove("membres");
    });
    let sans = VerticalConfig::parse(&sans.to_string()).expect("valid without membres");
    assert_eq!(sans.membres().personne, "membre");
    let vide = garage_modifie(|d| d["membres"]["pont"] = json!("x"));
    assert!(VerticalConfig::parse(&vide.to_string()).is_err());
    let vide = garage_modifie(|d| d["membres"]["personne"] = json!(" "));
    assert_eq!(erreur_de(&vide.to_string()).champ, "membres.personne");
}

#[test]
fn the_coach_document_parses_without_payment_and_with_its_form() {
    let coach = VerticalConfig::parse(COACH).expect("coach.json is valid");
    assert_eq!(coach.slug(), "coach");
    assert_eq!(coach.domains()[0], "coach.localhost");
    assert_eq!(coach.nom(), "Coachs & Bien-être");
    assert_eq!(coach.langue(), "fr");
    assert_eq!(coach.textes().professionnel_pluriel(), "coachs");
    assert_eq!(coach.textes().appel_reservation(), "Réserver une séance");
    assert_eq!(coach.regles().paiement(), Paiement::Aucun);
    let noms: Vec<&str> = coach.champs().iter().map(|c| c.nom()).collect();
    assert_eq!(noms, ["objectif", "format"]);
    assert!(coach.champs().iter().all(|c| c.requis()));
}

#[test]
fn the_avocat_document_parses_with_a_30_percent_deposit() {
    let avocat = VerticalConfig::parse(AVOCAT).expect("avocat.json is valid");
    assert_eq!(avocat.slug(), "avocat");
    assert_eq!(
        avocat.regles().paiement(),
        Paiement::Acompte(Acompte::Pourcentage(30))
    );
    assert_eq!(avocat.theme().police(), Police::Serif);
    let domaine = &avocat.champs()[0];
    assert_eq!(domaine.nom(), "domaine_droit");
    assert_eq!(domaine.type_champ(), TypeChamp::Select);
    assert_eq!(domaine.options().len(), 8);
    let mode = &avocat.champs()[1];
    let libelles: Vec<&str> = mode.options().iter().map(|o| o.libelle()).collect();
    assert_eq!(libelles, ["Au cabinet", "En visio", "Par téléphone"]);
    assert_eq!(avocat.champs()[2].longueur_max(), Some(2000));
    assert_eq!(
        avocat.services_par_defaut()[0].nom(),
        "Première consultation"
    );
    assert_eq!(avocat.services_par_defaut()[0].duree_minutes(), 45);
}

#[test]
fn the_garage_document_parses_with_full_payment_and_a_plate_pattern() {
    let garage = VerticalConfig::parse(GARAGE).expect("garage.json is valid");
    assert_eq!(garage.slug(), "garage");
    assert_eq!(garage.regles().paiement(), Paiement::Total);
    assert_eq!(garage.rappels_minutes(), [1440]);
    let vidange = &garage.services_par_defaut()[0];
    assert_eq!(
        (
            vidange.nom(),
            vidange.duree_minutes(),
            vidange.prix_centimes()
        ),
        ("Vidange + filtre", 60, 8900)
    );
    assert_eq!(garage.theme().couleur_primaire().as_str(), "#c92a2a");
    let immatriculation = &garage.champs()[0];
    assert!(immatriculation.motif().is_some());
    assert_eq!(garage.champs()[3].max(), Some(2_000_000.0));
}

#[test]
fn the_three_verticals_use_three_different_payment_modes() {
    let modes: Vec<Paiement> = [COACH, AVOCAT, GARAGE]
        .iter()
        .map(|d| VerticalConfig::parse(d).expect("valid").regles().paiement())
        .collect();
    assert!(matches!(
        modes.as_slice(),
        [Paiement::Aucun, Paiement::Acompte(_), Paiement::Total]
    ));
}

#[test]
fn the_json_schema_is_valid_json_describing_every_top_level_field() {
    let schema: Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let document: Value = serde_json::from_str(GARAGE).expect("garage.json is JSON");
    let decrits = schema["properties"].as_object().expect("properties");
    for cle in document.as_object().expect("object").keys() {
        assert!(
            decrits.contains_key(cle),
            "{cle} is missing from the schema"
        );
    }
}

#[test]
fn serves_host_ignores_case_port_and_trailing_dot() {
    let garage = VerticalConfig::parse(GARAGE).expect("valid");
    assert!(garage.serves_host("garage.localhost"));
    assert!(garage.serves_host("garage.localhost:8787"));
    assert!(garage.serves_host("GARAGE.Localhost:8787"));
    assert!(garage.serves_host("Garage.Booking-Multisite.fr"));
    assert!(garage.serves_host("garage.booking-multisite.fr."));
    assert!(!garage.serves_host("coach.localhost:8787"));
    assert!(!garage.serves_host("garage.localhost.evil.fr"));
    assert!(!garage.serves_host("localhost"));
    assert!(!garage.serves_host(""));
}

/// (what is wrong, how to break garage.json, the path the error must name)
type Cas = (&'static str, fn(&mut Value), &'static str);

const CAS_INVALIDES: &[Cas] = &[
    ("unknown top-level field", |d| d["typo"] = json!(1), "typo"),
    ("uppercase slug", |d| d["slug"] = json!("Garage"), "slug"),
    (
        "slug ending with a hyphen",
        |d| d["slug"] = json!("garage-"),
        "slug",
    ),
    (
        "missing slug",
        |d| {
            d.as_object_mut()
                .map(|o| o.remove("slug"))
                .map(drop)
                .unwrap_or(())
        },
        "slug",
    ),
    ("no domain", |d| d["domains"] = json!([]), "domains"),
    (
        "domain with a port",
        |d| d["domains"][1] = json!("garage.localhost:8787"),
        "domains[1]",
    ),
    (
        "domain in capitals",
        |d| d["domains"][0] = json!("Garage.localhost"),
        "domains[0]",
    ),
    (
        "domain twice",
        |d| d["domains"][1] = json!("garage.localhost"),
        "domains[1]",
    ),
    (
        "domain not a string",
        |d| d["domains"][1] = json!(42),
        "domains[1]",
    ),
    ("blank name", |d| d["nom"] = json!("   "), "nom"),
    (
        "language other than French",
        |d| d["langue"] = json!("en"),
        "langue",
    ),
    (
        "empty headline",
        |d| d["textes"]["accroche"] = json!(""),
        "textes.accroche",
    ),
    (
        "unknown wording field",
        |d| d["textes"]["slogan"] = json!("x"),
        "textes.slogan",
    ),
    (
        "missing description",
        |d| {
            d["textes"]
                .as_object_mut()
                .map(|o| o.remove("description"))
                .map(drop)
                .unwrap_or(())
        },
        "textes.description",
    ),
    (
        "description too long",
        |d| d["textes"]["description"] = json!("x".repeat(501)),
        "textes.description",
    ),
    (
        "colour by name",
        |d| d["theme"]["couleur_primaire"] = json!("red"),
        "theme.couleur_primaire",
    ),
    (
        "short colour",
        |d| d["theme"]["couleur_fond"] = json!("#fff"),
        "theme.couleur_fond",
    ),
    (
        "colour with a non-hex digit",
        |d| d["theme"]["couleur_texte"] = json!("#12345g"),
        "theme.couleur_texte",
    ),
    (
        "primary colour too light under white letters and as links",
        |d| d["theme"]["couleur_primaire"] = json!("#2f9e44"),
        "theme.couleur_primaire",
    ),
    (
        "secondary colour too light for prices on white cards",
        |d| d["theme"]["couleur_secondaire"] = json!("#f08c00"),
        "theme.couleur_secondaire",
    ),
    (
        "text too pale on the background",
        |d| d["theme"]["couleur_texte"] = json!("#8a8a8a"),
        "theme.couleur_texte",
    ),
    (
        "background too dark for the text",
        |d| d["theme"]["couleur_fond"] = json!("#3b3b3b"),
        "theme.couleur_texte",
    ),
    (
        "background on which the help grey and the error red fade",
        |d| {
            d["theme"]["couleur_fond"] = json!("#c8c8c8");
            d["theme"]["couleur_primaire"] = json!("#1c3d6e");
        },
        "theme.couleur_fond",
    ),
    (
        "web font",
        |d| d["theme"]["police"] = json!("Roboto"),
        "theme.police",
    ),
    (
        "no default service",
        |d| d["services_par_defaut"] = json!([]),
        "services_par_defaut",
    ),
    (
        "duration not a multiple of 5",
        |d| d["services_par_defaut"][1]["duree_minutes"] = json!(62),
        "services_par_defaut[1].duree_minutes",
    ),
    (
        "duration above 8 hours",
        |d| d["services_par_defaut"][1]["duree_minutes"] = json!(485),
        "services_par_defaut[1].duree_minutes",
    ),
    (
        "negative price",
        |d| d["services_par_defaut"][2]["prix_centimes"] = json!(-1),
        "services_par_defaut[2].prix_centimes",
    ),
    (
        "price above the ceiling",
        |d| d["services_par_defaut"][2]["prix_centimes"] = json!(10_000_001),
        "services_par_defaut[2].prix_centimes",
    ),
    (
        "price in euros with decimals",
        |d| d["services_par_defaut"][0]["prix_centimes"] = json!(89.0),
        "services_par_defaut[0].prix_centimes",
    ),
    (
        "price as a string",
        |d| d["services_par_defaut"][3]["prix_centimes"] = json!("60"),
        "services_par_defaut[3].prix_centimes",
    ),
    (
        "service name twice",
        |d| d["services_par_defaut"][1]["nom"] = json!("vidange + FILTRE"),
        "services_par_defaut[1].nom",
    ),
    (
        "missing service duration",
        |d| {
            d["services_par_defaut"][2]
                .as_object_mut()
                .map(|o| o.remove("duree_minutes"))
                .map(drop)
                .unwrap_or(())
        },
        "services_par_defaut[2].duree_minutes",
    ),
    (
        "step not a multiple of 5",
        |d| d["regles"]["pas_minutes"] = json!(7),
        "regles.pas_minutes",
    ),
    (
        "step of zero",
        |d| d["regles"]["pas_minutes"] = json!(0),
        "regles.pas_minutes",
    ),
    (
        "step above 4 hours",
        |d| d["regles"]["pas_minutes"] = json!(245),
        "regles.pas_minutes",
    ),
    (
        "notice above 30 days",
        |d| d["regles"]["preavis_minutes"] = json!(43_201),
        "regles.preavis_minutes",
    ),
    (
        "notice beyond the horizon",
        |d| {
            d["regles"]["horizon_jours"] = json!(1);
            d["regles"]["preavis_minutes"] = json!(1440)
        },
        "regles.preavis_minutes",
    ),
    (
        "horizon of zero days",
        |d| d["regles"]["horizon_jours"] = json!(0),
        "regles.horizon_jours",
    ),
    (
        "horizon above a year",
        |d| d["regles"]["horizon_jours"] = json!(366),
        "regles.horizon_jours",
    ),
    (
        "buffer before not a multiple of 5",
        |d| d["regles"]["tampon_avant_minutes"] = json!(3),
        "regles.tampon_avant_minutes",
    ),
    (
        "buffer after above 4 hours",
        |d| d["regles"]["tampon_apres_minutes"] = json!(250),
        "regles.tampon_apres_minutes",
    ),
    (
        "cancellation window above 30 days",
        |d| d["regles"]["annulation_gratuite_heures"] = json!(721),
        "regles.annulation_gratuite_heures",
    ),
    (
        "daily maximum of zero",
        |d| d["regles"]["max_reservations_par_jour"] = json!(0),
        "regles.max_reservations_par_jour",
    ),
    (
        "daily maximum above 100",
        |d| d["regles"]["max_reservations_par_jour"] = json!(101),
        "regles.max_reservations_par_jour",
    ),
    (
        "unknown payment mode",
        |d| d["regles"]["paiement"] = json!({"mode": "carte"}),
        "regles.paiement.mode",
    ),
    (
        "payment without mode",
        |d| d["regles"]["paiement"] = json!({"pourcentage": 30}),
        "regles.paiement.mode",
    ),
    (
        "deposit by percentage and amount",
        |d| {
            d["regles"]["paiement"] =
                json!({"mode": "acompte", "pourcentage": 30, "montant_centimes": 5000})
        },
        "regles.paiement",
    ),
    (
        "deposit of nothing",
        |d| d["regles"]["paiement"] = json!({"mode": "acompte"}),
        "regles.paiement",
    ),
    (
        "deposit of 0 %",
        |d| d["regles"]["paiement"] = json!({"mode": "acompte", "pourcentage": 0}),
        "regles.paiement.pourcentage",
    ),
    (
        "deposit above 100 %",
        |d| d["regles"]["paiement"] = json!({"mode": "acompte", "pourcentage": 101}),
        "regles.paiement.pourcentage",
    ),
    (
        "deposit of 0 cents",
        |d| d["regles"]["paiement"] = json!({"mode": "acompte", "montant_centimes": 0}),
        "regles.paiement.montant_centimes",
    ),
    (
        "full payment with a percentage",
        |d| d["regles"]["paiement"] = json!({"mode": "total", "pourcentage": 30}),
        "regles.paiement.pourcentage",
    ),
    (
        "no payment with an extra field",
        |d| d["regles"]["paiement"] = json!({"mode": "aucun", "montant": 1}),
        "regles.paiement.montant",
    ),
    (
        "unknown rule",
        |d| d["regles"]["pas"] = json!(30),
        "regles.pas",
    ),
    (
        "review limit of zero days",
        |d| d["avis"] = json!({"actifs": true, "delai_jours": 0}),
        "avis.delai_jours",
    ),
    (
        "reviews without their flag",
        |d| d["avis"] = json!({"delai_jours": 30}),
        "avis.actifs",
    ),
    (
        "reminders not a list",
        |d| d["rappels_minutes"] = json!("1440"),
        "rappels_minutes",
    ),
    (
        "reminder not a number",
        |d| d["rappels_minutes"] = json!([1440, "120"]),
        "rappels_minutes[1]",
    ),
    (
        "reminder twice",
        |d| d["rappels_minutes"] = json!([1440, 120, 1440]),
        "rappels_minutes[2]",
    ),
    (
        "reminder of zero minutes",
        |d| d["rappels_minutes"] = json!([0]),
        "rappels_minutes[0]",
    ),
    (
        "reminder more than two weeks ahead",
        |d| d["rappels_minutes"] = json!([20_161]),
        "rappels_minutes[0]",
    ),
    (
        "field name with capitals",
        |d| d["champs"][0]["nom"] = json!("Immat"),
        "champs[0].nom",
    ),
    (
        "field name starting with a digit",
        |d| d["champs"][1]["nom"] = json!("1marque"),
        "champs[1].nom",
    ),
    (
        "field named like a contact field",
        |d| d["champs"][1]["nom"] = json!("email"),
        "champs[1].nom",
    ),
    (
        "duplicate field names",
        |d| d["champs"][2]["nom"] = json!("marque"),
        "champs[2].nom",
    ),
    (
        "unknown field type",
        |d| d["champs"][3]["type"] = json!("checkbox"),
        "champs[3].type",
    ),
    (
        "blank label",
        |d| d["champs"][1]["libelle"] = json!(" "),
        "champs[1].libelle",
    ),
    (
        "missing required flag",
        |d| {
            d["champs"][1]
                .as_object_mut()
                .map(|o| o.remove("requis"))
                .map(drop)
                .unwrap_or(())
        },
        "champs[1].requis",
    ),
    (
        "required flag as a string",
        |d| d["champs"][1]["requis"] = json!("oui"),
        "champs[1].requis",
    ),
    (
        "unknown field property",
        |d| d["champs"][2]["placeholder"] = json!("Clio"),
        "champs[2].placeholder",
    ),
    (
        "select without options",
        |d| {
            d["champs"][1] = json!({"nom": "carburant", "libelle": "Carburant", "type": "select", "requis": false})
        },
        "champs[1].options",
    ),
    (
        "select with no option",
        |d| d["champs"][1] = json!({"nom": "carburant", "libelle": "Carburant", "type": "select", "requis": false, "options": []}),
        "champs[1].options",
    ),
    (
        "select with an option twice",
        |d| d["champs"][1] = json!({"nom": "carburant", "libelle": "Carburant", "type": "select", "requis": false, "options": [{"valeur": "diesel", "libelle": "Diesel"}, {"valeur": "diesel", "libelle": "Gazole"}]}),
        "champs[1].options[1].valeur",
    ),
    (
        "option with a blank label",
        |d| d["champs"][1] = json!({"nom": "carburant", "libelle": "Carburant", "type": "select", "requis": false, "options": [{"valeur": "diesel", "libelle": ""}]}),
        "champs[1].options[0].libelle",
    ),
    (
        "option with an unknown property",
        |d| d["champs"][1] = json!({"nom": "carburant", "libelle": "Carburant", "type": "select", "requis": false, "options": [{"valeur": "diesel", "libelle": "Diesel", "prix": 1}]}),
        "champs[1].options[0].prix",
    ),
    (
        "options on a text field",
        |d| d["champs"][1]["options"] = json!([{"valeur": "a", "libelle": "A"}]),
        "champs[1].options",
    ),
    (
        "pattern that does not compile",
        |d| d["champs"][0]["motif"] = json!("^[A-Z{2}$"),
        "champs[0].motif",
    ),
    (
        "pattern on a number field",
        |d| d["champs"][3]["motif"] = json!("^[0-9]+$"),
        "champs[3].motif",
    ),
    (
        "pattern message without pattern",
        |d| d["champs"][1]["motif_message"] = json!("Marque inconnue."),
        "champs[1].motif_message",
    ),
    (
        "minimum on a text field",
        |d| d["champs"][1]["min"] = json!(0),
        "champs[1].min",
    ),
    (
        "maximum below minimum",
        |d| d["champs"][3]["min"] = json!(3_000_000),
        "champs[3].max",
    ),
    (
        "maximum length on a number field",
        |d| d["champs"][3]["longueur_max"] = json!(10),
        "champs[3].longueur_max",
    ),
    (
        "maximum length of zero",
        |d| d["champs"][1]["longueur_max"] = json!(0),
        "champs[1].longueur_max",
    ),
    ("fields not a list", |d| d["champs"] = json!({}), "champs"),
];

#[test]
fn every_invalid_document_is_refused_with_the_path_of_the_faulty_field() {
    let mut echecs = Vec::new();
    for (quoi, casser, chemin_attendu) in CAS_INVALIDES {
        let document = garage_modifie(*casser);
        // Pretty and compact: the path must not depend on the layout.
        for texte in [
            serde_json::to_string_pretty(&document).expect("serialises"),
            serde_json::to_string(&document).expect("serialises"),
        ] {
            let Err(erreur) = VerticalConfig::parse(&texte) else {
                echecs.push(format!("{quoi}: accepted"));
                continue;
            };
            if erreur.champ != *chemin_attendu || erreur.message.contains("expected") {
                echecs.push(format!(
                    "{quoi}: expected {chemin_attendu}, got « {erreur} »"
                ));
            }
        }
    }
    assert!(echecs.is_empty(), "{}", echecs.join("\n"));
}

#[test]
fn an_unknown_field_is_refused_with_its_name_and_the_accepted_ones() {
    let document = garage_modifie(|d| d["regles"]["pas_minute"] = json!(30));
    let erreur = erreur_de(&document.to_string());
    assert_eq!(erreur.champ, "regles.pas_minute");
    assert!(erreur.message.starts_with("champ inconnu"), "{erreur}");
    assert!(erreur.message.contains("pas_minutes"), "{erreur}");
}

#[test]
fn a_bad_colour_error_reads_in_french_with_the_path_first() {
    let document = garage_modifie(|d| d["theme"]["couleur_primaire"] = json!("rouge"));
    let erreur = erreur_de(&document.to_string());
    assert_eq!(
        erreur.to_string(),
        "theme.couleur_primaire : couleur invalide « rouge » : attendu #rrggbb, par exemple #1f6feb"
    );
}

#[test]
fn a_theme_whose_colours_fail_wcag_aa_contrast_is_refused_naming_the_colour_the_surface_and_the_ratio(
) {
    // The coach theme as it was: a green under white letters at 3.4:1.
    let document = garage_modifie(|d| d["theme"]["couleur_primaire"] = json!("#2f9e44"));
    let erreur = erreur_de(&document.to_string());
    assert_eq!(erreur.champ, "theme.couleur_primaire");
    assert_eq!(
        erreur.message,
        "contraste insuffisant : #2f9e44 sur le fond des pages (couleur_fond) donne 3,26:1, \
         il faut au moins 4,5:1 (WCAG 2.1 AA) pour les liens, les créneaux et les boutons \
         (lettres blanches) ; choisissez une couleur plus contrastée"
    );
    // Just under the threshold on the greyest surface is refused, just over it accepted.
    let erreur = erreur_de(
        &garage_modifie(|d| d["theme"]["couleur_secondaire"] = json!("#717171")).to_string(),
    );
    assert_eq!(erreur.champ, "theme.couleur_secondaire");
    assert!(
        erreur
            .message
            .contains("sur le gris clair des bandeaux (#f3f4f6) donne 4,43:1"),
        "{erreur}"
    );
    let passe = garage_modifie(|d| d["theme"]["couleur_secondaire"] = json!("#6f6f6f"));
    VerticalConfig::parse(&passe.to_string()).expect("#6f6f6f passes on every surface");
}

#[test]
fn a_step_that_is_not_a_multiple_of_5_is_refused() {
    let document = garage_modifie(|d| d["regles"]["pas_minutes"] = json!(20 + 2));
    let erreur = erreur_de(&document.to_string());
    assert_eq!(erreur.champ, "regles.pas_minutes");
    assert!(erreur.message.contains("multiple de 5"), "{erreur}");
}

#[test]
fn a_type_error_is_explained_in_french() {
    let document = garage_modifie(|d| d["regles"]["horizon_jours"] = json!("45"));
    let erreur = erreur_de(&serde_json::to_string_pretty(&document).expect("serialises"));
    assert_eq!(erreur.champ, "regles.horizon_jours");
    assert_eq!(
        erreur.message,
        "type invalide : le texte \"45\", alors qu'il faut un nombre entier"
    );
}

#[test]
fn malformed_json_is_refused_with_its_line_and_column() {
    let erreur = erreur_de("{\n  \"slug\": \"garage\",\n  \"nom\": \n}");
    assert_eq!(erreur.champ, "nom");
    assert!(
        erreur.message.starts_with("JSON mal formé à la ligne 4"),
        "{erreur}"
    );
    assert_eq!(erreur_de("").champ, "$");
    assert_eq!(erreur_de("{").champ, "$");
}

#[test]
fn a_document_that_is_not_an_object_is_refused_at_its_root() {
    let erreur = erreur_de("\"garage\"");
    assert_eq!(erreur.champ, "$");
    assert!(erreur.message.contains("un objet"), "{erreur}");
}

#[test]
fn a_field_given_twice_is_refused() {
    let texte = GARAGE.replacen(
        "\"nom\": \"Garages",
        "\"nom\": \"X\", \"nom\": \"Garages",
        1,
    );
    let erreur = erreur_de(&texte);
    assert_eq!(erreur.champ, "nom");
    assert_eq!(erreur.message, "champ présent deux fois");
}

#[test]
fn keys_with_escapes_and_accents_keep_an_exact_path() {
    let document = garage_modifie(|d| d["textes"]["accroche\u{e9}\"x"] = json!("é"));
    let erreur = erreur_de(&document.to_string());
    assert_eq!(erreur.champ, "textes.accroche\u{e9}\"x");
}

#[test]
fn a_byte_order_mark_before_the_document_is_tolerated() {
    let avec_bom = format!("\u{feff}{GARAGE}");
    assert!(VerticalConfig::parse(&avec_bom).is_ok());
}

#[test]
fn a_deposit_can_be_a_fixed_amount() {
    let document = garage_modifie(|d| {
        d["regles"]["paiement"] = json!({"mode": "acompte", "montant_centimes": 5000})
    });
    let garage = VerticalConfig::parse(&document.to_string()).expect("valid");
    assert_eq!(
        garage.regles().paiement(),
        Paiement::Acompte(Acompte::MontantCentimes(5000))
    );
}

#[test]
fn colours_are_accepted_in_capitals_and_kept_in_lower_case() {
    let document = garage_modifie(|d| d["theme"]["couleur_fond"] = json!("#F8F9FA"));
    let garage = VerticalConfig::parse(&document.to_string()).expect("valid");
    assert_eq!(garage.theme().couleur_fond().to_string(), "#f8f9fa");
}

#[test]
fn what_a_trade_requires_before_approval_is_declared_checked_and_optional() {
    use crate::comptes::approbation::Exigence;
    let exigences = |texte: &str| {
        VerticalConfig::parse(texte)
            .expect("valid")
            .exigences_approbation()
            .to_vec()
    };
    assert_eq!(exigences(GARAGE), [Exigence::Siret]);
    assert_eq!(exigences(AVOCAT), [Exigence::Barreau]);
    assert!(exigences(COACH).is_empty());
    let sans = garage_modifie(|d| {
        d.as_object_mut().expect("object").remove("approbation");
    });
    assert!(exigences(&sans.to_string()).is_empty(), "absent: nothing");
    let double = garage_modifie(|d| d["approbation"]["exigences"] = json!(["siret", "siret"]));
    let erreur = erreur_de(&double.to_string());
    assert_eq!(erreur.champ, "approbation.exigences[1]");
    assert!(erreur.message.contains("deux fois"), "{erreur}");
    let inconnue = garage_modifie(|d| d["approbation"]["exigences"] = json!(["kbis"]));
    assert_eq!(
        erreur_de(&inconnue.to_string()).champ,
        "approbation.exigences[0]"
    );
}
