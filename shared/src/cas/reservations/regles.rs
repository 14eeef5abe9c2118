use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::disponibilites::{
    creneaux_libres, verifier_creneau, Creneau, Occupation, Planning, RefusCreneau, Regles,
};
use crate::store::professionnels::{self, Designe, Professionnel};
use crate::store::services::Service;
use crate::store::{agendas, decode, planning, reservations, Db, DbError, Row, Statement};
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

/// The reads of a professional's planning and of their active bookings around the local
/// days `du..=au` (but `sauf`), for a batch; [`agenda_depuis`] makes their rows an
/// [`Agenda`].
fn lectures_agenda(
    qui: Designe<'_>,
    (du, au): (NaiveDate, NaiveDate),
    maintenant: DateTime<Utc>,
    sauf: Option<&str>,
) -> [Statement; 4] {
    let (de, a) = fenetre(du, au);
    let [disponibilites, absences] = planning::lectures(qui);
    let occupations = reservations::lecture_occupations(qui, de, a, maintenant, sauf);
    let externes = agendas::lecture_occupations(qui, de, a);
    [disponibilites, absences, occupations, externes]
}

fn agenda_depuis(
    fuseau: &str,
    mut lignes: impl Iterator<Item = Vec<Row>>,
) -> Result<Agenda, DbError> {
    let mut suivante = || lignes.next().unwrap_or_default();
    let mut planning = planning::depuis_lignes(fuseau, suivante(), suivante())?;
    let occupations = reservations::occupations_depuis(suivante())?;
    // The busy intervals of the external calendars count as time off.
    planning
        .absences
        .extend(agendas::absences_depuis(suivante())?);
    Ok(Agenda {
        planning,
        occupations,
    })
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
    let nombre = autres.len();
    let mut batch = autres;
    batch.extend(lectures_agenda(pro.id.into(), (du, au), maintenant, sauf));
    let mut lignes = db.batch(batch).await?.into_iter();
    let autres: Vec<Vec<Row>> = lignes.by_ref().take(nombre).collect();
    Ok((agenda_depuis(&pro.fuseau, lignes)?, autres))
}

/// What a public page or a booking reads about a listed professional, in one round trip
/// to D1: the professional by their page's address (`qui`), the other reads about them
/// (`autres`, written with the same [`Designe`]; their rows come back in order), and their
/// planning and bookings around the local days `du..=au`. Those days are guessed before
/// the professional's time zone is known (from today in UTC), so the bookings are read
/// one day wider on each side, which holds today in any time zone. `None` when no listed
/// professional has that address.
pub async fn lire_public(
    db: &dyn Db,
    qui: Designe<'_>,
    (du, au): (NaiveDate, NaiveDate),
    maintenant: DateTime<Utc>,
    autres: Vec<Statement>,
) -> Result<Option<(Professionnel, Agenda, Vec<Vec<Row>>)>, DbError> {
    let nombre = autres.len();
    let jours = (du - Duration::days(1), au + Duration::days(1));
    let mut batch = vec![professionnels::lecture_publique(qui)];
    batch.extend(autres);
    batch.extend(lectures_agenda(qui, jours, maintenant, None));
    let mut lignes = db.batch(batch).await?.into_iter();
    let pro = decode::<Professionnel>(lignes.next().unwrap_or_default())?
        .into_iter()
        .next();
    let Some(pro) = pro else {
        return Ok(None);
    };
    let autres: Vec<Vec<Row>> = lignes.by_ref().take(nombre).collect();
    let agenda = agenda_depuis(&pro.fuseau, lignes)?;
    Ok(Some((pro, agenda, autres)))
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
