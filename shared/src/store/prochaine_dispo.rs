//! A professional's stored next free slot (`professionnels.prochaine_dispo`, migration
//! 0019): the reads its computation needs, its guarded write, and who is due for one.

use chrono::{DateTime, Utc};

use super::professionnels::Designe;
use super::{agendas, decode, membres, planning, reservations, services, DbError, Row, Statement};
use crate::types::StatutApprobation;

crate::ligne! {
    /// What the computation needs of the professional's row, and the version of the
    /// data it reads (`dispo_version`, raised by the triggers of every write it depends on).
    #[derive(Debug, Clone)]
    pub struct Etat {
        pub id: i64,
        pub vertical: String,
        pub fuseau: String,
        pub public: i64,
        pub approbation: StatutApprobation,
        pub dispo_version: i64,
    }
}

impl Etat {
    /// Listed by the sites (the directory's own condition).
    pub fn liste(&self) -> bool {
        self.public == 1 && self.approbation == StatutApprobation::Approuve
    }
}

/// Marks a professional's next free slot stale (what the triggers of migration 0019 do),
/// for the writes no trigger sees: the busy intervals of their external calendars,
/// replaced wholesale at every read; followed by the condition on `professionnels`.
pub(super) const MARQUER_PERIMEE: &str =
    "UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0 WHERE";

/// How many statements [`lectures`] gives.
pub const LECTURES: usize = 7;

/// The reads of one professional's computation, in this order: the row, the active
/// services in display order, the planning (two reads), the active bookings and the
/// external calendars' busy intervals meeting `[de, a)`, and the active members (each
/// member's own hours, time off and bookings count, as for the slots). Batched together
/// (for one professional or several, or with a booking's own reads), they read one
/// consistent state.
pub fn lectures<'a>(
    qui: impl Into<Designe<'a>>,
    (de, a): (DateTime<Utc>, DateTime<Utc>),
    maintenant: DateTime<Utc>,
) -> [Statement; LECTURES] {
    let qui = qui.into();
    let [disponibilites, absences] = planning::lectures(qui);
    [
        Statement::new(format!(
            "SELECT id, vertical, fuseau, public, approbation, dispo_version \
             FROM professionnels WHERE id = {}",
            qui.sql(1)
        ))
        .bind(qui.valeur()),
        services::lecture_actifs(qui),
        disponibilites,
        absences,
        reservations::lecture_occupations(qui, de, a, maintenant, None),
        agendas::lecture_occupations(qui, de, a),
        membres::lecture_actifs(qui),
    ]
}

/// The row read first by [`lectures`], if the professional still exists.
pub fn etat_depuis(lignes: Vec<Row>) -> Result<Option<Etat>, DbError> {
    Ok(decode::<Etat>(lignes)?.into_iter().next())
}

/// A computed next free slot, to store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prochaine {
    pub professionnel_id: i64,
    /// The `dispo_version` the computation read.
    pub version: i64,
    pub debut: Option<DateTime<Utc>>,
    pub service_id: Option<i64>,
    /// When it must be computed again (Unix seconds) even if nothing is written.
    pub revoir_a: i64,
}

/// Stores the result only if no write changed the data since it was read (the version
/// is still the one read): otherwise the newer write's own computation, or the scheduled
/// job, stores the true one.
pub fn enregistrer(p: &Prochaine) -> Statement {
    Statement::new(
        "UPDATE professionnels SET prochaine_dispo = ?3, prochaine_dispo_service_id = ?4, \
         dispo_revoir_a = ?5 WHERE id = ?1 AND dispo_version = ?2",
    )
    .bind(p.professionnel_id)
    .bind(p.version)
    .bind(p.debut.map(|d| d.timestamp()))
    .bind(p.service_id)
    .bind(p.revoir_a)
}

/// The professionals whose value is stale or due (`dispo_revoir_a <= maintenant`), the
/// longest due first, at most `limite`. Their ids, for [`fetch_ids`](super::fetch_ids).
pub fn a_revoir(maintenant: DateTime<Utc>, limite: u32) -> Statement {
    Statement::new(
        "SELECT id FROM professionnels WHERE dispo_revoir_a <= ?1 \
         ORDER BY dispo_revoir_a, id LIMIT ?2",
    )
    .bind(maintenant.timestamp())
    .bind(limite)
}

/// Marks stale every professional of a vertical whose rules changed, to be recomputed by
/// the scheduled job from `a_partir_de` (once every isolate reads the new document); a
/// computation from the former rules still in flight is not stored (the version moves).
pub fn marquer_vertical(vertical: &str, a_partir_de: DateTime<Utc>) -> Statement {
    Statement::new(
        "UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = ?2 \
         WHERE vertical = ?1",
    )
    .bind(vertical)
    .bind(a_partir_de.timestamp())
}
