//! `GET /healthz`: the version, and whether D1 and KV answer.

use serde_json::json;

use crate::app::Ctx;
use crate::http::Response;

pub async fn healthz(ctx: &Ctx<'_>) -> Response {
    let d1 = booking_shared::store::repond(ctx.db).await;
    let kv = ctx.config.ping().await;
    let healthy = d1.is_ok() && kv.is_ok();
    let body = json!({
        "statut": if healthy { "ok" } else { "degrade" },
        "version": ctx.settings.version,
        "d1": d1.is_ok(),
        "kv": kv.is_ok(),
    });
    if let Err(e) = &d1 {
        crate::log::line(
            booking_shared::objet!({ "niveau": "erreur", "evenement": "healthz_d1", "erreur": e.to_string() }),
        );
    }
    if let Err(e) = &kv {
        crate::log::line(json!({ "niveau": "erreur", "evenement": "healthz_kv", "erreur": e }));
    }
    Response::json(if healthy { 200 } else { 503 }, &body).with_header("cache-control", "no-store")
}
