//! A link's secret (manage, review, password reset) exchanged for a cookie on first use:
//! the cookie's value stands for "this browser opened the link" for a short while without
//! being the secret. It is `<expiry>.<seal>`, the seal being
//! HMAC-SHA256(key, scope ‖ hash of the secret ‖ expiry) under a key derived for this use
//! (`cles::USAGE_LIENS`). So a stolen cookie dies at its expiry, a cookie of one booking or
//! page opens no other (the scope is its path), and a link whose secret is replaced or
//! used up invalidates it (the stored hash no longer matches).
//!
//! Links whose secret is looked up by its hash (the reset link) carry the hash too:
//! `<hash>.<expiry>.<seal>`.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::cles::LONGUEUR_MIN_MAITRE;

/// How long a link's cookie lasts.
pub const DUREE_SECONDES: i64 = 3600;

fn sceau(cle: &str, portee: &str, empreinte: &str, expire_a: i64) -> Option<String> {
    if cle.len() < LONGUEUR_MIN_MAITRE || empreinte.is_empty() {
        return None;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(cle.as_bytes()).ok()?;
    for partie in [portee.as_bytes(), b"\n", empreinte.as_bytes(), b"\n"] {
        mac.update(partie);
    }
    mac.update(expire_a.to_string().as_bytes());
    Some(hex::encode(mac.finalize().into_bytes()))
}

/// The cookie's value for a link of `portee` whose secret hashes to `empreinte`, valid
/// until `expire_a` (Unix seconds). Empty when the key is missing (nothing then opens).
pub fn sceller(cle: &str, portee: &str, empreinte: &str, expire_a: i64) -> String {
    sceau(cle, portee, empreinte, expire_a)
        .map(|s| format!("{expire_a}.{s}"))
        .unwrap_or_default()
}

/// Whether a cookie's value proves the link of `portee` whose secret hashes to
/// `empreinte` at `maintenant`, in constant time.
pub fn verifier(cle: &str, portee: &str, empreinte: &str, valeur: &str, maintenant: i64) -> bool {
    let Some((expire, presente)) = valeur.trim().split_once('.') else {
        return false;
    };
    let Ok(expire_a) = expire.parse::<i64>() else {
        return false;
    };
    if expire_a <= maintenant || expire_a > maintenant + DUREE_SECONDES {
        return false;
    }
    sceau(cle, portee, empreinte, expire_a)
        .is_some_and(|attendu| bool::from(attendu.as_bytes().ct_eq(presente.as_bytes())))
}

/// Like [`sceller`], the hash carried in the value (`<hash>.<expiry>.<seal>`).
pub fn sceller_avec_empreinte(cle: &str, portee: &str, empreinte: &str, expire_a: i64) -> String {
    if !est_empreinte(empreinte) {
        return String::new();
    }
    let scelle = sceller(cle, portee, empreinte, expire_a);
    if scelle.is_empty() {
        return scelle;
    }
    format!("{empreinte}.{scelle}")
}

/// The hash a value of [`sceller_avec_empreinte`] proves at `maintenant`, if it does.
pub fn ouvrir(cle: &str, portee: &str, valeur: &str, maintenant: i64) -> Option<String> {
    let (empreinte, reste) = valeur.trim().split_once('.')?;
    (est_empreinte(empreinte) && verifier(cle, portee, empreinte, reste, maintenant))
        .then(|| empreinte.to_owned())
}

/// A SHA-256 in lower-case hex, as the database keeps the links' secrets.
fn est_empreinte(texte: &str) -> bool {
    texte.len() == 64
        && texte
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLE: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    const T0: i64 = 1_795_000_000;

    fn empreinte(n: u8) -> String {
        hex::encode([n; 32])
    }

    #[test]
    fn a_sealed_cookie_opens_its_link_until_it_expires() {
        let v = sceller(CLE, "/reservations/a", &empreinte(1), T0 + DUREE_SECONDES);
        assert!(verifier(CLE, "/reservations/a", &empreinte(1), &v, T0));
        assert!(verifier(
            CLE,
            "/reservations/a",
            &empreinte(1),
            &v,
            T0 + DUREE_SECONDES - 1
        ));
        assert!(!verifier(
            CLE,
            "/reservations/a",
            &empreinte(1),
            &v,
            T0 + DUREE_SECONDES
        ));
    }

    #[test]
    fn a_forged_or_expired_manage_cookie_opens_nothing() {
        let v = sceller(CLE, "/reservations/a", &empreinte(1), T0 + 600);
        // Another booking, another secret (a revoked link), another key.
        assert!(!verifier(CLE, "/reservations/b", &empreinte(1), &v, T0));
        assert!(!verifier(CLE, "/reservations/a", &empreinte(2), &v, T0));
        let autre_cle = CLE.replace('0', "1");
        assert!(!verifier(
            &autre_cle,
            "/reservations/a",
            &empreinte(1),
            &v,
            T0
        ));
        // Its expiry pushed back, its seal altered, nonsense.
        let (_, sceau) = v.split_once('.').unwrap();
        let prolonge = format!("{}.{sceau}", T0 + 3000);
        assert!(!verifier(
            CLE,
            "/reservations/a",
            &empreinte(1),
            &prolonge,
            T0
        ));
        let dernier = if v.ends_with('0') { '1' } else { '0' };
        let altere = format!("{}{dernier}", &v[..v.len() - 1]);
        assert!(!verifier(
            CLE,
            "/reservations/a",
            &empreinte(1),
            &altere,
            T0
        ));
        for n in ["", ".", "x.y", &empreinte(1)] {
            assert!(!verifier(CLE, "/reservations/a", &empreinte(1), n, T0));
        }
        // A seal made for far in the future is refused even with the right key.
        let long = sceller(
            CLE,
            "/reservations/a",
            &empreinte(1),
            T0 + 10 * DUREE_SECONDES,
        );
        assert!(!verifier(CLE, "/reservations/a", &empreinte(1), &long, T0));
        // No key, no cookie.
        assert_eq!(sceller("", "/reservations/a", &empreinte(1), T0 + 600), "");
        assert!(!verifier("", "/reservations/a", &empreinte(1), &v, T0));
    }

    #[test]
    fn the_cookie_is_not_the_secret_and_a_carried_hash_must_be_sealed() {
        let v = sceller_avec_empreinte(CLE, "/compte/reinitialiser", &empreinte(3), T0 + 60);
        assert_eq!(
            ouvrir(CLE, "/compte/reinitialiser", &v, T0),
            Some(empreinte(3))
        );
        assert_eq!(ouvrir(CLE, "/compte/reinitialiser", &v, T0 + 60), None);
        let echange = v.replacen(&empreinte(3), &empreinte(4), 1);
        assert_eq!(ouvrir(CLE, "/compte/reinitialiser", &echange, T0), None);
        assert_eq!(ouvrir(CLE, "/ailleurs", &v, T0), None);
        assert_eq!(
            sceller_avec_empreinte(CLE, "/x", "pas-un-hash", T0 + 60),
            ""
        );
    }
}
