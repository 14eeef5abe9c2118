//! Session tokens: `v1.<payload>.<seal>`, both parts in unpadded base64url. The payload is
//! the user's id, role and token version and the token's expiry, in that order, separated
//! by `:` (decimal numbers and a role name, so the separator never occurs in a field); the
//! seal is HMAC-SHA256 of everything before it (`v1.<payload>`) under the session key, so
//! no field, nor the format's version, can change without the key. Tokens are short-lived;
//! bumping `users.token_version` (sign-out, password change) makes every token issued
//! before it fail, because the version no longer matches.
//!
//! Time comes from the caller (the platform's clock).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::Role;
use crate::securite::cles::LONGUEUR_MIN_MAITRE;

/// How long a session lasts (the cookie's Max-Age too).
pub const DUREE_SECONDES: i64 = 8 * 3600;

/// How far apart two clocks of the platform may be: a token stays valid this long after
/// its expiry, and one issued this far in the future is still accepted.
const TOLERANCE_SECONDES: i64 = 30;

/// The format's version, the token's first part: raised, it retires every token at once.
const VERSION: &str = "v1";

/// Longer than any token this module issues, and bounds the work a hostile one costs.
const LONGUEUR_MAX: usize = 2048;

/// Who a valid token speaks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// `users.id`.
    pub uid: i64,
    pub role: Role,
    /// `users.token_version` when the token was issued.
    pub v: i64,
}

