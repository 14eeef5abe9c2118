//! Reads and writes of `avis` (reviews) and of their moderation.
//!
//! A review is published at once (`publie`); its professional may report it once
//! (`signale`, with a reason); the admin then keeps it (`publie` again, the decision
//! recorded so that it cannot be reported again) or removes it (`retire`). The
//! professional's average and count are recomputed from the reviews not removed, in the
//! batch of every change.

use chrono::{DateTime, Utc};

use super::professionnels::Designe;
use super::{decode, fetch_all, fetch_optional, Db, DbError, Statement};
use crate::reservation::StatutReservation::Terminee;
use crate::types::StatutAvis;
use crate::types::{boite_aux_lettres, StatutPaiement};

/// The condition on a booking (alias `r`) for it to take a review in the database: done,
/// and marked so by its professional or paid (the full rule is
/// `crate::reservation::avis::eligibilite`).
fn reservation_notable() -> String {
    format!(
        "r.statut = '{Terminee}' AND (r.terminee_par = 'professionnel' OR EXISTS \
         (SELECT 1 FROM paiements pa WHERE pa.reservation_id = r.id AND pa.statut = '{}'))",
        StatutPaiement::Paye
    )
}

crate::ligne! {
    #[derive(Debug, Clone)]
    pub struct Avis {
        pub id: i64,
        pub note: i64,
        pub commentaire: String,
        pub auteur: String,
        /// When the review was given.
        pub created_at: DateTime<Utc>,
        /// When the appointment took place (the date of the experience).
        pub date_experience: DateTime<Utc>,
        pub statut: StatutAvis,
        pub motif_signalement: Option<String>,
        pub motif_moderation: Option<String>,
    }
}

const COLONNES: &str = "a.id, a.note, a.commentaire, a.auteur, a.created_at, \
     r.date_heure AS date_experience, a.statut, a.motif_signalement, a.motif_moderation";

/// The read of a professional's latest reviews shown to the public (all but removed
/// ones), newest first (for a batch).
pub fn lecture_derniers<'a>(qui: impl Into<Designe<'a>>, limite: u32) -> Statement {
    let qui = qui.into();
    Statement::new(format!(
        "SELECT {COLONNES} FROM avis a JOIN reservations r ON r.id = a.reservation_id \
         WHERE a.professionnel_id = {} AND a.statut <> 'retire' \
         ORDER BY a.created_at DESC, a.id DESC LIMIT ?2",
        qui.sql(1)
    ))
    .bind(qui.valeur())
    .bind(limite)
}

/// A professional's latest reviews shown to the public, newest first.
pub async fn derniers(
    db: &dyn Db,
    professionnel_id: i64,
    limite: u32,
) -> Result<Vec<Avis>, DbError> {
    fetch_all(db, lecture_derniers(professionnel_id, limite)).await
}

/// Every review of a professional, removed ones included (their space), newest first.
pub async fn du_professionnel(db: &dyn Db, professionnel_id: i64) -> Result<Vec<Avis>, DbError> {
    fetch_all(
        db,
        Statement::new(format!(
            "SELECT {COLONNES} FROM avis a JOIN reservations r ON r.id = a.reservation_id \
             WHERE a.professionnel_id = ?1 ORDER BY a.created_at DESC, a.id DESC LIMIT 500"
        ))
        .bind(professionnel_id),
    )
    .await
}

/// A reported review as the admin sees it.
#[derive(Debug, Clone)]
pub struct AvisSignale {
    pub avis: Avis,
    pub vertical: String,
    pub professionnel: String,
    pub fuseau: String,
    pub signale_at: DateTime<Utc>,
}

crate::ligne! {
    /// What the admin sees of a reported review beyond the review.
    struct Signalement {
        vertical: String,
        professionnel: String,
        fuseau: String,
        signale_at: DateTime<Utc>,
    }
}

/// The reviews awaiting the admin's decision, oldest report first.
pub async fn signales(db: &dyn Db) -> Result<Vec<AvisSignale>, DbError> {
    let lignes = db
        .query(Statement::new(format!(
            "SELECT {COLONNES}, p.vertical, p.nom AS professionnel, p.fuseau, a.signale_at \
             FROM avis a JOIN reservations r ON r.id = a.reservation_id \
             JOIN professionnels p ON p.id = a.professionnel_id \
             WHERE a.statut = 'signale' ORDER BY a.signale_at, a.id LIMIT 500"
        )))
        .await?;
    let avis: Vec<Avis> = decode(lignes.clone())?;
    let signalements: Vec<Signalement> = decode(lignes)?;
    Ok(avis
        .into_iter()
        .zip(signalements)
        .map(|(avis, s)| AvisSignale {
            avis,
            vertical: s.vertical,
            professionnel: s.professionnel,
            fuseau: s.fuseau,
            signale_at: s.signale_at,
        })
        .collect())
}

crate::ligne! {
    /// A review with what its moderation needs: its booking and professional.
    #[derive(Debug, Clone)]
    pub struct AvisModere {
        pub id: i64,
        pub statut: StatutAvis,
        pub professionnel_id: i64,
        pub reservation_id: String,
        pub modere_at: Option<i64>,
    }
}

pub async fn par_id(db: &dyn Db, id: i64) -> Result<Option<AvisModere>, DbError> {
    fetch_optional(
        db,
        Statement::new(
            "SELECT id, statut, professionnel_id, reservation_id, modere_at FROM avis WHERE id = ?1",
        )
        .bind(id),
    )
    .await
}

