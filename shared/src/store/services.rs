//! Reads of `services`.

use serde::Serialize;

use super::professionnels::Designe;
use super::{fetch_all, fetch_optional, Db, DbError, Statement};

crate::ligne! {
    #[derive(Debug, Clone, Serialize)]
    pub struct Service {
        pub id: i64,
        pub professionnel_id: i64,
        pub nom: String,
        pub description: String,
        pub duree_minutes: i64,
        pub prix_centimes: i64,
        pub acompte_centimes: Option<i64>,
    }
}

const COLONNES: &str =
    "id, professionnel_id, nom, description, duree_minutes, prix_centimes, acompte_centimes";

/// The active services of some professionals, in each one's display order.
pub async fn actifs(db: &dyn Db, professionnel_ids: &[i64]) -> Result<Vec<Service>, DbError> {
    if professionnel_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids =
        serde_json::to_string(professionnel_ids).map_err(|e| DbError::Decode(e.to_string()))?;
    fetch_all(
        db,
        Statement::new(format!(
            "SELECT {COLONNES} FROM services WHERE actif = 1 \
             AND professionnel_id IN (SELECT value FROM json_each(?1)) \
             ORDER BY professionnel_id, position, id"
        ))
        .bind(ids),
    )
    .await
}

/// The active services of the professional whose id is `pro_id` (an SQL expression,
/// e.g. an outer query's column), as one JSON array: so that a page of professionals
/// comes with their services in the same statement. [`depuis_json`] reads it back.
pub(crate) fn en_json(pro_id: &str) -> String {
    let champs: Vec<String> = COLONNES
        .split(", ")
        .chain(["position"])
        .map(|c| format!("'{c}', s.{c}"))
        .collect();
    format!(
        "(SELECT json_group_array(json_object({})) FROM services s \
         WHERE s.professionnel_id = {pro_id} AND s.actif = 1)",
        champs.join(", ")
    )
}

/// The services of [`en_json`]'s array, in display order.
pub(crate) fn depuis_json(texte: &str) -> Result<Vec<Service>, DbError> {
    let mut lignes: Vec<super::Row> =
        serde_json::from_str(texte).map_err(|e| DbError::Decode(format!("services : {e}")))?;
    let rang = |l: &super::Row, c: &str| l.get(c).and_then(serde_json::Value::as_i64);
    lignes.sort_by_key(|l| (rang(l, "position"), rang(l, "id")));
    super::decode(lignes)
}

/// The read of one professional's active services, in display order (for a batch).
pub fn lecture_actifs<'a>(qui: impl Into<Designe<'a>>) -> Statement {
    let qui = qui.into();
    Statement::new(format!(
        "SELECT {COLONNES} FROM services WHERE actif = 1 AND professionnel_id = {} \
         ORDER BY position, id",
        qui.sql(1)
    ))
    .bind(qui.valeur())
}

/// The read of a service of this professional, with a further condition.
fn lecture_du_professionnel(qui: Designe<'_>, service_id: i64, condition: &str) -> Statement {
    Statement::new(format!(
        "SELECT {COLONNES} FROM services WHERE id = ?1 AND professionnel_id = {}{condition}",
        qui.sql(2)
    ))
    .bind(service_id)
    .bind(qui.valeur())
}

const ACTIF: &str = " AND actif = 1";

/// The read of an active service of this professional (for a batch).
pub fn lecture_actif<'a>(qui: impl Into<Designe<'a>>, service_id: i64) -> Statement {
    lecture_du_professionnel(qui.into(), service_id, ACTIF)
}

/// A service of this professional: only if it is still offered (`actif_seulement`), or
/// whatever its state (its page in the pro space, a booking of a retired service).
pub async fn du_professionnel(
    db: &dyn Db,
    professionnel_id: i64,
    service_id: i64,
    actif_seulement: bool,
) -> Result<Option<Service>, DbError> {
    let condition = if actif_seulement { ACTIF } else { "" };
    fetch_optional(
        db,
        lecture_du_professionnel(Designe::Id(professionnel_id), service_id, condition),
    )
    .await
}

/// A service whatever its state (a booking keeps pointing at a retired service).
pub async fn par_id(db: &dyn Db, service_id: i64) -> Result<Option<Service>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!("SELECT {COLONNES} FROM services WHERE id = ?1")).bind(service_id),
    )
    .await
}
