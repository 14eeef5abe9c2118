//! The approval of professionals, decided without the platform: what a vertical may
//! require before approval (a SIRET, the bar), how each is checked, and which decision the
//! admin may take from which state.

use serde::Deserialize;

use super::erreur_champ;
use super::saisies_pro::{champ, Champs};
use crate::types::StatutApprobation;
use crate::vertical::legal::luhn_valide;
use crate::vertical::ErreurChamp;

/// Something a vertical's document (`approbation.exigences`) requires of a professional
/// before the admin may approve them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Exigence {
    /// The establishment's SIRET: 14 digits with a valid Luhn key.
    Siret,
    /// The bar (barreau) the lawyer belongs to.
    Barreau,
}

impl Exigence {
    /// The profile field that holds it (form, API and column).
    pub fn champ(self) -> &'static str {
        match self {
            Exigence::Siret => "siret",
            Exigence::Barreau => "barreau",
        }
    }

    pub fn libelle(self) -> &'static str {
        match self {
            Exigence::Siret => "Numéro SIRET",
            Exigence::Barreau => "Barreau d'inscription",
        }
    }
}

/// The SIREN the Luhn check does not apply to: La Poste's establishments share it, and
/// their SIRETs have digits summing to a multiple of 5 instead.
const SIREN_LA_POSTE: &str = "356000000";

/// Whether `siret` is 14 digits with a valid check: Luhn over the 14 digits (every second
/// digit from the right doubled), or La Poste's rule for its SIREN.
pub fn siret_valide(siret: &str) -> bool {
    if siret.len() != 14 || !siret.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if siret.starts_with(SIREN_LA_POSTE) {
        let somme: u32 = siret.bytes().map(|b| u32::from(b - b'0')).sum();
        return somme.is_multiple_of(5);
    }
    luhn_valide(siret)
}

/// The SIRET as typed (spaces allowed, « 732 829 320 00074 »): empty is None, otherwise
/// it must be valid.
pub fn siret_saisi(brut: &str) -> Result<Option<String>, ErreurChamp> {
    let siret: String = brut.chars().filter(|c| !c.is_whitespace()).collect();
    if siret.is_empty() {
        return Ok(None);
    }
    if siret_valide(&siret) {
        Ok(Some(siret))
    } else {
        Err(erreur_champ(
            "siret",
            "siret_invalide",
            "Le numéro SIRET doit comporter 14 chiffres et être valide (vérifiez-le sur votre extrait Kbis ou avis de situation).",
        ))
    }
}

/// The bar as typed (« Barreau de Lyon »): empty is None, otherwise 2 to 100 characters
/// without control characters.
pub fn barreau_saisi(brut: &str) -> Result<Option<String>, ErreurChamp> {
    let barreau = brut.trim();
    if barreau.is_empty() {
        return Ok(None);
    }
    let longueur = barreau.chars().count();
    if !(2..=100).contains(&longueur) || barreau.chars().any(char::is_control) {
        return Err(erreur_champ(
            "barreau",
            "barreau_invalide",
            "Le barreau doit faire entre 2 et 100 caractères (exemple : Barreau de Lyon).",
        ));
    }
    Ok(Some(barreau.to_owned()))
}

/// What a professional provided towards approval (the `siret` and `barreau` columns).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Justificatifs {
    pub siret: Option<String>,
    pub barreau: Option<String>,
}

impl Justificatifs {
    pub fn valeur(&self, exigence: Exigence) -> Option<&str> {
        match exigence {
            Exigence::Siret => self.siret.as_deref(),
            Exigence::Barreau => self.barreau.as_deref(),
        }
    }

    /// Whether what is stored for `exigence` satisfies it (a stored value was checked on
    /// the way in; the SIRET is checked again, the rule being the code's).
    fn satisfait(&self, exigence: Exigence) -> bool {
        match (exigence, self.valeur(exigence)) {
            (Exigence::Siret, Some(s)) => siret_valide(s),
            (Exigence::Barreau, Some(b)) => barreau_saisi(b).is_ok_and(|b| b.is_some()),
            (_, None) => false,
        }
    }

