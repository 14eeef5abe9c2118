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

// ---------------------------------------------------------------------------------------
// The professional's space: managing the members, and who performs each service. Every
// statement is scoped by the establishment (`professionnel_id`), so a member or service
// id of another establishment changes nothing and reads as "not found".

use super::espace_pro::id_renvoye;
use super::reservations::{
    garde_transition, statuts_actifs, vider_gardes, ErreurEcriture, Reservation,
};
use super::{fetch_all, Db};

/// At most this many members (people and resources) per establishment.
pub const MEMBRES_MAX: i64 = 50;

crate::ligne! {
    /// A member as the professional manages it, inactive ones included.
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct MembrePro {
        pub id: i64,
        pub nom: String,
        pub genre: String,
        pub actif: i64,
        pub position: i64,
        /// Its active bookings not yet over (as the member or as the resource).
        pub a_venir: i64,
    }
}

fn colonnes_membre() -> String {
    format!(
        "m.id, m.nom, m.genre, m.actif, m.position, (SELECT count(*) FROM reservations r \
         WHERE (r.membre_id = m.id OR r.ressource_id = m.id) AND r.statut IN {} AND r.fin > ?2) AS a_venir",
        statuts_actifs()
    )
}

/// Every member of the establishment, in its order.
pub async fn tous(
    db: &dyn Db,
    professionnel_id: i64,
    maintenant: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<MembrePro>, DbError> {
    fetch_all(
        db,
        Statement::new(format!(
            "SELECT {} FROM membres m WHERE m.professionnel_id = ?1 ORDER BY m.position, m.id",
            colonnes_membre()
        ))
        .bind(professionnel_id)
        .bind(maintenant.timestamp()),
    )
    .await
}

/// One member of the establishment, if it is one of its own.
pub async fn du_professionnel(
    db: &dyn Db,
    professionnel_id: i64,
    membre_id: i64,
    maintenant: chrono::DateTime<chrono::Utc>,
) -> Result<Option<MembrePro>, DbError> {
    Ok(tous(db, professionnel_id, maintenant)
        .await?
        .into_iter()
        .find(|m| m.id == membre_id))
}

/// Adds a member at the end of the list; `None` when the establishment already has
/// [`MEMBRES_MAX`] (checked by the insert itself).
pub async fn ajouter(
    db: &dyn Db,
    professionnel_id: i64,
    nom: &str,
    genre: &str,
    maintenant: chrono::DateTime<chrono::Utc>,
) -> Result<Option<i64>, DbError> {
    id_renvoye(
        db,
        Statement::new(format!(
            "INSERT INTO membres (professionnel_id, nom, genre, position, created_at) \
             SELECT ?1, ?2, ?3, coalesce(max(position), 0) + 1, ?4 FROM membres \
             WHERE professionnel_id = ?1 HAVING count(*) < {MEMBRES_MAX} RETURNING id"
        ))
        .bind(professionnel_id)
        .bind(nom)
        .bind(genre)
        .bind(maintenant.timestamp()),
    )
    .await
}

/// Renames and places a member; `false` when it is not the establishment's.
pub async fn modifier(
    db: &dyn Db,
    professionnel_id: i64,
    membre_id: i64,
    nom: &str,
    position: i64,
) -> Result<bool, DbError> {
    let modification = Statement::new(
        "UPDATE membres SET nom = ?3, position = ?4 WHERE id = ?2 AND professionnel_id = ?1 \
         RETURNING id",
    )
    .bind(professionnel_id)
    .bind(membre_id)
    .bind(nom)
    .bind(position);
    Ok(id_renvoye(db, modification).await?.is_some())
}

/// What keeps the member `m` from being deactivated, as an SQL condition over `?3` (now):
/// upcoming active bookings, being the last active person, or being the only active
/// person able to perform an active service. The write checks it in its WHERE, so a
/// booking taken meanwhile makes it change nothing.
fn garde_desactivation() -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM reservations r WHERE (r.membre_id = m.id OR r.ressource_id = m.id) \
           AND r.statut IN {actifs} AND r.fin > ?3) \
         AND (m.genre = 'ressource' OR EXISTS (SELECT 1 FROM membres a WHERE a.professionnel_id = m.professionnel_id \
           AND a.id <> m.id AND a.actif = 1 AND a.genre = 'personne')) \
         AND NOT EXISTS ({orphelins})",
        actifs = statuts_actifs(),
        orphelins = services_orphelins("m.id", "m.genre")
    )
}

