//! The validated inputs of the professional's space: profile, services, hours, extra
//! openings and time off. Forms and the API send the same field names; the API reads its
//! typed JSON members into text so both go through the same rules.

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;

use super::approbation::{barreau_saisi, siret_saisi};
use super::erreur_champ;
use super::saisies::texte_court;
use crate::dates;
use crate::vertical::ErreurChamp;

/// Form fields, or a typed JSON body's members as text (numbers as written, `true` as "1").
pub type Champs = [(String, String)];

pub fn champ<'a>(champs: &'a Champs, nom: &str) -> &'a str {
    champs
        .iter()
        .find(|(k, _)| k == nom)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn coche(valeur: &str) -> bool {
    matches!(valeur.trim(), "1" | "on" | "true" | "oui")
}

/// An amount in euros as typed ("45", "45,50", "45.5") into cents.
pub fn euros(champ_nom: &str, brut: &str) -> Result<Option<i64>, ErreurChamp> {
    let v = brut.trim().replace(' ', "").replace(',', ".");
    if v.is_empty() {
        return Ok(None);
    }
    let invalide = || {
        erreur_champ(
            champ_nom,
            "montant_invalide",
            "Indiquez un montant en euros (exemple : 45 ou 45,50).",
        )
    };
    let (entier, decimales) = v.split_once('.').unwrap_or((&v, ""));
    if entier.is_empty()
        || !entier.chars().all(|c| c.is_ascii_digit())
        || decimales.len() > 2
        || !decimales.chars().all(|c| c.is_ascii_digit())
        || entier.len() > 6
    {
        return Err(invalide());
    }
    let euros: i64 = entier.parse().map_err(|_| invalide())?;
    let centimes: i64 = format!("{decimales:0<2}").parse().map_err(|_| invalide())?;
    Ok(Some(euros * 100 + centimes))
}

#[derive(Debug, Clone, PartialEq)]
pub struct Profil {
    pub bio: String,
    pub ville: String,
    pub region: String,
    /// Five digits (its département is derived from it); optional, but without it the
    /// profile is not found by postcode or département.
    pub code_postal: Option<String>,
    pub photo_url: Option<String>,
    pub prix_min: Option<i64>,
    pub prix_max: Option<i64>,
    pub public: bool,
    /// Towards approval, when the vertical requires them (checked whenever given).
    pub siret: Option<String>,
    pub barreau: Option<String>,
}

fn collecte<T>(erreurs: &mut Vec<ErreurChamp>, r: Result<T, ErreurChamp>) -> Option<T> {
    r.map_err(|e| erreurs.push(e)).ok()
}

