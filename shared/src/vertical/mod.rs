//! A vertical (trade) and its configuration, as stored in KV.
//!
//! Each vertical (`coach`, `avocat`, `garage`, …) is one JSON document, seeded from
//! `verticals/*.json` and described by `verticals/vertical.schema.json`. The Worker reads it
//! from KV and hands the text to [`VerticalConfig::parse`], which reads it into raw serde
//! structs (unknown fields rejected) and then validates every rule, so that the rest of the
//! code only ever sees a checked configuration. Errors name the JSON path of the faulty
//! field, in French.
//!
//! The booking form's extra fields ([`Champ`]) come with [`valider_reponses`], which checks a
//! client's answers against them.

mod champ;
mod checks;
mod config;
mod error;
mod fuseau;
mod json_path;
pub(crate) mod legal;
mod motif;
mod raw;
mod regles;
mod reponses;
mod services;
mod textes;
mod theme;

#[cfg(test)]
mod tests_config;
#[cfg(test)]
mod tests_reponses;

pub use champ::{Champ, OptionChamp, TypeChamp, CHAMPS_CONTACT};
pub use config::{MotsMembres, ReglesAvis, VerticalConfig};
pub use error::ConfigError;
pub use legal::{a_completer, Legal, Mediateur, Operateur, Retractation};
pub use regles::{Acompte, Paiement, Regles};
pub use reponses::{valider_reponses, ErreurChamp};
pub use services::ServiceParDefaut;
pub use textes::Textes;
pub use theme::{Couleur, Police, Theme};
