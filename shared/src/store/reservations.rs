//! Writes and reads of `reservations` and of their slot claims (`occupations`).
//!
//! A booking owns every 5-minute granule of its occupied interval (buffers included) in
//! `occupations`, whose primary key refuses a second owner: creating, moving and
//! releasing a booking are single batches, so no two active bookings of one
//! professional can ever overlap, whatever the concurrency. A batch that changes a
//! booking's state is guarded (`gardes`): it applies only if the booking was still in
//! the state the decision was made on.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{fetch_optional, Db, DbError, Statement};
use crate::disponibilites::Occupation;

/// Seconds in one claimed granule (5 minutes).
const GRANULE: i64 = 300;

/// The statuses of a hold: the slot is kept until `expire_at`, for the client to pay or
/// to confirm from the e-mail.
pub const STATUTS_RETENUE: &str = "('en_attente_paiement', 'en_attente_confirmation')";
/// The statuses that own slot claims (a hold past its end still does until it is marked
/// `expiree`).
pub const STATUTS_ACTIFS: &str = "('en_attente_paiement', 'en_attente_confirmation', 'confirmee')";

/// Active means holding its slot: confirmed, or a hold within its time.
const ACTIVE: &str = "(statut = 'confirmee' OR (statut IN ('en_attente_paiement', \
     'en_attente_confirmation') AND expire_at > ?now))";

fn active_at(alias: &str) -> String {
    let prefix = if alias.is_empty() {
        String::new()
    } else {
        format!("{alias}.")
    };
    ACTIVE
        .replace("statut", &format!("{prefix}statut"))
        .replace("expire_at", &format!("{prefix}expire_at"))
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Reservation {
    pub id: String,
    pub professionnel_id: i64,
    pub service_id: i64,
    pub user_id: Option<i64>,
    pub date_heure: i64,
    pub fin: i64,
    pub statut: String,
    pub message: String,
    pub client_nom: String,
    pub client_email: String,
    pub client_telephone: String,
    /// The vertical's extra form answers, as a JSON object's text.
    pub reponses: String,
    pub prix_centimes: i64,
    pub a_payer_centimes: i64,
    pub manage_token_hash: String,
    pub expire_at: Option<i64>,
    pub annulee_par: Option<String>,
    pub motif_annulation: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Reservation {
    pub fn debut(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.date_heure, 0).unwrap_or_default()
    }

    pub fn fin(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.fin, 0).unwrap_or_default()
    }
}

const COLONNES: &str =
    "id, professionnel_id, service_id, user_id, date_heure, fin, statut, message, \
     client_nom, client_email, client_telephone, reponses, prix_centimes, a_payer_centimes, \
     manage_token_hash, expire_at, annulee_par, motif_annulation, created_at, updated_at";

pub async fn par_id(db: &dyn Db, id: &str) -> Result<Option<Reservation>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!("SELECT {COLONNES} FROM reservations WHERE id = ?1")).bind(id),
    )
    .await
}

/// A booking with the SHA-256 of its confirmation secret (None when it needed none).
#[derive(Debug, Clone, Deserialize)]
pub struct AvecConfirmation {
    #[serde(flatten)]
    pub reservation: Reservation,
    pub confirmation_token_hash: Option<String>,
}

pub async fn par_id_avec_confirmation(
    db: &dyn Db,
    id: &str,
) -> Result<Option<AvecConfirmation>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "SELECT {COLONNES}, confirmation_token_hash FROM reservations WHERE id = ?1"
        ))
        .bind(id),
    )
    .await
}

#[derive(Debug, Deserialize)]
struct Intervalle {
    date_heure: i64,
    fin: i64,
}

/// The read of the professional's active bookings that meet `[de, a)`, optionally
/// leaving one out (the booking being moved); decode its rows with [`occupations_depuis`].
pub fn lecture_occupations(
    professionnel_id: i64,
    de: DateTime<Utc>,
    a: DateTime<Utc>,
    maintenant: DateTime<Utc>,
    sauf: Option<&str>,
) -> Statement {
    let sql = format!(
        "SELECT date_heure, fin FROM reservations WHERE professionnel_id = ?1 \
         AND date_heure < ?2 AND fin > ?3 AND id IS NOT ?4 AND {}",
        active_at("").replace("?now", "?5")
    );
    Statement::new(sql)
        .bind(professionnel_id)
        .bind(a.timestamp())
        .bind(de.timestamp())
        .bind(sauf.map(str::to_owned))
        .bind(maintenant.timestamp())
}

