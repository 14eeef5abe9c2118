//! Writes and reads of `paiements` and of the processed Stripe events (`stripe_events`).
//!
//! Each webhook's change is one batch that also inserts the event's id: the primary key
//! refuses a second insert, so a redelivered event fails as a whole and changes nothing.
//! A change that depends on the booking's state is guarded like the booking writes
//! (`gardes`): it applies only if the booking was still in the state it was decided on.

use chrono::{DateTime, Utc};

use super::reservations::{reclamer_seance, statuts_actifs, TIENT_SON_CRENEAU};
use super::{fetch_all, fetch_optional, Db, DbError, Statement};
use crate::reservation::StatutReservation::{Confirmee, EnAttentePaiement, Expiree};
use crate::stripe::Anomalie;
use crate::types::StatutMessage::{AEnvoyer, Annule};
use crate::types::StatutPaiement::{self, EnAttente, Expire, Paye, Rembourse};
use crate::types::{Centimes, PaiementId, ProfessionnelId, ReservationId, TypePaiement};

crate::ligne! {
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Paiement {
        pub id: PaiementId,
        pub reservation_id: ReservationId,
        pub montant: Centimes,
        /// What Stripe has refunded of it so far (cumulative).
        pub montant_rembourse: Centimes,
        pub currency: String,
        pub type_paiement: TypePaiement = "type",
        pub statut: StatutPaiement,
        pub stripe_checkout_session_id: Option<String>,
        pub stripe_payment_intent_id: Option<String>,
        pub stripe_refund_id: Option<String>,
        pub created_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
    }
}

const COLONNES: &str = "id, reservation_id, montant, montant_rembourse, currency, type, statut, \
     stripe_checkout_session_id, stripe_payment_intent_id, stripe_refund_id, created_at, updated_at";

impl Paiement {
    /// What is left to refund: the amount less what was already refunded.
    pub fn reste(&self) -> Centimes {
        (self.montant - self.montant_rembourse).max(Centimes::ZERO)
    }
}

/// The payment row of a Checkout Session just created, awaiting its outcome.
pub fn enregistrer(
    reservation_id: &str,
    montant: Centimes,
    type_paiement: TypePaiement,
    session_id: &str,
    maintenant: DateTime<Utc>,
) -> Statement {
    Statement::new(format!(
        "INSERT INTO paiements (reservation_id, montant, currency, type, statut, \
         stripe_checkout_session_id, created_at, updated_at) \
         VALUES (?1, ?2, 'eur', ?3, '{EnAttente}', ?4, ?5, ?5)"
    ))
    .bind(reservation_id)
    .bind(montant)
    .bind(type_paiement)
    .bind(session_id)
    .bind(maintenant.timestamp())
}

pub async fn par_session(db: &dyn Db, session_id: &str) -> Result<Option<Paiement>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "SELECT {COLONNES} FROM paiements WHERE stripe_checkout_session_id = ?1"
        ))
        .bind(session_id),
    )
    .await
}

pub async fn par_payment_intent(
    db: &dyn Db,
    payment_intent: &str,
) -> Result<Option<Paiement>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "SELECT {COLONNES} FROM paiements WHERE stripe_payment_intent_id = ?1 \
             ORDER BY id DESC LIMIT 1"
        ))
        .bind(payment_intent),
    )
    .await
}

/// The booking's latest payment, if it has one.
pub async fn dernier_de(db: &dyn Db, reservation_id: &str) -> Result<Option<Paiement>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "SELECT {COLONNES} FROM paiements WHERE reservation_id = ?1 ORDER BY id DESC LIMIT 1"
        ))
        .bind(reservation_id),
    )
    .await
}

crate::ligne! {
    #[derive(Debug)]
    struct Compte {
        n: i64,
    }
}

/// Whether this event id was already applied.
pub async fn evenement_deja_traite(db: &dyn Db, event_id: &str) -> Result<bool, DbError> {
    let rows: Vec<Compte> = fetch_all(
        db,
        Statement::new("SELECT count(*) AS n FROM stripe_events WHERE id = ?1").bind(event_id),
    )
    .await?;
    Ok(rows.first().is_some_and(|c| c.n > 0))
}

/// A Stripe event about to be applied: its id and type.
#[derive(Debug, Clone, Copy)]
pub struct EvenementStripe<'a> {
    pub id: &'a str,
    pub nom: &'a str,
}

