//! The professional's own data: profile, services, hours and time off. Every write is
//! scoped by `professionnel_id` in its WHERE clause, so an id of another professional
//! changes nothing (and reads as "not found").

use serde::Serialize;

use super::professionnels::Professionnel;
use super::{fetch_all, fetch_optional, Db, DbError, Statement};
use crate::comptes::saisies_pro::{
    AbsenceSaisie, OuvertureSaisie, PlageSaisie, Profil, ServiceSaisi,
};

use super::professionnels::COLONNES as COLONNES_PRO;

/// The professional profile of an account.
pub async fn du_compte(db: &dyn Db, user_id: i64) -> Result<Option<Professionnel>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "SELECT {COLONNES_PRO} FROM professionnels p WHERE p.user_id = ?1"
        ))
        .bind(user_id),
    )
    .await
}

/// The professional's own fields. The admin's approval (`approbation`) is only
/// [`super::admin::decider`]'s, with one exception: an approved profile whose SIRET or bar
/// changes goes back to the queue (`en_attente`), since it was approved on the former.
pub async fn modifier_profil(
    db: &dyn Db,
    professionnel_id: i64,
    p: &Profil,
) -> Result<(), DbError> {
    db.query(
        Statement::new(
            "UPDATE professionnels SET bio = ?2, ville = ?3, region = ?4, photo_url = ?5, \
             prix_min = ?6, prix_max = ?7, public = ?8, siret = ?9, barreau = ?10, code_postal = ?11, \
             approbation_motif = CASE WHEN approbation = 'approuve' \
               AND (siret IS NOT ?9 OR barreau IS NOT ?10) \
               THEN 'Justificatif modifié : l''approbation est à renouveler.' \
               ELSE approbation_motif END, \
             approbation = CASE WHEN approbation = 'approuve' \
               AND (siret IS NOT ?9 OR barreau IS NOT ?10) THEN 'en_attente' \
               ELSE approbation END \
             WHERE id = ?1",
        )
        .bind(professionnel_id)
        .bind(p.bio.as_str())
        .bind(p.ville.as_str())
        .bind(p.region.as_str())
        .bind(p.photo_url.clone())
        .bind(p.prix_min)
        .bind(p.prix_max)
        .bind(p.public)
        .bind(p.siret.clone())
        .bind(p.barreau.clone())
        .bind(p.code_postal.clone()),
    )
    .await?;
    Ok(())
}

crate::ligne! {
    #[derive(Debug, Clone, Serialize)]
    pub struct ServicePro {
        pub id: i64,
        pub nom: String,
        pub description: String,
        pub duree_minutes: i64,
        pub prix_centimes: i64,
        pub acompte_centimes: Option<i64>,
        pub actif: i64,
    }
}

/// Every service, retired ones included, in display order.
pub async fn services(db: &dyn Db, professionnel_id: i64) -> Result<Vec<ServicePro>, DbError> {
    fetch_all(
        db,
        Statement::new(
            "SELECT id, nom, description, duree_minutes, prix_centimes, acompte_centimes, actif \
             FROM services WHERE professionnel_id = ?1 ORDER BY actif DESC, position, id",
        )
        .bind(professionnel_id),
    )
    .await
}

/// Runs a write that returns the id of the row it wrote (`RETURNING id`), if any.
pub(super) async fn id_renvoye(db: &dyn Db, statement: Statement) -> Result<Option<i64>, DbError> {
    let rows = db.query(statement).await?;
    Ok(rows
        .first()
        .and_then(|ligne| ligne.get("id"))
        .and_then(serde_json::Value::as_i64))
}

/// Binds a service's fields, in this order, after the statement's first parameters.
fn lier_service(statement: Statement, s: &ServiceSaisi) -> Statement {
    statement
        .bind(s.nom.as_str())
        .bind(s.description.as_str())
        .bind(s.duree_minutes)
        .bind(s.prix_centimes)
        .bind(s.acompte_centimes)
}

pub async fn ajouter_service(
    db: &dyn Db,
    professionnel_id: i64,
    s: &ServiceSaisi,
) -> Result<Option<i64>, DbError> {
    let insertion = Statement::new(
        "INSERT INTO services (professionnel_id, nom, description, duree_minutes, prix_centimes, \
         acompte_centimes, position) VALUES (?1, ?2, ?3, ?4, ?5, ?6, \
         (SELECT coalesce(max(position), 0) + 1 FROM services WHERE professionnel_id = ?1)) RETURNING id",
    )
    .bind(professionnel_id);
    id_renvoye(db, lier_service(insertion, s)).await
}

/// `false` when the service is not this professional's.
pub async fn modifier_service(
    db: &dyn Db,
    professionnel_id: i64,
    service_id: i64,
    s: &ServiceSaisi,
) -> Result<bool, DbError> {
    let modification = Statement::new(
        "UPDATE services SET nom = ?3, description = ?4, duree_minutes = ?5, prix_centimes = ?6, \
         acompte_centimes = ?7, actif = 1 WHERE id = ?1 AND professionnel_id = ?2 RETURNING id",
    )
    .bind(service_id)
    .bind(professionnel_id);
    Ok(id_renvoye(db, lier_service(modification, s))
        .await?
        .is_some())
}

