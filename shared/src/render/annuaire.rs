//! The directory's pages: search results and a professional's profile.

use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::format;
use super::{Seo, Site};
use crate::cas::prochaine_dispo;
use crate::disponibilites::Creneau;
use crate::store::avis::Avis;
use crate::store::planning;
use crate::store::professionnels::Professionnel;
use crate::store::services::Service;
use crate::types::StatutAvis;

/// A professional as a search result card or a profile's header shows them.
#[derive(Debug, Clone)]
pub struct FichePro {
    pub url: String,
    pub nom: String,
    pub ville: String,
    /// The city's page.
    pub url_ville: String,
    pub region: String,
    pub bio: String,
    pub initiales: String,
    /// Only a photo served by the site itself (no third-party request).
    pub photo: Option<String>,
    pub prix: Option<String>,
    pub note: Option<String>,
    pub nombre_avis: i64,
    /// The first services' names.
    pub services: Vec<String>,
    /// How many more services than listed.
    pub autres_services: usize,
    /// When they are next free (`Disponible demain à 9 h`), or that they are not in the
    /// days looked at; nothing while it is being computed again.
    pub disponibilite: Option<String>,
}

impl FichePro {
    /// `avis_actifs`: the vertical collects reviews (otherwise no note is shown).
    pub fn new(
        pro: &Professionnel,
        services: &[&Service],
        avis_actifs: bool,
        maintenant: DateTime<Utc>,
    ) -> FichePro {
        const MONTRES: usize = 3;
        FichePro {
            url: format!("/professionnels/{}", pro.slug),
            nom: pro.nom.clone(),
            ville: pro.ville.clone(),
            url_ville: url_ville(&pro.ville),
            region: pro.region.clone(),
            bio: pro.bio.clone(),
            initiales: format::initiales(&pro.nom),
            photo: pro
                .photo_url
                .clone()
                .filter(|u| u.starts_with('/') && !u.starts_with("//")),
            prix: format::fourchette(pro.prix_min.map(i64::from), pro.prix_max.map(i64::from)),
            note: pro
                .note_moyenne
                .filter(|_| avis_actifs && pro.nombre_avis > 0)
                .map(format::note),
            nombre_avis: if avis_actifs { pro.nombre_avis } else { 0 },
            services: services
                .iter()
                .take(MONTRES)
                .map(|s| s.nom.clone())
                .collect(),
            autres_services: services.len().saturating_sub(MONTRES),
            disponibilite: disponibilite(pro, maintenant),
        }
    }
}

/// The page of a city's professionals: `/ville/<slug of its name>`.
pub fn url_ville(ville: &str) -> String {
    format!("/ville/{}", crate::comptes::saisies::slug_de(ville))
}

/// What a card says of a professional's next free slot: a past one (the scheduled job
/// has not recomputed it yet) says nothing, nor does a stale absence of one.
fn disponibilite(pro: &Professionnel, maintenant: DateTime<Utc>) -> Option<String> {
    let fuseau = planning::fuseau(&pro.fuseau);
    match pro.prochaine_dispo {
        Some(debut) if debut >= maintenant => Some(format::prochaine_disponibilite(
            &debut.with_timezone(&fuseau),
            &maintenant.with_timezone(&fuseau).date_naive(),
        )),
        Some(_) => None,
        None if pro.dispo_revoir_a > 0 => Some(format!(
            "Aucune disponibilité dans les {} prochains jours",
            prochaine_dispo::JOURS
        )),
        None => None,
    }
}

/// Previous and next page links of a list.
#[derive(Debug, Clone)]
pub struct Pagination {
    pub page: u32,
    pub pages: u32,
    pub precedente: Option<String>,
    pub suivante: Option<String>,
}

/// `/recherche`: the search form again, then one card per professional.
#[derive(Template)]
#[template(path = "recherche.html", whitespace = "minimize")]
pub struct RecherchePage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    /// The page's heading ("Trouver un coach", "Coachs à Lyon").
    pub h1: String,
    pub q: String,
    pub lieu: String,
    /// The availability filter and the order asked (`disponible=`, `tri=`), as given.
    pub disponible: String,
    pub tri: String,
    /// A message about the search itself (a filter too long, a bad page number).
    pub erreur: Option<String>,
    pub total: i64,
    pub cartes: Vec<FichePro>,
    pub pagination: Option<Pagination>,
    /// Suggestions for the empty state.
    pub villes: Vec<String>,
    /// When a window on the next free slot left nobody: the same search without it.
    pub elargir: Option<String>,
    /// What was searched, after "Aucun coach" (" à Lyon", " correspondant à « yoga »").
    pub critere: String,
}

/// What the search page asked, as it follows "Aucun coach" in a sentence: the words and
/// the place as typed, quoted (a place typed may be a city, a region or a number: « à
/// Bretagne » or « à 69 » would be wrong French).
pub fn critere(q: &str, lieu: &str) -> String {
    match (q.trim(), lieu.trim()) {
        ("", "") => String::new(),
        (q, "") => format!(" correspondant à « {q} »"),
        ("", lieu) => format!(" correspondant au lieu « {lieu} »"),
        (q, lieu) => format!(" correspondant à « {q} » et au lieu « {lieu} »"),
    }
}

/// One of a professional's services on their profile.
#[derive(Debug, Clone)]
pub struct ServiceVue {
    pub id: i64,
    pub nom: String,
    pub description: String,
    pub duree: String,
    pub prix: String,
    /// The profile showing this service's slots.
    pub url: String,
    pub choisi: bool,
}

