//! Security primitives that need no platform: CSRF tokens, the source key of rate limits.

pub mod csrf;
pub mod source;
