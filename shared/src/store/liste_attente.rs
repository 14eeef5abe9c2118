//! Writes and reads of the waitlist (`liste_attente`) and of the offers made from it
//! (`liste_attente_offres`).
//!
//! An offer is a booking in `offerte` (written by `reservations::creer`, so it claims its
//! slot like any hold) plus its row here, in the same batch, which is guarded: the entry
//! must still be in line and hold no other live offer, and the primary key
//! (entry, start) refuses a second offer of the same slot to the same entry.

use chrono::{DateTime, Utc};

use super::reservations::{garde_transition, vider_gardes, Reservation, TIENT_SON_CRENEAU};
use super::{fetch_all, fetch_optional, Colonnes, Db, DbError, Ligne, Statement};
use crate::reservation::StatutReservation::{EnAttentePaiement, Expiree, Offerte};
use crate::types::StatutInscription::{self, AConfirmer, Active, Quittee, Servie};

crate::ligne! {
    /// What an entry says: who waits (name, address, account), for which service of which
    /// professional, over which window, in which state, and its link's secret (hashed) and
    /// site.
    #[derive(Debug, Clone)]
    pub struct Attente {
        pub professionnel_id: i64,
        pub service_id: i64,
        pub user_id: Option<i64>,
        pub email: String,
        pub nom: String,
        /// The window's first and last local days (`YYYY-MM-DD`), or none for "as soon
        /// as possible".
        pub du: Option<String>,
        pub au: Option<String>,
        pub fin_fenetre: DateTime<Utc>,
        pub statut: StatutInscription,
        pub jeton_hash: String,
        pub base_url: String,
    }
}

/// An entry of the line, as stored.
#[derive(Debug, Clone)]
pub struct Inscription {
    pub id: i64,
    pub attente: Attente,
    pub created_at: DateTime<Utc>,
    /// When the owner of the address confirmed it: its place in line counts from then.
    pub confirmee_at: Option<DateTime<Utc>>,
}

impl Ligne for Inscription {
    fn lire(colonnes: &mut Colonnes) -> Result<Self, DbError> {
        Ok(Inscription {
            id: colonnes.prendre("id")?,
            attente: Attente::lire(colonnes)?,
            created_at: colonnes.prendre("created_at")?,
            confirmee_at: colonnes.prendre("confirmee_at")?,
        })
    }
}

impl Inscription {
    /// Its place in line: (confirmed at, id), first come first served.
    pub fn position(&self) -> (i64, i64) {
        (
            self.confirmee_at.unwrap_or(self.created_at).timestamp(),
            self.id,
        )
    }
}

const COLONNES: &str = "id, professionnel_id, service_id, user_id, email, nom, du, au, \
     fin_fenetre, statut, jeton_hash, base_url, created_at, confirmee_at";

/// An entry's place in line, in SQL (see [`Inscription::position`]).
const POSITION: &str = "coalesce(confirmee_at, created_at)";

/// How long a guest's entry waits for the owner of the address to confirm it.
pub const CONFIRMATION_HEURES: i64 = 24;

/// An entry to write.
#[derive(Debug, Clone)]
pub struct NouvelleInscription {
    pub attente: Attente,
    /// The mailbox the address reaches (`types::boite_aux_lettres`).
    pub boite: String,
    /// The pseudonymised client source that joins.
    pub source_hash: String,
}

/// What an entry that left the line keeps of its client: nothing (the booking it was
/// served keeps what the professional needs).
const ANONYME: &str =
    "email = 'anonyme-' || id || '@anonyme.invalid', nom = 'Anonyme', boite = NULL";

/// How long an entry that left the line is kept (anonymised) before it is deleted.
pub const CONSERVATION_JOURS: i64 = 30;

/// How many entries one mailbox may keep in line at one professional at once.
pub const INSCRIPTIONS_PAR_EMAIL: u32 = 3;

/// How many entries one client source may keep in line at once, all professionals.
pub const INSCRIPTIONS_PAR_SOURCE: u32 = 10;

