//! Writes and reads of `reservations` and of their slot claims (`occupations`).
//!
//! A booking owns every 5-minute granule of its occupied interval (buffers included) in
//! `occupations`, whose primary key refuses a second owner: creating, moving and
//! releasing a booking are single batches, so no two active bookings of one
//! professional can ever overlap, whatever the concurrency. A batch that changes a
//! booking's state is guarded (`gardes`): it applies only if the booking was still in
//! the state the decision was made on.

use chrono::serde::{ts_seconds, ts_seconds_option};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::professionnels::Designe;
use super::{fetch_optional, liste_sql, Db, DbError, Statement};
use crate::disponibilites::Occupation;
use crate::reservation::StatutReservation::{
    self, Annulee, Confirmee, EnAttenteConfirmation, Expiree,
};
use crate::types::{AnnuleePar, Centimes, ProfessionnelId, ReservationId, ServiceId, UserId};

/// Whether the booking ?1 still holds its slot: its own granules, or its seat in a group
/// session (for a guard on a change of status).
pub(crate) const TIENT_SON_CRENEAU: &str = "(EXISTS (SELECT 1 FROM occupations WHERE seance = ?1) \
     OR EXISTS (SELECT 1 FROM places_reservees WHERE reservation_id = ?1))";

/// Seconds in one claimed granule (5 minutes).
const GRANULE: i64 = 300;

/// The statuses of a hold, as an SQL list: the slot is kept until `expire_at`, for the
/// client to pay or to confirm from the e-mail.
pub fn statuts_retenue() -> String {
    liste_sql(
        StatutReservation::TOUS
            .into_iter()
            .filter(|s| s.is_retenue()),
    )
}

/// The statuses that own slot claims, as an SQL list (a hold past its end still does
/// until it is marked `expiree`).
pub fn statuts_actifs() -> String {
    liste_sql(
        StatutReservation::TOUS
            .into_iter()
            .filter(|s| s.is_active()),
    )
}

/// Active means holding its slot: confirmed, or a hold within its time.
fn active_at(alias: &str, maintenant: &str) -> String {
    let prefix = if alias.is_empty() {
        String::new()
    } else {
        format!("{alias}.")
    };
    format!(
        "({prefix}statut = '{Confirmee}' OR ({prefix}statut IN {} AND {prefix}expire_at > {maintenant}))",
        statuts_retenue()
    )
}

crate::ligne! {
    #[derive(Debug, Clone, Serialize)]
    pub struct Reservation {
        pub id: ReservationId,
        pub professionnel_id: ProfessionnelId,
        pub service_id: ServiceId,
        pub user_id: Option<UserId>,
        #[serde(with = "ts_seconds")]
        pub date_heure: DateTime<Utc>,
        #[serde(with = "ts_seconds")]
        pub fin: DateTime<Utc>,
        pub statut: StatutReservation,
        pub message: String,
        pub client_nom: String,
        pub client_email: String,
        pub client_telephone: String,
        /// The vertical's extra form answers, as a JSON object's text.
        pub reponses: String,
        pub prix_centimes: Centimes,
        pub a_payer_centimes: Centimes,
        pub manage_token_hash: String,
        #[serde(with = "ts_seconds_option")]
        pub expire_at: Option<DateTime<Utc>>,
        pub annulee_par: Option<AnnuleePar>,
        pub motif_annulation: Option<String>,
        #[serde(with = "ts_seconds")]
        pub created_at: DateTime<Utc>,
        #[serde(with = "ts_seconds")]
        pub updated_at: DateTime<Utc>,
        /// The member it is assigned to: None until written (the batch that writes it
        /// picks it), and for a read that does not select it.
        pub membre_id: Option<i64>,
        /// Who the client is told it is with: the person, when the establishment has
        /// several active ones; None for a read that does not select it ([`par_id`] does).
        #[serde(skip)]
        pub membre_nom: Option<String>,
        /// The resource it took (a bay), by name; None for a read that does not select it.
        #[serde(skip)]
        pub ressource_nom: Option<String>,
    }
}

impl Reservation {
    /// Who the batch that wrote it gave it to.
    pub fn assigner(&mut self, assignee: Option<Assignee>) {
        if let Some(a) = assignee {
            self.membre_id = Some(a.membre_id);
            self.membre_nom = a.membre_nom;
            self.ressource_nom = a.ressource_nom;
        }
    }

