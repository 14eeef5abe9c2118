//! Links that carry a secret in their address (a booking's manage and review links, the
//! password reset link): e-mails cannot do otherwise, but the secret must not stay in the
//! address bar, the history, a bookmark, the logs of whatever sits between, or a `Referer`.
//! So the first visit of such a link exchanges its secret for a short-lived HttpOnly
//! cookie scoped to the pages the link opens, and sends the browser (303) to the same
//! address without the secret; those pages then read the cookie only. The cookie's value
//! is a seal, not the secret (`booking_shared::securite::lien`): it expires within the
//! hour, opens nothing else, and dies with the link.
//!
//! Use: a page behind such a link calls [`secret_de_l_adresse`] first; when it returns
//! the secret, the page checks it as before and answers [`echanger`] (or its error page);
//! otherwise it checks [`prouve`] against the stored hash.

use booking_shared::render::format::encoder;
use booking_shared::securite::lien::{self, DUREE_SECONDES};

use crate::app::Ctx;
use crate::cookies;
use crate::http::{form_pairs, Method, Request, Response};

/// The query parameters that carry a link's secret (`token`: booking, `jeton`: reset).
pub const PARAMETRES_SECRETS: [&str; 2] = ["token", "jeton"];

/// Where a link's cookie is sent and what its seal is bound to.
#[derive(Debug, Clone, Copy)]
pub struct Portee<'a> {
    /// The cookie's base name (prefixed `__Secure-` over https).
    pub cookie: &'static str,
    /// Its `Path`: every page the link opens lives under it.
    pub chemin: &'a str,
}

/// Whether the request's address carries a link's secret (to keep it out of `Referer`).
pub fn adresse_porte_un_secret(req: &Request) -> bool {
    form_pairs(&req.query)
        .iter()
        .any(|(k, _)| PARAMETRES_SECRETS.contains(&k.as_str()))
}

/// The secret a page's address carries in `parametre`, on a GET (or HEAD) only: a form
/// never posts a link's secret in its address.
pub fn secret_de_l_adresse(req: &Request, parametre: &str) -> Option<String> {
    matches!(req.method, Method::Get | Method::Head)
        .then(|| req.query_param(parametre))
        .flatten()
}

/// The request's path and query, without the parameter that carried the secret.
pub fn adresse_propre(req: &Request, parametre: &str) -> String {
    let reste: Vec<String> = form_pairs(&req.query)
        .into_iter()
        .filter(|(k, _)| k != parametre)
        .map(|(k, v)| format!("{}={}", encoder(&k), encoder(&v)))
        .collect();
    if reste.is_empty() {
        req.path.clone()
    } else {
        format!("{}?{}", req.path, reste.join("&"))
    }
}

fn maintenant(ctx: &Ctx<'_>) -> i64 {
    ctx.clock.now().timestamp()
}

fn vers_adresse_propre(req: &Request, parametre: &str, set_cookie: String) -> Response {
    Response::new(303, "text/plain; charset=utf-8", "")
        .with_header("location", adresse_propre(req, parametre))
        .with_header("cache-control", "private, no-store")
        .with_header("referrer-policy", "no-referrer")
        .with_cookie(set_cookie)
}

/// The answer to the first visit of a valid link whose secret hashes to `empreinte`: the
/// cookie for `portee`, and 303 to the same address without `parametre`.
pub fn echanger(
    ctx: &Ctx<'_>,
    req: &Request,
    portee: Portee<'_>,
    empreinte: &str,
    parametre: &str,
) -> Response {
    vers_adresse_propre(req, parametre, cookie_pour(ctx, req, portee, empreinte))
}

/// The cookie that a booking form's answer sets before sending the client away (to
/// Stripe, or to the confirmation page), as [`echanger`] would.
pub fn cookie_pour(ctx: &Ctx<'_>, req: &Request, portee: Portee<'_>, empreinte: &str) -> String {
    let cle = ctx.settings.cles().liens;
    let valeur = lien::sceller(
        cle.expose(),
        portee.chemin,
        empreinte,
        maintenant(ctx) + DUREE_SECONDES,
    );
    cookies::pour_chemin(req, portee.cookie, portee.chemin, &valeur, DUREE_SECONDES)
}

/// Whether the browser sent a cookie for `portee` at all (before reading the database).
pub fn a_un_cookie(req: &Request, portee: Portee<'_>) -> bool {
    !cookies::valeurs_chemin(req, portee.cookie).is_empty()
}

/// Whether one of the browser's cookies for `portee` proves the link whose secret
/// hashes (now) to `empreinte`.
pub fn prouve(ctx: &Ctx<'_>, req: &Request, portee: Portee<'_>, empreinte: &str) -> bool {
    let cle = ctx.settings.cles().liens;
    let maintenant = maintenant(ctx);
    cookies::valeurs_chemin(req, portee.cookie)
        .iter()
        .any(|v| lien::verifier(cle.expose(), portee.chemin, empreinte, v, maintenant))
}