/// Why an entry was not written.
#[derive(Debug, thiserror::Error)]
pub enum ErreurInscription {
    #[error("trop d'inscriptions en cours pour cette adresse")]
    TropDInscriptions,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Writes the entry with `suite` (its e-mail) in one batch, unless its mailbox already
/// keeps [`INSCRIPTIONS_PAR_EMAIL`] entries in line at the professional (confirmed ones:
/// a stranger's unconfirmed entries never lock the owner out), or its source
/// [`INSCRIPTIONS_PAR_SOURCE`] anywhere (counted in the batch, so that parallel requests
/// cannot all pass on the same count). Returns it.
pub async fn inscrire(
    db: &dyn Db,
    nouvelle: &NouvelleInscription,
    maintenant: DateTime<Utc>,
    suite: Vec<Statement>,
) -> Result<Inscription, ErreurInscription> {
    let t = maintenant.timestamp();
    let en_ligne = format!("statut IN ('{AConfirmer}', '{Active}') AND fin_fenetre > ?3");
    let mut batch = vec![
        Statement::new(format!(
            "INSERT INTO gardes (transition) SELECT (SELECT count(*) FROM liste_attente \
             WHERE professionnel_id = ?1 AND boite = ?2 AND statut = '{Active}' \
             AND fin_fenetre > ?3) < ?4 \
             AND (SELECT count(*) FROM liste_attente WHERE source_hash = ?5 AND {en_ligne}) < ?6"
        ))
        .bind(nouvelle.attente.professionnel_id)
        .bind(nouvelle.boite.as_str())
        .bind(t)
        .bind(INSCRIPTIONS_PAR_EMAIL)
        .bind(nouvelle.source_hash.as_str())
        .bind(INSCRIPTIONS_PAR_SOURCE),
        Statement::new(format!(
            "INSERT INTO liste_attente (professionnel_id, service_id, user_id, email, nom, du, au, \
             fin_fenetre, statut, jeton_hash, base_url, created_at, updated_at, boite, source_hash, \
             confirmee_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, ?13, ?14, \
             CASE WHEN ?9 = '{Active}' THEN ?12 END) RETURNING {COLONNES}"
        ))
        .bind(nouvelle.attente.professionnel_id)
        .bind(nouvelle.attente.service_id)
        .bind(nouvelle.attente.user_id)
        .bind(nouvelle.attente.email.as_str())
        .bind(nouvelle.attente.nom.as_str())
        .bind(nouvelle.attente.du.clone())
        .bind(nouvelle.attente.au.clone())
        .bind(nouvelle.attente.fin_fenetre.timestamp())
        .bind(nouvelle.attente.statut)
        .bind(nouvelle.attente.jeton_hash.as_str())
        .bind(nouvelle.attente.base_url.as_str())
        .bind(t)
        .bind(nouvelle.boite.as_str())
        .bind(nouvelle.source_hash.as_str()),
    ];
    batch.extend(suite);
    batch.push(vider_gardes());
    let resultats = db.batch(batch).await.map_err(|e| {
        if e.is_constraint_on("garde_transition") {
            ErreurInscription::TropDInscriptions
        } else {
            ErreurInscription::Db(e)
        }
    })?;
    let lignes: Vec<Inscription> = super::decode(resultats.into_iter().nth(1).unwrap_or_default())?;
    lignes
        .into_iter()
        .next()
        .ok_or_else(|| DbError::Decode("inscription non écrite".into()).into())
}

/// The entry whose link's secret hashes to `jeton_hash` (the e-mails' links name the
/// entry by their secret alone).
pub async fn par_jeton(db: &dyn Db, jeton_hash: &str) -> Result<Option<Inscription>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "SELECT {COLONNES} FROM liste_attente WHERE jeton_hash = ?1"
        ))
        .bind(jeton_hash),
    )
    .await
}

/// The entry the offer `reservation_id` was made to.
pub async fn par_offre(db: &dyn Db, reservation_id: &str) -> Result<Option<Inscription>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "SELECT {COLONNES} FROM liste_attente WHERE id = \
             (SELECT inscription_id FROM liste_attente_offres WHERE reservation_id = ?1)"
        ))
        .bind(reservation_id),
    )
    .await
}

