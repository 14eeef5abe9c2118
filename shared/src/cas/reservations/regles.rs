use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::disponibilites::{
    creneaux_libres, verifier_creneau, Creneau, Occupation, Planning, RefusCreneau, Regles,
};
use crate::store::membres::{self, Membre};
use crate::store::professionnels::{self, Designe, Professionnel};
use crate::store::services::Service;
use crate::store::{agendas, decode, planning, reservations, Db, DbError, Row, Statement};
use crate::vertical::VerticalConfig;

/// One member's planning and active bookings.
struct AgendaMembre {
    membre: Membre,
    planning: Planning,
    occupations: Vec<Occupation>,
}

impl AgendaMembre {
    /// Its active bookings that start on the local day of `instant`.
    fn charge_du_jour(&self, fuseau: Tz, instant: DateTime<Utc>) -> usize {
        let jour = instant.with_timezone(&fuseau).date_naive();
        self.occupations
            .iter()
            .filter(|o| o.debut.with_timezone(&fuseau).date_naive() == jour)
            .count()
    }
}

/// An establishment's members, each with its planning and active bookings around some
/// local days: what the free slots are listed from and a start is checked against.
pub struct Agenda {
    fuseau: Tz,
    membres: Vec<AgendaMembre>,
}

/// A start that can be booked, with the members free then, best first (fewest active
/// bookings that local day, then by id): the people, and the resources when the service
/// needs one (empty otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choix {
    pub creneau: Creneau,
    pub personnes: Vec<i64>,
    pub ressources: Vec<i64>,
}

impl Agenda {
    pub fn fuseau(&self) -> Tz {
        self.fuseau
    }

    /// The active members able to perform `service`: its people, and its resources.
    fn eligibles(&self, service: &Service) -> (Vec<&AgendaMembre>, Vec<&AgendaMembre>) {
        self.membres
            .iter()
            .filter(|m| m.membre.services.contains(&service.id))
            .partition(|m| !m.membre.ressource)
    }

    /// The free slots of `service` over the local days `du..=au`: the union over its
    /// people (with a free resource too, when it needs one), each with the people free.
    pub fn offre(
        &self,
        vertical: &VerticalConfig,
        service: &Service,
        du: NaiveDate,
        au: NaiveDate,
        maintenant: DateTime<Utc>,
    ) -> Offre {
        let regles = Regles::from(vertical.regles());
        let libres = |groupe: &[&AgendaMembre]| {
            let mut par_creneau: BTreeMap<Creneau, Vec<i64>> = BTreeMap::new();
            for a in groupe {
                let creneaux = creneaux_libres(
                    &a.planning,
                    &regles,
                    duree(service),
                    &a.occupations,
                    du,
                    au,
                    maintenant,
                );
                for c in creneaux {
                    par_creneau.entry(c).or_default().push(a.membre.id);
                }
            }
            par_creneau
        };
        let (personnes, ressources) = self.eligibles(service);
        let mut par_creneau = libres(&personnes);
        if !ressources.is_empty() {
            let avec_ressource = libres(&ressources);
            par_creneau.retain(|c, _| avec_ressource.contains_key(c));
        }
        let (creneaux, membres) = par_creneau.into_iter().unzip();
        Offre {
            fuseau: self.fuseau,
            creneaux,
            membres,
        }
    }

    /// Checks a start of `service` against the hours, the vertical's rules and the
    /// bookings of its members (of `membre` alone when the client chose one).
    pub fn choisir(
        &self,
        vertical: &VerticalConfig,
        service: &Service,
        debut: DateTime<Utc>,
        maintenant: DateTime<Utc>,
        membre: Option<i64>,
    ) -> Result<Choix, RefusCreneau> {
        let regles = Regles::from(vertical.regles());
        let (mut personnes, ressources) = self.eligibles(service);
        if let Some(id) = membre {
            personnes.retain(|m| m.membre.id == id);
        }
        let (creneau, personnes) =
            self.libres_a(&personnes, &regles, service, debut, maintenant)?;
        let ressources = if ressources.is_empty() {
            Vec::new()
        } else {
            self.libres_a(&ressources, &regles, service, debut, maintenant)?
                .1
        };
        Ok(Choix {
            creneau,
            personnes,
            ressources,
        })
    }

