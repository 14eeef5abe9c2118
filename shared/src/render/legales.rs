//! The legal pages built from the vertical's document: mentions légales, conditions
//! générales d'utilisation and, where payment is taken online, conditions de vente. One
//! page type and one layout; each page's text is its own partial template.

use askama::Template;

use super::conditions::{phrases_annulation, phrases_reservation, ConditionsDeVente};
use super::{Seo, Site};
use crate::vertical::{Legal, VerticalConfig};

/// `/mentions-legales`, `/conditions-generales` or `/conditions-de-vente`.
#[derive(Template)]
#[template(path = "legales.html", whitespace = "minimize")]
pub struct LegalesPage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub legal: &'a Legal,
    pub contenu: ContenuLegal,
}

/// Which page, with what it derives from the vertical's rules.
pub enum ContenuLegal {
    /// The operator, the host, the mediator.
    Mentions,
    /// How booking and cancelling work, sentence by sentence.
    Cgu {
        reservation: Vec<String>,
        annulation: Vec<String>,
    },
    Cgv(ConditionsDeVente),
}

impl ContenuLegal {
    pub fn cgu(config: &VerticalConfig) -> Self {
        Self::Cgu {
            reservation: phrases_reservation(config.regles(), config.textes()),
            annulation: phrases_annulation(config.regles()),
        }
    }

    /// `None` for a vertical that takes no payment online: it has no conditions de vente.
    pub fn cgv(config: &VerticalConfig) -> Option<Self> {
        ConditionsDeVente::depuis(
            config.regles(),
            config.textes(),
            config.legal().retractation(),
        )
        .map(Self::Cgv)
    }
}
