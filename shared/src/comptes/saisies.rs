//! The validated inputs of accounts: roles, passwords, sign-up.

use serde::{Deserialize, Serialize};

use super::erreur_champ;
use crate::types::{Email, NomClient, Telephone};
use crate::vertical::ErreurChamp;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Client,
    Pro,
    Admin,
}

impl Role {
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Client => "client",
            Role::Pro => "pro",
            Role::Admin => "admin",
        }
    }

    pub fn parse(texte: &str) -> Option<Role> {
        match texte {
            "client" => Some(Role::Client),
            "pro" => Some(Role::Pro),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// A new password: 10 to 128 characters, at least one letter and one digit, not only spaces.
#[derive(Clone, PartialEq, Eq)]
pub struct MotDePasse(String);

impl std::fmt::Debug for MotDePasse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MotDePasse(…)")
    }
}

pub const MOT_DE_PASSE_MIN: usize = 10;
pub const MOT_DE_PASSE_MAX: usize = 128;

impl MotDePasse {
    pub fn parse(brut: &str) -> Result<MotDePasse, ErreurChamp> {
        let n = brut.chars().count();
        let regle = format!(
            "Le mot de passe doit compter de {MOT_DE_PASSE_MIN} à {MOT_DE_PASSE_MAX} caractères, \
             dont au moins une lettre et un chiffre."
        );
        if brut.is_empty() {
            return Err(erreur_champ(
                "mot_de_passe",
                "requis",
                "Le mot de passe est obligatoire.",
            ));
        }
        let lettre = brut.chars().any(char::is_alphabetic);
        let chiffre = brut.chars().any(|c| c.is_ascii_digit());
        if !(MOT_DE_PASSE_MIN..=MOT_DE_PASSE_MAX).contains(&n)
            || !lettre
            || !chiffre
            || brut.trim().is_empty()
            || brut.chars().any(char::is_control)
        {
            return Err(erreur_champ("mot_de_passe", "mot_de_passe_faible", regle));
        }
        Ok(MotDePasse(brut.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short free-text field (city, region): trimmed, 1 to `max` characters, no control.
pub fn texte_court(
    champ: &str,
    libelle: &str,
    brut: &str,
    max: usize,
) -> Result<String, ErreurChamp> {
    let v = brut.trim();
    if v.is_empty() {
        return Err(erreur_champ(
            champ,
            "requis",
            format!("{libelle} est obligatoire."),
        ));
    }
    if v.chars().count() > max || v.chars().any(char::is_control) {
        return Err(erreur_champ(
            champ,
            "trop_long",
            format!("{libelle} ne doit pas dépasser {max} caractères."),
        ));
    }
    Ok(v.to_owned())
}

crate::corps! {
    /// Sign-up as typed in the form or the API.
    #[derive(Debug, Clone, Default)]
    pub struct InscriptionBrute {
        pub role: String = defaut,
        pub nom: String = defaut,
        pub email: String = defaut,
        pub telephone: String = defaut,
        pub mot_de_passe: String = defaut,
        /// Professionals only.
        pub ville: String = defaut,
        pub region: String = defaut,
    }
}

/// A sign-up whose every field is valid. A professional's trade is the vertical whose
/// site they signed up on.
#[derive(Debug, Clone)]
pub struct Inscription {
    pub role: Role,
    pub nom: NomClient,
    pub email: Email,
    pub telephone: Option<Telephone>,
    pub mot_de_passe: MotDePasse,
    /// For a professional: (vertical, ville, region).
    pub pro: Option<(String, String, String)>,
}

impl InscriptionBrute {
    /// Every error at once, fields in the form's order.
    pub fn valider(&self, vertical: &str) -> Result<Inscription, Vec<ErreurChamp>> {
        let mut erreurs = Vec::new();
        let role = match self.role.trim() {
            "" | "client" => Some(Role::Client),
            "pro" => Some(Role::Pro),
            _ => {
                erreurs.push(erreur_champ(
                    "role",
                    "role_invalide",
                    "Choisissez « client » ou « professionnel ».",
                ));
                None
            }
        };
        let nom = NomClient::parse(&self.nom)
            .map_err(|e| erreurs.push(erreur_champ("nom", e.code, e.message)))
            .ok();
        let email = Email::parse(&self.email)
            .map_err(|e| erreurs.push(erreur_champ("email", e.code, e.message)))
            .ok();
        let telephone = if self.telephone.trim().is_empty() {
            Some(None)
        } else {
            Telephone::parse(&self.telephone)
                .map(Some)
                .map_err(|e| erreurs.push(erreur_champ("telephone", e.code, e.message)))
                .ok()
        };
        let mot_de_passe = MotDePasse::parse(&self.mot_de_passe)
            .map_err(|e| erreurs.push(e))
            .ok();
        let mut pro = Some(None);
        if role == Some(Role::Pro) {
            let ville = texte_court("ville", "La ville", &self.ville, 80)
                .map_err(|e| erreurs.push(e))
                .ok();
            let region = texte_court("region", "La région", &self.region, 80)
                .map_err(|e| erreurs.push(e))
                .ok();
            pro = match (ville, region) {
                (Some(v), Some(r)) => Some(Some((vertical.to_owned(), v, r))),
                _ => None,
            };
        }
        match (role, nom, email, telephone, mot_de_passe, pro) {
            (
                Some(role),
                Some(nom),
                Some(email),
                Some(telephone),
                Some(mot_de_passe),
                Some(pro),
            ) if erreurs.is_empty() => Ok(Inscription {
                role,
                nom,
                email,
                telephone,
                mot_de_passe,
                pro,
            }),
            _ => Err(erreurs),
        }
    }
}

/// A URL-safe slug from a name: lower-case ASCII letters, digits and dashes.
pub fn slug_de(nom: &str) -> String {
    let mut slug = String::new();
    for c in nom.chars().flat_map(sans_accent) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug: String = slug.trim_end_matches('-').chars().take(60).collect();
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        "professionnel".to_owned()
    } else {
        slug
    }
}

fn sans_accent(c: char) -> Vec<char> {
    let base = match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'À' | 'Â' | 'Ä' | 'Á' => 'a',
        'ç' | 'Ç' => 'c',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'î' | 'ï' | 'í' | 'Î' | 'Ï' => 'i',
        'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' => 'o',
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ÿ' => 'y',
        'œ' | 'Œ' => return vec!['o', 'e'],
        'æ' | 'Æ' => return vec!['a', 'e'],
        autre => autre,
    };
    vec![base]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_needs_ten_characters_a_letter_and_a_digit() {
        assert!(MotDePasse::parse("court1").is_err());
        assert!(MotDePasse::parse("sanschiffreaucun").is_err());
        assert!(MotDePasse::parse("1234567890").is_err());
        assert_eq!(MotDePasse::parse("").unwrap_err().code, "requis");
        assert!(MotDePasse::parse("bonjour2026!").is_ok());
        assert!(MotDePasse::parse(&"a1".repeat(65)).is_err());
    }

    #[test]
    fn a_sign_up_reports_every_field_at_fault() {
        let brute = InscriptionBrute {
            role: "pro".into(),
            email: "pas-un-email".into(),
            mot_de_passe: "court".into(),
            ..Default::default()
        };
        let erreurs = brute.valider("coach").unwrap_err();
        let champs: Vec<&str> = erreurs.iter().map(|e| e.champ.as_str()).collect();
        assert_eq!(champs, ["nom", "email", "mot_de_passe", "ville", "region"]);
    }

    #[test]
    fn a_professional_signs_up_for_the_vertical_of_the_site() {
        let brute = InscriptionBrute {
            role: "pro".into(),
            nom: "Léa Martin".into(),
            email: "lea@exemple.fr".into(),
            mot_de_passe: "bonjour2026".into(),
            ville: "Lyon".into(),
            region: "Auvergne-Rhône-Alpes".into(),
            ..Default::default()
        };
        let i = brute.valider("coach").unwrap();
        assert_eq!(i.role, Role::Pro);
        assert_eq!(i.pro.unwrap().0, "coach");
    }

    #[test]
    fn slugs_are_ascii_lower_case_with_dashes() {
        assert_eq!(slug_de("Léa  Œuvré-Martin !"), "lea-oeuvre-martin");
        assert_eq!(slug_de("!!!"), "professionnel");
    }
}
