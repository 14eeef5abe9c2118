use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The secret of a booking's manage link: 128 random bits, shown once to the client as
/// 32 hex characters. Only its SHA-256 is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JetonGestion(String);

impl JetonGestion {
    pub fn from_random(bytes: [u8; 16]) -> JetonGestion {
        JetonGestion(hex::encode(bytes))
    }

    /// A secret chosen beforehand rather than drawn (the demo data's `demo-<n>`).
    pub fn choisi(secret: &str) -> JetonGestion {
        JetonGestion(secret.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keeps: the SHA-256 of the secret, in hex.
    pub fn hash(&self) -> String {
        hash_hex(&self.0)
    }

    /// Whether a presented secret matches a stored hash, in constant time.
    pub fn verifie(presente: &str, hash_stocke: &str) -> bool {
        let calcule = hash_hex(presente.trim());
        calcule.as_bytes().ct_eq(hash_stocke.as_bytes()).into()
    }
}

fn hash_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The secret of the link that confirms a guest's booking, e-mailed to the address the
/// booking names: 128 random bits as 32 hex characters; only its SHA-256 is stored.
///
/// The booking's manage secret is derived from it ([`Self::jeton_gestion`]): whoever
/// confirms from the e-mail can then be given the manage link (in the confirmation
/// e-mail), while whoever made the request — who got the manage link in the answer —
/// cannot work this secret out from it, and so cannot confirm for the address's owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JetonConfirmation(String);

impl JetonConfirmation {
    pub fn from_random(bytes: [u8; 16]) -> JetonConfirmation {
        JetonConfirmation(hex::encode(bytes))
    }

    /// A secret as presented by a client, to derive from once it was verified.
    pub fn presente(texte: &str) -> JetonConfirmation {
        JetonConfirmation(texte.trim().to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keeps: the SHA-256 of the secret, in hex.
    pub fn hash(&self) -> String {
        hash_hex(&self.0)
    }

    /// Whether a presented secret matches a stored hash, in constant time.
    pub fn verifie(presente: &str, hash_stocke: &str) -> bool {
        JetonGestion::verifie(presente, hash_stocke)
    }

    /// The booking's manage secret: the first 128 bits of SHA-256("gestion:" + this
    /// secret), as 32 hex characters.
    pub fn jeton_gestion(&self) -> JetonGestion {
        let empreinte = Sha256::digest(format!("gestion:{}", self.0).as_bytes());
        JetonGestion(hex::encode(&empreinte[..16]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_128_bits_as_32_hex_characters_and_only_its_hash_is_kept() {
        let jeton = JetonGestion::from_random([7; 16]);
        assert_eq!(jeton.as_str().len(), 32);
        assert_eq!(jeton.hash().len(), 64);
        assert_ne!(jeton.hash(), jeton.as_str());
    }

    #[test]
    fn only_the_right_token_matches_its_hash() {
        let jeton = JetonGestion::from_random([1; 16]);
        let hash = jeton.hash();
        assert!(JetonGestion::verifie(jeton.as_str(), &hash));
        assert!(!JetonGestion::verifie(
            JetonGestion::from_random([2; 16]).as_str(),
            &hash
        ));
        assert!(!JetonGestion::verifie("", &hash));
    }

    #[test]
    fn the_manage_secret_of_a_request_follows_from_its_confirmation_secret_only() {
        let confirmation = JetonConfirmation::from_random([3; 16]);
        let gestion = confirmation.jeton_gestion();
        assert_eq!(gestion.as_str().len(), 32);
        assert_eq!(
            JetonConfirmation::presente(&format!(" {} ", confirmation.as_str())).jeton_gestion(),
            gestion
        );
        assert_ne!(gestion.as_str(), confirmation.as_str());
        assert_ne!(
            JetonConfirmation::from_random([4; 16]).jeton_gestion(),
            gestion
        );
        // The two secrets are not interchangeable.
        assert!(JetonConfirmation::verifie(
            confirmation.as_str(),
            &confirmation.hash()
        ));
        assert!(!JetonConfirmation::verifie(
            gestion.as_str(),
            &confirmation.hash()
        ));
    }
}