/// Like [`echanger`], for a link looked up by its hash (the reset link): the cookie
/// carries the sealed hash.
pub fn echanger_portant(
    ctx: &Ctx<'_>,
    req: &Request,
    portee: Portee<'_>,
    empreinte: &str,
    parametre: &str,
) -> Response {
    let cle = ctx.settings.cles().liens;
    let valeur = lien::sceller_avec_empreinte(
        cle.expose(),
        portee.chemin,
        empreinte,
        maintenant(ctx) + DUREE_SECONDES,
    );
    let cookie = cookies::pour_chemin(req, portee.cookie, portee.chemin, &valeur, DUREE_SECONDES);
    vers_adresse_propre(req, parametre, cookie)
}

/// The hash a cookie of [`echanger_portant`] proves, if one does.
pub fn empreinte_prouvee(ctx: &Ctx<'_>, req: &Request, portee: Portee<'_>) -> Option<String> {
    let cle = ctx.settings.cles().liens;
    let maintenant = maintenant(ctx);
    cookies::valeurs_chemin(req, portee.cookie)
        .iter()
        .find_map(|v| lien::ouvrir(cle.expose(), portee.chemin, v, maintenant))
}

/// The secret an address carried, as a cookie may keep it ([`echanger_en_gardant`]):
/// trimmed, and only if it is made of a secret's own characters — whatever else an
/// address can carry (spaces, line breaks) must never reach a header.
pub fn secret_a_garder(secret: &str) -> Option<String> {
    let secret = secret.trim();
    (!secret.is_empty() && secret.chars().all(|c| c.is_ascii_alphanumeric()))
        .then(|| secret.to_owned())
}

/// Like [`echanger`], for a single-use link whose use needs the secret itself (the
/// confirmation of a guest's request derives the manage secret from it): the cookie
/// carries the secret, HttpOnly, on that one page's path, for `duree_secondes` at most.
pub fn echanger_en_gardant(
    req: &Request,
    portee: Portee<'_>,
    secret: &str,
    parametre: &str,
    duree_secondes: i64,
) -> Response {
    let duree = duree_secondes.clamp(0, DUREE_SECONDES);
    let cookie = cookies::pour_chemin(req, portee.cookie, portee.chemin, secret, duree);
    vers_adresse_propre(req, parametre, cookie)
}

/// The secrets the browser's cookies for `portee` carry ([`echanger_en_gardant`]).
pub fn secrets_gardes(req: &Request, portee: Portee<'_>) -> Vec<String> {
    cookies::valeurs_chemin(req, portee.cookie)
}

/// `Set-Cookie` that removes the cookie of `portee` (its link has been used up).
pub fn effacer(req: &Request, portee: Portee<'_>) -> String {
    cookies::efface_chemin(req, portee.cookie, portee.chemin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clean_address_keeps_every_other_parameter() {
        let r = Request::new(
            Method::Get,
            "http://coach.localhost/reservations/a/deplacer?semaine=2026-12-07&token=s3cr3t&x=a%20b",
        );
        assert_eq!(
            adresse_propre(&r, "token"),
            "/reservations/a/deplacer?semaine=2026-12-07&x=a%20b"
        );
        let r = Request::new(Method::Get, "http://coach.localhost/reservations/a?token=s");
        assert_eq!(adresse_propre(&r, "token"), "/reservations/a");
        assert!(adresse_porte_un_secret(&r));
        let r = Request::new(
            Method::Get,
            "http://coach.localhost/compte/reinitialiser?jeton=s",
        );
        assert!(adresse_porte_un_secret(&r));
        let r = Request::new(Method::Get, "http://coach.localhost/recherche?q=token");
        assert!(!adresse_porte_un_secret(&r));
    }

    #[test]
    fn a_posted_form_never_exchanges_a_secret_of_its_address() {
        let r = Request::new(
            Method::Post,
            "http://coach.localhost/reservations/a/annuler?token=s",
        );
        assert_eq!(secret_de_l_adresse(&r, "token"), None);
        let r = Request::new(Method::Get, "http://coach.localhost/reservations/a?token=s");
        assert_eq!(secret_de_l_adresse(&r, "token").as_deref(), Some("s"));
    }

    #[test]
    fn only_a_secrets_own_characters_are_kept_in_a_cookie() {
        assert_eq!(secret_a_garder(" ab12\n").as_deref(), Some("ab12"));
        assert_eq!(secret_a_garder("\u{3000}ab12").as_deref(), Some("ab12"));
        for mauvais in ["", "   ", "ab;12", "ab\n12", "ab 12", "é1"] {
            assert_eq!(secret_a_garder(mauvais), None, "{mauvais:?}");
        }
    }
}
