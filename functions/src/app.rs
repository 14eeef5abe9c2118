//! What every endpoint function receives, and the entry point that turns a request
//! into a response.

use booking_shared::ports::{Aleatoire, Clock, ConfigStore, Http};
use booking_shared::store::Db;
use booking_shared::vertical::VerticalConfig;

use crate::http::{Method, Request, Response};
use crate::router;
use crate::verticals::VerticalCache;

/// Deployment settings, from the Worker's vars and secrets (see `.dev.vars.example`).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub version: String,
    /// Stripe's API, e.g. `https://api.stripe.com` (var `STRIPE_API_BASE`).
    pub stripe_api_base: String,
    pub stripe_secret_key: String,
    pub stripe_webhook_secret: String,
    /// The mail provider's API (var `MAIL_API_BASE`).
    pub mail_api_base: String,
    pub mail_api_key: String,
    /// The sender of every e-mail (var `MAIL_FROM`).
    pub mail_from: String,
    /// Signs session tokens (secret `JWT_SECRET`).
    pub jwt_secret: String,
}

/// The platform behind one request: storage, configuration and time.
pub struct Ctx<'a> {
    pub db: &'a dyn Db,
    pub config: &'a dyn ConfigStore,
    pub verticals: &'a VerticalCache,
    pub clock: &'a dyn Clock,
    pub random: &'a dyn Aleatoire,
    /// Outgoing HTTP to Stripe and the mail provider.
    pub http: &'a dyn Http,
    pub settings: &'a Settings,
}

impl Ctx<'_> {
    /// The vertical whose site the request's host is, if any.
    pub async fn vertical_for(&self, req: &Request) -> Option<std::rc::Rc<VerticalConfig>> {
        self.verticals
            .for_host(self.config, self.clock.now(), &req.host)
            .await
    }
}

pub async fn handle(ctx: &Ctx<'_>, req: Request) -> Response {
    let head = req.method == Method::Head;
    let mut response = router::dispatch(ctx, &req).await;
    if head {
        response.body.clear();
    }
    response
}
