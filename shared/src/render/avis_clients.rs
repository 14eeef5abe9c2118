//! `/avis-clients`: how the vertical's reviews are collected and moderated, as French law
//! asks of a site that publishes consumer reviews (Code de la consommation L111-7-2,
//! décret 2017-1436) — or that it collects none.

use askama::Template;

use super::{Seo, Site};

#[derive(Template)]
#[template(path = "avis_clients.html", whitespace = "minimize")]
pub struct AvisClientsPage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    /// How many days after the appointment a review may be given.
    pub delai_jours: u32,
    /// How many hours after the appointment the personal link is e-mailed.
    pub demande_heures: i64,
}
