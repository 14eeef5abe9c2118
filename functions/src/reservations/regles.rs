use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use booking_shared::disponibilites::{creneaux_libres, Creneau, Planning, Regles};
use booking_shared::store::professionnels::Professionnel;
use booking_shared::store::services::Service;
use booking_shared::store::{planning, reservations, Db, DbError};
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

pub async fn planning_et_occupations(
    db: &dyn Db,
    pro: &Professionnel,
    du: NaiveDate,
    au: NaiveDate,
    maintenant: DateTime<Utc>,
    sauf: Option<&str>,
) -> Result<(Planning, Vec<booking_shared::disponibilites::Occupation>), DbError> {
    let planning = planning::planning(db, pro.id, &pro.fuseau).await?;
    let (de, a) = fenetre(du, au);
    let occupations =
        reservations::occupations_actives(db, pro.id, de, a, maintenant, sauf).await?;
    Ok((planning, occupations))
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
