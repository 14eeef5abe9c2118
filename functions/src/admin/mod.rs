//! The admin (role `admin`): professionals per vertical, publication, vertical
//! configuration (validated before it is accepted), bookings and payments — as pages
//! (session cookie, CSRF on every form) and as API (`Authorization: Bearer`).

mod api;
mod pages;

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::router::{Params, Route, RouteId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminRoute {
    Accueil,
    Publier,
    Depublier,
    Vertical,
    ModifierVertical,
    Reservations,
    ApiProfessionnels,
    ApiPublier,
    ApiDepublier,
    ApiVertical,
    ApiModifierVertical,
    ApiReservations,
}

const fn a(id: AdminRoute) -> RouteId {
    RouteId::Admin(id)
}

pub const ROUTES: &[Route] = &[
    Route::get("/admin", a(AdminRoute::Accueil)),
    Route::post("/admin/professionnels/{id}/publier", a(AdminRoute::Publier)),
    Route::post(
        "/admin/professionnels/{id}/depublier",
        a(AdminRoute::Depublier),
    ),
    Route::get("/admin/verticaux/{slug}", a(AdminRoute::Vertical)),
    Route::post("/admin/verticaux/{slug}", a(AdminRoute::ModifierVertical)),
    Route::get("/admin/reservations", a(AdminRoute::Reservations)),
    Route::get(
        "/api/v1/admin/professionnels",
        a(AdminRoute::ApiProfessionnels),
    ),
    Route::post(
        "/api/v1/admin/professionnels/{id}/publier",
        a(AdminRoute::ApiPublier),
    ),
    Route::post(
        "/api/v1/admin/professionnels/{id}/depublier",
        a(AdminRoute::ApiDepublier),
    ),
    Route::get("/api/v1/admin/verticaux/{slug}", a(AdminRoute::ApiVertical)),
    Route::post(
        "/api/v1/admin/verticaux/{slug}",
        a(AdminRoute::ApiModifierVertical),
    ),
    Route::get("/api/v1/admin/reservations", a(AdminRoute::ApiReservations)),
];

pub async fn dispatch(ctx: &Ctx<'_>, req: &Request, id: AdminRoute, params: &Params) -> Response {
    let param = |n: &str| params.get(n).unwrap_or("").to_owned();
    use AdminRoute as A;
    match id {
        A::Accueil => pages::accueil(ctx, req).await,
        A::Publier => pages::publier(ctx, req, &param("id"), true).await,
        A::Depublier => pages::publier(ctx, req, &param("id"), false).await,
        A::Vertical => pages::vertical(ctx, req, &param("slug")).await,
        A::ModifierVertical => pages::modifier_vertical(ctx, req, &param("slug")).await,
        A::Reservations => pages::reservations(ctx, req).await,
        A::ApiProfessionnels => api::professionnels(ctx, req).await,
        A::ApiPublier => api::publier(ctx, req, &param("id"), true).await,
        A::ApiDepublier => api::publier(ctx, req, &param("id"), false).await,
        A::ApiVertical => api::vertical(ctx, req, &param("slug")).await,
        A::ApiModifierVertical => api::modifier_vertical(ctx, req, &param("slug")).await,
        A::ApiReservations => api::reservations(ctx, req).await,
    }
}
