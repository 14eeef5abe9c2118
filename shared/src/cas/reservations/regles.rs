use chrono::{DateTime, Days, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::disponibilites::{
    creneaux_libres, prochain_creneau, verifier_creneau, Creneau, Occupation, Planning,
    RefusCreneau, Regles,
};
use crate::store::membres::{self, Membre};
use crate::store::professionnels::{self, Designe, Professionnel};
use crate::store::reservations::OccupationMembre;
use crate::store::services::Service;
use crate::store::{agendas, decode, planning, reservations, Db, DbError, Row, Statement};
use crate::vertical::VerticalConfig;

/// One member's planning and active bookings.
struct AgendaMembre {
    membre: Membre,
    planning: Planning,
    /// Its bookings as the slots see them: a group session once.
    occupations: Vec<Occupation>,
    /// Its group sessions: service, time, seats taken.
    seances: Vec<(i64, Occupation, i64)>,
}

impl AgendaMembre {
    fn new<'a>(
        membre: Membre,
        planning: Planning,
        siennes: impl Iterator<Item = &'a OccupationMembre>,
    ) -> AgendaMembre {
        let mut occupations = Vec::new();
        let mut seances: Vec<(i64, Occupation, i64)> = Vec::new();
        for o in siennes {
            if o.seance.is_none() {
                occupations.push(o.occupation);
            } else if let Some(s) = seances
                .iter_mut()
                .find(|(service, occ, _)| *service == o.service_id && *occ == o.occupation)
            {
                s.2 += 1;
            } else {
                occupations.push(o.occupation);
                seances.push((o.service_id, o.occupation, 1));
            }
        }
        AgendaMembre {
            membre,
            planning,
            occupations,
            seances,
        }
    }

    /// Its active bookings that start on the local day of `instant` (a session once).
    fn charge_du_jour(&self, fuseau: Tz, instant: DateTime<Utc>) -> usize {
        let jour = instant.with_timezone(&fuseau).date_naive();
        self.occupations
            .iter()
            .filter(|o| o.debut.with_timezone(&fuseau).date_naive() == jour)
            .count()
    }

    /// Its session of `service` that starts at `debut`, if any: the seats taken, and its
    /// other bookings (what a seat in it must not meet).
    fn seance(&self, service: &Service, debut: DateTime<Utc>) -> Option<(i64, Vec<Occupation>)> {
        let (_, occupation, prises) = self
            .seances
            .iter()
            .find(|(s, o, _)| *s == service.id && o.debut == debut)?;
        let autres = self
            .occupations
            .iter()
            .filter(|o| *o != occupation)
            .copied()
            .collect();
        Some((*prises, autres))
    }

    /// Checks `debut` for this member: a new session (or appointment), or a seat in its
    /// session of the service that starts then; the seats left with it.
    fn verifier(
        &self,
        regles: &Regles,
        service: &Service,
        debut: DateTime<Utc>,
        maintenant: DateTime<Utc>,
    ) -> Result<(Creneau, i64), RefusCreneau> {
        let places = service.places.max(1);
        let (occupations, prises) = match self.seance(service, debut) {
            Some((prises, _)) if prises >= places => return Err(RefusCreneau::CreneauIndisponible),
            Some((prises, autres)) => (autres, prises),
            None => (self.occupations.clone(), 0),
        };
        verifier_creneau(
            &self.planning,
            regles,
            duree(service),
            &occupations,
            debut,
            maintenant,
        )
        .map(|c| (c, places - prises))
    }

    /// Its free slots of `service` over `du..=au`, with the seats left in each: new ones,
    /// and its sessions of the service with seats left.
    fn libres(
        &self,
        regles: &Regles,
        service: &Service,
        (du, au): (NaiveDate, NaiveDate),
        fuseau: Tz,
        maintenant: DateTime<Utc>,
    ) -> Vec<(Creneau, i64)> {
        let places = service.places.max(1);
        let mut libres: Vec<(Creneau, i64)> = creneaux_libres(
            &self.planning,
            regles,
            duree(service),
            &self.occupations,
            du,
            au,
            maintenant,
        )
        .into_iter()
        .map(|c| (c, places))
        .collect();
        for (s, occupation, _) in &self.seances {
            let jour = occupation.debut.with_timezone(&fuseau).date_naive();
            if *s == service.id && (du..=au).contains(&jour) {
                if let Ok(libre) = self.verifier(regles, service, occupation.debut, maintenant) {
                    libres.push(libre);
                }
            }
        }
        libres
    }
}

/// An establishment's members, each with its planning and active bookings around some
/// local days: what the free slots are listed from and a start is checked against.
pub struct Agenda {
    fuseau: Tz,
    membres: Vec<AgendaMembre>,
}

