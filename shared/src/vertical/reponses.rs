//! Checks a client's answers to the vertical's extra fields.
//!
//! Answers come from the JSON API or from an HTML form (where everything is a string), so
//! every type accepts a string, and `number` also a JSON number. The contact fields
//! ([`super::CHAMPS_CONTACT`]) are not part of these answers: the caller takes them out first.

use serde::Serialize;
use serde_json::{Map, Value};

use super::champ::{Champ, TypeChamp};
use crate::dates;

/// One refused answer: the field's `nom`, a stable machine code and a French message.
///
/// Codes: `requis`, `trop_long`, `motif`, `option_inconnue`, `nombre_invalide`,
/// `hors_bornes`, `email_invalide`, `tel_invalide`, `date_invalide`, `champ_inconnu`,
/// `type_invalide`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErreurChamp {
    pub champ: String,
    pub code: &'static str,
    pub message: String,
}

/// Validates `reponses` against `champs` and returns every error at once, fields in the
/// form's order then unknown keys.
///
/// On success, the normalised answers: texts trimmed, numbers as JSON numbers, empty
/// optional answers left out.
pub fn valider_reponses(
    champs: &[Champ],
    reponses: &Map<String, Value>,
) -> Result<Map<String, Value>, Vec<ErreurChamp>> {
    let mut valides = Map::new();
    let mut erreurs = Vec::new();
    for champ in champs {
        match valider_reponse(champ, reponses.get(champ.nom())) {
            Ok(Some(valeur)) => {
                valides.insert(champ.nom().to_owned(), valeur);
            }
            Ok(None) => {}
            Err(erreur) => erreurs.push(erreur),
        }
    }
    for cle in reponses.keys() {
        if !champs.iter().any(|champ| champ.nom() == cle) {
            erreurs.push(ErreurChamp {
                champ: cle.clone(),
                code: "champ_inconnu",
                message: format!("Le champ « {cle} » n'est pas attendu pour cette réservation."),
            });
        }
    }
    if erreurs.is_empty() {
        Ok(valides)
    } else {
        Err(erreurs)
    }
}

fn valider_reponse(champ: &Champ, valeur: Option<&Value>) -> Result<Option<Value>, ErreurChamp> {
    let erreur = |code: &'static str, message: String| ErreurChamp {
        champ: champ.nom().to_owned(),
        code,
        message,
    };
    let libelle = champ.libelle();
    let texte = match valeur {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.trim()).filter(|t| !t.is_empty()),
        Some(Value::Number(n)) if champ.type_champ() == TypeChamp::Number => {
            let nombre = n.as_f64().ok_or_else(|| nombre_invalide(champ))?;
            return nombre_dans_les_bornes(champ, nombre).map(Some);
        }
        Some(_) => {
            return Err(erreur(
                "type_invalide",
                format!("La valeur du champ « {libelle} » n'a pas le bon type."),
            ))
        }
    };
    let Some(texte) = texte else {
        return if champ.requis() {
            Err(erreur(
                "requis",
                format!("Le champ « {libelle} » est obligatoire."),
            ))
        } else {
            Ok(None)
        };
    };

    match champ.type_champ() {
        TypeChamp::Text | TypeChamp::Textarea => {
            if let Some(max) = champ.longueur_max() {
                if texte.chars().count() > max {
                    return Err(erreur(
                        "trop_long",
                        format!("Le champ « {libelle} » ne doit pas dépasser {max} caractères."),
                    ));
                }
            }
        }
        TypeChamp::Email => {
            if !email_plausible(texte) {
                return Err(erreur(
                    "email_invalide",
                    format!("Saisissez une adresse e-mail valide pour « {libelle} »."),
                ));
            }
        }
        TypeChamp::Tel => {
            if !telephone_plausible(texte) {
                return Err(erreur(
                    "tel_invalide",
                    format!("Saisissez un numéro de téléphone valide pour « {libelle} »."),
                ));
            }
        }
        TypeChamp::Select => {
            if !champ
                .options()
                .iter()
                .any(|option| option.valeur() == texte)
            {
                return Err(erreur(
                    "option_inconnue",
                    format!("Choisissez l'une des valeurs proposées pour « {libelle} »."),
                ));
            }
        }
        TypeChamp::Number => {
            let nombre = lire_nombre(texte).ok_or_else(|| nombre_invalide(champ))?;
            return nombre_dans_les_bornes(champ, nombre).map(Some);
        }
        TypeChamp::Date => {
            if !date_valide(texte) {
                return Err(erreur(
                    "date_invalide",
                    format!("Saisissez une date valide au format AAAA-MM-JJ pour « {libelle} »."),
                ));
            }
        }
    }
    if !champ.respecte_motif(texte) {
        let message = champ.motif_message().map_or_else(
            || format!("Le format du champ « {libelle} » n'est pas valide."),
            str::to_owned,
        );
        return Err(erreur("motif", message));
    }
    Ok(Some(Value::String(texte.to_owned())))
}

