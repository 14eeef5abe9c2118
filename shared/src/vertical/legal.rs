//! Who runs the vertical's site, in law: the operator's identity for the mentions légales,
//! the consumer mediator (Code de la consommation L612-1) and the withdrawal regime of its
//! services, for the conditions générales and the conditions de vente.
//!
//! A value written between square brackets (`"[Raison sociale]"`) is a placeholder still
//! to be filled in: it is accepted as such and shown as written, so the shipped documents
//! can say plainly what is missing; any other value must be valid (a SIREN of 9 digits
//! with its check digit, a French VAT number matching it, an e-mail address, a phone
//! number, an https address).

use serde::Deserialize;

use super::checks::{texte, texte_optionnel};
use super::error::ConfigError;
use super::raw::{RawLegal, RawMediateur, RawOperateur};
use crate::types::{Email, Telephone};

/// The vertical's legal block, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Legal {
    operateur: Operateur,
    mediateur: Mediateur,
    retractation: Retractation,
}

/// The company that publishes the site and sells through it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operateur {
    raison_sociale: String,
    forme_juridique: String,
    capital: Option<String>,
    siren: String,
    ville_rcs: String,
    siege: String,
    directeur_publication: String,
    email: String,
    telephone: String,
    tva_intracommunautaire: Option<String>,
}

/// The consumer mediator a client may turn to after a written complaint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mediateur {
    nom: String,
    site: String,
}

/// Whether the right of withdrawal applies to the vertical's bookings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Retractation {
    /// Leisure activities supplied on a set date: no right of withdrawal (L221-28 12°).
    ActiviteDeLoisirs,
    /// Any other service: 14 days from the booking (L221-18), lost once the service is
    /// fully performed at the client's express request (L221-28 1°).
    PrestationDeServices,
}

/// Whether a value is a placeholder still to be filled in: `[…]`.
pub fn a_completer(valeur: &str) -> bool {
    valeur.len() > 2 && valeur.starts_with('[') && valeur.ends_with(']')
}

impl Legal {
    pub(super) fn depuis_brut(brut: RawLegal) -> Result<Self, ConfigError> {
        Ok(Self {
            operateur: Operateur::depuis_brut(brut.operateur)?,
            mediateur: Mediateur::depuis_brut(brut.mediateur)?,
            retractation: brut.retractation,
        })
    }

    pub fn operateur(&self) -> &Operateur {
        &self.operateur
    }

    pub fn mediateur(&self) -> &Mediateur {
        &self.mediateur
    }

    pub fn retractation(&self) -> Retractation {
        self.retractation
    }
}

impl Operateur {
    fn depuis_brut(brut: RawOperateur) -> Result<Self, ConfigError> {
        let c = |champ: &str| format!("legal.operateur.{champ}");
        let siren = siren_valide(&c("siren"), &brut.siren)?;
        let tva_intracommunautaire = brut
            .tva_intracommunautaire
            .as_deref()
            .map(|tva| tva_valide(&c("tva_intracommunautaire"), tva, &siren))
            .transpose()?;
        let email = texte(&c("email"), &brut.email, 254)?;
        if !a_completer(&email) {
            Email::parse(&email).map_err(|e| ConfigError::new(c("email"), e.message))?;
        }
        let telephone = texte(&c("telephone"), &brut.telephone, 30)?;
        if !a_completer(&telephone) {
            Telephone::parse(&telephone)
                .map_err(|e| ConfigError::new(c("telephone"), e.message))?;
        }
        Ok(Self {
            raison_sociale: texte(&c("raison_sociale"), &brut.raison_sociale, 120)?,
            forme_juridique: texte(&c("forme_juridique"), &brut.forme_juridique, 80)?,
            capital: texte_optionnel(&c("capital"), brut.capital.as_deref(), 40)?,
            siren,
            ville_rcs: texte(&c("ville_rcs"), &brut.ville_rcs, 60)?,
            siege: texte(&c("siege"), &brut.siege, 200)?,
            directeur_publication: texte(
                &c("directeur_publication"),
                &brut.directeur_publication,
                120,
            )?,
            email,
            telephone,
            tva_intracommunautaire,
        })
    }

    pub fn raison_sociale(&self) -> &str {
        &self.raison_sociale
    }

    /// `SAS`, `SARL`…
    pub fn forme_juridique(&self) -> &str {
        &self.forme_juridique
    }

    /// The share capital as written (`10 000 €`), when the company has one.
    pub fn capital(&self) -> Option<&str> {
        self.capital.as_deref()
    }

    /// Nine digits grouped by three (`732 829 320`), or a placeholder.
    pub fn siren(&self) -> &str {
        &self.siren
    }

    /// The town of the trade register (RCS) the company is registered with.
    pub fn ville_rcs(&self) -> &str {
        &self.ville_rcs
    }

