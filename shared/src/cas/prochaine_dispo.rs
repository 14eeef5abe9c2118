//! A professional's next free slot, kept in `professionnels.prochaine_dispo` for the
//! directory's cards, filter and sort (see migration 0019 for how it stays true).
//!
//! Every write it depends on marks it stale in its own transaction (triggers). The use
//! case that wrote then calls [`apres_ecriture`]: one batch reads the data (and its
//! version) in one consistent state, the first free slot is computed in Rust
//! ([`Agenda::prochain`](crate::cas::reservations::Agenda::prochain): the slots page's
//! union over the members, stopping at the first day that has one), and a second
//! statement stores it only if the version did not move meanwhile. A computation from
//! older data can therefore never overwrite a newer one; what is left stale (a failure
//! after the write, a concurrent write that won, or time passing the slot) is redone by
//! the scheduled job ([`rattraper`]), a bounded number per run.

use std::rc::Rc;

use chrono::{DateTime, Days, TimeDelta, Utc};

use crate::cas::reservations::agenda_des_lignes;
use crate::cas::Ports;
use crate::disponibilites::Regles;
use crate::store::fetch_ids;
use crate::store::prochaine_dispo::{self as store, Prochaine};
use crate::store::professionnels::Professionnel;
use crate::store::reservations::OccupationMembre;
use crate::store::services::Service;
use crate::store::{decode, Db, DbError, Row, ENTIER_EXACT_MAX};
use crate::vertical::VerticalConfig;

/// How many local days ahead (after today) the next free slot is looked for.
pub const JOURS: u64 = 60;

/// How often a professional with no free slot in [`JOURS`] is looked at again, as the
/// horizon moves forward with time.
const REVOIR_SANS_CRENEAU: TimeDelta = TimeDelta::hours(1);

/// Most professionals the scheduled job recomputes in one run (five reads and a write
/// each, well within a run's budget of D1 queries), and per batch.
pub const PAR_PASSAGE: u32 = 100;
const PAR_LOT: usize = 20;

/// Recomputes the next free slot of these professionals from the database's current
/// state, and stores each one unless a write moved it meanwhile: two round trips for the
/// lot. `verticals` give each professional's booking rules (one not found: no slot).
/// Returns how many were stored.
pub async fn recalculer(
    db: &dyn Db,
    verticals: &[&VerticalConfig],
    professionnels: &[i64],
    maintenant: DateTime<Utc>,
) -> Result<usize, DbError> {
    if professionnels.is_empty() {
        return Ok(0);
    }
    let lectures = professionnels
        .iter()
        .flat_map(|&id| store::lectures(id, fenetre(maintenant), maintenant))
        .collect();
    let mut lignes = db.batch(lectures).await?.into_iter();
    let mut ecritures = Vec::new();
    for _ in professionnels {
        let lues: [Vec<Row>; store::LECTURES] =
            std::array::from_fn(|_| lignes.next().unwrap_or_default());
        if let Some(prochaine) = calculer(verticals, maintenant, lues, Vec::new())? {
            ecritures.push(store::enregistrer(&prochaine));
        }
    }
    let nombre = ecritures.len();
    if nombre > 0 {
        db.batch(ecritures).await?;
    }
    Ok(nombre)
}

/// Generous instants around the local days looked at, whatever the zone: what
/// [`store::lectures`] reads.
pub fn fenetre(maintenant: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        maintenant - TimeDelta::days(1),
        maintenant + TimeDelta::days(i64::try_from(JOURS).unwrap_or(60) + 3),
    )
}

/// The value to store in a booking's own batch, before its writes (so that the version
/// it is guarded by is the one read): from the rows of [`store::lectures`] read with the
/// booking's other reads, and the booking's slot, `en_plus`, taken by the members it is
/// about to go to (the first of its preference list: the batch picks another only if that
/// one was just taken, and then its triggers mark the value stale for the scheduled job).
/// A booking's write thus keeps the next free slot current without a round trip of its
/// own; its triggers still mark it stale, which the scheduled job confirms later.
pub fn avec_reservation(
    vertical: &VerticalConfig,
    maintenant: DateTime<Utc>,
    lignes: [Vec<Row>; store::LECTURES],
    en_plus: Vec<OccupationMembre>,
) -> Result<Option<Prochaine>, DbError> {
    calculer(&[vertical], maintenant, lignes, en_plus)
}

/// One professional's value from the rows of [`store::lectures`] (and bookings not yet
/// written, `en_plus`); `None` if they are gone. The slot is the first of the first
/// service as the slots page lists it: the union over the members able to perform it,
/// each with their own hours, time off and bookings (with a free resource too when the
/// service needs one); it stops at the first local day that has one.
fn calculer(
    verticals: &[&VerticalConfig],
    maintenant: DateTime<Utc>,
    [etat, services, disponibilites, absences, occupations, externes, membres]: [Vec<Row>;
        store::LECTURES],
    en_plus: Vec<OccupationMembre>,
) -> Result<Option<Prochaine>, DbError> {
    let Some(etat) = store::etat_depuis(etat)? else {
        return Ok(None);
    };
    let mut prochaine = Prochaine {
        professionnel_id: etat.id,
        version: etat.dispo_version,
        debut: None,
        service_id: None,
        // Nothing but a write (which marks it stale) can change it.
        revoir_a: ENTIER_EXACT_MAX,
    };
    let vertical = verticals.iter().find(|v| v.slug() == etat.vertical);
    let service = decode::<Service>(services)?.into_iter().next();
    let (Some(vertical), Some(service), true) = (vertical, service, etat.liste()) else {
        return Ok(Some(prochaine));
    };
    let agenda = agenda_des_lignes(
        &etat.fuseau,
        [disponibilites, absences, occupations, externes, membres].into_iter(),
        en_plus,
    )?;
    let regles = Regles::from(vertical.regles());
    let du = maintenant.with_timezone(&agenda.fuseau()).date_naive();
    let creneau = agenda.prochain(vertical, &service, du, JOURS, maintenant);
    prochaine.service_id = Some(service.id);
    prochaine.debut = creneau.map(|c| c.debut());
    prochaine.revoir_a = match creneau {
        // It stops being bookable once closer than the notice.
        Some(c) => (c.debut() - TimeDelta::minutes(i64::from(regles.preavis_minutes))).timestamp(),
        None => (maintenant + REVOIR_SANS_CRENEAU).timestamp(),
    };
    Ok(Some(prochaine))
}

