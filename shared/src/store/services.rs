//! Reads of `services`.

use serde::Serialize;

use super::professionnels::Designe;
use super::{fetch_all, fetch_optional, Db, DbError, Ligne, Statement};

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
        /// Seats in one session: 1 for a one-to-one appointment.
        pub places: i64,
    }
}

const COLONNES: &str =
    "id, professionnel_id, nom, description, duree_minutes, prix_centimes, acompte_centimes, \
     places";

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

/// A professional's active services, in display order, as one JSON array column of a
/// query over `professionnels p` (the directory reads its page and their services in one
/// statement); [`depuis_json`] reads it back.
pub(super) fn actifs_en_json() -> String {
    let membres: Vec<String> = COLONNES
        .split(", ")
        .map(|c| format!("'{c}', s.{c}"))
        .collect();
    format!(
        "(SELECT json_group_array(json_object({})) FROM (SELECT * FROM services s \
         WHERE s.professionnel_id = p.id AND s.actif = 1 ORDER BY s.position, s.id) s)",
        membres.join(", ")
    )
}

/// The services of an [`actifs_en_json`] column.
pub(super) fn depuis_json(texte: &str) -> Result<Vec<Service>, DbError> {
    match serde_json::from_str(texte) {
        Ok(serde_json::Value::Array(lignes)) => lignes
            .into_iter()
            .map(|ligne| match ligne {
                serde_json::Value::Object(ligne) => Service::lire(&mut super::Colonnes::new(ligne)),
                autre => Err(DbError::Decode(format!("service illisible : {autre}"))),
            })
            .collect(),
        _ => Err(DbError::Decode("services illisibles".into())),
    }
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
