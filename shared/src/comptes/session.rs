//! Session tokens: HS256 JWTs (jwt-simple) with a short expiry, carrying the user's id,
//! role and token version. Bumping `users.token_version` (sign-out, password change)
//! makes every token issued before it fail, because the version no longer matches.
//!
//! Time comes from the caller (the platform's clock), never from the token library.

use chrono::{DateTime, Utc};
use jwt_simple::prelude::{
    Duration, HS256Key, JWTClaims, MACLike, UnixTimeStamp, VerificationOptions,
};
use serde::{Deserialize, Serialize};

use super::Role;

/// How long a session lasts (the cookie's Max-Age too).
pub const DUREE_SECONDES: i64 = 8 * 3600;

/// Who a valid token speaks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// `users.id`.
    pub uid: i64,
    pub role: Role,
    /// `users.token_version` when the token was issued.
    pub v: i64,
}

const EMETTEUR: &str = "booking-multisite";

fn cle(secret: &str) -> HS256Key {
    HS256Key::from_bytes(secret.as_bytes())
}

fn horodatage(instant: DateTime<Utc>) -> UnixTimeStamp {
    UnixTimeStamp::from_secs(u64::try_from(instant.timestamp()).unwrap_or(0))
}

/// Signs a token for the session, valid from `maintenant` for [`DUREE_SECONDES`].
pub fn emettre(
    secret: &str,
    session: &Session,
    maintenant: DateTime<Utc>,
) -> Result<String, String> {
    if secret.len() < 32 {
        return Err("JWT_SECRET manquant ou trop court (32 caractères au moins)".into());
    }
    let debut = horodatage(maintenant);
    let duree = Duration::from_secs(DUREE_SECONDES as u64);
    let mut claims: JWTClaims<Session> =
        jwt_simple::claims::Claims::with_custom_claims(session.clone(), duree);
    claims.issued_at = Some(debut);
    claims.invalid_before = Some(debut);
    claims.expires_at = Some(debut + duree);
    claims.issuer = Some(EMETTEUR.to_owned());
    cle(secret).authenticate(claims).map_err(|e| e.to_string())
}

/// The session a token carries, if its signature, issuer and times are right at
/// `maintenant`. The token version is checked against the database by the caller.
pub fn lire(secret: &str, jeton: &str, maintenant: DateTime<Utc>) -> Option<Session> {
    if secret.len() < 32 || jeton.len() > 2048 {
        return None;
    }
    let options = VerificationOptions {
        artificial_time: Some(horodatage(maintenant)),
        time_tolerance: Some(Duration::from_secs(30)),
        allowed_issuers: Some([EMETTEUR.to_owned()].into_iter().collect()),
        ..VerificationOptions::default()
    };
    cle(secret)
        .verify_token::<Session>(jeton, Some(options))
        .ok()
        .map(|claims| claims.custom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
            .single()
            .unwrap()
    }

    fn session() -> Session {
        Session {
            uid: 7,
            role: Role::Pro,
            v: 3,
        }
    }

    #[test]
    fn a_token_reads_back_its_session_until_it_expires() {
        let jeton = emettre(SECRET, &session(), t0()).unwrap();
        assert_eq!(lire(SECRET, &jeton, t0()), Some(session()));
        let presque = t0() + chrono::Duration::seconds(DUREE_SECONDES - 1);
        assert_eq!(lire(SECRET, &jeton, presque), Some(session()));
        let apres = t0() + chrono::Duration::seconds(DUREE_SECONDES + 60);
        assert_eq!(lire(SECRET, &jeton, apres), None);
    }

    #[test]
    fn a_token_signed_with_another_secret_or_altered_is_refused() {
        let jeton = emettre(SECRET, &session(), t0()).unwrap();
        assert_eq!(
            lire("another-secret-0123456789abcdef0123456789", &jeton, t0()),
            None
        );
        let mut altere = jeton.clone();
        altere.pop();
        altere.push(if jeton.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(lire(SECRET, &altere, t0()), None);
        assert_eq!(lire(SECRET, "pas.un.jeton", t0()), None);
    }

    #[test]
    fn a_missing_or_short_secret_signs_nothing() {
        assert!(emettre("", &session(), t0()).is_err());
        assert!(emettre("court", &session(), t0()).is_err());
    }
}