    /// The members of `groupe` free at `debut`, best first; when none is, the most telling
    /// refusal (a taken slot or a full day over a start outside someone's hours).
    fn libres_a(
        &self,
        groupe: &[&AgendaMembre],
        regles: &Regles,
        service: &Service,
        debut: DateTime<Utc>,
        maintenant: DateTime<Utc>,
    ) -> Result<(Creneau, Vec<i64>), RefusCreneau> {
        let mut refus: Option<RefusCreneau> = None;
        let mut creneau = None;
        let mut libres = Vec::new();
        for a in groupe {
            match verifier_creneau(
                &a.planning,
                regles,
                duree(service),
                &a.occupations,
                debut,
                maintenant,
            ) {
                Ok(c) => {
                    creneau = Some(c);
                    libres.push((a.charge_du_jour(self.fuseau, debut), a.membre.id));
                }
                Err(r) => {
                    let occupe = |r: &RefusCreneau| {
                        matches!(
                            r,
                            RefusCreneau::CreneauIndisponible | RefusCreneau::JourneeComplete
                        )
                    };
                    if refus.is_none_or(|avant| !occupe(&avant) && occupe(&r)) {
                        refus = Some(r);
                    }
                }
            }
        }
        libres.sort_unstable();
        match creneau {
            Some(c) => Ok((c, libres.into_iter().map(|(_, id)| id).collect())),
            None => Err(refus.unwrap_or(RefusCreneau::CreneauIndisponible)),
        }
    }

    /// Checks a start of `service` against the hours, the vertical's rules and the
    /// bookings of its members.
    pub fn verifier(
        &self,
        vertical: &VerticalConfig,
        service: &Service,
        debut: DateTime<Utc>,
        maintenant: DateTime<Utc>,
    ) -> Result<Creneau, RefusCreneau> {
        self.choisir(vertical, service, debut, maintenant, None)
            .map(|c| c.creneau)
    }
}

fn duree(service: &Service) -> u32 {
    u32::try_from(service.duree_minutes).unwrap_or(0)
}

/// An establishment's free slots for one service over some local days, each with the
/// members free then (`membres[i]` for `creneaux[i]`).
pub struct Offre {
    pub fuseau: Tz,
    pub creneaux: Vec<Creneau>,
    pub membres: Vec<Vec<i64>>,
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
) -> [Statement; 5] {
    let (de, a) = fenetre(du, au);
    let [disponibilites, absences] = planning::lectures(qui);
    let occupations = reservations::lecture_occupations(qui, de, a, maintenant, sauf);
    let externes = agendas::lecture_occupations(qui, de, a);
    let membres = membres::lecture_actifs(qui);
    [disponibilites, absences, occupations, externes, membres]
}

fn agenda_depuis(
    fuseau: &str,
    mut lignes: impl Iterator<Item = Vec<Row>>,
) -> Result<Agenda, DbError> {
    let mut suivante = || lignes.next().unwrap_or_default();
    let [disponibilites, absences, occupations, externes, membres] =
        std::array::from_fn(|_| suivante());
    let membres = membres::depuis(membres)?;
    let ids: Vec<i64> = membres.iter().map(|m| m.id).collect();
    let plannings = planning::par_membre(fuseau, disponibilites, absences, &ids)?;
    let mut occupations = reservations::occupations_par_membre(occupations)?;
    occupations.sort_unstable_by_key(|(m, o)| (*m, o.debut));
    // The busy intervals of the external calendars count as time off, for every member
    // (they are the establishment's calendars).
    let externes = agendas::absences_depuis(externes)?;
    let membres = membres
        .into_iter()
        .zip(plannings)
        .map(|(membre, mut planning)| {
            planning.absences.extend(externes.iter().cloned());
            let occupations = occupations
                .iter()
                .filter(|(m, _)| *m == membre.id)
                .map(|(_, o)| *o)
                .collect();
            AgendaMembre {
                membre,
                planning,
                occupations,
            }
        })
        .collect();
    Ok(Agenda {
        fuseau: planning::fuseau(fuseau),
        membres,
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