    /// The requirements among `exigences` not met, each as a French sentence.
    pub fn manquants(&self, exigences: &[Exigence]) -> Vec<String> {
        exigences
            .iter()
            .filter(|e| !self.satisfait(**e))
            .map(|e| match self.valeur(*e) {
                None => format!("{} : non renseigné.", e.libelle()),
                Some(_) => format!("{} : invalide.", e.libelle()),
            })
            .collect()
    }
}

/// The admin's decision, validated: a refusal or a suspension says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approuver,
    Refuser { motif: String },
    Suspendre { motif: String },
}

impl Decision {
    /// From the form's or the body's `statut` (`approuve`, `refuse`, `suspendu`) and
    /// `motif`; every error at once.
    pub fn valider(champs: &Champs) -> Result<Decision, Vec<ErreurChamp>> {
        let motif = champ(champs, "motif").trim();
        let mut erreurs = Vec::new();
        if motif.chars().count() > 1000
            || motif
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r')
        {
            erreurs.push(erreur_champ(
                "motif",
                "trop_long",
                "Le motif ne doit pas dépasser 1 000 caractères.",
            ));
        }
        let statut = champ(champs, "statut").trim();
        let motif_requis = |erreurs: &mut Vec<ErreurChamp>| {
            if motif.is_empty() {
                erreurs.push(erreur_champ(
                    "motif",
                    "motif_requis",
                    "Indiquez le motif : il est transmis au professionnel.",
                ));
            }
        };
        let decision = match statut {
            "approuve" => Some(Decision::Approuver),
            "refuse" => {
                motif_requis(&mut erreurs);
                Some(Decision::Refuser {
                    motif: motif.to_owned(),
                })
            }
            "suspendu" => {
                motif_requis(&mut erreurs);
                Some(Decision::Suspendre {
                    motif: motif.to_owned(),
                })
            }
            _ => {
                erreurs.push(erreur_champ(
                    "statut",
                    "statut_invalide",
                    "La décision doit être « approuve », « refuse » ou « suspendu ».",
                ));
                None
            }
        };
        match decision {
            Some(d) if erreurs.is_empty() => Ok(d),
            _ => Err(erreurs),
        }
    }

    pub fn statut(&self) -> StatutApprobation {
        match self {
            Decision::Approuver => StatutApprobation::Approuve,
            Decision::Refuser { .. } => StatutApprobation::Refuse,
            Decision::Suspendre { .. } => StatutApprobation::Suspendu,
        }
    }

    pub fn motif(&self) -> Option<&str> {
        match self {
            Decision::Approuver => None,
            Decision::Refuser { motif } | Decision::Suspendre { motif } => Some(motif),
        }
    }

    /// Whether the decision applies from `actuel` ([`permise`]); otherwise, why not.
    pub fn depuis(&self, actuel: StatutApprobation) -> Result<(), &'static str> {
        if permise(actuel, self.statut()) {
            return Ok(());
        }
        Err(match self {
            Decision::Approuver => "Ce professionnel est déjà approuvé.",
            Decision::Refuser { .. } => {
                "Seul un professionnel en attente ou suspendu peut être refusé ; un professionnel approuvé se suspend."
            }
            Decision::Suspendre { .. } => "Seul un professionnel approuvé peut être suspendu.",
        })
    }
}

/// Whether the admin may move a professional from `actuel` to `cible`: approve anyone not
/// approved (a refused or suspended professional may be approved again), refuse a pending
/// or suspended one, suspend an approved one.
pub fn permise(actuel: StatutApprobation, cible: StatutApprobation) -> bool {
    use StatutApprobation::{Approuve, EnAttente, Refuse, Suspendu};
    matches!(
        (actuel, cible),
        (EnAttente | Refuse | Suspendu, Approuve)
            | (EnAttente | Suspendu, Refuse)
            | (Approuve, Suspendu)
    )
}

