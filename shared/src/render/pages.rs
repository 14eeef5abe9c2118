use askama::Template;

use super::Site;

/// A vertical's home page: its pitch and the search form.
#[derive(Template)]
#[template(path = "accueil.html", whitespace = "minimize")]
pub struct AccueilPage<'a> {
    pub site: &'a Site,
    pub titre: String,
    pub description: String,
    pub canonical: String,
    /// How many professionals are listed, to make the pitch concrete.
    pub nombre_professionnels: i64,
    pub villes: Vec<String>,
}

/// A link to one vertical, on the neutral portal page.
#[derive(Debug, Clone)]
pub struct VerticalLien {
    pub nom: String,
    pub accroche: String,
    pub url: String,
    pub logo: String,
}

/// The neutral page for a host that is no vertical's: it links to every vertical.
#[derive(Template)]
#[template(path = "portail.html", whitespace = "minimize")]
pub struct PortailPage {
    pub verticals: Vec<VerticalLien>,
}

/// A 404 or 500 page, in the vertical's look when the vertical is known.
#[derive(Template)]
#[template(path = "erreur.html", whitespace = "minimize")]
pub struct ErreurPage<'a> {
    pub site: Option<&'a Site>,
    pub statut: u16,
    pub titre: String,
    pub message: String,
}
