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
