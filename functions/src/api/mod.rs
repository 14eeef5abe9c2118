//! The JSON API, `/api/v1`: problem+json errors with a stable code, a field and a French
//! message.

pub mod creneaux;
pub mod professionnels;
pub mod reservations;

use crate::router::{Params, Route, RouteId};

use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde_json::Value;

use booking_shared::vertical::VerticalConfig;

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::problem::Problem;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiRoute {
    OpenApi,
    Professionnels,
    Professionnel,
    Creneaux,
    Reserver,
    Confirmer,
    Reservation,
    Annuler,
    Deplacer,
}

const fn api(id: ApiRoute) -> RouteId {
    RouteId::Api(id)
}

pub const ROUTES: &[Route] = &[
    Route::get("/api/v1/openapi.json", api(ApiRoute::OpenApi)),
    Route::get("/api/v1/professionnels", api(ApiRoute::Professionnels)),
    Route::get(
        "/api/v1/professionnels/{slug}",
        api(ApiRoute::Professionnel),
    ),
    Route::get(
        "/api/v1/professionnels/{slug}/creneaux",
        api(ApiRoute::Creneaux),
    ),
    Route::post("/api/v1/reservations", api(ApiRoute::Reserver)),
    Route::get("/api/v1/reservations/{id}", api(ApiRoute::Reservation)),
    Route::post(
        "/api/v1/reservations/{id}/confirmer",
        api(ApiRoute::Confirmer),
    ),
    Route::post("/api/v1/reservations/{id}/annuler", api(ApiRoute::Annuler)),
    Route::post(
        "/api/v1/reservations/{id}/deplacer",
        api(ApiRoute::Deplacer),
    ),
];

pub async fn dispatch(ctx: &Ctx<'_>, req: &Request, id: ApiRoute, params: &Params) -> Response {
    let result = match id {
        ApiRoute::OpenApi => Ok(openapi()),
        ApiRoute::Professionnels => professionnels::lister(ctx, req).await,
        ApiRoute::Professionnel => professionnels::detail(ctx, req, params).await,
        ApiRoute::Creneaux => creneaux::lister(ctx, req, params).await,
        ApiRoute::Reserver => reservations::creer(ctx, req).await,
        ApiRoute::Confirmer => reservations::confirmer(ctx, req, params).await,
        ApiRoute::Reservation => reservations::lire(ctx, req, params).await,
        ApiRoute::Annuler => reservations::annuler(ctx, req, params).await,
        ApiRoute::Deplacer => reservations::deplacer(ctx, req, params).await,
    };
    result.unwrap_or_else(Problem::into_response)
}

/// The OpenAPI 3.1 description of the whole JSON API (kept true by a test that checks
/// it against the router and against real responses).
pub const OPENAPI: &str = include_str!("openapi.json");

fn openapi() -> Response {
    Response::new(200, "application/json", OPENAPI)
        .with_header("cache-control", "public, max-age=3600")
}

/// Largest JSON body accepted.
pub const CORPS_MAX: usize = 64 * 1024;

/// The vertical of the request's host; the API exists only on a vertical's domain.
pub async fn vertical(ctx: &Ctx<'_>, req: &Request) -> Result<Rc<VerticalConfig>, Problem> {
    ctx.vertical_for(req).await.ok_or_else(|| {
        Problem::new(
            404,
            "vertical_inconnu",
            "Ce domaine ne correspond à aucun site de réservation.",
        )
    })
}

/// Reads a JSON body into `T`: 415 for another content type, 413 when too large, 400 when
/// it is not JSON, 422 naming the field when a value has the wrong type or is missing.
pub fn corps_json<T: DeserializeOwned>(req: &Request) -> Result<T, Problem> {
    let content_type = req.header("content-type").unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("application/json") {
        return Err(Problem::new(
            415,
            "type_de_contenu_non_supporte",
            "Le corps de la requête doit être du JSON (Content-Type: application/json).",
        ));
    }
    if req.body.len() > CORPS_MAX {
        return Err(Problem::new(
            413,
            "corps_trop_volumineux",
            "Le corps de la requête est trop volumineux.",
        ));
    }
    let value: Value = serde_json::from_slice(&req.body).map_err(|_| {
        Problem::new(
            400,
            "json_invalide",
            "Le corps de la requête n'est pas un JSON valide.",
        )
    })?;
    if !value.is_object() {
        return Err(Problem::new(
            400,
            "json_invalide",
            "Le corps de la requête doit être un objet JSON.",
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let champ = e.path().to_string();
        let detail = e.inner().to_string();
        let message = if detail.starts_with("missing field") {
            format!(
                "Le champ « {} » est obligatoire.",
                manquant(&detail).unwrap_or(&champ)
            )
        } else if detail.starts_with("unknown field") {
            format!("Le champ « {champ} » n'est pas reconnu.")
        } else {
            format!("Le champ « {champ} » n'a pas le bon type.")
        };
        let champ = if detail.starts_with("missing field") {
            manquant(&detail).map(str::to_owned).unwrap_or(champ)
        } else {
            champ
        };
        Problem::new(422, "type_invalide", message).on_field(champ)
    })
}

/// The field named in serde's "missing field `x`".
fn manquant(detail: &str) -> Option<&str> {
    detail.split('`').nth(1)
}

pub fn ok(status: u16, value: &Value) -> Response {
    Response::json(status, value).with_header("cache-control", "no-store")
}

pub fn parametre_invalide(champ: &str, message: impl Into<String>) -> Problem {
    Problem::new(422, "parametre_invalide", message).on_field(champ)
}
