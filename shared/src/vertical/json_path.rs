//! Turns a `serde_json` error into a [`ConfigError`] that names the JSON path of the field.
//!
//! `serde_json` reports where it stopped (line and column) but not which field it was
//! reading, so the path is recovered by scanning the document up to that position. Its
//! English messages are translated into French for the common cases.

use serde_json::error::Category;

use super::error::ConfigError;

/// The path used for the document as a whole.
pub(super) const RACINE: &str = "$";

pub(super) fn depuis_serde(document: &str, erreur: &serde_json::Error) -> ConfigError {
    let mut position = position_en_octets(document, erreur.line(), erreur.column());
    if erreur.classify() == Category::Syntax {
        // The position then includes the offending character, which belongs to no field.
        position = position.saturating_sub(1);
    }
    let chemin = chemin_a(document, position);
    match erreur.classify() {
        Category::Syntax | Category::Eof | Category::Io => ConfigError::new(
            chemin.unwrap_or_else(|| RACINE.to_owned()),
            format!(
                "JSON mal formé à la ligne {}, colonne {}",
                erreur.line(),
                erreur.column()
            ),
        ),
        Category::Data => {
            let brut = message_sans_position(erreur);
            let (nom_du_champ, message) = traduire(&brut);
            let chemin = match (chemin, nom_du_champ) {
                (Some(chemin), Some(nom)) if !finit_par_segment(&chemin, &nom) => {
                    format!("{chemin}.{nom}")
                }
                (Some(chemin), _) => chemin,
                (None, Some(nom)) => nom,
                (None, None) => RACINE.to_owned(),
            };
            if chemin.is_empty() {
                // An empty key at the top level.
                return ConfigError::new(RACINE, message);
            }
            ConfigError::new(chemin, message)
        }
    }
}

fn finit_par_segment(chemin: &str, nom: &str) -> bool {
    chemin == nom || chemin.ends_with(&format!(".{nom}"))
}

/// `serde_json` counts lines from 1 and columns in bytes from the start of the line.
fn position_en_octets(document: &str, ligne: usize, colonne: usize) -> usize {
    let debut_de_ligne = if ligne <= 1 {
        0
    } else {
        document
            .match_indices('\n')
            .nth(ligne - 2)
            .map_or(document.len(), |(i, _)| i + 1)
    };
    (debut_de_ligne + colonne).min(document.len())
}

enum Niveau {
    Objet {
        cle: Option<String>,
        attend_cle: bool,
    },
    Liste {
        index: usize,
        a_valeur: bool,
    },
}

/// The path of the value being read at `position` (`None` at the top level).
fn chemin_a(document: &str, position: usize) -> Option<String> {
    let octets = &document.as_bytes()[..position];
    let mut pile: Vec<Niveau> = Vec::new();
    let mut i = 0;
    while i < octets.len() {
        match octets[i] {
            b'"' => {
                let debut = i;
                i += 1;
                while i < octets.len() && octets[i] != b'"' {
                    i += if octets[i] == b'\\' { 2 } else { 1 };
                }
                let fin = (i + 1).min(octets.len());
                let texte = lire_chaine(&octets[debut..fin]);
                match pile.last_mut() {
                    Some(Niveau::Objet { cle, attend_cle }) if *attend_cle => {
                        *cle = Some(texte);
                        *attend_cle = false;
                    }
                    niveau => marquer_valeur(niveau),
                }
            }
            b'{' => {
                marquer_valeur(pile.last_mut());
                pile.push(Niveau::Objet {
                    cle: None,
                    attend_cle: true,
                });
            }
            b'[' => {
                marquer_valeur(pile.last_mut());
                pile.push(Niveau::Liste {
                    index: 0,
                    a_valeur: false,
                });
            }
            b'}' | b']' => {
                pile.pop();
            }
            b',' => match pile.last_mut() {
                Some(Niveau::Objet { cle, attend_cle }) => {
                    *cle = None;
                    *attend_cle = true;
                }
                Some(Niveau::Liste { index, a_valeur }) => {
                    *index += 1;
                    *a_valeur = false;
                }
                None => {}
            },
            b' ' | b'\t' | b'\n' | b'\r' | b':' => {}
            _ => marquer_valeur(pile.last_mut()),
        }
        i += 1;
    }
    let mut chemin = String::new();
    for niveau in &pile {
        match niveau {
            Niveau::Objet { cle: Some(cle), .. } => {
                if !chemin.is_empty() {
                    chemin.push('.');
                }
                chemin.push_str(cle);
            }
            Niveau::Liste {
                index,
                a_valeur: true,
            } => chemin.push_str(&format!("[{index}]")),
            _ => {}
        }
    }
    (!chemin.is_empty()).then_some(chemin)
}

fn marquer_valeur(niveau: Option<&mut Niveau>) {
    if let Some(Niveau::Liste { a_valeur, .. }) = niveau {
        *a_valeur = true;
    }
}

/// Decodes a JSON string literal (escapes included); a cut-off one is kept as it stands.
fn lire_chaine(octets: &[u8]) -> String {
    let brut = String::from_utf8_lossy(octets);
    serde_json::from_str::<String>(&brut).unwrap_or_else(|_| brut.trim_matches('"').to_owned())
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
