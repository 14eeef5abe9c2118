//! The e-mail outbox: rows written in the same batch as the change that causes them, and
//! sent by the scheduled job.
//!
//! - `cle` is unique per booking and kind (`confirmation:<id>`, `rappel:<id>:<offset>:<start>`),
//!   so a message is queued at most once; a duplicate insert does nothing and never fails
//!   the change it rides with.
//! - A run claims due rows in one statement (`reclame_par` = its random token,
//!   `reclame_jusqua` = end of its lease) and only ever updates rows it still holds, so two
//!   overlapping runs never handle the same row; a run that dies leaves its rows to be
//!   claimed again once the lease is over (the mail API's `Idempotency-Key` = `cle` makes
//!   that second attempt harmless).
//! - The manage link's secret (`donnees.jeton`) travels in the row until it is sent or
//!   dropped, then it is scrubbed: the database keeps it only while an e-mail needs it.

use chrono::{DateTime, Utc};

use super::reservations::{statuts_actifs, statuts_retenue};
use super::{fetch_all, liste_sql, Db, DbError, Statement};
use crate::reservation::StatutReservation::{Annulee, Confirmee, Expiree, Terminee};
use crate::types::StatutMessage::{AEnvoyer, Abandonne, Annule, Envoye};
use crate::types::StatutPaiement;

/// The secret-bearing fields of `donnees`, removed once a row is done with.
const SECRETS: &str = "'$.jeton', '$.lien'";

/// Who receives a planned message.
#[derive(Debug, Clone, PartialEq)]
pub enum Destinataire {
    /// A known address (the client's), and the account it belongs to if any.
    Adresse { email: String, user_id: Option<i64> },
    /// The professional's account e-mail (nothing is queued if the professional has none).
    Professionnel(i64),
    /// The account with this e-mail, found when the row is written (so that the row can
    /// ride in the batch that creates the account); nothing is queued if there is none.
    Compte(String),
}

/// The manage link's secret a message carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Jeton {
    /// None (the professional's e-mails, account e-mails).
    Aucun,
    Connu(String),
    /// Copied from a pending row of the same booking, if any: a change made without the
    /// client's secret at hand (e.g. a move by the professional).
    Copie,
}

/// A message to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Planifie {
    pub cle: String,
    pub kind: &'static str,
    pub reservation_id: Option<String>,
    pub destinataire: Destinataire,
    /// What rendering needs beyond the rows (a JSON object).
    pub donnees: serde_json::Value,
    /// The site the links point to (`donnees.base_url`); None copies it from another row
    /// of the same booking.
    pub base_url: Option<String>,
    /// The manage link's secret (`donnees.jeton`), for the client's e-mails only.
    pub jeton: Jeton,
    pub envoyer_a: DateTime<Utc>,
    pub maintenant: DateTime<Utc>,
}