impl Profil {
    pub fn valider(champs: &Champs) -> Result<Profil, Vec<ErreurChamp>> {
        let mut e = Vec::new();
        let bio = champ(champs, "bio").trim().to_owned();
        if bio.chars().count() > 4000 {
            e.push(erreur_champ(
                "bio",
                "trop_long",
                "La présentation ne doit pas dépasser 4 000 caractères.",
            ));
        }
        let ville = collecte(
            &mut e,
            texte_court("ville", "La ville", champ(champs, "ville"), 80),
        );
        let region = collecte(
            &mut e,
            texte_court("region", "La région", champ(champs, "region"), 80),
        );
        let code = champ(champs, "code_postal").trim();
        let code_postal = if code.is_empty() {
            None
        } else if crate::recherche::code_postal_valide(code) {
            Some(code.to_owned())
        } else {
            e.push(erreur_champ(
                "code_postal",
                "code_postal_invalide",
                "Le code postal doit compter 5 chiffres (par exemple 69003).",
            ));
            None
        };
        let photo = champ(champs, "photo_url").trim();
        let photo_url = if photo.is_empty() {
            None
        } else if (photo.starts_with("https://") || photo.starts_with("http://"))
            && photo.len() <= 500
            && !photo
                .chars()
                .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
        {
            Some(photo.to_owned())
        } else {
            e.push(erreur_champ(
                "photo_url",
                "url_invalide",
                "L'adresse de la photo doit commencer par https:// (500 caractères au plus).",
            ));
            None
        };
        let prix_min = collecte(&mut e, euros("prix_min", champ(champs, "prix_min"))).flatten();
        let prix_max = collecte(&mut e, euros("prix_max", champ(champs, "prix_max"))).flatten();
        if let (Some(a), Some(b)) = (prix_min, prix_max) {
            if a > b {
                e.push(erreur_champ(
                    "prix_max",
                    "fourchette_invalide",
                    "Le prix maximum doit être supérieur ou égal au prix minimum.",
                ));
            }
        }
        let siret = collecte(&mut e, siret_saisi(champ(champs, "siret"))).flatten();
        let barreau = collecte(&mut e, barreau_saisi(champ(champs, "barreau"))).flatten();
        match (ville, region) {
            (Some(ville), Some(region)) if e.is_empty() => Ok(Profil {
                bio,
                ville,
                region,
                code_postal,
                photo_url,
                prix_min,
                prix_max,
                public: coche(champ(champs, "public")),
                siret,
                barreau,
            }),
            _ => Err(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceSaisi {
    pub nom: String,
    pub description: String,
    pub duree_minutes: i64,
    pub prix_centimes: i64,
    pub acompte_centimes: Option<i64>,
}

impl ServiceSaisi {
    pub fn valider(champs: &Champs) -> Result<ServiceSaisi, Vec<ErreurChamp>> {
        let mut e = Vec::new();
        let nom = collecte(
            &mut e,
            texte_court("nom", "Le nom de la prestation", champ(champs, "nom"), 120),
        );
        let description = champ(champs, "description").trim().to_owned();
        if description.chars().count() > 1000 {
            e.push(erreur_champ(
                "description",
                "trop_long",
                "La description ne doit pas dépasser 1 000 caractères.",
            ));
        }
        let duree = champ(champs, "duree_minutes").trim().parse::<i64>().ok();
        let duree = match duree {
            Some(d) if (5..=480).contains(&d) && d % 5 == 0 => Some(d),
            _ => {
                e.push(erreur_champ(
                    "duree_minutes",
                    "duree_invalide",
                    "La durée doit être un multiple de 5 minutes, entre 5 et 480.",
                ));
                None
            }
        };
        let prix = match euros("prix", champ(champs, "prix")) {
            Ok(Some(p)) if p <= 10_000_000 => Some(p),
            Ok(_) => {
                e.push(erreur_champ(
                    "prix",
                    "requis",
                    "Le prix est obligatoire (0 pour une prestation gratuite).",
                ));
                None
            }
            Err(err) => {
                e.push(err);
                None
            }
        };
        let acompte = collecte(&mut e, euros("acompte", champ(champs, "acompte"))).flatten();
        if let (Some(a), Some(p)) = (acompte, prix) {
            if a > p {
                e.push(erreur_champ(
                    "acompte",
                    "acompte_invalide",
                    "L'acompte ne peut pas dépasser le prix.",
                ));
            }
        }
        match (nom, duree, prix) {
            (Some(nom), Some(duree_minutes), Some(prix_centimes)) if e.is_empty() => {
                Ok(ServiceSaisi {
                    nom,
                    description,
                    duree_minutes,
                    prix_centimes,
                    acompte_centimes: acompte,
                })
            }
            _ => Err(e),
        }
    }
}

/// One weekly range: ISO weekday (1 = lundi) and local times "HH:MM".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlageSaisie {
    pub jour_semaine: i64,
    pub heure_debut: String,
    pub heure_fin: String,
}

pub const JOURS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];

fn heure(texte: &str) -> Option<String> {
    dates::lire_heure(texte.trim()).map(dates::hh_mm)
}

/// Parses "09:00-12:00, 14:00-18:00" into ranges (start < end, not overlapping).
pub fn plages_du_jour(champ_nom: &str, brut: &str) -> Result<Vec<(String, String)>, ErreurChamp> {
    let invalide = |m: &str| erreur_champ(champ_nom, "horaires_invalides", m.to_owned());
    let mut plages: Vec<(String, String)> = Vec::new();
    for morceau in brut
        .split([',', ';'])
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        let (a, b) = morceau
            .split_once('-')
            .ok_or_else(|| invalide("Écrivez les plages ainsi : 09:00-12:00, 14:00-18:00."))?;
        let (a, b) = match (heure(a), heure(b)) {
            (Some(a), Some(b)) => (a, b),
            _ => {
                return Err(invalide(
                    "Écrivez les plages ainsi : 09:00-12:00, 14:00-18:00.",
                ))
            }
        };
        if a >= b {
            return Err(invalide("Chaque plage doit finir après son début."));
        }
        plages.push((a, b));
    }
    crate::tri::trier(&mut plages);
    if plages.windows(2).any(|w| w[0].1 > w[1].0) {
        return Err(invalide(
            "Les plages d'une même journée ne doivent pas se chevaucher.",
        ));
    }
    if plages.len() > 6 {
        return Err(invalide("Six plages par jour au plus."));
    }
    Ok(plages)
}

/// The whole week from the fields `lundi` … `dimanche`.
pub fn semaine(champs: &Champs) -> Result<Vec<PlageSaisie>, Vec<ErreurChamp>> {
    let mut e = Vec::new();
    let mut plages = Vec::new();
    for (i, jour) in JOURS.iter().enumerate() {
        match plages_du_jour(jour, champ(champs, jour)) {
            Ok(p) => plages.extend(p.into_iter().map(|(a, b)| PlageSaisie {
                jour_semaine: i as i64 + 1,
                heure_debut: a,
                heure_fin: b,
            })),
            Err(err) => e.push(err),
        }
    }
    if e.is_empty() {
        Ok(plages)
    } else {
        Err(e)
    }
}

fn date(champ_nom: &str, brut: &str) -> Result<NaiveDate, ErreurChamp> {
    dates::lire_date(brut.trim()).ok_or_else(|| {
        erreur_champ(
            champ_nom,
            "date_invalide",
            "Indiquez une date (AAAA-MM-JJ).",
        )
    })
}

/// An extra opening on one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OuvertureSaisie {
    pub date: String,
    pub heure_debut: String,
    pub heure_fin: String,
}