    /// The registered office's postal address.
    pub fn siege(&self) -> &str {
        &self.siege
    }

    pub fn directeur_publication(&self) -> &str {
        &self.directeur_publication
    }

    pub fn email(&self) -> &str {
        &self.email
    }

    /// The address for a `mailto:` link; `None` while it is a placeholder.
    pub fn email_lien(&self) -> Option<&str> {
        (!a_completer(&self.email)).then_some(self.email.as_str())
    }

    pub fn telephone(&self) -> &str {
        &self.telephone
    }

    /// `FR` and 11 digits, without spaces, when the company has one.
    pub fn tva_intracommunautaire(&self) -> Option<&str> {
        self.tva_intracommunautaire.as_deref()
    }
}

impl Mediateur {
    fn depuis_brut(brut: RawMediateur) -> Result<Self, ConfigError> {
        let site = texte("legal.mediateur.site", &brut.site, 200)?;
        let adresse_valide = site.strip_prefix("https://").is_some_and(|reste| {
            reste.contains('.') && !reste.starts_with('.') && !reste.contains(char::is_whitespace)
        });
        if !a_completer(&site) && !adresse_valide {
            return Err(ConfigError::new(
                "legal.mediateur.site",
                format!(
                    "« {site} » n'est pas une adresse web valide (https://…, sans espace) ; \
                     écrivez [Site du médiateur] tant qu'elle n'est pas connue"
                ),
            ));
        }
        Ok(Self {
            nom: texte("legal.mediateur.nom", &brut.nom, 120)?,
            site,
        })
    }

    pub fn nom(&self) -> &str {
        &self.nom
    }

    /// The mediator's site, where a client files a request.
    pub fn site(&self) -> &str {
        &self.site
    }

    /// The address for a link; `None` while it is a placeholder.
    pub fn site_lien(&self) -> Option<&str> {
        (!a_completer(&self.site)).then_some(self.site.as_str())
    }
}

fn chiffres(valeur: &str) -> String {
    valeur.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Nine digits with a valid Luhn check digit (INSEE's key of a SIREN), written with or
/// without spaces; kept grouped by three.
fn siren_valide(chemin: &str, valeur: &str) -> Result<String, ConfigError> {
    let valeur = texte(chemin, valeur, 40)?;
    if a_completer(&valeur) {
        return Ok(valeur);
    }
    let brut = chiffres(&valeur);
    if brut.len() != 9 || !brut.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ConfigError::new(
            chemin,
            format!(
                "« {valeur} » n'est pas un numéro SIREN : 9 chiffres attendus (ou [SIREN] tant \
                 qu'il n'est pas connu)"
            ),
        ));
    }
    if !luhn_valide(&brut) {
        return Err(ConfigError::new(
            chemin,
            format!(
                "« {valeur} » n'est pas un numéro SIREN valide : sa clé de contrôle est fausse"
            ),
        ));
    }
    Ok(format!("{} {} {}", &brut[0..3], &brut[3..6], &brut[6..9]))
}

/// The Luhn check over ASCII digits: every second digit from the right doubled (a SIREN's
/// and a SIRET's key).
pub(crate) fn luhn_valide(chiffres: &str) -> bool {
    let somme: u32 = chiffres
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match (i % 2 == 1, d * 2) {
                (true, double) if double > 9 => double - 9,
                (true, double) => double,
                (false, _) => d,
            }
        })
        .sum();
    somme.is_multiple_of(10)
}

