//! Accounts: sign-up, the address check, sign-in, sign-out, password reset, the client's
//! bookings — as pages (session cookie, CSRF on every form) and as API
//! (`Authorization: Bearer`).

pub(crate) mod api;
pub mod derivation;
pub(crate) mod pages;
pub mod session;

pub use session::{exiger_api, exiger_page, utilisateur_courant, Connecte, Refus};

use booking_shared::cas::comptes as operations;
use booking_shared::dates;
use booking_shared::vertical::VerticalConfig;

use crate::app::Ctx;
use crate::http::Request;

/// An instant as the JSON API shows it: ISO 8601 with the offset of the professional's
/// time zone (as in the public API).
pub fn instant_iso(instant: chrono::DateTime<chrono::Utc>, fuseau: &str) -> String {
    dates::rfc3339(&instant.with_timezone(&booking_shared::store::planning::fuseau(fuseau)))
}

/// Signs up from the vertical's site (rate limited per source): the page and the API
/// alike. The same outcome whether the address was new or not.
pub(crate) async fn inscrire(
    ctx: &Ctx<'_>,
    req: &Request,
    vertical: &VerticalConfig,
    brute: &booking_shared::comptes::saisies::InscriptionBrute,
) -> Result<(), operations::ErreurCompte> {
    let site = crate::pages::site_for(vertical, req);
    operations::inscrire(
        &ctx.ports(),
        &session::ip(req),
        vertical,
        &site.base_url,
        brute,
    )
    .await
}

/// Sends the signed-in account a new address-check link from the vertical's site (rate
/// limited per source): the page and the API alike.
pub(crate) async fn renvoyer_verification(
    ctx: &Ctx<'_>,
    req: &Request,
    vertical: &VerticalConfig,
    connecte: &Connecte,
) -> Result<operations::Renvoi, operations::ErreurCompte> {
    let site = crate::pages::site_for(vertical, req);
    let ip = session::ip(req);
    operations::renvoyer_verification(
        &ctx.ports(),
        &ip,
        vertical,
        &site.base_url,
        &connecte.utilisateur,
    )
    .await
}

pub use booking_shared::cas::comptes::hash_secret;

/// A secret for a link: 128 random bits as 32 hex characters.
pub fn nouveau_secret(ctx: &Ctx<'_>) -> String {
    hex::encode(ctx.random.octets())
}
