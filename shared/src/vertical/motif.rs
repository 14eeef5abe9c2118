//! The patterns of a vertical's form fields (`motif`), matched as the HTML `pattern`
//! attribute matches them: against the whole answer, with the syntax of JavaScript's
//! regular expressions that such patterns use — alternatives `|`, groups `( )` and
//! `(?: )`, repetitions `* + ? {n} {n,} {n,m}` (lazy or not, the same for a whole
//! answer), `.`, `^` and `$`, classes `[a-z]` `[^…]`, `\d \w \s` and their negations,
//! escaped characters. Anything else (back-references, look-arounds, flags…) is refused
//! when the document is read, never at the client's answer.
//!
//! Matching runs every path of the pattern side by side, one character at a time (a
//! Thompson automaton): the time is at most the answer's length times the pattern's size
//! (bounded: [`TAILLE_MAX`] instructions, each class tested by a binary search), whatever
//! the pattern, so that no pattern can make an answer slow to check. Compiling is bounded
//! too ([`TRAVAIL_MAX`]), whatever the repetitions.

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Motif {
    programme: Vec<Instruction>,
    /// The character classes, each once (a repetition's copies share theirs).
    ensembles: Vec<Ensemble>,
}

/// The largest compiled pattern (repetitions counted out): ample for a form field.
const TAILLE_MAX: usize = 2_000;

/// The most steps compiling may take (a repetition of something empty adds no
/// instruction but is still walked).
const TRAVAIL_MAX: usize = 100_000;

#[derive(Debug, Clone)]
enum Instruction {
    /// One character of a set (its index in [`Motif::ensembles`]).
    Caractere(usize),
    /// Goes on at both places.
    Choix(usize, usize),
    Saut(usize),
    Debut,
    Fin,
    Trouve,
}

/// A set of characters: ranges, possibly negated.
#[derive(Debug, Clone)]
struct Ensemble {
    plages: Vec<(char, char)>,
    inverse: bool,
}

impl Ensemble {
    /// Its ranges sorted and merged, for [`Ensemble::contient`]'s binary search.
    fn rangee(mut self) -> Ensemble {
        self.plages.sort_unstable();
        let mut fusion: Vec<(char, char)> = Vec::with_capacity(self.plages.len());
        for (de, a) in self.plages {
            match fusion.last_mut() {
                Some(derniere) if (de as u32) <= (derniere.1 as u32).saturating_add(1) => {
                    derniere.1 = derniere.1.max(a);
                }
                _ => fusion.push((de, a)),
            }
        }
        Ensemble {
            plages: fusion,
            inverse: self.inverse,
        }
    }

    fn contient(&self, c: char) -> bool {
        let apres = self.plages.partition_point(|&(de, _)| de <= c);
        let dedans = apres > 0 && c <= self.plages[apres - 1].1;
        dedans != self.inverse
    }

    /// The one character it holds, when it is one (`\.` but not `\d`).
    fn seul(&self) -> Option<char> {
        match (self.inverse, self.plages.as_slice()) {
            (false, &[(c, d)]) if c == d => Some(c),
            _ => None,
        }
    }

    fn un(c: char) -> Ensemble {
        Ensemble {
            plages: vec![(c, c)],
            inverse: false,
        }
    }
}

const CHIFFRES: &[(char, char)] = &[('0', '9')];
const MOT: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
/// JavaScript's white space and line terminators.
const ESPACES: &[(char, char)] = &[
    ('\t', '\r'),
    (' ', ' '),
    ('\u{a0}', '\u{a0}'),
    ('\u{1680}', '\u{1680}'),
    ('\u{2000}', '\u{200a}'),
    ('\u{2028}', '\u{2029}'),
    ('\u{202f}', '\u{202f}'),
    ('\u{205f}', '\u{205f}'),
    ('\u{3000}', '\u{3000}'),
    ('\u{feff}', '\u{feff}'),
];
/// What `.` does not match: line terminators.
const FINS_DE_LIGNE: &[(char, char)] = &[('\n', '\n'), ('\r', '\r'), ('\u{2028}', '\u{2029}')];