/// `FR`, a two-digit key and the company's SIREN: the key is (12 + 3 × (SIREN mod 97))
/// mod 97, and the SIREN must be the operator's own when it is known.
fn tva_valide(chemin: &str, valeur: &str, siren: &str) -> Result<String, ConfigError> {
    let valeur = texte(chemin, valeur, 40)?;
    if a_completer(&valeur) {
        return Ok(valeur);
    }
    let brut = chiffres(&valeur).to_ascii_uppercase();
    let forme =
        brut.len() == 13 && brut.starts_with("FR") && brut[2..].bytes().all(|b| b.is_ascii_digit());
    if !forme {
        return Err(ConfigError::new(
            chemin,
            format!(
                "« {valeur} » n'est pas un numéro de TVA intracommunautaire français : FR suivi \
                 de 11 chiffres attendu (clé et SIREN)"
            ),
        ));
    }
    let numero_siren = &brut[4..];
    let cle: u64 = brut[2..4].parse().unwrap_or(u64::MAX);
    let siren_nombre: u64 = numero_siren.parse().unwrap_or(0);
    if cle != (12 + 3 * (siren_nombre % 97)) % 97 {
        return Err(ConfigError::new(
            chemin,
            format!(
                "« {valeur} » : la clé du numéro de TVA ne correspond pas au SIREN qu'il contient"
            ),
        ));
    }
    if !a_completer(siren) && chiffres(siren) != numero_siren {
        return Err(ConfigError::new(
            chemin,
            format!("« {valeur} » ne contient pas le SIREN de l'opérateur ({siren})"),
        ));
    }
    Ok(brut)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vertical::VerticalConfig;
    use serde_json::{json, Value};

    const GARAGE: &str = include_str!("../../../verticals/garage.json");

    fn garage_avec(operateur: Value) -> Result<VerticalConfig, super::ConfigError> {
        let mut document: Value = serde_json::from_str(GARAGE).unwrap();
        for (cle, valeur) in operateur.as_object().unwrap() {
            document["legal"]["operateur"][cle] = valeur.clone();
        }
        VerticalConfig::parse(&document.to_string())
    }

    #[test]
    fn the_shipped_documents_hold_placeholders_that_say_what_is_missing() {
        let garage = VerticalConfig::parse(GARAGE).unwrap();
        let operateur = garage.legal().operateur();
        assert_eq!(operateur.raison_sociale(), "[Raison sociale]");
        assert_eq!(operateur.siren(), "[SIREN]");
        assert_eq!(operateur.email_lien(), None);
        assert_eq!(garage.legal().mediateur().site_lien(), None);
        assert_eq!(
            garage.legal().retractation(),
            Retractation::PrestationDeServices
        );
    }

    #[test]
    fn real_operator_details_are_checked_and_kept() {
        let garage = garage_avec(json!({
            "raison_sociale": "Garages Réunis",
            "siren": "732829320",
            "tva_intracommunautaire": "FR 44 732 829 320",
            "email": "contact@garages.example",
            "telephone": "01 23 45 67 89"
        }))
        .unwrap();
        let operateur = garage.legal().operateur();
        assert_eq!(operateur.siren(), "732 829 320");
        assert_eq!(operateur.tva_intracommunautaire(), Some("FR44732829320"));
        assert_eq!(operateur.email_lien(), Some("contact@garages.example"));
    }

    #[test]
    fn bad_operator_details_are_refused_with_their_path() {
        for (champ, valeur, attendu) in [
            ("siren", "12345678", "9 chiffres"),
            ("siren", "732829321", "clé de contrôle"),
            ("email", "contact-at-garage", "adresse e-mail"),
            ("telephone", "appelez-nous", "téléphone"),
            ("raison_sociale", "  ", "vide"),
        ] {
            let erreur = garage_avec(json!({ champ: valeur })).unwrap_err();
            assert_eq!(erreur.champ, format!("legal.operateur.{champ}"));
            assert!(erreur.message.contains(attendu), "{erreur}");
        }
        let mut document: Value = serde_json::from_str(GARAGE).unwrap();
        document["legal"]["mediateur"]["site"] = "www.mediateur.example".into();
        let erreur = VerticalConfig::parse(&document.to_string()).unwrap_err();
        assert_eq!(erreur.champ, "legal.mediateur.site");
        document["legal"]["retractation"] = "jamais".into();
        let erreur = VerticalConfig::parse(&document.to_string()).unwrap_err();
        assert!(erreur.champ.starts_with("legal.retractation"), "{erreur}");
    }

    #[test]
    fn a_siren_needs_nine_digits_and_its_check_digit() {
        assert_eq!(siren_valide("s", "732829320").unwrap(), "732 829 320");
        assert_eq!(siren_valide("s", "732 829 320").unwrap(), "732 829 320");
        assert_eq!(siren_valide("s", "[SIREN]").unwrap(), "[SIREN]");
        assert!(siren_valide("s", "732829321")
            .unwrap_err()
            .message
            .contains("clé de contrôle"));
        assert!(siren_valide("s", "12345")
            .unwrap_err()
            .message
            .contains("9 chiffres"));
        assert!(siren_valide("s", "73282932A").is_err());
    }

    #[test]
    fn a_vat_number_carries_the_key_of_the_operators_siren() {
        assert_eq!(
            tva_valide("t", "FR44 732829320", "732 829 320").unwrap(),
            "FR44732829320"
        );
        assert!(tva_valide("t", "FR45732829320", "732 829 320")
            .unwrap_err()
            .message
            .contains("clé"));
        // Valid on its own, but another company's.
        assert!(tva_valide("t", "FR83404833048", "732 829 320")
            .unwrap_err()
            .message
            .contains("SIREN de l'opérateur"));
        assert!(tva_valide("t", "FR83404833048", "[SIREN]").is_ok());
        assert!(tva_valide("t", "DE123456789", "[SIREN]").is_err());
        assert_eq!(tva_valide("t", "[TVA]", "732 829 320").unwrap(), "[TVA]");
    }

    #[test]
    fn only_bracketed_values_are_placeholders() {
        assert!(a_completer("[Raison sociale]"));
        assert!(!a_completer("[]"));
        assert!(!a_completer("Raison [sociale]"));
    }
}
