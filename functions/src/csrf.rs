//! CSRF for every form POST (see `booking_shared::securite::csrf`): pages that show a
//! form call [`preparer`] and put its token in a hidden field; handlers of POSTed forms
//! call [`verifier`] before anything else. Tokens are keyed by the CSRF key derived from
//! the master secret; the cookie is `__Host-csrf` over https (see `crate::cookies`).

use booking_shared::securite::csrf::{self, CHAMP, COOKIE};

use crate::app::Ctx;
use crate::cookies;
use crate::http::{Request, Response};

/// The browser's CSRF state for a page with a form.
pub struct Csrf {
    /// To put in the form's hidden `csrf` field.
    pub jeton: String,
    /// `Set-Cookie` to add to the response when the browser had no cookie yet.
    pub cookie: Option<String>,
}

impl Csrf {
    /// Adds the cookie (if new) to the response that shows the form.
    pub fn sur(&self, response: Response) -> Response {
        match &self.cookie {
            Some(cookie) => response.with_cookie(cookie.clone()),
            None => response,
        }
    }
}

pub fn preparer(ctx: &Ctx<'_>, req: &Request) -> Csrf {
    let existant = cookies::valeur_site(req, COOKIE)
        .filter(|v| v.len() >= 32 && v.chars().all(|c| c.is_ascii_hexdigit()));
    let (valeur, cookie) = match existant {
        Some(v) => (v, None),
        None => {
            let v = hex::encode(ctx.random.octets());
            let cookie = cookies::pour_site(req, COOKIE, &v, None);
            (v, Some(cookie))
        }
    };
    Csrf {
        jeton: csrf::jeton(ctx.settings.cles().csrf.expose(), &valeur),
        cookie,
    }
}

/// Whether a POSTed form carries the right token for the browser's cookie.
pub fn verifier(ctx: &Ctx<'_>, req: &Request, champs: &[(String, String)]) -> bool {
    let soumis = champs
        .iter()
        .find(|(k, _)| k == CHAMP)
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    let cookie = cookies::valeur_site(req, COOKIE).unwrap_or_default();
    csrf::verifie(ctx.settings.cles().csrf.expose(), &cookie, soumis)
}
