//! A professional's external calendars and the busy intervals read from them. Every
//! write of the professional is scoped by `professionnel_id`; the intervals of one
//! calendar are replaced in one batch.

use chrono::{DateTime, Utc};

use super::prochaine_dispo::MARQUER_PERIMEE;
use super::professionnels::Designe;
use super::{fetch_all, fetch_optional, Db, DbError, Statement};
use crate::agendas::Intervalle;
use crate::disponibilites::Absence;

const COLONNES: &str = "id, professionnel_id, url, etag, last_modified, tente_at, lu_at, erreur, \
                        occupations, avertissement, created_at";

crate::ligne! {
    #[derive(Debug, Clone, PartialEq)]
    pub struct AgendaExterne {
        pub id: i64,
        pub professionnel_id: i64,
        pub url: String,
        pub etag: Option<String>,
        pub last_modified: Option<String>,
        pub tente_at: Option<DateTime<Utc>>,
        pub lu_at: Option<DateTime<Utc>>,
        pub erreur: Option<String>,
        pub occupations: i64,
        /// What the last file read could not all give, in French.
        pub avertissement: Option<String>,
        pub created_at: DateTime<Utc>,
    }
}

/// The professional's calendars, oldest first.
pub async fn du_professionnel(
    db: &dyn Db,
    professionnel_id: i64,
) -> Result<Vec<AgendaExterne>, DbError> {
    fetch_all(
        db,
        Statement::new(format!(
            "SELECT {COLONNES} FROM agendas_externes WHERE professionnel_id = ?1 ORDER BY id"
        ))
        .bind(professionnel_id),
    )
    .await
}

/// What [`ajouter`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ajout {
    Ajoute(i64),
    /// The professional already has `maximum` calendars.
    Plafond,
    /// The professional already has this address.
    Doublon,
}

/// Adds a calendar unless the professional has `maximum` already (counted in the
/// statement that writes, so that concurrent additions cannot pass on the same count).
/// It is stamped as tried `maintenant`: the scheduled job does not claim it before the
/// read that follows its addition.
pub async fn ajouter(
    db: &dyn Db,
    professionnel_id: i64,
    url: &str,
    maximum: u32,
    maintenant: DateTime<Utc>,
) -> Result<Ajout, DbError> {
    let ecrit = db
        .query(
            Statement::new(
                "INSERT INTO agendas_externes (professionnel_id, url, created_at, tente_at) \
                 SELECT ?1, ?2, ?3, ?3 WHERE (SELECT count(*) FROM agendas_externes \
                 WHERE professionnel_id = ?1) < ?4 RETURNING id",
            )
            .bind(professionnel_id)
            .bind(url)
            .bind(maintenant.timestamp())
            .bind(maximum),
        )
        .await;
    match ecrit {
        Ok(lignes) => Ok(lignes
            .first()
            .and_then(|l| l.get("id"))
            .and_then(serde_json::Value::as_i64)
            .map_or(Ajout::Plafond, Ajout::Ajoute)),
        Err(e) if e.is_constraint_on("agendas_externes.") => Ok(Ajout::Doublon),
        Err(e) => Err(e),
    }
}

/// Removes one of the professional's calendars and its busy intervals (their next free
/// slot marked stale if it had any): false when it is not theirs.
pub async fn retirer(db: &dyn Db, professionnel_id: i64, id: i64) -> Result<bool, DbError> {
    let resultats = db
        .batch(vec![
            Statement::new(format!(
                "{MARQUER_PERIMEE} id = ?2 AND EXISTS (SELECT 1 FROM occupations_externes \
                 WHERE agenda_id = ?1 AND professionnel_id = ?2)"
            ))
            .bind(id)
            .bind(professionnel_id),
            Statement::new(
                "DELETE FROM occupations_externes WHERE agenda_id = ?1 AND professionnel_id = ?2",
            )
            .bind(id)
            .bind(professionnel_id),
            Statement::new(
                "DELETE FROM agendas_externes WHERE id = ?1 AND professionnel_id = ?2 RETURNING id",
            )
            .bind(id)
            .bind(professionnel_id),
        ])
        .await?;
    Ok(resultats.last().is_some_and(|r| !r.is_empty()))
}

