//! Upper and lower case, as `char::to_uppercase` and `str::to_lowercase` give them, from
//! compact tables.
//!
//! The standard library's mappings are tables of every cased character with its twin
//! (about 12 KB each in the Wasm). The build script writes, from those same mappings, the
//! runs of characters that share one offset (under 200 per direction), the few characters
//! that become several, and the classes of characters that the lower case of a final Σ
//! depends on; the tests compare the two for every character.

use std::fmt;

include!(concat!(env!("OUT_DIR"), "/casse.rs"));

/// The upper case of `c`: one, two or three characters (`ß` → `SS`).
pub fn majuscule(c: char) -> Casse {
    casse(c, &MAJUSCULES_PLAGES, &MAJUSCULES_MULTIPLES)
}

/// `texte` in lower case, as `str::to_lowercase` writes it (Σ becomes ς at the end of a
/// word, σ elsewhere).
pub fn minuscules(texte: &str) -> String {
    let mut sortie = String::with_capacity(texte.len());
    for (i, c) in texte.char_indices() {
        if c == 'Σ' {
            let avant = texte[..i].chars().rev();
            let apres = texte[i + c.len_utf8()..].chars();
            let fin_de_mot = lettre_apres_ignorables(avant) && !lettre_apres_ignorables(apres);
            sortie.push(if fin_de_mot { 'ς' } else { 'σ' });
        } else {
            sortie.extend(casse(c, &MINUSCULES_PLAGES, &MINUSCULES_MULTIPLES));
        }
    }
    sortie
}

/// Whether the first character that is not case-ignorable is a cased letter.
fn lettre_apres_ignorables(caracteres: impl Iterator<Item = char>) -> bool {
    caracteres.map(classe).find(|k| *k != Classe::Ignorable) == Some(Classe::Lettre)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Classe {
    /// Skipped when looking for a letter (Unicode's Case_Ignorable).
    Ignorable,
    /// A cased letter that is not case-ignorable.
    Lettre,
    Autre,
}

fn classe(c: char) -> Classe {
    let code = u32::from(c);
    let i = CLASSES.partition_point(|&plage| debut_longueur_bit(plage).0 <= code);
    let Some((debut, longueur, lettre)) = i.checked_sub(1).map(|i| debut_longueur_bit(CLASSES[i]))
    else {
        return Classe::Autre;
    };
    if code - debut >= longueur {
        Classe::Autre
    } else if lettre == 1 {
        Classe::Lettre
    } else {
        Classe::Ignorable
    }
}

/// A run as the build script packs it: its first character in the top 21 bits, its length
/// − 1 in the next 10, and one bit of its own (the step − 1, or the class).
fn debut_longueur_bit(plage: u32) -> (u32, u32, u32) {
    (plage >> 11, (plage >> 1 & 0x3ff) + 1, plage & 1)
}

/// The case of `c` in `plages` and `multiples` (see the build script), or `c` itself.
fn casse(c: char, plages: &[(u32, i32)], multiples: &[(u32, [u32; 3])]) -> Casse {
    let code = u32::from(c);
    if let Ok(i) = multiples.binary_search_by_key(&code, |&(c, _)| c) {
        let [a, b, d] = multiples[i].1;
        let en_char = |u: u32| char::from_u32(u).unwrap_or(c);
        return Casse {
            caracteres: [en_char(a), en_char(b), en_char(d)],
            longueur: if d != 0 { 3 } else { 2 },
            position: 0,
        };
    }
    let seul = |m: char| Casse {
        caracteres: [m, m, m],
        longueur: 1,
        position: 0,
    };
    // The last run that starts at or before `c`.
    let i = plages.partition_point(|&(plage, _)| debut_longueur_bit(plage).0 <= code);
    let Some(&(plage, decalage)) = i.checked_sub(1).map(|i| &plages[i]) else {
        return seul(c);
    };
    let (debut, longueur, pas) = debut_longueur_bit(plage);
    let pas = pas + 1;
    let ecart = code - debut;
    if ecart % pas == 0 && ecart / pas < longueur {
        if let Some(m) = code.checked_add_signed(decalage).and_then(char::from_u32) {
            return seul(m);
        }
    }
    seul(c)
}

/// The characters of one character's case, as an iterator (like `char::ToUppercase`).
#[derive(Debug, Clone)]
pub struct Casse {
    caracteres: [char; 3],
    longueur: u8,
    position: u8,
}

impl Iterator for Casse {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let c = *self.caracteres[..usize::from(self.longueur)].get(usize::from(self.position))?;
        self.position += 1;
        Some(c)
    }
}

impl fmt::Display for Casse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in self.clone() {
            fmt::Write::write_char(f, c)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_character_has_the_standard_librarys_upper_and_lower_case() {
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            assert!(
                majuscule(c).eq(c.to_uppercase()),
                "{c:?} : {} au lieu de {}",
                majuscule(c),
                c.to_uppercase()
            );
            let seul = c.to_string();
            assert_eq!(minuscules(&seul), seul.to_lowercase(), "{c:?}");
        }
    }

    #[test]
    fn every_character_is_classed_as_the_final_sigma_rule_sees_it() {
        // Before a final Σ, after a cased A: each character either lets the Σ end the word
        // or not, and after it, either makes it a σ or not.
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            for texte in [
                format!("{c}Σ"),
                format!("A{c}Σ"),
                format!("AΣ{c}"),
                format!("AΣ{c}A"),
            ] {
                assert_eq!(minuscules(&texte), texte.to_lowercase(), "{texte:?}");
            }
        }
    }

    #[test]
    fn french_and_greek_words() {
        let texte: String = "éèàçœæÿ ßﬁ"
            .chars()
            .map(majuscule)
            .map(|m| m.to_string())
            .collect();
        assert_eq!(texte, "ÉÈÀÇŒÆŸ SSFI");
        assert_eq!(
            minuscules("ÉLODIE.MARTIN@EXEMPLE.FR"),
            "élodie.martin@exemple.fr"
        );
        assert_eq!(minuscules("ΟΔΟΣ"), "οδο\u{3c2}");
        for texte in ["ΟΔΟΣ ΟΔΟΣ. Σ ΑΣ'Σ", "ΣΑ", "Α\u{301}Σ\u{301}Α"] {
            assert_eq!(minuscules(texte), texte.to_lowercase(), "{texte}");
        }
        assert_eq!(minuscules("İ"), "i\u{307}");
    }

    proptest! {
        #[test]
        fn lower_cases_a_text_as_the_standard_library(
            texte in "[AaΣσ'.\u{0301}\u{00AD} 1Éİ\u{10400}]{0,12}"
        ) {
            prop_assert_eq!(minuscules(&texte), texte.to_lowercase());
        }
    }
}
