//! Cookie names and attributes, by scheme. Over https a cookie for the whole site is
//! named `__Host-<name>`: browsers keep it only if it is Secure, for `Path=/` and without
//! `Domain`, so no sibling domain and no plain-http page can set or shadow it. A cookie for
//! one path is named `__Secure-<name>` (Secure required). Over plain http — local
//! development only, production is redirected to https — the bare name, without Secure.
//!
//! Reading follows the same rule: over https only the prefixed name is read, never the
//! bare one a sibling domain or a plain-http answer could have planted.

use crate::http::Request;

const HOST: &str = "__Host-";
const SECURE: &str = "__Secure-";

/// The name a site-wide cookie has for this request's scheme.
pub fn nom_site(req: &Request, base: &str) -> String {
    if req.est_https() {
        format!("{HOST}{base}")
    } else {
        base.to_owned()
    }
}

/// The name a cookie for one path has for this request's scheme.
pub fn nom_chemin(req: &Request, base: &str) -> String {
    if req.est_https() {
        format!("{SECURE}{base}")
    } else {
        base.to_owned()
    }
}

/// The site-wide cookie `base` as the browser sent it for this scheme.
pub fn valeur_site(req: &Request, base: &str) -> Option<String> {
    req.cookie(&nom_site(req, base)).filter(|v| !v.is_empty())
}

/// Every value of the path cookie `base` (one per path or domain it was set for).
pub fn valeurs_chemin(req: &Request, base: &str) -> Vec<String> {
    req.cookies(&nom_chemin(req, base))
        .into_iter()
        .filter(|v| !v.is_empty())
        .collect()
}

fn attributs(req: &Request, chemin: &str, max_age: Option<i64>) -> String {
    let max_age = max_age
        .map(|s| format!("; Max-Age={s}"))
        .unwrap_or_default();
    let secure = if req.est_https() { "; Secure" } else { "" };
    format!("; Path={chemin}{max_age}; HttpOnly; SameSite=Lax{secure}")
}

/// `Set-Cookie` for a site-wide cookie (`Path=/`, HttpOnly, SameSite=Lax, Secure and
/// `__Host-` over https); `max_age` None lasts as long as the browser session.
pub fn pour_site(req: &Request, base: &str, valeur: &str, max_age: Option<i64>) -> String {
    format!(
        "{}={valeur}{}",
        nom_site(req, base),
        attributs(req, "/", max_age)
    )
}

/// `Set-Cookie` for a cookie sent only under `chemin` (HttpOnly, SameSite=Lax, Secure
/// and `__Secure-` over https).
pub fn pour_chemin(req: &Request, base: &str, chemin: &str, valeur: &str, max_age: i64) -> String {
    format!(
        "{}={valeur}{}",
        nom_chemin(req, base),
        attributs(req, chemin, Some(max_age))
    )
}

/// `Set-Cookie` that removes a site-wide cookie.
pub fn efface_site(req: &Request, base: &str) -> String {
    pour_site(req, base, "", Some(0))
}

/// `Set-Cookie` that removes a path cookie.
pub fn efface_chemin(req: &Request, base: &str, chemin: &str) -> String {
    pour_chemin(req, base, chemin, "", 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Method;

    fn requete(url: &str, cookie: &str) -> Request {
        let mut r = Request::new(Method::Get, url);
        r.headers.push(("cookie".into(), cookie.into()));
        r
    }

    #[test]
    fn cookies_are_host_prefixed_and_secure_over_https() {
        let https = requete("https://coach.booking-multisite.fr/", "");
        assert_eq!(
            pour_site(&https, "session", "v", Some(60)),
            "__Host-session=v; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure"
        );
        assert_eq!(
            pour_chemin(&https, "gestion", "/reservations/a", "v", 60),
            "__Secure-gestion=v; Path=/reservations/a; Max-Age=60; HttpOnly; SameSite=Lax; Secure"
        );
        let http = requete("http://coach.localhost:8787/", "");
        assert_eq!(
            pour_site(&http, "csrf", "v", None),
            "csrf=v; Path=/; HttpOnly; SameSite=Lax"
        );
    }

    #[test]
    fn over_https_only_the_prefixed_name_is_read() {
        let plante = requete("https://coach.booking-multisite.fr/", "session=plante");
        assert_eq!(valeur_site(&plante, "session"), None);
        let vrai = requete(
            "https://coach.booking-multisite.fr/",
            "session=plante; __Host-session=vrai",
        );
        assert_eq!(valeur_site(&vrai, "session").as_deref(), Some("vrai"));
        let local = requete("http://coach.localhost/", "__Host-session=x; session=local");
        assert_eq!(valeur_site(&local, "session").as_deref(), Some("local"));
        let chemins = requete(
            "https://coach.booking-multisite.fr/",
            "gestion=plante; __Secure-gestion=a; __Secure-gestion=b",
        );
        assert_eq!(valeurs_chemin(&chemins, "gestion"), vec!["a", "b"]);
    }
}
