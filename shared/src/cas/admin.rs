//! The admin's use cases, shared by the pages and the API: reading and replacing a
//! vertical's document (approving professionals is [`super::approbation`]).

use crate::cas::Ports;
use crate::ports::vertical_key;
use crate::store::{admin, prochaine_dispo, DbError};
use crate::vertical::VerticalConfig;

/// Why an admin operation did nothing (mapped to a status and a code in
/// `functions::erreurs`).
#[derive(Debug, thiserror::Error)]
pub enum ErreurAdmin {
    #[error("introuvable")]
    Introuvable,
    /// The submitted vertical document is invalid: the reason, for the admin.
    #[error("document refusé : {0}")]
    DocumentInvalide(String),
    #[error("erreur interne : {0}")]
    Interne(String),
}

impl From<DbError> for ErreurAdmin {
    fn from(e: DbError) -> Self {
        ErreurAdmin::Interne(e.to_string())
    }
}

/// The stored document of a vertical, as text.
pub async fn document(ports: &Ports<'_>, slug: &str) -> Result<String, ErreurAdmin> {
    let cle = vertical_key(slug);
    ports
        .config
        .vertical_documents()
        .await
        .map_err(ErreurAdmin::Interne)?
        .into_iter()
        .find(|(k, _)| *k == cle)
        .map(|(_, v)| v)
        .ok_or(ErreurAdmin::Introuvable)
}

/// Validates a submitted document for the vertical `slug`: the same checks as at load
/// time, and its slug must be this one. A valid document is kept in the history and
/// written to the store (the caller drops its cached copies).
pub async fn modifier_vertical(
    ports: &Ports<'_>,
    slug: &str,
    texte: &str,
    admin_id: i64,
) -> Result<VerticalConfig, ErreurAdmin> {
    document(ports, slug).await?;
    if texte.len() > 200_000 {
        return Err(ErreurAdmin::DocumentInvalide(
            "le document dépasse 200 000 caractères".into(),
        ));
    }
    let config =
        VerticalConfig::parse(texte).map_err(|e| ErreurAdmin::DocumentInvalide(e.to_string()))?;
    if config.slug() != slug {
        return Err(ErreurAdmin::DocumentInvalide(format!(
            "slug : « {} » au lieu de « {slug} » (un document ne change pas de métier)",
            config.slug()
        )));
    }
    admin::historiser_configuration(
        ports.db,
        slug,
        texte,
        admin_id,
        ports.clock.now().timestamp(),
    )
    .await?;
    // KV is the source of truth for the sites; the history row above keeps every version.
    ports
        .config
        .ecrire_vertical(slug, texte)
        .await
        .map_err(|e| ErreurAdmin::Interne(format!("écriture KV : {e}")))?;
    // Its rules (step, notice, buffers…) may move every next free slot of the vertical:
    // recomputed by the scheduled job once the caches (and KV) serve the new document.
    let caches = ports.clock.now() + chrono::TimeDelta::minutes(2);
    ports
        .db
        .query(prochaine_dispo::marquer_vertical(slug, caches))
        .await?;
    Ok(config)
}
