//! Passwords: PBKDF2-HMAC-SHA256 with a random salt, its parameters kept beside the hash
//! so that the cost can be raised later (a weaker hash is recomputed at the next sign-in).
//!
//! Workers cap WebCrypto's PBKDF2 at 100 000 iterations, which is today's cost.

use async_trait::async_trait;
use subtle::ConstantTimeEq;

pub const ALGORITHME: &str = "pbkdf2-sha256";
/// The cost of new hashes: Workers' maximum for PBKDF2.
pub const ITERATIONS: u32 = 100_000;
/// Bytes of derived key.
pub const LONGUEUR: usize = 32;

/// PBKDF2-HMAC-SHA256: WebCrypto in the Worker, pure Rust natively; both give the same bytes.
#[async_trait(?Send)]
pub trait Derivation {
    async fn pbkdf2_sha256(
        &self,
        mot_de_passe: &[u8],
        sel: &[u8],
        iterations: u32,
    ) -> Result<[u8; LONGUEUR], String>;
}

/// A stored password: the hash and how it was made (the columns `password_*` of `users`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Empreinte {
    pub algorithme: String,
    pub iterations: u32,
    /// Hex.
    pub sel: String,
    /// Hex.
    pub hash: String,
}

impl Empreinte {
    /// Reads the stored columns; `None` when the account has no usable password.
    pub fn depuis_colonnes(
        algorithme: Option<&str>,
        iterations: Option<i64>,
        sel: Option<&str>,
        hash: Option<&str>,
    ) -> Option<Empreinte> {
        Some(Empreinte {
            algorithme: algorithme?.to_owned(),
            iterations: u32::try_from(iterations?).ok()?,
            sel: sel?.to_owned(),
            hash: hash?.to_owned(),
        })
    }

    /// Whether this hash was made at a lower cost than today's.
    pub fn a_renforcer(&self) -> bool {
        self.algorithme != ALGORITHME || self.iterations < ITERATIONS
    }
}

/// Hashes a new password with a fresh salt at today's cost.
pub async fn hacher(
    derivation: &dyn Derivation,
    mot_de_passe: &str,
    sel: [u8; 16],
) -> Result<Empreinte, String> {
    let hash = derivation
        .pbkdf2_sha256(mot_de_passe.as_bytes(), &sel, ITERATIONS)
        .await?;
    Ok(Empreinte {
        algorithme: ALGORITHME.to_owned(),
        iterations: ITERATIONS,
        sel: hex::encode(sel),
        hash: hex::encode(hash),
    })
}

/// Whether the password matches the stored hash, compared in constant time.
pub async fn verifier(
    derivation: &dyn Derivation,
    mot_de_passe: &str,
    empreinte: &Empreinte,
) -> Result<bool, String> {
    if empreinte.algorithme != ALGORITHME {
        return Ok(false);
    }
    let sel = hex::decode(&empreinte.sel).map_err(|e| e.to_string())?;
    let attendu = hex::decode(&empreinte.hash).map_err(|e| e.to_string())?;
    let calcule = derivation
        .pbkdf2_sha256(mot_de_passe.as_bytes(), &sel, empreinte.iterations)
        .await?;
    Ok(calcule.as_slice().ct_eq(attendu.as_slice()).into())
}

/// Work to spend when the account does not exist, so that timing does not tell.
pub async fn leurre(derivation: &dyn Derivation, mot_de_passe: &str) {
    let _ = derivation
        .pbkdf2_sha256(mot_de_passe.as_bytes(), &[0u8; 16], ITERATIONS)
        .await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;

    /// A stand-in that is not PBKDF2 but keeps its shape (salted, iteration-dependent).
    struct Factice;

    #[async_trait(?Send)]
    impl Derivation for Factice {
        async fn pbkdf2_sha256(
            &self,
            mot_de_passe: &[u8],
            sel: &[u8],
            iterations: u32,
        ) -> Result<[u8; LONGUEUR], String> {
            use sha2::{Digest, Sha256};
            let mut h = Sha256::new();
            h.update(mot_de_passe);
            h.update(sel);
            h.update(iterations.to_be_bytes());
            Ok(h.finalize().into())
        }
    }

    #[test]
    fn a_hash_keeps_its_parameters_and_only_the_right_password_matches() {
        let e = block_on(hacher(&Factice, "correct horse 42", [9; 16])).unwrap();
        assert_eq!(e.algorithme, "pbkdf2-sha256");
        assert_eq!(e.iterations, 100_000);
        assert_eq!(e.sel, "09".repeat(16));
        assert!(block_on(verifier(&Factice, "correct horse 42", &e)).unwrap());
        assert!(!block_on(verifier(&Factice, "correct horse 43", &e)).unwrap());
        assert!(!e.a_renforcer());
    }

    #[test]
    fn the_same_password_with_two_salts_gives_two_hashes() {
        let a = block_on(hacher(&Factice, "motdepasse1", [1; 16])).unwrap();
        let b = block_on(hacher(&Factice, "motdepasse1", [2; 16])).unwrap();
        assert_ne!(a.hash, b.hash);
    }

    #[test]
    fn a_cheaper_or_unknown_hash_is_to_be_strengthened_and_columns_must_all_be_there() {
        let e =
            Empreinte::depuis_colonnes(Some("pbkdf2-sha256"), Some(10_000), Some("00"), Some("11"))
                .unwrap();
        assert!(e.a_renforcer());
        assert!(Empreinte::depuis_colonnes(None, Some(1), Some("00"), Some("11")).is_none());
        assert!(Empreinte::depuis_colonnes(Some("x"), Some(-1), Some("00"), Some("11")).is_none());
        let inconnu = Empreinte {
            algorithme: "md5".into(),
            ..e
        };
        assert!(!block_on(verifier(&Factice, "x", &inconnu)).unwrap());
    }
}