/// A start that can be booked, with the members free then, best first (those whose group
/// session it joins, then fewest active bookings that local day, then by id): the people,
/// and the resources when the service needs one (empty otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choix {
    pub creneau: Creneau,
    pub personnes: Vec<i64>,
    pub ressources: Vec<i64>,
}

/// Who is free at one slot: the people (best first is [`Agenda::choisir`]'s business),
/// and the seats left over all of them (1 per person for a one-to-one service).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disponibles {
    pub membres: Vec<i64>,
    pub places: i64,
}

impl Agenda {
    /// An agenda from each member's planning and active bookings (every booking of the
    /// list whose member it is).
    pub fn new(
        fuseau: Tz,
        membres: Vec<(Membre, Planning)>,
        occupations: Vec<OccupationMembre>,
    ) -> Agenda {
        let membres = membres
            .into_iter()
            .map(|(membre, planning)| {
                let id = membre.id;
                let siennes = occupations.iter().filter(move |o| o.membre_id == id);
                AgendaMembre::new(membre, planning, siennes)
            })
            .collect();
        Agenda { fuseau, membres }
    }

    pub fn fuseau(&self) -> Tz {
        self.fuseau
    }

    /// The active members able to perform `service`: its people (`membre` alone when the
    /// client chose one), and its resources.
    fn eligibles(
        &self,
        service: &Service,
        membre: Option<i64>,
    ) -> (Vec<&AgendaMembre>, Vec<&AgendaMembre>) {
        self.membres
            .iter()
            .filter(|m| m.membre.services.contains(&service.id))
            .filter(|m| m.membre.ressource || membre.is_none_or(|id| m.membre.id == id))
            .partition(|m| !m.membre.ressource)
    }

    /// Whether `membre` is an active person of the establishment who performs `service`
    /// (what a client may choose).
    pub fn propose(&self, service: &Service, membre: i64) -> bool {
        !self.eligibles(service, Some(membre)).0.is_empty()
    }

    /// The active people who perform `service`, in the establishment's order: what a
    /// client may choose from (id and name).
    pub fn personnes(&self, service: &Service) -> Vec<(i64, &str)> {
        self.eligibles(service, None)
            .0
            .iter()
            .map(|m| (m.membre.id, m.membre.nom.as_str()))
            .collect()
    }

    /// The free slots of `service` over the local days `du..=au`: the union over its
    /// people (with a free resource too, when it needs one), each with who is free.
    pub fn offre(
        &self,
        vertical: &VerticalConfig,
        service: &Service,
        du: NaiveDate,
        au: NaiveDate,
        maintenant: DateTime<Utc>,
    ) -> Offre {
        self.offre_de(vertical, service, (du, au), maintenant, None)
    }

    /// [`Agenda::offre`], of one person only when the client chose one (`membre`).
    pub fn offre_de(
        &self,
        vertical: &VerticalConfig,
        service: &Service,
        (du, au): (NaiveDate, NaiveDate),
        maintenant: DateTime<Utc>,
        membre: Option<i64>,
    ) -> Offre {
        let regles = Regles::from(vertical.regles());
        // Every member's free slots, sorted by slot then member, folded into one line per
        // slot (a sort, not a map: this runs on every slots page).
        let libres = |groupe: &[&AgendaMembre]| {
            let mut tous: Vec<(Creneau, i64, i64)> = Vec::new();
            for a in groupe {
                let siens = a.libres(&regles, service, (du, au), self.fuseau, maintenant);
                tous.extend(siens.into_iter().map(|(c, p)| (c, a.membre.id, p)));
            }
            crate::tri::trier(&mut tous);
            let mut creneaux: Vec<Creneau> = Vec::new();
            let mut disponibles: Vec<Disponibles> = Vec::new();
            for (c, membre, places) in tous {
                match disponibles.last_mut() {
                    Some(d) if creneaux.last() == Some(&c) => {
                        d.membres.push(membre);
                        d.places += places;
                    }
                    _ => {
                        creneaux.push(c);
                        disponibles.push(Disponibles {
                            membres: vec![membre],
                            places,
                        });
                    }
                }
            }
            (creneaux, disponibles)
        };
        let (personnes, ressources) = self.eligibles(service, membre);
        let (mut creneaux, mut disponibles) = libres(&personnes);
        if !ressources.is_empty() {
            let (avec_ressource, _) = libres(&ressources);
            let mut garder = creneaux
                .iter()
                .map(|c| avec_ressource.binary_search(c).is_ok());
            disponibles.retain(|_| garder.next().unwrap_or(false));
            creneaux.retain(|c| avec_ressource.binary_search(c).is_ok());
        }
        Offre {
            fuseau: self.fuseau,
            creneaux,
            disponibles,
        }
    }

