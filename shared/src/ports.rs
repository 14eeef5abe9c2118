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

/// A download of a document that is not ours (a professional's calendar): the status,
/// the headers (names in lower case) and at most the limit's worth of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Telechargement {
    pub status: u16,
    pub entetes: Vec<(String, String)>,
    pub corps: Vec<u8>,
    /// The body went on past the limit: reading stopped there.
    pub tronque: bool,
}

impl Telechargement {
    pub fn entete(&self, nom: &str) -> Option<&str> {
        self.entetes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(nom))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a download gave no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EchecTelechargement {
    /// No complete answer within the delay.
    Delai,
    /// No answer at all (name unknown, connection refused, TLS…).
    Reseau(String),
}

/// Outgoing HTTP: `fetch` in the Worker, a recorder or the local stand-ins in tests.
/// `Err` means no answer at all (network failure, timeout).
#[async_trait(?Send)]
pub trait Http {
    async fn envoyer(&self, requete: RequeteSortante) -> Result<ReponseEntrante, String>;

    /// A GET that does not follow redirects (the caller checks where one goes), stops
    /// reading the body past `limite` bytes and gives up after `delai_secondes`.
    async fn telecharger(
        &self,
        requete: RequeteSortante,
        limite: usize,
        delai_secondes: u32,
    ) -> Result<Telechargement, EchecTelechargement>;
}

/// One line per event, as JSON, to the runtime's log (Workers Logs in the Worker): what a
/// use case notes without failing (a refund to retry by hand, a slot released).
pub trait Log {
    fn ligne(&self, ligne: serde_json::Value);
}
