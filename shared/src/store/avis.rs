//! Reads and writes of `avis` (reviews).

use serde::{Deserialize, Serialize};

use super::{fetch_all, Db, DbError, Statement};

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Avis {
    pub note: i64,
    pub commentaire: String,
    pub auteur: String,
    pub created_at: i64,
}

/// A professional's latest reviews, newest first.
pub async fn derniers(
    db: &dyn Db,
    professionnel_id: i64,
    limite: u32,
) -> Result<Vec<Avis>, DbError> {
    fetch_all(
        db,
        Statement::new(
            "SELECT note, commentaire, auteur, created_at FROM avis WHERE professionnel_id = ?1 \
             ORDER BY created_at DESC, id DESC LIMIT ?2",
        )
        .bind(professionnel_id)
        .bind(limite),
    )
    .await
}
