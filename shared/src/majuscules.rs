//! Upper case, as `char::to_uppercase` gives it, from a compact table.
//!
//! The standard library's mapping is a table of every cased character (with its lower-case
//! twin, about 12 KB in the Wasm). The build script writes, from that same mapping, the runs
//! of characters sharing one offset (under 200 runs) and the few characters that become
//! several; a test compares the two for every character.

use std::fmt;

include!(concat!(env!("OUT_DIR"), "/majuscules.rs"));

/// The upper case of `c`: one, two or three characters (`ß` → `SS`).
pub fn majuscule(c: char) -> Majuscule {
    let code = u32::from(c);
    if let Ok(i) = MULTIPLES.binary_search_by_key(&code, |&(c, _)| c) {
        let [a, b, d] = MULTIPLES[i].1;
        let longueur = if d != 0 { 3 } else { 2 };
        let en_char = |u: u32| char::from_u32(u).unwrap_or(c);
        return Majuscule {
            caracteres: [en_char(a), en_char(b), en_char(d)],
            longueur,
            position: 0,
        };
    }
    let seul = |m: char| Majuscule {
        caracteres: [m, m, m],
        longueur: 1,
        position: 0,
    };
    // The last run that starts at or before `c`.
    let i = PLAGES.partition_point(|&(code_plage, _)| code_plage >> 11 <= code);
    let Some(&(code_plage, decalage)) = i.checked_sub(1).map(|i| &PLAGES[i]) else {
        return seul(c);
    };
    let debut = code_plage >> 11;
    let longueur = (code_plage >> 1 & 0x3ff) + 1;
    let pas = (code_plage & 1) + 1;
    let ecart = code - debut;
    if ecart % pas == 0 && ecart / pas < longueur {
        if let Some(m) = code.checked_add_signed(decalage).and_then(char::from_u32) {
            return seul(m);
        }
    }
    seul(c)
}

/// The characters of an upper case, as an iterator (like `char::ToUppercase`).
#[derive(Debug, Clone)]
pub struct Majuscule {
    caracteres: [char; 3],
    longueur: u8,
    position: u8,
}

impl Iterator for Majuscule {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let c = *self.caracteres[..usize::from(self.longueur)].get(usize::from(self.position))?;
        self.position += 1;
        Some(c)
    }
}

impl fmt::Display for Majuscule {
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

    #[test]
    fn every_character_has_the_standard_librarys_upper_case() {
        for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
            assert!(
                majuscule(c).eq(c.to_uppercase()),
                "{c:?} : {} au lieu de {}",
                majuscule(c),
                c.to_uppercase()
            );
        }
    }

    #[test]
    fn french_letters_and_the_ones_that_become_several() {
        let texte: String = "éèàçœæÿ ßﬁ"
            .chars()
            .map(majuscule)
            .map(|m| m.to_string())
            .collect();
        assert_eq!(texte, "ÉÈÀÇŒÆŸ SSFI");
    }
}
