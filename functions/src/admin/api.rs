//! The admin's API (`Authorization: Bearer` of an admin).

use serde_json::json;

use booking_shared::comptes::Role;
use booking_shared::store::admin;

use super::operations;
use crate::api::ok;
use crate::app::Ctx;
use crate::comptes::{exiger_api, Connecte};
use crate::http::{Request, Response};
use crate::problem::Problem;

async fn entrer(ctx: &Ctx<'_>, req: &Request) -> Result<Connecte, Response> {
    exiger_api(ctx, req, &[Role::Admin])
        .await
        .map_err(|r| r.reponse_api())
}

fn filtre(req: &Request) -> Option<String> {
    req.query_param("vertical").filter(|v| !v.is_empty())
}

pub async fn professionnels(ctx: &Ctx<'_>, req: &Request) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    match admin::professionnels(ctx.db, filtre(req).as_deref()).await {
        Ok(p) => ok(200, &json!({ "professionnels": p })),
        Err(e) => Problem::internal(e).into_response(),
    }
}

pub async fn publier(ctx: &Ctx<'_>, req: &Request, id: &str, public: bool) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    match operations::publier(ctx, id, public).await {
        Ok(()) => ok(
            200,
            &json!({ "id": id.parse::<i64>().unwrap_or(0), "public": public }),
        ),
        Err(e) => e.problem().into_response(),
    }
}

pub async fn vertical(ctx: &Ctx<'_>, req: &Request, slug: &str) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    match operations::document(ctx, slug).await {
        Ok(d) => Response::new(200, "application/json", d).with_header("cache-control", "no-store"),
        Err(e) => e.problem().into_response(),
    }
}

pub async fn modifier_vertical(ctx: &Ctx<'_>, req: &Request, slug: &str) -> Response {
    let connecte = match entrer(ctx, req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let media = req
        .header("content-type")
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media != "application/json" {
        return Problem::new(
            415,
            "type_de_contenu_non_supporte",
            "Le corps de la requête doit être du JSON (Content-Type: application/json).",
        )
        .into_response();
    }
    let texte = String::from_utf8_lossy(&req.body).into_owned();
    match operations::modifier_vertical(ctx, slug, &texte, connecte.id()).await {
        Ok(config) => ok(
            200,
            &json!({ "slug": config.slug(), "valide": true, "historise": true }),
        ),
        Err(e) => e.problem().into_response(),
    }
}

pub async fn reservations(ctx: &Ctx<'_>, req: &Request) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    let limite = req
        .query_param("limite")
        .and_then(|l| l.parse::<i64>().ok())
        .unwrap_or(200)
        .clamp(1, 1000);
    match admin::reservations(ctx.db, filtre(req).as_deref(), limite).await {
        Ok(r) => ok(200, &json!({ "reservations": r })),
        Err(e) => Problem::internal(e).into_response(),
    }
}
