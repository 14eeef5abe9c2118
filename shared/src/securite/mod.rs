//! Security primitives that need no platform: the deployment's secrets and the keys
//! derived from them, CSRF tokens, link cookies, the source key of rate limits,
//! pseudonyms of counted personal data.

pub mod cles;
pub mod csrf;
pub mod empreinte;
pub mod lien;
pub mod secret;
pub mod source;

pub use cles::Cles;
pub use secret::Secret;