fn nombre_invalide(champ: &Champ) -> ErreurChamp {
    ErreurChamp {
        champ: champ.nom().to_owned(),
        code: "nombre_invalide",
        message: format!("Le champ « {} » doit être un nombre.", champ.libelle()),
    }
}

fn nombre_dans_les_bornes(champ: &Champ, nombre: f64) -> Result<Value, ErreurChamp> {
    let libelle = champ.libelle();
    let message = match (champ.min(), champ.max()) {
        (Some(min), Some(max)) if nombre < min || nombre > max => Some(format!(
            "Le champ « {libelle} » doit être compris entre {} et {}.",
            nombre_fr(min),
            nombre_fr(max)
        )),
        (Some(min), _) if nombre < min => Some(format!(
            "Le champ « {libelle} » doit être supérieur ou égal à {}.",
            nombre_fr(min)
        )),
        (_, Some(max)) if nombre > max => Some(format!(
            "Le champ « {libelle} » doit être inférieur ou égal à {}.",
            nombre_fr(max)
        )),
        _ => None,
    };
    if let Some(message) = message {
        return Err(ErreurChamp {
            champ: champ.nom().to_owned(),
            code: "hors_bornes",
            message,
        });
    }
    en_json(nombre).ok_or_else(|| nombre_invalide(champ))
}

/// Below 2^53 an integral number stays an integer, so that it survives JavaScript and D1.
const ENTIER_SUR: f64 = 9_007_199_254_740_992.0;

fn en_json(nombre: f64) -> Option<Value> {
    if nombre.fract() == 0.0 && nombre.abs() < ENTIER_SUR {
        // Exact: integral and below 2^53.
        Some(Value::from(nombre as i64))
    } else {
        serde_json::Number::from_f64(nombre).map(Value::Number)
    }
}

/// Reads a number as a French visitor types it: "12,5", "120 000" or "-3".
fn lire_nombre(texte: &str) -> Option<f64> {
    let normalise: String = texte
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let chiffres = normalise.strip_prefix('-').unwrap_or(&normalise);
    let (entiere, decimale) = chiffres.split_once('.').unwrap_or((chiffres, ""));
    let bien_forme = !entiere.is_empty()
        && entiere.bytes().all(|b| b.is_ascii_digit())
        && decimale.bytes().all(|b| b.is_ascii_digit())
        && !(chiffres.ends_with('.'));
    if !bien_forme {
        return None;
    }
    // Read by serde_json, which the Worker has anyway, rather than by `str::parse`, which
    // would bring core's float parser and its tables into the Wasm. Both round the same for
    // a number of up to 15 significant digits. JSON writes no leading zero.
    let entiere = match entiere.trim_start_matches('0') {
        "" => "0",
        chiffres => chiffres,
    };
    let signe = if normalise.starts_with('-') { "-" } else { "" };
    let point = if decimale.is_empty() { "" } else { "." };
    serde_json::from_str::<f64>(&format!("{signe}{entiere}{point}{decimale}"))
        .ok()
        .filter(|n| n.is_finite())
}

