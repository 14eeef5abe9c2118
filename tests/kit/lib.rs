//! The test kit: the whole HTTP surface in-process, on SQLite with the real migrations,
//! and the end-to-end harness that drives a real `wrangler dev`.
//!
//! `TestApp::spawn()` gives each test a fresh in-memory database, the vertical
//! documents of `verticals/`, and a clock it controls.

pub mod charge;
pub mod compteur;
pub mod config;
pub mod demo;
pub mod echelle;
pub mod entrelace;
pub mod http;
pub mod sql_script;
pub mod sqlite;
pub mod webdriver;
pub mod wrangler;

use std::cell::Cell;
use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};

use booking_functions::app::{self, Ctx, Settings};
use booking_functions::http::{Method, Request, Response};
use booking_functions::random::OsRandom;
use booking_functions::verticals::VerticalCache;
use booking_shared::ports::Clock;

pub use config::MemoryConfig;
pub use http::RecordingHttp;

/// Percent-encodes a value for a query string, a form body or a path segment.
pub fn percent_encode(value: &str) -> String {
    booking_shared::render::format::encoder(value)
}

/// A response's body as JSON.
pub fn json(response: &Response) -> serde_json::Value {
    serde_json::from_slice(&response.body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", response.text()))
}
pub use sqlite::SqliteDb;

/// The repository's root folder.
/// The value after `nom` on the command line (`--secondes 10`), for the tools of `bin/`.
pub fn argument(nom: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == nom)
        .and_then(|i| args.get(i + 1).cloned())
}

