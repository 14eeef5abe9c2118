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

    /// Writes one vertical's document (already validated by the caller).
    async fn ecrire_vertical(&self, slug: &str, json: &str) -> Result<(), String>;
}

/// The key under which a vertical's document is stored in KV.
pub fn vertical_key(slug: &str) -> String {
    format!("{VERTICAL_KEY_PREFIX}{slug}")
}

pub const VERTICAL_KEY_PREFIX: &str = "vertical:";

/// Randomness, for ids and secrets (the Worker asks the platform's CSPRNG).
pub trait Random {
    fn octets(&self) -> [u8; 16];
}

/// An HTTP request to an external service (Stripe, the mail provider).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequeteSortante {
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReponseEntrante {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Outgoing HTTP: `fetch` in the Worker, a recorder or the local stand-ins in tests.
/// `Err` means no answer at all (network failure, timeout).
#[async_trait(?Send)]
pub trait Http {
    async fn envoyer(&self, requete: RequeteSortante) -> Result<ReponseEntrante, String>;
}

/// One line per event, as JSON, to the runtime's log (Workers Logs in the Worker): what a
/// use case notes without failing (a refund to retry by hand, a slot released).
pub trait Log {
    fn ligne(&self, ligne: serde_json::Value);
}
