//! The admin's approval of professionals, shared by the page and the API: the queue
//! (with what each vertical requires and what each professional provided) and the
//! decision (approve, refuse or suspend, e-mailed to the professional).

use std::rc::Rc;

use crate::cas::{notifications, prochaine_dispo, Ports};
use crate::comptes::approbation::{Decision, Exigence};
use crate::comptes::saisies_pro::Champs;
use crate::store::admin::{self, ProAdmin};
use crate::store::reservations::ErreurEcriture;
use crate::store::DbError;
use crate::types::{Identifiant, StatutApprobation};
use crate::vertical::{ErreurChamp, VerticalConfig};

/// Why a decision did nothing (mapped to a status and a code in `functions::erreurs`).
#[derive(Debug, thiserror::Error)]
pub enum ErreurApprobation {
    #[error("introuvable")]
    Introuvable,
    #[error("champs invalides")]
    Champs(Vec<ErreurChamp>),
    /// What the vertical requires is missing or invalid: each, in French.
    #[error("exigences non remplies : {}", .0.join(" "))]
    Exigences(Vec<String>),
    /// The decision does not apply from the current state: why, in French.
    #[error("{0}")]
    Impossible(&'static str),
    #[error("modifié entre-temps")]
    Conflit,
    #[error("erreur interne : {0}")]
    Interne(String),
}

impl From<DbError> for ErreurApprobation {
    fn from(e: DbError) -> Self {
        ErreurApprobation::Interne(e.to_string())
    }
}

impl From<ErreurEcriture> for ErreurApprobation {
    fn from(e: ErreurEcriture) -> Self {
        match e {
            ErreurEcriture::Conflit => ErreurApprobation::Conflit,
            autre => ErreurApprobation::Interne(autre.to_string()),
        }
    }
}

/// A professional in the queue, with their vertical's requirements and which are not met.
#[derive(Debug, Clone)]
pub struct Dossier {
    pub pro: ProAdmin,
    pub exigences: Vec<Exigence>,
    pub manquants: Vec<String>,
}

fn vertical_de<'v>(
    verticals: &'v [Rc<VerticalConfig>],
    slug: &str,
) -> Result<&'v VerticalConfig, ErreurApprobation> {
    verticals
        .iter()
        .find(|v| v.slug() == slug)
        .map(AsRef::as_ref)
        .ok_or_else(|| ErreurApprobation::Interne(format!("vertical {slug} introuvable")))
}

fn dossier(verticals: &[Rc<VerticalConfig>], pro: ProAdmin) -> Dossier {
    let exigences = verticals
        .iter()
        .find(|v| v.slug() == pro.vertical)
        .map(|v| v.exigences_approbation().to_vec())
        .unwrap_or_default();
    let manquants = pro.justificatifs().manquants(&exigences);
    Dossier {
        pro,
        exigences,
        manquants,
    }
}

/// The queue: pending professionals first, optionally of one vertical and one state.
pub async fn file(
    ports: &Ports<'_>,
    verticals: &[Rc<VerticalConfig>],
    vertical: Option<&str>,
    statut: Option<StatutApprobation>,
) -> Result<Vec<Dossier>, ErreurApprobation> {
    Ok(admin::file_approbation(ports.db, vertical, statut)
        .await?
        .into_iter()
        .map(|p| dossier(verticals, p))
        .collect())
}

/// The admin `admin_id` decides on professional `id` (`statut`, and `motif` for a
/// refusal or a suspension): approval needs every requirement of the vertical met; the
/// professional is e-mailed in the same batch. Returns the professional as now stored.
pub async fn decider(
    ports: &Ports<'_>,
    verticals: &[Rc<VerticalConfig>],
    id: &str,
    champs: &Champs,
    admin_id: i64,
) -> Result<Dossier, ErreurApprobation> {
    let id = Identifiant::parse(id).ok_or(ErreurApprobation::Introuvable)?;
    let pro = admin::professionnel(ports.db, id.get())
        .await?
        .ok_or(ErreurApprobation::Introuvable)?;
    let decision = Decision::valider(champs).map_err(ErreurApprobation::Champs)?;
    decision
        .depuis(pro.approbation)
        .map_err(ErreurApprobation::Impossible)?;
    let vertical = vertical_de(verticals, &pro.vertical)?;
    if decision == Decision::Approuver {
        let manquants = pro
            .justificatifs()
            .manquants(vertical.exigences_approbation());
        if !manquants.is_empty() {
            return Err(ErreurApprobation::Exigences(manquants));
        }
    }
    let courriel = notifications::decision_approbation(
        ports,
        vertical,
        pro.id,
        decision.statut(),
        decision.motif(),
    );
    admin::decider(
        ports.db,
        pro.id,
        pro.approbation,
        &decision,
        admin_id,
        ports.clock.now(),
        vec![courriel],
    )
    .await?;
    if decision == Decision::Approuver {
        // Listed again: those waiting in their line may be offered slots.
        crate::cas::liste_attente::planning_change_de(ports, pro.id).await;
    }
    prochaine_dispo::apres_ecriture(ports, vertical, pro.id).await;
    let pro = admin::professionnel(ports.db, pro.id)
        .await?
        .ok_or(ErreurApprobation::Introuvable)?;
    Ok(dossier(verticals, pro))
}
