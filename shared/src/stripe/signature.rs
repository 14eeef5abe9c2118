//! `Stripe-Signature: t=<unix seconds>,v1=<hex>,v1=<hex>…`: each `v1` is
//! HMAC-SHA256(secret, "<t>.<raw body>"). Several `v1` values appear while a secret is
//! being rotated; one match is enough. The timestamp must be within the tolerance, so a
//! captured request cannot be replayed later.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// How far the signed timestamp may be from now (Stripe's default).
pub const TOLERANCE_SECONDES: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ErreurSignature {
    #[error("en-tête Stripe-Signature absent")]
    EnTeteAbsent,
    #[error("en-tête Stripe-Signature illisible")]
    EnTeteIllisible,
    #[error("signature horodatée hors de la tolérance")]
    HorsTolerance,
    #[error("aucune signature ne correspond")]
    SignatureInvalide,
}

fn mac(secret: &str, t: i64, payload: &[u8]) -> Option<Hmac<Sha256>> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(payload);
    Some(mac)
}

/// Checks the header against the raw body. `maintenant` in Unix seconds.
pub fn verifier_signature(
    payload: &[u8],
    en_tete: Option<&str>,
    secret: &str,
    maintenant: i64,
) -> Result<(), ErreurSignature> {
    let en_tete = en_tete
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .ok_or(ErreurSignature::EnTeteAbsent)?;
    let mut horodatage = None;
    let mut signatures = Vec::new();
    for element in en_tete.split(',') {
        match element.trim().split_once('=') {
            Some(("t", valeur)) => horodatage = valeur.trim().parse::<i64>().ok(),
            Some(("v1", valeur)) => signatures.push(valeur.trim()),
            _ => {}
        }
    }
    let t = horodatage.ok_or(ErreurSignature::EnTeteIllisible)?;
    if signatures.is_empty() {
        return Err(ErreurSignature::EnTeteIllisible);
    }
    if (maintenant - t).abs() > TOLERANCE_SECONDES {
        return Err(ErreurSignature::HorsTolerance);
    }
    if secret.is_empty() {
        return Err(ErreurSignature::SignatureInvalide);
    }
    let attendue = mac(secret, t, payload).ok_or(ErreurSignature::SignatureInvalide)?;
    let correspond = signatures.iter().any(|hex_sig| {
        hex::decode(hex_sig)
            // verify_slice compares in constant time.
            .is_ok_and(|octets| attendue.clone().verify_slice(&octets).is_ok())
    });
    if correspond {
        Ok(())
    } else {
        Err(ErreurSignature::SignatureInvalide)
    }
}

/// The header Stripe would send for `payload` at `t` (tests and local tools).
pub fn signer(payload: &[u8], secret: &str, t: i64) -> String {
    let hex_sig = mac(secret, t, payload)
        .map(|m| hex::encode(m.finalize().into_bytes()))
        .unwrap_or_default();
    format!("t={t},v1={hex_sig}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const T: i64 = 1_764_000_000;
    const CORPS: &[u8] = br#"{"id":"evt_1","type":"checkout.session.completed"}"#;

    #[test]
    fn a_valid_signature_is_accepted() {
        let header = signer(CORPS, SECRET, T);
        assert_eq!(
            verifier_signature(CORPS, Some(&header), SECRET, T + 10),
            Ok(())
        );
    }

    #[test]
    fn a_signature_made_with_another_secret_is_refused() {
        let header = signer(CORPS, "whsec_autre", T);
        assert_eq!(
            verifier_signature(CORPS, Some(&header), SECRET, T),
            Err(ErreurSignature::SignatureInvalide)
        );
    }

    #[test]
    fn a_signature_older_than_five_minutes_is_refused() {
        let header = signer(CORPS, SECRET, T);
        assert_eq!(
            verifier_signature(CORPS, Some(&header), SECRET, T + 301),
            Err(ErreurSignature::HorsTolerance)
        );
        assert_eq!(
            verifier_signature(CORPS, Some(&header), SECRET, T + 300),
            Ok(())
        );
    }

    #[test]
    fn a_tampered_body_is_refused() {
        let header = signer(CORPS, SECRET, T);
        let altere = br#"{"id":"evt_1","type":"checkout.session.completed "}"#;
        assert_eq!(
            verifier_signature(altere, Some(&header), SECRET, T),
            Err(ErreurSignature::SignatureInvalide)
        );
    }

    #[test]
    fn one_matching_signature_among_several_v1_is_enough() {
        let ancienne = signer(CORPS, "whsec_ancien", T);
        let bonne = signer(CORPS, SECRET, T);
        let v1 = |h: &str| {
            h.split_once(",v1=")
                .map(|(_, s)| s.to_owned())
                .unwrap_or_default()
        };
        let header = format!("t={T},v1={},v1={},v0=abc", v1(&ancienne), v1(&bonne));
        assert_eq!(verifier_signature(CORPS, Some(&header), SECRET, T), Ok(()));
        let aucune = format!("t={T},v1={},v1=zz", v1(&ancienne));
        assert_eq!(
            verifier_signature(CORPS, Some(&aucune), SECRET, T),
            Err(ErreurSignature::SignatureInvalide)
        );
    }

    #[test]
    fn a_missing_or_unreadable_header_is_refused() {
        assert_eq!(
            verifier_signature(CORPS, None, SECRET, T),
            Err(ErreurSignature::EnTeteAbsent)
        );
        assert_eq!(
            verifier_signature(CORPS, Some("  "), SECRET, T),
            Err(ErreurSignature::EnTeteAbsent)
        );
        assert_eq!(
            verifier_signature(CORPS, Some("v1=abcd"), SECRET, T),
            Err(ErreurSignature::EnTeteIllisible)
        );
        assert_eq!(
            verifier_signature(CORPS, Some(&format!("t={T}")), SECRET, T),
            Err(ErreurSignature::EnTeteIllisible)
        );
    }
}
