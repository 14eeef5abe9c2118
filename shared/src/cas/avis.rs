//! Reviews: one per booking that took place, given by its client (the manage link's
//! secret proves them, see `cas::reservations::charger_si`) within the vertical's limit,
//! shown on the professional's profile by first name and initial with its date and the
//! appointment's; reported by the professional, kept or removed by the admin.

use crate::cas::notifications;
use crate::cas::reservations::Dossier;
use crate::cas::Ports;
use crate::reservation::avis::{eligibilite, Cloture, FaitsAvis, RefusAvis};
use crate::store::avis::{self, NouvelAvis};
use crate::store::reservations::{self, Reservation};
use crate::store::{professionnels, DbError};
use crate::types::Identifiant;
use crate::types::StatutAvis;
use crate::vertical::VerticalConfig;

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
        .map(|c| format!(" {}.", crate::casse::majuscule(c)))
        .unwrap_or_default();
    let auteur: String = format!("{prenom}{initiale}").chars().take(120).collect();
    auteur
}

/// Why the booking takes no review now (or ever), or `None` when its form is open: the
/// vertical's document, the booking's facts and the rule of
/// [`crate::reservation::avis::eligibilite`].
pub async fn refus(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    reservation: &Reservation,
) -> Result<Option<RefusAvis>, DbError> {
    let regles = vertical.avis();
    if !regles.actifs {
        return Ok(Some(RefusAvis::Desactives));
    }
    let f = avis::faits(ports.db, reservation.id.as_str()).await?;
    let faits = FaitsAvis {
        statut: reservation.statut,
        fin: reservation.fin(),
        cloture: Cloture::parse(f.terminee_par.as_deref()),
        paye: f.paye != 0,
        par_le_professionnel: f.par_le_professionnel != 0,
        deja_donne: f.deja_donne != 0,
    };
    Ok(eligibilite(&faits, ports.clock.now(), regles.delai_jours).err())
}

/// Records the client's review (the caller checked [`refus`]); when another submission
/// or a change of the booking came first, the refusal (the database decides, in one
/// batch).
pub async fn donner(
    ports: &Ports<'_>,
    dossier: &Dossier,
    note: u8,
    commentaire: &str,
) -> Result<Result<(), RefusAvis>, DbError> {
    let nouvel = NouvelAvis {
        reservation_id: dossier.reservation.id.to_string(),
        professionnel_id: dossier.professionnel.id,
        note,
        commentaire: commentaire.to_owned(),
        auteur: auteur_public(&dossier.reservation.client_nom),
        created_at: ports.clock.now().timestamp(),
    };
    match avis::enregistrer(ports.db, &nouvel).await {
        Ok(()) => Ok(Ok(())),
        // Two submissions at once: the first one counts.
        Err(e) if e.is_constraint_on("avis.reservation_id") => Ok(Err(RefusAvis::DejaDonne)),
        Err(e) if e.is_constraint_on("garde_transition") => Ok(Err(RefusAvis::NonConfirme)),
        Err(e) => Err(e),
    }
}

/// Why a report or a moderation did nothing (mapped to a status and a code in
/// `functions::erreurs`).
#[derive(Debug, thiserror::Error)]
pub enum ErreurAvis {
    /// No such review, or not the professional's own.
    #[error("avis introuvable")]
    Introuvable,
    /// The reason is missing or too long: the message, in French.
    #[error("motif invalide : {0}")]
    Motif(&'static str),
    /// Already reported, removed, or kept by the admin.
    #[error("avis déjà signalé ou modéré")]
    DejaSignale,
    /// Not awaiting a decision (never reported, or already decided).
    #[error("avis sans signalement en attente")]
    PasSignale,
    #[error("décision inconnue")]
    DecisionInconnue,
    #[error("erreur interne : {0}")]
    Interne(String),
}

impl From<DbError> for ErreurAvis {
    fn from(e: DbError) -> Self {
        ErreurAvis::Interne(e.to_string())
    }
}

/// The longest reason of a report or a decision (the columns' CHECK).
pub const MOTIF_MAX: usize = 500;

fn motif(brut: &str) -> Result<String, ErreurAvis> {
    let m = brut.trim();
    if m.is_empty() {
        return Err(ErreurAvis::Motif("Indiquez le motif."));
    }
    if m.chars().count() > MOTIF_MAX {
        return Err(ErreurAvis::Motif(
            "Le motif ne doit pas dépasser 500 caractères.",
        ));
    }
    Ok(m.to_owned())
}

fn identifiant(texte: &str) -> Result<i64, ErreurAvis> {
    Identifiant::parse(texte.trim())
        .map(Identifiant::get)
        .ok_or(ErreurAvis::Introuvable)
}

/// The professional's own review of this id (`Introuvable` for another's, whatever else
/// was sent).
pub async fn du_professionnel(
    ports: &Ports<'_>,
    professionnel_id: i64,
    id: &str,
) -> Result<avis::AvisModere, ErreurAvis> {
    avis::par_id(ports.db, identifiant(id)?)
        .await?
        .filter(|a| a.professionnel_id == professionnel_id)
        .ok_or(ErreurAvis::Introuvable)
}

/// A professional reports one of their own published reviews, with a reason, for the
/// admin to decide on. Another professional's review is `Introuvable`; a review already
/// reported, removed or kept after a report is `DejaSignale`.
pub async fn signaler(
    ports: &Ports<'_>,
    professionnel_id: i64,
    id: &str,
    texte: &str,
) -> Result<(), ErreurAvis> {
    let avis = du_professionnel(ports, professionnel_id, id).await?;
    let motif = motif(texte)?;
    if avis::signaler(
        ports.db,
        avis.id,
        professionnel_id,
        &motif,
        ports.clock.now(),
    )
    .await?
    {
        Ok(())
    } else {
        Err(ErreurAvis::DejaSignale)
    }
}

/// The admin's decision on a reported review (`maintenir` or `retirer`), with a reason.
/// A removed review leaves the profile and the average, and its author is told why by
/// e-mail (outbox, in the same batch). Returns whether it was removed.
pub async fn moderer(
    ports: &Ports<'_>,
    id: &str,
    decision: &str,
    texte: &str,
) -> Result<bool, ErreurAvis> {
    let retirer = match decision {
        "retirer" => true,
        "maintenir" => false,
        _ => return Err(ErreurAvis::DecisionInconnue),
    };
    let id = identifiant(id)?;
    let motif = motif(texte)?;
    let avis = avis::par_id(ports.db, id)
        .await?
        .ok_or(ErreurAvis::Introuvable)?;
    if avis.statut != StatutAvis::Signale {
        return Err(ErreurAvis::PasSignale);
    }
    let suite = if retirer {
        let reservation = reservations::par_id(ports.db, &avis.reservation_id)
            .await?
            .ok_or_else(|| ErreurAvis::Interne("réservation de l'avis introuvable".into()))?;
        let vertical = professionnels::par_id(ports.db, avis.professionnel_id)
            .await?
            .map(|p| p.vertical)
            .unwrap_or_default();
        vec![notifications::avis_retire(
            ports,
            &vertical,
            &reservation,
            &motif,
        )]
    } else {
        Vec::new()
    };
    match avis::moderer(ports.db, &avis, retirer, &motif, ports.clock.now(), suite).await {
        Ok(()) => Ok(retirer),
        Err(e) if e.is_constraint_on("garde_transition") => Err(ErreurAvis::PasSignale),
        Err(e) => Err(e.into()),
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