impl OuvertureSaisie {
    pub fn valider(champs: &Champs) -> Result<OuvertureSaisie, Vec<ErreurChamp>> {
        let mut e = Vec::new();
        let d = collecte(&mut e, date("date", champ(champs, "date")));
        let a = heure(champ(champs, "heure_debut"));
        let b = heure(champ(champs, "heure_fin"));
        if a.is_none() {
            e.push(erreur_champ(
                "heure_debut",
                "heure_invalide",
                "Indiquez une heure (HH:MM).",
            ));
        }
        if b.is_none() {
            e.push(erreur_champ(
                "heure_fin",
                "heure_invalide",
                "Indiquez une heure (HH:MM).",
            ));
        }
        match (d, a, b) {
            (Some(d), Some(a), Some(b)) if e.is_empty() => {
                if a >= b {
                    return Err(vec![erreur_champ(
                        "heure_fin",
                        "horaires_invalides",
                        "L'ouverture doit finir après son début.",
                    )]);
                }
                Ok(OuvertureSaisie {
                    date: d.to_string(),
                    heure_debut: a,
                    heure_fin: b,
                })
            }
            _ => Err(e),
        }
    }
}

/// Time off: whole local days, or a period between two local date-times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AbsenceSaisie {
    Jours {
        du: String,
        au: String,
        motif: String,
    },
    Periode {
        debut: i64,
        fin: i64,
        motif: String,
    },
}

