//! CSRF for every form POST (see `booking_shared::securite::csrf`): pages that show a
//! form call [`preparer`] and put its token in a hidden field; handlers of POSTed forms
//! call [`verifier`] before anything else.

use booking_shared::securite::csrf::{self, CHAMP, COOKIE};

use crate::app::Ctx;
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
            Some(cookie) => {
                let mut response = response;
                response.headers.push(("set-cookie".into(), cookie.clone()));
                response
            }
            None => response,
        }
    }
}

pub fn preparer(ctx: &Ctx<'_>, req: &Request) -> Csrf {
    let existant = req
        .cookie(COOKIE)
        .filter(|v| v.len() >= 32 && v.chars().all(|c| c.is_ascii_hexdigit()));
    let (valeur, cookie) = match existant {
        Some(v) => (v, None),
        None => {
            let v = hex_string(ctx.random.octets());
            let secure = if req.scheme == "https" {
                "; Secure"
            } else {
                ""
            };
            let cookie = format!("{COOKIE}={v}; Path=/; HttpOnly; SameSite=Lax{secure}");
            (v, Some(cookie))
        }
    };
    Csrf {
        jeton: csrf::jeton(&ctx.settings.jwt_secret, &valeur),
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
    let cookie = req.cookie(COOKIE).unwrap_or_default();
    csrf::verifie(&ctx.settings.jwt_secret, &cookie, soumis)
}

fn hex_string(bytes: [u8; 16]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
