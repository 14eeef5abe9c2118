//! Reading JSON text into typed values, with the path of the value that was wrong.
//!
//! serde reports where reading stopped (line and column) but not the field. The path is
//! found afterwards by walking the text up to that point with a reader that keeps the
//! path of the value being read: the key read last stays on the path until the next one,
//! so that `"pas_minutes": "x"` names `pas_minutes`, an unknown or duplicate key names
//! itself, and a missing field names the object that lacks it. The walk costs nothing
//! unless reading failed, and it is one piece of code for every type, where a wrapper
//! around each type's deserializer would be compiled once per type.

mod corps;

pub use corps::{lire_corps, Chemin, Corps, ErreurCorps, Membre, Membres};

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, SeqAccess, Visitor};

/// One step of a path: an object's key or a list's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Cle(String),
    Index(usize),
}

/// Why a text could not be read: serde's error and the path where reading stopped.
#[derive(Debug)]
pub struct ErreurLecture {
    pub segments: Vec<Segment>,
    pub erreur: serde_json::Error,
}

impl ErreurLecture {
    /// The path as `regles.pas_minutes` or `champs[2].options`; `racine` when empty.
    pub fn chemin(&self, racine: &str) -> String {
        chemin(&self.segments, racine)
    }

    /// serde's message without its " at line L column C".
    pub fn message(&self) -> String {
        let complet = self.erreur.to_string();
        let suffixe = format!(
            " at line {} column {}",
            self.erreur.line(),
            self.erreur.column()
        );
        complet
            .strip_suffix(&suffixe)
            .unwrap_or(&complet)
            .to_owned()
    }
}

/// JSON bytes read into `T`, or serde's message (or UTF-8's) when they cannot be: the
/// bytes are checked as UTF-8 and read as text, so that the Worker compiles serde_json's
/// reader for text only, not a second one for bytes.
pub fn depuis_octets<T: DeserializeOwned>(octets: &[u8]) -> Result<T, String> {
    let texte = std::str::from_utf8(octets).map_err(|e| e.to_string())?;
    serde_json::from_str(texte).map_err(|e| e.to_string())
}

/// The text member `nom` of a JSON object, or why there is none (absent, or not text).
pub fn membre_texte(objet: &serde_json::Value, nom: &str) -> Result<String, String> {
    match objet.get(nom) {
        Some(serde_json::Value::String(texte)) => Ok(texte.clone()),
        _ => Err(format!("« {nom} » absent ou qui n'est pas un texte")),
    }
}

/// Reads the whole of `texte` into `T`, or says where and why it could not.
pub fn lire<T: DeserializeOwned>(texte: &str) -> Result<T, ErreurLecture> {
    let mut lecteur = serde_json::Deserializer::from_str(texte);
    let erreur = match T::deserialize(&mut lecteur) {
        Ok(valeur) => match lecteur.end() {
            Ok(()) => return Ok(valeur),
            Err(erreur) => erreur,
        },
        Err(erreur) => erreur,
    };
    Err(erreur_de_lecture(texte, erreur))
}

/// Where `erreur` stopped the read of `texte` (not compiled per type, unlike [`lire`]).
fn erreur_de_lecture(texte: &str, erreur: serde_json::Error) -> ErreurLecture {
    let fin = decalage(texte, erreur.line(), erreur.column());
    ErreurLecture {
        segments: segments_jusqu_a(&texte[..fin]),
        erreur,
    }
}

/// `regles.pas_minutes`, `champs[2].options`; `racine` for the document itself.
pub fn chemin(segments: &[Segment], racine: &str) -> String {
    let mut chemin = String::new();
    for segment in segments {
        match segment {
            Segment::Index(index) => chemin.push_str(&format!("[{index}]")),
            Segment::Cle(cle) => {
                if !chemin.is_empty() {
                    chemin.push('.');
                }
                chemin.push_str(cle);
            }
        }
    }
    if chemin.is_empty() {
        racine.to_owned()
    } else {
        chemin
    }
}

/// The byte offset of serde_json's (line, column): lines from 1, columns counted in bytes
/// from 1 on a line; past the end, the end. Never inside a character.
fn decalage(texte: &str, ligne: usize, colonne: usize) -> usize {
    let debut_de_ligne = if ligne <= 1 {
        0
    } else {
        texte
            .match_indices('\n')
            .nth(ligne - 2)
            .map_or(texte.len(), |(i, _)| i + 1)
    };
    let mut fin = (debut_de_ligne + colonne).min(texte.len());
    while !texte.is_char_boundary(fin) {
        fin -= 1;
    }
    fin
}

/// The path of the value being read where `debut` ends.
fn segments_jusqu_a(debut: &str) -> Vec<Segment> {
    let mut pile = Vec::new();
    let mut lecteur = serde_json::Deserializer::from_str(debut);
    // The text stops where the error was found: reading it fails there, with the path.
    let _ = Suivi(&mut pile, None).deserialize(&mut lecteur);
    pile
}

