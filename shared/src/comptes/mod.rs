//! Accounts, decided without the platform: password hashing (behind [`Derivation`], which
//! the Worker implements with WebCrypto and native code with a pure-Rust PBKDF2), session
//! claims, rate-limit rules and the validated inputs of sign-up, the professional's space
//! and the admin.

pub mod appareil;
pub mod approbation;
pub mod limites;
pub mod mot_de_passe;
pub mod saisies;
pub mod saisies_pro;
pub mod session;
pub mod vues;

pub use mot_de_passe::{Derivation, Empreinte};
pub use saisies::{Inscription, InscriptionBrute, MotDePasse, Role};
pub use session::Session;

use crate::vertical::ErreurChamp;

/// How long the link that proves a new account's address works.
pub const VERIFICATION_HEURES: i64 = 48;

/// A field error, the shape forms and problem+json share.
pub fn erreur_champ(champ: &str, code: &'static str, message: impl Into<String>) -> ErreurChamp {
    ErreurChamp {
        champ: champ.to_owned(),
        code,
        message: message.into(),
    }
}
