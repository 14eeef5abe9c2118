//! The vertical's look: colours and a system font stack (no web fonts to download).

use std::fmt;

use serde::Deserialize;

use super::checks::texte_optionnel;
use super::error::ConfigError;
use super::raw::RawTheme;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    couleur_primaire: Couleur,
    couleur_secondaire: Couleur,
    couleur_fond: Couleur,
    couleur_texte: Couleur,
    police: Police,
    logo_emoji: Option<String>,
}

impl Theme {
    pub(super) fn depuis_brut(brut: RawTheme) -> Result<Self, ConfigError> {
        Ok(Self {
            couleur_primaire: Couleur::parse("theme.couleur_primaire", &brut.couleur_primaire)?,
            couleur_secondaire: Couleur::parse(
                "theme.couleur_secondaire",
                &brut.couleur_secondaire,
            )?,
            couleur_fond: Couleur::parse("theme.couleur_fond", &brut.couleur_fond)?,
            couleur_texte: Couleur::parse("theme.couleur_texte", &brut.couleur_texte)?,
            police: brut.police,
            logo_emoji: texte_optionnel("theme.logo_emoji", brut.logo_emoji.as_deref(), 16)?,
        })
    }

    pub fn couleur_primaire(&self) -> &Couleur {
        &self.couleur_primaire
    }

    pub fn couleur_secondaire(&self) -> &Couleur {
        &self.couleur_secondaire
    }

    pub fn couleur_fond(&self) -> &Couleur {
        &self.couleur_fond
    }

    pub fn couleur_texte(&self) -> &Couleur {
        &self.couleur_texte
    }

    pub fn police(&self) -> Police {
        self.police
    }

    pub fn logo_emoji(&self) -> Option<&str> {
        self.logo_emoji.as_deref()
    }
}

/// A CSS colour written `#rrggbb`, kept in lower case; safe to print inside a stylesheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Couleur(String);

impl Couleur {
    fn parse(chemin: &str, valeur: &str) -> Result<Self, ConfigError> {
        let hexa = valeur.strip_prefix('#').unwrap_or("");
        if hexa.len() != 6 || !hexa.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ConfigError::new(
                chemin,
                format!("couleur invalide « {valeur} » : attendu #rrggbb, par exemple #1f6feb"),
            ));
        }
        Ok(Self(valeur.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Couleur {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One of the allowed system font stacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Police {
    Sans,
    Serif,
    Mono,
}

impl Police {
    /// The CSS `font-family` value.
    pub fn pile_css(self) -> &'static str {
        match self {
            Police::Sans => {
                "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, sans-serif"
            }
            Police::Serif => "Charter, \"Bitstream Charter\", Georgia, Cambria, \"Times New Roman\", serif",
            Police::Mono => {
                "ui-monospace, \"SFMono-Regular\", Menlo, Consolas, \"Liberation Mono\", monospace"
            }
        }
    }
}