/// Inserts a message, unless its key exists; a key dropped earlier (`annule`, e.g. a
/// reminder of a booking moved back to its first time) is planned again.
pub fn planifier(p: &Planifie) -> Statement {
    let donnees = format!(
        "json_set(?4, \
         '$.base_url', COALESCE(?5, (SELECT json_extract(o.donnees, '$.base_url') FROM outbox o \
             WHERE o.reservation_id = ?3 AND json_extract(o.donnees, '$.base_url') IS NOT NULL \
             ORDER BY o.id LIMIT 1)), \
         '$.jeton', CASE WHEN ?11 THEN (SELECT json_extract(o.donnees, '$.jeton') FROM outbox o \
             WHERE o.reservation_id = ?3 AND o.statut = '{AEnvoyer}' \
             AND json_extract(o.donnees, '$.jeton') IS NOT NULL ORDER BY o.id LIMIT 1) \
             ELSE ?10 END)"
    );
    let conflit = format!(
        "ON CONFLICT (cle) DO UPDATE SET statut = '{AEnvoyer}', \
         envoyer_a = excluded.envoyer_a, donnees = excluded.donnees, tentatives = 0, \
         derniere_erreur = NULL, reclame_par = NULL, reclame_jusqua = NULL, envoye_at = NULL \
         WHERE outbox.statut = '{Annule}'"
    );
    let colonnes =
        "INSERT INTO outbox (cle, kind, reservation_id, user_id, destinataire, donnees, envoyer_a, created_at)";
    let sql = match &p.destinataire {
        Destinataire::Adresse { .. } => {
            format!("{colonnes} SELECT ?1, ?2, ?3, ?8, ?9, {donnees}, ?6, ?7 WHERE true {conflit}")
        }
        Destinataire::Professionnel(_) => format!(
            "{colonnes} SELECT ?1, ?2, ?3, u.id, u.email, {donnees}, ?6, ?7 \
             FROM professionnels p JOIN users u ON u.id = p.user_id WHERE p.id = ?8 {conflit}"
        ),
        Destinataire::Compte(_) => format!(
            "{colonnes} SELECT ?1, ?2, ?3, u.id, u.email, {donnees}, ?6, ?7 \
             FROM users u WHERE u.email = ?8 COLLATE NOCASE {conflit}"
        ),
    };
    let statement = Statement::new(sql)
        .bind(p.cle.as_str())
        .bind(p.kind)
        .bind(p.reservation_id.clone())
        .bind(p.donnees.to_string())
        .bind(p.base_url.clone())
        .bind(p.envoyer_a.timestamp())
        .bind(p.maintenant.timestamp());
    let statement = match &p.destinataire {
        Destinataire::Adresse { email, user_id } => statement.bind(*user_id).bind(email.as_str()),
        Destinataire::Professionnel(id) => statement.bind(*id).bind(Option::<String>::None),
        Destinataire::Compte(email) => statement.bind(email.as_str()).bind(Option::<String>::None),
    };
    match &p.jeton {
        Jeton::Aucun => statement.bind(Option::<String>::None).bind(false),
        Jeton::Connu(jeton) => statement.bind(jeton.as_str()).bind(false),
        Jeton::Copie => statement.bind(Option::<String>::None).bind(true),
    }
}

/// Drops the booking's pending messages of these kinds (cancelled or moved booking).
pub fn annuler_en_attente(reservation_id: &str, kinds: &[&str]) -> Statement {
    Statement::new(format!(
        "UPDATE outbox SET statut = '{Annule}', donnees = json_remove(donnees, {SECRETS}), \
         reclame_par = NULL, reclame_jusqua = NULL \
         WHERE reservation_id = ?1 AND statut = '{AEnvoyer}' \
         AND kind IN (SELECT value FROM json_each(?2))"
    ))
    .bind(reservation_id)
    .bind(serde_json::json!(kinds).to_string())
}

/// Moves a pending message to another time (the review request of a moved booking).
pub fn replanifier(cle: &str, envoyer_a: DateTime<Utc>) -> Statement {
    Statement::new(format!(
        "UPDATE outbox SET envoyer_a = ?2 WHERE cle = ?1 AND statut = '{AEnvoyer}'"
    ))
    .bind(cle)
    .bind(envoyer_a.timestamp())
}

crate::ligne! {
    /// A claimed row, as the scheduled job handles it.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Message {
        pub id: i64,
        pub cle: String,
        pub kind: String,
        pub reservation_id: Option<String>,
        pub user_id: Option<i64>,
        pub destinataire: String,
        pub donnees: String,
        pub tentatives: i64,
        pub envoyer_a: DateTime<Utc>,
    }
}

