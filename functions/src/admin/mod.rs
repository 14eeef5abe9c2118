//! The admin: professionals per vertical, publication, vertical configuration, bookings and payments.

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::router::{Params, Route};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminRoute {}

pub const ROUTES: &[Route] = &[];

pub async fn dispatch(
    _ctx: &Ctx<'_>,
    _req: &Request,
    id: AdminRoute,
    _params: &Params,
) -> Response {
    match id {}
}
