use serde::Serialize;

/// Why a contact value was refused: a stable code and a French message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[error("{message}")]
pub struct ErreurContact {
    pub code: &'static str,
    pub message: String,
}

fn erreur(code: &'static str, message: &str) -> ErreurContact {
    ErreurContact {
        code,
        message: message.to_owned(),
    }
}

/// An e-mail address, trimmed, at most 254 characters, one `@`, a dot in the domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Email, ErreurContact> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(erreur("requis", "L'adresse e-mail est obligatoire."));
        }
        let invalid = || {
            erreur(
                "email_invalide",
                "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).",
            )
        };
        if value.chars().count() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(invalid());
        }
        let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(invalid());
        }
        Ok(Email(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The mailbox an address reaches, for telling whether two addresses are one person's:
/// case ignored, a `+tag` after the local part dropped, and, at Gmail, the dots of the
/// local part (which Gmail ignores) too. `Anne.Roux+avis@gmail.com` → `anneroux@gmail.com`.
pub fn boite_aux_lettres(adresse: &str) -> String {
    let adresse = crate::casse::minuscules(adresse.trim());
    let Some((local, domaine)) = adresse.rsplit_once('@') else {
        return adresse;
    };
    let local = local.split('+').next().unwrap_or(local);
    let local = if matches!(domaine, "gmail.com" | "googlemail.com") {
        local.replace('.', "")
    } else {
        local.to_owned()
    };
    let domaine = if domaine == "googlemail.com" {
        "gmail.com"
    } else {
        domaine
    };
    format!("{local}@{domaine}")
}

/// A phone number as people write it in France: digits, spaces, dots, dashes, a leading
/// `+`, and 6 to 20 digits in all. Kept as written, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Telephone(String);

impl Telephone {
    pub fn parse(raw: &str) -> Result<Telephone, ErreurContact> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(erreur("requis", "Le numéro de téléphone est obligatoire."));
        }
        let allowed = value.char_indices().all(|(i, c)| {
            c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')') || (c == '+' && i == 0)
        });
        let digits = value.chars().filter(char::is_ascii_digit).count();
        if !allowed || !(6..=20).contains(&digits) || value.len() > 30 {
            return Err(erreur(
                "tel_invalide",
                "Le numéro de téléphone n'est pas valide (exemple : 06 12 34 56 78).",
            ));
        }
        Ok(Telephone(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's name as given, trimmed: 1 to 120 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct NomClient(String);

impl NomClient {
    pub fn parse(raw: &str) -> Result<NomClient, ErreurContact> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(erreur("requis", "Le nom est obligatoire."));
        }
        if value.chars().count() > 120 {
            return Err(erreur(
                "trop_long",
                "Le nom ne doit pas dépasser 120 caractères.",
            ));
        }
        if value.chars().any(char::is_control) {
            return Err(erreur(
                "caracteres_invalides",
                "Le nom contient des caractères non autorisés.",
            ));
        }
        Ok(NomClient(value.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn two_addresses_of_one_mailbox_are_recognised() {
        for (a, b) in [
            ("Anne.Roux+avis@gmail.com", "anneroux@googlemail.com"),
            ("PRO@Garage.fr", "pro+test+2@garage.fr"),
            (" pro@garage.fr ", "pro@garage.fr"),
        ] {
            assert_eq!(boite_aux_lettres(a), boite_aux_lettres(b), "{a} ~ {b}");
        }
        for (a, b) in [
            ("anne.roux@exemple.fr", "anneroux@exemple.fr"),
            ("pro@garage.fr", "pro@garage.com"),
            ("pro1@garage.fr", "pro@garage.fr"),
        ] {
            assert_ne!(boite_aux_lettres(a), boite_aux_lettres(b), "{a} ≁ {b}");
        }
    }

    use super::*;

    #[test]
    fn common_addresses_are_accepted_and_trimmed() {
        assert_eq!(
            Email::parse("  marie.dupont+rdv@exemple.fr ")
                .unwrap()
                .as_str(),
            "marie.dupont+rdv@exemple.fr"
        );
    }

    #[test]
    fn malformed_addresses_are_refused_with_a_french_message() {
        for raw in [
            "marie",
            "marie@",
            "@exemple.fr",
            "marie@exemple",
            "ma rie@exemple.fr",
            "a@b@c.fr",
            "a@.fr",
            "a@exemple..fr",
        ] {
            let error = Email::parse(raw).unwrap_err();
            assert_eq!(error.code, "email_invalide", "{raw}");
        }
        assert_eq!(Email::parse(" ").unwrap_err().code, "requis");
    }

    #[test]
    fn french_phone_numbers_are_accepted_as_written() {
        for raw in [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "+33 6 12 34 56 78",
            "0612345678",
        ] {
            assert_eq!(Telephone::parse(raw).unwrap().as_str(), raw);
        }
    }

    #[test]
    fn phone_numbers_with_letters_or_too_few_digits_are_refused() {
        for raw in ["06 12 AB", "12345", "06+12345678", "0".repeat(21).as_str()] {
            assert_eq!(
                Telephone::parse(raw).unwrap_err().code,
                "tel_invalide",
                "{raw}"
            );
        }
    }

    #[test]
    fn a_name_is_required_and_bounded() {
        assert_eq!(NomClient::parse("  ").unwrap_err().code, "requis");
        assert_eq!(
            NomClient::parse(&"é".repeat(121)).unwrap_err().code,
            "trop_long"
        );
        assert_eq!(
            NomClient::parse("Zoé\u{0}").unwrap_err().code,
            "caracteres_invalides"
        );
        assert_eq!(
            NomClient::parse(" Zoé Martin ").unwrap().as_str(),
            "Zoé Martin"
        );
    }
}
