//! Payments: Stripe Checkout and its webhook.

use crate::app::Ctx;
use crate::http::{Request, Response};
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
