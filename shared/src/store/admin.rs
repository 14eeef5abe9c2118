//! What the admin reads and changes: professionals per vertical, publication, every
//! booking with its payments, the history of vertical documents.

use chrono::serde::ts_seconds;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{fetch_all, Db, DbError, Statement};
use crate::reservation::StatutReservation;
use crate::types::Centimes;

crate::ligne! {
    #[derive(Debug, Clone, Serialize)]
    pub struct ProAdmin {
        pub id: i64,
        pub vertical: String,
        pub slug: String,
        pub nom: String,
        pub ville: String,
        pub public: i64,
        pub email: Option<String>,
        pub services_actifs: i64,
        #[serde(with = "ts_seconds")]
        pub created_at: DateTime<Utc>,
        /// The professional's time zone, in which the API shows instants.
        pub fuseau: String,
    }
}

pub async fn professionnels(db: &dyn Db, vertical: Option<&str>) -> Result<Vec<ProAdmin>, DbError> {
    fetch_all(
        db,
        Statement::new(
            "SELECT p.id, p.vertical, p.slug, p.nom, p.ville, p.public, u.email, \
             (SELECT count(*) FROM services s WHERE s.professionnel_id = p.id AND s.actif = 1) AS services_actifs, \
             p.created_at, p.fuseau FROM professionnels p LEFT JOIN users u ON u.id = p.user_id \
             WHERE ?1 IS NULL OR p.vertical = ?1 ORDER BY p.vertical, p.public, p.nom, p.id LIMIT 2000",
        )
        .bind(vertical.map(str::to_owned)),
    )
    .await
}

/// Publishes or unpublishes; `false` when there is no such professional.
pub async fn publier(db: &dyn Db, professionnel_id: i64, public: bool) -> Result<bool, DbError> {
    let rows = db
        .query(
            Statement::new("UPDATE professionnels SET public = ?2 WHERE id = ?1 RETURNING id")
                .bind(professionnel_id)
                .bind(public),
        )
        .await?;
    Ok(!rows.is_empty())
}

crate::ligne! {
    #[derive(Debug, Clone, Serialize)]
    pub struct ReservationAdmin {
        pub id: String,
        pub vertical: String,
        pub professionnel: String,
        pub service: String,
        #[serde(with = "ts_seconds")]
        pub date_heure: DateTime<Utc>,
        pub statut: StatutReservation,
        pub client_nom: String,
        pub client_email: String,
        pub prix_centimes: Centimes,
        pub a_payer_centimes: Centimes,
        /// "statut:montant" of each payment, comma-separated.
        pub paiements: Option<String>,
        /// The professional's time zone, in which the API shows instants.
        pub fuseau: String,
    }
}

/// The latest bookings (optionally of one vertical) with their payments.
pub async fn reservations(
    db: &dyn Db,
    vertical: Option<&str>,
    limite: i64,
) -> Result<Vec<ReservationAdmin>, DbError> {
    fetch_all(
        db,
        Statement::new(
            "SELECT r.id, p.vertical, p.nom AS professionnel, s.nom AS service, r.date_heure, r.statut, \
             r.client_nom, r.client_email, r.prix_centimes, r.a_payer_centimes, \
             (SELECT group_concat(pa.type || ':' || pa.statut || ':' || pa.montant, ', ') FROM paiements pa \
              WHERE pa.reservation_id = r.id) AS paiements, p.fuseau \
             FROM reservations r JOIN professionnels p ON p.id = r.professionnel_id \
             JOIN services s ON s.id = r.service_id \
             WHERE ?1 IS NULL OR p.vertical = ?1 ORDER BY r.date_heure DESC, r.id LIMIT ?2",
        )
        .bind(vertical.map(str::to_owned))
        .bind(limite),
    )
    .await
}

/// Keeps a validated vertical document in the history.
pub async fn historiser_configuration(
    db: &dyn Db,
    vertical: &str,
    document: &str,
    user_id: i64,
    maintenant: i64,
) -> Result<(), DbError> {
    db.query(
        Statement::new(
            "INSERT INTO configurations_verticales (vertical, document, user_id, created_at) VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(vertical)
        .bind(document)
        .bind(user_id)
        .bind(maintenant),
    )
    .await?;
    Ok(())
}
