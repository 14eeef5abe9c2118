//! What a visitor typed in the directory's fields, turned into a safe full-text query of
//! the `recherche` index (SQLite FTS5, see `migrations/0014_recherche.sql`), and the
//! French places: postcodes, départements, arrondissements.
//!
//! The user's text never reaches FTS5's syntax: it is cut into words (letters and digits),
//! and each word is quoted, so `"`, `*`, `NEAR`, `-`, `:` or parentheses are plain text.

/// The most words of one field that are searched (the rest is ignored).
const MOTS_MAX: usize = 8;

/// The words of a text, lower-cased: runs of letters and digits, as the index's tokenizer
/// (`unicode61`) cuts them. Accents are kept: the index folds them on both sides.
pub fn mots(texte: &str) -> Vec<String> {
    texte
        .split(|c: char| !c.is_alphanumeric())
        .filter(|m| !m.is_empty())
        .take(MOTS_MAX)
        .map(crate::casse::minuscules)
        .collect()
}

/// The postcode of "Paris 11e", "Lyon 3e" or "Marseille 8e" (also "1er", "11ème",
/// "11eme", "arrondissement" after it): the three cities with arrondissements.
pub fn arrondissement(lieu: &str) -> Option<String> {
    let mots = mots(lieu);
    let (ville, numero) = match mots.as_slice() {
        [ville, numero] | [ville, numero, _] => (ville.as_str(), numero.as_str()),
        _ => return None,
    };
    if mots.len() == 3 && mots[2] != "arrondissement" {
        return None;
    }
    let chiffres = ["er", "ème", "eme", "e"]
        .iter()
        .find_map(|fin| numero.strip_suffix(fin))?;
    let n: u32 = chiffres.parse().ok()?;
    let (prefixe, max) = match ville {
        "paris" => ("750", 20),
        "lyon" => ("6900", 9),
        "marseille" => ("130", 16),
        _ => return None,
    };
    (1..=max)
        .contains(&n)
        .then(|| format!("{prefixe}{n:0width$}", width = 5 - prefixe.len()))
}

/// A French postcode: five digits, not 00xxx.
pub fn code_postal_valide(code: &str) -> bool {
    code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) && !code.starts_with("00")
}

/// The directory's criteria, as typed (each one given narrows the list).
#[derive(Debug, Clone, Copy, Default)]
pub struct Criteres<'a> {
    /// Free text: name, presentation, services, city, region, postcode, département.
    pub texte: Option<&'a str>,
    /// A service's name (or its beginning).
    pub service: Option<&'a str>,
    /// One "Où ?" field: a city, a region, a postcode, a département (number or name), or
    /// "Paris 11e".
    pub lieu: Option<&'a str>,
    pub ville: Option<&'a str>,
    pub region: Option<&'a str>,
}

/// What the index is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequeteFts {
    /// No criterion given: every listed professional of the vertical.
    Tous,
    /// A criterion was given but holds no word (`%`, `"*"`): nobody matches it.
    Aucun,
    /// An FTS5 query, every word quoted.
    Expression(String),
}

/// The columns the free text is searched in (all but the vertical).
const TOUT: &str = "{nom bio services ville region lieu}";
const LIEU: &str = "{ville region lieu}";

/// `{colonnes} : "mot"`, with a trailing `*` (prefix) for the last word of a field the
/// visitor is typing in (two letters at least: the index keeps prefixes of 2 and 3).
fn termes(colonnes: &str, mots: &[String], prefixe: bool, sortie: &mut Vec<String>) {
    for (i, mot) in mots.iter().enumerate() {
        let etoile = if prefixe && i + 1 == mots.len() && mot.chars().count() >= 2 {
            "*"
        } else {
            ""
        };
        sortie.push(format!("{colonnes} : \"{mot}\"{etoile}"));
    }
}