pub fn occupations_depuis(rows: Vec<super::Row>) -> Result<Vec<Occupation>, DbError> {
    let rows: Vec<Intervalle> = super::decode(rows)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Occupation {
                debut: DateTime::from_timestamp(r.date_heure, 0)?,
                fin: DateTime::from_timestamp(r.fin, 0)?,
            })
        })
        .collect())
}

/// The professional's active bookings that meet `[de, a)`.
pub async fn occupations_actives(
    db: &dyn Db,
    professionnel_id: i64,
    de: DateTime<Utc>,
    a: DateTime<Utc>,
    maintenant: DateTime<Utc>,
    sauf: Option<&str>,
) -> Result<Vec<Occupation>, DbError> {
    occupations_depuis(
        db.query(lecture_occupations(
            professionnel_id,
            de,
            a,
            maintenant,
            sauf,
        ))
        .await?,
    )
}

/// Why a booking write did not apply; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum ErreurEcriture {
    #[error("le créneau vient d'être pris")]
    Indisponible,
    #[error("la journée est complète")]
    JourneeComplete,
    /// The e-mail or the source already keeps as many holds at this professional as
    /// allowed.
    #[error("trop de réservations en attente")]
    TropDeRetenues,
    #[error("la réservation a changé entre-temps")]
    Conflit,
    #[error(transparent)]
    Db(DbError),
}

impl From<DbError> for ErreurEcriture {
    fn from(error: DbError) -> Self {
        if error.is_constraint_on("occupations.") {
            ErreurEcriture::Indisponible
        } else if error.is_constraint_on("garde_journee") {
            ErreurEcriture::JourneeComplete
        } else if error.is_constraint_on("garde_retenues") {
            ErreurEcriture::TropDeRetenues
        } else if error.is_constraint_on("garde_transition") {
            ErreurEcriture::Conflit
        } else {
            ErreurEcriture::Db(error)
        }
    }
}

/// The granules claimed for an occupied interval: `[debut, fin)` rounded out to 5 minutes.
pub(crate) fn reclamer(
    professionnel_id: i64,
    reservation_id: &str,
    debut: i64,
    fin: i64,
) -> Statement {
    let premier = debut.div_euclid(GRANULE) * GRANULE;
    Statement::new(
        "INSERT INTO occupations (professionnel_id, tranche, reservation_id) \
         WITH RECURSIVE t(x) AS (SELECT ?2 UNION ALL SELECT x + 300 FROM t WHERE x + 300 < ?3) \
         SELECT ?1, x, ?4 FROM t",
    )
    .bind(professionnel_id)
    .bind(premier)
    .bind(fin)
    .bind(reservation_id)
}

/// Releases the claims of every booking of the professional that no longer holds its slot
/// (holds past their end are marked `expiree` first).
pub fn liberer_echues(professionnel_id: i64, maintenant: DateTime<Utc>) -> Vec<Statement> {
    vec![
        Statement::new(format!(
            "UPDATE reservations SET statut = 'expiree', updated_at = ?2 \
             WHERE professionnel_id = ?1 AND statut IN {STATUTS_RETENUE} AND expire_at <= ?2"
        ))
        .bind(professionnel_id)
        .bind(maintenant.timestamp()),
        Statement::new(format!(
            "DELETE FROM occupations WHERE professionnel_id = ?1 AND reservation_id IN \
             (SELECT id FROM reservations WHERE professionnel_id = ?1 \
              AND statut NOT IN {STATUTS_ACTIFS})"
        ))
        .bind(professionnel_id),
    ]
}

/// The day's room for one more booking, as a guard (maximum bookings per day).
#[derive(Debug, Clone, Copy)]
pub struct LimiteJournee {
    pub maximum: u32,
    /// The professional's local day, as instants.
    pub debut_jour: DateTime<Utc>,
    pub fin_jour: DateTime<Utc>,
}

fn garde_journee(
    professionnel_id: i64,
    reservation_id: &str,
    limite: &LimiteJournee,
    maintenant: DateTime<Utc>,
) -> Statement {
    Statement::new(format!(
        "INSERT INTO gardes (journee) SELECT (SELECT count(*) FROM reservations \
         WHERE professionnel_id = ?1 AND id <> ?2 AND date_heure >= ?3 AND date_heure < ?4 AND {}) < ?6",
        active_at("").replace("?now", "?5")
    ))
    .bind(professionnel_id)
    .bind(reservation_id)
    .bind(limite.debut_jour.timestamp())
    .bind(limite.fin_jour.timestamp())
    .bind(maintenant.timestamp())
    .bind(limite.maximum)
}

