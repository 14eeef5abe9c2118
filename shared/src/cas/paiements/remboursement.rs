//! Refunds: on a client's cancellation inside the free-cancellation window, and for a
//! payment that arrives for a booking that can no longer be honoured.

use serde_json::json;

use crate::cas::notifications;
use crate::cas::reservations::Dossier;
use crate::cas::Ports;
use crate::render::format::euros;
use crate::store::paiements::{self, Paiement};
use crate::stripe::ParametresRemboursement;
use crate::types::{Centimes, StatutPaiement};
use crate::vertical::VerticalConfig;

use super::stripe_api::{self, ErreurStripe};

/// Refunds through Stripe's Refunds API what is left of the payment (`paiement.reste()`,
/// its amount less what was already refunded, e.g. from Stripe's dashboard), never more.
/// `None` when Stripe says it was all refunded already (a retry after a lost answer).
pub async fn rembourser_le_reste(
    ports: &Ports<'_>,
    paiement: &Paiement,
    payment_intent: &str,
) -> Result<Option<String>, ErreurStripe> {
    let params = ParametresRemboursement {
        payment_intent: payment_intent.to_owned(),
        reservation_id: paiement.reservation_id.to_string(),
        montant_centimes: paiement.reste().get(),
        deja_rembourse_centimes: paiement.montant_rembourse.get(),
    };
    match stripe_api::rembourser(ports, &params).await {
        Ok(refund) => Ok(Some(refund.id)),
        Err(ErreurStripe::Refus { code, .. }) if code == "charge_already_refunded" => Ok(None),
        Err(autre) => Err(autre),
    }
}

/// What became of the money after a client's cancellation: the cancel answer and page
/// tell the client which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueRemboursement {
    /// Nothing was paid online (no payment due, or not paid yet: the session is closed).
    AucunPaiement,
    /// Refunded: all that was left of the payment (`montant`) is given back.
    Rembourse { montant: Centimes },
    /// Cancelled outside the free-cancellation window: what was paid (less any earlier
    /// refund) is kept.
    NonRemboursable { montant: Centimes },
    /// Inside the window, but Stripe could not be reached: to be refunded by hand.
    EnAttente { montant: Centimes },
}

impl IssueRemboursement {
    /// Stable, for clients to branch on.
    pub fn code(&self) -> &'static str {
        match self {
            IssueRemboursement::AucunPaiement => "aucun_paiement",
            IssueRemboursement::Rembourse { .. } => "rembourse",
            IssueRemboursement::NonRemboursable { .. } => "non_remboursable",
            IssueRemboursement::EnAttente { .. } => "en_attente",
        }
    }

    pub fn montant_centimes(&self) -> Centimes {
        match self {
            IssueRemboursement::AucunPaiement => Centimes::ZERO,
            IssueRemboursement::Rembourse { montant }
            | IssueRemboursement::NonRemboursable { montant }
            | IssueRemboursement::EnAttente { montant } => *montant,
        }
    }

    /// For the client, in French.
    pub fn message(&self) -> String {
        match self {
            IssueRemboursement::AucunPaiement => "Aucun paiement n'avait été effectué : rien n'est débité.".into(),
            IssueRemboursement::Rembourse { montant } => format!(
                "Annulation dans le délai d'annulation gratuite : {} vous sont remboursés (sous 5 à 10 jours selon votre banque).",
                euros(montant.get())
            ),
            IssueRemboursement::NonRemboursable { montant } => format!(
                "Annulation hors du délai d'annulation gratuite : les {} réglés ne sont pas remboursés.",
                euros(montant.get())
            ),
            IssueRemboursement::EnAttente { montant } => format!(
                "Votre remboursement de {} est en cours de traitement : vous recevrez un e-mail dès qu'il sera effectué.",
                euros(montant.get())
            ),
        }
    }

    pub fn json(&self) -> serde_json::Value {
        json!({
            "statut": self.code(),
            "montant_centimes": self.montant_centimes(),
            "message": self.message(),
        })
    }
}

/// After a cancellation: refunds what was paid when the cancellation is inside the
/// free-cancellation window (`remboursable`); otherwise the vertical's policy applies and
/// nothing is refunded. An unpaid session is closed. Never fails the cancellation itself;
/// says what became of the money, for the client.
pub async fn apres_annulation(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    dossier: &Dossier,
    remboursable: bool,
) -> IssueRemboursement {
    let r = &dossier.reservation;
    let maintenant = ports.clock.now();
    let paiement = match paiements::dernier_de(ports.db, r.id.as_str()).await {
        Ok(Some(p)) => p,
        Ok(None) => return IssueRemboursement::AucunPaiement,
        Err(erreur) => {
            journal_erreur(ports, r.id.as_str(), &erreur.to_string());
            return IssueRemboursement::AucunPaiement;
        }
    };
    let reste = paiement.reste();
    match paiement.statut {
        StatutPaiement::EnAttente => {
            // Close the session so it can no longer be paid; a payment landing anyway
            // is refunded by the webhook.
            if let Some(session) = &paiement.stripe_checkout_session_id {
                let _ = stripe_api::expirer_session(ports, session).await;
            }
            if let Err(erreur) = paiements::abandonner(ports.db, paiement.id, maintenant).await {
                journal_erreur(ports, r.id.as_str(), &erreur.to_string());
            }
            IssueRemboursement::AucunPaiement
        }
        // Everything was refunded already (e.g. from Stripe's dashboard): nothing is left.
        StatutPaiement::Rembourse => IssueRemboursement::Rembourse {
            montant: paiement.montant_rembourse,
        },
        StatutPaiement::Paye if reste.est_nul() => IssueRemboursement::Rembourse {
            montant: paiement.montant_rembourse,
        },
        StatutPaiement::Paye if !remboursable => {
            IssueRemboursement::NonRemboursable { montant: reste }
        }
        StatutPaiement::Paye => {
            let Some(pi) = paiement.stripe_payment_intent_id.as_deref() else {
                journal_erreur(ports, r.id.as_str(), "paiement payé sans payment_intent");
                return IssueRemboursement::EnAttente { montant: reste };
            };
            let refund_id = match rembourser_le_reste(ports, &paiement, pi).await {
                Ok(id) => id,
                Err(erreur) => {
                    journal_erreur(ports, r.id.as_str(), &erreur.to_string());
                    return IssueRemboursement::EnAttente { montant: reste };
                }
            };
            let suite = notifications::remboursement(ports, vertical, dossier, reste);
            if let Err(erreur) = paiements::rembourser(
                ports.db,
                None,
                paiement.id,
                refund_id.as_deref(),
                Some(pi),
                maintenant,
                suite,
            )
            .await
            {
                // Refunded at Stripe: charge.refunded will mark the payment.
                journal_erreur(ports, r.id.as_str(), &erreur.to_string());
            }
            IssueRemboursement::Rembourse { montant: reste }
        }
        _ => IssueRemboursement::AucunPaiement,
    }
}

fn journal_erreur(ports: &Ports<'_>, reservation_id: &str, detail: &str) {
    ports.log.ligne(crate::objet!({
        "niveau": "erreur",
        "evenement": "remboursement_annulation",
        "reservation": reservation_id,
        "erreur": detail,
    }));
}
