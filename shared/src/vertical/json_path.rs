//! Reads a vertical document, turning a `serde_json` error into a [`ConfigError`] that
//! names the JSON path of the field: `serde_path_to_error` follows the path while the
//! document is read into its types; serde's English messages are put into French for the
//! common cases.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::error::Category;
use serde_path_to_error::Segment;

use super::error::ConfigError;

/// The path used for the document as a whole.
const RACINE: &str = "$";

/// Reads `document` into `T`, or says which field is wrong and why.
pub(super) fn lire<T: DeserializeOwned>(document: &str) -> Result<T, ConfigError> {
    let mut lecteur = serde_json::Deserializer::from_str(document);
    let (segments, erreur) = match serde_path_to_error::deserialize(&mut lecteur) {
        Ok(valeur) => match lecteur.end() {
            Ok(()) => return Ok(valeur),
            Err(erreur) => (Vec::new(), erreur),
        },
        Err(erreur) => (erreur.path().iter().cloned().collect(), erreur.into_inner()),
    };
    Err(match erreur.classify() {
        Category::Syntax | Category::Eof | Category::Io => ConfigError::new(
            chemin(&segments_a_l_erreur(document)),
            format!(
                "JSON mal formé à la ligne {}, colonne {}",
                erreur.line(),
                erreur.column()
            ),
        ),
        Category::Data => {
            let (nom_du_champ, message) = traduire(&message_sans_position(&erreur));
            let mut segments = segments;
            match nom_du_champ {
                // Missing, duplicate and unknown fields: the path ends with the field.
                Some(nom) if !matches!(segments.last(), Some(Segment::Map { key }) if *key == nom) =>
                {
                    segments.push(Segment::Map { key: nom });
                }
                _ => {}
            }
            ConfigError::new(chemin(&segments), message)
        }
    })
}

/// `regles.pas_minutes`, `champs[2].options`; `$` for the document itself.
fn chemin(segments: &[Segment]) -> String {
    let mut chemin = String::new();
    for segment in segments {
        match segment {
            Segment::Seq { index } => chemin.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                if !chemin.is_empty() {
                    chemin.push('.');
                }
                chemin.push_str(key);
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    if chemin.is_empty() {
        RACINE.to_owned()
    } else {
        chemin
    }
}

/// Where the syntax of a malformed document breaks: its path, found by walking the
/// document as far as it is well-formed. The last key read stays on the path until the
/// next one, so that an error just after a value (`"pas_minutes": 30x`) names its field.
fn segments_a_l_erreur(document: &str) -> Vec<Segment> {
    let mut pile = Vec::new();
    let mut lecteur = serde_json::Deserializer::from_str(document);
    // The error is the one already reported: only the path where it stopped is wanted.
    let _ = Suivi(&mut pile).deserialize(&mut lecteur);
    pile
}

/// Reads any JSON value, keeping on its stack the path of the value being read.
struct Suivi<'a>(&'a mut Vec<Segment>);

impl<'de> DeserializeSeed<'de> for Suivi<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, lecteur: D) -> Result<(), D::Error> {
        lecteur.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Suivi<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("une valeur JSON")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut liste: A) -> Result<(), A::Error> {
        self.0.push(Segment::Unknown);
        for index in 0.. {
            if let Some(haut) = self.0.last_mut() {
                *haut = Segment::Seq { index };
            }
            if liste.next_element_seed(Suivi(&mut *self.0))?.is_none() {
                break;
            }
        }
        self.0.pop();
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut objet: A) -> Result<(), A::Error> {
        self.0.push(Segment::Unknown);
        while let Some(cle) = objet.next_key::<String>()? {
            if let Some(haut) = self.0.last_mut() {
                *haut = Segment::Map { key: cle };
            }
            objet.next_value_seed(Suivi(&mut *self.0))?;
        }
        self.0.pop();
        Ok(())
    }
}

fn message_sans_position(erreur: &serde_json::Error) -> String {
    let complet = erreur.to_string();
    let suffixe = format!(" at line {} column {}", erreur.line(), erreur.column());
    complet
        .strip_suffix(&suffixe)
        .unwrap_or(&complet)
        .to_owned()
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
