//! A professional's opening hours and time off, read into a [`Planning`].

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;

use super::professionnels::Designe;
use super::{decode, Db, DbError, Row, Statement};
use crate::dates;
use crate::disponibilites::{Absence, OuvertureDatee, PlageHebdo, Planning};

crate::ligne! {
    #[derive(Debug)]
    struct LigneDisponibilite {
        recurrence: String,
        jour_semaine: Option<i64>,
        date: Option<String>,
        heure_debut: String,
        heure_fin: String,
        membre_id: Option<i64>,
    }
}

crate::ligne! {
    #[derive(Debug)]
    struct LigneAbsence {
        type_absence: String = "type",
        du: Option<String>,
        au: Option<String>,
        debut: Option<DateTime<Utc>>,
        fin: Option<DateTime<Utc>>,
        membre_id: Option<i64>,
    }
}

/// The professional's time zone; an unknown name (never written by the app) falls back
/// to Europe/Paris rather than failing a page.
pub fn fuseau(nom: &str) -> Tz {
    nom.parse().unwrap_or(chrono_tz::Europe::Paris)
}

fn jour(iso: i64) -> Option<Weekday> {
    match iso {
        1 => Some(Weekday::Mon),
        2 => Some(Weekday::Tue),
        3 => Some(Weekday::Wed),
        4 => Some(Weekday::Thu),
        5 => Some(Weekday::Fri),
        6 => Some(Weekday::Sat),
        7 => Some(Weekday::Sun),
        _ => None,
    }
}

fn heure(texte: &str) -> Option<NaiveTime> {
    dates::lire_heure(texte)
}

fn date(texte: Option<&str>) -> Option<NaiveDate> {
    dates::lire_date(texte?)
}

/// The two reads a planning needs, to run in one batch (one round trip to D1).
pub fn lectures<'a>(qui: impl Into<Designe<'a>>) -> [Statement; 2] {
    let qui = qui.into();
    let pro = qui.sql(1);
    [
        Statement::new(format!(
            "SELECT recurrence, jour_semaine, date, heure_debut, heure_fin, membre_id \
             FROM disponibilites WHERE professionnel_id = {pro} ORDER BY id"
        ))
        .bind(qui.valeur()),
        Statement::new(format!(
            "SELECT type, du, au, debut, fin, membre_id FROM absences WHERE professionnel_id = {pro} \
             ORDER BY id"
        ))
        .bind(qui.valeur()),
    ]
}

pub async fn planning(
    db: &dyn Db,
    professionnel_id: i64,
    fuseau_nom: &str,
) -> Result<Planning, DbError> {
    let mut lignes = db
        .batch(lectures(professionnel_id).to_vec())
        .await?
        .into_iter();
    let disponibilites = lignes.next().unwrap_or_default();
    let absences = lignes.next().unwrap_or_default();
    depuis_lignes(fuseau_nom, disponibilites, absences)
}

/// The planning from the rows of [`lectures`], in that order: the whole establishment's,
/// every member's hours and time off together.
pub fn depuis_lignes(
    fuseau_nom: &str,
    disponibilites: Vec<Row>,
    absences: Vec<Row>,
) -> Result<Planning, DbError> {
    let mut plannings = par_membre(fuseau_nom, disponibilites, absences, &[])?;
    Ok(plannings.pop().unwrap_or_default())
}

/// One planning per member of `membres`, in that order, from the rows of [`lectures`]:
/// the member's own hours and openings, its own time off and the whole establishment's
/// (no member). With no member given, one planning of every row.
pub fn par_membre(
    fuseau_nom: &str,
    disponibilites: Vec<Row>,
    absences: Vec<Row>,
    membres: &[i64],
) -> Result<Vec<Planning>, DbError> {
    let disponibilites: Vec<LigneDisponibilite> = decode(disponibilites)?;
    let absences: Vec<LigneAbsence> = decode(absences)?;
    let tous = membres.is_empty();
    let plannings = if tous { &[0][..] } else { membres };
    Ok(plannings
        .iter()
        .map(|&membre| {
            planning_de(
                fuseau_nom,
                disponibilites
                    .iter()
                    .filter(|d| tous || d.membre_id == Some(membre)),
                absences
                    .iter()
                    .filter(|a| tous || a.membre_id.is_none_or(|m| m == membre)),
            )
        })
        .collect())
}

fn planning_de<'a>(
    fuseau_nom: &str,
    disponibilites: impl Iterator<Item = &'a LigneDisponibilite>,
    absences: impl Iterator<Item = &'a LigneAbsence>,
) -> Planning {
    let mut planning = Planning {
        fuseau: fuseau(fuseau_nom),
        ..Planning::default()
    };
    for ligne in disponibilites {
        let (Some(debut), Some(fin)) = (heure(&ligne.heure_debut), heure(&ligne.heure_fin)) else {
            continue;
        };
        match ligne.recurrence.as_str() {
            "hebdomadaire" => {
                if let Some(jour) = ligne.jour_semaine.and_then(jour) {
                    planning.hebdo.push(PlageHebdo { jour, debut, fin });
                }
            }
            _ => {
                if let Some(date) = date(ligne.date.as_deref()) {
                    planning
                        .ouvertures
                        .push(OuvertureDatee { date, debut, fin });
                }
            }
        }
    }
    for ligne in absences {
        let absence = match ligne.type_absence.as_str() {
            "jours" => date(ligne.du.as_deref())
                .zip(date(ligne.au.as_deref()))
                .map(|(du, au)| Absence::Jours { du, au }),
            _ => ligne
                .debut
                .zip(ligne.fin)
                .map(|(debut, fin)| Absence::Periode { debut, fin }),
        };
        planning.absences.extend(absence);
    }
    planning
}