/// Claims up to `limite` due rows for this run, in one atomic statement: a row is due
/// when it is still to send, its time has come and no live claim holds it.
pub async fn reclamer(
    db: &dyn Db,
    jeton: &str,
    maintenant: DateTime<Utc>,
    bail_secondes: i64,
    limite: u32,
) -> Result<Vec<Message>, DbError> {
    fetch_all(
        db,
        Statement::new(format!(
            "UPDATE outbox SET reclame_par = ?1, reclame_jusqua = ?2 WHERE id IN \
             (SELECT id FROM outbox WHERE statut = '{AEnvoyer}' AND envoyer_a <= ?3 \
              AND (reclame_jusqua IS NULL OR reclame_jusqua <= ?3) \
              ORDER BY envoyer_a, id LIMIT ?4) \
             RETURNING id, cle, kind, reservation_id, user_id, destinataire, donnees, tentatives, envoyer_a"
        ))
        .bind(jeton)
        .bind(maintenant.timestamp() + bail_secondes)
        .bind(maintenant.timestamp())
        .bind(limite),
    )
    .await
}

/// The row, while this run still holds it.
fn a_moi() -> String {
    format!("id = ?1 AND reclame_par = ?2 AND statut = '{AEnvoyer}'")
}

/// Sent: done for good, secrets scrubbed. Applies only while this run holds the row.
pub fn marquer_envoye(id: i64, jeton: &str, maintenant: DateTime<Utc>) -> Statement {
    Statement::new(format!(
        "UPDATE outbox SET statut = '{Envoye}', envoye_at = ?3, tentatives = tentatives + 1, \
         derniere_erreur = NULL, reclame_par = NULL, reclame_jusqua = NULL, \
         donnees = json_remove(donnees, {SECRETS}) WHERE {}",
        a_moi()
    ))
    .bind(id)
    .bind(jeton)
    .bind(maintenant.timestamp())
}

/// A failed attempt: retried at `prochain`, or given up (`None`), keeping the error.
pub fn marquer_echec(
    id: i64,
    jeton: &str,
    erreur: &str,
    prochain: Option<DateTime<Utc>>,
) -> Statement {
    let erreur: String = erreur.chars().take(1000).collect();
    match prochain {
        Some(a) => Statement::new(format!(
            "UPDATE outbox SET tentatives = tentatives + 1, derniere_erreur = ?3, envoyer_a = ?4, \
             reclame_par = NULL, reclame_jusqua = NULL WHERE {}",
            a_moi()
        ))
        .bind(id)
        .bind(jeton)
        .bind(erreur)
        .bind(a.timestamp()),
        None => Statement::new(format!(
            "UPDATE outbox SET statut = '{Abandonne}', tentatives = tentatives + 1, \
             derniere_erreur = ?3, reclame_par = NULL, reclame_jusqua = NULL, \
             donnees = json_remove(donnees, {SECRETS}) WHERE {}",
            a_moi()
        ))
        .bind(id)
        .bind(jeton)
        .bind(erreur),
    }
}

/// Not to be sent any more (the appointment started, the booking was cancelled…).
pub fn marquer_annule(id: i64, jeton: &str, raison: &str) -> Statement {
    Statement::new(format!(
        "UPDATE outbox SET statut = '{Annule}', derniere_erreur = ?3, reclame_par = NULL, \
         reclame_jusqua = NULL, donnees = json_remove(donnees, {SECRETS}) WHERE {}",
        a_moi()
    ))
    .bind(id)
    .bind(jeton)
    .bind(raison)
}

/// Not yet (a reminder of a booking whose payment is still pending): released, no
/// attempt counted.
pub fn reporter(id: i64, jeton: &str, a: DateTime<Utc>) -> Statement {
    Statement::new(format!(
        "UPDATE outbox SET envoyer_a = ?3, reclame_par = NULL, reclame_jusqua = NULL WHERE {}",
        a_moi()
    ))
    .bind(id)
    .bind(jeton)
    .bind(a.timestamp())
}

