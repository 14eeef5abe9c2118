//! What every endpoint function receives, and the entry point that turns a request
//! into a response.

use serde_json::json;

use booking_shared::ports::{Aleatoire, Clock, ConfigStore, Http};
use booking_shared::render::ErreurPage;
use booking_shared::store::Db;
use booking_shared::vertical::VerticalConfig;

use crate::http::{Method, Request, Response};
use crate::problem::Problem;
use crate::verticals::VerticalCache;
use crate::{router, securite};

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

/// Largest request body accepted anywhere (forms and JSON alike).
pub const CORPS_MAX: usize = 64 * 1024;

pub async fn handle(ctx: &Ctx<'_>, req: Request) -> Response {
    let debut = ctx.clock.now();
    let request_id: String = ctx.random.octets()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let route = router::find(req.method, &req.path)
        .ok()
        .map(|(r, _)| r.pattern);
    let head = req.method == Method::Head;
    let mut response = if req.body.len() > CORPS_MAX {
        trop_volumineux(&req)
    } else {
        router::dispatch(ctx, &req).await
    };
    if head {
        response.body.clear();
    }
    let response = securite::avec_entetes(response, ctx.settings, &request_id);
    // One line per request: no query string, no body, no personal data.
    crate::log::line(json!({
        "requete": request_id,
        "methode": req.method.as_str(),
        "hote": req.host,
        "route": route.unwrap_or("(aucune)"),
        "statut": response.status,
        "duree_ms": (ctx.clock.now() - debut).num_milliseconds(),
    }));
    response
}

fn trop_volumineux(req: &Request) -> Response {
    let problem = Problem::new(
        413,
        "corps_trop_volumineux",
        "Le corps de la requête est trop volumineux.",
    );
    if req.path.starts_with("/api/") || req.path.starts_with("/webhooks/") {
        return problem.into_response();
    }
    let page = ErreurPage {
        site: None,
        statut: 413,
        titre: "Envoi trop volumineux".into(),
        message:
            "Le formulaire envoyé est trop volumineux. Raccourcissez vos réponses et réessayez."
                .into(),
    };
    match askama::Template::render(&page) {
        Ok(html) => Response::html(413, html),
        Err(_) => problem.into_response(),
    }
}
