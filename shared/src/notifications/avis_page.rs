//! The review form a client reaches from the review request e-mail.

use askama::Template;

use crate::render::Site;
use crate::reservation::avis::RefusAvis;

/// What the page shows: the form, or where things stand (thanks, already reviewed…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EtatAvis {
    /// The form, with what was typed and the error next to its field.
    Formulaire {
        note: Option<u8>,
        commentaire: String,
        erreur_note: Option<String>,
        erreur_commentaire: Option<String>,
        erreur: Option<String>,
    },
    Merci,
    /// Why this booking takes no review (already given, not yet, not eligible…).
    Refuse(RefusAvis),
}

#[derive(Template)]
#[template(path = "avis.html")]
pub struct AvisPage<'a> {
    pub site: &'a Site,
    pub reservation_id: String,
    pub csrf: String,
    pub professionnel_nom: String,
    pub service_nom: String,
    /// « mardi 1er décembre 2026 à 10 h 30 »
    pub quand: String,
    pub etat: EtatAvis,
}

impl AvisPage<'_> {
    pub fn notes(&self) -> [u8; 5] {
        [5, 4, 3, 2, 1]
    }

    pub fn libelle_note(note: &u8) -> &'static str {
        match note {
            5 => "5 — Excellent",
            4 => "4 — Très bien",
            3 => "3 — Bien",
            2 => "2 — Moyen",
            _ => "1 — Décevant",
        }
    }
}
