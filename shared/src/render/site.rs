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
}

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
