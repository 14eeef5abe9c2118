//! An e-mail as the client or the professional reads it: a view model rendered twice,
//! as HTML in the vertical's colours (inline styles: mail clients ignore style sheets)
//! and as plain text.

use askama::Template;

use crate::vertical::VerticalConfig;

/// The vertical's look and name, as e-mails show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marque {
    pub nom: String,
    pub logo: String,
    pub couleur_primaire: String,
    pub couleur_fond: String,
    pub couleur_texte: String,
    /// The vertical's site, without a trailing slash (links in the footer).
    pub base_url: String,
    /// « coach », « avocat »… as the vertical names its professionals.
    pub professionnel: String,
}

impl Marque {
    pub fn depuis(config: &VerticalConfig, base_url: &str) -> Marque {
        let theme = config.theme();
        Marque {
            nom: config.nom().to_owned(),
            logo: theme.logo_emoji().unwrap_or("").to_owned(),
            couleur_primaire: theme.couleur_primaire().as_str().to_owned(),
            couleur_fond: theme.couleur_fond().as_str().to_owned(),
            couleur_texte: theme.couleur_texte().as_str().to_owned(),
            base_url: base_url.trim_end_matches('/').to_owned(),
            professionnel: config.textes().professionnel_singulier().to_owned(),
        }
    }
}

/// A call to action: a button in HTML, a labelled URL in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lien {
    pub libelle: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Courriel {
    pub marque: Marque,
    pub sujet: String,
    pub titre: String,
    pub paragraphes: Vec<String>,
    /// Label and value lines (date, service, price…).
    pub details: Vec<(String, String)>,
    pub bouton: Option<Lien>,
    /// Small print under the button.
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "emails/courriel.html")]
struct CourrielHtml<'a> {
    c: &'a Courriel,
}

#[derive(Template)]
#[template(path = "emails/courriel.txt", escape = "none", whitespace = "preserve")]
struct CourrielTexte<'a> {
    c: &'a Courriel,
}

impl Courriel {
    pub fn html(&self) -> askama::Result<String> {
        CourrielHtml { c: self }.render()
    }

    pub fn texte(&self) -> askama::Result<String> {
        CourrielTexte { c: self }.render()
    }
}
