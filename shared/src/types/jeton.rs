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
}
