use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use booking_shared::disponibilites::{creneaux_libres, Creneau, Occupation, Planning, Regles};
use booking_shared::store::professionnels::Professionnel;
use booking_shared::store::services::Service;
use booking_shared::store::{planning, reservations, Db, DbError, Row, Statement};
use booking_shared::vertical::VerticalConfig;

/// The vertical's booking rules, as the slot computation takes them.
pub fn regles_de(vertical: &VerticalConfig) -> Regles {
    let r = vertical.regles();
    Regles {
        pas_minutes: r.pas_minutes(),
        preavis_minutes: r.preavis_minutes(),
        horizon_jours: r.horizon_jours(),
        tampon_avant_minutes: r.tampon_avant_minutes(),
        tampon_apres_minutes: r.tampon_apres_minutes(),
        max_reservations_par_jour: r.max_reservations_par_jour(),
    }
}

/// A professional's free slots for one service over some local days.
pub struct Offre {
    pub fuseau: Tz,
    pub creneaux: Vec<Creneau>,
}

/// Instants that surely contain the local days `du..=au` plus any buffer.
fn fenetre(du: NaiveDate, au: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    let de = du.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() - Duration::days(2);
    let a = au.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc() + Duration::days(3);
    (de, a)
}

/// A professional's planning and the active bookings around `du..=au`, read in one batch
/// (one round trip to D1).
pub async fn planning_et_occupations(
    db: &dyn Db,
    pro: &Professionnel,
    du: NaiveDate,
    au: NaiveDate,
    maintenant: DateTime<Utc>,
    sauf: Option<&str>,
) -> Result<(Planning, Vec<Occupation>), DbError> {
    let (planning, occupations, _) =
        lire_avec_planning(db, pro, du, au, maintenant, sauf, Vec::new()).await?;
    Ok((planning, occupations))
}

/// Like [`planning_et_occupations`], with other reads of the same page in the same batch;
/// returns their rows in order.
pub async fn lire_avec_planning(
    db: &dyn Db,
    pro: &Professionnel,
    du: NaiveDate,
    au: NaiveDate,
    maintenant: DateTime<Utc>,
    sauf: Option<&str>,
    autres: Vec<Statement>,
) -> Result<(Planning, Vec<Occupation>, Vec<Vec<Row>>), DbError> {
    let (de, a) = fenetre(du, au);
    let [disponibilites, absences] = planning::lectures(pro.id);
    let occupations = reservations::lecture_occupations(pro.id, de, a, maintenant, sauf);
    let nombre = autres.len();
    let mut batch = autres;
    batch.extend([disponibilites, absences, occupations]);
    let mut lignes = db.batch(batch).await?.into_iter();
    let autres: Vec<Vec<Row>> = lignes.by_ref().take(nombre).collect();
    let mut suivante = || lignes.next().unwrap_or_default();
    let planning = planning::depuis_lignes(&pro.fuseau, suivante(), suivante())?;
    let occupations = reservations::occupations_depuis(suivante())?;
    Ok((planning, occupations, autres))
}

pub async fn creneaux(
    db: &dyn Db,
    vertical: &VerticalConfig,
    pro: &Professionnel,
    service: &Service,
    du: NaiveDate,
    au: NaiveDate,
    maintenant: DateTime<Utc>,
) -> Result<Offre, DbError> {
    let (planning, occupations) =
        planning_et_occupations(db, pro, du, au, maintenant, None).await?;
    let duree = u32::try_from(service.duree_minutes).unwrap_or(0);
    let creneaux = creneaux_libres(
        &planning,
        &regles_de(vertical),
        duree,
        &occupations,
        du,
        au,
        maintenant,
    );
    Ok(Offre {
        fuseau: planning.fuseau,
        creneaux,
    })
}
