//! The Cloudflare glue: the Worker's entry points, and D1, KV and the clock behind the
//! traits the endpoint functions use. Nothing here decides anything.

mod d1;
mod http;
mod kv;

use std::rc::Rc;

use chrono::{DateTime, Utc};
use worker::{event, Context, Env, Headers, ScheduleContext, ScheduledEvent};

use booking_shared::ports::Clock;
use booking_shared::securite::Secret;

use crate::app::{self, Ctx, Settings};
use crate::http::{Method, Request, Response};
use crate::random::OsRandom;
use crate::verticals::VerticalCache;

thread_local! {
    // One per isolate: the verticals' configuration survives between requests.
    static VERTICALS: Rc<VerticalCache> = Rc::new(VerticalCache::new());
}

struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        let millis = worker::Date::now().as_millis();
        DateTime::from_timestamp_millis(millis as i64).unwrap_or(DateTime::<Utc>::MIN_UTC)
    }
}

/// A var or secret; a missing one is empty here. Required secrets are then checked by
/// `app::configuration_complete` on every request and scheduled run: a missing one is
/// named in the log and nothing is served (503), never used empty.
fn value(env: &Env, name: &str) -> String {
    env.secret(name)
        .map(|s| s.to_string())
        .or_else(|_| env.var(name).map(|v| v.to_string()))
        .unwrap_or_default()
}

fn secret(env: &Env, name: &str) -> Secret {
    Secret::new(value(env, name))
}

fn settings(env: &Env) -> Settings {
    Settings {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        stripe_api_base: value(env, "STRIPE_API_BASE"),
        stripe_secret_key: secret(env, "STRIPE_SECRET_KEY"),
        stripe_webhook_secret: secret(env, "STRIPE_WEBHOOK_SECRET"),
        mail_api_base: value(env, "MAIL_API_BASE"),
        mail_api_key: secret(env, "MAIL_API_KEY"),
        mail_from: value(env, "MAIL_FROM"),
        jwt_secret: secret(env, "JWT_SECRET"),
        agendas_locaux: value(env, "AGENDAS_HOTES_LOCAUX")
            .split(',')
            .map(str::trim)
            .filter(|h| !h.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

/// The platform behind one invocation: D1, KV and the settings, from the bindings.
struct Plateforme {
    db: d1::D1Db,
    config: kv::KvConfig,
    verticals: Rc<VerticalCache>,
    settings: Settings,
}

impl Plateforme {
    fn depuis(env: &Env) -> worker::Result<Plateforme> {
        Ok(Plateforme {
            db: d1::D1Db::new(env.d1("DB")?),
            config: kv::KvConfig::depuis(env, "CONFIG")?,
            verticals: VERTICALS.with(Rc::clone),
            settings: settings(env),
        })
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            db: &self.db,
            config: &self.config,
            verticals: &self.verticals,
            clock: &SystemClock,
            random: &OsRandom,
            http: &http::FetchHttp,
            settings: &self.settings,
        }
    }
}

#[event(fetch)]
async fn fetch(
    mut req: worker::Request,
    env: Env,
    _ctx: Context,
) -> worker::Result<worker::Response> {
    let request = into_request(&mut req).await?;
    let plateforme = Plateforme::depuis(&env)?;
    into_worker_response(app::handle(&plateforme.ctx(), request).await)
}

#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    match Plateforme::depuis(&env) {
        Ok(plateforme) => crate::cron::run(&plateforme.ctx()).await,
        Err(e) => crate::log::line(
            serde_json::json!({ "niveau": "erreur", "evenement": "cron", "erreur": e.to_string() }),
        ),
    }
}

async fn into_request(req: &mut worker::Request) -> worker::Result<Request> {
    // The URL as the runtime serialised it (WHATWG): read as text, not parsed again by the
    // url crate, which would bring its parser, IDNA and punycode into the Wasm.
    let url = req.inner().url();
    // The method as the client sent it: `worker::Request::method()` turns any method it
    // does not know (QUERY, PROPFIND…) into GET, which would serve them as GETs.
    let mut request = Request::new(Method::parse(&req.inner().method()), &url);
    request.headers = req.headers().entries().collect();
    // The scheme the visitor used: the URL's, or Cloudflare's word in `CF-Visitor`.
    request.scheme = crate::http::schema_visiteur(&request.scheme, request.header("cf-visitor"));
    request.body = match request.method {
        Method::Get | Method::Head => Vec::new(),
        _ => req.bytes().await?,
    };
    Ok(request)
}

fn into_worker_response(response: Response) -> worker::Result<worker::Response> {
    let headers = Headers::new();
    for (name, value) in &response.headers {
        headers.append(name, value)?;
    }
    Ok(worker::Response::from_bytes(response.body)?
        .with_status(response.status)
        .with_headers(headers))
}