/// The pattern as a tree, before it is compiled.
#[derive(Debug, Clone)]
enum Noeud {
    Vide,
    Ensemble(usize),
    Debut,
    Fin,
    Suite(Vec<Noeud>),
    Alternative(Vec<Noeud>),
    Repetition(Box<Noeud>, u32, Option<u32>),
}

impl Motif {
    /// Compiles `source`, or says in French what is wrong with it.
    pub fn new(source: &str) -> Result<Motif, String> {
        let mut lecteur = Lecteur {
            caracteres: source.chars().collect(),
            position: 0,
            profondeur: 0,
            ensembles: Vec::new(),
        };
        let arbre = lecteur.alternative()?;
        if let Some(c) = lecteur.suivant() {
            return Err(format!("« {c} » inattendu (parenthèse fermante en trop ?)"));
        }
        let mut programme = Vec::new();
        compiler(&arbre, &mut programme, &mut 0)?;
        programme.push(Instruction::Trouve);
        Ok(Motif {
            programme,
            ensembles: lecteur.ensembles,
        })
    }

    /// Whether the whole of `texte` matches.
    pub fn accepte(&self, texte: &str) -> bool {
        let taille = self.programme.len();
        let mut courants = Fils::new(taille);
        let mut suivants = Fils::new(taille);
        let longueur = texte.len();
        courants.ajouter(&self.programme, 0, 0, longueur);
        for (position, c) in texte.char_indices() {
            if courants.liste.is_empty() {
                return false;
            }
            let apres = position + c.len_utf8();
            suivants.vider();
            for &i in &courants.liste {
                if let Instruction::Caractere(ensemble) = self.programme[i] {
                    if self.ensembles[ensemble].contient(c) {
                        suivants.ajouter(&self.programme, i + 1, apres, longueur);
                    }
                }
            }
            std::mem::swap(&mut courants, &mut suivants);
        }
        courants
            .liste
            .iter()
            .any(|&i| matches!(self.programme[i], Instruction::Trouve))
    }
}

/// The instructions reached at one position of the text, each once.
struct Fils {
    /// Those that read a character or end the match.
    liste: Vec<usize>,
    /// Every instruction reached, and the same as a list to clear it.
    vus: Vec<bool>,
    marques: Vec<usize>,
    pile: Vec<usize>,
}

impl Fils {
    fn new(taille: usize) -> Fils {
        Fils {
            liste: Vec::with_capacity(taille),
            vus: vec![false; taille],
            marques: Vec::new(),
            pile: Vec::new(),
        }
    }

    fn vider(&mut self) {
        for &i in &self.marques {
            self.vus[i] = false;
        }
        self.marques.clear();
        self.liste.clear();
    }

    /// Adds `i` and what it leads to without reading a character, at byte `position`.
    fn ajouter(&mut self, programme: &[Instruction], i: usize, position: usize, longueur: usize) {
        let mut pile = std::mem::take(&mut self.pile);
        pile.push(i);
        while let Some(i) = pile.pop() {
            if std::mem::replace(&mut self.vus[i], true) {
                continue;
            }
            self.marques.push(i);
            match programme[i] {
                Instruction::Choix(a, b) => pile.extend([b, a]),
                Instruction::Saut(a) => pile.push(a),
                Instruction::Debut if position == 0 => pile.push(i + 1),
                Instruction::Fin if position == longueur => pile.push(i + 1),
                Instruction::Debut | Instruction::Fin => {}
                Instruction::Caractere(_) | Instruction::Trouve => self.liste.push(i),
            }
        }
        self.pile = pile;
    }
}

