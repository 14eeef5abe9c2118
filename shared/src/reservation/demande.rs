//! A client's booking request: the contact fields and the vertical's own fields, checked
//! together so that every error is reported at once, next to its field. The API and the
//! booking form both go through here.

use serde_json::{Map, Value};

use crate::types::{Email, ErreurContact, NomClient, Telephone};
use crate::vertical::{valider_reponses, Champ, ErreurChamp};

/// Longest free message a client can leave.
pub const MESSAGE_MAX: usize = 2000;

/// The request as received: every value still unchecked.
#[derive(Debug, Clone, Default)]
pub struct DemandeBrute {
    pub nom: String,
    pub email: String,
    pub telephone: String,
    pub message: String,
    pub reponses: Map<String, Value>,
}

#[derive(Debug, Clone)]
pub struct Demande {
    pub nom: NomClient,
    pub email: Email,
    pub telephone: Telephone,
    pub message: String,
    /// The vertical's fields, normalised.
    pub reponses: Map<String, Value>,
}

fn erreur(champ: &str, e: ErreurContact) -> ErreurChamp {
    ErreurChamp {
        champ: champ.to_owned(),
        code: e.code,
        message: e.message,
    }
}

pub fn valider_demande(
    brute: &DemandeBrute,
    champs: &[Champ],
) -> Result<Demande, Vec<ErreurChamp>> {
    let mut erreurs = Vec::new();
    let nom = NomClient::parse(&brute.nom)
        .map_err(|e| erreurs.push(erreur("nom", e)))
        .ok();
    let email = Email::parse(&brute.email)
        .map_err(|e| erreurs.push(erreur("email", e)))
        .ok();
    let complement = valider_complement(brute, champs)
        .map_err(|e| erreurs.extend(e))
        .ok();
    match (nom, email, complement) {
        (Some(nom), Some(email), Some(c)) if erreurs.is_empty() => Ok(Demande {
            nom,
            email,
            telephone: c.telephone,
            message: c.message,
            reponses: c.reponses,
        }),
        _ => Err(erreurs),
    }
}

/// The telephone, message and vertical's fields of a request, checked.
#[derive(Debug, Clone)]
pub struct Complement {
    pub telephone: Telephone,
    pub message: String,
    pub reponses: Map<String, Value>,
}

/// What a request adds to a name and an address already known (taking a waiting-list
/// offer), checked as in [`valider_demande`]; `brute`'s name and address are not read.
pub fn valider_complement(
    brute: &DemandeBrute,
    champs: &[Champ],
) -> Result<Complement, Vec<ErreurChamp>> {
    let mut erreurs = Vec::new();
    let telephone = Telephone::parse(&brute.telephone)
        .map_err(|e| erreurs.push(erreur("telephone", e)))
        .ok();
    let message = brute.message.trim().to_owned();
    if message.chars().count() > MESSAGE_MAX {
        erreurs.push(ErreurChamp {
            champ: "message".into(),
            code: "trop_long",
            message: format!("Le message ne doit pas dépasser {MESSAGE_MAX} caractères."),
        });
    }
    let reponses = valider_reponses(champs, &brute.reponses)
        .map_err(|e| erreurs.extend(e))
        .ok();
    match (telephone, reponses) {
        (Some(telephone), Some(reponses)) if erreurs.is_empty() => Ok(Complement {
            telephone,
            message,
            reponses,
        }),
        _ => Err(erreurs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vertical::VerticalConfig;

    fn garage() -> VerticalConfig {
        VerticalConfig::parse(include_str!("../../../verticals/garage.json")).unwrap()
    }

    fn brute() -> DemandeBrute {
        let mut reponses = Map::new();
        reponses.insert("immatriculation".into(), "AB-123-CD".into());
        reponses.insert("marque".into(), "Renault".into());
        reponses.insert("modele".into(), "Clio".into());
        DemandeBrute {
            nom: "Léa Martin".into(),
            email: "lea.martin@exemple.fr".into(),
            telephone: "06 12 34 56 78".into(),
            message: String::new(),
            reponses,
        }
    }

    #[test]
    fn a_complete_request_is_accepted() {
        let demande = valider_demande(&brute(), garage().champs()).unwrap();
        assert_eq!(demande.email.as_str(), "lea.martin@exemple.fr");
        assert_eq!(demande.reponses["marque"], "Renault");
    }

    #[test]
    fn every_error_is_reported_at_once_next_to_its_field() {
        let mut b = brute();
        b.email = "pas-une-adresse".into();
        b.nom = String::new();
        b.reponses.remove("immatriculation");
        b.message = "x".repeat(MESSAGE_MAX + 1);
        let erreurs = valider_demande(&b, garage().champs()).unwrap_err();
        let champs: Vec<&str> = erreurs.iter().map(|e| e.champ.as_str()).collect();
        assert_eq!(champs, ["nom", "email", "message", "immatriculation"]);
        assert!(erreurs.iter().all(|e| !e.message.is_empty()));
    }
}