/// "2 000 000", "12,5".
fn nombre_fr(nombre: f64) -> String {
    if nombre.fract() == 0.0 && nombre.abs() < ENTIER_SUR {
        let chiffres = (nombre.abs() as i64).to_string();
        let mut groupe = String::new();
        for (i, c) in chiffres.chars().enumerate() {
            if i > 0 && (chiffres.len() - i).is_multiple_of(3) {
                groupe.push('\u{202f}');
            }
            groupe.push(c);
        }
        if nombre < 0.0 {
            format!("-{groupe}")
        } else {
            groupe
        }
    } else {
        nombre.to_string().replace('.', ",")
    }
}

/// One @, something before it, a dot inside the domain, no spaces, at most 254 characters.
fn email_plausible(texte: &str) -> bool {
    let Some((local, domaine)) = texte.split_once('@') else {
        return false;
    };
    texte.chars().count() <= 254
        && !texte.chars().any(char::is_whitespace)
        && !local.is_empty()
        && !domaine.contains('@')
        && domaine
            .split_once('.')
            .is_some_and(|(avant, apres)| !avant.is_empty() && !apres.is_empty())
        && !domaine.ends_with('.')
        && !domaine.contains("..")
}

/// Digits, spaces, dots and dashes, an optional leading +, and 6 to 20 digits; 40
/// characters at most (which also bounds the work of a field's pattern).
fn telephone_plausible(texte: &str) -> bool {
    if texte.len() > 40 {
        return false;
    }
    let reste = texte.strip_prefix('+').unwrap_or(texte);
    let chiffres = reste.bytes().filter(u8::is_ascii_digit).count();
    reste
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'.' | b'-'))
        && (6..=20).contains(&chiffres)
}

/// `YYYY-MM-DD`, a real calendar date.
fn date_valide(texte: &str) -> bool {
    let octets = texte.as_bytes();
    octets.len() == 10
        && octets[4] == b'-'
        && octets[7] == b'-'
        && octets
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit())
        && dates::lire_date(texte).is_some()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::lire_nombre;

    proptest! {
        /// Every number a visitor types (up to 15 significant digits, leading zeros, a sign,
        /// a decimal comma, spaces between thousands) is read as core's parser reads it.
        #[test]
        fn a_typed_number_is_read_as_cores_float_parser_reads_it(
            negatif in any::<bool>(),
            zeros in 0usize..3,
            entiere in 0u64..1_000_000_000,
            decimale in proptest::option::of("[0-9]{1,6}"),
            espace in any::<bool>(),
        ) {
            let chiffres = format!("{}{entiere}", "0".repeat(zeros));
            let decimale = decimale.map(|d| format!(",{d}")).unwrap_or_default();
            let signe = if negatif { "-" } else { "" };
            let attendu: f64 = format!("{signe}{chiffres}{}", decimale.replace(',', "."))
                .parse()
                .unwrap();
            // A space after the first digit, as in « 1 000 ».
            let chiffres = if espace && chiffres.len() > 1 {
                format!("{} {}", &chiffres[..1], &chiffres[1..])
            } else {
                chiffres
            };
            prop_assert_eq!(lire_nombre(&format!("{signe}{chiffres}{decimale}")), Some(attendu));
        }
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        for texte in [
            "", "-", ",5", "5,", "1e3", "+1", "inf", "NaN", "1,2,3", "0x10", "١٢",
        ] {
            assert_eq!(lire_nombre(texte), None, "{texte:?}");
        }
        assert_eq!(lire_nombre("120 000"), Some(120_000.0));
        assert_eq!(lire_nombre("-3"), Some(-3.0));
        assert_eq!(lire_nombre("007,50"), Some(7.5));
    }
}
