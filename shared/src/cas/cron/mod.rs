//! The scheduled job's steps (every 5 minutes), in one single-step run.
//!
//! 1. Housekeeping, for every professional at once: holds past their end — unpaid, or a
//!    guest's request not confirmed from the e-mail — expire (slot released, payment
//!    `expire`, pending e-mails dropped); confirmed bookings that have ended become
//!    `terminee`, which lets their review request go out; the pseudonymised source of
//!    bookings that hold nothing any more is forgotten; old rate-limit counters go.
//!    Then the waitlists (`cas::liste_attente`): entries whose window ended leave the
//!    line, and the lines of professionals with someone waiting are offered what is free
//!    now (slots released by the expiries above, offers let pass), a bounded number per
//!    run. Then the next free slot of the professionals it went stale or due for is
//!    computed again, a bounded number per run (`cas::prochaine_dispo::rattraper`).
//! 2. Delivery: claims the due outbox rows, renders each e-mail from the booking's current
//!    data, sends it through the mail API, and records the outcome.
//! 3. Purges, a bounded number per table: rate-limit counters of long-past windows,
//!    processed Stripe events past 30 days, used or expired password-reset links, payment
//!    anomalies past a year (`store::menage`).
//! 4. Retention (`cas::donnees`): the client details of appointments older than three
//!    years are anonymised, and e-mails done with for a year deleted, a bounded number
//!    per run.
//! 5. External calendars (`cas::agendas`): the calendars least recently tried are read,
//!    a bounded number per run, and their busy intervals replaced.
//!
//! Every change is guarded by the state it leaves, and rows are claimed atomically, so
//! runs that overlap, or run twice, change nothing twice. A run never panics; it
//! reports what it did as one JSON line, for the Worker to log.

mod envoi;
mod mail;
mod rendu;

pub(crate) use rendu::site_par_defaut;

use std::rc::Rc;

use serde_json::Value;

use crate::cas::Ports;
use crate::dates;
use crate::store::{menage, outbox};
use crate::vertical::VerticalConfig;

pub use envoi::{Bilan, BAIL_SECONDES, MAX_TENTATIVES};

/// What a run's steps reach: the ports, and the configured verticals (an e-mail is
/// written in its booking's own).
struct Passage<'a> {
    ports: &'a Ports<'a>,
    verticals: &'a [Rc<VerticalConfig>],
}

/// One run: the steps above, at the clock's time. Never panics; returns the run's
/// report.
pub async fn executer(ports: &Ports<'_>, verticals: &[Rc<VerticalConfig>]) -> Value {
    let ctx = Passage { ports, verticals };
    let maintenant = ports.clock.now();
    let mut rapport = crate::objet!({ "evenement": "cron", "a": dates::rfc3339(&maintenant) });
    match ports.db.batch(outbox::echeances(maintenant)).await {
        Ok(resultats) => {
            rapport["expirees"] = Value::from(resultats.first().map_or(0, Vec::len));
            rapport["terminees"] = Value::from(resultats.last().map_or(0, Vec::len));
        }
        Err(e) => {
            rapport["niveau"] = Value::from("erreur");
            rapport["erreur_echeances"] = Value::from(e.to_string());
        }
    }
    // Expired holds and offers freed slots: the waitlists get them before the e-mails go.
    match crate::cas::liste_attente::passage(ports, verticals).await {
        Ok((expirees, offres)) => {
            rapport["inscriptions_expirees"] = Value::from(expirees);
            rapport["offres_liste_attente"] = Value::from(offres);
        }
        Err(e) => {
            rapport["niveau"] = Value::from("erreur");
            rapport["erreur_liste_attente"] = Value::from(e.to_string());
        }
    }
    // After the expiries and the waitlists' offers above (which mark their professionals'
    // next free slot stale), and for those whose next free slot time has passed.
    match crate::cas::prochaine_dispo::rattraper(ports.db, verticals, maintenant).await {
        Ok(n) => rapport["prochaines_dispos"] = Value::from(n),
        Err(e) => {
            rapport["niveau"] = Value::from("erreur");
            rapport["erreur_prochaines_dispos"] = Value::from(e.to_string());
        }
    }
    let bilan = envoi::envoyer_dus(&ctx, maintenant).await;
    rapport["reclames"] = Value::from(bilan.reclames);
    rapport["envoyes"] = Value::from(bilan.envoyes);
    rapport["reportes"] = Value::from(bilan.reportes);
    rapport["annules"] = Value::from(bilan.annules);
    rapport["echecs"] = Value::from(bilan.echecs);
    rapport["abandonnes"] = Value::from(bilan.abandonnes);
    if let Some(erreur) = bilan.derniere_erreur {
        rapport["niveau"] = Value::from("erreur");
        rapport["derniere_erreur"] = Value::from(erreur);
    }
    match menage::purger(ports.db, maintenant).await {
        Ok(purges) => {
            for (table, n) in purges {
                rapport[format!("purge_{table}")] = Value::from(n);
            }
        }
        Err(e) => {
            rapport["niveau"] = Value::from("erreur");
            rapport["erreur_purges"] = Value::from(e.to_string());
        }
    }
    match crate::cas::donnees::conserver(ports).await {
        Ok((reservations, courriels)) => {
            rapport["anonymisees"] = Value::from(reservations);
            rapport["purge_courriels"] = Value::from(courriels);
        }
        Err(e) => {
            rapport["niveau"] = Value::from("erreur");
            rapport["erreur_conservation"] = Value::from(e.to_string());
        }
    }
    match crate::cas::agendas::synchroniser_dus(ports).await {
        Ok(bilan) => {
            rapport["agendas_lus"] = Value::from(bilan.lus);
            rapport["agendas_inchanges"] = Value::from(bilan.inchanges);
            rapport["agendas_echecs"] = Value::from(bilan.echecs);
        }
        Err(e) => {
            rapport["niveau"] = Value::from("erreur");
            rapport["erreur_agendas"] = Value::from(e.to_string());
        }
    }
    rapport
}
