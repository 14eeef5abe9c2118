//! The waitlist's pages, one template: the form to join a line; the entry's link
//! (confirm it, leave the list) and the offer's link (take the slot held for the client,
//! decline it, leave the list). Opening a link changes nothing (mail scanners open
//! links): its buttons POST the choice.

use askama::Template;

use super::{ChampVue, Seo, Site};

/// One button of the page's form: the `action` it posts, and its label.
#[derive(Debug, Clone)]
pub struct BoutonVue {
    pub action: &'static str,
    pub libelle: &'static str,
    /// The main action (the others look secondary).
    pub principal: bool,
}

#[derive(Template)]
#[template(path = "liste_attente.html", whitespace = "minimize")]
pub struct ListeAttentePage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub titre: String,
    pub paragraphes: Vec<String>,
    /// What it is about, as label and value.
    pub recap: Vec<(String, String)>,
    pub action: String,
    pub csrf: String,
    pub boutons: Vec<BoutonVue>,
    /// The fields the buttons' form asks (the booking form's, to take an offer).
    pub champs: Vec<ChampVue>,
    /// The form to join the line, on its page.
    pub formulaire: Option<FormulaireVue>,
    pub erreur: Option<String>,
}

/// The form to join a professional's line, with the values entered.
#[derive(Debug, Clone, Default)]
pub struct FormulaireVue {
    /// The professional's services: id, name, whether chosen.
    pub services: Vec<(i64, String, bool)>,
    pub du: String,
    pub au: String,
    pub nom: String,
    pub email: String,
}
