//! One vertical's whole configuration, parsed and validated from its JSON document.

use chrono_tz::Tz;

use super::champ::Champ;
use super::checks::{entier, texte};
use super::error::ConfigError;
use super::fuseau::fuseau_valide;
use super::json_path::lire;
use super::legal::Legal;
use super::raw::{RawApprobation, RawAvis, RawListeAttente, RawMembres, RawVertical};
use super::regles::Regles;
use super::services::ServiceParDefaut;
use super::textes::Textes;
use super::theme::Theme;
use crate::comptes::approbation::Exigence;

/// A vertical's configuration, checked: once built, every rule of the document holds.
#[derive(Debug, Clone)]
pub struct VerticalConfig {
    slug: String,
    domains: Vec<String>,
    nom: String,
    langue: String,
    fuseau: Tz,
    textes: Textes,
    theme: Theme,
    services_par_defaut: Vec<ServiceParDefaut>,
    regles: Regles,
    rappels_minutes: Vec<u32>,
    champs: Vec<Champ>,
    exigences_approbation: Vec<Exigence>,
    avis: ReglesAvis,
    liste_attente: ReglesListeAttente,
    membres: MotsMembres,
    legal: Legal,
}

/// Whether the vertical collects reviews, and for how long after an appointment its client
/// may give one (the document's `avis` block).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReglesAvis {
    pub actifs: bool,
    pub delai_jours: u32,
}

impl ReglesAvis {
    /// The limit when the document says none.
    pub const DELAI_JOURS_DEFAUT: u32 = 30;

    fn depuis_brut(brut: Option<RawAvis>) -> Result<ReglesAvis, ConfigError> {
        let Some(brut) = brut else {
            return Ok(ReglesAvis {
                actifs: true,
                delai_jours: Self::DELAI_JOURS_DEFAUT,
            });
        };
        Ok(ReglesAvis {
            actifs: brut.actifs,
            delai_jours: match brut.delai_jours {
                Some(j) => entier("avis.delai_jours", j, 1, 365)?,
                None => Self::DELAI_JOURS_DEFAUT,
            },
        })
    }
}

/// Whether clients may join a professional's waitlist when nothing is free, and how long
/// a freed slot is held for the one it is offered to (the document's `liste_attente`
/// block).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReglesListeAttente {
    pub actif: bool,
    pub duree_offre_minutes: u32,
}

impl ReglesListeAttente {
    /// The hold of an offer when the document says none.
    pub const DUREE_OFFRE_MINUTES_DEFAUT: u32 = 30;

    fn depuis_brut(brut: Option<RawListeAttente>) -> Result<ReglesListeAttente, ConfigError> {
        let Some(brut) = brut else {
            return Ok(ReglesListeAttente {
                actif: true,
                duree_offre_minutes: Self::DUREE_OFFRE_MINUTES_DEFAUT,
            });
        };
        Ok(ReglesListeAttente {
            actif: brut.actif,
            duree_offre_minutes: match brut.duree_offre_minutes {
                Some(m) => entier("liste_attente.duree_offre_minutes", m, 5, 1440)?,
                None => Self::DUREE_OFFRE_MINUTES_DEFAUT,
            },
        })
    }
}

/// What the trade calls an establishment's members, people and resources, in the singular
/// and the plural (the document's `membres` block): « mécanicien », « pont ».
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MotsMembres {
    pub personne: String,
    pub personnes: String,
    pub ressource: String,
    pub ressources: String,
}

impl MotsMembres {
    fn depuis_brut(brut: Option<RawMembres>) -> Result<MotsMembres, ConfigError> {
        let Some(brut) = brut else {
            return Ok(MotsMembres {
                personne: "membre".into(),
                personnes: "membres".into(),
                ressource: "ressource".into(),
                ressources: "ressources".into(),
            });
        };
        Ok(MotsMembres {
            personne: texte("membres.personne", &brut.personne, 40)?,
            personnes: texte("membres.personnes", &brut.personnes, 40)?,
            ressource: texte("membres.ressource", &brut.ressource, 40)?,
            ressources: texte("membres.ressources", &brut.ressources, 40)?,
        })
    }
}

impl VerticalConfig {
    /// Parses and validates one document. The error names the JSON path of the first faulty
    /// field, in French.
    pub fn parse(json: &str) -> Result<VerticalConfig, ConfigError> {
        // Some editors save UTF-8 with a byte-order mark, which JSON does not allow.
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        let brut: RawVertical = lire(json)?;
        Ok(Self {
            slug: slug_valide(&brut.slug)?,
            domains: domaines_valides(&brut.domains)?,
            nom: texte("nom", &brut.nom, 80)?,
            langue: langue_valide(&brut.langue)?,
            fuseau: fuseau_valide(brut.fuseau.as_deref())?,
            textes: Textes::depuis_brut(brut.textes)?,
            theme: Theme::depuis_brut(brut.theme)?,
            services_par_defaut: ServiceParDefaut::liste_depuis_brut(brut.services_par_defaut)?,
            regles: Regles::depuis_brut(brut.regles)?,
            rappels_minutes: rappels_valides(&brut.rappels_minutes)?,
            champs: Champ::liste_depuis_brut(brut.champs)?,
            exigences_approbation: exigences_valides(brut.approbation)?,
            avis: ReglesAvis::depuis_brut(brut.avis)?,
            liste_attente: ReglesListeAttente::depuis_brut(brut.liste_attente)?,
            membres: MotsMembres::depuis_brut(brut.membres)?,
            legal: Legal::depuis_brut(brut.legal)?,
        })
    }

