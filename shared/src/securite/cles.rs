//! One key per use of the master secret (`JWT_SECRET`): HMAC-SHA256(master, label of the
//! use). What one use reveals (a form's CSRF token, a session token, a link's cookie) says
//! nothing about the key of another use, nor about the master secret itself; a new use
//! takes a new label, and `v1` can be raised to retire every value of one use at once.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::secret::Secret;

/// The least length of the master secret (characters).
pub const LONGUEUR_MIN_MAITRE: usize = 32;

pub const USAGE_SESSION: &str = "session v1";
pub const USAGE_CSRF: &str = "csrf v1";
pub const USAGE_LIENS: &str = "liens v1";
pub const USAGE_PSEUDONYMES: &str = "pseudonymes v1";
pub const USAGE_APPAREILS: &str = "appareils v1";

/// The keys derived from the master secret. Each is 64 hex characters; all are empty when
/// the master is missing or too short, so that nothing is ever signed or checked with a
/// key anyone could compute.
#[derive(Debug, Clone)]
pub struct Cles {
    /// Signs session tokens (HMAC-SHA256).
    pub session: Secret,
    /// Keys forms' CSRF tokens.
    pub csrf: Secret,
    /// Seals the cookies that stand for a link's secret (manage, review, reset).
    pub liens: Secret,
    /// Keys the pseudonyms of counted personal data (a booking's source, rate-limit keys).
    pub pseudonymes: Secret,
    /// Signs the device cookies of the accounts (known browsers are never locked out).
    pub appareils: Secret,
}

impl Cles {
    pub fn deriver(maitre: &Secret) -> Cles {
        Cles {
            session: deriver(maitre, USAGE_SESSION),
            csrf: deriver(maitre, USAGE_CSRF),
            liens: deriver(maitre, USAGE_LIENS),
            pseudonymes: deriver(maitre, USAGE_PSEUDONYMES),
            appareils: deriver(maitre, USAGE_APPAREILS),
        }
    }
}

/// The key of one use: hex(HMAC-SHA256(master, usage)); empty for a weak master.
pub fn deriver(maitre: &Secret, usage: &str) -> Secret {
    let maitre = maitre.expose().trim();
    if maitre.chars().count() < LONGUEUR_MIN_MAITRE {
        return Secret::default();
    }
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(maitre.as_bytes()) else {
        // HMAC accepts keys of any length.
        return Secret::default();
    };
    mac.update(usage.as_bytes());
    Secret::new(hex::encode(mac.finalize().into_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAITRE: &str = "master-secret-0123456789abcdef0123456789abcdef";

    #[test]
    fn each_use_has_its_own_key_and_none_is_the_master_secret() {
        let cles = Cles::deriver(&MAITRE.into());
        let toutes = [&cles.session, &cles.csrf, &cles.liens];
        for (i, a) in toutes.iter().enumerate() {
            assert_eq!(a.expose().len(), 64);
            assert_ne!(a.expose(), MAITRE);
            assert!(!a.expose().contains(MAITRE));
            for b in &toutes[i + 1..] {
                assert_ne!(a.expose(), b.expose());
            }
        }
        // Stable: the same master gives the same keys (tokens survive a restart).
        assert_eq!(
            Cles::deriver(&MAITRE.into()).csrf,
            Cles::deriver(&MAITRE.into()).csrf
        );
        assert_ne!(
            Cles::deriver(&"another-master-0123456789abcdef0123456789".into()).csrf,
            cles.csrf
        );
    }

    #[test]
    fn a_missing_or_short_master_derives_no_key() {
        for faible in ["", "   ", "0123456789abcdef0123456789abcde"] {
            let cles = Cles::deriver(&faible.into());
            assert!(cles.session.est_vide() && cles.csrf.est_vide() && cles.liens.est_vide());
        }
        assert!(!format!("{:?}", Cles::deriver(&MAITRE.into()))
            .contains(deriver(&MAITRE.into(), USAGE_CSRF).expose()));
    }
}