/// The FTS5 query of the criteria, within a vertical.
pub fn requete(vertical: &str, c: &Criteres<'_>) -> RequeteFts {
    let code = c.lieu.and_then(arrondissement);
    let champs = [
        (c.texte, TOUT, true),
        (c.service, "services", true),
        (code.as_deref().or(c.lieu), LIEU, false),
        (c.ville, "ville", false),
        (c.region, "region", false),
    ];
    let mut parties = Vec::new();
    for (texte, colonnes, prefixe) in champs {
        if let Some(texte) = texte.map(str::trim).filter(|t| !t.is_empty()) {
            let mots = mots(texte);
            if mots.is_empty() {
                return RequeteFts::Aucun;
            }
            termes(colonnes, &mots, prefixe, &mut parties);
        }
    }
    if parties.is_empty() {
        return RequeteFts::Tous;
    }
    let vertical = mots(vertical).join(" ");
    RequeteFts::Expression(format!(
        "vertical : \"{vertical}\" AND {}",
        parties.join(" AND ")
    ))
}

/// The FTS5 query of a city page: the city's name from its first word (so `lyon` is
/// Lyon, not Saint-Genis-les-Ollières' "Lyon" in a presentation).
pub fn requete_ville(vertical: &str, ville_slug: &str) -> RequeteFts {
    let ville = mots(ville_slug);
    if ville.is_empty() {
        return RequeteFts::Aucun;
    }
    RequeteFts::Expression(format!(
        "vertical : \"{}\" AND ville : ^\"{}\"",
        mots(vertical).join(" "),
        ville.join(" ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texte(t: &str) -> RequeteFts {
        requete(
            "coach",
            &Criteres {
                texte: Some(t),
                ..Criteres::default()
            },
        )
    }

    #[test]
    fn words_are_letters_and_digits_whatever_the_punctuation() {
        assert_eq!(mots("Saint-Étienne"), ["saint", "étienne"]);
        assert_eq!(
            mots("\"vidange\" NEAR(freins) -pneus:*"),
            ["vidange", "near", "freins", "pneus"]
        );
        assert!(mots("% * \" ( ) :").is_empty());
        assert_eq!(mots(&"a ".repeat(20)).len(), MOTS_MAX);
    }

    #[test]
    fn every_word_is_quoted_and_only_the_last_typed_one_is_a_prefix() {
        assert_eq!(
            texte("vidange lyo"),
            RequeteFts::Expression(format!(
                "vertical : \"coach\" AND {TOUT} : \"vidange\" AND {TOUT} : \"lyo\"*"
            ))
        );
        assert_eq!(
            texte("\"OR\" *"),
            RequeteFts::Expression(format!("vertical : \"coach\" AND {TOUT} : \"or\"*"))
        );
        assert_eq!(texte("\" * :"), RequeteFts::Aucun);
        assert_eq!(requete("coach", &Criteres::default()), RequeteFts::Tous);
    }

    #[test]
    fn a_place_is_matched_word_for_word_and_an_arrondissement_is_its_postcode() {
        let lieu = |l| {
            requete(
                "garage",
                &Criteres {
                    lieu: Some(l),
                    ..Criteres::default()
                },
            )
        };
        assert_eq!(
            lieu("Paris 11e"),
            RequeteFts::Expression(format!("vertical : \"garage\" AND {LIEU} : \"75011\""))
        );
        assert_eq!(
            lieu("2A"),
            RequeteFts::Expression(format!("vertical : \"garage\" AND {LIEU} : \"2a\""))
        );
    }

    #[test]
    fn arrondissements_of_paris_lyon_and_marseille_are_postcodes() {
        assert_eq!(arrondissement("Paris 11e").as_deref(), Some("75011"));
        assert_eq!(arrondissement("paris 1er").as_deref(), Some("75001"));
        assert_eq!(arrondissement("Lyon 3e").as_deref(), Some("69003"));
        assert_eq!(
            arrondissement("Lyon 3ème arrondissement").as_deref(),
            Some("69003")
        );
        assert_eq!(arrondissement("Marseille 8e").as_deref(), Some("13008"));
        assert_eq!(arrondissement("Marseille 16eme").as_deref(), Some("13016"));
        assert_eq!(arrondissement("Paris 21e"), None);
        assert_eq!(arrondissement("Lyon 10e"), None);
        assert_eq!(arrondissement("Nantes 3e"), None);
        assert_eq!(arrondissement("Paris"), None);
    }
}