/// Retires a service: no longer offered; past and booked appointments keep it.
pub async fn retirer_service(
    db: &dyn Db,
    professionnel_id: i64,
    service_id: i64,
) -> Result<bool, DbError> {
    sur_une_ligne_du_pro(
        db,
        "UPDATE services SET actif = 0 WHERE id = ?1 AND professionnel_id = ?2 RETURNING id",
        service_id,
        professionnel_id,
    )
    .await
}

/// Runs a change of one row (`?1`) of the professional (`?2`) that returns its id;
/// `false` when no row of theirs has that id.
async fn sur_une_ligne_du_pro(
    db: &dyn Db,
    sql: &str,
    id: i64,
    professionnel_id: i64,
) -> Result<bool, DbError> {
    Ok(
        id_renvoye(db, Statement::new(sql).bind(id).bind(professionnel_id))
            .await?
            .is_some(),
    )
}

crate::ligne! {
    #[derive(Debug, Clone, Serialize)]
    pub struct Disponibilite {
        pub id: i64,
        pub recurrence: String,
        pub jour_semaine: Option<i64>,
        pub date: Option<String>,
        pub heure_debut: String,
        pub heure_fin: String,
    }
}

/// The member's weekly hours and dated openings.
pub async fn disponibilites(
    db: &dyn Db,
    professionnel_id: i64,
    membre_id: i64,
) -> Result<Vec<Disponibilite>, DbError> {
    fetch_all(
        db,
        Statement::new(
            "SELECT id, recurrence, jour_semaine, date, heure_debut, heure_fin FROM disponibilites \
             WHERE professionnel_id = ?1 AND membre_id = ?2 \
             ORDER BY recurrence DESC, jour_semaine, date, heure_debut",
        )
        .bind(professionnel_id)
        .bind(membre_id),
    )
    .await
}

/// The member `?n` given, or else the establishment (?1)'s first member.
fn membre_ou_premier(n: u8) -> String {
    format!(
        "coalesce(?{n}, (SELECT id FROM membres WHERE professionnel_id = ?1 ORDER BY position, id LIMIT 1))"
    )
}

/// Replaces the weekly hours of the establishment's first member as a whole.
pub async fn remplacer_semaine(
    db: &dyn Db,
    professionnel_id: i64,
    plages: &[PlageSaisie],
) -> Result<(), DbError> {
    remplacer_semaine_membre(db, professionnel_id, None, plages).await
}

/// Replaces one member's weekly hours (the first member's with `None`) as a whole, in one
/// batch; the caller checked that the member is the establishment's.
pub async fn remplacer_semaine_membre(
    db: &dyn Db,
    professionnel_id: i64,
    membre_id: Option<i64>,
    plages: &[PlageSaisie],
) -> Result<(), DbError> {
    let mut batch = vec![Statement::new(format!(
        "DELETE FROM disponibilites WHERE professionnel_id = ?1 AND membre_id = {} \
         AND recurrence = 'hebdomadaire'",
        membre_ou_premier(2)
    ))
    .bind(professionnel_id)
    .bind(membre_id)];
    batch.extend(plages.iter().map(|p| {
        Statement::new(format!(
            "INSERT INTO disponibilites (professionnel_id, recurrence, jour_semaine, heure_debut, heure_fin, membre_id) \
             VALUES (?1, 'hebdomadaire', ?2, ?3, ?4, {})",
            membre_ou_premier(5)
        ))
        .bind(professionnel_id)
        .bind(p.jour_semaine)
        .bind(p.heure_debut.as_str())
        .bind(p.heure_fin.as_str())
        .bind(membre_id)
    }));
    db.batch(batch).await?;
    Ok(())
}

/// A dated opening of the establishment's first member.
pub async fn ajouter_ouverture(
    db: &dyn Db,
    professionnel_id: i64,
    o: &OuvertureSaisie,
) -> Result<Option<i64>, DbError> {
    ajouter_ouverture_membre(db, professionnel_id, None, o).await
}

/// A dated opening of one member (the first one with `None`); the caller checked that
/// the member is the establishment's.
pub async fn ajouter_ouverture_membre(
    db: &dyn Db,
    professionnel_id: i64,
    membre_id: Option<i64>,
    o: &OuvertureSaisie,
) -> Result<Option<i64>, DbError> {
    id_renvoye(
        db,
        Statement::new(format!(
            "INSERT INTO disponibilites (professionnel_id, recurrence, date, heure_debut, heure_fin, membre_id) \
             VALUES (?1, 'date', ?2, ?3, ?4, {}) RETURNING id",
            membre_ou_premier(5)
        ))
        .bind(professionnel_id)
        .bind(o.date.as_str())
        .bind(o.heure_debut.as_str())
        .bind(o.heure_fin.as_str())
        .bind(membre_id),
    )
    .await
}

