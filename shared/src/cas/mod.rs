//! The use cases: one function per thing a user (or Stripe, or the scheduled job) does,
//! over [`Ports`], returning typed results and typed errors. The Worker only adapts HTTP
//! to them: it parses a request into their input, calls them, and renders what they
//! return as a page or a problem.

pub mod admin;
pub mod agendas;
pub mod approbation;
pub mod avis;
pub mod comptes;
pub mod cron;
pub mod donnees;
pub mod espace_pro;
pub mod liste_attente;
pub mod membres;
pub mod notifications;
pub mod paiements;
pub mod prochaine_dispo;
pub mod reservations;

use crate::comptes::mot_de_passe::Derivation;
use crate::ports::{Clock, ConfigStore, Http, Log, Random};
use crate::securite::{Cles, Secret};
use crate::store::Db;

/// What a use case may reach: storage, time, randomness, outgoing HTTP, the log, and the
/// settings of the external services (keys are [`Secret`]s: `Debug` never shows them).
pub struct Ports<'a> {
    pub db: &'a dyn Db,
    /// The vertical documents (KV in the Worker).
    pub config: &'a dyn ConfigStore,
    pub clock: &'a dyn Clock,
    pub random: &'a dyn Random,
    pub http: &'a dyn Http,
    pub log: &'a dyn Log,
    /// PBKDF2 for passwords (WebCrypto in the Worker).
    pub derivation: &'a dyn Derivation,
    /// Stripe's API, e.g. `https://api.stripe.com`.
    pub stripe_api_base: &'a str,
    pub stripe_secret_key: &'a Secret,
    /// The mail provider's API.
    pub mail_api_base: &'a str,
    pub mail_api_key: &'a Secret,
    /// The sender of every e-mail.
    pub mail_from: &'a str,
    /// The keys derived from the master secret.
    pub cles: Cles,
    /// The `host:port` of local stand-ins an external calendar may be fetched from
    /// (local development only; empty in production).
    pub agendas_locaux: &'a [String],
}