/// The scheduled job's housekeeping, as one batch for every professional at once:
/// holds past their end — unpaid, or unconfirmed from the e-mail — become `expiree`
/// (their pending payment `expire`, their slot released, their pending e-mails dropped),
/// confirmed bookings that have ended become `terminee` (which lets their review request
/// go out), the pseudonymised source of bookings that hold nothing any more is forgotten,
/// (rate-limit counters are purged by `menage`).
/// Each statement is guarded by the state it changes, so a second run changes nothing.
/// The first returns the expired ids, the last the completed ones.
pub fn echeances(maintenant: DateTime<Utc>) -> Vec<Statement> {
    let t = maintenant.timestamp();
    let (paiement_expire, paiement_en_attente) =
        (StatutPaiement::Expire, StatutPaiement::EnAttente);
    let retenue = statuts_retenue();
    vec![
        Statement::new(format!(
            "UPDATE reservations SET statut = '{Expiree}', updated_at = ?1 \
             WHERE statut IN {retenue} AND expire_at <= ?1 RETURNING id"
        ))
        .bind(t),
        Statement::new(format!(
            "UPDATE paiements SET statut = '{paiement_expire}', updated_at = ?1 \
             WHERE statut = '{paiement_en_attente}' \
             AND reservation_id IN (SELECT id FROM reservations WHERE statut = '{Expiree}')"
        ))
        .bind(t),
        Statement::new(format!(
            "DELETE FROM occupations WHERE seance IN \
             (SELECT id FROM reservations WHERE statut NOT IN {})",
            statuts_actifs()
        )),
        Statement::new(format!(
            "UPDATE outbox SET statut = '{Annule}', donnees = json_remove(donnees, {SECRETS}), \
             reclame_par = NULL, reclame_jusqua = NULL \
             WHERE statut = '{AEnvoyer}' AND kind IN ('rappel', 'demande_avis', 'demande_confirmation') \
             AND reservation_id IN (SELECT id FROM reservations WHERE statut IN {})",
            liste_sql([Expiree, Annulee])
        )),
        // Rows dropped by other code paths keep no secret either.
        Statement::new(format!(
            "UPDATE outbox SET donnees = json_remove(donnees, {SECRETS}) \
             WHERE statut <> '{AEnvoyer}' AND (json_extract(donnees, '$.jeton') IS NOT NULL \
             OR json_extract(donnees, '$.lien') IS NOT NULL)"
        )),
        Statement::new(format!(
            "UPDATE reservations SET source_hash = NULL \
             WHERE source_hash IS NOT NULL AND statut NOT IN {retenue}"
        )),
        Statement::new(format!(
            "UPDATE reservations SET statut = '{Terminee}', terminee_par = 'systeme', updated_at = ?1 \
             WHERE statut = '{Confirmee}' AND fin <= ?1 RETURNING id"
        ))
        .bind(t),
    ]
}

crate::ligne! {
    #[derive(Debug)]
    struct Compte {
        n: i64,
    }
}

/// How many times a booking was moved (its calendar event's SEQUENCE, with one more when
/// it is cancelled).
pub async fn nombre_deplacements(db: &dyn Db, reservation_id: &str) -> Result<i64, DbError> {
    let rows: Vec<Compte> = fetch_all(
        db,
        Statement::new(
            "SELECT count(*) AS n FROM outbox WHERE reservation_id = ?1 \
             AND kind = 'deplacement' AND cle LIKE '%:client'",
        )
        .bind(reservation_id),
    )
    .await?;
    Ok(rows.first().map_or(0, |c| c.n))
}

crate::ligne! {
    #[derive(Debug)]
    struct Adresse {
        email: String,
    }
}

/// The professional's account e-mail, if any.
pub async fn email_professionnel(
    db: &dyn Db,
    professionnel_id: i64,
) -> Result<Option<String>, DbError> {
    let rows: Vec<Adresse> = fetch_all(
        db,
        Statement::new(
            "SELECT u.email FROM professionnels p JOIN users u ON u.id = p.user_id WHERE p.id = ?1",
        )
        .bind(professionnel_id),
    )
    .await?;
    Ok(rows.into_iter().next().map(|a| a.email))
}
