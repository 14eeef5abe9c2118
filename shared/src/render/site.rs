use crate::vertical::VerticalConfig;

/// What every page of a vertical shows of it: name, wording and where it lives.
#[derive(Debug, Clone)]
pub struct Site {
    pub slug: String,
    pub nom: String,
    pub accroche: String,
    pub description: String,
    pub professionnel_singulier: String,
    pub professionnel_pluriel: String,
    pub appel_reservation: String,
    pub recherche_placeholder: String,
    pub logo: String,
    /// Scheme, host and port of the vertical's canonical site, without a trailing slash.
    pub base_url: String,
}

impl Site {
    pub fn new(config: &VerticalConfig, base_url: String) -> Site {
        let textes = config.textes();
        Site {
            slug: config.slug().to_owned(),
            nom: config.nom().to_owned(),
            accroche: textes.accroche().to_owned(),
            description: textes.description().to_owned(),
            professionnel_singulier: textes.professionnel_singulier().to_owned(),
            professionnel_pluriel: textes.professionnel_pluriel().to_owned(),
            appel_reservation: textes.appel_reservation().to_owned(),
            recherche_placeholder: textes.recherche_placeholder().to_owned(),
            logo: config.theme().logo_emoji().unwrap_or("").to_owned(),
            base_url,
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