fn compiler(
    noeud: &Noeud,
    programme: &mut Vec<Instruction>,
    travail: &mut usize,
) -> Result<(), String> {
    *travail += 1;
    if programme.len() > TAILLE_MAX || *travail > TRAVAIL_MAX {
        return Err("motif trop long une fois ses répétitions comptées".to_owned());
    }
    match noeud {
        Noeud::Vide => {}
        Noeud::Ensemble(ensemble) => programme.push(Instruction::Caractere(*ensemble)),
        Noeud::Debut => programme.push(Instruction::Debut),
        Noeud::Fin => programme.push(Instruction::Fin),
        Noeud::Suite(noeuds) => {
            for noeud in noeuds {
                compiler(noeud, programme, travail)?;
            }
        }
        Noeud::Alternative(branches) => {
            // choice(first, next choice) … ; each branch jumps to the end.
            let mut sauts = Vec::new();
            for (k, branche) in branches.iter().enumerate() {
                let choix = programme.len();
                let derniere = k + 1 == branches.len();
                if !derniere {
                    programme.push(Instruction::Choix(choix + 1, 0));
                }
                compiler(branche, programme, travail)?;
                if !derniere {
                    sauts.push(programme.len());
                    programme.push(Instruction::Saut(0));
                    let suite = programme.len();
                    programme[choix] = Instruction::Choix(choix + 1, suite);
                }
            }
            let fin = programme.len();
            for saut in sauts {
                programme[saut] = Instruction::Saut(fin);
            }
        }
        Noeud::Repetition(noeud, min, max) => {
            for _ in 0..*min {
                compiler(noeud, programme, travail)?;
            }
            match max {
                // x*: choice(x then back, out).
                None => {
                    let choix = programme.len();
                    programme.push(Instruction::Choix(0, 0));
                    compiler(noeud, programme, travail)?;
                    programme.push(Instruction::Saut(choix));
                    let fin = programme.len();
                    programme[choix] = Instruction::Choix(choix + 1, fin);
                }
                // x? repeated: each optional copy may end the repetition.
                Some(max) => {
                    let mut choix = Vec::new();
                    for _ in *min..*max {
                        choix.push(programme.len());
                        programme.push(Instruction::Choix(0, 0));
                        compiler(noeud, programme, travail)?;
                    }
                    let fin = programme.len();
                    for c in choix {
                        programme[c] = Instruction::Choix(c + 1, fin);
                    }
                }
            }
        }
    }
    Ok(())
}

struct Lecteur {
    caracteres: Vec<char>,
    position: usize,
    /// Groups open around the position.
    profondeur: usize,
    /// The classes read, sorted and merged.
    ensembles: Vec<Ensemble>,
}

/// The deepest nesting of groups.
const PROFONDEUR_MAX: usize = 50;

impl Lecteur {
    fn ensemble(&mut self, ensemble: Ensemble) -> Noeud {
        self.ensembles.push(ensemble.rangee());
        Noeud::Ensemble(self.ensembles.len() - 1)
    }

    fn voir(&self) -> Option<char> {
        self.caracteres.get(self.position).copied()
    }

    fn suivant(&mut self) -> Option<char> {
        let c = self.voir()?;
        self.position += 1;
        Some(c)
    }

    fn prendre(&mut self, attendu: char) -> bool {
        let pris = self.voir() == Some(attendu);
        self.position += usize::from(pris);
        pris
    }

    fn alternative(&mut self) -> Result<Noeud, String> {
        let mut branches = vec![self.suite()?];
        while self.prendre('|') {
            branches.push(self.suite()?);
        }
        Ok(if branches.len() == 1 {
            branches.remove(0)
        } else {
            Noeud::Alternative(branches)
        })
    }

    fn suite(&mut self) -> Result<Noeud, String> {
        let mut noeuds = Vec::new();
        while let Some(c) = self.voir() {
            if c == '|' || c == ')' {
                break;
            }
            let atome = self.atome()?;
            noeuds.push(self.repetition(atome)?);
        }
        Ok(match noeuds.len() {
            0 => Noeud::Vide,
            1 => noeuds.remove(0),
            _ => Noeud::Suite(noeuds),
        })
    }

