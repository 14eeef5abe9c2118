//! The scheduled job (every 5 minutes): what it does, in one single-step run.
//!
//! 1. Housekeeping, for every professional at once: holds past their end — unpaid, or a
//!    guest's request not confirmed from the e-mail — expire (slot released, payment
//!    `expire`, pending e-mails dropped); confirmed bookings that have ended become
//!    `terminee`, which lets their review request go out; the pseudonymised source of
//!    bookings that hold nothing any more is forgotten; old rate-limit counters go.
//! 2. Delivery: claims the due outbox rows, renders each e-mail from the booking's current
//!    data, sends it through the mail API, and records the outcome.
//! 3. Purges, a bounded number per table: rate-limit counters of long-past windows,
//!    processed Stripe events past 30 days, used or expired password-reset links, payment
//!    anomalies past a year (`store::menage`).
//!
//! Every change is guarded by the state it leaves, and rows are claimed atomically, so
//! runs that overlap, or run twice, change nothing twice. A run never panics and logs
//! one JSON line.

mod envoi;
mod mail;
mod rendu;

use serde_json::json;

use booking_shared::store::{menage, outbox};

use crate::app::Ctx;

pub use envoi::{Bilan, BAIL_SECONDES, MAX_TENTATIVES};

/// One run. Never panics; logs a one-line report. Does nothing, and logs which secret is
/// missing, when the deployment lacks a required secret.
pub async fn run(ctx: &Ctx<'_>) {
    if !crate::app::configuration_complete(ctx.settings, "cron") {
        return;
    }
    let maintenant = ctx.clock.now();
    let mut rapport = json!({ "evenement": "cron", "a": maintenant.to_rfc3339() });
    match ctx.db.batch(outbox::echeances(maintenant)).await {
        Ok(resultats) => {
            rapport["expirees"] = json!(resultats.first().map_or(0, Vec::len));
            rapport["terminees"] = json!(resultats.last().map_or(0, Vec::len));
        }
        Err(e) => {
            rapport["niveau"] = json!("erreur");
            rapport["erreur_echeances"] = json!(e.to_string());
        }
    }
    let bilan = envoi::envoyer_dus(ctx, maintenant).await;
    rapport["reclames"] = json!(bilan.reclames);
    rapport["envoyes"] = json!(bilan.envoyes);
    rapport["reportes"] = json!(bilan.reportes);
    rapport["annules"] = json!(bilan.annules);
    rapport["echecs"] = json!(bilan.echecs);
    rapport["abandonnes"] = json!(bilan.abandonnes);
    if let Some(erreur) = bilan.derniere_erreur {
        rapport["niveau"] = json!("erreur");
        rapport["derniere_erreur"] = json!(erreur);
    }
    match menage::purger(ctx.db, maintenant).await {
        Ok(purges) => {
            for (table, n) in purges {
                rapport[format!("purge_{table}")] = json!(n);
            }
        }
        Err(e) => {
            rapport["niveau"] = json!("erreur");
            rapport["erreur_purges"] = json!(e.to_string());
        }
    }
    crate::log::line(rapport);
}
