//! A professional's external calendars: add one (its address checked against request
//! forgery, then read at once), list, remove, read one now, and the scheduled job's
//! reading of the calendars least recently tried.
//!
//! A read is a GET that follows at most [`REDIRECTIONS_MAX`] redirects, each target
//! checked by the same rule as the address; it sends the last file's validators
//! (`If-None-Match`, `If-Modified-Since`) when that file was read less than a day ago, so
//! that a 304 keeps the intervals (a day later the file is read again: the horizon has
//! moved). The body is read up to [`TAILLE_MAX`], the read (redirects included) within
//! [`DELAI_SECONDES`]. A failure keeps the intervals of the last file read and is shown
//! to the professional in French.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use crate::agendas::{self, AdresseAgenda, AdresseRefusee};
use crate::cas::{prochaine_dispo, Ports};
use crate::comptes::limites::Frein;
use crate::ports::{EchecTelechargement, RequeteSortante};
use crate::store::agendas::{self as store, AgendaExterne, Ajout, Lecture};
use crate::store::planning::fuseau;
use crate::store::{freins, DbError};

/// Most calendars per professional.
pub const MAXIMUM_PAR_PRO: u32 = 5;
/// Largest file read: past it, reading stops and the read fails.
pub const TAILLE_MAX: usize = 1024 * 1024;
pub const DELAI_SECONDES: u32 = 10;
pub const REDIRECTIONS_MAX: usize = 3;
/// How far ahead busy intervals are kept: as far as any vertical opens bookings (its
/// `horizon_jours` is at most 365).
pub const HORIZON_JOURS: i64 = 366;
/// Calendars read per scheduled run. Each read costs at most 1 + [`REDIRECTIONS_MAX`]
/// subrequests: 20 calendars stay within 80, next to the run's 50 e-mails, far below
/// the 1,000 subrequests a Worker invocation may make (paid plan). Every 5 minutes, that
/// is 5,760 reads a day.
pub const PAR_PASSAGE: u32 = 20;
/// A calendar is read again by the scheduled job once this old.
pub const FRAICHEUR_MINUTES: i64 = 15;
/// "Synchroniser maintenant" waits this long after the last attempt (the button must not
/// turn the Worker into a tool to hammer a server).
pub const PAUSE_MANUELLE_SECONDES: i64 = 60;
/// Adding a calendar reads it at once: a professional adds at most one a
/// [`PAUSE_MANUELLE_SECONDES`] (removing and adding again does not read any sooner).
pub const AJOUT: Frein = Frein {
    nom: "agendas:ajout",
    gratuites: 1,
    premier_delai: PAUSE_MANUELLE_SECONDES,
    delai_max: PAUSE_MANUELLE_SECONDES,
    memoire: PAUSE_MANUELLE_SECONDES,
};

#[derive(Debug, thiserror::Error)]
pub enum ErreurAgenda {
    #[error("adresse refusée : {0}")]
    Adresse(AdresseRefusee),
    #[error("plafond de calendriers atteint")]
    Plafond,
    #[error("adresse déjà ajoutée")]
    Doublon,
    #[error("calendrier introuvable")]
    Introuvable,
    #[error("synchronisation trop récente")]
    TropTot,
    /// An addition too soon after the last one: seconds to wait.
    #[error("ajout trop rapproché")]
    AjoutTropTot(i64),
    #[error("action inconnue")]
    ActionInconnue,
    #[error("erreur interne : {0}")]
    Interne(String),
}

impl From<DbError> for ErreurAgenda {
    fn from(e: DbError) -> Self {
        ErreurAgenda::Interne(e.to_string())
    }
}