    fn atome(&mut self) -> Result<Noeud, String> {
        let c = self.suivant().unwrap_or_default();
        Ok(match c {
            '^' => Noeud::Debut,
            '$' => Noeud::Fin,
            '.' => self.ensemble(Ensemble {
                plages: FINS_DE_LIGNE.to_vec(),
                inverse: true,
            }),
            '(' => {
                if self.prendre('?') && !self.prendre(':') {
                    return Err("seuls les groupes ( ) et (?: ) sont acceptés".to_owned());
                }
                self.profondeur += 1;
                if self.profondeur > PROFONDEUR_MAX {
                    return Err(format!("plus de {PROFONDEUR_MAX} groupes imbriqués"));
                }
                let dedans = self.alternative()?;
                self.profondeur -= 1;
                if !self.prendre(')') {
                    return Err("parenthèse non fermée".to_owned());
                }
                dedans
            }
            '[' => {
                let classe = self.classe()?;
                self.ensemble(classe)
            }
            '\\' => {
                let echappe = self.echappement(false)?;
                self.ensemble(echappe)
            }
            '*' | '+' | '?' | '{' => {
                return Err(format!("« {c} » ne suit rien à répéter"));
            }
            ']' | '}' => return Err(format!("« {c} » doit être échappé (\\{c})")),
            autre => self.ensemble(Ensemble::un(autre)),
        })
    }

    fn repetition(&mut self, atome: Noeud) -> Result<Noeud, String> {
        let (min, max) = match self.voir() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => (0, Some(0)),
            _ => return Ok(atome),
        };
        let (min, max) = if self.suivant() == Some('{') {
            self.bornes()?
        } else {
            (min, max)
        };
        if matches!(atome, Noeud::Debut | Noeud::Fin) {
            return Err("« ^ » et « $ » ne se répètent pas".to_owned());
        }
        // Lazy or not, a repetition matches the same whole answers.
        self.prendre('?');
        if matches!(self.voir(), Some('*' | '+' | '?' | '{')) {
            return Err("deux répétitions de suite".to_owned());
        }
        Ok(Noeud::Repetition(Box::new(atome), min, max))
    }

    /// `n}`, `n,}` or `n,m}` after a `{`.
    fn bornes(&mut self) -> Result<(u32, Option<u32>), String> {
        let invalide = || "répétition {n}, {n,} ou {n,m} mal écrite".to_owned();
        let min = self.nombre().ok_or_else(invalide)?;
        let max = if self.prendre(',') {
            if self.voir() == Some('}') {
                None
            } else {
                Some(self.nombre().ok_or_else(invalide)?)
            }
        } else {
            Some(min)
        };
        if !self.prendre('}') {
            return Err(invalide());
        }
        if max.is_some_and(|max| max < min) {
            return Err(format!(
                "répétition {{{min},…}} dont le maximum est plus petit"
            ));
        }
        if min > 1_000 || max.is_some_and(|max| max > 1_000) {
            return Err("répétition de plus de 1000".to_owned());
        }
        Ok((min, max))
    }

    fn nombre(&mut self) -> Option<u32> {
        let debut = self.position;
        while self.voir().is_some_and(|c| c.is_ascii_digit()) {
            self.position += 1;
        }
        let chiffres: String = self.caracteres[debut..self.position].iter().collect();
        chiffres.parse().ok()
    }

    /// A class after its `[`, up to its `]`.
    fn classe(&mut self) -> Result<Ensemble, String> {
        let inverse = self.prendre('^');
        let mut plages = Vec::new();
        loop {
            let de = match self.suivant() {
                None => return Err("crochet non fermé".to_owned()),
                Some(']') => break,
                Some('\\') => {
                    let ensemble = self.echappement(true)?;
                    match ensemble.seul() {
                        Some(c) => c,
                        None => {
                            inclure(&mut plages, ensemble);
                            continue;
                        }
                    }
                }
                Some(c) => c,
            };
            // `a-z`; a `-` first, last or after a range is itself.
            if self.voir() == Some('-') && self.caracteres.get(self.position + 1) != Some(&']') {
                if let Some(&suivant) = self.caracteres.get(self.position + 1) {
                    self.position += 2;
                    let a = if suivant == '\\' {
                        self.echappement(true)?
                            .seul()
                            .ok_or_else(|| "intervalle vers une classe (\\d, \\w…)".to_owned())?
                    } else {
                        suivant
                    };
                    if a < de {
                        return Err(format!("intervalle {de}-{a} à l'envers"));
                    }
                    plages.push((de, a));
                    continue;
                }
            }
            plages.push((de, de));
        }
        Ok(Ensemble { plages, inverse })
    }

    /// After a `\`: an escaped character or a class (`\d`…).
    fn echappement(&mut self, dans_classe: bool) -> Result<Ensemble, String> {
        let classe = |plages: &[(char, char)], inverse| Ensemble {
            plages: plages.to_vec(),
            inverse,
        };
        let c = self
            .suivant()
            .ok_or_else(|| "« \\ » à la fin du motif".to_owned())?;
        Ok(match c {
            'd' => classe(CHIFFRES, false),
            'D' => classe(CHIFFRES, true),
            'w' => classe(MOT, false),
            'W' => classe(MOT, true),
            's' => classe(ESPACES, false),
            'S' => classe(ESPACES, true),
            't' => Ensemble::un('\t'),
            'n' => Ensemble::un('\n'),
            'r' => Ensemble::un('\r'),
            'f' => Ensemble::un('\u{c}'),
            'v' => Ensemble::un('\u{b}'),
            '0' if !self.voir().is_some_and(|c| c.is_ascii_digit()) => Ensemble::un('\0'),
            'u' => {
                let chiffres: String = self.caracteres.iter().skip(self.position).take(4).collect();
                let code = (chiffres.len() == 4 && chiffres.chars().all(|c| c.is_ascii_hexdigit()))
                    .then(|| u32::from_str_radix(&chiffres, 16).ok())
                    .flatten()
                    .and_then(char::from_u32)
                    .ok_or_else(|| "\\u doit être suivi de 4 chiffres hexadécimaux".to_owned())?;
                self.position += 4;
                Ensemble::un(code)
            }
            '-' if dans_classe => Ensemble::un('-'),
            c if "^$\\.*+?()[]{}|/".contains(c) => Ensemble::un(c),
            autre => return Err(format!("échappement \\{autre} inconnu")),
        })
    }
}

