//! Security primitives that need no platform: CSRF tokens, the source key of rate limits,
//! pseudonyms of counted personal data.

pub mod csrf;
pub mod empreinte;
pub mod source;
