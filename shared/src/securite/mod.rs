//! Security primitives that need no platform: CSRF tokens.

pub mod csrf;