/// A guest's entry becomes active once the owner of the address confirms it, while its
/// window is open. False when it was not awaiting that any more.
pub async fn confirmer(db: &dyn Db, id: i64, maintenant: DateTime<Utc>) -> Result<bool, DbError> {
    let lignes = db
        .query(
            Statement::new(format!(
                "UPDATE liste_attente SET statut = '{Active}', confirmee_at = ?2, updated_at = ?2 \
                 WHERE id = ?1 AND statut = '{AConfirmer}' AND fin_fenetre > ?2 RETURNING id"
            ))
            .bind(id)
            .bind(maintenant.timestamp()),
        )
        .await?;
    Ok(!lignes.is_empty())
}

/// The client leaves the list: the entry is marked `quittee` and anonymised, and an offer
/// it still holds ends (`expiree`), its slot released, in one batch.
pub async fn quitter(db: &dyn Db, id: i64, maintenant: DateTime<Utc>) -> Result<(), DbError> {
    let t = maintenant.timestamp();
    let offre = "SELECT reservation_id FROM liste_attente_offres WHERE inscription_id = ?1";
    db.batch(vec![
        Statement::new(format!(
            "UPDATE liste_attente SET statut = '{Quittee}', {ANONYME}, updated_at = ?2 \
             WHERE id = ?1 AND statut IN ('{AConfirmer}', '{Active}')"
        ))
        .bind(id)
        .bind(t),
        Statement::new(format!(
            "UPDATE reservations SET statut = '{Expiree}', updated_at = ?2 \
             WHERE statut = '{Offerte}' AND id IN ({offre})"
        ))
        .bind(id)
        .bind(t),
        Statement::new(format!(
            "DELETE FROM occupations WHERE seance IN ({offre}) AND seance IN \
             (SELECT id FROM reservations WHERE statut = '{Expiree}')"
        ))
        .bind(id),
    ])
    .await?;
    Ok(())
}

/// The entries of the professional in line now, first come first: active, window open,
/// for a service still offered, holding no live offer. At most `limite`, after the
/// position `apres` ([`Inscription::position`]) when given: a walk pages on through the
/// line.
pub async fn en_file(
    db: &dyn Db,
    professionnel_id: i64,
    maintenant: DateTime<Utc>,
    apres: Option<(i64, i64)>,
    limite: u32,
) -> Result<Vec<Inscription>, DbError> {
    let (position, id) = apres.unwrap_or((0, 0));
    fetch_all(
        db,
        Statement::new(format!(
            "SELECT {COLONNES} FROM liste_attente AS l WHERE professionnel_id = ?1 \
             AND statut = '{Active}' AND fin_fenetre > ?2 AND ({POSITION}, id) > (?4, ?5) \
             AND EXISTS (SELECT 1 FROM services s WHERE s.id = l.service_id AND s.actif = 1) \
             AND NOT EXISTS \
             (SELECT 1 FROM liste_attente_offres o JOIN reservations r ON r.id = o.reservation_id \
              WHERE o.inscription_id = l.id AND r.statut IN ('{Offerte}', '{EnAttentePaiement}') \
              AND r.expire_at > ?2) \
             ORDER BY {POSITION}, id LIMIT ?3"
        ))
        .bind(professionnel_id)
        .bind(maintenant.timestamp())
        .bind(limite)
        .bind(position)
        .bind(id),
    )
    .await
}

crate::ligne! {
    #[derive(Debug)]
    struct Offert {
        inscription_id: i64,
        debut: i64,
    }
}

/// The slot starts already offered to the entries in the professional's line, as
/// (entry, start): each is offered to an entry once at most.
pub async fn debuts_offerts(
    db: &dyn Db,
    professionnel_id: i64,
) -> Result<Vec<(i64, i64)>, DbError> {
    let lignes: Vec<Offert> = fetch_all(
        db,
        Statement::new(format!(
            "SELECT inscription_id, debut FROM liste_attente_offres WHERE inscription_id IN \
             (SELECT id FROM liste_attente WHERE professionnel_id = ?1 AND statut = '{Active}')"
        ))
        .bind(professionnel_id),
    )
    .await?;
    Ok(lignes
        .into_iter()
        .map(|l| (l.inscription_id, l.debut))
        .collect())
}

