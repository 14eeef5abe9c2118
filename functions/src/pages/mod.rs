//! The HTML pages of each vertical's site (and the neutral portal).

pub mod accueil;
pub mod erreurs;
mod site;
pub mod theme;

pub use site::site_for;

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::router::{Params, Route, RouteId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageRoute {
    Accueil,
    Theme,
    Robots,
}

const fn page(id: PageRoute) -> RouteId {
    RouteId::Page(id)
}

pub const ROUTES: &[Route] = &[
    Route::get("/", page(PageRoute::Accueil)),
    Route::get("/theme.css", page(PageRoute::Theme)),
    Route::get("/robots.txt", page(PageRoute::Robots)),
];

pub async fn dispatch(ctx: &Ctx<'_>, req: &Request, id: PageRoute, _params: &Params) -> Response {
    match id {
        PageRoute::Accueil => accueil::accueil(ctx, req).await,
        PageRoute::Theme => theme::theme(ctx, req).await,
        PageRoute::Robots => theme::robots(ctx, req).await,
    }
}
