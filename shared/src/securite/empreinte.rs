//! Pseudonyms of personal data kept only to be counted (a client's source, an e-mail
//! address in a rate-limit key): HMAC-SHA256 under the server's secret, in hex. Unlike a
//! plain hash, it cannot be reversed by trying every IPv4 address or a list of e-mails.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The pseudonym of `valeur` in `domaine` (`source`, `email`…): the same value gives the
/// same pseudonym in one domain, unrelated ones across domains. 64 hex characters.
pub fn pseudonyme(secret: &str, domaine: &str, valeur: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        // HMAC accepts keys of any length; this branch cannot be taken.
        Err(_) => return String::new(),
    };
    mac.update(domaine.as_bytes());
    mac.update(b":");
    mac.update(valeur.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pseudonym_is_stable_per_domain_and_depends_on_the_secret() {
        let a = pseudonyme("secret", "source", "v4:203.0.113.7");
        assert_eq!(a.len(), 64);
        assert_eq!(a, pseudonyme("secret", "source", "v4:203.0.113.7"));
        assert_ne!(a, pseudonyme("secret", "email", "v4:203.0.113.7"));
        assert_ne!(a, pseudonyme("autre", "source", "v4:203.0.113.7"));
        assert!(!a.contains("203"));
    }
}
