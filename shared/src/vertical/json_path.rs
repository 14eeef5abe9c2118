//! Reads a vertical document, turning a `serde_json` error into a [`ConfigError`] that
//! names the JSON path of the field (see [`crate::json`]); serde's English messages are
//! put into French for the common cases.

use serde::de::DeserializeOwned;
use serde_json::error::Category;

use super::error::ConfigError;
use crate::json::{self, Segment};

/// The path used for the document as a whole.
const RACINE: &str = "$";

/// Reads `document` into `T`, or says which field is wrong and why.
pub(super) fn lire<T: DeserializeOwned>(document: &str) -> Result<T, ConfigError> {
    let lecture = match json::lire(document) {
        Ok(valeur) => return Ok(valeur),
        Err(lecture) => lecture,
    };
    Err(match lecture.erreur.classify() {
        Category::Syntax | Category::Eof | Category::Io => ConfigError::new(
            lecture.chemin(RACINE),
            format!(
                "JSON mal formé à la ligne {}, colonne {}",
                lecture.erreur.line(),
                lecture.erreur.column()
            ),
        ),
        Category::Data => {
            let (nom_du_champ, message) = traduire(&lecture.message());
            let mut segments = lecture.segments;
            match nom_du_champ {
                // Missing, duplicate and unknown fields: the path ends with the field.
                Some(nom) if !matches!(segments.last(), Some(Segment::Cle(cle)) if *cle == nom) => {
                    segments.push(Segment::Cle(nom));
                }
                _ => {}
            }
            ConfigError::new(json::chemin(&segments, RACINE), message)
        }
    })
}

/// Translates serde's message; returns the field it names (unknown, missing or duplicate
/// field) so that the path can end with it.
fn traduire(brut: &str) -> (Option<String>, String) {
    if let Some(reste) = brut.strip_prefix("unknown field ") {
        let (nom, attendus) = nom_et_suite(reste);
        let message = match attendus {
            Some(liste) => format!("champ inconnu (champs possibles : {liste})"),
            None => "champ inconnu".to_owned(),
        };
        return (Some(nom), message);
    }
    if let Some(reste) = brut.strip_prefix("missing field ") {
        let (nom, _) = nom_et_suite(reste);
        return (Some(nom), "champ obligatoire manquant".to_owned());
    }
    if let Some(reste) = brut.strip_prefix("duplicate field ") {
        let (nom, _) = nom_et_suite(reste);
        return (Some(nom), "champ présent deux fois".to_owned());
    }
    if let Some(reste) = brut.strip_prefix("unknown variant ") {
        let (nom, attendus) = nom_et_suite(reste);
        let message = match attendus {
            Some(liste) => format!("valeur « {nom} » inconnue (valeurs possibles : {liste})"),
            None => format!("valeur « {nom} » inconnue"),
        };
        return (None, message);
    }
    for (prefixe, debut) in [
        ("invalid type: ", "type invalide"),
        ("invalid value: ", "valeur invalide"),
    ] {
        if let Some(reste) = brut.strip_prefix(prefixe) {
            if let Some((recu, attendu)) = reste.rsplit_once(", expected ") {
                return (
                    None,
                    format!(
                        "{debut} : {}, alors qu'il faut {}",
                        decrire_recu(recu),
                        decrire_attendu(attendu)
                    ),
                );
            }
        }
    }
    (None, format!("valeur invalide ({brut})"))
}

/// Splits "`nom`, expected one of `a`, `b`" into the name and "a, b".
fn nom_et_suite(reste: &str) -> (String, Option<String>) {
    let reste = reste.strip_prefix('`').unwrap_or(reste);
    let (nom, suite) = reste.split_once('`').unwrap_or((reste, ""));
    let attendus = suite
        .strip_prefix(", expected one of ")
        .or_else(|| suite.strip_prefix(", expected "))
        .map(|liste| liste.replace("` or `", "`, `").replace('`', ""));
    (nom.to_owned(), attendus)
}

fn decrire_recu(recu: &str) -> String {
    let entre_accents = |s: &str| s.trim_matches('`').to_owned();
    if let Some(v) = recu.strip_prefix("integer ") {
        format!("l'entier {}", entre_accents(v))
    } else if let Some(v) = recu.strip_prefix("floating point ") {
        format!("le nombre décimal {}", entre_accents(v))
    } else if let Some(v) = recu.strip_prefix("boolean ") {
        format!("le booléen {}", entre_accents(v))
    } else if let Some(v) = recu.strip_prefix("string ") {
        format!("le texte {v}")
    } else {
        match recu {
            "null" => "null".to_owned(),
            "sequence" => "une liste".to_owned(),
            "map" => "un objet".to_owned(),
            autre => autre.to_owned(),
        }
    }
}

fn decrire_attendu(attendu: &str) -> String {
    let entier = |s: &str| {
        (s.starts_with('u') || s.starts_with('i'))
            && s.len() > 1
            && s[1..].bytes().all(|b| b.is_ascii_digit())
    };
    match attendu {
        a if entier(a) => "un nombre entier".to_owned(),
        "f32" | "f64" => "un nombre".to_owned(),
        "a string" => "un texte".to_owned(),
        "a boolean" => "un booléen (true ou false)".to_owned(),
        "a sequence" => "une liste".to_owned(),
        a if a.starts_with("struct ")
            || a.starts_with("internally tagged enum")
            || a == "a map" =>
        {
            "un objet".to_owned()
        }
        autre => autre.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::vertical::VerticalConfig;

    const GARAGE: &str = include_str!("../../../verticals/garage.json");

    #[test]
    fn every_truncation_of_a_document_is_refused_without_panicking() {
        let document = GARAGE.trim_end();
        for (fin, _) in document.char_indices().skip(1) {
            let erreur = VerticalConfig::parse(&document[..fin]).expect_err("truncated");
            assert!(!erreur.champ.is_empty());
            assert!(erreur.message.starts_with("JSON mal formé"), "{erreur}");
        }
    }

    #[test]
    fn a_syntax_error_names_the_field_being_written() {
        let texte = GARAGE.replacen("\"pas_minutes\": 30", "\"pas_minutes\": 30x", 1);
        let erreur = VerticalConfig::parse(&texte).expect_err("malformed");
        assert_eq!(erreur.champ, "regles.pas_minutes");
    }

    proptest! {
        #[test]
        fn any_text_is_refused_or_accepted_without_panicking(texte in any::<String>()) {
            if let Err(erreur) = VerticalConfig::parse(&texte) {
                prop_assert!(!erreur.champ.is_empty());
            }
        }

        #[test]
        fn any_byte_of_a_valid_document_can_be_replaced_without_panicking(
            position in 0..GARAGE.len(),
            octet in prop::sample::select(br#"{}[]",:0a-#\ "#.to_vec()),
        ) {
            let mut octets = GARAGE.as_bytes().to_vec();
            octets[position] = octet;
            let texte = String::from_utf8_lossy(&octets);
            if let Err(erreur) = VerticalConfig::parse(&texte) {
                prop_assert!(!erreur.champ.is_empty());
            }
        }
    }
}
