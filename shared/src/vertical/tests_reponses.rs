//! Tests of `valider_reponses` on the seeded verticals' fields.

use serde_json::{json, Map, Value};

use super::{valider_reponses, Champ, ErreurChamp, VerticalConfig};

const GARAGE: &str = include_str!("../../../verticals/garage.json");
const AVOCAT: &str = include_str!("../../../verticals/avocat.json");

fn champs(document: &str) -> Vec<Champ> {
    VerticalConfig::parse(document)
        .expect("the vertical is valid")
        .champs()
        .to_vec()
}

fn reponses(valeur: Value) -> Map<String, Value> {
    match valeur {
        Value::Object(map) => map,
        _ => panic!("answers are an object"),
    }
}

fn garage_avec_plaque(plaque: &str) -> Map<String, Value> {
    reponses(json!({
        "immatriculation": plaque,
        "marque": "Renault",
        "modele": "Clio",
    }))
}

fn codes(erreurs: &[ErreurChamp]) -> Vec<(&str, &str)> {
    erreurs.iter().map(|e| (e.champ.as_str(), e.code)).collect()
}

/// A field of the given type, built through a document as any real field is.
fn champ(definition: Value) -> Champ {
    let mut document: Value = serde_json::from_str(GARAGE).expect("garage.json is JSON");
    document["champs"] = json!([definition]);
    VerticalConfig::parse(&document.to_string())
        .expect("the field is valid")
        .champs()[0]
        .clone()
}

fn valider_un(champ: &Champ, valeur: Value) -> Result<Option<Value>, &'static str> {
    let mut reponses = Map::new();
    reponses.insert(champ.nom().to_owned(), valeur);
    valider_reponses(std::slice::from_ref(champ), &reponses)
        .map(|valides| valides.get(champ.nom()).cloned())
        .map_err(|erreurs| erreurs[0].code)
}

#[test]
fn a_french_plate_is_accepted_with_dashes_spaces_or_nothing_in_any_case() {
    let champs = champs(GARAGE);
    for plaque in ["AB-123-CD", "ab123cd", "AB 123 CD", "  Ab-123 cD  "] {
        let valides = valider_reponses(&champs, &garage_avec_plaque(plaque))
            .unwrap_or_else(|e| panic!("{plaque} should be accepted: {e:?}"));
        assert_eq!(valides["immatriculation"], json!(plaque.trim()));
    }
}

#[test]
fn a_plate_in_another_format_is_refused_with_the_vertical_message() {
    let champs = champs(GARAGE);
    for plaque in [
        "A-123-BC",
        "AB-12-CD",
        "AB-1234-CD",
        "123-AB-45",
        "AB--123-CD",
        "AB-123-CDE",
    ] {
        let erreurs = valider_reponses(&champs, &garage_avec_plaque(plaque)).expect_err(plaque);
        assert_eq!(codes(&erreurs), [("immatriculation", "motif")], "{plaque}");
        assert_eq!(
            erreurs[0].message,
            "L'immatriculation doit être au format AB-123-CD."
        );
    }
}

#[test]
fn missing_required_answers_are_all_reported_at_once_in_form_order() {
    let erreurs = valider_reponses(&champs(GARAGE), &reponses(json!({ "marque": "  " })))
        .expect_err("incomplete");
    assert_eq!(
        codes(&erreurs),
        [
            ("immatriculation", "requis"),
            ("marque", "requis"),
            ("modele", "requis")
        ]
    );
    assert_eq!(
        erreurs[0].message,
        "Le champ « Immatriculation » est obligatoire."
    );
}

#[test]
fn an_unknown_answer_key_is_refused() {
    let mut reponses = garage_avec_plaque("AB-123-CD");
    reponses.insert("couleur".to_owned(), json!("rouge"));
    let erreurs = valider_reponses(&champs(GARAGE), &reponses).expect_err("unknown key");
    assert_eq!(codes(&erreurs), [("couleur", "champ_inconnu")]);
    assert!(erreurs[0].message.contains("« couleur »"));
}

