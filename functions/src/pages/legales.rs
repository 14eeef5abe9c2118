//! `GET /sitemap.xml`: every page of the site worth indexing.

use booking_shared::render::sitemap_xml;
use booking_shared::store::professionnels::{self, Filtres};

use super::erreurs::{self, ErreurPage};
use super::{cache, site_for};
use crate::app::Ctx;
use crate::http::{Request, Response};

/// Public professionals per sitemap query.
const LOT: u32 = 500;

pub async fn sitemap(ctx: &Ctx<'_>, req: &Request) -> Result<Response, ErreurPage> {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return Ok(erreurs::introuvable(ctx, req).await);
    };
    let site = site_for(&vertical, req);
    let mut urls: Vec<String> = ["/", "/recherche", "/confidentialite"]
        .into_iter()
        .chain(super::conditions::chemins(&vertical))
        .map(|p| site.url(p))
        .collect();
    let mut page = 1;
    loop {
        let (liste, total) = professionnels::rechercher(
            ctx.db,
            vertical.slug(),
            &Filtres::default(),
            (page, LOT),
            vertical.avis().actifs,
        )
        .await?;
        let fin = liste.is_empty() || i64::from(page) * i64::from(LOT) >= total;
        urls.extend(
            liste
                .iter()
                .map(|p| site.url(&format!("/professionnels/{}", p.slug))),
        );
        if fin || page >= 100 {
            break;
        }
        page += 1;
    }
    Ok(cache::publique(
        req,
        Response::new(200, "application/xml; charset=utf-8", sitemap_xml(&urls)),
        3600,
    ))
}
