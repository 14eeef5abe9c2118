//! Who is making the request: a session token in the `session` cookie (pages;
//! `__Host-session` over https, see `crate::cookies`) or in `Authorization: Bearer` (API),
//! checked against the account's current token version. Tokens are signed with the
//! session key derived from the master secret, never with the master secret itself.

use booking_shared::cas::comptes;
use booking_shared::comptes::appareil;
use booking_shared::comptes::session::DUREE_SECONDES;
use booking_shared::comptes::Role;
use booking_shared::store::utilisateurs::Utilisateur;

use crate::app::Ctx;
use crate::cookies;
use crate::http::{Request, Response};
use crate::problem::Problem;

/// The session cookie's base name (`__Host-session` over https).
pub const COOKIE: &str = "session";

/// A signed-in account.
#[derive(Debug, Clone)]
pub struct Connecte {
    pub utilisateur: Utilisateur,
    pub role: Role,
}

impl Connecte {
    pub fn id(&self) -> i64 {
        self.utilisateur.id
    }
}

fn bearer(req: &Request) -> Option<String> {
    let valeur = req.header("authorization")?.trim();
    let (schema, jeton) = valeur.split_once(' ')?;
    schema
        .eq_ignore_ascii_case("bearer")
        .then(|| jeton.trim().to_owned())
}

async fn depuis_jeton(ctx: &Ctx<'_>, jeton: &str) -> Option<Connecte> {
    let (utilisateur, role) = comptes::compte_de_session(&ctx.ports(), jeton).await?;
    Some(Connecte { utilisateur, role })
}

/// The account of a Bearer token (the API).
pub async fn par_bearer(ctx: &Ctx<'_>, req: &Request) -> Option<Connecte> {
    depuis_jeton(ctx, &bearer(req)?).await
}

/// The account of the session cookie (the pages).
pub async fn par_cookie(ctx: &Ctx<'_>, req: &Request) -> Option<Connecte> {
    depuis_jeton(ctx, &cookies::valeur_site(req, COOKIE)?).await
}

/// The signed-in account, by Bearer token or else by cookie.
pub async fn utilisateur_courant(ctx: &Ctx<'_>, req: &Request) -> Option<Connecte> {
    if bearer(req).is_some() {
        return par_bearer(ctx, req).await;
    }
    par_cookie(ctx, req).await
}

/// A token for the account as it is now.
pub fn emettre(ctx: &Ctx<'_>, utilisateur: &Utilisateur) -> Result<String, String> {
    comptes::emettre_session(&ctx.ports(), utilisateur)
}

/// `Set-Cookie` for a new session: HttpOnly, SameSite=Lax; `__Host-` and Secure over https.
pub fn cookie(req: &Request, jeton: &str) -> String {
    cookies::pour_site(req, COOKIE, jeton, Some(DUREE_SECONDES))
}

/// `Set-Cookie` for the device cookie (see `booking_shared::comptes::appareil`): a year,
/// HttpOnly, and SameSite=Strict — it only matters on this site's own sign-in forms, and
/// a page of another site must not make the browser spend the device's allowance.
pub fn cookie_appareil(req: &Request, valeur: &str) -> String {
    cookies::pour_site(
        req,
        appareil::COOKIE,
        valeur,
        Some(appareil::DUREE_SECONDES),
    )
    .replace("SameSite=Lax", "SameSite=Strict")
}

/// The device cookie the request carries, if any (checked by the sign-in).
pub fn appareil(req: &Request) -> Option<String> {
    cookies::valeur_site(req, appareil::COOKIE)
}

pub fn cookie_efface(req: &Request) -> String {
    cookies::efface_site(req, COOKIE)
}

/// Why a protected route answers no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refus {
    /// No valid session: 401.
    NonConnecte,
    /// Signed in, but not with a role that may: 403.
    Interdit,
}

impl From<Refus> for Problem {
    fn from(refus: Refus) -> Problem {
        match refus {
            Refus::NonConnecte => Problem::new(
                401,
                "non_authentifie",
                "Connectez-vous pour accéder à cette ressource (en-tête Authorization: Bearer).",
            )
            .demandant_bearer(),
            Refus::Interdit => Problem::new(
                403,
                "acces_refuse",
                "Votre compte n'a pas accès à cette ressource.",
            ),
        }
    }
}

impl Refus {
    pub fn reponse_api(self) -> Response {
        Problem::from(self).into_response()
    }
}

fn autorise(connecte: Option<Connecte>, roles: &[Role]) -> Result<Connecte, Refus> {
    let connecte = connecte.ok_or(Refus::NonConnecte)?;
    if roles.contains(&connecte.role) {
        Ok(connecte)
    } else {
        Err(Refus::Interdit)
    }
}

/// The API's guard: a Bearer token of one of `roles`. Cookies are not accepted by the
/// API, so no API call can be forged by another site (no CSRF there).
pub async fn exiger_api(ctx: &Ctx<'_>, req: &Request, roles: &[Role]) -> Result<Connecte, Refus> {
    autorise(par_bearer(ctx, req).await, roles)
}

/// The pages' guard: the session cookie of one of `roles`.
pub async fn exiger_page(ctx: &Ctx<'_>, req: &Request, roles: &[Role]) -> Result<Connecte, Refus> {
    autorise(par_cookie(ctx, req).await, roles)
}

/// A client's source as Cloudflare saw it: its IPv4 address or its IPv6 /64 (see
/// `booking_shared::securite::source`), the key of every per-IP rate limit.
pub fn ip(req: &Request) -> String {
    source(req).to_string()
}

/// [`ip`], typed.
pub fn source(req: &Request) -> booking_shared::securite::source::Source {
    booking_shared::securite::source::Source::depuis_entete(req.header("cf-connecting-ip"))
}
