//! CSRF protection for forms, stateless (signed double submit): the browser holds a
//! random value in a SameSite=Lax, HttpOnly cookie; each form carries the HMAC of that
//! value under the server's secret. A cross-site page can neither read the cookie nor
//! forge the HMAC.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The cookie that holds the browser's random value.
pub const COOKIE: &str = "csrf";
/// The form field that carries the signed value.
pub const CHAMP: &str = "csrf";

/// The token a form must carry for this browser's cookie value.
pub fn jeton(secret: &str, valeur_cookie: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        // HMAC accepts keys of any length; this branch cannot be taken.
        Err(_) => return String::new(),
    };
    mac.update(b"csrf:");
    mac.update(valeur_cookie.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Whether a submitted token matches the cookie, in constant time. An empty cookie
/// never matches.
pub fn verifie(secret: &str, valeur_cookie: &str, soumis: &str) -> bool {
    if valeur_cookie.len() < 16 {
        return false;
    }
    let attendu = jeton(secret, valeur_cookie);
    attendu.as_bytes().ct_eq(soumis.trim().as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_of_the_cookie_is_accepted() {
        let t = jeton("s3cret", "0123456789abcdef0123456789abcdef");
        assert!(verifie("s3cret", "0123456789abcdef0123456789abcdef", &t));
    }

    #[test]
    fn another_cookie_another_secret_or_no_cookie_is_refused() {
        let t = jeton("s3cret", "0123456789abcdef0123456789abcdef");
        assert!(!verifie("s3cret", "ffffffffffffffffffffffffffffffff", &t));
        assert!(!verifie("autre", "0123456789abcdef0123456789abcdef", &t));
        assert!(!verifie("s3cret", "", &jeton("s3cret", "")));
        assert!(!verifie("s3cret", "0123456789abcdef0123456789abcdef", ""));
    }
}
