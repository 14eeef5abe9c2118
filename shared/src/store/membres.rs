//! The members of an establishment (`membres`): people and resources, and the services
//! each can perform (`services_membres`).

use super::professionnels::Designe;
use super::{decode, DbError, Row, Statement};

crate::ligne! {
    #[derive(Debug)]
    struct LigneMembre {
        id: i64,
        nom: String,
        genre: String,
        services: String,
    }
}

/// An active member, as the slots and the bookings see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membre {
    pub id: i64,
    pub nom: String,
    /// A resource (a bay) rather than a person.
    pub ressource: bool,
    /// The services it can perform.
    pub services: Vec<i64>,
}

/// The read of the establishment's active members, in its order, for a batch.
pub fn lecture_actifs(qui: Designe<'_>) -> Statement {
    Statement::new(format!(
        "SELECT m.id, m.nom, m.genre, (SELECT json_group_array(sm.service_id) \
         FROM services_membres sm WHERE sm.membre_id = m.id) AS services \
         FROM membres m WHERE m.professionnel_id = {} AND m.actif = 1 ORDER BY m.position, m.id",
        qui.sql(1)
    ))
    .bind(qui.valeur())
}

pub fn depuis(rows: Vec<Row>) -> Result<Vec<Membre>, DbError> {
    decode::<LigneMembre>(rows)?
        .into_iter()
        .map(|l| {
            let services = serde_json::from_str(&l.services)
                .map_err(|e| DbError::Decode(format!("colonne services : {e}")))?;
            Ok(Membre {
                id: l.id,
                nom: l.nom,
                ressource: l.genre == "ressource",
                services,
            })
        })
        .collect()
}
