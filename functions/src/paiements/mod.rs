//! `POST /webhooks/stripe`: Stripe's events, read and checked here, applied by the
//! payment use cases (`booking_shared::cas::paiements`).

mod webhook;

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::router::{Params, Route, RouteId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaiementRoute {
    WebhookStripe,
}

pub const ROUTES: &[Route] = &[Route::post(
    "/webhooks/stripe",
    RouteId::Paiement(PaiementRoute::WebhookStripe),
)];

pub async fn dispatch(
    ctx: &Ctx<'_>,
    req: &Request,
    id: PaiementRoute,
    _params: &Params,
) -> Response {
    match id {
        PaiementRoute::WebhookStripe => webhook::recevoir(ctx, req).await,
    }
}