    pub fn debut(&self) -> DateTime<Utc> {
        self.date_heure
    }

    pub fn fin(&self) -> DateTime<Utc> {
        self.fin
    }
}

/// The member's columns of a booking read alone: its member, and the names the client is
/// told (the person only when the establishment has more than one active person).
const MEMBRE: &str = "membre_id, \
     (SELECT m.nom FROM membres m WHERE m.id = reservations.membre_id AND m.genre = 'personne' \
     AND (SELECT count(*) FROM membres p WHERE p.professionnel_id = m.professionnel_id \
     AND p.genre = 'personne' AND p.actif = 1) > 1) AS membre_nom, \
     (SELECT m.nom FROM membres m WHERE m.id = reservations.ressource_id) AS ressource_nom";

const COLONNES: &str =
    "id, professionnel_id, service_id, user_id, date_heure, fin, statut, message, \
     client_nom, client_email, client_telephone, reponses, prix_centimes, a_payer_centimes, \
     manage_token_hash, expire_at, annulee_par, motif_annulation, created_at, updated_at";

pub async fn par_id(db: &dyn Db, id: &str) -> Result<Option<Reservation>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "SELECT {COLONNES}, {MEMBRE} FROM reservations WHERE id = ?1"
        ))
        .bind(id),
    )
    .await
}

/// The active bookings of a group session (`seance`), each with who it is with.
pub async fn de_seance(db: &dyn Db, seance: &str) -> Result<Vec<Reservation>, DbError> {
    let sql = format!(
        "SELECT {COLONNES}, {MEMBRE} FROM reservations WHERE seance = ?1 AND statut IN {} \
         ORDER BY created_at, id",
        statuts_actifs()
    );
    super::fetch_all(db, Statement::new(sql).bind(seance)).await
}

/// A booking with the SHA-256 of its confirmation secret (None when it needed none).
#[derive(Debug, Clone)]
pub struct AvecConfirmation {
    pub reservation: Reservation,
    pub confirmation_token_hash: Option<String>,
}

impl super::Ligne for AvecConfirmation {
    fn lire(colonnes: &mut super::Colonnes) -> Result<Self, DbError> {
        Ok(AvecConfirmation {
            confirmation_token_hash: colonnes.prendre("confirmation_token_hash")?,
            reservation: Reservation::lire(colonnes)?,
        })
    }
}

pub async fn par_id_avec_confirmation(
    db: &dyn Db,
    id: &str,
) -> Result<Option<AvecConfirmation>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "SELECT {COLONNES}, {MEMBRE}, confirmation_token_hash FROM reservations WHERE id = ?1"
        ))
        .bind(id),
    )
    .await
}

crate::ligne! {
    #[derive(Debug)]
    struct Intervalle {
        date_heure: DateTime<Utc>,
        fin: DateTime<Utc>,
    }
}

/// The read of the professional's active bookings that meet `[de, a)`, optionally
/// leaving one out (the booking being moved); decode its rows with [`occupations_depuis`].
/// Longer than any booking (a service lasts at most 8 hours): a booking that overlaps a
/// window started less than this before it, which bounds the agenda index's range from
/// below, so that reading a window costs the window, not the professional's whole past.
const DUREE_MAX_SECONDES: i64 = 24 * 3600;

pub fn lecture_occupations<'a>(
    qui: impl Into<Designe<'a>>,
    de: DateTime<Utc>,
    a: DateTime<Utc>,
    maintenant: DateTime<Utc>,
    sauf: Option<&str>,
) -> Statement {
    let qui = qui.into();
    let sql = format!(
        "SELECT date_heure, fin, membre_id, ressource_id, service_id, seance FROM reservations \
         WHERE professionnel_id = {} \
         AND date_heure < ?2 AND date_heure > ?3 - {DUREE_MAX_SECONDES} AND fin > ?3 \
         AND id IS NOT ?4 AND {}",
        qui.sql(1),
        active_at("", "?5")
    );
    Statement::new(sql)
        .bind(qui.valeur())
        .bind(a.timestamp())
        .bind(de.timestamp())
        .bind(sauf.map(str::to_owned))
        .bind(maintenant.timestamp())
}