/// What the professional should know of the last file read: past
/// [`agendas::OCCUPATIONS_MAX`] busy periods, the rest of the horizon counts as busy; and
/// what of its rules was not taken into account.
pub fn avertissement(agenda: &AgendaExterne) -> Option<String> {
    let plein = (agenda.occupations >= i64::try_from(agendas::OCCUPATIONS_MAX).unwrap_or(i64::MAX)).then_some(
        "Agenda très chargé : seules les 2 000 premières périodes occupées sont lues ; au-delà, tout le temps est compté comme occupé.",
    );
    let phrases: Vec<&str> = plein
        .into_iter()
        .chain(agenda.avertissement.as_deref())
        .collect();
    (!phrases.is_empty()).then(|| phrases.join(" "))
}

pub async fn lister(
    ports: &Ports<'_>,
    professionnel_id: i64,
) -> Result<Vec<AgendaExterne>, ErreurAgenda> {
    Ok(store::du_professionnel(ports.db, professionnel_id).await?)
}

/// Adds a calendar and reads it at once; returns it as read.
pub async fn ajouter(
    ports: &Ports<'_>,
    professionnel_id: i64,
    fuseau_pro: &str,
    url: &str,
) -> Result<AgendaExterne, ErreurAgenda> {
    let adresse = AdresseAgenda::parse(url, ports.agendas_locaux).map_err(ErreurAgenda::Adresse)?;
    let maintenant = ports.clock.now();
    let frein = [(AJOUT, professionnel_id.to_string())];
    if let Some(attente) = freins::passer(ports.db, &frein, maintenant.timestamp()).await? {
        return Err(ErreurAgenda::AjoutTropTot(attente));
    }
    let id = match store::ajouter(
        ports.db,
        professionnel_id,
        adresse.as_str(),
        MAXIMUM_PAR_PRO,
        maintenant,
    )
    .await?
    {
        Ajout::Ajoute(id) => id,
        Ajout::Plafond => return Err(ErreurAgenda::Plafond),
        Ajout::Doublon => return Err(ErreurAgenda::Doublon),
    };
    // Inserted as tried now: already this request's to read.
    let agenda = relire(ports, professionnel_id, id).await?;
    synchroniser(ports, &agenda, fuseau(fuseau_pro)).await?;
    relire(ports, professionnel_id, id).await
}

pub async fn supprimer(
    ports: &Ports<'_>,
    professionnel_id: i64,
    id: i64,
) -> Result<(), ErreurAgenda> {
    if store::retirer(ports.db, professionnel_id, id).await? {
        // Its busy time no longer counts: someone in line may get a slot; and its busy
        // intervals are gone from the next free slot.
        crate::cas::liste_attente::planning_change_de(ports, professionnel_id).await;
        prochaine_dispo::apres_agendas(ports, &[professionnel_id]).await;
        Ok(())
    } else {
        Err(ErreurAgenda::Introuvable)
    }
}

/// "Synchroniser maintenant": reads one of the professional's calendars, unless it was
/// tried less than [`PAUSE_MANUELLE_SECONDES`] ago.
pub async fn synchroniser_maintenant(
    ports: &Ports<'_>,
    professionnel_id: i64,
    fuseau_pro: &str,
    id: i64,
) -> Result<AgendaExterne, ErreurAgenda> {
    let maintenant = ports.clock.now();
    let avant = maintenant - Duration::seconds(PAUSE_MANUELLE_SECONDES);
    let Some(agenda) =
        store::reclamer_un(ports.db, professionnel_id, id, maintenant, avant).await?
    else {
        // Not theirs, or too soon.
        return match relire(ports, professionnel_id, id).await {
            Ok(_) => Err(ErreurAgenda::TropTot),
            Err(e) => Err(e),
        };
    };
    synchroniser(ports, &agenda, fuseau(fuseau_pro)).await?;
    crate::cas::liste_attente::planning_change_de(ports, professionnel_id).await;
    relire(ports, professionnel_id, id).await
}

async fn relire(
    ports: &Ports<'_>,
    professionnel_id: i64,
    id: i64,
) -> Result<AgendaExterne, ErreurAgenda> {
    store::du_professionnel(ports.db, professionnel_id)
        .await?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or(ErreurAgenda::Introuvable)
}

