//! The professional's agenda: their bookings over a period, and the guarded status
//! changes they make (done, no-show). Cancelling and refusing go through
//! `reservations::annuler`, which releases the slot in the same batch.

use chrono::serde::ts_seconds;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::reservations::{ErreurEcriture, Reservation};
use super::{fetch_all, Db, Statement};
use crate::reservation::StatutReservation;
use crate::types::Centimes;

crate::ligne! {
    /// A booking as the agenda lists it.
    #[derive(Debug, Clone, Serialize)]
    pub struct LigneAgenda {
        pub id: String,
        #[serde(with = "ts_seconds")]
        pub date_heure: DateTime<Utc>,
        #[serde(with = "ts_seconds")]
        pub fin: DateTime<Utc>,
        pub statut: StatutReservation,
        pub service: String,
        pub client_nom: String,
        pub client_email: String,
        pub client_telephone: String,
        pub message: String,
        pub reponses: String,
        pub prix_centimes: Centimes,
        pub motif_annulation: Option<String>,
        /// Who closed it: `professionnel`, `systeme` (the scheduled job), or nobody yet.
        pub terminee_par: Option<String>,
        /// The member it is assigned to, and its name.
        pub membre_id: i64,
        pub membre: String,
    }
}

/// The professional's bookings starting in `[de, a)`, every status, in time order; only
/// those of one of its members (as the member or the resource) with `membre`.
pub async fn reservations(
    db: &dyn Db,
    professionnel_id: i64,
    membre: Option<i64>,
    de: DateTime<Utc>,
    a: DateTime<Utc>,
) -> Result<Vec<LigneAgenda>, super::DbError> {
    fetch_all(
        db,
        Statement::new(
            "SELECT r.id, r.date_heure, r.fin, r.statut, s.nom AS service, r.client_nom, r.client_email, \
             r.client_telephone, r.message, r.reponses, r.prix_centimes, r.motif_annulation, \
             r.terminee_par, r.membre_id, m.nom AS membre \
             FROM reservations r JOIN services s ON s.id = r.service_id \
             JOIN membres m ON m.id = r.membre_id \
             WHERE r.professionnel_id = ?1 AND r.date_heure >= ?2 AND r.date_heure < ?3 \
             AND (?4 IS NULL OR r.membre_id = ?4 OR r.ressource_id = ?4) \
             ORDER BY r.date_heure, r.id LIMIT 1000",
        )
        .bind(professionnel_id)
        .bind(de.timestamp())
        .bind(a.timestamp())
        .bind(membre),
    )
    .await
}

/// Moves a booking still in its read status to `vers` (done or no-show), and drops its
/// slot claims (it no longer holds a slot), in one guarded batch.
pub async fn changer_statut(
    db: &dyn Db,
    reservation: &Reservation,
    vers: StatutReservation,
    maintenant: DateTime<Utc>,
    suite: Vec<Statement>,
) -> Result<(), ErreurEcriture> {
    let mut batch = vec![
        Statement::new(
            "UPDATE reservations SET statut = ?2, updated_at = ?3, \
             terminee_par = CASE WHEN ?2 IN ('terminee', 'absent') THEN 'professionnel' \
             ELSE terminee_par END WHERE id = ?1 AND statut = ?4",
        )
        .bind(reservation.id.as_str())
        .bind(vers)
        .bind(maintenant.timestamp())
        .bind(reservation.statut),
        Statement::new("INSERT INTO gardes (transition) VALUES (changes())"),
    ];
    if !vers.is_active() {
        batch.push(
            Statement::new("DELETE FROM occupations WHERE seance = ?1")
                .bind(reservation.id.as_str()),
        );
    }
    batch.extend(suite);
    batch.push(Statement::new("DELETE FROM gardes"));
    db.batch(batch).await?;
    Ok(())
}
