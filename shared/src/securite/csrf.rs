//! CSRF protection for forms, stateless (signed double submit): the browser holds a
//! random value in a SameSite=Lax, HttpOnly cookie; each form carries the HMAC of that
//! value under the server's CSRF key (derived from the master secret for this use only,
//! see `cles`). A cross-site page can neither read the cookie nor forge the HMAC.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::cles::LONGUEUR_MIN_MAITRE;

/// The cookie that holds the browser's random value.
pub const COOKIE: &str = "csrf";
/// The form field that carries the signed value.
pub const CHAMP: &str = "csrf";

/// The token a form must carry for this browser's cookie value; empty without a key.
pub fn jeton(secret: &str, valeur_cookie: &str) -> String {
    if secret.len() < LONGUEUR_MIN_MAITRE {
        return String::new();
    }
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        // HMAC accepts keys of any length; this branch cannot be taken.
        Err(_) => return String::new(),
    };
    mac.update(b"csrf:");
    mac.update(valeur_cookie.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether a submitted token matches the cookie, in constant time. An empty cookie, or
/// a missing or short key, never matches.
pub fn verifie(secret: &str, valeur_cookie: &str, soumis: &str) -> bool {
    if valeur_cookie.len() < 16 || secret.len() < LONGUEUR_MIN_MAITRE {
        return false;
    }
    let attendu = jeton(secret, valeur_cookie);
    attendu.as_bytes().ct_eq(soumis.trim().as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLE: &str = "csrf-key-0123456789abcdef0123456789abcdef";
    const AUTRE: &str = "autre-key-0123456789abcdef0123456789abcdef";

    #[test]
    fn the_token_of_the_cookie_is_accepted() {
        let t = jeton(CLE, "0123456789abcdef0123456789abcdef");
        assert!(verifie(CLE, "0123456789abcdef0123456789abcdef", &t));
    }

    #[test]
    fn another_cookie_another_secret_or_no_cookie_is_refused() {
        let t = jeton(CLE, "0123456789abcdef0123456789abcdef");
        assert!(!verifie(CLE, "ffffffffffffffffffffffffffffffff", &t));
        assert!(!verifie(AUTRE, "0123456789abcdef0123456789abcdef", &t));
        assert!(!verifie(CLE, "", &jeton(CLE, "")));
        assert!(!verifie(CLE, "0123456789abcdef0123456789abcdef", ""));
    }

    #[test]
    fn without_a_key_no_token_is_made_or_accepted() {
        // An empty key is public: a token keyed by it could be made by anyone.
        let forge = {
            let mut mac = Hmac::<Sha256>::new_from_slice(b"").unwrap();
            mac.update(b"csrf:0123456789abcdef0123456789abcdef");
            hex::encode(mac.finalize().into_bytes())
        };
        assert_eq!(jeton("", "0123456789abcdef0123456789abcdef"), "");
        assert!(!verifie("", "0123456789abcdef0123456789abcdef", &forge));
        assert!(!verifie("", "0123456789abcdef0123456789abcdef", ""));
    }
}
