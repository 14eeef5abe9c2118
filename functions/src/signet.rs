//! D1's read replicas and the client's own writes: after a request that wrote, the
//! database session's bookmark goes back to the client — an HttpOnly cookie `d1_signet`
//! for browsers, the `x-d1-signet` header for API clients — and a request that carries
//! one continues that session ([`Db::continuer`]), so a replica answers it only once it
//! has caught up with that write. Requests without one read from any replica.

use booking_shared::store::Db;

use crate::cookies;
use crate::http::{Method, Request, Response};

/// The cookie's base name (`__Host-d1_signet` over https).
pub const COOKIE: &str = "d1_signet";
/// The header, both ways, for API clients.
pub const EN_TETE: &str = "x-d1-signet";
/// A replica lags by seconds: an hour covers the next pages the client opens.
const DUREE_SECONDES: i64 = 3600;

/// A bookmark as D1 writes them (hexadecimal groups joined by dashes): anything else a
/// client sends is ignored rather than handed to D1.
fn valide(signet: &str) -> bool {
    !signet.is_empty()
        && signet.len() <= 128
        && signet.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// The bookmark the request carries (header first, then cookie), if well-formed.
pub fn lu(req: &Request) -> Option<String> {
    req.header(EN_TETE)
        .map(|v| v.trim().to_owned())
        .or_else(|| cookies::valeur_site(req, COOKIE))
        .filter(|s| valide(s))
}

/// Before the request: continue the client's session, if they bring a bookmark.
pub fn reprendre(db: &dyn Db, req: &Request) {
    if let Some(signet) = lu(req) {
        db.continuer(&signet);
    }
}

/// After the request: a request that wrote gives the client the session's bookmark.
pub fn rendre(db: &dyn Db, req: &Request, response: Response) -> Response {
    // D1 counts the rows written; a non-GET request may have written in any case.
    let ecrit = db.mesure().lignes_ecrites > 0 || !matches!(req.method, Method::Get | Method::Head);
    match db.signet().filter(|s| ecrit && valide(s)) {
        // Beside the cookies the response sets already (a manage link's, a session's).
        Some(signet) => response
            .with_cookie(cookies::pour_site(
                req,
                COOKIE,
                &signet,
                Some(DUREE_SECONDES),
            ))
            .with_header(EN_TETE, signet),
        None => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_bookmark_shaped_value_is_taken_from_the_client() {
        for bon in ["00000001-00000002-00004f71-a1f0c9e2", "0"] {
            assert!(valide(bon), "{bon}");
        }
        let long = "a".repeat(129);
        for mauvais in ["", "first-primary", "abc def", "0000;1", long.as_str()] {
            assert!(!valide(mauvais), "{mauvais}");
        }
    }
}
