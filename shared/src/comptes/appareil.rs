//! The device cookie (OWASP's "device cookie" against online guessing): set at a
//! successful sign-in, it marks the browser as one the account's owner signed in from.
//! Its attempts are then throttled on their own — per (account, device) — and escape the
//! per-source and per-account throttles that strangers' wrong passwords feed, so the
//! owner is never locked out by them.
//!
//! `<user id>.<device id>.<issued at>.<HMAC-SHA256>`, the HMAC under the server's secret
//! (domain-separated from the CSRF and session uses of that secret). Nobody can forge
//! one without the secret, one made for an account says nothing about another, and it
//! expires after [`DUREE_SECONDES`]. It grants no access by itself: the password is
//! still checked.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The cookie's name.
pub const COOKIE: &str = "appareil";
/// How long a device stays known without signing in again (the cookie's Max-Age).
pub const DUREE_SECONDES: i64 = 365 * 24 * 3600;

/// A known device of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appareil {
    /// `users.id`.
    pub uid: i64,
    /// 32 hex characters, random.
    pub id: String,
    /// Unix seconds.
    pub emis_at: i64,
}

fn mac(secret: &str, charge: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        // HMAC accepts keys of any length; this branch cannot be taken.
        Err(_) => return String::new(),
    };
    mac.update(b"appareil:");
    mac.update(charge.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

impl Appareil {
    /// A new device of `uid`, from 16 random bytes.
    pub fn nouveau(uid: i64, aleatoire: [u8; 16], maintenant: i64) -> Appareil {
        Appareil {
            uid,
            id: hex::encode(aleatoire),
            emis_at: maintenant,
        }
    }

    /// The cookie's value.
    pub fn signer(&self, secret: &str) -> String {
        let charge = format!("{}.{}.{}", self.uid, self.id, self.emis_at);
        let signature = mac(secret, &charge);
        format!("{charge}.{signature}")
    }

    /// The device a cookie names, if its signature is ours and it has not expired. A
    /// short secret (misconfiguration) accepts nothing.
    pub fn lire(secret: &str, valeur: &str, maintenant: i64) -> Option<Appareil> {
        if secret.len() < 32 || valeur.len() > 200 {
            return None;
        }
        let (charge, signature) = valeur.trim().rsplit_once('.')?;
        let attendue = mac(secret, charge);
        if !bool::from(attendue.as_bytes().ct_eq(signature.as_bytes())) {
            return None;
        }
        let mut parties = charge.split('.');
        let uid = parties.next()?.parse::<i64>().ok()?;
        let id = parties.next()?;
        let emis_at = parties.next()?.parse::<i64>().ok()?;
        if parties.next().is_some()
            || id.len() != 32
            || !id.chars().all(|c| c.is_ascii_hexdigit())
            || emis_at > maintenant + 60
            || maintenant - emis_at > DUREE_SECONDES
        {
            return None;
        }
        Some(Appareil {
            uid,
            id: id.to_owned(),
            emis_at,
        })
    }

    /// The device if the cookie is valid and was made for this account.
    pub fn de_compte(secret: &str, valeur: &str, uid: i64, maintenant: i64) -> Option<Appareil> {
        Appareil::lire(secret, valeur, maintenant).filter(|a| a.uid == uid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";
    const T0: i64 = 1_795_000_000;

    #[test]
    fn a_device_cookie_reads_back_for_its_account_until_it_expires() {
        let a = Appareil::nouveau(42, [7; 16], T0);
        let valeur = a.signer(SECRET);
        assert_eq!(Appareil::lire(SECRET, &valeur, T0 + 10), Some(a.clone()));
        assert_eq!(Appareil::de_compte(SECRET, &valeur, 42, T0), Some(a));
        assert_eq!(Appareil::de_compte(SECRET, &valeur, 43, T0), None);
        assert_eq!(
            Appareil::lire(SECRET, &valeur, T0 + DUREE_SECONDES + 1),
            None
        );
    }

    #[test]
    fn a_forged_or_altered_device_cookie_is_refused() {
        let valeur = Appareil::nouveau(42, [7; 16], T0).signer(SECRET);
        // Another account's id with the same signature.
        let autre = valeur.replacen("42.", "43.", 1);
        assert_eq!(Appareil::lire(SECRET, &autre, T0), None);
        // Signed with another secret.
        let ailleurs =
            Appareil::nouveau(42, [7; 16], T0).signer("another-secret-0123456789abcdef0123456789");
        assert_eq!(Appareil::lire(SECRET, &ailleurs, T0), None);
        for n_importe_quoi in ["", "42", "42.x.1.y", "a.b.c.d.e", &"9".repeat(300)] {
            assert_eq!(Appareil::lire(SECRET, n_importe_quoi, T0), None);
        }
        // No secret, no device.
        assert_eq!(Appareil::lire("court", &valeur, T0), None);
    }
}
