//! The legal pages built from the vertical's document: mentions légales, conditions
//! générales d'utilisation and, where payment is taken online, conditions de vente.

use askama::Template;

use super::conditions::{phrases_annulation, phrases_reservation, ConditionsDeVente};
use super::{Seo, Site};
use crate::vertical::{Legal, VerticalConfig};

/// `/mentions-legales`: the operator, the host, the mediator.
#[derive(Template)]
#[template(path = "mentions.html", whitespace = "minimize")]
pub struct MentionsPage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub legal: &'a Legal,
}

/// `/conditions-generales`.
#[derive(Template)]
#[template(path = "cgu.html", whitespace = "minimize")]
pub struct CguPage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub legal: &'a Legal,
    pub reservation: Vec<String>,
    pub annulation: Vec<String>,
}

impl<'a> CguPage<'a> {
    pub fn new(site: &'a Site, seo: Seo, config: &'a VerticalConfig) -> Self {
        Self {
            site,
            seo,
            legal: config.legal(),
            reservation: phrases_reservation(config.regles(), config.textes()),
            annulation: phrases_annulation(config.regles()),
        }
    }
}

/// `/conditions-de-vente`.
#[derive(Template)]
#[template(path = "cgv.html", whitespace = "minimize")]
pub struct CgvPage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub legal: &'a Legal,
    pub conditions: ConditionsDeVente,
}

impl<'a> CgvPage<'a> {
    /// `None` for a vertical that takes no payment online.
    pub fn new(site: &'a Site, seo: Seo, config: &'a VerticalConfig) -> Option<Self> {
        let legal = config.legal();
        let conditions =
            ConditionsDeVente::depuis(config.regles(), config.textes(), legal.retractation())?;
        Some(Self {
            site,
            seo,
            legal,
            conditions,
        })
    }
}
