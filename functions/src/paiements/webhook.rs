//! `POST /webhooks/stripe`: the only thing that fulfils a payment.
//!
//! The raw body is checked against `Stripe-Signature` first (400 and nothing changes
//! when it does not match); then the event goes to its use case
//! (`booking_shared::cas::paiements::traiter_evenement`). An internal failure answers 5xx
//! so that Stripe delivers it again.

use serde_json::json;

use booking_shared::cas::paiements::{traiter_evenement, EchecEvenement, IssueEvenement};
use booking_shared::stripe::{lire_evenement, verifier_signature, Evenement};

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::problem::Problem;

/// One line per event. An anomaly's says what did not match: Stripe ids, amounts and
/// currencies only, no personal data.
fn journal(evenement: &Evenement, issue: &IssueEvenement) {
    let mut ligne = json!({
        "niveau": "info",
        "evenement": "webhook_stripe",
        "id": evenement.id,
        "type": evenement.nom,
        "issue": issue.code(),
    });
    if let IssueEvenement::Anomalie(a) = issue {
        ligne["niveau"] = json!("avertissement");
        ligne["raison"] = json!(a.raison.code());
        ligne["session"] = json!(a.session_id);
        ligne["charge"] = json!(a.charge_id);
        ligne["payment_intent"] = json!(a.payment_intent_id);
        ligne["paiement"] = json!(a.paiement_id);
        ligne["montant_recu"] = json!(a.montant_recu);
        ligne["montant_attendu"] = json!(a.montant_attendu);
        ligne["currency_recue"] = json!(a.currency_recue);
        ligne["currency_attendue"] = json!(a.currency_attendue);
    }
    crate::log::line(ligne);
}

pub async fn recevoir(ctx: &Ctx<'_>, req: &Request) -> Response {
    let maintenant = ctx.clock.now().timestamp();
    if let Err(refus) = verifier_signature(
        &req.body,
        req.header("stripe-signature"),
        ctx.settings.stripe_webhook_secret.expose(),
        maintenant,
    ) {
        crate::log::line(
            booking_shared::objet!({ "niveau": "avertissement", "evenement": "webhook_stripe_refuse", "cause": refus.to_string() }),
        );
        return Problem::new(
            400,
            "signature_invalide",
            "La signature Stripe de cette requête est absente ou invalide.",
        )
        .into_response();
    }
    let evenement = match lire_evenement(&req.body) {
        Ok(evenement) => evenement,
        Err(erreur) => {
            crate::log::line(
                booking_shared::objet!({ "niveau": "avertissement", "evenement": "webhook_stripe_illisible", "cause": erreur.to_string() }),
            );
            return Problem::new(
                400,
                "evenement_illisible",
                "Cet événement Stripe est illisible.",
            )
            .into_response();
        }
    };
    let verticals = ctx.toutes_verticals().await;
    let issue = match traiter_evenement(&ctx.ports(), &verticals, &evenement).await {
        Ok(issue) => issue,
        Err(EchecEvenement::DejaTraite) => IssueEvenement::Traite("deja_traite"),
        Err(EchecEvenement::Interne(detail)) => {
            return Problem::internal(format!(
                "webhook {} ({}) : {detail}",
                evenement.id, evenement.nom
            ))
            .into_response()
        }
    };
    journal(&evenement, &issue);
    let mut corps = booking_shared::objet!({ "recu": true, "issue": issue.code() });
    if let IssueEvenement::Anomalie(a) = &issue {
        corps["raison"] = json!(a.raison.code());
    }
    Response::json(200, &corps)
}