/// The cap on the holds one requester keeps at one professional: how many holds its
/// e-mail address and its source (pseudonym) may keep at once.
#[derive(Debug, Clone)]
pub struct PlafondRetenues {
    pub email: String,
    pub par_email: u32,
    pub source_hash: String,
    pub par_source: u32,
}

/// Fails the batch (`garde_retenues`) when the new hold's e-mail or source already keeps
/// its cap of live holds at the professional. Counted inside the batch that writes the
/// hold, so that concurrent requests cannot all pass on the same count.
fn garde_retenues(
    professionnel_id: i64,
    reservation_id: &str,
    plafond: &PlafondRetenues,
    maintenant: DateTime<Utc>,
) -> Statement {
    let retenues = format!(
        "SELECT count(*) FROM reservations WHERE professionnel_id = ?1 AND id <> ?2 \
         AND statut IN {STATUTS_RETENUE} AND expire_at > ?3"
    );
    Statement::new(format!(
        "INSERT INTO gardes (retenues) SELECT \
         ({retenues} AND client_email = ?4) < ?5 AND ({retenues} AND source_hash = ?6) < ?7"
    ))
    .bind(professionnel_id)
    .bind(reservation_id)
    .bind(maintenant.timestamp())
    .bind(plafond.email.as_str())
    .bind(plafond.par_email)
    .bind(plafond.source_hash.as_str())
    .bind(plafond.par_source)
}

fn garde_transition() -> Statement {
    Statement::new("INSERT INTO gardes (transition) VALUES (changes())")
}

fn vider_gardes() -> Statement {
    Statement::new("DELETE FROM gardes")
}

/// A booking ready to be written: validated, priced, its slot checked.
#[derive(Debug, Clone)]
pub struct NouvelleReservation {
    pub reservation: Reservation,
    /// The occupied interval (buffers included) to claim, as instants.
    pub occupation: (DateTime<Utc>, DateTime<Utc>),
    pub limite_journee: Option<LimiteJournee>,
    /// The requester's source, as its pseudonym (`reservations.source_hash`).
    pub source_hash: Option<String>,
    /// SHA-256 of the e-mail's confirmation secret, for a booking awaiting confirmation.
    pub confirmation_token_hash: Option<String>,
    /// For a hold: the cap on the holds of its e-mail and source at the professional.
    pub plafond_retenues: Option<PlafondRetenues>,
}

/// Writes the booking and claims its slot in one batch, with `suite` (e-mails to queue,
/// a payment row) in the same transaction. Fails as a whole if the slot or the day is taken.
pub async fn creer(
    db: &dyn Db,
    nouvelle: &NouvelleReservation,
    maintenant: DateTime<Utc>,
    suite: Vec<Statement>,
) -> Result<(), ErreurEcriture> {
    let r = &nouvelle.reservation;
    let mut batch = liberer_echues(r.professionnel_id, maintenant);
    if let Some(limite) = &nouvelle.limite_journee {
        batch.push(garde_journee(r.professionnel_id, &r.id, limite, maintenant));
    }
    if let Some(plafond) = &nouvelle.plafond_retenues {
        batch.push(garde_retenues(
            r.professionnel_id,
            &r.id,
            plafond,
            maintenant,
        ));
    }
    batch.push(
        Statement::new(format!(
            "INSERT INTO reservations ({COLONNES}, source_hash, confirmation_token_hash) VALUES \
             (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)"
        ))
        .bind(r.id.as_str())
        .bind(r.professionnel_id)
        .bind(r.service_id)
        .bind(r.user_id)
        .bind(r.date_heure)
        .bind(r.fin)
        .bind(r.statut.as_str())
        .bind(r.message.as_str())
        .bind(r.client_nom.as_str())
        .bind(r.client_email.as_str())
        .bind(r.client_telephone.as_str())
        .bind(r.reponses.as_str())
        .bind(r.prix_centimes)
        .bind(r.a_payer_centimes)
        .bind(r.manage_token_hash.as_str())
        .bind(r.expire_at)
        .bind(r.annulee_par.clone())
        .bind(r.motif_annulation.clone())
        .bind(r.created_at)
        .bind(r.updated_at)
        .bind(nouvelle.source_hash.clone())
        .bind(nouvelle.confirmation_token_hash.clone()),
    );
    let (de, a) = nouvelle.occupation;
    batch.push(reclamer(
        r.professionnel_id,
        &r.id,
        de.timestamp(),
        a.timestamp(),
    ));
    batch.extend(suite);
    batch.push(vider_gardes());
    db.batch(batch).await?;
    Ok(())
}

