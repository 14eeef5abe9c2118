//! Per-vertical assets: the theme's CSS variables and robots.txt.

use booking_shared::render::theme_css;

use super::{erreurs, site_for};
use crate::app::Ctx;
use crate::http::{Request, Response};

pub async fn theme(ctx: &Ctx<'_>, req: &Request) -> Response {
    match ctx.vertical_for(req).await {
        Some(vertical) => Response::new(200, "text/css; charset=utf-8", theme_css(&vertical))
            .with_header("cache-control", "public, max-age=300"),
        None => Response::new(200, "text/css; charset=utf-8", ""),
    }
}

pub async fn robots(ctx: &Ctx<'_>, req: &Request) -> Response {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return erreurs::introuvable(ctx, req).await;
    };
    let site = site_for(&vertical, req);
    let body = format!(
        "User-agent: *\nAllow: /\nDisallow: /reservations/\nDisallow: /espace-pro/\nDisallow: /admin/\nSitemap: {}\n",
        site.url("/sitemap.xml")
    );
    Response::new(200, "text/plain; charset=utf-8", body)
        .with_header("cache-control", "public, max-age=3600")
}
