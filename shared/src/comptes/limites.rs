//! Rate-limit rules. Two kinds, both counted in D1:
//!
//! - [`Regle`]: at most so many attempts per fixed window (`limites`, see
//!   `store::limites`): sign-up per source, reset requests per source, and the e-mails
//!   one address may receive (past that cap the request is answered as usual but sends
//!   nothing, so that nobody learns anything and the owner keeps the links already sent);
//! - [`Frein`]: sign-in throttles with growing delays (`freins`, see `store::freins`): a
//!   few free attempts, then a wait that doubles with each further one, up to a ceiling.
//!   Sign-in is throttled per (account, origin) always, and per source and per account
//!   only for origins that never signed in to that account: strangers' wrong passwords
//!   slow strangers down, never the owner on a device or network they used before.
//!
//! Booking's rules use the same [`Regle`]: see `reservation::limites`.

/// A rule: at most `maximum` attempts per window of `fenetre_secondes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regle {
    pub nom: &'static str,
    pub maximum: i64,
    pub fenetre_secondes: i64,
}

const HEURE: i64 = 3600;
const JOUR: i64 = 24 * HEURE;

/// A counter's key: the rule's name and its subject (trimmed, lower-cased, cut).
fn cle_de(nom: &str, sujet: &str, longueur_max: usize) -> String {
    let sujet: String = crate::casse::minuscules(sujet.trim())
        .chars()
        .take(longueur_max)
        .collect();
    format!("{nom}:{sujet}")
}

pub const INSCRIPTION_IP: Regle = Regle::par_heure("inscription:ip", 10);
pub const REINITIALISATION_IP: Regle = Regle::par_heure("reinitialisation:ip", 10);
/// Reset e-mails one address may receive per window: past it, requests send nothing
/// (and answer as usual). The window is no longer than a reset link lives, so whenever
/// the cap is reached the owner holds a link sent in this window that still works.
pub const REINITIALISATION_ADRESSE: Regle = Regle::par_heure("reinitialisation:adresse", 3);
/// "Someone signed up with your address" e-mails one address may receive per window
/// (every sign-up counts, new address or not, so that both take the same work).
pub const INSCRIPTION_ADRESSE: Regle = Regle::par_heure("inscription:adresse", 3);
/// New verification links an account may ask for per window (it is signed in: a 429
/// tells nothing it does not know).
pub const VERIFICATION_COMPTE: Regle = Regle::par_heure("verification:compte", 3);
/// ... and per source.
pub const VERIFICATION_IP: Regle = Regle::par_heure("verification:ip", 10);

/// How long a source an account signed in from stays known without a new sign-in.
pub const SOURCE_CONNUE_SECONDES: i64 = 180 * JOUR;

/// A throttle with growing delays: the first `gratuites` attempts of a streak go
/// through at once; after the n-th one (n ≥ `gratuites`) the next must wait
/// `premier_delai` × 2^(n − `gratuites`) seconds, at most `delai_max`. A streak ends
/// after `memoire` seconds without attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frein {
    pub nom: &'static str,
    pub gratuites: i64,
    pub premier_delai: i64,
    pub delai_max: i64,
    pub memoire: i64,
}

/// Sign-in per (account, origin): the origin is the device (a valid device cookie of
/// that account) or else the source. Always applies, to the owner too.
pub const CONNEXION_PAIRE: Frein = Frein::connexion("connexion:paire", 5, 30);
/// Sign-in per source, whatever the account, for origins unknown to the account.
pub const CONNEXION_SOURCE: Frein = Frein::connexion("connexion:source", 30, 60);
/// Sign-in per account, whatever the source, for origins unknown to the account (one
/// attacker spread over many sources).
pub const CONNEXION_COMPTE: Frein = Frein::connexion("connexion:compte", 10, 60);

impl Frein {
    /// A sign-in throttle: its waits reach an hour at most, and a streak is forgotten
    /// after a quiet day.
    pub const fn connexion(nom: &'static str, gratuites: i64, premier_delai: i64) -> Frein {
        Frein {
            nom,
            gratuites,
            premier_delai,
            delai_max: HEURE,
            memoire: JOUR,
        }
    }

    /// The counter's key for a subject (an e-mail lower-cased, a source, or both).
    pub fn cle(&self, sujet: &str) -> String {
        cle_de(self.nom, sujet, 380)
    }