pub fn occupations_depuis(rows: Vec<super::Row>) -> Result<Vec<Occupation>, DbError> {
    let rows: Vec<Intervalle> = super::decode(rows)?;
    Ok(rows
        .into_iter()
        .map(|r| Occupation {
            debut: r.date_heure,
            fin: r.fin,
        })
        .collect())
}

crate::ligne! {
    #[derive(Debug)]
    struct IntervalleMembre {
        date_heure: DateTime<Utc>,
        fin: DateTime<Utc>,
        membre_id: i64,
        ressource_id: Option<i64>,
        service_id: i64,
        seance: Option<String>,
    }
}

/// One member's active booking, as the slots see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccupationMembre {
    pub membre_id: i64,
    pub occupation: Occupation,
    pub service_id: i64,
    /// The group session it has a seat in, if any.
    pub seance: Option<String>,
}

/// The rows of [`lecture_occupations`] as each member's bookings: a booking that needs a
/// resource occupies its person and its resource.
pub fn occupations_par_membre(rows: Vec<super::Row>) -> Result<Vec<OccupationMembre>, DbError> {
    let rows: Vec<IntervalleMembre> = super::decode(rows)?;
    Ok(rows
        .into_iter()
        .flat_map(|r| {
            let occupation = Occupation {
                debut: r.date_heure,
                fin: r.fin,
            };
            std::iter::once(r.membre_id)
                .chain(r.ressource_id)
                .map(move |membre_id| OccupationMembre {
                    membre_id,
                    occupation,
                    service_id: r.service_id,
                    seance: r.seance.clone(),
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
    /// Every seat of the group session is taken.
    #[error("plus de place dans cette séance")]
    Complete,
    /// The time meets a busy interval of the professional's external calendars.
    #[error("le professionnel est occupé ailleurs")]
    OccupeAilleurs,
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
        if error.is_constraint_on("occupations.")
            || error.is_constraint_on("reservations.membre_id")
        {
            ErreurEcriture::Indisponible
        } else if error.is_constraint_on("places_reservees") {
            ErreurEcriture::Complete
        } else if error.is_constraint_on("garde_agenda_externe") {
            ErreurEcriture::OccupeAilleurs
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

/// The granules claimed for an occupied interval: `[debut, fin)` rounded out to 5 minutes,
/// in the name of the member the booking is assigned to (read back from its row, which the
/// same batch may just have written) and as its session (itself, or its group session,
/// whose granules already claimed are left as they are); and of its resource too when its
/// service needs one (none free: the NULL member fails the batch).
pub(crate) fn reclamer(reservation_id: &ReservationId, debut: i64, fin: i64) -> Statement {
    let premier = debut.div_euclid(GRANULE) * GRANULE;
    Statement::new(
        "INSERT INTO occupations (membre_id, tranche, seance) \
         WITH RECURSIVE t(x) AS (SELECT ?1 UNION ALL SELECT x + 300 FROM t WHERE x + 300 < ?2) \
         SELECT r.membre_id, x, coalesce(r.seance, r.id) FROM t, reservations r WHERE r.id = ?3 \
         AND NOT EXISTS (SELECT 1 FROM occupations o WHERE o.membre_id = r.membre_id \
         AND o.tranche = x AND o.seance = r.seance) \
         UNION ALL SELECT r.ressource_id, x, r.id FROM t, reservations r WHERE r.id = ?3 \
         AND (r.ressource_id IS NOT NULL OR EXISTS (SELECT 1 FROM services_membres sm \
         JOIN membres m ON m.id = sm.membre_id \
         WHERE sm.service_id = r.service_id AND m.genre = 'ressource' AND m.actif = 1))",
    )
    .bind(premier)
    .bind(fin)
    .bind(reservation_id)
}

/// Releases the claims of every booking of the professional that no longer holds its slot
/// (holds past their end are marked `expiree` first).
pub fn liberer_echues(
    professionnel_id: ProfessionnelId,
    maintenant: DateTime<Utc>,
) -> Vec<Statement> {
    vec![
        Statement::new(format!(
            "UPDATE reservations SET statut = '{Expiree}', updated_at = ?2 \
             WHERE professionnel_id = ?1 AND statut IN {} AND expire_at <= ?2",
            statuts_retenue()
        ))
        .bind(professionnel_id)
        .bind(maintenant.timestamp()),
        Statement::new(format!(
            "DELETE FROM occupations WHERE membre_id IN \
             (SELECT id FROM membres WHERE professionnel_id = ?1) AND seance IN \
             (SELECT id FROM reservations WHERE professionnel_id = ?1 \
              AND statut NOT IN {})",
            statuts_actifs()
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

/// Fails the batch (`garde_journee`) when the member the booking (already written in the
/// batch) is assigned to has its day full: its other sessions that day (a group session
/// counts once, and a seat in one already given adds none).
fn garde_journee(
    reservation_id: &ReservationId,
    limite: &LimiteJournee,
    maintenant: DateTime<Utc>,
) -> Statement {
    Statement::new(format!(
        "INSERT INTO gardes (journee) SELECT (SELECT count(DISTINCT coalesce(seance, id)) \
         FROM reservations WHERE membre_id = (SELECT membre_id FROM reservations WHERE id = ?1) \
         AND coalesce(seance, id) <> (SELECT coalesce(seance, id) FROM reservations WHERE id = ?1) \
         AND date_heure >= ?2 AND date_heure < ?3 AND {}) < ?5",
        active_at("", "?4")
    ))
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
    professionnel_id: ProfessionnelId,
    reservation_id: &ReservationId,
    plafond: &PlafondRetenues,
    maintenant: DateTime<Utc>,
) -> Statement {
    let retenues = format!(
        "SELECT count(*) FROM reservations WHERE professionnel_id = ?1 AND id <> ?2 \
         AND statut IN {} AND expire_at > ?3",
        statuts_retenue()
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

/// Fails the batch (`garde_transition`) when the statement before it changed no row.
pub(crate) fn garde_transition() -> Statement {
    Statement::new("INSERT INTO gardes (transition) VALUES (changes())")
}

pub(crate) fn vider_gardes() -> Statement {
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
    /// The members to assign it to, best first (those free when read; the client's choice
    /// alone); empty: any free one able to perform the service.
    pub membres: Vec<i64>,
    /// Likewise, the resources, for a service that needs one.
    pub ressources: Vec<i64>,
}

/// The member a new booking (?2 the establishment, ?3 the service) is assigned to, chosen
/// inside the batch that writes it: among the active members of `genre` able to perform
/// the service and owning no granule of the occupied interval (?23 its first granule, ?24
/// its end), the first of the preference list (`?{liste}`, a JSON array of ids computed
/// from the read; an empty one lets any of them in the establishment's order). NULL when
/// nobody is free: the row's NOT NULL, or the resource's claim, then fails the batch, as a
/// taken granule does, so concurrent bookings cannot pass on the same read.
fn membre_libre(genre: &str, liste: u8) -> String {
    format!(
        "SELECT m.id FROM services_membres sm JOIN membres m ON m.id = sm.membre_id \
         LEFT JOIN json_each(?{liste}) c ON c.value = m.id \
         WHERE sm.service_id = ?3 AND m.professionnel_id = ?2 AND m.actif = 1 \
         AND m.genre = '{genre}' AND (json_array_length(?{liste}) = 0 OR c.key IS NOT NULL) \
         AND NOT EXISTS (SELECT 1 FROM occupations o WHERE o.membre_id = m.id \
         AND o.tranche >= ?23 AND o.tranche < ?24 AND o.seance <> {SEANCE_DU_MEMBRE}) \
         AND (SELECT count(*) FROM places_reservees WHERE seance = {SEANCE_DU_MEMBRE}) \
         < (SELECT places FROM services WHERE id = ?3) \
         ORDER BY c.key, m.position, m.id LIMIT 1"
    )
}

/// The key of the group session member `m` would give of service ?3 at ?5: its granules
/// are no obstacle to a seat in it (for a one-to-one service, no such session exists, and
/// a full one is one of no seat left). The parameters are cast: D1 receives every number
/// from the Worker as a JavaScript number, which would read `1079.0` in the text and
/// never name the session `nommer_seance` writes from the row's integers.
const SEANCE_DU_MEMBRE: &str =
    "('g:' || CAST(?3 AS INTEGER) || ':' || m.id || ':' || CAST(?5 AS INTEGER))";

/// Gives the booking (?1, just written or moved in the batch) its group session's key when
/// its service seats more than one: `g:<service>:<member>:<start>`.
fn nommer_seance(reservation_id: &ReservationId) -> Statement {
    Statement::new(
        "UPDATE reservations SET seance = CASE WHEN (SELECT places FROM services s \
         WHERE s.id = service_id) > 1 THEN 'g:' || service_id || ':' || membre_id || ':' \
         || date_heure END WHERE id = ?1",
    )
    .bind(reservation_id)
}

/// Takes the first free seat of the booking's group session (none for a one-to-one
/// booking), the capacity copied from the service: past the last seat, the CHECK fails
/// the batch (« Plus de place dans cette séance »).
fn prendre_place(reservation_id: &ReservationId) -> Statement {
    Statement::new(
        "INSERT INTO places_reservees (seance, place, reservation_id, capacite) \
         SELECT r.seance, (SELECT min(n.place) FROM (SELECT 1 AS place UNION ALL \
         SELECT place + 1 FROM places_reservees WHERE seance = r.seance) n \
         WHERE n.place NOT IN (SELECT place FROM places_reservees WHERE seance = r.seance)), \
         r.id, s.places FROM reservations r JOIN services s ON s.id = r.service_id \
         WHERE r.id = ?1 AND r.seance IS NOT NULL",
    )
    .bind(reservation_id)
}

/// Gives back the booking's seat in its group session, and the session's granules with
/// the last seat (before a move; a change of status does it by trigger).
fn liberer_place(reservation_id: &ReservationId) -> [Statement; 2] {
    let seance = "(SELECT seance FROM reservations WHERE id = ?1)";
    [
        Statement::new("DELETE FROM places_reservees WHERE reservation_id = ?1")
            .bind(reservation_id),
        Statement::new(format!(
            "DELETE FROM occupations WHERE seance = {seance} \
             AND NOT EXISTS (SELECT 1 FROM places_reservees WHERE seance = {seance})"
        ))
        .bind(reservation_id),
    ]
}

/// The claims of a booking written or moved in the batch: its session's name, its
/// granules, its seat.
pub(crate) fn reclamer_seance(
    reservation_id: &ReservationId,
    debut: i64,
    fin: i64,
) -> [Statement; 3] {
    [
        nommer_seance(reservation_id),
        reclamer(reservation_id, debut, fin),
        prendre_place(reservation_id),
    ]
}

/// Writes the booking and claims its slot in one batch, with `suite` (e-mails to queue,
/// a payment row) in the same transaction. Fails as a whole if the slot or the day is taken.
/// Returns the member it was assigned to (None from a [`Db`] that returns no rows, the
/// script of the demo data).
pub async fn creer(
    db: &dyn Db,
    nouvelle: &NouvelleReservation,
    maintenant: DateTime<Utc>,
    suite: Vec<Statement>,
) -> Result<Option<Assignee>, ErreurEcriture> {
    creer_apres(db, Vec::new(), nouvelle, maintenant, suite).await
}

/// [`creer`], after `avant` in the same batch (the counting of the booking's rate limits
/// and their guard, `limites::comptes_gardes`): fails as a whole when one of them does.
pub async fn creer_apres(
    db: &dyn Db,
    avant: Vec<Statement>,
    nouvelle: &NouvelleReservation,
    maintenant: DateTime<Utc>,
    suite: Vec<Statement>,
) -> Result<Option<Assignee>, ErreurEcriture> {
    let r = &nouvelle.reservation;
    let mut batch = avant;
    batch.extend(liberer_echues(r.professionnel_id, maintenant));
    batch.push(super::agendas::garde(
        r.professionnel_id,
        r.date_heure,
        r.fin,
    ));
    if let Some(plafond) = &nouvelle.plafond_retenues {
        batch.push(garde_retenues(
            r.professionnel_id,
            &r.id,
            plafond,
            maintenant,
        ));
    }
    let (de, a) = nouvelle.occupation;
    let premier = de.timestamp().div_euclid(GRANULE) * GRANULE;
    batch.push(
        Statement::new(format!(
            "INSERT INTO reservations ({COLONNES}, source_hash, confirmation_token_hash, membre_id, \
             ressource_id) VALUES \
             (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, \
             ({}), ({}))",
            membre_libre("personne", 25),
            membre_libre("ressource", 26)
        ))
        .bind(r.id.as_str())
        .bind(r.professionnel_id)
        .bind(r.service_id)
        .bind(r.user_id)
        .bind(r.date_heure.timestamp())
        .bind(r.fin.timestamp())
        .bind(r.statut)
        .bind(r.message.as_str())
        .bind(r.client_nom.as_str())
        .bind(r.client_email.as_str())
        .bind(r.client_telephone.as_str())
        .bind(r.reponses.as_str())
        .bind(r.prix_centimes)
        .bind(r.a_payer_centimes)
        .bind(r.manage_token_hash.as_str())
        .bind(r.expire_at.map(|e| e.timestamp()))
        .bind(r.annulee_par)
        .bind(r.motif_annulation.clone())
        .bind(r.created_at.timestamp())
        .bind(r.updated_at.timestamp())
        .bind(nouvelle.source_hash.clone())
        .bind(nouvelle.confirmation_token_hash.clone())
        .bind(premier)
        .bind(a.timestamp())
        .bind(serde_json::json!(nouvelle.membres).to_string())
        .bind(serde_json::json!(nouvelle.ressources).to_string()),
    );
    batch.extend(reclamer_seance(&r.id, de.timestamp(), a.timestamp()));
    // The day's cap is the assigned member's, known once the row is written.
    if let Some(limite) = &nouvelle.limite_journee {
        batch.push(garde_journee(&r.id, limite, maintenant));
    }
    batch.extend(suite);
    batch.push(vider_gardes());
    // Who the batch gave it to, read last in the same batch.
    batch.push(
        Statement::new(format!("SELECT {MEMBRE} FROM reservations WHERE id = ?1"))
            .bind(r.id.as_str()),
    );
    let lignes = db.batch(batch).await?.pop().unwrap_or_default();
    // The booking is written: a read-back that cannot be decoded only loses the names.
    Ok(super::decode::<Assignee>(lignes)
        .ok()
        .and_then(|l| l.into_iter().next()))
}

crate::ligne! {
    /// Who a booking just written went to: its member, and the names its client is told.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Assignee {
        pub membre_id: i64,
        pub membre_nom: Option<String>,
        pub ressource_nom: Option<String>,
    }
}

/// Cancels a booking that is still in `statut_attendu`, and releases its slot.
pub async fn annuler(
    db: &dyn Db,
    reservation: &Reservation,
    par: AnnuleePar,
    motif: Option<&str>,
    maintenant: DateTime<Utc>,
    suite: Vec<Statement>,
) -> Result<(), ErreurEcriture> {
    let mut batch = vec![
        Statement::new(format!(
            "UPDATE reservations SET statut = '{Annulee}', annulee_par = ?2, motif_annulation = ?3, \
             updated_at = ?4 WHERE id = ?1 AND statut = ?5"
        ))
        .bind(reservation.id.as_str())
        .bind(par)
        .bind(motif.map(str::to_owned))
        .bind(maintenant.timestamp())
        .bind(reservation.statut),
        garde_transition(),
        Statement::new("DELETE FROM occupations WHERE seance = ?1")
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
        Statement::new(format!(
            "UPDATE reservations SET statut = '{Confirmee}', expire_at = NULL, updated_at = ?2 \
             WHERE id = ?1 AND statut = '{EnAttenteConfirmation}' AND expire_at > ?2 \
             AND {TIENT_SON_CRENEAU}"
        ))
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
    batch.extend(liberer_place(&reservation.id));
    batch.push(
        Statement::new(
            "UPDATE reservations SET date_heure = ?2, fin = ?3, updated_at = ?4 \
             WHERE id = ?1 AND statut = ?5 AND date_heure = ?6",
        )
        .bind(reservation.id.as_str())
        .bind(nouveau_debut.timestamp())
        .bind(nouvelle_fin.timestamp())
        .bind(maintenant.timestamp())
        .bind(reservation.statut)
        .bind(reservation.date_heure.timestamp()),
    );
    batch.push(garde_transition());
    batch.push(super::agendas::garde(
        reservation.professionnel_id,
        nouveau_debut,
        nouvelle_fin,
    ));
    batch.push(
        Statement::new("DELETE FROM occupations WHERE seance = ?1").bind(reservation.id.as_str()),
    );
    batch.extend(reclamer_seance(
        &reservation.id,
        occupation.0.timestamp(),
        occupation.1.timestamp(),
    ));
    if let Some(limite) = limite_journee {
        batch.push(garde_journee(&reservation.id, limite, maintenant));
    }
    batch.extend(suite);
    batch.push(vider_gardes());
    db.batch(batch).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::store::paiements::Paiement;
    use crate::store::{decode, Row};

    fn ligne() -> Row {
        json!({
            "id": "abababab-abab-4bab-abab-abababababab",
            "professionnel_id": 1,
            "service_id": 2,
            "user_id": null,
            "date_heure": 1_764_000_000,
            "fin": 1_764_003_600,
            "statut": "confirmee",
            "message": "",
            "client_nom": "Léa",
            "client_email": "lea@exemple.fr",
            "client_telephone": "",
            "reponses": "{}",
            "prix_centimes": 8900,
            "a_payer_centimes": 0,
            "manage_token_hash": "a".repeat(64),
            "expire_at": null,
            "annulee_par": null,
            "motif_annulation": null,
            "created_at": 1_763_000_000,
            "updated_at": 1_763_000_000,
        })
        .as_object()
        .cloned()
        .unwrap()
    }

    fn avec(champ: &str, valeur: serde_json::Value) -> Vec<Row> {
        let mut ligne = ligne();
        ligne.insert(champ.to_owned(), valeur);
        vec![ligne]
    }

    #[test]
    fn a_booking_row_decodes_into_its_types() {
        let lue: Vec<Reservation> = decode(vec![ligne()]).unwrap();
        let r = &lue[0];
        assert_eq!(r.statut, StatutReservation::Confirmee);
        assert_eq!(r.debut().timestamp(), 1_764_000_000);
        assert_eq!((r.fin() - r.debut()).num_minutes(), 60);
        assert_eq!(r.prix_centimes, Centimes::new(8900));
        assert_eq!(r.expire_at, None);
    }

    #[test]
    fn a_row_with_an_unknown_status_is_a_decoding_error() {
        for statut in ["payee", "Confirmee", "", "annule"] {
            let erreur = decode::<Reservation>(avec("statut", json!(statut))).unwrap_err();
            assert!(matches!(erreur, DbError::Decode(_)), "{statut}: {erreur}");
        }
        let erreur = decode::<Reservation>(avec("annulee_par", json!("admin"))).unwrap_err();
        assert!(matches!(erreur, DbError::Decode(_)), "{erreur}");
    }

    #[test]
    fn a_row_with_an_impossible_instant_is_a_decoding_error_not_1970() {
        for (champ, valeur) in [
            ("date_heure", json!(i64::MAX)),
            ("fin", json!(i64::MIN)),
            ("expire_at", json!(9_000_000_000_000_000_i64)),
            ("created_at", json!("2026-01-01")),
            ("updated_at", json!(1.5)),
        ] {
            let erreur = decode::<Reservation>(avec(champ, valeur)).unwrap_err();
            assert!(matches!(erreur, DbError::Decode(_)), "{champ}: {erreur}");
        }
    }

    #[test]
    fn a_payment_row_with_an_unknown_status_or_kind_is_a_decoding_error() {
        let paiement = json!({
            "id": 7, "reservation_id": "abababab-abab-4bab-abab-abababababab",
            "montant": 8900, "montant_rembourse": 0, "currency": "eur", "type": "total",
            "statut": "paye", "stripe_checkout_session_id": "cs_1",
            "stripe_payment_intent_id": null, "stripe_refund_id": null,
            "created_at": 1_763_000_000, "updated_at": 1_763_000_000,
        })
        .as_object()
        .cloned()
        .unwrap();
        assert!(decode::<Paiement>(vec![paiement.clone()]).is_ok());
        for (champ, valeur) in [("statut", "payé"), ("type", "solde")] {
            let mut ligne = paiement.clone();
            ligne.insert(champ.to_owned(), json!(valeur));
            let erreur = decode::<Paiement>(vec![ligne]).unwrap_err();
            assert!(matches!(erreur, DbError::Decode(_)), "{champ}: {erreur}");
        }
    }

    #[test]
    fn the_status_lists_in_sql_are_the_enum_s_own_texts() {
        assert_eq!(
            statuts_retenue(),
            "('offerte', 'en_attente_confirmation', 'en_attente_paiement')"
        );
        assert_eq!(
            statuts_actifs(),
            "('offerte', 'en_attente_confirmation', 'en_attente_paiement', 'confirmee')"
        );
        assert_eq!(
            active_at("r", "?5"),
            "(r.statut = 'confirmee' OR (r.statut IN ('offerte', 'en_attente_confirmation', \
             'en_attente_paiement') AND r.expire_at > ?5))"
        );
    }
}
