//! Delivery of the due outbox rows: claim, render, send, record.

use chrono::{DateTime, Duration, Utc};

use crate::store::outbox::{self, Message};
use crate::store::Statement;

use super::mail::{self, Issue};
use super::rendu::{self, Decision};
use super::Passage;

/// How long a run owns the rows it claimed: less than the 5 minutes between runs, so
/// that rows left by a run that died are retried by the next one.
pub const BAIL_SECONDES: i64 = 240;
/// Rows handled per run (the rest wait for the next run).
const LIMITE: u32 = 50;
/// After this many failed attempts a message is given up (`abandonne`), its last error kept.
pub const MAX_TENTATIVES: i64 = 8;
/// Retries wait 5 min, 10, 20, 40… up to this.
const ATTENTE_MAX_MINUTES: i64 = 6 * 60;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Bilan {
    pub reclames: usize,
    pub envoyes: usize,
    pub reportes: usize,
    pub annules: usize,
    pub echecs: usize,
    pub abandonnes: usize,
    pub derniere_erreur: Option<String>,
}

/// When to try again after `tentatives` failed attempts, or None to give up.
pub fn prochain_essai(maintenant: DateTime<Utc>, tentatives: i64) -> Option<DateTime<Utc>> {
    if tentatives >= MAX_TENTATIVES {
        return None;
    }
    let puissance = u32::try_from(tentatives.clamp(1, 20) - 1).unwrap_or(0);
    let minutes = (5_i64.saturating_mul(2_i64.saturating_pow(puissance))).min(ATTENTE_MAX_MINUTES);
    Some(maintenant + Duration::minutes(minutes))
}

fn jeton_de_run(ctx: &Passage<'_>) -> String {
    hex::encode(ctx.ports.random.octets())
}

pub async fn envoyer_dus(ctx: &Passage<'_>, maintenant: DateTime<Utc>) -> Bilan {
    let mut bilan = Bilan::default();
    let jeton = jeton_de_run(ctx);
    let messages =
        match outbox::reclamer(ctx.ports.db, &jeton, maintenant, BAIL_SECONDES, LIMITE).await {
            Ok(messages) => messages,
            Err(e) => {
                bilan.derniere_erreur = Some(format!("réclamation : {e}"));
                return bilan;
            }
        };
    bilan.reclames = messages.len();
    for message in &messages {
        let suite = traiter(ctx, message, &jeton, maintenant, &mut bilan).await;
        if let Err(e) = ctx.ports.db.query(suite).await {
            bilan.derniere_erreur = Some(format!("{} : enregistrement : {e}", message.cle));
        }
    }
    bilan
}

/// Handles one claimed row and returns the statement that records the outcome.
async fn traiter(
    ctx: &Passage<'_>,
    message: &Message,
    jeton: &str,
    maintenant: DateTime<Utc>,
    bilan: &mut Bilan,
) -> Statement {
    let decision = rendu::preparer(ctx, message, maintenant).await;
    let erreur = match decision {
        Ok(Decision::Annuler(raison)) => {
            bilan.annules += 1;
            return outbox::marquer_annule(message.id, jeton, raison);
        }
        Ok(Decision::Reporter(a)) => {
            bilan.reportes += 1;
            return outbox::reporter(message.id, jeton, a);
        }
        Ok(Decision::Envoyer(courrier)) => {
            match mail::envoyer(ctx, &message.cle, &courrier).await {
                Issue::Envoye => {
                    bilan.envoyes += 1;
                    return outbox::marquer_envoye(message.id, jeton, maintenant);
                }
                Issue::Echec(erreur) => erreur,
            }
        }
        Err(erreur) => erreur,
    };
    let tentatives = message.tentatives.saturating_add(1);
    let prochain = prochain_essai(maintenant, tentatives);
    if prochain.is_some() {
        bilan.echecs += 1;
    } else {
        bilan.abandonnes += 1;
    }
    bilan.derniere_erreur = Some(format!("{} : {erreur}", message.cle));
    outbox::marquer_echec(message.id, jeton, &erreur, prochain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_and_stop_after_the_last_attempt() {
        let t = DateTime::<Utc>::UNIX_EPOCH;
        let minutes = |n| prochain_essai(t, n).map(|a| (a - t).num_minutes());
        assert_eq!(minutes(1), Some(5));
        assert_eq!(minutes(2), Some(10));
        assert_eq!(minutes(3), Some(20));
        assert_eq!(minutes(7), Some(320));
        assert_eq!(minutes(MAX_TENTATIVES), None);
    }
}
