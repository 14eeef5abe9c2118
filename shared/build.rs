//! Writes the table of upper-case mappings (`majuscules.rs` in `OUT_DIR`) from the
//! standard library's own `char::to_uppercase`, so that the two agree for every character
//! of the Unicode version of the toolchain. See `src/majuscules.rs`.

use std::fmt::Write as _;

fn main() {
    let mut simples: Vec<(u32, i64)> = Vec::new();
    let mut multiples = String::new();
    let mut nombre_multiples = 0;
    for c in (0..=0x10ffff_u32).filter_map(char::from_u32) {
        let majuscules: Vec<char> = c.to_uppercase().collect();
        match majuscules.as_slice() {
            [m] if *m == c => {}
            [m] => simples.push((
                u32::from(c),
                i64::from(u32::from(*m)) - i64::from(u32::from(c)),
            )),
            plusieurs => {
                assert!(plusieurs.len() <= 3, "{c:?} : plus de trois majuscules");
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
    // Runs of characters with the same offset, one after the other (pas 1) or every
    // other one (pas 2: Latin Extended-A, where upper and lower case alternate).
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
        assert!(debut < 1 << 21);
        let code = debut << 11 | ((longueur as u32 - 1) << 1) | (pas - 1);
        writeln!(plages, "    ({code}, {decalage}),").unwrap();
        nombre_plages += 1;
        i += longueur;
    }
    let source = format!(
        "/// Runs of characters that have one upper case at a fixed offset: the first \
         character in the top 21 bits, the length − 1 in the next 10, the step − 1 in the last.\n\
         static PLAGES: [(u32, i32); {nombre_plages}] = [\n{plages}];\n\n\
         /// Characters whose upper case is two or three characters (0 pads).\n\
         static MULTIPLES: [(u32, [u32; 3]); {nombre_multiples}] = [\n{multiples}];\n"
    );
    let sortie = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("majuscules.rs");
    std::fs::write(sortie, source).unwrap();
    println!("cargo:rerun-if-changed=build.rs");
}
