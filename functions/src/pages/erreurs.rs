//! The 404 and 500 pages, in the vertical's look when the host is a vertical's.

use askama::Template;

use booking_shared::render::{ErreurPage, Site};

use super::site_for;
use crate::app::Ctx;
use crate::http::{Request, Response};

pub async fn introuvable(ctx: &Ctx<'_>, req: &Request) -> Response {
    let vertical = ctx.vertical_for(req).await;
    let site = vertical.as_ref().map(|v| site_for(v, req));
    let page = ErreurPage {
        site: site.as_ref(),
        statut: 404,
        titre: "Page introuvable".into(),
        message: "Cette page n'existe pas ou n'existe plus.".into(),
    };
    rendered(page.render(), site.as_ref(), 404)
}

/// A page for an error the client can act on (a wrong manage link…), in the vertical's look.
pub fn page(site: Option<&Site>, statut: u16, titre: &str, message: &str) -> Response {
    let page = ErreurPage {
        site,
        statut,
        titre: titre.into(),
        message: message.into(),
    };
    rendered(page.render(), site, statut).with_header("cache-control", "private, no-store")
}

/// Our failure: shown as a plain apology, its detail kept for the edge's log line.
pub async fn interne(site: Option<&Site>, detail: impl std::fmt::Display) -> Response {
    page_500(site).with_cause(vec![detail.to_string()])
}

fn page_500(site: Option<&Site>) -> Response {
    let page = ErreurPage {
        site,
        statut: 500,
        titre: "Une erreur est survenue".into(),
        message: "Nous n'avons pas pu afficher cette page. Réessayez dans quelques instants."
            .into(),
    };
    match page.render() {
        Ok(html) => Response::html(500, html),
        Err(_) => Response::new(500, "text/plain; charset=utf-8", "Erreur interne."),
    }
}

/// A rendered template as a response; a template failure becomes the 500 page.
pub fn rendered(html: askama::Result<String>, site: Option<&Site>, status: u16) -> Response {
    match html {
        Ok(html) => Response::html(status, html),
        Err(e) => page_500(site).with_cause(crate::problem::chaine(&e)),
    }
}
