//! Payments: Stripe Checkout and its webhook.

use booking_shared::vertical::VerticalConfig;

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::reservations::{Creee, Dossier, ErreurReservation};
use crate::router::{Params, Route};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaiementRoute {}

pub const ROUTES: &[Route] = &[];

pub async fn dispatch(
    _ctx: &Ctx<'_>,
    _req: &Request,
    id: PaiementRoute,
    _params: &Params,
) -> Response {
    match id {}
}

/// Starts the online payment of a booking just made, when one is due: creates the
/// Stripe Checkout Session and returns the URL to send the client to (`None` when
/// nothing is due online).
pub async fn demarrer_paiement(
    _ctx: &Ctx<'_>,
    _vertical: &VerticalConfig,
    _req: &Request,
    _creee: &Creee,
) -> Result<Option<String>, ErreurReservation> {
    Ok(None)
}

/// After a client's cancellation: refunds what was paid when the cancellation is inside
/// the free-cancellation window (`remboursable`); otherwise the vertical's policy applies
/// and nothing is refunded. Never fails the cancellation itself.
pub async fn apres_annulation(
    _ctx: &Ctx<'_>,
    _vertical: &VerticalConfig,
    _dossier: &Dossier,
    _remboursable: bool,
) {
}
