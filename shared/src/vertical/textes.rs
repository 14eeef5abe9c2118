//! The vertical's French wording.

use super::checks::texte;
use super::error::ConfigError;
use super::raw::RawTextes;

/// The words a vertical's pages use: headline, pitch, how its professionals are called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Textes {
    accroche: String,
    description: String,
    professionnel_singulier: String,
    professionnel_pluriel: String,
    appel_reservation: String,
    recherche_placeholder: String,
}

impl Textes {
    pub(super) fn depuis_brut(brut: RawTextes) -> Result<Self, ConfigError> {
        Ok(Self {
            accroche: texte("textes.accroche", &brut.accroche, 120)?,
            // Also the page's meta description, which search engines cut near 160 characters.
            description: texte("textes.description", &brut.description, 500)?,
            professionnel_singulier: texte(
                "textes.professionnel_singulier",
                &brut.professionnel_singulier,
                40,
            )?,
            professionnel_pluriel: texte(
                "textes.professionnel_pluriel",
                &brut.professionnel_pluriel,
                40,
            )?,
            appel_reservation: texte("textes.appel_reservation", &brut.appel_reservation, 40)?,
            recherche_placeholder: texte(
                "textes.recherche_placeholder",
                &brut.recherche_placeholder,
                80,
            )?,
        })
    }

    /// The home page's headline.
    pub fn accroche(&self) -> &str {
        &self.accroche
    }

    /// One paragraph: the home page's pitch and the meta description.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// "coach", "avocat", "garage".
    pub fn professionnel_singulier(&self) -> &str {
        &self.professionnel_singulier
    }

    /// "coachs", "avocats", "garages".
    pub fn professionnel_pluriel(&self) -> &str {
        &self.professionnel_pluriel
    }

    /// The booking button's text, e.g. "Réserver une séance".
    pub fn appel_reservation(&self) -> &str {
        &self.appel_reservation
    }

    /// The search box's placeholder.
    pub fn recherche_placeholder(&self) -> &str {
        &self.recherche_placeholder
    }
}