/// Claims the `limite` calendars least recently tried, of those not tried since
/// `avant`: their attempt is stamped `maintenant` in the same statement, so that runs
/// that overlap do not fetch the same calendar twice.
pub async fn reclamer_dus(
    db: &dyn Db,
    maintenant: DateTime<Utc>,
    avant: DateTime<Utc>,
    limite: u32,
) -> Result<Vec<AgendaExterne>, DbError> {
    fetch_all(
        db,
        Statement::new(format!(
            "UPDATE agendas_externes SET tente_at = ?1 WHERE id IN (SELECT id FROM agendas_externes \
             WHERE tente_at IS NULL OR tente_at < ?2 ORDER BY tente_at, id LIMIT ?3) \
             RETURNING {COLONNES}"
        ))
        .bind(maintenant.timestamp())
        .bind(avant.timestamp())
        .bind(limite),
    )
    .await
}

/// Claims one of the professional's calendars unless it was tried since `avant`.
pub async fn reclamer_un(
    db: &dyn Db,
    professionnel_id: i64,
    id: i64,
    maintenant: DateTime<Utc>,
    avant: DateTime<Utc>,
) -> Result<Option<AgendaExterne>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "UPDATE agendas_externes SET tente_at = ?3 WHERE id = ?1 AND professionnel_id = ?2 \
             AND (tente_at IS NULL OR tente_at < ?4) RETURNING {COLONNES}"
        ))
        .bind(id)
        .bind(professionnel_id)
        .bind(maintenant.timestamp())
        .bind(avant.timestamp()),
    )
    .await
}

/// The outcome of one attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lecture {
    /// A file read: its busy intervals replace the calendar's, with its validators.
    Lu {
        intervalles: Vec<Intervalle>,
        etag: Option<String>,
        last_modified: Option<String>,
        /// What it could not all give, in French.
        avertissement: Option<String>,
    },
    /// Not modified (304): the intervals stay.
    Inchange,
    /// A failure, in French: the intervals of the last file read stay (a calendar
    /// unreachable for a while keeps the professional busy rather than free).
    Echec(String),
}

/// Records an attempt's outcome; the intervals of a file read are replaced in the same
/// batch (none of them if the calendar was removed meanwhile). True when the busy
/// intervals changed: the professional's next free slot is then marked stale in the same
/// batch.
pub async fn enregistrer(
    db: &dyn Db,
    agenda: &AgendaExterne,
    lecture: &Lecture,
    maintenant: DateTime<Utc>,
) -> Result<bool, DbError> {
    let batch = match lecture {
        Lecture::Lu {
            intervalles,
            etag,
            last_modified,
            avertissement,
        } => {
            // Stored in whole seconds: an interval empty once rounded is not one (and
            // would fail the table's `fin > debut`).
            let json: Vec<[i64; 2]> = intervalles
                .iter()
                .map(|(d, f)| [d.timestamp(), f.timestamp()])
                .filter(|[d, f]| d < f)
                .collect();
            let json = serde_json::to_string(&json).unwrap_or_else(|_| "[]".into());
            let lus = "SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') \
                       FROM json_each(?3)";
            let stockes = "SELECT debut, fin FROM occupations_externes WHERE agenda_id = ?1";
            vec![
                // Before they are replaced: stale when the read differs from what is stored.
                Statement::new(format!(
                    "{MARQUER_PERIMEE} id = ?2 AND EXISTS (SELECT 1 FROM agendas_externes WHERE id = ?1) \
                     AND (EXISTS ({lus} EXCEPT {stockes}) OR EXISTS ({stockes} EXCEPT {lus})) \
                     RETURNING id"
                ))
                .bind(agenda.id)
                .bind(agenda.professionnel_id)
                .bind(json.as_str()),
                Statement::new("DELETE FROM occupations_externes WHERE agenda_id = ?1")
                    .bind(agenda.id),
                Statement::new(format!(
                    "INSERT INTO occupations_externes (agenda_id, professionnel_id, debut, fin) \
                     SELECT ?1, ?2, l.* FROM ({lus}) l \
                     WHERE EXISTS (SELECT 1 FROM agendas_externes WHERE id = ?1)"
                ))
                .bind(agenda.id)
                .bind(agenda.professionnel_id)
                .bind(json),
                Statement::new(
                    "UPDATE agendas_externes SET etag = ?2, last_modified = ?3, lu_at = ?4, \
                     erreur = NULL, occupations = ?5, avertissement = ?6 WHERE id = ?1",
                )
                .bind(agenda.id)
                .bind(etag.clone())
                .bind(last_modified.clone())
                .bind(maintenant.timestamp())
                .bind(i64::try_from(intervalles.len()).unwrap_or(i64::MAX))
                .bind(avertissement.clone()),
            ]
        }
        Lecture::Inchange => {
            vec![
                Statement::new("UPDATE agendas_externes SET erreur = NULL WHERE id = ?1")
                    .bind(agenda.id),
            ]
        }
        Lecture::Echec(message) => {
            vec![
                Statement::new("UPDATE agendas_externes SET erreur = ?2 WHERE id = ?1")
                    .bind(agenda.id)
                    .bind(message.as_str()),
            ]
        }
    };
    let resultats = db.batch(batch).await?;
    Ok(matches!(lecture, Lecture::Lu { .. }) && resultats.first().is_some_and(|r| !r.is_empty()))
}

