//! The legal pages every site must have.

use askama::Template;

use super::{Seo, Site};

/// `/mentions-legales` or `/confidentialite`.
#[derive(Template)]
#[template(path = "legal.html", whitespace = "minimize")]
pub struct LegalePage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    /// `false`: mentions légales; `true`: politique de confidentialité.
    pub confidentialite: bool,
}
