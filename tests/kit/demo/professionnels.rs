//! A demo professional written out: account, profile, services, hours and time off.

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};

use booking_shared::comptes::approbation::{siret_valide, Exigence};
use booking_shared::comptes::saisies::slug_de;
use booking_shared::comptes::saisies_pro::{AbsenceSaisie, OuvertureSaisie, PlageSaisie};
use booking_shared::comptes::Empreinte;
use booking_shared::disponibilites::{Absence, OuvertureDatee, PlageHebdo, Planning};
use booking_shared::store::{agendas, demo as lignes, espace_pro, Db};
use booking_shared::vertical::VerticalConfig;

use super::contenu::{Pro, Vertical, VARIATIONS};
use super::placement::{hm, instant, jour_semaine, plus_jours, ProDemo};
use super::{agenda_demo, email_pro, erreur, telephone, ErreurDemo, FUSEAU};

/// Writes one professional (account, profile, services, hours, time off) and returns it
/// as placed.
#[allow(clippy::too_many_arguments)]
pub(super) async fn ecrire_pro(
    db: &dyn Db,
    vertical: &Vertical,
    config: &VerticalConfig,
    v_index: i64,
    i: usize,
    donnees: &'static Pro,
    aujourdhui: NaiveDate,
    base: DateTime<Utc>,
    empreinte: Option<&Empreinte>,
) -> Result<ProDemo, ErreurDemo> {
    let rang = i as i64;
    let id = v_index * 100 + rang + 1;
    let cree =
        (base - TimeDelta::days(150 - 9 * rang - 30 * v_index) + TimeDelta::hours(9)).timestamp();
    let (prenom, nom_famille) = donnees.contact;
    let email = email_pro(donnees);
    let nom_compte = format!("{prenom} {nom_famille}");
    let telephone = telephone(id);
    // 2 to 4 services: the first default always, then others in turn.
    let defauts = config.services_par_defaut();
    let combien = defauts.len().min(2 + i % 3);
    let autres: Vec<usize> = (1..defauts.len()).collect();
    let decalage = if autres.is_empty() {
        0
    } else {
        i % autres.len()
    };
    let mut choisis: Vec<usize> = autres[decalage..]
        .iter()
        .chain(&autres[..decalage])
        .copied()
        .take(combien.saturating_sub(1))
        .collect();
    choisis.push(0);
    choisis.sort_unstable();
    let mut services = Vec::new();
    for (position, k) in choisis.into_iter().enumerate() {
        let s = &defauts[k];
        let variation = VARIATIONS[(i + k) % VARIATIONS.len()];
        let prix = i64::try_from(s.prix_centimes()).unwrap_or(i64::MAX);
        // Rounded to the euro, half to even.
        let euros = ((prix * (100 + variation)) as f64 / 100.0 / 100.0).round_ties_even();
        let prix = (euros as i64 * 100).clamp(0, 10_000_000);
        services.push(lignes::Service {
            id: id * 10 + position as i64 + 1,
            professionnel_id: id,
            nom: s.nom(),
            description: s.description().unwrap_or(""),
            duree_minutes: i64::from(s.duree_minutes()),
            prix_centimes: prix,
            position: position as i64,
        });
    }
    let prix = services.iter().map(|s| s.prix_centimes);
    let slug = slug_de(donnees.nom);
    let exige = |e| config.exigences_approbation().contains(&e);
    let siret = exige(Exigence::Siret).then(|| siret_demo(id));
    let barreau = exige(Exigence::Barreau).then(|| format!("Barreau de {}", donnees.ville));
    let professionnel = lignes::Professionnel {
        id,
        vertical: vertical.slug,
        created_at: cree,
        email: &email,
        nom_compte: &nom_compte,
        telephone: &telephone,
        empreinte,
        slug: &slug,
        nom: donnees.nom,
        bio: donnees.bio,
        ville: donnees.ville,
        code_postal: donnees.code_postal,
        region: donnees.region,
        prix_min: prix.clone().min().unwrap_or(0),
        prix_max: prix.max().unwrap_or(0),
        public: donnees.public,
        fuseau: FUSEAU.name(),
        siret: siret.as_deref(),
        barreau: barreau.as_deref(),
    };
    for ligne in lignes::professionnel(&professionnel) {
        db.query(ligne).await.map_err(erreur(&email))?;
    }
    for service in &services {
        db.query(lignes::service(service))
            .await
            .map_err(erreur(service.nom))?;
    }
    // The second professional of each vertical has an external calendar, served by the
    // local stand-in and read by the scheduled job (local development only: elsewhere
    // its address is refused, and the page says so).
    if i == 1 {
        let url = format!("{}/{slug}.ics", agenda_demo());
        agendas::ajouter(db, id, &url, 1, base)
            .await
            .map_err(erreur("agenda externe"))?;
    }

    // Weekly hours, then dated openings.
    espace_pro::remplacer_semaine(db, id, &semaine(donnees.horaires))
        .await
        .map_err(erreur("horaires"))?;
    let mut hebdo = Vec::new();
    for (jour, debut, fin) in donnees.horaires {
        hebdo.push(PlageHebdo {
            jour: jour_semaine(*jour)?,
            debut: hm(debut)?,
            fin: hm(fin)?,
        });
    }
    let mut pro = ProDemo {
        id,
        donnees,
        services: services
            .iter()
            .map(|s| (s.id, s.duree_minutes, s.prix_centimes))
            .collect(),
        planning: Planning {
            fuseau: FUSEAU,
            hebdo,
            ouvertures: Vec::new(),
            absences: Vec::new(),
        },
        actives: Vec::new(),
    };
    for o in vertical.ouvertures.iter().filter(|o| o.pro == i) {
        let mut jour = plus_jours(aujourdhui, 3);
        while jour.weekday().number_from_monday() != o.jour_iso {
            jour = plus_jours(jour, 1);
        }
        let (debut, fin) = (hm(o.debut)?, hm(o.fin)?);
        espace_pro::ajouter_ouverture(
            db,
            id,
            &OuvertureSaisie {
                date: jour.to_string(),
                heure_debut: o.debut.to_owned(),
                heure_fin: o.fin.to_owned(),
            },
        )
        .await
        .map_err(erreur("ouverture"))?;
        pro.planning.ouvertures.push(OuvertureDatee {
            date: jour,
            debut,
            fin,
        });
    }

    // Time off: whole days, then a few hours.
    for a in vertical.absences_jours.iter().filter(|a| a.pro == i) {
        let du = pro.jour_ouvert(plus_jours(aujourdhui, a.de), "00:00", "24:00")?;
        let au = plus_jours(du, a.a - a.de);
        espace_pro::ajouter_absence(
            db,
            id,
            &AbsenceSaisie::Jours {
                du: du.to_string(),
                au: au.to_string(),
                motif: a.motif.to_owned(),
            },
        )
        .await
        .map_err(erreur("absence"))?;
        pro.planning.absences.push(Absence::Jours { du, au });
    }
    for a in vertical.absences_periodes.iter().filter(|a| a.pro == i) {
        let jour = pro.jour_ouvert(plus_jours(aujourdhui, a.decalage), a.debut, a.fin)?;
        let bornes = (instant(jour, hm(a.debut)?), instant(jour, hm(a.fin)?));
        let (Some(debut), Some(fin)) = bornes else {
            return Err(ErreurDemo(format!("heure locale inexistante le {jour}")));
        };
        espace_pro::ajouter_absence(
            db,
            id,
            &AbsenceSaisie::Periode {
                debut: debut.timestamp(),
                fin: fin.timestamp(),
                motif: a.motif.to_owned(),
            },
        )
        .await
        .map_err(erreur("absence"))?;
        pro.planning.absences.push(Absence::Periode { debut, fin });
    }
    Ok(pro)
}

/// Weekly hours as the professional's space takes them.
pub(super) fn semaine(horaires: &[(u32, &str, &str)]) -> Vec<PlageSaisie> {
    horaires
        .iter()
        .map(|(jour, debut, fin)| PlageSaisie {
            jour_semaine: i64::from(*jour),
            heure_debut: (*debut).to_owned(),
            heure_fin: (*fin).to_owned(),
        })
        .collect()
}

/// A valid SIRET of its own for the demo professional `id`: 13 digits, then the Luhn key.
fn siret_demo(id: i64) -> String {
    let debut = format!("8{id:012}");
    (0..10)
        .map(|cle| format!("{debut}{cle}"))
        .find(|s| siret_valide(s))
        .unwrap_or(debut)
}
