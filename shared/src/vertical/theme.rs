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
        let theme = Self {
            couleur_primaire: Couleur::parse("theme.couleur_primaire", &brut.couleur_primaire)?,
            couleur_secondaire: Couleur::parse(
                "theme.couleur_secondaire",
                &brut.couleur_secondaire,
            )?,
            couleur_fond: Couleur::parse("theme.couleur_fond", &brut.couleur_fond)?,
            couleur_texte: Couleur::parse("theme.couleur_texte", &brut.couleur_texte)?,
            police: brut.police,
            logo_emoji: texte_optionnel("theme.logo_emoji", brut.logo_emoji.as_deref(), 16)?,
        };
        theme.verifier_contrastes()?;
        Ok(theme)
    }

    /// Every text colour against every surface it is drawn on, as the site's stylesheet
    /// (`templates/public/assets/site.css`) and the e-mails use them, must reach WCAG 2.1
    /// AA's 4.5:1: the text on the background, white cards and grey bands; the primary
    /// and secondary colours as links, prices and outlined slots on those same surfaces
    /// and as the background of white-lettered buttons; the stylesheet's fixed grey and
    /// error red on the background.
    fn verifier_contrastes(&self) -> Result<(), ConfigError> {
        let fond = Surface {
            couleur: self.couleur_fond.clone(),
            nom: "le fond des pages (couleur_fond)",
        };
        let surfaces = [fond.clone(), Surface::blanche(), Surface::douce()];
        let textes = [
            ("theme.couleur_texte", &self.couleur_texte, "le texte"),
            (
                "theme.couleur_primaire",
                &self.couleur_primaire,
                "les liens, les créneaux et les boutons (lettres blanches)",
            ),
            (
                "theme.couleur_secondaire",
                &self.couleur_secondaire,
                "les prix, les statuts et les boutons secondaires (lettres blanches)",
            ),
        ];
        for (chemin, couleur, usage) in textes {
            for surface in &surfaces {
                exiger_contraste(chemin, couleur, usage, surface)?;
            }
        }
        for (couleur, usage) in [
            (TEXTE_DISCRET, "les aides et les détails (gris #4b5563)"),
            (TEXTE_ERREUR, "les messages d'erreur (rouge #b91c1c)"),
        ] {
            exiger_contraste("theme.couleur_fond", &Couleur::fixe(couleur), usage, &fond)?;
        }
        Ok(())
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

/// WCAG 2.1 AA's minimum contrast ratio for text of normal size (success criterion 1.4.3).
pub const CONTRASTE_MINIMUM: f64 = 4.5;

/// The surfaces `templates/public/assets/site.css` draws text on besides the theme's
/// background: cards, fields and lists (`#fff`), bands (`--doux`).
pub const SURFACE_BLANCHE: &str = "#ffffff";
pub const SURFACE_DOUCE: &str = "#f3f4f6";
/// Fixed text colours of the stylesheet drawn on the theme's background: details and
/// help (`.aide`, `.lieu`…) and errors (`--erreur`).
pub const TEXTE_DISCRET: &str = "#4b5563";
pub const TEXTE_ERREUR: &str = "#b91c1c";

#[derive(Debug, Clone)]
struct Surface {
    couleur: Couleur,
    nom: &'static str,
}

impl Surface {
    fn blanche() -> Surface {
        Surface {
            couleur: Couleur::fixe(SURFACE_BLANCHE),
            nom: "le blanc des cartes et des champs (#ffffff)",
        }
    }

    fn douce() -> Surface {
        Surface {
            couleur: Couleur::fixe(SURFACE_DOUCE),
            nom: "le gris clair des bandeaux (#f3f4f6)",
        }
    }
}

fn exiger_contraste(
    chemin: &str,
    couleur: &Couleur,
    usage: &str,
    surface: &Surface,
) -> Result<(), ConfigError> {
    let ratio = couleur.contraste(&surface.couleur);
    if ratio >= CONTRASTE_MINIMUM {
        return Ok(());
    }
    Err(ConfigError::new(
        chemin,
        format!(
            "contraste insuffisant : {couleur} sur {} donne {}:1, il faut au moins 4,5:1 \
             (WCAG 2.1 AA) pour {usage} ; choisissez une couleur plus contrastée",
            surface.nom,
            format!("{:.2}", (ratio * 100.0).floor() / 100.0).replace('.', ",")
        ),
    ))
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

    /// One of the stylesheet's own colours (a valid `#rrggbb` literal).
    fn fixe(hexa: &'static str) -> Self {
        Self(hexa.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Red, green and blue, 0 to 255.
    fn canaux(&self) -> [u8; 3] {
        let hexa = self.0.trim_start_matches('#');
        let canal = |i: usize| {
            hexa.get(i..i + 2)
                .and_then(|c| u8::from_str_radix(c, 16).ok())
                .unwrap_or(0)
        };
        [canal(0), canal(2), canal(4)]
    }

    /// The relative luminance of WCAG 2.1 (0 for black, 1 for white): each sRGB channel
    /// linearised, then weighted 0.2126 R + 0.7152 G + 0.0722 B.
    pub fn luminance(&self) -> f64 {
        let lineaire = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.canaux();
        0.2126 * lineaire(r) + 0.7152 * lineaire(g) + 0.0722 * lineaire(b)
    }

    /// The contrast ratio of WCAG 2.1 between two colours, from 1 (same) to 21 (black on
    /// white): (L1 + 0.05) / (L2 + 0.05), the lighter over the darker.
    pub fn contraste(&self, autre: &Couleur) -> f64 {
        let (a, b) = (self.luminance(), autre.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn couleur(hexa: &str) -> Couleur {
        Couleur::parse("test", hexa).expect("a #rrggbb colour")
    }

    #[test]
    fn black_and_white_have_the_extreme_luminances_and_a_ratio_of_21() {
        assert_eq!(couleur("#000000").luminance(), 0.0);
        assert!((couleur("#ffffff").luminance() - 1.0).abs() < 1e-12);
        assert!((couleur("#000000").contraste(&couleur("#ffffff")) - 21.0).abs() < 1e-9);
        assert!((couleur("#777777").contraste(&couleur("#777777")) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn the_ratio_matches_the_published_values_and_is_symmetric() {
        // The usual reference pairs: #767676 is the lightest grey passing AA on white,
        // #777777 the first one failing.
        let blanc = couleur("#ffffff");
        let ratio = |hexa: &str| (couleur(hexa).contraste(&blanc) * 100.0).round() / 100.0;
        assert_eq!(ratio("#767676"), 4.54);
        assert_eq!(ratio("#777777"), 4.48);
        assert_eq!(ratio("#2f9e44"), 3.45);
        assert_eq!(ratio("#f08c00"), 2.48);
        let (a, b) = (couleur("#1c3d6e"), couleur("#f7f6f2"));
        assert_eq!(a.contraste(&b), b.contraste(&a));
        // The luminance weighs green most, blue least.
        assert!(couleur("#00ff00").luminance() > couleur("#ff0000").luminance());
        assert!(couleur("#ff0000").luminance() > couleur("#0000ff").luminance());
    }

    #[test]
    fn the_surfaces_named_here_are_the_stylesheets() {
        let css = include_str!("../../../templates/public/assets/site.css");
        assert!(css.contains(&format!("--doux:{SURFACE_DOUCE}")), "--doux");
        assert!(
            css.contains(&format!("--erreur:{TEXTE_ERREUR}")),
            "--erreur"
        );
        assert!(css.contains(&format!("color:{TEXTE_DISCRET}")), "grey text");
        assert!(css.contains("background:#fff"), "white cards");
        // No other text colour than those checked (the theme's, the fixed grey and red,
        // white on buttons, and the alert and success boxes' own dark-on-light pairs).
        for declaration in css
            .split(['{', ';', '}'])
            .filter(|d| d.starts_with("color:"))
        {
            assert!(
                [
                    "color:var(--texte)",
                    "color:var(--primaire)",
                    "color:var(--secondaire)",
                    "color:var(--erreur)",
                    "color:inherit",
                    "color:#fff",
                    "color:#7f1d1d",
                    "color:#14532d",
                    &format!("color:{TEXTE_DISCRET}"),
                ]
                .contains(&declaration),
                "{declaration} is not covered by the theme's contrast check"
            );
        }
    }
}
