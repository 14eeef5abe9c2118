//! The deployment's secrets (API keys, the master secret): usable where they are needed,
//! never printed by accident, and checked at start so that none is ever used empty.

use std::fmt;

/// A secret value. Its `Debug` shows a placeholder, never the value; only
/// [`Secret::expose`] gives the value, to the one place that sends or keys with it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(valeur: impl Into<String>) -> Secret {
        Secret(valeur.into())
    }

    /// The value itself: for a header or a key, never for a log or a page.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Absent, empty or only blanks.
    pub fn est_vide(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.est_vide() {
            f.write_str("Secret(vide)")
        } else {
            f.write_str("Secret(«masqué»)")
        }
    }
}

impl From<&str> for Secret {
    fn from(valeur: &str) -> Secret {
        Secret::new(valeur)
    }
}

impl From<String> for Secret {
    fn from(valeur: String) -> Secret {
        Secret(valeur)
    }
}

/// A required secret that is missing or too weak: its name, never its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manque {
    Absent(&'static str),
    TropCourt {
        nom: &'static str,
        longueur_min: usize,
    },
}

impl Manque {
    pub fn nom(&self) -> &'static str {
        match self {
            Manque::Absent(nom) | Manque::TropCourt { nom, .. } => nom,
        }
    }
}

impl fmt::Display for Manque {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Manque::Absent(nom) => write!(f, "le secret {nom} est absent ou vide"),
            Manque::TropCourt { nom, longueur_min } => write!(
                f,
                "le secret {nom} est trop court ({longueur_min} caractères au moins)"
            ),
        }
    }
}

/// What is missing among required secrets, each given as (name, value, least length).
pub fn manquants(exiges: &[(&'static str, &Secret, usize)]) -> Vec<Manque> {
    exiges
        .iter()
        .filter_map(|&(nom, secret, longueur_min)| {
            if secret.est_vide() {
                Some(Manque::Absent(nom))
            } else if secret.expose().trim().chars().count() < longueur_min {
                Some(Manque::TropCourt { nom, longueur_min })
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_appear_in_debug_output() {
        let secret = Secret::from("sk_live_tres_secret");
        let texte = format!("{secret:?} {secret:#?} {:?}", vec![secret.clone()]);
        assert!(!texte.contains("sk_live"), "{texte}");
        assert!(texte.contains("masqué"));
        assert_eq!(format!("{:?}", Secret::default()), "Secret(vide)");
        assert_eq!(secret.expose(), "sk_live_tres_secret");
    }

    #[test]
    fn a_missing_secret_is_named_in_the_error_and_never_served_empty() {
        let vide = Secret::from("   ");
        let court = Secret::from("xyz-0123");
        let bon = Secret::from("0123456789abcdef0123456789abcdef");
        let manque = manquants(&[
            ("STRIPE_SECRET_KEY", &vide, 1),
            ("JWT_SECRET", &court, 32),
            ("MAIL_API_KEY", &bon, 1),
        ]);
        assert_eq!(
            manque,
            vec![
                Manque::Absent("STRIPE_SECRET_KEY"),
                Manque::TropCourt {
                    nom: "JWT_SECRET",
                    longueur_min: 32
                }
            ]
        );
        assert_eq!(
            manque[0].to_string(),
            "le secret STRIPE_SECRET_KEY est absent ou vide"
        );
        assert!(manque[1].to_string().contains("JWT_SECRET"));
        assert!(
            !manque[1].to_string().contains("xyz-0123"),
            "never the value"
        );
        assert!(manquants(&[("JWT_SECRET", &bon, 32)]).is_empty());
    }
}