fn marquer_traite(evenement: EvenementStripe<'_>, maintenant: DateTime<Utc>) -> Statement {
    Statement::new("INSERT INTO stripe_events (id, type, received_at) VALUES (?1, ?2, ?3)")
        .bind(evenement.id)
        .bind(evenement.nom)
        .bind(maintenant.timestamp())
}

fn garde_transition() -> Statement {
    Statement::new("INSERT INTO gardes (transition) VALUES (changes())")
}

fn vider_gardes() -> Statement {
    Statement::new("DELETE FROM gardes")
}

/// Why a payment write did not apply; nothing was changed.
#[derive(Debug, thiserror::Error)]
pub enum ErreurPaiement {
    #[error("événement déjà traité")]
    DejaTraite,
    #[error("le créneau a été pris entre-temps")]
    Indisponible,
    #[error("la réservation a changé entre-temps")]
    Conflit,
    #[error(transparent)]
    Db(DbError),
}

impl From<DbError> for ErreurPaiement {
    fn from(error: DbError) -> Self {
        if error.is_constraint_on("stripe_events.") {
            ErreurPaiement::DejaTraite
        } else if error.is_constraint_on("occupations.")
            || error.is_constraint_on("places_reservees")
        {
            ErreurPaiement::Indisponible
        } else if error.is_constraint_on("garde_transition") {
            ErreurPaiement::Conflit
        } else {
            ErreurPaiement::Db(error)
        }
    }
}

async fn appliquer(
    db: &dyn Db,
    evenement: Option<EvenementStripe<'_>>,
    maintenant: DateTime<Utc>,
    changements: Vec<Statement>,
) -> Result<(), ErreurPaiement> {
    let mut batch: Vec<Statement> = evenement
        .map(|e| marquer_traite(e, maintenant))
        .into_iter()
        .collect();
    batch.extend(changements);
    batch.push(vider_gardes());
    db.batch(batch).await?;
    Ok(())
}

/// Records an event that changes nothing (already applied in substance, or about nothing
/// we know), so that its redeliveries are recognised at once.
pub async fn ignorer(
    db: &dyn Db,
    evenement: EvenementStripe<'_>,
    maintenant: DateTime<Utc>,
) -> Result<(), ErreurPaiement> {
    appliquer(db, Some(evenement), maintenant, Vec::new()).await
}

fn borne(texte: &str, max: usize) -> String {
    texte.chars().take(max).collect()
}

fn borne_option(texte: Option<&String>, max: usize) -> Option<String> {
    texte.map(|t| borne(t, max))
}

/// An event the platform does not act on ([`Anomalie`]): recorded with why, in the batch
/// that marks the event processed (so a redelivery is recognised and recorded once);
/// nothing else changes. Texts are cut to the table's bounds so that a long id can never
/// make the event fail and be retried forever.
pub async fn signaler(
    db: &dyn Db,
    evenement: EvenementStripe<'_>,
    anomalie: &Anomalie,
    maintenant: DateTime<Utc>,
) -> Result<(), ErreurPaiement> {
    let a = anomalie;
    let ligne = Statement::new(
        "INSERT INTO paiements_anomalies (event_id, type, raison, session_id, charge_id, \
         payment_intent_id, paiement_id, reservation_nommee, montant_recu, montant_attendu, \
         currency_recue, currency_attendue, received_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) \
         ON CONFLICT (event_id) DO NOTHING",
    )
    .bind(borne(evenement.id, 255))
    .bind(borne(evenement.nom, 100))
    .bind(a.raison.code())
    .bind(borne_option(a.session_id.as_ref(), 255))
    .bind(borne_option(a.charge_id.as_ref(), 255))
    .bind(borne_option(a.payment_intent_id.as_ref(), 255))
    .bind(a.paiement_id)
    .bind(borne_option(a.reservation_nommee.as_ref(), 255))
    .bind(a.montant_recu)
    .bind(a.montant_attendu)
    .bind(borne_option(a.currency_recue.as_ref(), 10))
    .bind(borne_option(a.currency_attendue.as_ref(), 10))
    .bind(maintenant.timestamp());
    appliquer(db, Some(evenement), maintenant, vec![ligne]).await
}