/// The statements that record an offer in the batch that writes its booking: the entry
/// must still be in line with no other live offer (`garde_transition`), and the same
/// start is never offered twice to it (primary key).
pub fn offrir(
    inscription_id: i64,
    reservation_id: &str,
    debut: DateTime<Utc>,
    maintenant: DateTime<Utc>,
) -> Vec<Statement> {
    vec![
        Statement::new(format!(
            "INSERT INTO gardes (transition) SELECT \
             EXISTS (SELECT 1 FROM liste_attente WHERE id = ?1 AND statut = '{Active}' AND fin_fenetre > ?2) \
             AND NOT EXISTS (SELECT 1 FROM liste_attente_offres o JOIN reservations r \
             ON r.id = o.reservation_id WHERE o.inscription_id = ?1 \
             AND r.statut IN ('{Offerte}', '{EnAttentePaiement}') AND r.expire_at > ?2)"
        ))
        .bind(inscription_id)
        .bind(maintenant.timestamp()),
        Statement::new(
            "INSERT INTO liste_attente_offres (inscription_id, debut, reservation_id, created_at) \
             VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(inscription_id)
        .bind(debut.timestamp())
        .bind(reservation_id)
        .bind(maintenant.timestamp()),
    ]
}

/// The client takes the offer: the booking, still offered, within its hold and owning its
/// slot, becomes `apres` (its status, its hold until `expire_at` when payment is due, and
/// the telephone, message and answers the client gave), in one guarded batch with the
/// e-mails. The entry is served once the booking is confirmed:
/// at once when nothing is due, when the payment is received otherwise (an entry whose
/// payment fails or lapses keeps its place in line).
pub fn accepter(apres: &Reservation, maintenant: DateTime<Utc>) -> Vec<Statement> {
    let reservation_id = apres.id.as_str();
    let mut batch = vec![
        Statement::new(format!(
            "UPDATE reservations SET statut = ?2, expire_at = ?3, updated_at = ?4, \
             client_telephone = ?5, message = ?6, reponses = ?7 \
             WHERE id = ?1 AND statut = '{Offerte}' AND expire_at > ?4 \
             AND {TIENT_SON_CRENEAU}"
        ))
        .bind(reservation_id)
        .bind(apres.statut)
        .bind(apres.expire_at.map(|e| e.timestamp()))
        .bind(maintenant.timestamp())
        .bind(apres.client_telephone.as_str())
        .bind(apres.message.as_str())
        .bind(apres.reponses.as_str()),
        garde_transition(),
    ];
    if apres.statut != EnAttentePaiement {
        batch.push(servir(reservation_id, maintenant));
    }
    batch
}

/// The entry the booking `reservation_id` was offered to (if any) is served, and
/// anonymised: its booking is confirmed (in the batch that confirms it).
pub fn servir(reservation_id: &str, maintenant: DateTime<Utc>) -> Statement {
    Statement::new(format!(
        "UPDATE liste_attente SET statut = '{Servie}', {ANONYME}, updated_at = ?2 \
         WHERE statut = '{Active}' \
         AND id = (SELECT inscription_id FROM liste_attente_offres WHERE reservation_id = ?1)"
    ))
    .bind(reservation_id)
    .bind(maintenant.timestamp())
}

/// The client turns the offer down: the booking ends (`expiree`), its slot released,
/// and the offer is marked declined, in one guarded batch.
pub async fn decliner(
    db: &dyn Db,
    reservation_id: &str,
    maintenant: DateTime<Utc>,
) -> Result<(), super::reservations::ErreurEcriture> {
    let t = maintenant.timestamp();
    db.batch(vec![
        Statement::new(format!(
            "UPDATE reservations SET statut = '{Expiree}', updated_at = ?2 \
             WHERE id = ?1 AND statut = '{Offerte}'"
        ))
        .bind(reservation_id)
        .bind(t),
        garde_transition(),
        Statement::new("DELETE FROM occupations WHERE seance = ?1").bind(reservation_id),
        Statement::new(
            "UPDATE liste_attente_offres SET declinee_at = ?2 WHERE reservation_id = ?1",
        )
        .bind(reservation_id)
        .bind(t),
        vider_gardes(),
    ])
    .await?;
    Ok(())
}

/// The entries whose window ended, and guests' entries left unconfirmed for
/// [`CONFIRMATION_HEURES`], leave the line, anonymised (scheduled job). How many.
pub fn expirer(maintenant: DateTime<Utc>) -> Statement {
    Statement::new(format!(
        "UPDATE liste_attente SET statut = '{}', {ANONYME}, updated_at = ?1 \
         WHERE (statut IN ('{AConfirmer}', '{Active}') AND fin_fenetre <= ?1) \
         OR (statut = '{AConfirmer}' AND created_at <= ?2) RETURNING id",
        StatutInscription::Expiree
    ))
    .bind(maintenant.timestamp())
    .bind((maintenant - chrono::Duration::hours(CONFIRMATION_HEURES)).timestamp())
}

/// The entries out of line for [`CONSERVATION_JOURS`] are deleted, with the offers made
/// to them (scheduled job).
pub fn purger(maintenant: DateTime<Utc>) -> Statement {
    Statement::new(format!(
        "DELETE FROM liste_attente WHERE statut IN ('{Servie}', '{Quittee}', '{}') \
         AND updated_at < ?1",
        StatutInscription::Expiree
    ))
    .bind((maintenant - chrono::Duration::days(CONSERVATION_JOURS)).timestamp())
}

/// Professionals with someone in line now (scheduled job), those whose line was walked
/// longest ago first (never walked first); at most `limite`. Their ids, for
/// [`fetch_ids`](super::fetch_ids).
pub fn professionnels_en_attente(maintenant: DateTime<Utc>, limite: u32) -> Statement {
    Statement::new(format!(
        "SELECT professionnel_id AS id FROM liste_attente WHERE statut = '{Active}' \
         AND fin_fenetre > ?1 GROUP BY professionnel_id \
         ORDER BY max(coalesce(passage_at, 0)), min(created_at) LIMIT ?2"
    ))
    .bind(maintenant.timestamp())
    .bind(limite)
}

/// Records that the scheduled job walked the professional's line now.
pub fn marquer_passage(professionnel_id: i64, maintenant: DateTime<Utc>) -> Statement {
    Statement::new(format!(
        "UPDATE liste_attente SET passage_at = ?2 WHERE professionnel_id = ?1 AND statut = '{Active}'"
    ))
    .bind(professionnel_id)
    .bind(maintenant.timestamp())
}

crate::ligne! {
    /// How many are in line for one of the professional's services.
    #[derive(Debug, Clone)]
    pub struct CompteService {
        pub service_id: i64,
        pub service: String,
        pub en_attente: i64,
    }
}

/// The number of entries in line per service of the professional (the pro space).
pub async fn compte_par_service(
    db: &dyn Db,
    professionnel_id: i64,
    maintenant: DateTime<Utc>,
) -> Result<Vec<CompteService>, DbError> {
    fetch_all(
        db,
        Statement::new(format!(
            "SELECT s.id AS service_id, s.nom AS service, count(*) AS en_attente \
             FROM liste_attente l JOIN services s ON s.id = l.service_id \
             WHERE l.professionnel_id = ?1 AND l.statut = '{Active}' AND l.fin_fenetre > ?2 \
             GROUP BY s.id, s.nom ORDER BY s.position, s.id"
        ))
        .bind(professionnel_id)
        .bind(maintenant.timestamp()),
    )
    .await
}

crate::ligne! {
    /// One of a signed-in client's entries, with what it is for.
    #[derive(Debug, Clone)]
    pub struct InscriptionDuCompte {
        pub professionnel: String,
        pub service: String,
        pub du: Option<String>,
        pub au: Option<String>,
        pub statut: StatutInscription,
    }
}

/// A signed-in client's entries still in line (their account page).
pub async fn du_compte(
    db: &dyn Db,
    user_id: i64,
    maintenant: DateTime<Utc>,
) -> Result<Vec<InscriptionDuCompte>, DbError> {
    fetch_all(
        db,
        Statement::new(format!(
            "SELECT p.nom AS professionnel, s.nom AS service, l.du, l.au, l.statut \
             FROM liste_attente l JOIN professionnels p ON p.id = l.professionnel_id \
             JOIN services s ON s.id = l.service_id WHERE l.user_id = ?1 \
             AND l.statut IN ('{AConfirmer}', '{Active}') AND l.fin_fenetre > ?2 \
             ORDER BY l.created_at, l.id"
        ))
        .bind(user_id)
        .bind(maintenant.timestamp()),
    )
    .await
}
