//! Rate-limit rules for sign-up (per IP), sign-in and password reset (per IP and per
//! account). Counters are kept in D1 (`limites`) in fixed windows: see `store::limites`.
//! Booking's rules use the same [`Regle`]: see `reservation::limites`.

/// A rule: at most `maximum` attempts per window of `fenetre_secondes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regle {
    pub nom: &'static str,
    pub maximum: i64,
    pub fenetre_secondes: i64,
}

pub const INSCRIPTION_IP: Regle = Regle {
    nom: "inscription:ip",
    maximum: 10,
    fenetre_secondes: 3600,
};
pub const CONNEXION_IP: Regle = Regle {
    nom: "connexion:ip",
    maximum: 30,
    fenetre_secondes: 15 * 60,
};
pub const CONNEXION_COMPTE: Regle = Regle {
    nom: "connexion:compte",
    maximum: 8,
    fenetre_secondes: 15 * 60,
};
pub const REINITIALISATION_IP: Regle = Regle {
    nom: "reinitialisation:ip",
    maximum: 10,
    fenetre_secondes: 3600,
};
pub const REINITIALISATION_COMPTE: Regle = Regle {
    nom: "reinitialisation:compte",
    maximum: 3,
    fenetre_secondes: 3600,
};

/// Every rule. The scheduled job keeps a counter at least as long as the longest window
/// here (and at least a day): a rule with a window over a day must be listed.
pub const REGLES: &[Regle] = &[
    INSCRIPTION_IP,
    CONNEXION_IP,
    CONNEXION_COMPTE,
    REINITIALISATION_IP,
    REINITIALISATION_COMPTE,
];

/// The longest window of all rules (seconds).
pub fn fenetre_la_plus_longue() -> i64 {
    REGLES.iter().map(|r| r.fenetre_secondes).max().unwrap_or(0)
}

impl Regle {
    /// The counter's key for a subject (an IP, or an e-mail lower-cased).
    pub fn cle(&self, sujet: &str) -> String {
        let sujet: String = sujet.trim().to_lowercase().chars().take(300).collect();
        format!("{}:{sujet}", self.nom)
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
            CONNEXION_COMPTE.cle(" Alice@Exemple.FR "),
            "connexion:compte:alice@exemple.fr"
        );
        assert_eq!(CONNEXION_IP.fenetre(1000), 900);
        assert_eq!(CONNEXION_IP.reessayer_dans(1000), 800);
    }
}
