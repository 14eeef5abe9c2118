//! The waitlist's pages: the entry's link (confirm it, leave the list) and the offer's
//! link (take the slot held for the client, decline it, leave the list). Opening either
//! changes nothing (mail scanners open links): their buttons POST the choice.

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
    pub erreur: Option<String>,
}

/// `/professionnels/{slug}/liste-attente`: the form to join the professional's line.
#[derive(Template)]
#[template(path = "liste_attente_inscription.html", whitespace = "minimize")]
pub struct InscriptionListeAttentePage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub pro_nom: String,
    /// How long an offer holds its slot (« 30 min »).
    pub duree_offre: String,
    pub champs: Vec<ChampVue>,
    pub action: String,
    pub csrf: String,
    pub erreur: Option<String>,
}