fn instant_local(champ_nom: &str, brut: &str, fuseau: Tz) -> Result<i64, ErreurChamp> {
    let invalide = || {
        erreur_champ(
            champ_nom,
            "date_invalide",
            "Indiquez une date et une heure (AAAA-MM-JJTHH:MM).",
        )
    };
    // An ISO 8601 instant with its offset (as the API returns them) is taken as is.
    if let Some(instant) = dates::lire_rfc3339(brut.trim()) {
        return Ok(instant.timestamp());
    }
    let local = dates::lire_date_heure(brut.trim()).ok_or_else(invalide)?;
    fuseau
        .from_local_datetime(&local)
        .earliest()
        .map(|i| i.timestamp())
        .ok_or_else(invalide)
}

impl AbsenceSaisie {
    pub fn valider(champs: &Champs, fuseau: Tz) -> Result<AbsenceSaisie, Vec<ErreurChamp>> {
        let motif = champ(champs, "motif").trim().to_owned();
        if motif.chars().count() > 200 {
            return Err(vec![erreur_champ(
                "motif",
                "trop_long",
                "Le motif ne doit pas dépasser 200 caractères.",
            )]);
        }
        let mut e = Vec::new();
        if champ(champs, "type") == "periode" {
            let debut = collecte(
                &mut e,
                instant_local("debut", champ(champs, "debut"), fuseau),
            );
            let fin = collecte(&mut e, instant_local("fin", champ(champs, "fin"), fuseau));
            return match (debut, fin) {
                (Some(debut), Some(fin)) if debut < fin => {
                    Ok(AbsenceSaisie::Periode { debut, fin, motif })
                }
                (Some(_), Some(_)) => Err(vec![erreur_champ(
                    "fin",
                    "periode_invalide",
                    "La fin doit suivre le début.",
                )]),
                _ => Err(e),
            };
        }
        let du = collecte(&mut e, date("du", champ(champs, "du")));
        let au_brut = champ(champs, "au");
        let au = if au_brut.trim().is_empty() {
            du
        } else {
            collecte(&mut e, date("au", au_brut))
        };
        match (du, au) {
            (Some(du), Some(au)) if e.is_empty() => {
                if du > au {
                    return Err(vec![erreur_champ(
                        "au",
                        "periode_invalide",
                        "La date de fin doit suivre la date de début.",
                    )]);
                }
                Ok(AbsenceSaisie::Jours {
                    du: du.to_string(),
                    au: au.to_string(),
                    motif,
                })
            }
            _ => Err(e),
        }
    }
}

