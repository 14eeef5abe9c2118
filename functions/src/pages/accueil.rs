//! `GET /`: the vertical's home page, or the neutral portal for an unknown host.

use askama::Template;

use booking_shared::render::{AccueilPage, PortailPage, VerticalLien};
use booking_shared::store::professionnels;

use super::erreurs::{self, ErreurPage};
use super::site_for;
use crate::app::Ctx;
use crate::http::{Request, Response};

pub async fn accueil(ctx: &Ctx<'_>, req: &Request) -> Result<Response, ErreurPage> {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return Ok(portail(ctx, req).await);
    };
    let site = site_for(&vertical, req);
    let (nombre_professionnels, villes) =
        professionnels::vitrine(ctx.db, vertical.slug(), 12).await?;
    let page = AccueilPage {
        titre: format!("{} — {}", site.nom, site.textes.accroche()),
        description: site.textes.description().to_owned(),
        canonical: site.url("/"),
        site: &site,
        nombre_professionnels,
        villes,
    };
    let html = erreurs::rendered(page.render(), Some(&site), 200);
    Ok(super::cache::publique(req, html, 60))
}

async fn portail(ctx: &Ctx<'_>, req: &Request) -> Response {
    let verticals = ctx
        .verticals
        .all(ctx.config, ctx.clock.now())
        .await
        .iter()
        .map(|v| {
            let site = site_for(v, req);
            VerticalLien {
                url: site.url("/"),
                nom: site.nom,
                accroche: site.textes.accroche().to_owned(),
                logo: site.logo,
            }
        })
        .collect();
    let page = PortailPage { verticals };
    erreurs::rendered(page.render(), None, 200).with_header("cache-control", "public, max-age=60")
}