/// The number after `nom` on the command line, or `defaut`.
pub fn argument_nombre<T: std::str::FromStr>(nom: &str, defaut: T) -> T {
    argument(nom).and_then(|s| s.parse().ok()).unwrap_or(defaut)
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// A clock that stands still until a test moves it.
pub struct TestClock(Cell<DateTime<Utc>>);

impl TestClock {
    pub fn at(now: DateTime<Utc>) -> TestClock {
        TestClock(Cell::new(now))
    }

    pub fn set(&self, now: DateTime<Utc>) {
        self.0.set(now);
    }

    pub fn advance(&self, by: chrono::Duration) {
        self.0.set(self.0.get() + by);
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        self.0.get()
    }
}

pub struct TestApp {
    pub db: SqliteDb,
    pub config: MemoryConfig,
    pub verticals: VerticalCache,
    pub clock: TestClock,
    pub http: RecordingHttp,
    pub settings: Settings,
}

impl TestApp {
    /// A fresh app: empty database with every migration applied, the three verticals.
    pub fn spawn() -> TestApp {
        TestApp {
            db: SqliteDb::migrated(),
            config: MemoryConfig::from_verticals_folder(),
            verticals: VerticalCache::new(),
            clock: TestClock::at(
                Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0)
                    .single()
                    .unwrap_or_default(),
            ),
            http: RecordingHttp::default(),
            settings: Settings {
                version: "test".into(),
                stripe_api_base: "http://stripe.test".into(),
                stripe_secret_key: "sk_test_kit".into(),
                stripe_webhook_secret: "whsec_kit".into(),
                mail_api_base: "http://mail.test".into(),
                mail_api_key: "mail_kit".into(),
                mail_from: "Booking Multisite <reservations@booking-multisite.fr>".into(),
                jwt_secret: "kit-secret-0123456789abcdef0123456789abcdef".into(),
                agendas_locaux: Vec::new(),
            },
        }
    }

    /// Loads the demo data that `local-dev/dev` loads, generated for the clock's date
    /// (without the demo accounts' password).
    pub fn with_demo_data(self) -> TestApp {
        let aujourdhui = self.clock.now().date_naive();
        let configs = demo::configurations().unwrap_or_else(|e| panic!("demo: {e}"));
        futures::executor::block_on(demo::charger(&self.db, aujourdhui, &configs, None))
            .unwrap_or_else(|e| panic!("demo: {e}"));
        // Their next free slots, as the scheduled job computes them after a load.
        let configs: Vec<_> = configs.into_iter().map(std::rc::Rc::new).collect();
        futures::executor::block_on(booking_shared::cas::prochaine_dispo::rattraper(
            &self.db,
            &configs,
            self.clock.now(),
        ))
        .unwrap_or_else(|e| panic!("demo: {e}"));
        self
    }

    /// The platform behind one request or scheduled run, on `db` (the database itself, or
    /// a wrapper of it).
    fn ctx<'a>(&'a self, db: &'a dyn booking_shared::store::Db) -> Ctx<'a> {
        Ctx {
            db,
            config: &self.config,
            verticals: &self.verticals,
            clock: &self.clock,
            random: &OsRandom,
            http: &self.http,
            settings: &self.settings,
        }
    }

    pub fn send(&self, request: Request) -> Response {
        let ctx = self.ctx(&self.db);
        futures::executor::block_on(app::handle(&ctx, request))
    }

    /// One run of the scheduled job (`booking_functions::cron::run`) at the clock's time.
    /// Sends a request through a database that counts its round trips
    /// ([`compteur::Compteur`]): the response, the trips it took, and the D1 bookmark it
    /// continued from.
    pub fn send_compte(&self, request: Request) -> (Response, u64, Option<String>) {
        let db = compteur::Compteur::new(&self.db);
        let ctx = self.ctx(&db);
        let response = futures::executor::block_on(app::handle(&ctx, request));
        let continue_de = db.continue_de.borrow().clone();
        let trajets = booking_shared::store::Db::mesure(&db).trajets;
        (response, trajets, continue_de)
    }

    pub fn run_cron(&self) {
        let ctx = self.ctx(&self.db);
        futures::executor::block_on(booking_functions::cron::run(&ctx));
    }

    pub fn get(&self, url: &str) -> Response {
        self.send(Request::new(Method::Get, url))
    }

    /// GET with a booking's manage secret in the `X-Jeton-Gestion` header (the API).
    pub fn get_gestion(&self, url: &str, jeton: &str) -> Response {
        let mut request = Request::new(Method::Get, url);
        request
            .headers
            .push(("x-jeton-gestion".into(), jeton.into()));
        self.send(request)
    }

    pub fn post_json(&self, url: &str, body: &serde_json::Value) -> Response {
        self.post(url, "application/json", &body.to_string())
    }

    /// The free slots the API offers, as (start, end) in ISO 8601 with offset.
    pub fn creneaux(
        &self,
        host: &str,
        slug: &str,
        service: i64,
        du: &str,
        au: &str,
    ) -> Vec<(String, String)> {
        let r = self.get(&format!(
            "http://{host}/api/v1/professionnels/{slug}/creneaux?service={service}&du={du}&au={au}"
        ));
        assert_eq!(r.status, 200, "{}", r.text());
        json(&r)["creneaux"]
            .as_array()
            .expect("a slot list")
            .iter()
            .map(|c| {
                (
                    c["debut"].as_str().unwrap_or("").to_owned(),
                    c["fin"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    }

    pub fn post(&self, url: &str, content_type: &str, body: &str) -> Response {
        self.send(post_request(url, content_type, body))
    }

    /// A JSON POST from one client source: `ip` goes in `CF-Connecting-IP`, as Cloudflare
    /// sets it (in-process requests otherwise all come from the source `inconnue`).
    pub fn post_json_from(&self, url: &str, body: &serde_json::Value, ip: &str) -> Response {
        let mut request = post_request(url, "application/json", &body.to_string());
        request
            .headers
            .push(("cf-connecting-ip".into(), ip.to_owned()));
        self.send(request)
    }

    /// Sends one request over another database (a wrapper of [`Self::db`] that does
    /// something between two calls).
    pub fn send_over(&self, db: &dyn booking_shared::store::Db, request: Request) -> Response {
        let ctx = self.ctx(db);
        futures::executor::block_on(app::handle(&ctx, request))
    }

    /// Sends every request at once: each one pauses before each of its database calls,
    /// so that all of them read before any of them writes — the race a read-then-write
    /// check would lose (see [`entrelace`]).
    pub fn send_all_at_once(&self, requests: Vec<Request>) -> Vec<Response> {
        let db = entrelace::Entrelace(&self.db);
        let ctx = self.ctx(&db);
        let ctx = &ctx;
        futures::executor::block_on(futures::future::join_all(
            requests.into_iter().map(|r| app::handle(ctx, r)),
        ))
    }

    /// `n` runs of the scheduled job at once, interleaved at each database call like
    /// [`Self::send_all_at_once`]: runs that overlap.
    pub fn run_crons_at_once(&self, n: usize) {
        let db = entrelace::Entrelace(&self.db);
        let ctx = self.ctx(&db);
        let ctx = &ctx;
        futures::executor::block_on(futures::future::join_all(
            (0..n).map(|_| booking_functions::cron::run(ctx)),
        ));
    }

    /// The link of the e-mail that asks the client of a booking to confirm it: the
    /// scheduled job runs (and sends `demande_confirmation:<id>`), then the link is read
    /// from the text the mail API received. Panics if there is none.
    pub fn confirmation_link_from_email(&self, reservation_id: &str) -> String {
        self.run_cron();
        let cle = format!("demande_confirmation:{reservation_id}");
        let mail = self
            .http
            .requests_to("/emails")
            .into_iter()
            .rev()
            .find(|r| {
                r.headers
                    .iter()
                    .any(|(k, v)| k.eq_ignore_ascii_case("idempotency-key") && *v == cle)
            })
            .unwrap_or_else(|| panic!("no e-mail {cle} was sent"));
        let body: serde_json::Value =
            serde_json::from_slice(&mail.body).expect("the mail API gets JSON");
        let text = body["text"].as_str().unwrap_or_default();
        let chemin = format!("/reservations/{reservation_id}/confirmer?token=");
        let debut = text
            .find(&chemin)
            .unwrap_or_else(|| panic!("no confirmation link in the e-mail: {text}"));
        let base = text[..debut]
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or_default();
        let jeton: String = text[debut + chemin.len()..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        format!("{base}{chemin}{jeton}")
    }

    /// The client of a booking awaiting confirmation does what the e-mail asks: the
    /// secret of the e-mail's link (see [`Self::confirmation_link_from_email`]) confirms
    /// the booking through `POST /api/v1/reservations/{id}/confirmer`. Returns the
    /// confirmed booking (JSON); panics if any step fails.
    pub fn confirm_from_email(&self, reservation_id: &str) -> serde_json::Value {
        let lien = self.confirmation_link_from_email(reservation_id);
        let (base, jeton) = lien
            .split_once(&format!("/reservations/{reservation_id}/confirmer?token="))
            .unwrap_or_default();
        let r = self.post_json(
            &format!("{base}/api/v1/reservations/{reservation_id}/confirmer"),
            &serde_json::json!({ "token": jeton }),
        );
        assert_eq!(r.status, 200, "confirmation refused: {}", r.text());
        json(&r)
    }
}

fn post_request(url: &str, content_type: &str, body: &str) -> Request {
    let mut request = Request::new(Method::Post, url);
    request
        .headers
        .push(("content-type".into(), content_type.into()));
    request.body = body.as_bytes().to_vec();
    request
}
