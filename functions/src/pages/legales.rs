//! `GET /sitemap.xml`: every page of the site worth indexing.

use booking_shared::render::{sitemap_xml, url_ville};
use booking_shared::store::professionnels;

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
    let mut apres = 0;
    for _ in 0..100 {
        let lot = professionnels::listes_apres(ctx.db, vertical.slug(), apres, LOT).await?;
        urls.extend(
            lot.iter()
                .map(|p| site.url(&format!("/professionnels/{}", p.slug))),
        );
        match lot.last() {
            Some(dernier) if lot.len() == LOT as usize => apres = dernier.id,
            _ => break,
        }
    }
    // The cities' pages: every city with at least one listed professional, once per address
    // (two spellings of a city, with and without its accents, share one).
    let mut villes: Vec<String> = Vec::new();
    for ville in professionnels::vitrine(ctx.db, vertical.slug(), 1_000)
        .await?
        .1
    {
        let url = site.url(&url_ville(&ville));
        if !villes.contains(&url) {
            villes.push(url);
        }
    }
    urls.extend(villes);
    Ok(cache::publique(
        req,
        Response::new(200, "application/xml; charset=utf-8", sitemap_xml(&urls)),
        3600,
    ))
}