/// Payment received for a booking still awaiting it (and still owning its slot): the
/// booking is confirmed and the payment marked paid, with `suite` (the confirmation
/// e-mail) in the same batch. `Conflit` when the booking is no longer awaiting payment.
pub async fn confirmer(
    db: &dyn Db,
    evenement: EvenementStripe<'_>,
    paiement_id: PaiementId,
    reservation_id: &str,
    payment_intent: Option<&str>,
    maintenant: DateTime<Utc>,
    suite: Vec<Statement>,
) -> Result<(), ErreurPaiement> {
    let mut changements = vec![
        Statement::new(format!(
            "UPDATE reservations SET statut = '{Confirmee}', expire_at = NULL, updated_at = ?2 \
             WHERE id = ?1 AND statut = '{EnAttentePaiement}' \
             AND {TIENT_SON_CRENEAU}"
        ))
        .bind(reservation_id)
        .bind(maintenant.timestamp()),
        garde_transition(),
        marquer_paye(paiement_id, payment_intent, maintenant),
        super::liste_attente::servir(reservation_id, maintenant),
    ];
    changements.extend(suite);
    appliquer(db, Some(evenement), maintenant, changements).await
}

/// The payment is paid (keeping the PaymentIntent when the event names one).
fn marquer_paye(
    paiement_id: PaiementId,
    payment_intent: Option<&str>,
    maintenant: DateTime<Utc>,
) -> Statement {
    Statement::new(format!(
        "UPDATE paiements SET statut = '{Paye}', \
         stripe_payment_intent_id = COALESCE(?2, stripe_payment_intent_id), updated_at = ?3 \
         WHERE id = ?1"
    ))
    .bind(paiement_id)
    .bind(payment_intent.map(str::to_owned))
    .bind(maintenant.timestamp())
}

/// A booking to revive: whose, and the interval (buffers included) it occupies.
#[derive(Debug, Clone, Copy)]
pub struct Reprise<'a> {
    pub reservation_id: &'a ReservationId,
    pub professionnel_id: ProfessionnelId,
    pub occupation: (DateTime<Utc>, DateTime<Utc>),
}

/// Payment received for a booking that had expired but whose slot is still free: the
/// booking claims its slot again and is confirmed, all or nothing. `Indisponible` when
/// the slot was taken meanwhile, `Conflit` when the booking is no longer expired.
#[allow(clippy::too_many_arguments)]
pub async fn reprendre(
    db: &dyn Db,
    evenement: EvenementStripe<'_>,
    paiement_id: PaiementId,
    reprise: Reprise<'_>,
    payment_intent: Option<&str>,
    maintenant: DateTime<Utc>,
    suite: Vec<Statement>,
) -> Result<(), ErreurPaiement> {
    let reservation_id = reprise.reservation_id;
    let mut changements = super::reservations::liberer_echues(reprise.professionnel_id, maintenant);
    changements.extend([
        Statement::new(format!(
            "UPDATE reservations SET statut = '{Confirmee}', expire_at = NULL, updated_at = ?2 \
             WHERE id = ?1 AND statut = '{Expiree}' AND date_heure > ?2"
        ))
        .bind(reservation_id)
        .bind(maintenant.timestamp()),
        garde_transition(),
        Statement::new("DELETE FROM occupations WHERE seance = ?1").bind(reservation_id),
    ]);
    changements.extend(reclamer_seance(
        reservation_id,
        reprise.occupation.0.timestamp(),
        reprise.occupation.1.timestamp(),
    ));
    changements.push(marquer_paye(paiement_id, payment_intent, maintenant));
    changements.push(super::liste_attente::servir(
        reservation_id.as_str(),
        maintenant,
    ));
    changements.extend(suite);
    appliquer(db, Some(evenement), maintenant, changements).await
}

/// The session expired or its payment failed: a booking still awaiting payment expires
/// and releases its slot; the payment is marked `statut_paiement` (`expire`/`echoue`)
/// unless it was paid meanwhile.
pub async fn expirer(
    db: &dyn Db,
    evenement: EvenementStripe<'_>,
    paiement_id: PaiementId,
    reservation_id: &str,
    statut_paiement: StatutPaiement,
    maintenant: DateTime<Utc>,
) -> Result<(), ErreurPaiement> {
    let changements = vec![
        Statement::new(format!(
            "UPDATE reservations SET statut = '{Expiree}', updated_at = ?2 \
             WHERE id = ?1 AND statut = '{EnAttentePaiement}'"
        ))
        .bind(reservation_id)
        .bind(maintenant.timestamp()),
        Statement::new(format!(
            "DELETE FROM occupations WHERE seance = ?1 AND EXISTS (SELECT 1 FROM \
             reservations WHERE id = ?1 AND statut NOT IN {})",
            statuts_actifs()
        ))
        .bind(reservation_id),
        Statement::new(format!(
            "UPDATE paiements SET statut = ?2, updated_at = ?3 WHERE id = ?1 AND statut = '{EnAttente}'"
        ))
        .bind(paiement_id)
        .bind(statut_paiement)
        .bind(maintenant.timestamp()),
    ];
    appliquer(db, Some(evenement), maintenant, changements).await
}

