use askama::filters::HtmlSafe;
use askama::Template;

use super::Seo;
use crate::vertical::{Textes, VerticalConfig};

/// What every page of a vertical shows of it: name, wording and where it lives.
#[derive(Debug, Clone)]
pub struct Site {
    pub slug: String,
    pub nom: String,
    /// Headline, pitch, how its professionals are called (as the vertical's document says).
    pub textes: Textes,
    pub logo: String,
    /// Scheme, host and port of the vertical's canonical site, without a trailing slash.
    pub base_url: String,
    /// The vertical collects reviews: without them no page shows a note, a star or a
    /// review, nor asks for one.
    pub avis_actifs: bool,
    /// Whether the vertical takes payment online, and so has conditions de vente.
    pub conditions_de_vente: bool,
    /// How the trade calls an establishment's people and resources (« mécanicien »,
    /// « pont »).
    pub mots: crate::vertical::MotsMembres,
}

impl Site {
    pub fn new(config: &VerticalConfig, base_url: String) -> Site {
        Site {
            slug: config.slug().to_owned(),
            nom: config.nom().to_owned(),
            textes: config.textes().clone(),
            logo: config.theme().logo_emoji().unwrap_or("").to_owned(),
            base_url,
            avis_actifs: config.avis().actifs,
            conditions_de_vente: config.regles().paiement().en_ligne(),
            mots: config.membres().clone(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    /// The header of the vertical's public pages (`_entete.html`).
    pub fn entete(&self) -> Entete<'_> {
        Entete { site: self }
    }

    /// The header of the account pages (`comptes/_entete.html`).
    pub fn entete_compte(&self) -> EnteteCompte<'_> {
        EnteteCompte { site: self }
    }

    /// The footer of every page of the vertical (`_pied.html`).
    pub fn pied(&self) -> Pied<'_> {
        Pied { site: self }
    }

    /// What search engines and link previews read of a page (`_seo.html`).
    pub fn tete<'a>(&'a self, seo: &'a Seo) -> TeteSeo<'a> {
        TeteSeo { site: self, seo }
    }
}

// The parts every page shows are rendered each by one template, whichever page shows them:
// the pages call them instead of including their text, so that their code is not copied
// into each page's.

#[derive(Template)]
#[template(path = "_entete.html")]
pub struct Entete<'a> {
    site: &'a Site,
}

#[derive(Template)]
#[template(path = "comptes/_entete.html")]
pub struct EnteteCompte<'a> {
    site: &'a Site,
}

#[derive(Template)]
#[template(path = "_pied.html")]
pub struct Pied<'a> {
    site: &'a Site,
}

#[derive(Template)]
#[template(path = "_seo.html")]
pub struct TeteSeo<'a> {
    site: &'a Site,
    seo: &'a Seo,
}

// HTML the templates escaped already: pages write them as they are.
impl HtmlSafe for Entete<'_> {}
impl HtmlSafe for EnteteCompte<'_> {}
impl HtmlSafe for Pied<'_> {}
impl HtmlSafe for TeteSeo<'_> {}

/// The domain a vertical's links use when seen from `request_host`: that host itself when
/// the vertical serves it; otherwise its first domain of the same kind (a `.localhost`
/// one in local development, a public one in production).
pub fn domaine_canonique<'a>(config: &'a VerticalConfig, request_host: &'a str) -> &'a str {
    if config.serves_host(request_host) {
        return request_host;
    }
    let local = request_host == "localhost" || request_host.ends_with(".localhost");
    config
        .domains()
        .iter()
        .find(|d| d.ends_with(".localhost") == local)
        .or_else(|| config.domains().first())
        .map_or(request_host, String::as_str)
}
