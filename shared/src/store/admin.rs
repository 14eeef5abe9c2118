//! What the admin reads and changes: professionals per vertical, their approval, every
//! booking with its payments, the history of vertical documents.

use chrono::serde::{ts_seconds, ts_seconds_option};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::reservations::{garde_transition, vider_gardes, ErreurEcriture};
use super::{fetch_all, fetch_optional, Db, DbError, Statement};
use crate::comptes::approbation::{Decision, Justificatifs};
use crate::reservation::StatutReservation;
use crate::types::{Centimes, StatutApprobation};

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
        pub approbation: StatutApprobation,
        pub approbation_motif: Option<String>,
        #[serde(with = "ts_seconds_option")]
        pub approbation_at: Option<DateTime<Utc>>,
        pub siret: Option<String>,
        pub barreau: Option<String>,
    }
}

impl ProAdmin {
    /// What the professional provided towards approval.
    pub fn justificatifs(&self) -> Justificatifs {
        Justificatifs {
            siret: self.siret.clone(),
            barreau: self.barreau.clone(),
        }
    }
}

const COLONNES_ADMIN: &str = "p.id, p.vertical, p.slug, p.nom, p.ville, p.public, u.email, \
     (SELECT count(*) FROM services s WHERE s.professionnel_id = p.id AND s.actif = 1) AS services_actifs, \
     p.created_at, p.fuseau, p.approbation, p.approbation_motif, p.approbation_at, p.siret, p.barreau \
     FROM professionnels p LEFT JOIN users u ON u.id = p.user_id";

pub async fn professionnels(db: &dyn Db, vertical: Option<&str>) -> Result<Vec<ProAdmin>, DbError> {
    fetch_all(
        db,
        Statement::new(format!(
            "SELECT {COLONNES_ADMIN} \
             WHERE ?1 IS NULL OR p.vertical = ?1 ORDER BY p.vertical, p.public, p.nom, p.id LIMIT 2000"
        ))
        .bind(vertical.map(str::to_owned)),
    )
    .await
}

/// The approval queue: pending professionals first (oldest first), then refused,
/// suspended and approved ones; optionally of one vertical and one state.
pub async fn file_approbation(
    db: &dyn Db,
    vertical: Option<&str>,
    statut: Option<StatutApprobation>,
) -> Result<Vec<ProAdmin>, DbError> {
    use StatutApprobation::{EnAttente, Refuse, Suspendu};
    fetch_all(
        db,
        Statement::new(format!(
            "SELECT {COLONNES_ADMIN} \
             WHERE (?1 IS NULL OR p.vertical = ?1) AND (?2 IS NULL OR p.approbation = ?2) \
             ORDER BY CASE p.approbation WHEN '{EnAttente}' THEN 0 WHEN '{Refuse}' THEN 1 \
             WHEN '{Suspendu}' THEN 2 ELSE 3 END, p.created_at, p.id LIMIT 500"
        ))
        .bind(vertical.map(str::to_owned))
        .bind(statut),
    )
    .await
}

/// One professional as the admin sees it.
pub async fn professionnel(db: &dyn Db, id: i64) -> Result<Option<ProAdmin>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!("SELECT {COLONNES_ADMIN} WHERE p.id = ?1")).bind(id),
    )
    .await
}

/// The admin's decision on a professional still in state `avant`, and what rides with
/// it (the e-mail to the professional), in one batch: `Conflit` when the state changed
/// in between, and then nothing is written.
pub async fn decider(
    db: &dyn Db,
    professionnel_id: i64,
    avant: StatutApprobation,
    decision: &Decision,
    admin_id: i64,
    maintenant: DateTime<Utc>,
    ensuite: Vec<Statement>,
) -> Result<(), ErreurEcriture> {
    let mut batch = vec![
        Statement::new(
            "UPDATE professionnels SET approbation = ?3, approbation_motif = ?4, \
             approbation_par = ?5, approbation_at = ?6 WHERE id = ?1 AND approbation = ?2",
        )
        .bind(professionnel_id)
        .bind(avant)
        .bind(decision.statut())
        .bind(decision.motif().map(str::to_owned))
        .bind(admin_id)
        .bind(maintenant.timestamp()),
        garde_transition(),
    ];
    batch.extend(ensuite);
    batch.push(vider_gardes());
    db.batch(batch).await?;
    Ok(())
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
