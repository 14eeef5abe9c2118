use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::disponibilites::{
    creneaux_libres, verifier_creneau, Absence, Creneau, Occupation, Planning, RefusCreneau, Regles,
};
use crate::store::professionnels::Professionnel;
use crate::store::services::Service;
use crate::store::{agendas, planning, reservations, Db, DbError, Row, Statement};
use crate::vertical::VerticalConfig;

/// A professional's planning and active bookings around some local days: what the free
/// slots are listed from and a start is checked against.
pub struct Agenda {
    pub planning: Planning,
    pub occupations: Vec<Occupation>,
}

impl Agenda {
    pub fn fuseau(&self) -> Tz {
        self.planning.fuseau
    }

    /// The free slots of `service` over the local days `du..=au`.
    pub fn offre(
        &self,
        vertical: &VerticalConfig,
        service: &Service,
        du: NaiveDate,
        au: NaiveDate,
        maintenant: DateTime<Utc>,
    ) -> Offre {
        Offre {
            fuseau: self.planning.fuseau,
            creneaux: creneaux_libres(
                &self.planning,
                &Regles::from(vertical.regles()),
                duree(service),
                &self.occupations,
                du,
                au,
                maintenant,
            ),
        }
    }

    /// Checks a start of `service` against the hours, the vertical's rules and the
    /// bookings.
    pub fn verifier(
        &self,
        vertical: &VerticalConfig,
        service: &Service,
        debut: DateTime<Utc>,
        maintenant: DateTime<Utc>,
    ) -> Result<Creneau, RefusCreneau> {
        verifier_creneau(
            &self.planning,
            &Regles::from(vertical.regles()),
            duree(service),
            &self.occupations,
            debut,
            maintenant,
        )
    }
}

fn duree(service: &Service) -> u32 {
    u32::try_from(service.duree_minutes).unwrap_or(0)
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

/// A professional's planning and the active bookings around `du..=au` (but `sauf`, the
/// booking being moved), read in one batch (one round trip to D1) with the other reads
/// of the same page, `autres`; returns their rows in order.
pub async fn lire_avec_planning(
    db: &dyn Db,
    pro: &Professionnel,
    du: NaiveDate,
    au: NaiveDate,
    maintenant: DateTime<Utc>,
    sauf: Option<&str>,
    autres: Vec<Statement>,
) -> Result<(Agenda, Vec<Vec<Row>>), DbError> {
    let (de, a) = fenetre(du, au);
    let [disponibilites, absences] = planning::lectures(pro.id);
    let occupations = reservations::lecture_occupations(pro.id, de, a, maintenant, sauf);
    let externes = agendas::lecture_occupations(pro.id, de, a);
    let nombre = autres.len();
    let mut batch = autres;
    batch.extend([disponibilites, absences, occupations, externes]);
    let mut lignes = db.batch(batch).await?.into_iter();
    let autres: Vec<Vec<Row>> = lignes.by_ref().take(nombre).collect();
    let mut suivante = || lignes.next().unwrap_or_default();
    let mut planning = planning::depuis_lignes(&pro.fuseau, suivante(), suivante())?;
    let occupations = reservations::occupations_depuis(suivante())?;
    // The busy intervals of the external calendars count as time off.
    planning.absences.extend(
        agendas::intervalles_depuis(suivante())?
            .into_iter()
            .map(|(debut, fin)| Absence::Periode { debut, fin }),
    );
    Ok((
        Agenda {
            planning,
            occupations,
        },
        autres,
    ))
}

/// A professional's free slots for `service` over the local days `du..=au`.
pub async fn creneaux(
    db: &dyn Db,
    vertical: &VerticalConfig,
    pro: &Professionnel,
    service: &Service,
    du: NaiveDate,
    au: NaiveDate,
    maintenant: DateTime<Utc>,
) -> Result<Offre, DbError> {
    let (agenda, _) = lire_avec_planning(db, pro, du, au, maintenant, None, Vec::new()).await?;
    Ok(agenda.offre(vertical, service, du, au, maintenant))
}