/// What the review rule needs beyond the booking's row.
#[derive(Debug, Clone)]
pub struct FaitsReservation {
    pub terminee_par: Option<String>,
    pub paye: i64,
    /// The booking's account is its professional's own, or its e-mail reaches the same
    /// mailbox as theirs (`+tag`, case, Gmail's dots: [`boite_aux_lettres`]).
    pub par_le_professionnel: i64,
    pub deja_donne: i64,
}

crate::ligne! {
    struct Faits {
        terminee_par: Option<String>,
        paye: i64,
        compte_du_professionnel: i64,
        email_client: String,
        email_professionnel: Option<String>,
        deja_donne: i64,
    }
}

pub async fn faits(db: &dyn Db, reservation_id: &str) -> Result<FaitsReservation, DbError> {
    let ligne: Option<Faits> = fetch_optional(
        db,
        Statement::new(format!(
            "SELECT r.terminee_par, \
             EXISTS (SELECT 1 FROM paiements pa WHERE pa.reservation_id = r.id AND pa.statut = '{}') AS paye, \
             (u.id IS NOT NULL AND coalesce(r.user_id = u.id, 0)) AS compte_du_professionnel, \
             r.client_email AS email_client, u.email AS email_professionnel, \
             EXISTS (SELECT 1 FROM avis a WHERE a.reservation_id = r.id) AS deja_donne \
             FROM reservations r JOIN professionnels p ON p.id = r.professionnel_id \
             LEFT JOIN users u ON u.id = p.user_id WHERE r.id = ?1",
            StatutPaiement::Paye
        ))
        .bind(reservation_id),
    )
    .await?;
    let f = ligne.ok_or_else(|| DbError::Decode("réservation introuvable".into()))?;
    let meme_boite = f
        .email_professionnel
        .as_deref()
        .is_some_and(|pro| boite_aux_lettres(pro) == boite_aux_lettres(&f.email_client));
    Ok(FaitsReservation {
        terminee_par: f.terminee_par,
        paye: f.paye,
        par_le_professionnel: i64::from(f.compte_du_professionnel != 0 || meme_boite),
        deja_donne: f.deja_donne,
    })
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

/// The professional's average and count, from their reviews not removed.
fn recalculer(professionnel_id: i64) -> Statement {
    Statement::new(
        "UPDATE professionnels SET \
         nombre_avis = (SELECT count(*) FROM avis WHERE professionnel_id = ?1 AND statut <> 'retire'), \
         note_moyenne = (SELECT round(avg(note), 2) FROM avis WHERE professionnel_id = ?1 AND statut <> 'retire') \
         WHERE id = ?1",
    )
    .bind(professionnel_id)
}

/// Records the review of a completed booking and updates the professional's average and
/// count, in one batch. The review is written only if the booking is done and was marked
/// so by its professional or paid; a second review of the same booking fails on
/// `avis.reservation_id` (UNIQUE) and changes nothing.
pub async fn enregistrer(db: &dyn Db, avis: &NouvelAvis) -> Result<(), DbError> {
    db.batch(vec![
        Statement::new(format!(
            "INSERT INTO avis (reservation_id, professionnel_id, note, commentaire, auteur, created_at) \
             SELECT ?1, ?2, ?3, ?4, ?5, ?6 FROM reservations r \
             WHERE r.id = ?1 AND r.professionnel_id = ?2 AND {}",
            reservation_notable()
        ))
        .bind(avis.reservation_id.as_str())
        .bind(avis.professionnel_id)
        .bind(u32::from(avis.note))
        .bind(avis.commentaire.as_str())
        .bind(avis.auteur.as_str())
        .bind(avis.created_at),
        Statement::new("INSERT INTO gardes (transition) VALUES (changes())"),
        recalculer(avis.professionnel_id),
        Statement::new("DELETE FROM gardes"),
    ])
    .await?;
    Ok(())
}

/// The professional reports their own published review, once: false when it is not
/// theirs, not published, or already decided on by the admin.
pub async fn signaler(
    db: &dyn Db,
    id: i64,
    professionnel_id: i64,
    motif: &str,
    maintenant: DateTime<Utc>,
) -> Result<bool, DbError> {
    let lignes = db
        .query(
            Statement::new(
                "UPDATE avis SET statut = 'signale', motif_signalement = ?3, signale_at = ?4 \
                 WHERE id = ?1 AND professionnel_id = ?2 AND statut = 'publie' \
                 AND modere_at IS NULL RETURNING id",
            )
            .bind(id)
            .bind(professionnel_id)
            .bind(motif)
            .bind(maintenant.timestamp()),
        )
        .await?;
    Ok(!lignes.is_empty())
}

/// The admin's decision on a reported review, with its reason, in one batch guarded by
/// the review still being reported: `retirer` removes it from the page and the average,
/// and `suite` (the author's e-mail) rides with it. Fails on `garde_transition` when the
/// review is not (or no longer) awaiting a decision.
pub async fn moderer(
    db: &dyn Db,
    avis: &AvisModere,
    retirer: bool,
    motif: &str,
    maintenant: DateTime<Utc>,
    suite: Vec<Statement>,
) -> Result<(), DbError> {
    let mut batch = vec![
        Statement::new(
            "UPDATE avis SET statut = ?2, motif_moderation = ?3, modere_at = ?4 \
             WHERE id = ?1 AND statut = 'signale'",
        )
        .bind(avis.id)
        .bind(if retirer {
            StatutAvis::Retire
        } else {
            StatutAvis::Publie
        })
        .bind(motif)
        .bind(maintenant.timestamp()),
        Statement::new("INSERT INTO gardes (transition) VALUES (changes())"),
        recalculer(avis.professionnel_id),
    ];
    batch.extend(suite);
    batch.push(Statement::new("DELETE FROM gardes"));
    db.batch(batch).await?;
    Ok(())
}