/// What a scheduled run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Bilan {
    pub lus: u32,
    pub inchanges: u32,
    pub echecs: u32,
}

/// The scheduled job's step: reads the [`PAR_PASSAGE`] calendars least recently tried
/// (none tried in the last [`FRAICHEUR_MINUTES`]).
pub async fn synchroniser_dus(ports: &Ports<'_>) -> Result<Bilan, DbError> {
    let maintenant = ports.clock.now();
    let avant = maintenant - Duration::minutes(FRAICHEUR_MINUTES);
    let agendas = store::reclamer_dus(ports.db, maintenant, avant, PAR_PASSAGE).await?;
    let ids: Vec<i64> = agendas.iter().map(|a| a.professionnel_id).collect();
    let fuseaux = store::fuseaux(ports.db, &ids).await?;
    let mut bilan = Bilan::default();
    let mut changes: Vec<i64> = Vec::new();
    for agenda in &agendas {
        let nom = fuseaux
            .iter()
            .find(|(id, _)| *id == agenda.professionnel_id)
            .map_or("", |(_, nom)| nom.as_str());
        let tz = fuseau(nom);
        // A calendar whose outcome could not be recorded does not stop the others.
        match lire_et_enregistrer(ports, agenda, tz).await {
            Ok((lecture, change)) => {
                if change && !changes.contains(&agenda.professionnel_id) {
                    changes.push(agenda.professionnel_id);
                }
                match lecture {
                    Lecture::Lu { .. } => bilan.lus += 1,
                    Lecture::Inchange => bilan.inchanges += 1,
                    Lecture::Echec(_) => bilan.echecs += 1,
                }
            }
            Err(_) => bilan.echecs += 1,
        }
    }
    // The next free slot of those whose busy intervals changed, at once.
    prochaine_dispo::apres_agendas(ports, &changes).await;
    Ok(bilan)
}

/// Reads a claimed calendar and records the outcome, then recomputes the professional's
/// next free slot if its busy intervals changed.
async fn synchroniser(
    ports: &Ports<'_>,
    agenda: &AgendaExterne,
    tz: Tz,
) -> Result<Lecture, DbError> {
    let (lecture, change) = lire_et_enregistrer(ports, agenda, tz).await?;
    if change {
        prochaine_dispo::apres_agendas(ports, &[agenda.professionnel_id]).await;
    }
    Ok(lecture)
}

/// Reads a claimed calendar and records the outcome; true when its busy intervals changed
/// (the professional's next free slot is then marked stale). An outcome that cannot be
/// recorded is logged and recorded as a failure on the calendar (the last intervals stay).
async fn lire_et_enregistrer(
    ports: &Ports<'_>,
    agenda: &AgendaExterne,
    tz: Tz,
) -> Result<(Lecture, bool), DbError> {
    let maintenant = ports.clock.now();
    let lecture = lire(ports, agenda, tz, maintenant).await;
    match store::enregistrer(ports.db, agenda, &lecture, maintenant).await {
        Ok(change) => Ok((lecture, change)),
        Err(e) => {
            ports.log.ligne(crate::objet!({
                "niveau": "erreur",
                "evenement": "agenda_enregistrement",
                "agenda": agenda.id,
                "erreur": e.to_string(),
            }));
            let echec =
                echec("Erreur interne à l'enregistrement : nouvel essai au prochain passage.");
            store::enregistrer(ports.db, agenda, &echec, maintenant).await?;
            Ok((echec, false))
        }
    }
}

fn echec(message: &str) -> Lecture {
    Lecture::Echec(message.to_owned())
}

/// Whole seconds left before `echeance`, none when less than one.
fn secondes_avant(echeance: DateTime<Utc>, maintenant: DateTime<Utc>) -> Option<u32> {
    u32::try_from((echeance - maintenant).num_seconds())
        .ok()
        .filter(|s| *s >= 1)
}

