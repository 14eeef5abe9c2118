//! A small W3C WebDriver client driving Debian's headless Chromium through
//! `chromedriver`, for the end-to-end browser test.
//!
//! chromedriver runs under the same watchdog as `wrangler dev` (see [`crate::wrangler`]):
//! a shell that reads our stdin pipe and kills its whole process group when the pipe
//! closes, so the driver and its browser never outlive the test, even when it panics or
//! is killed. [`Navigateur`]'s `Drop` also ends the session (closing Chromium) first.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// Where Debian puts the browser and its driver.
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn free_port() -> std::io::Result<u16> {
    TcpListener::bind("127.0.0.1:0")?
        .local_addr()
        .map(|a| a.port())
}

/// One headless Chromium, driven over WebDriver.
pub struct Navigateur {
    port: u16,
    session: String,
    profil: PathBuf,
    watchdog: Option<(Child, ChildStdin)>,
    /// While a browser is open, nothing writes to wrangler's D1 behind the Worker's back.
    _sans_ecriture: crate::wrangler::NavigateurOuvert,
}

/// An element of the current page.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Navigateur {
    /// Starts chromedriver on a free port and opens a session with a fresh profile.
    pub fn lancer() -> Result<Navigateur, String> {
        for binaire in [CHROMIUM, CHROMEDRIVER] {
            if !Path::new(binaire).exists() {
                return Err(format!(
                    "{binaire} manque : lancez local-dev/setup (paquets chromium et chromium-driver)"
                ));
            }
        }
        let port = free_port().map_err(|e| e.to_string())?;
        let profil =
            std::env::temp_dir().join(format!("booking-chromium-{}-{port}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profil);
        std::fs::create_dir_all(&profil).map_err(|e| e.to_string())?;
        let log = profil.with_extension("log");
        let script = format!(
            "trap 'kill 0' EXIT; {CHROMEDRIVER} --port={port} --allowed-ips=127.0.0.1 > '{}' 2>&1 & read -r _",
            log.display()
        );
        let mut child = Command::new("setsid")
            .args(["bash", "-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("chromedriver ne démarre pas : {e}"))?;
        let stdin = child
            .stdin
            .take()
            .ok_or("pas de tube vers le chien de garde")?;
        let mut navigateur = Navigateur {
            port,
            session: String::new(),
            profil,
            watchdog: Some((child, stdin)),
            _sans_ecriture: crate::wrangler::navigateur_ouvert(),
        };
        let debut = Instant::now();
        while navigateur.appel("GET", "/status", None).is_err() {
            if debut.elapsed() > Duration::from_secs(20) {
                return Err(format!(
                    "chromedriver ne répond pas ; son journal :\n{}",
                    std::fs::read_to_string(&log).unwrap_or_default()
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let arguments = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
            "--window-size=1280,1000",
        ]
        .iter()
        .map(|a| a.to_string())
        .chain([format!("--user-data-dir={}", navigateur.profil.display())])
        .collect::<Vec<_>>();
        let reponse = navigateur.appel(
            "POST",
            "/session",
            Some(json!({ "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": { "binary": CHROMIUM, "args": arguments },
            }}})),
        )?;
        navigateur.session = reponse["sessionId"]
            .as_str()
            .ok_or_else(|| format!("pas de session : {reponse}"))?
            .to_owned();
        navigateur.appel_session(
            "POST",
            "/timeouts",
            Some(json!({ "pageLoad": 60000, "implicit": 5000, "script": 120000 })),
        )?;
        Ok(navigateur)
    }

    /// One WebDriver command; returns its `value`.
    fn appel(&self, methode: &str, chemin: &str, corps: Option<Value>) -> Result<Value, String> {
        let corps = corps.map(|c| c.to_string()).unwrap_or_default();
        let mut flux = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
        flux.set_read_timeout(Some(Duration::from_secs(120)))
            .map_err(|e| e.to_string())?;
        let requete = format!(
            "{methode} {chemin} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{corps}",
            self.port,
            corps.len()
        );
        flux.write_all(requete.as_bytes())
            .map_err(|e| e.to_string())?;
        // chromedriver may keep the connection open: read exactly Content-Length bytes.
        let mut lecteur = BufReader::new(flux);
        let mut tete = String::new();
        loop {
            let mut ligne = String::new();
            let lu = lecteur.read_line(&mut ligne).map_err(|e| e.to_string())?;
            if lu == 0 || ligne == "\r\n" {
                break;
            }
            tete.push_str(&ligne);
        }
        let longueur = tete
            .lines()
            .filter_map(|l| l.split_once(':'))
            .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.trim().parse::<usize>().ok())
            .ok_or("réponse sans Content-Length")?;
        let mut corps = vec![0; longueur];
        lecteur.read_exact(&mut corps).map_err(|e| e.to_string())?;
        let json_texte = String::from_utf8_lossy(&corps);
        let valeur: Value =
            serde_json::from_str(&json_texte).map_err(|e| format!("{e}: {json_texte}"))?;
        if !tete.starts_with("HTTP/1.1 200") {
            return Err(format!("{methode} {chemin} : {}", valeur["value"]));
        }
        Ok(valeur["value"].clone())
    }

    fn appel_session(
        &self,
        methode: &str,
        chemin: &str,
        corps: Option<Value>,
    ) -> Result<Value, String> {
        self.appel(
            methode,
            &format!("/session/{}{chemin}", self.session),
            corps,
        )
    }

    pub fn aller(&self, url: &str) -> Result<(), String> {
        self.appel_session("POST", "/url", Some(json!({ "url": url })))
            .map(|_| ())
    }

    pub fn url(&self) -> Result<String, String> {
        self.appel_session("GET", "/url", None)
            .map(|v| v.as_str().unwrap_or("").to_owned())
    }

    pub fn source(&self) -> Result<String, String> {
        self.appel_session("GET", "/source", None)
            .map(|v| v.as_str().unwrap_or("").to_owned())
    }

    fn trouver_par(&self, using: &str, valeur: &str) -> Result<Element, String> {
        let v = self.appel_session(
            "POST",
            "/element",
            Some(json!({ "using": using, "value": valeur })),
        )?;
        v[ELEMENT]
            .as_str()
            .map(|id| Element(id.to_owned()))
            .ok_or_else(|| format!("pas d'élément {valeur} : {v}"))
    }

    /// The first element matching a CSS selector (waits up to 5 s for it).
    pub fn trouver(&self, css: &str) -> Result<Element, String> {
        self.trouver_par("css selector", css)
    }

    /// The first button whose text contains `texte`.
    pub fn bouton(&self, texte: &str) -> Result<Element, String> {
        self.trouver_par(
            "xpath",
            &format!("//button[contains(normalize-space(.), '{texte}')] | //input[@type='submit' and contains(@value, '{texte}')]"),
        )
    }

    pub fn cliquer(&self, element: &Element) -> Result<(), String> {
        self.appel_session(
            "POST",
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        )
        .map(|_| ())
    }

    pub fn saisir(&self, element: &Element, texte: &str) -> Result<(), String> {
        self.appel_session(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(json!({ "text": texte })),
        )
        .map(|_| ())
    }

    /// Waits until the current URL contains `fragment`.
    pub fn attendre_url(&self, fragment: &str, limite: Duration) -> Result<String, String> {
        let debut = Instant::now();
        loop {
            let url = self.url()?;
            if url.contains(fragment) {
                return Ok(url);
            }
            if debut.elapsed() > limite {
                return Err(format!("l'adresse {url} ne contient pas {fragment}"));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Runs `script` (a function body; `arguments` holds `args`) in the page and returns
    /// what it returns. WebDriver runs it through the DevTools protocol, outside the
    /// page's Content-Security-Policy: nothing in the page's CSP is relaxed for it.
    pub fn executer(&self, script: &str, args: Value) -> Result<Value, String> {
        self.appel_session(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Like [`Navigateur::executer`], for a script that finishes by calling its last
    /// argument (a callback) with its result.
    pub fn executer_async(&self, script: &str, args: Value) -> Result<Value, String> {
        self.appel_session(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// A PNG of the viewport, written to `chemin`.
    pub fn capture(&self, chemin: &Path) -> Result<(), String> {
        let b64 = self.appel_session("GET", "/screenshot", None)?;
        let png = base64_decode(b64.as_str().unwrap_or(""))?;
        if let Some(dossier) = chemin.parent() {
            std::fs::create_dir_all(dossier).map_err(|e| e.to_string())?;
        }
        std::fs::write(chemin, png).map_err(|e| e.to_string())
    }
}

impl Drop for Navigateur {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let _ = self.appel_session("DELETE", "", None);
        }
        // Closing the pipe makes the watchdog kill chromedriver and anything it left.
        if let Some((mut child, stdin)) = self.watchdog.take() {
            drop(stdin);
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.profil);
    }
}

fn base64_decode(texte: &str) -> Result<Vec<u8>, String> {
    let valeur = |c: u8| -> Result<u32, String> {
        Ok(match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return Err(format!("caractère base64 invalide {c}")),
        })
    };
    let propre: Vec<u8> = texte
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut sortie = Vec::with_capacity(propre.len() * 3 / 4);
    for bloc in propre.chunks(4) {
        let mut n = 0u32;
        for (i, c) in bloc.iter().enumerate() {
            n |= valeur(*c)? << (18 - 6 * i);
        }
        let octets = n.to_be_bytes();
        sortie.extend_from_slice(&octets[1..bloc.len()]);
    }
    Ok(sortie)
}

#[cfg(test)]
mod tests {
    #[test]
    fn base64_decodes_padded_and_unpadded_input() {
        assert_eq!(super::base64_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(super::base64_decode("aGk").unwrap(), b"hi");
        assert_eq!(super::base64_decode("YWJj").unwrap(), b"abc");
    }
}
