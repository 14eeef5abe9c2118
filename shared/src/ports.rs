//! What the domain needs from the platform, as traits: time and stored configuration.
//! The Worker implements them over Cloudflare; tests implement them in memory.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub trait Clock {
    fn now(&self) -> DateTime<Utc>;
}

/// The raw vertical documents (one JSON document per vertical, KV in production).
#[async_trait(?Send)]
pub trait ConfigStore {
    /// Every stored vertical document, as (key, raw JSON).
    async fn vertical_documents(&self) -> Result<Vec<(String, String)>, String>;

    /// Whether the store answers at all (for `/healthz`).
    async fn ping(&self) -> Result<(), String>;
}

/// The key under which a vertical's document is stored in KV.
pub fn vertical_key(slug: &str) -> String {
    format!("{VERTICAL_KEY_PREFIX}{slug}")
}

pub const VERTICAL_KEY_PREFIX: &str = "vertical:";

/// Randomness, for ids and secrets (the Worker asks the platform's CSPRNG).
pub trait Aleatoire {
    fn octets(&self) -> [u8; 16];
}
