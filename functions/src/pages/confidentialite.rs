//! `GET /confidentialite`: the vertical's privacy policy (`render::ConfidentialitePage`).

use askama::Template;

use booking_shared::render::{ConfidentialitePage, Seo};

use super::{cache, erreurs, site_for};
use crate::app::Ctx;
use crate::http::{Request, Response};

pub async fn confidentialite(ctx: &Ctx<'_>, req: &Request) -> Response {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return erreurs::introuvable(ctx, req).await;
    };
    let site = site_for(&vertical, req);
    let seo = Seo::page(
        &site,
        "Politique de confidentialité",
        "Quelles données nous traitons quand vous réservez, pourquoi, qui les traite, combien de temps, et vos droits.",
        "/confidentialite",
    );
    let page = ConfidentialitePage::new(&site, seo, &vertical, &ctx.settings.mail_api_base);
    cache::publique(
        req,
        erreurs::rendered(page.render(), Some(&site), 200),
        3600,
    )
}
