//! Personal data pages: the privacy policy of each vertical, and the page that erases an
//! account's or a booking's data.

use askama::Template;

use super::{Seo, Site};
use crate::cas::donnees::{
    CONSERVATION_COURRIELS_JOURS, CONSERVATION_PAR_PASSAGE, CONSERVATION_RESERVATIONS_ANS,
};
use crate::comptes::limites::SOURCE_CONNUE_SECONDES;
use crate::vertical::{Paiement, VerticalConfig};

/// `/confidentialite`: what the vertical collects (its own form's fields included), why
/// and on which legal basis, who processes it, how long it is kept (the constants the
/// code applies), and how to exercise one's rights.
#[derive(Template)]
#[template(path = "confidentialite.html", whitespace = "minimize")]
pub struct ConfidentialitePage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    /// The labels of the vertical's extra booking-form fields.
    pub champs: Vec<String>,
    /// Whether the vertical takes payments online (Stripe is then a processor).
    pub paiement_en_ligne: bool,
    /// The mail provider as named from the configuration, or a description of it.
    pub prestataire_courriel: String,
    pub conservation_reservations_ans: i64,
    pub conservation_courriels_jours: i64,
    pub conservation_sources_jours: i64,
    pub par_passage: i64,
}

impl<'a> ConfidentialitePage<'a> {
    pub fn new(site: &'a Site, seo: Seo, vertical: &VerticalConfig, mail_api_base: &str) -> Self {
        ConfidentialitePage {
            site,
            seo,
            champs: vertical
                .champs()
                .iter()
                .map(|c| c.libelle().to_owned())
                .collect(),
            paiement_en_ligne: vertical.regles().paiement() != Paiement::Aucun,
            prestataire_courriel: prestataire_courriel(mail_api_base),
            conservation_reservations_ans: CONSERVATION_RESERVATIONS_ANS,
            conservation_courriels_jours: CONSERVATION_COURRIELS_JOURS,
            conservation_sources_jours: SOURCE_CONNUE_SECONDES / 86_400,
            par_passage: CONSERVATION_PAR_PASSAGE,
        }
    }
}

/// The mail provider, named from the mail API the deployment is configured with
/// (`MAIL_API_BASE`).
pub fn prestataire_courriel(mail_api_base: &str) -> String {
    let hote = mail_api_base
        .split("://")
        .nth(1)
        .unwrap_or(mail_api_base)
        .split(['/', ':'])
        .next()
        .unwrap_or("");
    if hote == "resend.com" || hote.ends_with(".resend.com") {
        "Resend (Resend, Inc., États-Unis)".to_owned()
    } else {
        "notre prestataire d'envoi d'e-mails".to_owned()
    }
}

/// The page that erases data: an account (`mot_de_passe`: the form asks for it) or one
/// booking; once done (`fait`), what happened instead of the form.
#[derive(Template)]
#[template(path = "effacement.html", whitespace = "minimize")]
pub struct EffacementPage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub titre: String,
    /// What will be erased and kept, in a sentence.
    pub explication: String,
    pub action: String,
    /// Where the export of the same data is downloaded.
    pub export: String,
    /// Where to go back without erasing.
    pub retour: String,
    pub csrf: String,
    pub mot_de_passe: bool,
    pub erreur: Option<String>,
    /// Done: the messages saying what happened (no form then).
    pub fait: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mail_provider_is_named_from_its_api_or_described() {
        assert_eq!(
            prestataire_courriel("https://api.resend.com"),
            "Resend (Resend, Inc., États-Unis)"
        );
        assert_eq!(
            prestataire_courriel("http://localhost:8025"),
            "notre prestataire d'envoi d'e-mails"
        );
        assert_eq!(
            prestataire_courriel("https://evil-resend.com.example"),
            "notre prestataire d'envoi d'e-mails"
        );
    }
}
