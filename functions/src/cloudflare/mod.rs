//! The Cloudflare glue: the Worker's entry points, and D1, KV and the clock behind the
//! traits the endpoint functions use. Nothing here decides anything.

mod d1;
mod http;
mod kv;

use std::rc::Rc;

use chrono::{DateTime, Utc};
use worker::js_sys::Uint8Array;
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::{event, web_sys, Context, Env, ScheduleContext, ScheduledEvent};

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

/// The entry point: the runtime's request and response are taken and made as web types,
/// with none of `worker::Request`/`Response`'s conversions (and the `http` crate they bring).
#[event(fetch)]
async fn fetch(
    req: web_sys::Request,
    env: Env,
    _ctx: Context,
) -> worker::Result<web_sys::Response> {
    let request = into_request(&req).await?;
    let plateforme = Plateforme::depuis(&env)?;
    Ok(into_web_response(
        app::handle(&plateforme.ctx(), request).await,
    )?)
}

#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    match Plateforme::depuis(&env) {
        Ok(plateforme) => crate::cron::run(&plateforme.ctx()).await,
        Err(e) => crate::log::line(
            booking_shared::objet!({ "niveau": "erreur", "evenement": "cron", "erreur": e.to_string() }),
        ),
    }
}

async fn into_request(req: &web_sys::Request) -> worker::Result<Request> {
    // The URL as the runtime serialised it (WHATWG): read as text, not parsed again by the
    // url crate, which would bring its parser, IDNA and punycode into the Wasm. The method
    // as the client sent it: one the router does not know (QUERY, PROPFIND…) stays unknown.
    let mut request = Request::new(Method::parse(&req.method()), &req.url());
    request.headers = http::entetes(&req.headers());
    // The scheme the visitor used: the URL's, or Cloudflare's word in `CF-Visitor`.
    request.scheme = crate::http::schema_visiteur(&request.scheme, request.header("cf-visitor"));
    request.body = match request.method {
        Method::Get | Method::Head => Vec::new(),
        _ => {
            let corps = JsFuture::from(req.array_buffer()?).await?;
            Uint8Array::new(&corps).to_vec()
        }
    };
    Ok(request)
}

/// A JavaScript error's message (or the value as text), for KV's and fetch's errors.
fn texte(erreur: JsValue) -> String {
    match erreur.dyn_ref::<worker::js_sys::Error>() {
        Some(erreur) => String::from(erreur.message()),
        None => erreur.as_string().unwrap_or_else(|| format!("{erreur:?}")),
    }
}

fn into_web_response(response: Response) -> Result<web_sys::Response, JsValue> {
    let headers = web_sys::Headers::new()?;
    for (name, value) in &response.headers {
        headers.append(name, value)?;
    }
    let init = web_sys::ResponseInit::new();
    init.set_status(response.status);
    init.set_headers(&headers);
    let corps = Uint8Array::from(response.body.as_slice());
    web_sys::Response::new_with_opt_buffer_source_and_init(Some(&corps), &init)
}