/// The time zones of some professionals, by id.
pub async fn fuseaux(db: &dyn Db, professionnels: &[i64]) -> Result<Vec<(i64, String)>, DbError> {
    let ids = serde_json::to_string(professionnels).unwrap_or_else(|_| "[]".into());
    let lignes: Vec<LigneFuseau> = fetch_all(
        db,
        Statement::new(
            "SELECT id, fuseau FROM professionnels WHERE id IN (SELECT value FROM json_each(?1))",
        )
        .bind(ids),
    )
    .await?;
    Ok(lignes.into_iter().map(|l| (l.id, l.fuseau)).collect())
}

crate::ligne! {
    struct LigneFuseau {
        id: i64,
        fuseau: String,
    }
}

/// The read of the professional's busy intervals that meet `[de, a)`; decode its rows
/// with [`intervalles_depuis`].
pub fn lecture_occupations<'a>(
    qui: impl Into<Designe<'a>>,
    de: DateTime<Utc>,
    a: DateTime<Utc>,
) -> Statement {
    let qui = qui.into();
    Statement::new(format!(
        "SELECT debut, fin FROM occupations_externes WHERE professionnel_id = {} \
         AND debut < ?2 AND fin > ?3 ORDER BY debut",
        qui.sql(1)
    ))
    .bind(qui.valeur())
    .bind(a.timestamp())
    .bind(de.timestamp())
}

crate::ligne! {
    struct LigneOccupation {
        debut: DateTime<Utc>,
        fin: DateTime<Utc>,
    }
}

pub fn intervalles_depuis(rows: Vec<super::Row>) -> Result<Vec<Intervalle>, DbError> {
    let lignes: Vec<LigneOccupation> = super::decode(rows)?;
    Ok(lignes.into_iter().map(|l| (l.debut, l.fin)).collect())
}

/// The busy intervals of [`lecture_occupations`]'s rows as time off: what they are to the
/// slot computation.
pub fn absences_depuis(rows: Vec<super::Row>) -> Result<Vec<Absence>, DbError> {
    Ok(intervalles_depuis(rows)?
        .into_iter()
        .map(|(debut, fin)| Absence::Periode { debut, fin })
        .collect())
}

/// Fails the batch (`garde_agenda_externe`) when `[debut, fin)` meets a busy interval of
/// the professional's external calendars.
pub(crate) fn garde(
    professionnel_id: impl Into<super::Value>,
    debut: DateTime<Utc>,
    fin: DateTime<Utc>,
) -> Statement {
    Statement::new(
        "INSERT INTO gardes (agenda_externe) SELECT NOT EXISTS (SELECT 1 FROM occupations_externes \
         WHERE professionnel_id = ?1 AND debut < ?3 AND fin > ?2)",
    )
    .bind(professionnel_id)
    .bind(debut.timestamp())
    .bind(fin.timestamp())
}
