//! The admin's operations, shared by the pages and the API.

use booking_shared::ports::vertical_key;
use booking_shared::store::{admin, DbError};
use booking_shared::types::Identifiant;
use booking_shared::vertical::VerticalConfig;

use crate::app::Ctx;
use crate::problem::Problem;

#[derive(Debug)]
pub enum ErreurAdmin {
    Introuvable,
    /// The submitted vertical document is invalid: the reason, for the admin.
    DocumentInvalide(String),
    Interne(String),
}

impl From<DbError> for ErreurAdmin {
    fn from(e: DbError) -> Self {
        ErreurAdmin::Interne(e.to_string())
    }
}

impl ErreurAdmin {
    pub fn problem(&self) -> Problem {
        match self {
            ErreurAdmin::Introuvable => Problem::not_found(),
            ErreurAdmin::DocumentInvalide(raison) => Problem::new(
                422,
                "configuration_invalide",
                format!("Document refusé : {raison}"),
            )
            .on_field("document"),
            ErreurAdmin::Interne(d) => Problem::internal(d),
        }
    }
}

/// The slugs of every vertical, valid or not, as stored.
pub async fn slugs(ctx: &Ctx<'_>) -> Vec<String> {
    let mut s: Vec<String> = ctx
        .verticals
        .all(ctx.config, ctx.clock.now())
        .await
        .iter()
        .map(|v| v.slug().to_owned())
        .collect();
    s.sort();
    s
}

pub async fn publier(ctx: &Ctx<'_>, id: &str, public: bool) -> Result<(), ErreurAdmin> {
    let id = Identifiant::parse(id).ok_or(ErreurAdmin::Introuvable)?;
    if admin::publier(ctx.db, id.get(), public).await? {
        Ok(())
    } else {
        Err(ErreurAdmin::Introuvable)
    }
}

/// The stored document of a vertical, as text.
pub async fn document(ctx: &Ctx<'_>, slug: &str) -> Result<String, ErreurAdmin> {
    let cle = vertical_key(slug);
    ctx.config
        .vertical_documents()
        .await
        .map_err(ErreurAdmin::Interne)?
        .into_iter()
        .find(|(k, _)| *k == cle)
        .map(|(_, v)| v)
        .ok_or(ErreurAdmin::Introuvable)
}

/// Validates a submitted document for the vertical `slug`: the same checks as at load
/// time, and its slug must be this one. A valid document is kept in the history.
pub async fn modifier_vertical(
    ctx: &Ctx<'_>,
    slug: &str,
    texte: &str,
    admin_id: i64,
) -> Result<VerticalConfig, ErreurAdmin> {
    document(ctx, slug).await?;
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
    admin::historiser_configuration(ctx.db, slug, texte, admin_id, ctx.clock.now().timestamp())
        .await?;
    // KV is the source of truth for the sites; the history row above keeps every version.
    ctx.config
        .ecrire_vertical(slug, texte)
        .await
        .map_err(|e| ErreurAdmin::Interne(format!("écriture KV : {e}")))?;
    ctx.verticals.invalidate();
    Ok(config)
}
