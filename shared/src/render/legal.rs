//! The legal pages every site must have.

use askama::Template;

use super::{Seo, Site};

/// `/mentions-legales` (the privacy policy has its own page, `ConfidentialitePage`).
#[derive(Template)]
#[template(path = "legal.html", whitespace = "minimize")]
pub struct LegalePage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
}