/// The seal of the token's signed part; `None` for a missing or short key.
fn sceau(secret: &str, signe: &str) -> Option<[u8; 32]> {
    if secret.len() < LONGUEUR_MIN_MAITRE {
        return None;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(signe.as_bytes());
    Some(mac.finalize().into_bytes().into())
}

/// Signs a token for the session, valid from `maintenant` for [`DUREE_SECONDES`].
pub fn emettre(
    secret: &str,
    session: &Session,
    maintenant: DateTime<Utc>,
) -> Result<String, String> {
    let expire_a = maintenant.timestamp() + DUREE_SECONDES;
    let charge = format!(
        "{}:{}:{}:{expire_a}",
        session.uid,
        session.role.as_str(),
        session.v
    );
    let signe = format!("{VERSION}.{}", URL_SAFE_NO_PAD.encode(charge));
    let sceau = sceau(secret, &signe)
        .ok_or("JWT_SECRET manquant ou trop court (32 caractères au moins)")?;
    Ok(format!("{signe}.{}", URL_SAFE_NO_PAD.encode(sceau)))
}

/// The session a token carries, if its seal is right under `secret` and it has not
/// expired at `maintenant`. The token version is checked against the database by the
/// caller.
pub fn lire(secret: &str, jeton: &str, maintenant: DateTime<Utc>) -> Option<Session> {
    if jeton.len() > LONGUEUR_MAX {
        return None;
    }
    let (signe, presente) = jeton.rsplit_once('.')?;
    let (version, charge) = signe.split_once('.')?;
    let attendu = sceau(secret, signe)?;
    let presente = URL_SAFE_NO_PAD.decode(presente).ok()?;
    if version != VERSION || !bool::from(attendu.as_slice().ct_eq(&presente)) {
        return None;
    }
    let charge = String::from_utf8(URL_SAFE_NO_PAD.decode(charge).ok()?).ok()?;
    let mut champs = charge.split(':');
    let uid = champs.next()?.parse().ok()?;
    let role = Role::parse(champs.next()?)?;
    let v = champs.next()?.parse().ok()?;
    let expire_a: i64 = champs.next()?.parse().ok()?;
    let maintenant = maintenant.timestamp();
    let valide = champs.next().is_none()
        && maintenant <= expire_a.saturating_add(TOLERANCE_SECONDES)
        && expire_a <= maintenant.saturating_add(DUREE_SECONDES + TOLERANCE_SECONDES);
    valide.then_some(Session { uid, role, v })
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

    /// A token of `charge` (the payload in clear) sealed with `secret`, as a forger who
    /// had the key would make it.
    fn scelle(secret: &str, version: &str, charge: &str) -> String {
        let signe = format!("{version}.{}", URL_SAFE_NO_PAD.encode(charge));
        let sceau = sceau(secret, &signe).unwrap();
        format!("{signe}.{}", URL_SAFE_NO_PAD.encode(sceau))
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
    fn every_role_and_any_id_or_version_reads_back() {
        for role in [Role::Client, Role::Pro, Role::Admin] {
            for (uid, v) in [(0, 0), (1, -1), (i64::MAX, i64::MIN)] {
                let s = Session { uid, role, v };
                let jeton = emettre(SECRET, &s, t0()).unwrap();
                assert!(jeton.starts_with("v1."), "{jeton}");
                assert_eq!(lire(SECRET, &jeton, t0()), Some(s));
            }
        }
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
    fn a_payload_or_version_changed_under_the_original_seal_is_refused() {
        let jeton = emettre(SECRET, &session(), t0()).unwrap();
        let (_, sceau) = jeton.rsplit_once('.').unwrap();
        let expire_a = t0().timestamp() + DUREE_SECONDES;
        for charge in [
            format!("1:pro:3:{expire_a}"),
            format!("7:admin:3:{expire_a}"),
            format!("7:pro:4:{expire_a}"),
            format!("7:pro:3:{}", expire_a + 3600),
        ] {
            let faux = format!("v1.{}.{sceau}", URL_SAFE_NO_PAD.encode(charge));
            assert_eq!(lire(SECRET, &faux, t0()), None, "{faux}");
        }
        let (signe, _) = jeton.rsplit_once('.').unwrap();
        let v2 = format!("v2{}.{sceau}", &signe[2..]);
        assert_eq!(lire(SECRET, &v2, t0()), None);
        // Even sealed with the right key, another version of the format is refused.
        let charge = format!("7:pro:3:{expire_a}");
        assert_eq!(lire(SECRET, &scelle(SECRET, "v2", &charge), t0()), None);
        assert_eq!(
            lire(SECRET, &scelle(SECRET, "v1", &charge), t0()),
            Some(session())
        );
    }

    #[test]
    fn an_expired_token_or_one_from_the_future_is_refused() {
        let jeton = emettre(SECRET, &session(), t0()).unwrap();
        let fin = t0() + chrono::Duration::seconds(DUREE_SECONDES);
        assert_eq!(lire(SECRET, &jeton, fin), Some(session()));
        let tard = fin + chrono::Duration::seconds(TOLERANCE_SECONDES + 1);
        assert_eq!(lire(SECRET, &jeton, tard), None);
        // Issued by a clock ahead of ours: accepted within the tolerance only.
        let un_peu = t0() + chrono::Duration::seconds(TOLERANCE_SECONDES);
        let jeton = emettre(SECRET, &session(), un_peu).unwrap();
        assert_eq!(lire(SECRET, &jeton, t0()), Some(session()));
        let trop = t0() + chrono::Duration::seconds(TOLERANCE_SECONDES + 1);
        let jeton = emettre(SECRET, &session(), trop).unwrap();
        assert_eq!(lire(SECRET, &jeton, t0()), None);
        // A properly sealed expiry far away is not a longer session.
        let loin = format!("7:pro:3:{}", t0().timestamp() + 10 * DUREE_SECONDES);
        assert_eq!(lire(SECRET, &scelle(SECRET, "v1", &loin), t0()), None);
    }

    #[test]
    fn a_truncated_padded_or_malformed_token_is_refused() {
        let jeton = emettre(SECRET, &session(), t0()).unwrap();
        for n in 0..jeton.len() {
            assert_eq!(lire(SECRET, &jeton[..n], t0()), None, "{}", &jeton[..n]);
        }
        let (signe, sceau) = jeton.rsplit_once('.').unwrap();
        let (_, charge) = signe.split_once('.').unwrap();
        for faux in [
            format!("{jeton}."),
            format!(".{jeton}"),
            format!("{jeton}.{sceau}"),
            format!("v1.{charge}.x.{sceau}"),
            format!("v1..{charge}.{sceau}"),
            format!("{signe}.{sceau}="),
            format!("{signe}=.{sceau}"),
            format!(" {jeton}"),
            format!("{signe}.+{}", &sceau[1..]),
            format!("{signe}./{}", &sceau[1..]),
            format!("{signe}.{sceau}%"),
            jeton.replace('.', ""),
        ] {
            assert_eq!(lire(SECRET, &faux, t0()), None, "{faux}");
        }
        for n_importe_quoi in [
            "",
            ".",
            "..",
            "v1",
            "v1.",
            "v1..",
            "v1.!!!.???",
            "v1.e30.faux",
            "a.b.c.d",
            "\u{0}",
            "é.é.é",
            "eyJhbGciOiJIUzI1NiJ9.eyJ1aWQiOjEsInJvbGUiOiJhZG1pbiIsInYiOjB9.",
        ] {
            assert_eq!(lire(SECRET, n_importe_quoi, t0()), None, "{n_importe_quoi}");
        }
    }

    #[test]
    fn a_well_sealed_payload_of_the_wrong_shape_is_refused() {
        let expire_a = t0().timestamp() + DUREE_SECONDES;
        for charge in [
            String::new(),
            "7:pro:3".to_owned(),
            format!("7:pro:3:{expire_a}:9"),
            format!("7:chef:3:{expire_a}"),
            format!("x:pro:3:{expire_a}"),
            format!("7:pro:3:{expire_a}.5"),
            format!("7:pro::{expire_a}"),
        ] {
            assert_eq!(
                lire(SECRET, &scelle(SECRET, "v1", &charge), t0()),
                None,
                "{charge}"
            );
        }
    }

    #[test]
    fn a_huge_token_is_refused_before_any_work() {
        let jeton = emettre(SECRET, &session(), t0()).unwrap();
        let enorme = format!("{jeton}{}", "A".repeat(20_000));
        assert_eq!(lire(SECRET, &enorme, t0()), None);
        assert_eq!(lire(SECRET, &"a.".repeat(10_000), t0()), None);
    }

    #[test]
    fn a_missing_or_short_secret_signs_nothing_and_accepts_nothing() {
        assert!(emettre("", &session(), t0()).is_err());
        assert!(emettre("court", &session(), t0()).is_err());
        // A token keyed by the empty key, which anyone could make, opens nothing.
        let signe = format!(
            "v1.{}",
            URL_SAFE_NO_PAD.encode(format!("7:pro:3:{}", t0().timestamp() + 60))
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(b"").unwrap();
        mac.update(signe.as_bytes());
        let forge = format!(
            "{signe}.{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        );
        assert_eq!(lire("", &forge, t0()), None);
        assert_eq!(lire("court", &forge, t0()), None);
    }
}
