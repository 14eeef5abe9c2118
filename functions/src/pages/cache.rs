//! Caching of pages. Public pages carry an entity tag (a hash of the body) so a browser
//! or the edge can revalidate them for a 304; pages that show free slots must be
//! revalidated every time (a booked slot must never be offered again); pages with a
//! manage link's secret or a form's CSRF token are never stored.

use booking_shared::render::{etag, etag_correspond};

use crate::http::{Request, Response};

/// Public page: stored for `max_age` seconds, then revalidated.
pub fn publique(req: &Request, response: Response, max_age: u32) -> Response {
    avec_etag(req, response, &format!("public, max-age={max_age}"))
}

/// Page that changes with every booking: always revalidated before use.
pub fn a_revalider(req: &Request, response: Response) -> Response {
    avec_etag(req, response, "no-cache")
}

/// Page with a secret or a form: never stored anywhere.
pub fn privee(response: Response) -> Response {
    response.with_header("cache-control", "private, no-store")
}

fn avec_etag(req: &Request, response: Response, cache_control: &str) -> Response {
    if response.status != 200 {
        return privee(response);
    }
    let tag = etag(&response.body);
    let response = response
        .with_header("cache-control", cache_control)
        .with_header("etag", tag.clone());
    match req.header("if-none-match") {
        Some(valeur) if etag_correspond(valeur, &tag) => Response {
            status: 304,
            headers: response
                .headers
                .into_iter()
                .filter(|(n, _)| !n.eq_ignore_ascii_case("content-type"))
                .collect(),
            body: Vec::new(),
            cause: Vec::new(),
        },
        _ => response,
    }
}

/// `303 See Other` to a path of the same site (after a POSTed form).
pub fn voir_ailleurs(location: &str) -> Response {
    privee(Response::new(303, "text/plain; charset=utf-8", "").with_header("location", location))
}