/// Cancels a booking that is still in `statut_attendu`, and releases its slot.
pub async fn annuler(
    db: &dyn Db,
    reservation: &Reservation,
    par: &str,
    motif: Option<&str>,
    maintenant: DateTime<Utc>,
    suite: Vec<Statement>,
) -> Result<(), ErreurEcriture> {
    let mut batch = vec![
        Statement::new(
            "UPDATE reservations SET statut = 'annulee', annulee_par = ?2, motif_annulation = ?3, \
             updated_at = ?4 WHERE id = ?1 AND statut = ?5",
        )
        .bind(reservation.id.as_str())
        .bind(par)
        .bind(motif.map(str::to_owned))
        .bind(maintenant.timestamp())
        .bind(reservation.statut.as_str()),
        garde_transition(),
        Statement::new("DELETE FROM occupations WHERE reservation_id = ?1")
            .bind(reservation.id.as_str()),
    ];
    batch.extend(suite);
    batch.push(vider_gardes());
    db.batch(batch).await?;
    Ok(())
}

/// The client confirmed the request from the e-mail: a booking still awaiting
/// confirmation, within its hold and still owning its slot, becomes confirmed, with
/// `suite` (the e-mails and reminders of a confirmed booking) in the same batch.
/// `Conflit` when it is no longer so (confirmed meanwhile, cancelled, expired).
pub async fn confirmer(
    db: &dyn Db,
    reservation_id: &str,
    maintenant: DateTime<Utc>,
    suite: Vec<Statement>,
) -> Result<(), ErreurEcriture> {
    let mut batch = vec![
        Statement::new(
            "UPDATE reservations SET statut = 'confirmee', expire_at = NULL, updated_at = ?2 \
             WHERE id = ?1 AND statut = 'en_attente_confirmation' AND expire_at > ?2 \
             AND EXISTS (SELECT 1 FROM occupations WHERE reservation_id = ?1)",
        )
        .bind(reservation_id)
        .bind(maintenant.timestamp()),
        garde_transition(),
    ];
    batch.extend(suite);
    batch.push(vider_gardes());
    db.batch(batch).await?;
    Ok(())
}

/// Moves a confirmed booking: the new slot is claimed and the old one released in one
/// step, or nothing changes.
#[allow(clippy::too_many_arguments)]
pub async fn deplacer(
    db: &dyn Db,
    reservation: &Reservation,
    nouveau_debut: DateTime<Utc>,
    nouvelle_fin: DateTime<Utc>,
    occupation: (DateTime<Utc>, DateTime<Utc>),
    limite_journee: Option<&LimiteJournee>,
    maintenant: DateTime<Utc>,
    suite: Vec<Statement>,
) -> Result<(), ErreurEcriture> {
    let mut batch = liberer_echues(reservation.professionnel_id, maintenant);
    batch.push(
        Statement::new(
            "UPDATE reservations SET date_heure = ?2, fin = ?3, updated_at = ?4 \
             WHERE id = ?1 AND statut = ?5 AND date_heure = ?6",
        )
        .bind(reservation.id.as_str())
        .bind(nouveau_debut.timestamp())
        .bind(nouvelle_fin.timestamp())
        .bind(maintenant.timestamp())
        .bind(reservation.statut.as_str())
        .bind(reservation.date_heure),
    );
    batch.push(garde_transition());
    if let Some(limite) = limite_journee {
        batch.push(garde_journee(
            reservation.professionnel_id,
            &reservation.id,
            limite,
            maintenant,
        ));
    }
    batch.push(
        Statement::new("DELETE FROM occupations WHERE reservation_id = ?1")
            .bind(reservation.id.as_str()),
    );
    batch.push(reclamer(
        reservation.professionnel_id,
        &reservation.id,
        occupation.0.timestamp(),
        occupation.1.timestamp(),
    ));
    batch.extend(suite);
    batch.push(vider_gardes());
    db.batch(batch).await?;
    Ok(())
}