/// The active services of member `id` (of kind `genre`) that no other active person
/// could perform if it left (none for a resource).
fn services_orphelins(id: &str, genre: &str) -> String {
    format!(
        "SELECT s.id FROM services s JOIN services_membres sm ON sm.service_id = s.id \
         WHERE sm.membre_id = {id} AND {genre} = 'personne' AND s.actif = 1 \
         AND NOT EXISTS (SELECT 1 FROM services_membres sa JOIN membres a ON a.id = sa.membre_id \
           WHERE sa.service_id = s.id AND a.id <> {id} AND a.actif = 1 AND a.genre = 'personne')"
    )
}

/// The names of the establishment's active services that only this member (a person)
/// can perform.
pub async fn services_sans_autre(
    db: &dyn Db,
    professionnel_id: i64,
    membre_id: i64,
) -> Result<Vec<String>, DbError> {
    crate::ligne! {
        struct Nom {
            nom: String,
        }
    }
    let genre = "(SELECT genre FROM membres WHERE id = ?2)";
    let noms: Vec<Nom> = fetch_all(
        db,
        Statement::new(format!(
            "SELECT nom FROM services WHERE professionnel_id = ?1 AND id IN ({}) ORDER BY position, id",
            services_orphelins("?2", genre)
        ))
        .bind(professionnel_id)
        .bind(membre_id),
    )
    .await?;
    Ok(noms.into_iter().map(|n| n.nom).collect())
}

/// Activates or deactivates a member; deactivating only when [`garde_desactivation`]
/// holds at the time of the write. `false` when nothing changed.
pub async fn activer(
    db: &dyn Db,
    professionnel_id: i64,
    membre_id: i64,
    actif: bool,
    maintenant: chrono::DateTime<chrono::Utc>,
) -> Result<bool, DbError> {
    let garde = if actif {
        "1".to_owned()
    } else {
        garde_desactivation()
    };
    let modification = Statement::new(format!(
        "UPDATE membres AS m SET actif = ?4 WHERE m.id = ?2 AND m.professionnel_id = ?1 \
         AND m.actif <> ?4 AND {garde} RETURNING id"
    ))
    .bind(professionnel_id)
    .bind(membre_id)
    .bind(maintenant.timestamp())
    .bind(i64::from(actif));
    Ok(id_renvoye(db, modification).await?.is_some())
}

crate::ligne! {
    /// One member able to perform one service.
    #[derive(Debug, Clone, Copy)]
    pub struct Eligible {
        pub service_id: i64,
        pub membre_id: i64,
    }
}

/// Who can perform each of the establishment's services.
pub async fn eligibles(db: &dyn Db, professionnel_id: i64) -> Result<Vec<Eligible>, DbError> {
    fetch_all(
        db,
        Statement::new(
            "SELECT sm.service_id, sm.membre_id FROM services_membres sm \
             JOIN services s ON s.id = sm.service_id WHERE s.professionnel_id = ?1 \
             ORDER BY sm.service_id, sm.membre_id",
        )
        .bind(professionnel_id),
    )
    .await
}

/// Sets who performs the service and its seats, in one batch; `false` when the service
/// is not the establishment's. Members of another establishment are left out by the
/// insert (and refused by the table's trigger whatever the path).
pub async fn definir_service(
    db: &dyn Db,
    professionnel_id: i64,
    service_id: i64,
    membres: &[i64],
    places: i64,
) -> Result<bool, DbError> {
    let mut batch = vec![
        Statement::new("UPDATE services SET places = ?3 WHERE id = ?2 AND professionnel_id = ?1")
            .bind(professionnel_id)
            .bind(service_id)
            .bind(places),
        garde_transition(),
        Statement::new(
            "DELETE FROM services_membres WHERE service_id = ?2 \
             AND service_id IN (SELECT id FROM services WHERE professionnel_id = ?1)",
        )
        .bind(professionnel_id)
        .bind(service_id),
    ];
    batch.extend(membres.iter().map(|m| {
        Statement::new(
            "INSERT INTO services_membres (service_id, membre_id) SELECT s.id, m.id \
             FROM services s JOIN membres m ON m.professionnel_id = s.professionnel_id \
             WHERE s.id = ?2 AND s.professionnel_id = ?1 AND m.id = ?3",
        )
        .bind(professionnel_id)
        .bind(service_id)
        .bind(*m)
    }));
    batch.push(vider_gardes());
    match db.batch(batch).await {
        Ok(_) => Ok(true),
        Err(e) if e.is_constraint_on("garde_transition") => Ok(false),
        Err(e) => Err(e),
    }
}