/// Adds a class (`\d`, `\W`…) to a class being read.
fn inclure(plages: &mut Vec<(char, char)>, ensemble: Ensemble) {
    if !ensemble.inverse {
        plages.extend(ensemble.plages);
        return;
    }
    // The complement of sorted ranges.
    let mut debut = '\0';
    for (de, a) in ensemble.plages {
        if let Some(avant) = (de as u32).checked_sub(1).and_then(char::from_u32) {
            if debut <= avant {
                plages.push((debut, avant));
            }
        }
        match char::from_u32(a as u32 + 1).or_else(|| char::from_u32(a as u32 + 0x801)) {
            Some(apres) => debut = apres,
            None => return,
        }
    }
    plages.push((debut, char::MAX));
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::Motif;

    fn accepte(motif: &str, texte: &str) -> bool {
        Motif::new(motif).unwrap().accepte(texte)
    }

    #[test]
    fn the_whole_answer_must_match() {
        let plaque = "^[A-Za-z]{2}[- ]?[0-9]{3}[- ]?[A-Za-z]{2}$";
        for oui in ["AB-123-CD", "ab 123 cd", "AB123CD"] {
            assert!(accepte(plaque, oui), "{oui}");
        }
        for non in ["AB-123-C", "AB-123-CDE", "1B-123-CD", "", "AB--123-CD"] {
            assert!(!accepte(plaque, non), "{non}");
        }
        assert!(accepte("[0-9]{5}", "69001"));
        assert!(!accepte("[0-9]{5}", "690011"));
        assert!(!accepte("a|b", "ab"));
        assert!(accepte("a|b|", ""));
        assert!(accepte("(?:ab)+c?", "ababc"));
        assert!(accepte("x{2,}", "xxxx") && !accepte("x{2,}", "x"));
        assert!(accepte("x{1,3}?", "xxx") && !accepte("x{1,3}", "xxxx"));
        assert!(accepte(r"\d\D\w\W\s\S", "1a_-\u{a0}é"));
        assert!(accepte(r"[\d.]+\.\\\u00e9", r"1.2.\é"));
        assert!(accepte("[^a-c]", "d") && !accepte("[^a-c]", "b"));
        assert!(accepte(r"[\W]", "-") && !accepte(r"[\W]", "a"));
        assert!(accepte("[a-]", "-") && accepte("[-a]", "-"));
        assert!(accepte(".", "é") && !accepte(".", "\n") && !accepte(".", "\r"));
        assert!(accepte("(a*)*b", "aaab") && accepte("()", ""));
        assert!(accepte("a$|^b", "b") && !accepte("a^b", "ab"));
    }

    #[test]
    fn what_javascript_patterns_do_not_allow_or_this_matcher_does_not_know_is_refused() {
        for motif in [
            "[A-Z{2}",
            "(ab",
            "ab)",
            "*a",
            "a**",
            "a{2",
            "a{3,2}",
            "a{1001}",
            "a{,2}",
            r"\b",
            r"\1",
            "(?i)a",
            r"\u+041",
            "(?=a)",
            r"\u12",
            "\\",
            "]",
            "}",
            "^*",
            "[z-a]",
            r"[a-\d]",
            &"(".repeat(60),
            "(a{1000}){10}",
        ] {
            assert!(Motif::new(motif).is_err(), "{motif}");
        }
    }

    #[test]
    fn compiling_and_matching_are_bounded_whatever_the_pattern() {
        // Repetitions of nothing add no instruction but are still walked.
        assert!(Motif::new("((((){1000}){1000}){1000}){1000}").is_err());
        assert!(Motif::new(&format!("(?:(?:[{}]*){{40}}){{40}}", r"\W".repeat(240))).is_err());
        // Near the limit, with a class of many ranges, a long answer is checked.
        let classe = format!("[^{}]", r"\W".repeat(200));
        let motif = Motif::new(&format!("(?:(?:{classe}*){{20}}){{20}}")).unwrap();
        assert!(motif.accepte(&"a".repeat(10_000)));
        assert!(!motif.accepte(&format!("{}-", "a".repeat(10_000))));
    }

    /// Patterns of the syntax both engines read alike.
    fn motif() -> impl Strategy<Value = String> {
        let atome = prop::sample::select(vec![
            "a", "b", "A", "0", "-", " ", ".", r"\d", r"\w", r"\W", r"\.", "[ab]", "[^a]",
            "[a-c0-9]", r"[\d-]", "[-a]",
        ])
        .prop_map(str::to_owned);
        atome.prop_recursive(4, 24, 3, |interieur| {
            prop_oneof![
                prop::collection::vec(interieur.clone(), 1..4).prop_map(|v| v.concat()),
                (interieur.clone(), interieur.clone()).prop_map(|(a, b)| format!("(?:{a}|{b})")),
                (
                    interieur.clone(),
                    prop::sample::select(vec!["*", "+", "?", "{2}", "{1,2}", "{0,}", "*?"])
                )
                    .prop_map(|(a, q)| format!("(?:{a}){q}")),
                interieur.prop_map(|a| format!("({a})")),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// On answers without line breaks, a pattern matches what regex-lite matches when
        /// it is anchored as HTML anchors it.
        #[test]
        fn matches_as_a_reference_engine_does(
            motif in motif(),
            texte in "[ab0A \\-.é_]{0,8}",
        ) {
            let reference = regex_lite::Regex::new(&format!("^(?:{motif})$")).unwrap();
            prop_assert_eq!(
                accepte(&motif, &texte),
                reference.is_match(&texte),
                "{} sur {:?}", motif, texte
            );
        }

        /// Any text is a pattern or an error, never a panic; and a pattern checks any
        /// answer.
        #[test]
        fn any_text_compiles_or_is_refused(motif in "\\PC{0,20}", texte in "\\PC{0,20}") {
            if let Ok(m) = Motif::new(&motif) {
                m.accepte(&texte);
            }
        }
    }
}
