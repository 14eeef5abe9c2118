//! Reviews: the form a client reaches from the review request e-mail (one review per
//! completed booking).

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::router::{Params, Route};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AvisRoute {}

pub const ROUTES: &[Route] = &[];

pub async fn dispatch(_ctx: &Ctx<'_>, _req: &Request, id: AvisRoute, _params: &Params) -> Response {
    match id {}
}