crate::ligne! {
    /// The seats of one session of a service.
    #[derive(Debug, Clone, Copy)]
    pub struct PlacesService {
        pub id: i64,
        pub places: i64,
    }
}

/// The seats of each of the establishment's services.
pub async fn places(db: &dyn Db, professionnel_id: i64) -> Result<Vec<PlacesService>, DbError> {
    fetch_all(
        db,
        Statement::new("SELECT id, places FROM services WHERE professionnel_id = ?1 ORDER BY id")
            .bind(professionnel_id),
    )
    .await
}

/// Moves a booking, still active and not started, from member `ancien` to member
/// `nouveau` at the same time, in one batch: the booking's row (only if the new member is
/// an active person of the same establishment able to perform the service) and its
/// claims, which change hands granule by granule. A seat of a group session (`seance`)
/// moves the whole session (the coach fell ill, a colleague takes the class): every active
/// seat (holds that ran out are let go first) and the seats' numbers, under the session's
/// new key. A granule the new member already owns (another booking, or a session of
/// theirs then) is a primary-key conflict ([`ErreurEcriture::Indisponible`]); a booking
/// that moved or whose claims are missing is [`ErreurEcriture::Conflit`]. Nothing changes
/// unless everything does, so a booking never stands without its claims. `suite` rides in
/// the same batch (the clients' e-mails).
pub async fn reassigner(
    db: &dyn Db,
    reservation: &Reservation,
    (ancien, nouveau): (i64, i64),
    seance: bool,
    maintenant: chrono::DateTime<chrono::Utc>,
    suite: Vec<Statement>,
) -> Result<(), ErreurEcriture> {
    let id = reservation.id.to_string();
    let (cible, avant, apres) = if seance {
        let (avant, apres) = cles_seance(reservation, ancien, nouveau);
        ("seance = ?1", avant, apres)
    } else {
        let une =
            "id = ?1 AND (SELECT places FROM services WHERE id = reservations.service_id) = 1";
        (une, id.clone(), id)
    };
    // The active bookings not started that `cible` selects (?1 is `avant`) go to the new
    // member, their session (`seance`) becoming `apres`, and so do the session's claims —
    // the person's change hands, a resource's stay its own — and its seats, under that
    // key. Each of the first two steps must change something, or the batch fails.
    let garde = || Statement::new("INSERT INTO gardes (transition) VALUES (changes() > 0)");
    let mut batch = super::reservations::liberer_echues(reservation.professionnel_id, maintenant);
    batch.extend([
        Statement::new(format!(
            "UPDATE reservations SET membre_id = ?3, updated_at = ?4, \
             seance = CASE WHEN seance IS NULL THEN NULL ELSE ?5 END \
             WHERE {cible} AND membre_id = ?2 AND statut IN {} AND date_heure > ?4 \
             AND EXISTS (SELECT 1 FROM membres m JOIN services_membres sm ON sm.membre_id = m.id \
               WHERE m.id = ?3 AND m.professionnel_id = reservations.professionnel_id \
               AND sm.service_id = reservations.service_id AND m.actif = 1 AND m.genre = 'personne')",
            statuts_actifs()
        ))
        .bind(avant.as_str())
        .bind(ancien)
        .bind(nouveau)
        .bind(maintenant.timestamp())
        .bind(apres.as_str()),
        garde(),
        Statement::new(
            "UPDATE occupations SET seance = ?3, \
             membre_id = CASE WHEN membre_id = ?2 THEN ?4 ELSE membre_id END WHERE seance = ?1",
        )
        .bind(avant.as_str())
        .bind(ancien)
        .bind(apres.as_str())
        .bind(nouveau),
        garde(),
        Statement::new("UPDATE places_reservees SET seance = ?2 WHERE seance = ?1")
            .bind(avant.as_str())
            .bind(apres.as_str()),
    ]);
    batch.extend(suite);
    batch.push(vider_gardes());
    db.batch(batch).await?;
    Ok(())
}

/// A group session of member `ancien` (`g:<service>:<member>:<start>`) and the key of the
/// same session with member `nouveau`.
pub fn cles_seance(reservation: &Reservation, ancien: i64, nouveau: i64) -> (String, String) {
    let cle = |membre: i64| {
        format!(
            "g:{}:{membre}:{}",
            reservation.service_id.get(),
            reservation.date_heure.timestamp()
        )
    };
    (cle(ancien), cle(nouveau))
}
