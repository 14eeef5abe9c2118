//! Reads and writes of `avis` (reviews).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{fetch_all, Db, DbError, Statement};

crate::ligne! {
    #[derive(Debug, Clone, Serialize)]
    pub struct Avis {
        pub note: i64,
        pub commentaire: String,
        pub auteur: String,
        #[serde(with = "chrono::serde::ts_seconds")]
        pub created_at: DateTime<Utc>,
    }
}

/// The read of a professional's latest reviews, newest first (for a batch).
pub fn lecture_derniers(professionnel_id: i64, limite: u32) -> Statement {
    Statement::new(
        "SELECT note, commentaire, auteur, created_at FROM avis WHERE professionnel_id = ?1 \
         ORDER BY created_at DESC, id DESC LIMIT ?2",
    )
    .bind(professionnel_id)
    .bind(limite)
}

/// A professional's latest reviews, newest first.
pub async fn derniers(
    db: &dyn Db,
    professionnel_id: i64,
    limite: u32,
) -> Result<Vec<Avis>, DbError> {
    fetch_all(db, lecture_derniers(professionnel_id, limite)).await
}

crate::ligne! {
    #[derive(Debug)]
    struct Compte {
        n: i64,
    }
}

/// Whether the booking already has its review.
pub async fn existe(db: &dyn Db, reservation_id: &str) -> Result<bool, DbError> {
    let rows: Vec<Compte> = fetch_all(
        db,
        Statement::new("SELECT count(*) AS n FROM avis WHERE reservation_id = ?1")
            .bind(reservation_id),
    )
    .await?;
    Ok(rows.first().is_some_and(|c| c.n > 0))
}

/// A review to record (validated: note 1–5, comment at most 2000 characters).
#[derive(Debug, Clone)]
pub struct NouvelAvis {
    pub reservation_id: String,
    pub professionnel_id: i64,
    pub note: u8,
    pub commentaire: String,
    pub auteur: String,
    pub created_at: i64,
}

/// Records the review of a completed booking and updates the professional's average and
/// count, in one batch. The review is written only if the booking is `terminee`; a second
/// review of the same booking fails on `avis.reservation_id` (UNIQUE) and changes nothing.
pub async fn enregistrer(db: &dyn Db, avis: &NouvelAvis) -> Result<(), DbError> {
    db.batch(vec![
        Statement::new(format!(
            "INSERT INTO avis (reservation_id, professionnel_id, note, commentaire, auteur, created_at) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6 FROM reservations \
             WHERE id = ?1 AND professionnel_id = ?2 AND statut = '{}'",
            crate::reservation::StatutReservation::Terminee
        ))
        .bind(avis.reservation_id.as_str())
        .bind(avis.professionnel_id)
        .bind(u32::from(avis.note))
        .bind(avis.commentaire.as_str())
        .bind(avis.auteur.as_str())
        .bind(avis.created_at),
        Statement::new("INSERT INTO gardes (transition) VALUES (changes())"),
        Statement::new(
            "UPDATE professionnels SET \
             nombre_avis = (SELECT count(*) FROM avis WHERE professionnel_id = ?1), \
             note_moyenne = (SELECT round(avg(note), 2) FROM avis WHERE professionnel_id = ?1) \
             WHERE id = ?1",
        )
        .bind(avis.professionnel_id),
        Statement::new("DELETE FROM gardes"),
    ])
    .await?;
    Ok(())
}
