//! What every endpoint function receives, and the entry point that turns a request
//! into a response.

use serde_json::json;

use booking_shared::cas::Ports;
use booking_shared::ports::{Clock, ConfigStore, Http, Random};
use booking_shared::render::ErreurPage;
use booking_shared::securite::cles::LONGUEUR_MIN_MAITRE;
use booking_shared::securite::secret::{self, Manque};
use booking_shared::securite::{Cles, Secret};
use booking_shared::store::Db;
use booking_shared::vertical::VerticalConfig;

use crate::http::{Method, Request, Response};
use crate::problem::Problem;
use crate::verticals::VerticalCache;
use crate::{router, securite};

/// Deployment settings, from the Worker's vars and secrets (see `.dev.vars.example`).
/// Secrets are [`Secret`]s: `Debug` never shows them.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub version: String,
    /// Stripe's API, e.g. `https://api.stripe.com` (var `STRIPE_API_BASE`).
    pub stripe_api_base: String,
    pub stripe_secret_key: Secret,
    pub stripe_webhook_secret: Secret,
    /// The mail provider's API (var `MAIL_API_BASE`).
    pub mail_api_base: String,
    pub mail_api_key: Secret,
    /// The sender of every e-mail (var `MAIL_FROM`).
    pub mail_from: String,
    /// The master secret (secret `JWT_SECRET`, 32 characters or more): never used as a
    /// key itself, each use has its key derived from it ([`Settings::cles`]).
    pub jwt_secret: Secret,
    /// The `host:port` of local stand-ins an external calendar may be fetched from over
    /// plain http (var `AGENDAS_HOTES_LOCAUX`, comma-separated; local development only,
    /// never set in production).
    pub agendas_locaux: Vec<String>,
}

impl Settings {
    /// The required secrets that are missing or too short, by name.
    pub fn secrets_manquants(&self) -> Vec<Manque> {
        secret::manquants(&[
            ("JWT_SECRET", &self.jwt_secret, LONGUEUR_MIN_MAITRE),
            ("STRIPE_SECRET_KEY", &self.stripe_secret_key, 1),
            ("STRIPE_WEBHOOK_SECRET", &self.stripe_webhook_secret, 1),
            ("MAIL_API_KEY", &self.mail_api_key, 1),
        ])
    }

    /// The keys of each use of the master secret (sessions, CSRF, link cookies).
    pub fn cles(&self) -> Cles {
        Cles::deriver(&self.jwt_secret)
    }
}

/// Whether every required secret is there; if not, logs the names of those missing (never
/// a value) for `evenement` (`requete`, `cron`) and answers false: the Worker then serves
/// nothing rather than run with an empty secret.
pub fn configuration_complete(settings: &Settings, evenement: &str) -> bool {
    let manquants = settings.secrets_manquants();
    if manquants.is_empty() {
        return true;
    }
    crate::log::line(booking_shared::objet!({
        "niveau": "erreur",
        "evenement": "configuration_incomplete",
        "pendant": evenement,
        "manquants": manquants.iter().map(Manque::nom).collect::<Vec<_>>(),
        "erreur": manquants.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ; "),
        "remede": "définissez-les avec `wrangler secret put NOM` (ou dans .dev.vars en local)",
    }));
    false
}

/// The platform behind one request: storage, configuration and time.
pub struct Ctx<'a> {
    pub db: &'a dyn Db,
    pub config: &'a dyn ConfigStore,
    pub verticals: &'a VerticalCache,
    pub clock: &'a dyn Clock,
    pub random: &'a dyn Random,
    /// Outgoing HTTP to Stripe and the mail provider.
    pub http: &'a dyn Http,
    pub settings: &'a Settings,
}