async fn lire(
    ports: &Ports<'_>,
    agenda: &AgendaExterne,
    tz: Tz,
    maintenant: DateTime<Utc>,
) -> Lecture {
    let Ok(mut adresse) = AdresseAgenda::parse(&agenda.url, ports.agendas_locaux) else {
        return echec("Adresse refusée : elle ne désigne pas un serveur public.");
    };
    let conditionnel = agenda
        .lu_at
        .is_some_and(|lu| maintenant - lu < Duration::days(1));
    // One deadline for the read, redirects included.
    let echeance = maintenant + Duration::seconds(DELAI_SECONDES.into());
    for _ in 0..=REDIRECTIONS_MAX {
        let Some(reste) = secondes_avant(echeance, ports.clock.now()) else {
            return echec("Délai dépassé (10 s).");
        };
        let mut headers = vec![
            (
                "accept".to_owned(),
                "text/calendar, text/plain;q=0.5".to_owned(),
            ),
            (
                "user-agent".to_owned(),
                "BookingMultisite-Agendas/1".to_owned(),
            ),
        ];
        if conditionnel {
            if let Some(etag) = &agenda.etag {
                headers.push(("if-none-match".to_owned(), etag.clone()));
            }
            if let Some(date) = &agenda.last_modified {
                headers.push(("if-modified-since".to_owned(), date.clone()));
            }
        }
        let requete = RequeteSortante {
            method: "GET",
            url: adresse.as_str().to_owned(),
            headers,
            body: Vec::new(),
        };
        let reponse = match ports.http.telecharger(requete, TAILLE_MAX, reste).await {
            Ok(r) => r,
            Err(EchecTelechargement::Delai) => return echec("Délai dépassé (10 s)."),
            Err(EchecTelechargement::Reseau(_)) => {
                return echec("Serveur injoignable : vérifiez l'adresse.")
            }
        };
        match reponse.status {
            301 | 302 | 303 | 307 | 308 => {
                let cible = reponse
                    .entete("location")
                    .map(|l| adresse.redirection(l, ports.agendas_locaux));
                match cible {
                    Some(Ok(suivante)) => adresse = suivante,
                    _ => return echec("Redirection vers une adresse refusée."),
                }
            }
            304 if conditionnel => return Lecture::Inchange,
            200 if reponse.tronque => return echec("Fichier trop volumineux (plus de 1 Mio)."),
            200 => {
                let texte = String::from_utf8_lossy(&reponse.corps);
                let horizon = maintenant + Duration::days(HORIZON_JOURS);
                return match agendas::lire(&texte, tz, maintenant, horizon) {
                    Ok(lu) => Lecture::Lu {
                        avertissement: lu.avertissement(),
                        intervalles: lu.intervalles,
                        etag: reponse.entete("etag").map(str::to_owned),
                        last_modified: reponse.entete("last-modified").map(str::to_owned),
                    },
                    Err(e) => Lecture::Echec(e.to_string()),
                };
            }
            401 | 403 => {
                return echec(
                    "Accès refusé (403) : l'adresse secrète a peut-être été réinitialisée.",
                )
            }
            404 | 410 => return echec("Adresse introuvable (404)."),
            status => return Lecture::Echec(format!("Le serveur a répondu {status}.")),
        }
    }
    echec("Trop de redirections (plus de 3).")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_hop_gets_what_is_left_of_the_reads_one_deadline() {
        let debut = DateTime::<Utc>::UNIX_EPOCH;
        let echeance = debut + Duration::seconds(DELAI_SECONDES.into());
        assert_eq!(secondes_avant(echeance, debut), Some(DELAI_SECONDES));
        assert_eq!(
            secondes_avant(echeance, debut + Duration::milliseconds(7_400)),
            Some(2)
        );
        assert_eq!(
            secondes_avant(echeance, debut + Duration::milliseconds(9_100)),
            None
        );
        assert_eq!(
            secondes_avant(echeance, debut + Duration::seconds(30)),
            None
        );
    }
}
