//! The end-to-end harness: one real `wrangler dev` (workerd, local D1 and KV) per test
//! binary, on a free port, with a fresh state folder prepared like `local-dev/dev` does.
//!
//! Beside it run the local stand-ins (`local-dev/standins/`): Stripe, whose signed
//! webhooks go to the server, and the mail sink; the Worker is pointed at them with
//! `--var`. Everything runs under a watchdog shell that reads our stdin pipe: when this
//! process ends — tests passed, failed or panicked — the pipe closes and the watchdog
//! kills the whole process group, so nothing is left running.

use std::cell::Cell;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock, RwLock, RwLockReadGuard};
use std::time::{Duration, Instant};

use crate::root;

/// The webhook secret the Stripe stand-in signs with, as the Worker is told.
pub const STRIPE_WEBHOOK_SECRET: &str = "whsec_local";

pub struct WranglerDev {
    pub port: u16,
    /// The Stripe stand-in (`/_test/events`, `/_test/sessions/{id}/pay`, …).
    pub stripe_port: u16,
    /// The mail sink (`/_test/messages`).
    pub mail_port: u16,
    /// The external calendars' stand-in (`PUT /<path>.ics`, `/_test/requetes`), which
    /// the Worker may fetch over plain http (`AGENDAS_HOTES_LOCAUX`).
    pub agendas_port: u16,
    pub state_dir: PathBuf,
    pub log_path: PathBuf,
    // Held open for the life of the process; its closing stops the server.
    _watchdog: Mutex<(Child, ChildStdin)>,
}

static SERVER: OnceLock<WranglerDev> = OnceLock::new();

/// The environment variable naming a prepared state folder to serve instead of a fresh
/// one (`local-dev/echelle`).
pub const ETAT: &str = "BOOKING_ETAT";

/// A client address of its own for each call (in 198.18.0.0/15, the benchmarking range):
/// for tests that book, so that one test does not spend another's per-source limits.
pub fn source_unique() -> String {
    static SUIVANTE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    // The process id spreads runs against one server (bench, soak) over the range too.
    let n = SUIVANTE.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        + std::process::id().wrapping_mul(7919);
    let n = n % (512 * 250);
    format!(
        "198.{}.{}.{}",
        18 + n / (256 * 250),
        (n / 250) % 256,
        n % 250 + 1
    )
}

/// The SQLite file of the local D1 database in a state folder (`--persist-to`), once
/// `wrangler` created it.
pub fn fichier_d1(state_dir: &std::path::Path) -> Option<PathBuf> {
    std::fs::read_dir(state_dir.join("v3/d1/miniflare-D1DatabaseObject"))
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.extension().is_some_and(|x| x == "sqlite")
                && p.file_name().is_some_and(|n| n != "metadata.sqlite")
        })
}

/// The test binary's server, started on first use.
pub fn server() -> &'static WranglerDev {
    SERVER.get_or_init(WranglerDev::start)
}