/// One free slot: a link to book it, or a radio button to move a booking to it.
#[derive(Debug, Clone)]
pub struct CreneauVue {
    pub heure: String,
    /// ISO 8601 with the professional's offset: the form value.
    pub debut: String,
    /// The booking form for this slot (profile only).
    pub url: String,
    /// A unique id in the page (radio buttons).
    pub id: String,
    /// What a screen reader says: `lundi 30 novembre à 9 h 30`.
    pub libelle: String,
    /// The seats left, for a group session (« 3 places restantes »).
    pub places: Option<String>,
}

/// One person a client may choose (`choisi` when chosen).
#[derive(Debug, Clone)]
pub struct OptionMembre {
    pub id: i64,
    pub nom: String,
    pub choisi: bool,
}

/// The choice of a person of an establishment, in the trade's word (« Mécanicien »),
/// shown when more than one performs the service; « Peu importe » is the empty value.
#[derive(Debug, Clone)]
pub struct ChoixMembres {
    pub libelle: String,
    pub options: Vec<OptionMembre>,
}

impl ChoixMembres {
    /// The choice among `personnes` (id and name), if there is one to make.
    pub fn new(
        mots: &crate::vertical::MotsMembres,
        personnes: &[(i64, &str)],
        choisi: Option<i64>,
    ) -> Option<ChoixMembres> {
        (personnes.len() > 1).then(|| ChoixMembres {
            libelle: format::capitaliser(&mots.personne),
            options: personnes
                .iter()
                .map(|&(id, nom)| OptionMembre {
                    id,
                    nom: nom.to_owned(),
                    choisi: choisi == Some(id),
                })
                .collect(),
        })
    }
}

/// The free slots of one local day.
#[derive(Debug, Clone)]
pub struct JourCreneaux {
    pub libelle: String,
    pub creneaux: Vec<CreneauVue>,
}

/// Groups slots by the professional's local day, in order. `lien` makes a slot's URL from
/// its ISO start.
pub fn jours_de_creneaux(
    creneaux: &[Creneau],
    fuseau: Tz,
    lien: impl Fn(&str) -> String,
    places: impl Fn(usize) -> Option<i64>,
) -> Vec<JourCreneaux> {
    let mut jours: Vec<(NaiveDate, JourCreneaux)> = Vec::new();
    for (i, creneau) in creneaux.iter().enumerate() {
        let local = creneau.debut().with_timezone(&fuseau);
        let date = local.date_naive();
        let debut = creneau.debut_local(fuseau);
        let vue = CreneauVue {
            heure: format::heure(&local),
            url: lien(&debut),
            debut,
            id: format!("creneau-{i}"),
            libelle: format!(
                "{} à {}",
                format::jour_et_mois(&local),
                format::heure(&local)
            ),
            places: places(i).map(format::places_restantes),
        };
        match jours.last_mut() {
            Some((d, jour)) if *d == date => jour.creneaux.push(vue),
            _ => jours.push((
                date,
                JourCreneaux {
                    libelle: format::jour_et_mois(&local),
                    creneaux: vec![vue],
                },
            )),
        }
    }
    jours.into_iter().map(|(_, j)| j).collect()
}

/// A week of slots with links to the weeks around it.
#[derive(Debug, Clone)]
pub struct Semaine {
    /// `du 25 novembre au 1er décembre`.
    pub libelle: String,
    pub jours: Vec<JourCreneaux>,
    pub precedente: Option<String>,
    pub suivante: Option<String>,
}

impl Semaine {
    pub fn libelle(du: NaiveDate, au: NaiveDate) -> String {
        format!(
            "du {} au {}",
            format::jour_et_mois(&du),
            format::jour_et_mois(&au)
        )
    }
}

/// A review as the profile shows it.
#[derive(Debug, Clone)]
pub struct AvisVue {
    pub note: i64,
    pub auteur: String,
    pub commentaire: String,
    /// When the review was given.
    pub date: String,
    /// When the appointment took place (the date of the experience, shown by law).
    pub experience: String,
    /// Reported by the professional, awaiting the admin's decision.
    pub signale: bool,
}

impl AvisVue {
    pub fn new(avis: &Avis, fuseau: Tz) -> AvisVue {
        let date = avis.created_at.with_timezone(&fuseau);
        AvisVue {
            note: avis.note.clamp(0, 5),
            auteur: avis.auteur.clone(),
            commentaire: avis.commentaire.clone(),
            date: format::date_longue(&date),
            experience: format::date_longue(&avis.date_experience.with_timezone(&fuseau)),
            signale: avis.statut == StatutAvis::Signale,
        }
    }
}

/// `/professionnels/{slug}`: who they are, what they offer, and when they are free.
#[derive(Template)]
#[template(path = "profil.html", whitespace = "minimize")]
pub struct ProfilPage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub pro: FichePro,
    pub services: Vec<ServiceVue>,
    /// The service whose slots are shown.
    pub service_choisi: Option<ServiceVue>,
    pub semaine: Semaine,
    pub avis: Vec<AvisVue>,
    /// How the vertical takes payment, in a sentence.
    pub paiement: String,
    /// Whether the vertical runs a waitlist (a link to join it under the slots).
    pub liste_attente: bool,
    /// The choice of a person, when several perform the service.
    pub membres: Option<ChoixMembres>,
}
