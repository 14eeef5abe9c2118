//! Writes the case tables of `src/casse.rs` (`casse.rs` in `OUT_DIR`) from the standard
//! library's own `char::to_uppercase` and `str::to_lowercase`, so that the two agree for
//! every character of the Unicode version of the toolchain.

use std::fmt::Write as _;

fn main() {
    let mut source = String::new();
    tables(&mut source, "MAJUSCULES", |c| c.to_uppercase().collect());
    tables(&mut source, "MINUSCULES", |c| c.to_lowercase().collect());
    classes(&mut source);
    let sortie = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("casse.rs");
    std::fs::write(sortie, source).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
}

/// `{NOM}_PLAGES`: runs of characters whose case is one character at a fixed offset, one
/// after the other (step 1) or every other one (step 2: Latin Extended-A, where the two
/// cases alternate); `{NOM}_MULTIPLES`: the characters whose case is two or three.
fn tables(source: &mut String, nom: &str, casse: impl Fn(char) -> Vec<char>) {
    let mut simples: Vec<(u32, i64)> = Vec::new();
    let mut multiples = String::new();
    let mut nombre_multiples = 0;
    for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
        match casse(c).as_slice() {
            [m] if *m == c => {}
            [m] => simples.push((
                u32::from(c),
                i64::from(u32::from(*m)) - i64::from(u32::from(c)),
            )),
            plusieurs => {
                assert!(plusieurs.len() <= 3, "{c:?} : plus de trois caractères");
                let unites: Vec<String> = (0..3)
                    .map(|i| plusieurs.get(i).map_or(0, |m| u32::from(*m)).to_string())
                    .collect();
                writeln!(
                    multiples,
                    "    ({}, [{}]),",
                    u32::from(c),
                    unites.join(", ")
                )
                .unwrap();
                nombre_multiples += 1;
            }
        }
    }
    let mut plages = String::new();
    let mut nombre_plages = 0;
    let mut i = 0;
    while i < simples.len() {
        let (debut, decalage) = simples[i];
        let mut pas = 1;
        let mut longueur = 1;
        if let Some(&(suivant, d)) = simples.get(i + 1) {
            if d == decalage && (suivant - debut == 1 || suivant - debut == 2) {
                pas = suivant - debut;
                while let Some(&(c, d)) = simples.get(i + longueur) {
                    if d != decalage || c != debut + pas * longueur as u32 || longueur == 1024 {
                        break;
                    }
                    longueur += 1;
                }
            }
        }
        let code = paquet(debut, longueur as u32, pas - 1);
        writeln!(plages, "    ({code}, {decalage}),").unwrap();
        nombre_plages += 1;
        i += longueur;
    }
    writeln!(
        source,
        "static {nom}_PLAGES: [(u32, i32); {nombre_plages}] = [\n{plages}];\n\
         static {nom}_MULTIPLES: [(u32, [u32; 3]); {nombre_multiples}] = [\n{multiples}];"
    )
    .unwrap();
}

/// `CLASSES`: the runs of characters that lower-casing a final Σ looks at — those it skips
/// (Unicode's Case_Ignorable, bit 0 clear) and the cased letters it stops on (Cased and not
/// Case_Ignorable, bit 0 set); the others are in no run. Stable Rust does not expose these
/// properties: they are read off `str::to_lowercase` itself. "xΣ" ends in ς when x is cased
/// and not ignorable; "AxΣ" when x is ignorable (skipped to the cased A) or cased.
fn classes(source: &mut String) {
    let mut plages: Vec<(u32, u32, u32)> = Vec::new();
    for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
        let final_ = |texte: String| texte.to_lowercase().ends_with('ς');
        let classe = if final_(format!("{c}Σ")) {
            1
        } else if final_(format!("A{c}Σ")) {
            0
        } else {
            continue;
        };
        let code = u32::from(c);
        match plages.last_mut() {
            Some((debut, longueur, k))
                if *k == classe && *debut + *longueur == code && *longueur < 1024 =>
            {
                *longueur += 1;
            }
            _ => plages.push((code, 1, classe)),
        }
    }
    let mut texte = String::new();
    for (debut, longueur, classe) in &plages {
        writeln!(texte, "    {},", paquet(*debut, *longueur, *classe)).unwrap();
    }
    writeln!(
        source,
        "static CLASSES: [u32; {}] = [\n{texte}];",
        plages.len()
    )
    .unwrap();
}

/// A run packed in a `u32` (read back by `debut_longueur_bit` in `src/casse.rs`): its first
/// character in the top 21 bits, its length − 1 in the next 10, and one bit of its own.
fn paquet(debut: u32, longueur: u32, bit: u32) -> u32 {
    assert!(debut < 1 << 21 && (1..=1024).contains(&longueur) && bit < 2);
    debut << 11 | (longueur - 1) << 1 | bit
}