/// The state as the professional and the admin read it.
pub fn libelle(statut: StatutApprobation) -> &'static str {
    match statut {
        StatutApprobation::EnAttente => "en attente de validation",
        StatutApprobation::Approuve => "approuvé",
        StatutApprobation::Refuse => "refusé",
        StatutApprobation::Suspendu => "suspendu",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn champs(paires: &[(&str, &str)]) -> Vec<(String, String)> {
        paires
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_siret_needs_14_digits_and_a_valid_luhn_key() {
        // Real establishments' SIRETs.
        assert!(siret_valide("73282932000074"));
        assert!(siret_valide("55210055400013"));
        assert!(!siret_valide("73282932000075"), "wrong key");
        assert!(!siret_valide("7328293200007"), "13 digits");
        assert!(!siret_valide("732829320000740"), "15 digits");
        assert!(!siret_valide("7328293200007A"));
        assert!(!siret_valide(""));
    }

    #[test]
    fn la_postes_sirets_follow_their_own_rule() {
        // 3+5+6+0+0+0+0+0+0+0+0+0+1+0 = 15: a multiple of 5, though Luhn fails.
        assert!(siret_valide("35600000000010"));
        assert!(!siret_valide("35600000000011"));
    }

    #[test]
    fn a_typed_siret_may_carry_spaces_and_an_empty_one_is_none() {
        assert_eq!(
            siret_saisi("732 829 320 00074").unwrap().as_deref(),
            Some("73282932000074")
        );
        assert_eq!(siret_saisi("  ").unwrap(), None);
        assert_eq!(siret_saisi("123").unwrap_err().code, "siret_invalide");
    }

    #[test]
    fn a_bar_is_a_short_sane_text() {
        assert_eq!(
            barreau_saisi(" Barreau de Lyon ").unwrap().as_deref(),
            Some("Barreau de Lyon")
        );
        assert_eq!(barreau_saisi("").unwrap(), None);
        assert!(barreau_saisi("x").is_err());
        assert!(barreau_saisi(&"x".repeat(101)).is_err());
        assert!(barreau_saisi("Lyon\u{0}").is_err());
    }

    #[test]
    fn missing_or_invalid_requirements_are_named() {
        let rien = Justificatifs::default();
        assert!(rien.manquants(&[]).is_empty());
        assert_eq!(
            rien.manquants(&[Exigence::Siret]),
            vec!["Numéro SIRET : non renseigné.".to_owned()]
        );
        let faux = Justificatifs {
            siret: Some("73282932000075".into()),
            barreau: Some("Barreau de Paris".into()),
        };
        assert_eq!(
            faux.manquants(&[Exigence::Siret, Exigence::Barreau]),
            vec!["Numéro SIRET : invalide.".to_owned()]
        );
    }

    #[test]
    fn a_refusal_or_a_suspension_needs_a_reason() {
        assert_eq!(
            Decision::valider(&champs(&[("statut", "approuve")])),
            Ok(Decision::Approuver)
        );
        let e = Decision::valider(&champs(&[("statut", "refuse"), ("motif", " ")])).unwrap_err();
        assert_eq!(e[0].code, "motif_requis");
        let e = Decision::valider(&champs(&[("statut", "suspendu")])).unwrap_err();
        assert_eq!(e[0].code, "motif_requis");
        assert_eq!(
            Decision::valider(&champs(&[
                ("statut", "suspendu"),
                ("motif", "Avis frauduleux")
            ])),
            Ok(Decision::Suspendre {
                motif: "Avis frauduleux".into()
            })
        );
        let e = Decision::valider(&champs(&[("statut", "en_attente")])).unwrap_err();
        assert_eq!(e[0].champ, "statut");
    }

    #[test]
    fn each_decision_applies_from_its_own_states_only() {
        use StatutApprobation::*;
        let motif = || "motif".to_owned();
        assert!(Decision::Approuver.depuis(EnAttente).is_ok());
        assert!(Decision::Approuver.depuis(Refuse).is_ok());
        assert!(Decision::Approuver.depuis(Suspendu).is_ok());
        assert!(Decision::Approuver.depuis(Approuve).is_err());
        assert!(Decision::Refuser { motif: motif() }
            .depuis(EnAttente)
            .is_ok());
        assert!(Decision::Refuser { motif: motif() }
            .depuis(Approuve)
            .is_err());
        assert!(Decision::Suspendre { motif: motif() }
            .depuis(Approuve)
            .is_ok());
        assert!(Decision::Suspendre { motif: motif() }
            .depuis(EnAttente)
            .is_err());
    }
}