/// After a use case's write touching `professionnel_id` (of `vertical`): recomputes it
/// now. A failure is logged and left to the scheduled job (the write marked it stale);
/// it never undoes nor fails the write.
pub async fn apres_ecriture(ports: &Ports<'_>, vertical: &VerticalConfig, professionnel_id: i64) {
    let fait = recalculer(
        ports.db,
        &[vertical],
        &[professionnel_id],
        ports.clock.now(),
    )
    .await;
    if let Err(erreur) = fait {
        ports.log.ligne(crate::objet!({
            "niveau": "erreur",
            "evenement": "prochaine_dispo",
            "professionnel_id": professionnel_id,
            "erreur": erreur.to_string(),
        }));
    }
}

/// [`apres_ecriture`] for a professional's own change (hours, time off, services,
/// profile), whose use cases do not carry the vertical: it is read from the
/// configuration store.
pub async fn apres_changement(ports: &Ports<'_>, pro: &Professionnel) {
    let verticals = configurees(ports).await;
    match verticals.iter().find(|v| v.slug() == pro.vertical) {
        Some(vertical) => apres_ecriture(ports, vertical, pro.id).await,
        None => ports.log.ligne(crate::objet!({
            "niveau": "erreur",
            "evenement": "prochaine_dispo",
            "professionnel_id": pro.id,
            "erreur": format!("vertical {} introuvable", pro.vertical),
        })),
    }
}

/// The verticals of the configuration store (none readable: none).
async fn configurees(ports: &Ports<'_>) -> Vec<VerticalConfig> {
    let documents = ports.config.vertical_documents().await.unwrap_or_default();
    documents
        .iter()
        .filter_map(|(_, json)| VerticalConfig::parse(json).ok())
        .collect()
}

/// After the external calendars' busy intervals of these professionals changed (a
/// calendar read, added or removed; the write marked them stale): recomputes them now,
/// with the verticals of the configuration store. A failure is logged and left to the
/// scheduled job.
pub async fn apres_agendas(ports: &Ports<'_>, professionnels: &[i64]) {
    if professionnels.is_empty() {
        return;
    }
    let verticals = configurees(ports).await;
    let verticals: Vec<&VerticalConfig> = verticals.iter().collect();
    for lot in professionnels.chunks(PAR_LOT) {
        if let Err(erreur) = recalculer(ports.db, &verticals, lot, ports.clock.now()).await {
            ports.log.ligne(crate::objet!({
                "niveau": "erreur",
                "evenement": "prochaine_dispo",
                "professionnels": lot,
                "erreur": erreur.to_string(),
            }));
        }
    }
}

/// The scheduled job's step: recomputes the professionals whose value is stale or due,
/// the longest due first, at most [`PAR_PASSAGE`]. Returns how many were stored.
pub async fn rattraper(
    db: &dyn Db,
    verticals: &[Rc<VerticalConfig>],
    maintenant: DateTime<Utc>,
) -> Result<usize, DbError> {
    let verticals: Vec<&VerticalConfig> = verticals.iter().map(|v| v.as_ref()).collect();
    let dus = fetch_ids(db, store::a_revoir(maintenant, PAR_PASSAGE)).await?;
    let mut faits = 0;
    for lot in dus.chunks(PAR_LOT) {
        faits += recalculer(db, &verticals, lot, maintenant).await?;
    }
    Ok(faits)
}

/// The directory's filter on the next free slot (`disponible=`): today, within three days
/// (today included), within seven days. Days are the platform's (Europe/Paris).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disponible {
    Aujourdhui,
    TroisJours,
    Semaine,
}

impl Disponible {
    /// The query string's value: `aujourdhui`, `3jours`, `semaine`.
    pub fn parse(texte: &str) -> Option<Disponible> {
        match texte {
            "aujourdhui" => Some(Disponible::Aujourdhui),
            "3jours" => Some(Disponible::TroisJours),
            "semaine" => Some(Disponible::Semaine),
            _ => None,
        }
    }

    /// The instants a next free slot must start within: from now to the end of the last
    /// day the filter takes.
    pub fn fenetre(self, maintenant: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
        let jours = match self {
            Disponible::Aujourdhui => 1,
            Disponible::TroisJours => 3,
            Disponible::Semaine => 7,
        };
        let fuseau = chrono_tz::Europe::Paris;
        let aujourdhui = maintenant.with_timezone(&fuseau).date_naive();
        let fin = aujourdhui
            .checked_add_days(Days::new(jours))
            .and_then(|jour| crate::disponibilites::debut_du_jour(fuseau, jour))
            .unwrap_or(maintenant);
        (maintenant, fin)
    }
}