    /// Seconds the next attempt must wait after the `n`-th attempt of a streak.
    pub fn delai_apres(&self, n: i64) -> i64 {
        if n < self.gratuites {
            return 0;
        }
        let doublements = u32::try_from((n - self.gratuites).min(40)).unwrap_or(40);
        self.premier_delai
            .saturating_mul(1_i64 << doublements)
            .min(self.delai_max)
    }

    /// The waits after the 1st, 2nd… attempt, up to the first that reaches the ceiling:
    /// the table the SQL reads (its last value holds for every later attempt).
    pub fn delais(&self) -> Vec<i64> {
        let mut delais = Vec::new();
        for n in 1.. {
            let d = self.delai_apres(n);
            delais.push(d);
            if d >= self.delai_max || n > 200 {
                break;
            }
        }
        delais
    }
}

/// Every rule. The scheduled job keeps a counter at least as long as the longest window
/// here (and at least a day): a rule with a window over a day must be listed.
pub const REGLES: &[Regle] = &[
    INSCRIPTION_IP,
    INSCRIPTION_ADRESSE,
    REINITIALISATION_IP,
    REINITIALISATION_ADRESSE,
    VERIFICATION_COMPTE,
    VERIFICATION_IP,
    crate::reservation::limites::SOURCE_HEURE,
    crate::reservation::limites::SOURCE_JOUR,
    crate::reservation::limites::EMAIL_HEURE,
    crate::reservation::limites::EMAIL_JOUR,
    crate::reservation::limites::DEMANDES_PROFESSIONNEL_HEURE,
    crate::reservation::limites::DEMANDES_PROFESSIONNEL_JOUR,
];

/// The longest window of all rules (seconds).
pub fn fenetre_la_plus_longue() -> i64 {
    REGLES.iter().map(|r| r.fenetre_secondes).max().unwrap_or(0)
}

impl Regle {
    /// At most `maximum` attempts per hour.
    pub const fn par_heure(nom: &'static str, maximum: i64) -> Regle {
        Regle {
            nom,
            maximum,
            fenetre_secondes: HEURE,
        }
    }

    /// At most `maximum` attempts per day.
    pub const fn par_jour(nom: &'static str, maximum: i64) -> Regle {
        Regle {
            nom,
            maximum,
            fenetre_secondes: JOUR,
        }
    }

    /// The counter's key for a subject (an IP, or an e-mail lower-cased).
    pub fn cle(&self, sujet: &str) -> String {
        cle_de(self.nom, sujet, 300)
    }

    /// The start of the window `maintenant` (seconds) falls in.
    pub fn fenetre(&self, maintenant: i64) -> i64 {
        maintenant.div_euclid(self.fenetre_secondes) * self.fenetre_secondes
    }

    /// Seconds until the window ends: the `Retry-After` of a refusal.
    pub fn reessayer_dans(&self, maintenant: i64) -> i64 {
        self.fenetre(maintenant) + self.fenetre_secondes - maintenant
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_windows_are_aligned() {
        assert_eq!(
            REINITIALISATION_ADRESSE.cle(" Alice@Exemple.FR "),
            "reinitialisation:adresse:alice@exemple.fr"
        );
        assert_eq!(
            CONNEXION_COMPTE.cle(" Alice@Exemple.FR "),
            "connexion:compte:alice@exemple.fr"
        );
        let quart_d_heure = Regle {
            nom: "x",
            maximum: 1,
            fenetre_secondes: 900,
        };
        assert_eq!(quart_d_heure.fenetre(1000), 900);
        assert_eq!(quart_d_heure.reessayer_dans(1000), 800);
    }

    #[test]
    fn a_throttle_lets_the_first_attempts_through_then_doubles_the_wait_up_to_its_ceiling() {
        let f = CONNEXION_PAIRE;
        let attentes: Vec<i64> = (1..=14).map(|n| f.delai_apres(n)).collect();
        assert_eq!(
            attentes,
            [0, 0, 0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
        );
        assert_eq!(f.delais(), &attentes[..12]);
        assert_eq!(f.delai_apres(i64::MAX), 3600);
        for frein in [CONNEXION_PAIRE, CONNEXION_SOURCE, CONNEXION_COMPTE] {
            let d = frein.delais();
            assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
            assert_eq!(d.last(), Some(&frein.delai_max));
        }
    }
}
