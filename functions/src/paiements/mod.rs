//! Payments: Stripe Checkout when a booking is made, the webhook that fulfils it, and
//! refunds. Stripe is reached through the `Http` port (base URL and keys from the
//! settings), so the same code runs against Stripe, the local stand-in and the tests.

mod checkout;
mod remboursement;
mod stripe_api;
mod webhook;

use booking_shared::vertical::VerticalConfig;

use crate::app::Ctx;
use crate::http::Request;
use crate::reservations::{Creee, Dossier, ErreurReservation};

pub use checkout::lien_confirmation;
pub use remboursement::IssueRemboursement;
/// `POST /webhooks/stripe`: Stripe's events, proved by their signature.
pub use webhook::recevoir as webhook_stripe;

/// Starts the online payment of a booking just made, when one is due: creates the
/// Stripe Checkout Session and returns the URL to send the client to (`None` when
/// nothing is due online). When Stripe cannot open it, the booking is undone (its slot
/// released) and the error says so: `PaiementIndisponible` (503) or `PaiementRefuse` (502).
pub async fn demarrer_paiement(
    ctx: &Ctx<'_>,
    vertical: &VerticalConfig,
    req: &Request,
    creee: &Creee,
) -> Result<Option<String>, ErreurReservation> {
    checkout::demarrer(ctx, vertical, req, creee).await
}

/// After a client's cancellation: refunds what was paid when the cancellation is inside
/// the free-cancellation window (`remboursable`); otherwise the vertical's policy applies
/// and nothing is refunded. An unpaid session is closed. Never fails the cancellation
/// itself; says what became of the money, for the client.
pub async fn apres_annulation(
    ctx: &Ctx<'_>,
    vertical: &VerticalConfig,
    dossier: &Dossier,
    remboursable: bool,
) -> IssueRemboursement {
    remboursement::apres_annulation(ctx, vertical, dossier, remboursable).await
}