/// The platform refunded what was left of the payment: it is all refunded now, with
/// `suite` (telling the client) in the same batch. `evenement` is `None` outside a webhook.
#[allow(clippy::too_many_arguments)]
pub async fn rembourser(
    db: &dyn Db,
    evenement: Option<EvenementStripe<'_>>,
    paiement_id: PaiementId,
    refund_id: Option<&str>,
    payment_intent: Option<&str>,
    maintenant: DateTime<Utc>,
    suite: Vec<Statement>,
) -> Result<(), ErreurPaiement> {
    let mut changements = vec![Statement::new(format!(
        "UPDATE paiements SET statut = '{Rembourse}', montant_rembourse = montant, \
         stripe_refund_id = COALESCE(?2, stripe_refund_id), \
         stripe_payment_intent_id = COALESCE(?3, stripe_payment_intent_id), updated_at = ?4 \
         WHERE id = ?1"
    ))
    .bind(paiement_id)
    .bind(refund_id.map(str::to_owned))
    .bind(payment_intent.map(str::to_owned))
    .bind(maintenant.timestamp())];
    changements.extend(suite);
    appliquer(db, evenement, maintenant, changements).await
}

/// Stripe reports what is refunded of the payment so far (`charge.refunded`, whoever
/// made the refund): the cumulative amount is kept, never lowered by an older event
/// arriving late; the payment stays `paye` until it is all refunded, then `rembourse`.
pub async fn remboursement_constate(
    db: &dyn Db,
    evenement: EvenementStripe<'_>,
    paiement_id: PaiementId,
    rembourse_en_tout: Centimes,
    maintenant: DateTime<Utc>,
) -> Result<(), ErreurPaiement> {
    let changement = Statement::new(format!(
        "UPDATE paiements SET \
         statut = CASE WHEN statut = '{Paye}' AND max(montant_rembourse, ?2) >= montant \
                  THEN '{Rembourse}' ELSE statut END, \
         montant_rembourse = max(montant_rembourse, min(?2, montant)), updated_at = ?3 \
         WHERE id = ?1"
    ))
    .bind(paiement_id)
    .bind(rembourse_en_tout.max(Centimes::ZERO))
    .bind(maintenant.timestamp());
    appliquer(db, Some(evenement), maintenant, vec![changement]).await
}

/// The client cancelled before paying: the open session is abandoned.
pub async fn abandonner(
    db: &dyn Db,
    paiement_id: PaiementId,
    maintenant: DateTime<Utc>,
) -> Result<(), DbError> {
    db.batch(vec![Statement::new(format!(
        "UPDATE paiements SET statut = '{Expire}', updated_at = ?2 WHERE id = ?1 AND statut = '{EnAttente}'"
    ))
    .bind(paiement_id)
    .bind(maintenant.timestamp())])
    .await?;
    Ok(())
}

/// Undoes a booking whose payment could not be started: it expires at once and releases
/// its slot, and the e-mails its creation queued are dropped.
pub async fn abandonner_reservation(
    db: &dyn Db,
    reservation_id: &str,
    maintenant: DateTime<Utc>,
) -> Result<(), DbError> {
    db.batch(vec![
        Statement::new(format!(
            "UPDATE reservations SET statut = '{Expiree}', expire_at = ?2, updated_at = ?2 \
             WHERE id = ?1 AND statut = '{EnAttentePaiement}'"
        ))
        .bind(reservation_id)
        .bind(maintenant.timestamp()),
        Statement::new("DELETE FROM occupations WHERE seance = ?1").bind(reservation_id),
        Statement::new(format!(
            "UPDATE outbox SET statut = '{Annule}' WHERE reservation_id = ?1 AND statut = '{AEnvoyer}'"
        ))
        .bind(reservation_id),
    ])
    .await?;
    Ok(())
}