/// Removes the state folders of earlier runs whose process is gone.
fn remove_stale_states(states: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(states) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let alive = name
            .strip_prefix("state-")
            .is_some_and(|pid| std::path::Path::new("/proc").join(pid).exists());
        if !alive {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port")
}

impl WranglerDev {
    fn start() -> WranglerDev {
        let root = root();
        let port = free_port();
        let inspector_port = free_port();
        // The demo's external calendars name the stand-in's port.
        let agendas_port = free_port();
        let state_dir = match std::env::var_os(ETAT) {
            // A state prepared beforehand (the scale bench's), served as it is.
            Some(dossier) => PathBuf::from(dossier),
            None => {
                let states = root.join("target/e2e");
                remove_stale_states(&states);
                let state_dir = states.join(format!("state-{}", std::process::id()));
                let _ = std::fs::remove_dir_all(&state_dir);
                std::fs::create_dir_all(&state_dir).expect("state folder");
                let prepared = Command::new(root.join("local-dev/prepare-state"))
                    .arg(&state_dir)
                    .env("AGENDAS_PORT", agendas_port.to_string())
                    .status()
                    .expect("local-dev/prepare-state runs");
                assert!(prepared.success(), "local-dev/prepare-state failed");
                state_dir
            }
        };
        let log_path = state_dir.join("wrangler.log");

        let stripe_port = free_port();
        let mail_port = free_port();
        let script = format!(
            "trap 'kill 0' EXIT; source local-dev/lib.sh; \
             python3 local-dev/standins/stripe.py --port {stripe_port} \
             --public-url http://127.0.0.1:{stripe_port} \
             --webhook-url http://127.0.0.1:{port}/webhooks/stripe \
             --webhook-secret {STRIPE_WEBHOOK_SECRET} > '{dir}/stripe.log' 2>&1 & \
             python3 local-dev/standins/mail.py --port {mail_port} > '{dir}/mail.log' 2>&1 & \
             python3 local-dev/standins/agendas.py --port {agendas_port} > '{dir}/agendas.log' 2>&1 & \
             wrangler dev --ip 127.0.0.1 --port {port} --inspector-port {inspector_port} \
             --persist-to '{state}' --test-scheduled --show-interactive-dev-session=false \
             --var STRIPE_API_BASE:http://127.0.0.1:{stripe_port} \
             --var STRIPE_SECRET_KEY:sk_test_local \
             --var STRIPE_WEBHOOK_SECRET:{STRIPE_WEBHOOK_SECRET} \
             --var MAIL_API_BASE:http://127.0.0.1:{mail_port} \
             --var MAIL_API_KEY:mail_local \
             --var JWT_SECRET:e2e-jwt-secret-0123456789abcdef0123456789abcdef \
             --var AGENDAS_HOTES_LOCAUX:127.0.0.1:{agendas_port} \
             > '{log}' 2>&1 & read -r _",
            state = state_dir.display(),
            dir = state_dir.display(),
            log = log_path.display(),
        );
        let mut child = Command::new("setsid")
            .args(["bash", "-c", &script])
            .current_dir(&root)
            .env("BOOKING_SKIP_BUILD", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("wrangler dev starts");
        let stdin = child.stdin.take().expect("watchdog pipe");
        let server = WranglerDev {
            port,
            stripe_port,
            mail_port,
            agendas_port,
            state_dir,
            log_path,
            _watchdog: Mutex::new((child, stdin)),
        };
        server.wait_until_ready(Duration::from_secs(120));
        server
    }

    fn wait_until_ready(&self, limit: Duration) {
        let started = Instant::now();
        while started.elapsed() < limit {
            let ready = |r: std::io::Result<HttpResponse>| r.is_ok_and(|r| r.status == 200);
            if ready(self.get("localhost", "/healthz"))
                && ready(self.stripe("GET", "/_test/sessions", b""))
                && ready(self.mail("GET", "/_test/messages", b""))
                && ready(self.agendas("GET", "/healthz", b""))
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        let log = std::fs::read_to_string(&self.log_path).unwrap_or_default();
        panic!("wrangler dev did not answer /healthz within {limit:?}; its log:\n{log}");
    }

    pub fn get(&self, host: &str, path: &str) -> std::io::Result<HttpResponse> {
        self.request("GET", host, path, &[], b"")
    }

    pub fn post(
        &self,
        host: &str,
        path: &str,
        content_type: &str,
        body: &[u8],
    ) -> std::io::Result<HttpResponse> {
        self.request("POST", host, path, &[("content-type", content_type)], body)
    }

    /// One HTTP/1.1 request to the server with the given Host (a vertical's domain).
    pub fn request(
        &self,
        method: &str,
        host: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<HttpResponse> {
        request_to(
            self.port,
            method,
            &format!("{host}:{}", self.port),
            path,
            headers,
            body,
        )
    }

    /// A request to the Stripe stand-in (form-encoded when there is a body).
    pub fn stripe(&self, method: &str, path: &str, body: &[u8]) -> std::io::Result<HttpResponse> {
        let headers = [
            ("content-type", "application/x-www-form-urlencoded"),
            ("authorization", "Bearer sk_test_local"),
        ];
        let host = format!("127.0.0.1:{}", self.stripe_port);
        request_to(self.stripe_port, method, &host, path, &headers, body)
    }

    /// A request to the mail sink (JSON when there is a body).
    pub fn mail(&self, method: &str, path: &str, body: &[u8]) -> std::io::Result<HttpResponse> {
        let headers = [("content-type", "application/json")];
        let host = format!("127.0.0.1:{}", self.mail_port);
        request_to(self.mail_port, method, &host, path, &headers, body)
    }

    /// A request to the external calendars' stand-in (`text/calendar` when there is a
    /// body).
    pub fn agendas(&self, method: &str, path: &str, body: &[u8]) -> std::io::Result<HttpResponse> {
        let headers = [("content-type", "text/calendar")];
        let host = format!("127.0.0.1:{}", self.agendas_port);
        request_to(self.agendas_port, method, &host, path, &headers, body)
    }

    /// A POST from a client source of its own: `ip` goes in `CF-Connecting-IP`, which
    /// wrangler dev passes through as Cloudflare sets it (without it, every request of
    /// the run would come from 127.0.0.1 and share one source's booking limits).
    pub fn post_from(
        &self,
        host: &str,
        path: &str,
        content_type: &str,
        body: &[u8],
        ip: &str,
    ) -> std::io::Result<HttpResponse> {
        self.request(
            "POST",
            host,
            path,
            &[("content-type", content_type), ("cf-connecting-ip", ip)],
            body,
        )
    }

    /// Runs the scheduled job once (`/__scheduled`).
    pub fn scheduled(&self) {
        let r = self
            .get("localhost", "/__scheduled?cron=*/5+*+*+*+*")
            .expect("the scheduled job answers");
        assert_eq!(r.status, 200, "{}", r.text());
    }

    /// The messages the mail sink received whose idempotency key starts with `cle`,
    /// waiting up to 20 s for at least `count` of them.
    pub fn mails(&self, cle: &str, count: usize) -> Vec<serde_json::Value> {
        let started = Instant::now();
        loop {
            let r = self
                .mail("GET", "/_test/messages", b"")
                .expect("the mail sink answers");
            let found: Vec<serde_json::Value> = r
                .json()
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter(|m| {
                    m["idempotency_key"]
                        .as_str()
                        .is_some_and(|k| k.starts_with(cle))
                })
                .collect();
            if found.len() >= count || started.elapsed() > Duration::from_secs(20) {
                return found;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// The path of the link in the e-mail asking to confirm a guest's request (sent by a
    /// scheduled run triggered here).
    pub fn confirmation_path_from_email(&self, reservation_id: &str) -> String {
        self.scheduled();
        let mails = self.mails(&format!("demande_confirmation:{reservation_id}"), 1);
        let text = mails
            .first()
            .and_then(|m| m["text"].as_str())
            .unwrap_or_else(|| panic!("no e-mail asks to confirm {reservation_id}"))
            .to_owned();
        let chemin = format!("/reservations/{reservation_id}/confirmer?token=");
        let debut = text
            .find(&chemin)
            .unwrap_or_else(|| panic!("no confirmation link in: {text}"));
        let jeton: String = text[debut + chemin.len()..]
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        format!("{chemin}{jeton}")
    }

    /// The client of a guest's request confirms it as the e-mail asks, through
    /// `POST /api/v1/reservations/{id}/confirmer` with the link's secret; returns the
    /// confirmed booking.
    pub fn confirm_from_email(&self, host: &str, reservation_id: &str) -> serde_json::Value {
        let chemin = self.confirmation_path_from_email(reservation_id);
        let jeton = chemin.rsplit('=').next().unwrap_or_default();
        let r = self
            .post(
                host,
                &format!("/api/v1/reservations/{reservation_id}/confirmer"),
                "application/json",
                serde_json::json!({ "token": jeton }).to_string().as_bytes(),
            )
            .expect("an answer");
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()
    }

    /// A single number from the server's local D1 database, for assertions (read-only).
    pub fn d1_scalar(&self, sql: &str) -> i64 {
        let file = fichier_d1(&self.state_dir).expect("the local D1 database file");
        let connection = rusqlite::Connection::open_with_flags(
            &file,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .expect("D1 database opens");
        connection
            .busy_timeout(Duration::from_secs(5))
            .expect("busy timeout");
        connection
            .query_row(sql, [], |row| row.get(0))
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Writes to the server's local D1 database behind the Worker's back, for what a test
    /// cannot wait for (time passing: a hold's end moved into the past). The database is
    /// in WAL mode, so the Worker reads the change at its next query. workerd's SQLite
    /// does not wait for a lock (a query meeting this write would answer 500): the write
    /// waits until no request of the tests is in flight (nor a browser open), and holds
    /// the next ones back meanwhile. Panics when the calling thread holds an open browser
    /// itself (the wait for it would never end): close it first.
    pub fn d1_execute(&self, sql: &str) -> usize {
        aucun_navigateur_sur_ce_fil();
        let _navigateurs = NAVIGATEURS.write().unwrap_or_else(|e| e.into_inner());
        let _seul = EN_VOL.write().unwrap_or_else(|e| e.into_inner());
        let file = fichier_d1(&self.state_dir).expect("the local D1 database file");
        let connection = rusqlite::Connection::open(&file).expect("D1 database opens");
        connection
            .busy_timeout(Duration::from_secs(5))
            .expect("busy timeout");
        connection
            .execute(sql, [])
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// Held for reading by every request of the tests to the Worker and its stand-ins (a
/// stand-in may call the Worker: Stripe's webhooks), for writing by [`WranglerDev::d1_execute`].
static EN_VOL: RwLock<()> = RwLock::new(());
/// Held for reading by each open browser (its requests do not go through
/// [`request_to`]), for writing by [`WranglerDev::d1_execute`] before it waits for
/// [`EN_VOL`].
static NAVIGATEURS: RwLock<()> = RwLock::new(());

thread_local! {
    /// Browsers open on this thread (a [`NavigateurOuvert`] cannot leave its thread).
    static NAVIGATEURS_DU_FIL: Cell<usize> = const { Cell::new(0) };
}

/// An open browser's hold on [`NAVIGATEURS`], counted on its thread.
pub(crate) struct NavigateurOuvert {
    _garde: RwLockReadGuard<'static, ()>,
}

pub(crate) fn navigateur_ouvert() -> NavigateurOuvert {
    let garde = NAVIGATEURS.read().unwrap_or_else(|e| e.into_inner());
    NAVIGATEURS_DU_FIL.with(|n| n.set(n.get() + 1));
    NavigateurOuvert { _garde: garde }
}

impl Drop for NavigateurOuvert {
    fn drop(&mut self) {
        NAVIGATEURS_DU_FIL.with(|n| n.set(n.get().saturating_sub(1)));
    }
}

/// [`WranglerDev::d1_execute`] waits for every browser to close: one held by the calling
/// thread never would (a deadlock), so it is refused at once.
fn aucun_navigateur_sur_ce_fil() {
    assert_eq!(
        NAVIGATEURS_DU_FIL.with(Cell::get),
        0,
        "d1_execute from a thread holding an open browser would wait for it forever: \
         drop the browser first"
    );
}

#[cfg(test)]
mod tests {
    #[test]
    #[should_panic(expected = "holding an open browser")]
    fn writing_behind_the_workers_back_while_this_thread_holds_a_browser_is_refused() {
        let _navigateur = super::navigateur_ouvert();
        super::aucun_navigateur_sur_ce_fil();
    }

    #[test]
    fn once_the_browser_is_closed_the_write_may_wait_for_the_others() {
        drop(super::navigateur_ouvert());
        super::aucun_navigateur_sur_ce_fil();
    }
}

/// One HTTP/1.1 request to a local port, with the given Host header.
fn request_to(
    port: u16,
    method: &str,
    host: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<HttpResponse> {
    let _en_vol = EN_VOL.read().unwrap_or_else(|e| e.into_inner());
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(60)))?;
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    read_response(stream, method.eq_ignore_ascii_case("HEAD"))
}

#[derive(Debug)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

fn invalid(message: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message.to_owned())
}

/// Reads one response. The body ends at its Content-Length (or last chunk): the dev
/// server keeps the connection open for a few seconds even after `Connection: close`,
/// so waiting for the end of the stream would add that delay to every request.
fn read_response(stream: TcpStream, head: bool) -> std::io::Result<HttpResponse> {
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line)?;
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| invalid("no status line"))?;
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let chunked = headers
        .iter()
        .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size_line = String::new();
            reader.read_line(&mut size_line)?;
            let size = usize::from_str_radix(size_line.trim().split(';').next().unwrap_or(""), 16)
                .map_err(|_| invalid("bad chunk size"))?;
            if size == 0 {
                break;
            }
            let mut chunk = vec![0; size];
            reader.read_exact(&mut chunk)?;
            body.extend_from_slice(&chunk);
            let mut crlf = [0; 2];
            reader.read_exact(&mut crlf)?;
        }
    } else if head {
        // A HEAD response announces a length but carries no body.
    } else if let Some(length) = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
    {
        body = vec![0; length];
        reader.read_exact(&mut body)?;
    } else if !(head || status == 204 || status == 304 || (100..200).contains(&status)) {
        reader.read_to_end(&mut body)?;
    }
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}