/// Reads any JSON value, keeping on its stack the path of the value being read; a list's
/// element says its index once it starts (so that an element read whole stays on the path
/// until the next one begins).
struct Suivi<'a>(&'a mut Vec<Segment>, Option<usize>);

impl<'de> DeserializeSeed<'de> for Suivi<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, lecteur: D) -> Result<(), D::Error> {
        if let (Some(index), Some(haut)) = (self.1, self.0.last_mut()) {
            *haut = Segment::Index(index);
        }
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
        self.0.push(Segment::Index(0));
        let mut index = 0;
        while liste
            .next_element_seed(Suivi(&mut *self.0, Some(index)))?
            .is_some()
        {
            index += 1;
        }
        self.0.pop();
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut objet: A) -> Result<(), A::Error> {
        let profondeur = self.0.len();
        while let Some(cle) = objet.next_key::<String>()? {
            self.0.truncate(profondeur);
            self.0.push(Segment::Cle(cle));
            objet.next_value_seed(Suivi(&mut *self.0, None))?;
        }
        self.0.truncate(profondeur);
        Ok(())
    }
}

/// A JSON object of keys and values that convert into a [`serde_json::Value`] (text,
/// numbers, booleans, options and lists of them, values): `objet!({ "a": 1, "b": texte })`.
/// The same object as `serde_json::json!`, which serialises each value through serde and
/// unwraps the result, a panic path at every value; here each is a plain conversion.
#[macro_export]
macro_rules! objet {
    ({ $($cle:literal : $valeur:expr),* $(,)? }) => {{
        #[allow(unused_mut)]
        let mut objet = ::serde_json::Map::new();
        $( objet.insert(::std::string::String::from($cle), ::serde_json::Value::from($valeur)); )*
        ::serde_json::Value::Object(objet)
    }};
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[test]
    fn objet_gives_the_object_json_gives() {
        let texte = String::from("é");
        let rien: Option<&str> = None;
        assert_eq!(
            crate::objet!({ "a": 1, "b": texte.as_str(), "c": rien, "d": vec!["x"], "e": f64::NAN, "f": true }),
            serde_json::json!({ "a": 1, "b": texte, "c": rien, "d": ["x"], "e": f64::NAN, "f": true })
        );
        assert_eq!(crate::objet!({}), serde_json::json!({}));
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Racine {
        regles: Regles,
        champs: Vec<Champ>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Regles {
        pas_minutes: u32,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Champ {
        nom: String,
        options: Option<Vec<String>>,
    }

    fn chemin_de(texte: &str) -> (String, String) {
        let erreur = lire::<Racine>(texte).expect_err("refused");
        (erreur.chemin("$"), erreur.message())
    }

    #[test]
    fn a_wrong_type_names_its_field_on_one_line_or_many() {
        let (chemin, message) = chemin_de(r#"{"regles":{"pas_minutes":"x"},"champs":[]}"#);
        assert_eq!(chemin, "regles.pas_minutes");
        assert!(message.starts_with("invalid type: string"), "{message}");
        let texte = "{\n  \"regles\": {\"pas_minutes\": 30},\n  \"champs\": [\n    {\"nom\": \"a\"},\n    {\"nom\": \"é\", \"options\": [\"x\", 3]}\n  ]\n}";
        assert_eq!(chemin_de(texte).0, "champs[1].options[1]");
    }

    #[test]
    fn unknown_duplicate_and_missing_fields_name_the_key_or_its_object() {
        let inconnu = r#"{"regles":{"pas_minutes":5,"pas":1},"champs":[]}"#;
        assert_eq!(chemin_de(inconnu).0, "regles.pas");
        let double = r#"{"regles":{"pas_minutes":5},"champs":[{"nom":"a","nom":"b"}]}"#;
        assert_eq!(chemin_de(double).0, "champs[0].nom");
        let manquant = r#"{"regles":{"pas_minutes":5},"champs":[{"options":[]}]}"#;
        let (chemin, message) = chemin_de(manquant);
        assert_eq!(chemin, "champs[0]");
        assert!(message.starts_with("missing field `nom`"), "{message}");
        assert_eq!(chemin_de(r#"{"champs":[]}"#).0, "$");
    }

    #[test]
    fn malformed_text_and_trailing_text_are_placed_too() {
        assert_eq!(
            chemin_de(r#"{"regles":{"pas_minutes":30x}}"#).0,
            "regles.pas_minutes"
        );
        assert_eq!(
            chemin_de(r#"{"regles":{"pas_minutes":30},"champs":[]} {"#).0,
            "$"
        );
        assert_eq!(chemin_de("").0, "$");
    }
}