crate::ligne! {
    #[derive(Debug, Clone, Serialize)]
    pub struct AbsencePro {
        pub id: i64,
        #[serde(rename = "type")]
        pub type_absence: String = "type",
        pub du: Option<String>,
        pub au: Option<String>,
        #[serde(with = "chrono::serde::ts_seconds_option")]
        pub debut: Option<chrono::DateTime<chrono::Utc>>,
        #[serde(with = "chrono::serde::ts_seconds_option")]
        pub fin: Option<chrono::DateTime<chrono::Utc>>,
        pub motif: String,
        /// The member away, or none for the whole establishment.
        pub membre_id: Option<i64>,
    }
}

/// The time off of one member and the whole establishment's, or with `None` all of it.
pub async fn absences(
    db: &dyn Db,
    professionnel_id: i64,
    membre_id: Option<i64>,
) -> Result<Vec<AbsencePro>, DbError> {
    fetch_all(
        db,
        Statement::new(
            "SELECT id, type, du, au, debut, fin, motif, membre_id FROM absences \
             WHERE professionnel_id = ?1 AND (?2 IS NULL OR membre_id IS NULL OR membre_id = ?2) \
             ORDER BY coalesce(du, strftime('%Y-%m-%d', debut, 'unixepoch')), id",
        )
        .bind(professionnel_id)
        .bind(membre_id),
    )
    .await
}

/// Time off for the whole establishment.
pub async fn ajouter_absence(
    db: &dyn Db,
    professionnel_id: i64,
    a: &AbsenceSaisie,
) -> Result<Option<i64>, DbError> {
    ajouter_absence_membre(db, professionnel_id, None, a).await
}

/// Time off for one member (checked by the caller to be the establishment's), or with
/// `None` for the whole establishment.
pub async fn ajouter_absence_membre(
    db: &dyn Db,
    professionnel_id: i64,
    membre_id: Option<i64>,
    a: &AbsenceSaisie,
) -> Result<Option<i64>, DbError> {
    let statement = match a {
        AbsenceSaisie::Jours { du, au, motif } => Statement::new(
            "INSERT INTO absences (professionnel_id, type, du, au, motif, membre_id) VALUES (?1, 'jours', ?2, ?3, ?4, ?5) RETURNING id",
        )
        .bind(professionnel_id)
        .bind(du.as_str())
        .bind(au.as_str())
        .bind(motif.as_str()),
        AbsenceSaisie::Periode { debut, fin, motif } => Statement::new(
            "INSERT INTO absences (professionnel_id, type, debut, fin, motif, membre_id) VALUES (?1, 'periode', ?2, ?3, ?4, ?5) RETURNING id",
        )
        .bind(professionnel_id)
        .bind(*debut)
        .bind(*fin)
        .bind(motif.as_str()),
    };
    let statement = statement.bind(membre_id);
    id_renvoye(db, statement).await
}

/// What a professional may remove from their calendar by its id: a dated opening or a
/// time off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retrait {
    Ouverture,
    Absence,
}

/// Removes one of the professional's dated openings or time off: false when it is not
/// theirs (or no longer there).
pub async fn retirer(
    db: &dyn Db,
    retrait: Retrait,
    professionnel_id: i64,
    id: i64,
) -> Result<bool, DbError> {
    let sql = match retrait {
        Retrait::Ouverture => {
            "DELETE FROM disponibilites WHERE id = ?1 AND professionnel_id = ?2 \
             AND recurrence = 'date' RETURNING id"
        }
        Retrait::Absence => {
            "DELETE FROM absences WHERE id = ?1 AND professionnel_id = ?2 RETURNING id"
        }
    };
    sur_une_ligne_du_pro(db, sql, id, professionnel_id).await
}

/// Sets (or with `None`, revokes) the calendar feed's secret hash.
pub async fn definir_calendrier(
    db: &dyn Db,
    professionnel_id: i64,
    hash: Option<&str>,
) -> Result<(), DbError> {
    db.query(
        Statement::new("UPDATE professionnels SET calendrier_token_hash = ?2 WHERE id = ?1")
            .bind(professionnel_id)
            .bind(hash.map(str::to_owned)),
    )
    .await?;
    Ok(())
}

pub async fn a_un_calendrier(db: &dyn Db, professionnel_id: i64) -> Result<bool, DbError> {
    crate::ligne! {
        struct Ligne {
            n: i64,
        }
    }
    let l: Option<Ligne> = fetch_optional(
        db,
        Statement::new("SELECT count(*) AS n FROM professionnels WHERE id = ?1 AND calendrier_token_hash IS NOT NULL")
            .bind(professionnel_id),
    )
    .await?;
    Ok(l.is_some_and(|l| l.n > 0))
}

/// The professional whose calendar feed secret hashes to `hash`.
pub async fn par_calendrier(db: &dyn Db, hash: &str) -> Result<Option<Professionnel>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "SELECT {COLONNES_PRO} FROM professionnels p WHERE p.calendrier_token_hash = ?1"
        ))
        .bind(hash),
    )
    .await
}