#[test]
fn a_number_given_as_a_string_is_parsed_into_a_json_number() {
    let champs = champs(GARAGE);
    for (saisie, attendu) in [
        (json!("120000"), json!(120_000)),
        (json!(" 120 000 "), json!(120_000)),
        (json!("0"), json!(0)),
        (json!(85_000), json!(85_000)),
        (json!("12,5"), json!(12.5)),
    ] {
        let mut reponses = garage_avec_plaque("AB-123-CD");
        reponses.insert("kilometrage".to_owned(), saisie.clone());
        let valides = valider_reponses(&champs, &reponses)
            .unwrap_or_else(|e| panic!("{saisie} should be accepted: {e:?}"));
        assert_eq!(valides["kilometrage"], attendu, "{saisie}");
    }
}

#[test]
fn a_number_that_is_not_one_or_out_of_bounds_is_refused() {
    let champs = champs(GARAGE);
    for (saisie, code) in [
        (json!("beaucoup"), "nombre_invalide"),
        (json!("1e5"), "nombre_invalide"),
        (json!("12."), "nombre_invalide"),
        (json!("NaN"), "nombre_invalide"),
        (json!("-1"), "hors_bornes"),
        (json!(2_000_001), "hors_bornes"),
        (json!(true), "type_invalide"),
    ] {
        let mut reponses = garage_avec_plaque("AB-123-CD");
        reponses.insert("kilometrage".to_owned(), saisie.clone());
        let erreurs = valider_reponses(&champs, &reponses).expect_err("refused");
        assert_eq!(codes(&erreurs), [("kilometrage", code)], "{saisie}");
    }
    let mut reponses = garage_avec_plaque("AB-123-CD");
    reponses.insert("kilometrage".to_owned(), json!("3000000"));
    let erreurs = valider_reponses(&champs, &reponses).expect_err("refused");
    assert_eq!(
        erreurs[0].message,
        "Le champ « Kilométrage » doit être compris entre 0 et 2\u{202f}000\u{202f}000."
    );
}

#[test]
fn an_empty_optional_answer_counts_as_absent() {
    let champs = champs(GARAGE);
    for vide in [json!(""), json!("   "), Value::Null] {
        let mut reponses = garage_avec_plaque("AB-123-CD");
        reponses.insert("kilometrage".to_owned(), vide);
        let valides = valider_reponses(&champs, &reponses).expect("accepted");
        assert!(!valides.contains_key("kilometrage"));
    }
    let valides = valider_reponses(&champs, &garage_avec_plaque("AB-123-CD")).expect("accepted");
    assert_eq!(valides.len(), 3);
}

#[test]
fn answers_are_trimmed() {
    let reponses = reponses(json!({
        "immatriculation": " AB-123-CD ",
        "marque": "\tRenault ",
        "modele": " Clio\n",
    }));
    let valides = valider_reponses(&champs(GARAGE), &reponses).expect("accepted");
    assert_eq!(
        Value::Object(valides),
        json!({ "immatriculation": "AB-123-CD", "marque": "Renault", "modele": "Clio" })
    );
}

#[test]
fn a_textarea_longer_than_its_maximum_is_refused() {
    let champs = champs(AVOCAT);
    let mut reponses = reponses(json!({ "domaine_droit": "travail", "mode": "visio" }));
    reponses.insert("resume".to_owned(), json!("é".repeat(2001)));
    let erreurs = valider_reponses(&champs, &reponses).expect_err("too long");
    assert_eq!(codes(&erreurs), [("resume", "trop_long")]);
    assert_eq!(
        erreurs[0].message,
        "Le champ « Résumé de votre situation » ne doit pas dépasser 2000 caractères."
    );
    reponses.insert("resume".to_owned(), json!("é".repeat(2000)));
    assert!(valider_reponses(&champs, &reponses).is_ok());
}

#[test]
fn a_select_answer_must_be_one_of_its_options() {
    let champs = champs(AVOCAT);
    let mut reponses = reponses(json!({
        "domaine_droit": "fiscal",
        "mode": "Au cabinet",
        "resume": "Licenciement contesté.",
    }));
    let erreurs = valider_reponses(&champs, &reponses).expect_err("unknown options");
    assert_eq!(
        codes(&erreurs),
        [
            ("domaine_droit", "option_inconnue"),
            ("mode", "option_inconnue")
        ]
    );
    reponses.insert("domaine_droit".to_owned(), json!("penal"));
    reponses.insert("mode".to_owned(), json!("cabinet"));
    assert!(valider_reponses(&champs, &reponses).is_ok());
}

