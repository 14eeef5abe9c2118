//! Accounts: sign-up, sign-in, sign-out, password reset, the client's bookings.

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::router::{Params, Route};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompteRoute {}

pub const ROUTES: &[Route] = &[];

pub async fn dispatch(
    _ctx: &Ctx<'_>,
    _req: &Request,
    id: CompteRoute,
    _params: &Params,
) -> Response {
    match id {}
}
