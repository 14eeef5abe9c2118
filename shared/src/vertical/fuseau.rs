//! The vertical's time zone: one of the zones built into the Worker.
//!
//! chrono-tz is built with only the zones listed in `CHRONO_TZ_TIMEZONE_FILTER`
//! (`.cargo/config.toml`): metropolitan France and the French overseas zones. A zone
//! outside that set would silently read as Europe/Paris further on, so the document is
//! refused instead, naming the zone.

use chrono_tz::Tz;

use super::error::ConfigError;

/// The zone when the document names none.
pub(super) const FUSEAU_PAR_DEFAUT: Tz = chrono_tz::Europe::Paris;

pub(super) fn fuseau_valide(nom: Option<&str>) -> Result<Tz, ConfigError> {
    let Some(nom) = nom else {
        return Ok(FUSEAU_PAR_DEFAUT);
    };
    nom.parse().map_err(|_| {
        ConfigError::new(
            "fuseau",
            format!(
                "« {nom} » n'est pas un fuseau horaire pris en charge : seuls Europe/Paris et \
                 les fuseaux de l'outre-mer français (America/Martinique, Indian/Reunion, \
                 Pacific/Noumea…) sont compilés dans le Worker (CHRONO_TZ_TIMEZONE_FILTER, \
                 .cargo/config.toml)"
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use crate::vertical::{ConfigError, VerticalConfig};

    const GARAGE: &str = include_str!("../../../verticals/garage.json");

    const OUTRE_MER: [&str; 15] = [
        "America/Cayenne",
        "America/Guadeloupe",
        "America/Marigot",
        "America/Martinique",
        "America/Miquelon",
        "America/St_Barthelemy",
        "Indian/Kerguelen",
        "Indian/Mayotte",
        "Indian/Reunion",
        "Pacific/Gambier",
        "Pacific/Marquesas",
        "Pacific/Noumea",
        "Pacific/Tahiti",
        "Pacific/Wallis",
        "Antarctica/DumontDUrville",
    ];

    fn garage_au_fuseau(fuseau: &str) -> Result<VerticalConfig, ConfigError> {
        let mut document: Value = serde_json::from_str(GARAGE).expect("garage.json is JSON");
        document["fuseau"] = json!(fuseau);
        VerticalConfig::parse(&document.to_string())
    }

    #[test]
    fn a_document_without_a_zone_is_in_paris_time() {
        let garage = VerticalConfig::parse(GARAGE).expect("garage.json is valid");
        assert_eq!(garage.fuseau(), chrono_tz::Europe::Paris);
    }

    #[test]
    fn paris_and_every_french_overseas_zone_are_built_in() {
        for nom in std::iter::once("Europe/Paris").chain(OUTRE_MER) {
            let garage = garage_au_fuseau(nom);
            assert_eq!(garage.map(|g| g.fuseau().name()), Ok(nom), "{nom}");
        }
    }

    #[test]
    fn a_zone_left_out_of_the_build_is_refused_naming_it() {
        let erreur = garage_au_fuseau("Asia/Tokyo").expect_err("Tokyo is not built in");
        assert_eq!(erreur.champ, "fuseau");
        assert!(
            erreur
                .message
                .starts_with("« Asia/Tokyo » n'est pas un fuseau horaire pris en charge"),
            "{erreur}"
        );
        assert!(erreur.message.contains("outre-mer"), "{erreur}");
    }

    #[test]
    fn a_misspelt_or_empty_zone_is_refused() {
        for nom in ["Europe/paris", "Paris", ""] {
            let erreur = garage_au_fuseau(nom).expect_err(nom);
            assert_eq!(erreur.champ, "fuseau", "{nom}");
        }
    }
}