/// The reason a professional gives when cancelling: required, 500 characters at most.
pub fn motif_annulation(brut: &str) -> Result<String, ErreurChamp> {
    let m = brut.trim();
    if m.is_empty() {
        return Err(erreur_champ(
            "motif",
            "motif_requis",
            "Indiquez le motif de l'annulation : il sera transmis au client.",
        ));
    }
    if m.chars().count() > 500 {
        return Err(erreur_champ(
            "motif",
            "trop_long",
            "Le motif ne doit pas dépasser 500 caractères.",
        ));
    }
    Ok(m.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn euros_are_read_with_a_comma_or_a_dot() {
        assert_eq!(euros("p", "45").unwrap(), Some(4500));
        assert_eq!(euros("p", "45,5").unwrap(), Some(4550));
        assert_eq!(euros("p", " 1 200.05 ").unwrap(), Some(120005));
        assert_eq!(euros("p", "").unwrap(), None);
        assert!(euros("p", "-3").is_err());
        assert!(euros("p", "4,555").is_err());
        assert!(euros("p", "abc").is_err());
    }

    #[test]
    fn a_week_is_read_day_by_day_and_overlaps_are_refused() {
        let s = semaine(&c(&[
            ("lundi", "09:00-12:00, 14:00-18:00"),
            ("samedi", "10:00-12:00"),
        ]))
        .unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(s[2].jour_semaine, 6);
        let e = semaine(&c(&[
            ("mardi", "09:00-12:00, 11:00-13:00"),
            ("jeudi", "midi"),
        ]))
        .unwrap_err();
        let champs: Vec<&str> = e.iter().map(|x| x.champ.as_str()).collect();
        assert_eq!(champs, ["mardi", "jeudi"]);
    }

    #[test]
    fn a_service_needs_a_name_a_duration_in_fives_and_a_price() {
        let s = ServiceSaisi::valider(&c(&[
            ("nom", "Séance"),
            ("duree_minutes", "45"),
            ("prix", "60"),
        ]))
        .unwrap();
        assert_eq!(s.prix_centimes, 6000);
        let e = ServiceSaisi::valider(&c(&[
            ("duree_minutes", "42"),
            ("prix", "10"),
            ("acompte", "20"),
        ]))
        .unwrap_err();
        let champs: Vec<&str> = e.iter().map(|x| x.champ.as_str()).collect();
        assert_eq!(champs, ["nom", "duree_minutes", "acompte"]);
    }

    #[test]
    fn a_profile_checks_the_price_range_and_the_photo_address() {
        let e = Profil::valider(&c(&[
            ("ville", "Lyon"),
            ("region", "ARA"),
            ("prix_min", "80"),
            ("prix_max", "50"),
            ("photo_url", "javascript:x"),
        ]))
        .unwrap_err();
        let champs: Vec<&str> = e.iter().map(|x| x.champ.as_str()).collect();
        assert_eq!(champs, ["photo_url", "prix_max"]);
        let p = Profil::valider(&c(&[
            ("ville", "Lyon"),
            ("region", "ARA"),
            ("public", "on"),
        ]))
        .unwrap();
        assert!(p.public);
    }

    #[test]
    fn a_postcode_is_five_digits_or_nothing() {
        let profil = |code| {
            Profil::valider(&c(&[
                ("ville", "Ajaccio"),
                ("region", "Corse"),
                ("code_postal", code),
            ]))
        };
        assert_eq!(
            profil(" 20000 ").unwrap().code_postal.as_deref(),
            Some("20000")
        );
        assert_eq!(profil("").unwrap().code_postal, None);
        for faux in ["2000", "2A000", "00100", "690031"] {
            let e = profil(faux).unwrap_err();
            assert_eq!(e[0].champ, "code_postal", "{faux}");
        }
    }

    #[test]
    fn time_off_is_whole_days_or_a_local_period() {
        let j =
            AbsenceSaisie::valider(&c(&[("du", "2026-12-24")]), chrono_tz::Europe::Paris).unwrap();
        assert_eq!(
            j,
            AbsenceSaisie::Jours {
                du: "2026-12-24".into(),
                au: "2026-12-24".into(),
                motif: String::new()
            }
        );
        let p = AbsenceSaisie::valider(
            &c(&[
                ("type", "periode"),
                ("debut", "2026-12-01T10:00"),
                ("fin", "2026-12-01T12:00"),
            ]),
            chrono_tz::Europe::Paris,
        )
        .unwrap();
        assert!(matches!(p, AbsenceSaisie::Periode { fin, debut, .. } if fin - debut == 7200));
        let iso = AbsenceSaisie::valider(
            &c(&[
                ("type", "periode"),
                ("debut", "2026-12-01T10:00:00+01:00"),
                ("fin", "2026-12-01T12:00"),
            ]),
            chrono_tz::Europe::Paris,
        )
        .unwrap();
        assert_eq!(iso, p);
        assert!(AbsenceSaisie::valider(
            &c(&[("du", "2026-12-24"), ("au", "2026-12-01")]),
            chrono_tz::Europe::Paris
        )
        .is_err());
    }
}
