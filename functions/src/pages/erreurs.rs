//! The 404 and 500 pages, in the vertical's look when the host is a vertical's.

use std::future::Future;

use askama::Template;

use booking_shared::render::{self, Site};
use booking_shared::store::DbError;

use super::site_for;
use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::problem::chaine;

/// A page handler's failure, for `?`: ours, with its cause chain for the edge's log. The
/// router answers it with the 500 page in the look of the request's site ([`page`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErreurPage {
    pub cause: Vec<String>,
}

impl From<DbError> for ErreurPage {
    fn from(e: DbError) -> ErreurPage {
        ErreurPage { cause: chaine(&e) }
    }
}

/// The answer of a page handler that may fail with an [`ErreurPage`].
pub async fn page_ou_500(
    ctx: &Ctx<'_>,
    req: &Request,
    handler: impl Future<Output = Result<Response, ErreurPage>>,
) -> Response {
    match handler.await {
        Ok(response) => response,
        Err(e) => echec(ctx, req, e).await,
    }
}

/// The 500 page of a failed handler: compiled once, not in each handler's instance above.
async fn echec(ctx: &Ctx<'_>, req: &Request, e: ErreurPage) -> Response {
    let vertical = ctx.vertical_for(req).await;
    let site = vertical.as_ref().map(|v| site_for(v, req));
    page_500(site.as_ref()).with_cause(e.cause)
}

pub async fn introuvable(ctx: &Ctx<'_>, req: &Request) -> Response {
    let vertical = ctx.vertical_for(req).await;
    let site = vertical.as_ref().map(|v| site_for(v, req));
    let page = render::ErreurPage {
        site: site.as_ref(),
        statut: 404,
        titre: "Page introuvable".into(),
        message: "Cette page n'existe pas ou n'existe plus.".into(),
    };
    rendered(page.render(), site.as_ref(), 404)
}

/// A page for an error the client can act on (a wrong manage link…), in the vertical's look.
pub fn page(site: Option<&Site>, statut: u16, titre: &str, message: &str) -> Response {
    let page = render::ErreurPage {
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
    let page = render::ErreurPage {
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
