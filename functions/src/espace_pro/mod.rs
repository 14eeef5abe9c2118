//! The professional's space: profile, services, hours, time off, agenda, calendar feed.

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::router::{Params, Route};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EspaceProRoute {}

pub const ROUTES: &[Route] = &[];

pub async fn dispatch(
    _ctx: &Ctx<'_>,
    _req: &Request,
    id: EspaceProRoute,
    _params: &Params,
) -> Response {
    match id {}
}