impl Ctx<'_> {
    /// What the use cases (`booking_shared::cas`) may reach, from this request's platform.
    pub fn ports(&self) -> Ports<'_> {
        Ports {
            db: self.db,
            config: self.config,
            clock: self.clock,
            random: self.random,
            http: self.http,
            log: &crate::log::WorkerLog,
            derivation: crate::comptes::derivation::plateforme(),
            stripe_api_base: &self.settings.stripe_api_base,
            stripe_secret_key: &self.settings.stripe_secret_key,
            mail_api_base: &self.settings.mail_api_base,
            mail_api_key: &self.settings.mail_api_key,
            mail_from: &self.settings.mail_from,
            cles: self.settings.cles(),
            agendas_locaux: &self.settings.agendas_locaux,
        }
    }

    /// Every configured vertical (for a use case that finds a booking's own).
    pub async fn toutes_verticals(&self) -> Vec<std::rc::Rc<VerticalConfig>> {
        self.verticals.all(self.config, self.clock.now()).await
    }

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
    let request_id = hex::encode(&ctx.random.octets()[..8]);
    let trouve = router::find(req.method, &req.path);
    let route = trouve.as_ref().ok().map(|(r, _)| r.pattern);
    let head = req.method == Method::Head;
    crate::signet::reprendre(ctx.db, &req);
    let mut response = if let Some(redirection) = vers_https(&req) {
        redirection
    } else if !configuration_complete(ctx.settings, "requete") {
        indisponible(&req)
    } else if req.body.len() > CORPS_MAX {
        trop_volumineux(&req)
    } else {
        router::dispatch(ctx, &req, trouve).await
    };
    if head {
        response.body.clear();
    }
    let sans_referent = crate::liens::adresse_porte_un_secret(&req);
    let response = securite::avec_entetes(response, ctx.settings, &request_id, sans_referent);
    let response = crate::signet::rendre(ctx.db, &req, response);
    let mesure = ctx.db.mesure();
    // One line per request: no query string, no body, no personal data; what it cost D1
    // (round trips, rows read and written); for a failure of ours, its cause chain (the
    // only place an internal error is logged).
    let mut ligne = booking_shared::objet!({
        "requete": request_id,
        "methode": req.method.as_str(),
        "hote": req.host,
        "route": route.unwrap_or("(aucune)"),
        "statut": response.status,
        "duree_ms": (ctx.clock.now() - debut).num_milliseconds(),
        "d1_trajets": mesure.trajets,
        "d1_lignes_lues": mesure.lignes_lues,
        "d1_lignes_ecrites": mesure.lignes_ecrites,
    });
    if response.status >= 500 && !response.cause.is_empty() {
        ligne["niveau"] = json!("erreur");
        ligne["erreur"] = json!(response.cause.join(" : "));
    }
    crate::log::line(ligne);
    response
}

fn est_machine(req: &Request) -> bool {
    req.path.starts_with("/api/") || req.path.starts_with("/webhooks/") || req.path == "/healthz"
}

/// Plain http to a production domain: 308 to the same address over https (the method and
/// the body are kept). Local development (`localhost`, `*.localhost`, loopback) stays on
/// http.
fn vers_https(req: &Request) -> Option<Response> {
    if req.est_https() || req.est_locale() {
        return None;
    }
    let query = if req.query.is_empty() {
        String::new()
    } else {
        format!("?{}", req.query)
    };
    let cible = format!("https://{}{}{query}", req.host, req.path);
    Some(
        Response::new(308, "text/plain; charset=utf-8", "")
            .with_header("location", cible)
            .with_header("cache-control", "no-store"),
    )
}

/// A required secret is missing: 503, in French, nothing served (the log says which).
fn indisponible(req: &Request) -> Response {
    let problem = Problem::new(
        503,
        "configuration_incomplete",
        "Le service est temporairement indisponible (configuration incomplète). Réessayez dans quelques minutes.",
    );
    let response = if est_machine(req) {
        problem.into_response()
    } else {
        let page = ErreurPage {
            site: None,
            statut: 503,
            titre: "Service temporairement indisponible".into(),
            message: "Le site est temporairement indisponible. Réessayez dans quelques minutes."
                .into(),
        };
        match askama::Template::render(&page) {
            Ok(html) => Response::html(503, html),
            Err(_) => problem.into_response(),
        }
    };
    response
        .with_header("retry-after", "300")
        .with_header("cache-control", "no-store")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn complets() -> Settings {
        Settings {
            stripe_api_base: "https://api.stripe.com".into(),
            stripe_secret_key: "sk_live_0123".into(),
            stripe_webhook_secret: "whsec_0123".into(),
            mail_api_key: "re_0123".into(),
            jwt_secret: "master-0123456789abcdef0123456789abcdef".into(),
            ..Settings::default()
        }
    }

    #[test]
    fn secrets_never_appear_in_debug_output() {
        let s = complets();
        let texte = format!("{s:?} {s:#?} {:?}", s.cles());
        for valeur in ["sk_live_0123", "whsec_0123", "re_0123", "master-0123456789"] {
            assert!(!texte.contains(valeur), "{valeur}: {texte}");
        }
        assert!(texte.contains("https://api.stripe.com"));
        for cle in [s.cles().session, s.cles().csrf, s.cles().liens] {
            assert!(!texte.contains(cle.expose()));
        }
    }

    #[test]
    fn a_missing_secret_is_named_in_the_error_and_never_served_empty() {
        assert!(complets().secrets_manquants().is_empty());
        let mut s = complets();
        s.mail_api_key = "".into();
        s.jwt_secret = "trop-court".into();
        let noms: Vec<_> = s.secrets_manquants().iter().map(Manque::nom).collect();
        assert_eq!(noms, ["JWT_SECRET", "MAIL_API_KEY"]);
        // And an empty master secret derives no key that anyone could compute.
        assert!(s.cles().csrf.est_vide() && s.cles().session.est_vide());
        assert!(Settings::default().secrets_manquants().len() == 4);
    }
}
