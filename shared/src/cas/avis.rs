//! Reviews: one per completed booking, given by its client (the manage link's secret
//! proves them, see `cas::reservations::charger_si`), shown on the professional's
//! profile by first name and initial.

use crate::cas::reservations::Dossier;
use crate::cas::Ports;
use crate::notifications::EtatAvis;
use crate::reservation::StatutReservation;
use crate::store::avis::{self, NouvelAvis};
use crate::store::DbError;

/// The longest comment kept (the column's CHECK).
pub const COMMENTAIRE_MAX: usize = 2000;

/// The review form's fields, read: the note when it is one from 1 to 5, the comment
/// trimmed (line ends as `\n`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saisie {
    pub note: Option<u8>,
    pub commentaire: String,
}

/// What is wrong with a [`Saisie`], next to each field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErreursSaisie {
    pub note: Option<String>,
    pub commentaire: Option<String>,
}

impl Saisie {
    pub fn lire(note: &str, commentaire: &str) -> Saisie {
        Saisie {
            note: note
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|n| (1..=5).contains(n)),
            commentaire: commentaire.trim().replace("\r\n", "\n"),
        }
    }

    /// The note, when both fields are right.
    pub fn verifier(&self) -> Result<u8, ErreursSaisie> {
        let erreurs = ErreursSaisie {
            note: self
                .note
                .is_none()
                .then(|| "Choisissez une note de 1 à 5.".to_owned()),
            commentaire: (self.commentaire.chars().count() > COMMENTAIRE_MAX).then(|| {
                format!(
                    "Votre commentaire dépasse {COMMENTAIRE_MAX} caractères : raccourcissez-le."
                )
            }),
        };
        match self.note {
            Some(note) if erreurs.commentaire.is_none() => Ok(note),
            _ => Err(erreurs),
        }
    }
}

/// How the author is shown on the public profile: first name and initial (« Renée D. »).
pub fn auteur_public(nom: &str) -> String {
    let mut mots = nom.split_whitespace();
    let prenom = mots.next().unwrap_or("Client");
    let initiale = mots
        .last()
        .and_then(|m| m.chars().next())
        .map(|c| format!(" {}.", c.to_uppercase()))
        .unwrap_or_default();
    let auteur: String = format!("{prenom}{initiale}").chars().take(120).collect();
    auteur
}

/// Why the booking takes no review now (`DejaDonne`, `PasEncore`), or `None` when its
/// form is open.
pub async fn refus(ports: &Ports<'_>, dossier: &Dossier) -> Result<Option<EtatAvis>, DbError> {
    if avis::existe(ports.db, dossier.reservation.id.as_str()).await? {
        return Ok(Some(EtatAvis::DejaDonne));
    }
    Ok(match dossier.reservation.statut {
        StatutReservation::Terminee => None,
        _ => Some(EtatAvis::PasEncore),
    })
}

/// Records the client's review: `Merci`, or, when another submission or a change of the
/// booking came first, `DejaDonne` or `PasEncore` (the database decides, in one batch).
pub async fn donner(
    ports: &Ports<'_>,
    dossier: &Dossier,
    note: u8,
    commentaire: &str,
) -> Result<EtatAvis, DbError> {
    let nouvel = NouvelAvis {
        reservation_id: dossier.reservation.id.to_string(),
        professionnel_id: dossier.professionnel.id,
        note,
        commentaire: commentaire.to_owned(),
        auteur: auteur_public(&dossier.reservation.client_nom),
        created_at: ports.clock.now().timestamp(),
    };
    match avis::enregistrer(ports.db, &nouvel).await {
        Ok(()) => Ok(EtatAvis::Merci),
        // Two submissions at once: the first one counts.
        Err(e) if e.is_constraint_on("avis.reservation_id") => Ok(EtatAvis::DejaDonne),
        Err(e) if e.is_constraint_on("garde_transition") => Ok(EtatAvis::PasEncore),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_author_is_shown_by_first_name_and_initial() {
        assert_eq!(auteur_public("Renée Dupont"), "Renée D.");
        assert_eq!(auteur_public("jean-paul de la tour"), "jean-paul T.");
        assert_eq!(auteur_public("Cher"), "Cher");
        assert_eq!(auteur_public("  "), "Client");
    }
}