#[test]
fn a_text_answer_longer_than_the_default_200_characters_is_refused() {
    let texte = champ(json!({"nom": "note", "libelle": "Note", "type": "text", "requis": false}));
    assert_eq!(texte.longueur_max(), Some(200));
    assert!(valider_un(&texte, json!("a".repeat(200))).is_ok());
    assert_eq!(valider_un(&texte, json!("a".repeat(201))), Err("trop_long"));
    assert_eq!(valider_un(&texte, json!(12)), Err("type_invalide"));
    assert_eq!(valider_un(&texte, json!(["a"])), Err("type_invalide"));
}

#[test]
fn an_email_answer_must_look_like_an_address() {
    let email = champ(
        json!({"nom": "email_pro", "libelle": "E-mail professionnel", "type": "email", "requis": true}),
    );
    for valide in ["camille@exemple.fr", "c.dupont+rdv@mail.exemple.com"] {
        assert_eq!(valider_un(&email, json!(valide)), Ok(Some(json!(valide))));
    }
    for invalide in [
        "camille",
        "camille@exemple",
        "a@b@c.fr",
        "camille @exemple.fr",
        "@exemple.fr",
        "c@.fr",
        "c@exemple.",
        &format!("{}@exemple.fr", "a".repeat(250)),
    ] {
        assert_eq!(
            valider_un(&email, json!(invalide)),
            Err("email_invalide"),
            "{invalide}"
        );
    }
}

#[test]
fn a_phone_answer_accepts_french_habits_and_refuses_the_rest() {
    let tel = champ(
        json!({"nom": "tel_garage", "libelle": "Téléphone du garage", "type": "tel", "requis": true}),
    );
    for valide in [
        "06 12 34 56 78",
        "06.12.34.56.78",
        "+33 6 12 34 56 78",
        "0612345678",
        "01-23-45-67-89",
        "+33 . 6 . 12 . 34 . 56 . 78 . 00 . 11 22",
    ] {
        assert!(valider_un(&tel, json!(valide)).is_ok(), "{valide}");
    }
    for invalide in [
        "12345",
        "06 12 34 56 7a",
        "06+12345678",
        "(06) 12 34 56 78",
        "123456789012345678901",
        // 10 digits, but longer than any way of writing them.
        "06 - 12 - 34 - 56 - 78 - - - - - - - - - -",
    ] {
        assert_eq!(
            valider_un(&tel, json!(invalide)),
            Err("tel_invalide"),
            "{invalide}"
        );
    }
}

#[test]
fn a_date_answer_must_be_a_real_calendar_day() {
    let date = champ(
        json!({"nom": "mise_en_circulation", "libelle": "Mise en circulation", "type": "date", "requis": true}),
    );
    assert_eq!(
        valider_un(&date, json!("2024-02-29")),
        Ok(Some(json!("2024-02-29")))
    );
    for invalide in [
        "2023-02-29",
        "2024-2-29",
        "29/02/2024",
        "2024-13-01",
        "2024-02-29T10:00",
    ] {
        assert_eq!(
            valider_un(&date, json!(invalide)),
            Err("date_invalide"),
            "{invalide}"
        );
    }
}

#[test]
fn a_pattern_without_message_gets_a_generic_french_one() {
    let code = champ(
        json!({"nom": "code_postal", "libelle": "Code postal", "type": "text", "requis": true, "motif": "[0-9]{5}"}),
    );
    // The pattern must match the whole answer even when it is not anchored.
    assert!(valider_un(&code, json!("75011")).is_ok());
    let mut reponses = Map::new();
    reponses.insert("code_postal".to_owned(), json!("75011 Paris"));
    let erreurs = valider_reponses(std::slice::from_ref(&code), &reponses).expect_err("motif");
    assert_eq!(codes(&erreurs), [("code_postal", "motif")]);
    assert_eq!(
        erreurs[0].message,
        "Le format du champ « Code postal » n'est pas valide."
    );
}

#[test]
fn errors_serialise_as_field_code_and_message() {
    let erreur = ErreurChamp {
        champ: "marque".to_owned(),
        code: "requis",
        message: "Le champ « Marque » est obligatoire.".to_owned(),
    };
    assert_eq!(
        serde_json::to_value(&erreur).expect("serialises"),
        json!({"champ": "marque", "code": "requis", "message": "Le champ « Marque » est obligatoire."})
    );
}
