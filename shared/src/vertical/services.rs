//! The services a new professional of the vertical starts with.

use super::checks::{centimes, minutes_par_5, texte, texte_optionnel};
use super::error::ConfigError;
use super::raw::RawService;

/// A service offered by default: name, duration and price in euro cents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceParDefaut {
    nom: String,
    duree_minutes: u32,
    prix_centimes: u64,
    description: Option<String>,
}

impl ServiceParDefaut {
    pub(super) fn liste_depuis_brut(bruts: Vec<RawService>) -> Result<Vec<Self>, ConfigError> {
        if bruts.is_empty() {
            return Err(ConfigError::new(
                "services_par_defaut",
                "doit proposer au moins un service",
            ));
        }
        let mut services: Vec<Self> = Vec::with_capacity(bruts.len());
        for (i, brut) in bruts.into_iter().enumerate() {
            let chemin = |champ: &str| format!("services_par_defaut[{i}].{champ}");
            let nom = texte(&chemin("nom"), &brut.nom, 80)?;
            if services
                .iter()
                .any(|s| crate::casse::minuscules(&s.nom) == crate::casse::minuscules(&nom))
            {
                return Err(ConfigError::new(
                    chemin("nom"),
                    format!("le service « {nom} » est déjà défini"),
                ));
            }
            services.push(Self {
                nom,
                duree_minutes: minutes_par_5(&chemin("duree_minutes"), brut.duree_minutes, 5, 480)?,
                prix_centimes: centimes(
                    &chemin("prix_centimes"),
                    brut.prix_centimes,
                    0,
                    10_000_000,
                )?,
                description: texte_optionnel(
                    &chemin("description"),
                    brut.description.as_deref(),
                    500,
                )?,
            });
        }
        Ok(services)
    }

    pub fn nom(&self) -> &str {
        &self.nom
    }

    pub fn duree_minutes(&self) -> u32 {
        self.duree_minutes
    }

    /// Price in euro cents.
    pub fn prix_centimes(&self) -> u64 {
        self.prix_centimes
    }

    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }
}