    /// `coach`, `avocat`, `garage`: also the KV key's suffix and the `vertical` column.
    pub fn slug(&self) -> &str {
        &self.slug
    }

    /// Host names served by this vertical, lower case, without port.
    pub fn domains(&self) -> &[String] {
        &self.domains
    }

    /// Whether a request's `Host` header belongs to this vertical: case-insensitive, with or
    /// without a `:port` suffix or a trailing dot.
    pub fn serves_host(&self, host: &str) -> bool {
        let host = sans_port(host.trim());
        let host = host.strip_suffix('.').unwrap_or(host);
        self.domains.iter().any(|d| d.eq_ignore_ascii_case(host))
    }

    /// Display name, e.g. "Coachs & Bien-être".
    pub fn nom(&self) -> &str {
        &self.nom
    }

    /// Language of the wording (`fr`).
    pub fn langue(&self) -> &str {
        &self.langue
    }

    /// The time zone a professional of this vertical gets on sign-up (Europe/Paris unless
    /// the document names another built-in zone).
    pub fn fuseau(&self) -> Tz {
        self.fuseau
    }

    pub fn textes(&self) -> &Textes {
        &self.textes
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    pub fn services_par_defaut(&self) -> &[ServiceParDefaut] {
        &self.services_par_defaut
    }

    pub fn regles(&self) -> &Regles {
        &self.regles
    }

    /// How long before the appointment each reminder is sent, in minutes, as written.
    pub fn rappels_minutes(&self) -> &[u32] {
        &self.rappels_minutes
    }

    /// The booking form's extra fields, in display order.
    /// Reviews: on or off, and their time limit.
    pub fn avis(&self) -> ReglesAvis {
        self.avis
    }

    /// The waitlist: on or off, and how long an offer holds its slot.
    pub fn liste_attente(&self) -> ReglesListeAttente {
        self.liste_attente
    }

    /// What the trade calls an establishment's members.
    pub fn membres(&self) -> &MotsMembres {
        &self.membres
    }

    pub fn champs(&self) -> &[Champ] {
        &self.champs
    }

    /// What a professional of this vertical must provide before the admin approves them.
    pub fn exigences_approbation(&self) -> &[Exigence] {
        &self.exigences_approbation
    }

    /// The operator, the mediator and the withdrawal regime the legal pages state.
    pub fn legal(&self) -> &Legal {
        &self.legal
    }
}

fn sans_port(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((nom, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !nom.contains(':') => nom,
        _ => host,
    }
}

fn slug_valide(slug: &str) -> Result<String, ConfigError> {
    let bien_forme = !slug.is_empty()
        && slug.len() <= 40
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-');
    if !bien_forme {
        return Err(ConfigError::new(
            "slug",
            format!(
                "« {slug} » n'est pas un identifiant valide : lettres minuscules, chiffres et \
                 tirets, sans tiret au début ni à la fin (40 caractères au plus)"
            ),
        ));
    }
    Ok(slug.to_owned())
}

fn domaines_valides(domaines: &[String]) -> Result<Vec<String>, ConfigError> {
    if domaines.is_empty() {
        return Err(ConfigError::new(
            "domains",
            "doit contenir au moins un nom d'hôte",
        ));
    }
    let mut valides: Vec<String> = Vec::with_capacity(domaines.len());
    for (i, domaine) in domaines.iter().enumerate() {
        let chemin = format!("domains[{i}]");
        if domaine.contains(':') {
            return Err(ConfigError::new(
                chemin,
                format!("« {domaine} » : nom d'hôte sans port ni schéma attendu"),
            ));
        }
        let label_valide = |label: &str| {
            (1..=63).contains(&label.len())
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        };
        if domaine.len() > 253 || !domaine.split('.').all(label_valide) {
            return Err(ConfigError::new(
                chemin,
                format!(
                    "« {domaine} » n'est pas un nom d'hôte valide (minuscules, chiffres, tirets \
                     et points, par exemple coach.localhost)"
                ),
            ));
        }
        if valides.contains(domaine) {
            return Err(ConfigError::new(
                chemin,
                format!("« {domaine} » apparaît deux fois"),
            ));
        }
        valides.push(domaine.clone());
    }
    Ok(valides)
}

fn langue_valide(langue: &str) -> Result<String, ConfigError> {
    // The pages, e-mails and messages exist in French only.
    if langue != "fr" {
        return Err(ConfigError::new(
            "langue",
            format!("« {langue} » n'est pas prise en charge : seule « fr » l'est"),
        ));
    }
    Ok(langue.to_owned())
}

fn rappels_valides(rappels: &[i64]) -> Result<Vec<u32>, ConfigError> {
    let mut valides: Vec<u32> = Vec::with_capacity(rappels.len());
    for (i, &rappel) in rappels.iter().enumerate() {
        let chemin = format!("rappels_minutes[{i}]");
        let minutes = entier(&chemin, rappel, 5, 20_160)?;
        if valides.contains(&minutes) {
            return Err(ConfigError::new(
                chemin,
                format!("le rappel {minutes} minutes avant est déjà prévu"),
            ));
        }
        valides.push(minutes);
    }
    Ok(valides)
}

fn exigences_valides(approbation: Option<RawApprobation>) -> Result<Vec<Exigence>, ConfigError> {
    let exigences = approbation.map(|a| a.exigences).unwrap_or_default();
    for (i, exigence) in exigences.iter().enumerate() {
        if exigences[..i].contains(exigence) {
            return Err(ConfigError::new(
                format!("approbation.exigences[{i}]"),
                format!("« {} » apparaît deux fois", exigence.champ()),
            ));
        }
    }
    Ok(exigences)
}