    /// The first free slot of `service` from the local day `du` to `jours` days after it,
    /// as [`Agenda::offre`] lists them. For a one-to-one service that needs people only, the
    /// earliest of each person's own first free slot ([`prochain_creneau`], which stops at
    /// the first day that has one); otherwise (a resource besides, or a group session's
    /// seats) the union looked for a day at a time, stopping at the first day that has one.
    pub fn prochain(
        &self,
        vertical: &VerticalConfig,
        service: &Service,
        du: NaiveDate,
        jours: u64,
        maintenant: DateTime<Utc>,
    ) -> Option<Creneau> {
        let (personnes, ressources) = self.eligibles(service, None);
        if ressources.is_empty() && service.places <= 1 {
            let regles = Regles::from(vertical.regles());
            let au = du.checked_add_days(Days::new(jours)).unwrap_or(du);
            return personnes
                .iter()
                .filter_map(|m| {
                    prochain_creneau(
                        &m.planning,
                        &regles,
                        duree(service),
                        &m.occupations,
                        (du, au),
                        maintenant,
                    )
                })
                .min();
        }
        du.iter_days()
            .take(
                usize::try_from(jours)
                    .unwrap_or(usize::MAX)
                    .saturating_add(1),
            )
            .find_map(|jour| {
                self.offre(vertical, service, jour, jour, maintenant)
                    .creneaux
                    .into_iter()
                    .next()
            })
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
        let (personnes, ressources) = self.eligibles(service, membre);
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
            match a.verifier(regles, service, debut, maintenant) {
                Ok((c, _)) => {
                    creneau = Some(c);
                    let sans_seance = a.seance(service, debut).is_none();
                    let charge = a.charge_du_jour(self.fuseau, debut);
                    // Kept in order as they come (a handful): no sort of its own.
                    let cle = (sans_seance, charge, a.membre.id);
                    libres.insert(libres.partition_point(|x| *x <= cle), cle);
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
        match creneau {
            Some(c) => Ok((c, libres.into_iter().map(|(_, _, id)| id).collect())),
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

/// An establishment's free slots for one service over some local days, each with who is
/// free then (`disponibles[i]` for `creneaux[i]`).
pub struct Offre {
    pub fuseau: Tz,
    pub creneaux: Vec<Creneau>,
    pub disponibles: Vec<Disponibles>,
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

fn agenda_depuis(fuseau: &str, lignes: impl Iterator<Item = Vec<Row>>) -> Result<Agenda, DbError> {
    agenda_des_lignes(fuseau, lignes, Vec::new())
}

/// An [`Agenda`] from the rows of a planning's reads in this order: hours and openings,
/// time off, active bookings, external busy time, active members; with `en_plus`, bookings
/// not yet written.
pub(crate) fn agenda_des_lignes(
    fuseau: &str,
    mut lignes: impl Iterator<Item = Vec<Row>>,
    en_plus: Vec<OccupationMembre>,
) -> Result<Agenda, DbError> {
    let mut suivante = || lignes.next().unwrap_or_default();
    let [disponibilites, absences, occupations, externes, membres] =
        std::array::from_fn(|_| suivante());
    let membres = membres::depuis(membres)?;
    let ids: Vec<i64> = membres.iter().map(|m| m.id).collect();
    let plannings = planning::par_membre(fuseau, disponibilites, absences, &ids)?;
    let mut occupations = reservations::occupations_par_membre(occupations)?;
    occupations.extend(en_plus);
    // The busy intervals of the external calendars count as time off, for every member
    // (they are the establishment's calendars).
    let externes = agendas::absences_depuis(externes)?;
    let membres = membres
        .into_iter()
        .zip(plannings)
        .map(|(membre, mut planning)| {
            planning.absences.extend(externes.iter().cloned());
            (membre, planning)
        })
        .collect();
    Ok(Agenda::new(planning::fuseau(fuseau), membres, occupations))
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

/// A professional's free slots for `service` over the local days `du..=au` (with
/// `membre` only, when given: a booking moved stays with its member).
pub async fn creneaux(
    db: &dyn Db,
    vertical: &VerticalConfig,
    pro: &Professionnel,
    service: &Service,
    (du, au): (NaiveDate, NaiveDate),
    maintenant: DateTime<Utc>,
    membre: Option<i64>,
) -> Result<Offre, DbError> {
    let (agenda, _) = lire_avec_planning(db, pro, du, au, maintenant, None, Vec::new()).await?;
    Ok(agenda.offre_de(vertical, service, (du, au), maintenant, membre))
}
