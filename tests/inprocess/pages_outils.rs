//! What the page tests share: a tiny browser over the in-process app (it keeps cookies
//! and reads links and form fields from the HTML), and the answers each vertical's
//! booking form needs.

use booking_functions::http::{Method, Request, Response};
use booking_tests::percent_encode;
use booking_tests::{root, TestApp};

pub const VERTICALS: [&str; 3] = ["coach", "avocat", "garage"];

/// The page weight budget: HTML plus both stylesheets.
pub const BUDGET_OCTETS: usize = 50 * 1024;

/// Reverses askama's HTML escaping in attribute values.
pub fn unescape(s: &str) -> String {
    s.replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// Every `attr="…"` value in the page that starts with `prefix`, in order.
pub fn attributs(html: &str, attr: &str, prefix: &str) -> Vec<String> {
    let marque = format!("{attr}=\"");
    html.split(&marque)
        .skip(1)
        .filter_map(|reste| reste.split('"').next())
        .map(unescape)
        .filter(|v| v.starts_with(prefix))
        .collect()
}

pub fn lien(html: &str, prefix: &str) -> String {
    attributs(html, "href", prefix)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no link starting with {prefix} in:\n{html}"))
}

/// The value of the hidden or text input named `name`.
pub fn champ(html: &str, name: &str) -> String {
    let marque = format!("name=\"{name}\"");
    let apres = html
        .split(&marque)
        .nth(1)
        .unwrap_or_else(|| panic!("no field {name}"));
    let balise = apres.split('>').next().unwrap_or("");
    balise
        .split("value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .map(unescape)
        .unwrap_or_default()
}

/// A cookie the browser keeps: its name, the path it is sent under, its value.
#[derive(Debug, Clone)]
struct Cookie {
    nom: String,
    chemin: String,
    valeur: String,
}

/// Whether a cookie of path `cookie` goes with a request for `requete` (RFC 6265 5.1.4).
fn chemin_couvre(cookie: &str, requete: &str) -> bool {
    requete == cookie
        || (requete.starts_with(cookie)
            && (cookie.ends_with('/') || requete[cookie.len()..].starts_with('/')))
}

/// A browser: one host, a cookie jar that honours `Path` and `Max-Age=0`.
pub struct Navigateur<'a> {
    pub app: &'a TestApp,
    pub host: String,
    cookies: Vec<Cookie>,
}

impl<'a> Navigateur<'a> {
    pub fn new(app: &'a TestApp, vertical: &str) -> Navigateur<'a> {
        Navigateur {
            app,
            host: format!("{vertical}.localhost:8787"),
            cookies: Vec::new(),
        }
    }

    fn envoyer(&mut self, request: Request) -> Response {
        self.envoyer_par(request, false).0
    }

    /// Sends the request with the cookies kept; through a database that counts round
    /// trips if `compter` (then with their number).
    fn envoyer_par(&mut self, mut request: Request, compter: bool) -> (Response, u64) {
        let jar = self
            .cookies
            .iter()
            .filter(|c| chemin_couvre(&c.chemin, &request.path))
            .map(|c| format!("{}={}", c.nom, c.valeur))
            .collect::<Vec<_>>()
            .join("; ");
        if !jar.is_empty() {
            request.headers.push(("cookie".into(), jar));
        }
        let (response, trajets) = if compter {
            let (response, trajets, _) = self.app.send_compte(request);
            (response, trajets)
        } else {
            (self.app.send(request), 0)
        };
        for (nom, valeur) in &response.headers {
            if nom.eq_ignore_ascii_case("set-cookie") {
                self.garder(valeur);
            }
        }
        (response, trajets)
    }

    fn garder(&mut self, set_cookie: &str) {
        let mut parties = set_cookie.split(';').map(str::trim);
        let Some((nom, valeur)) = parties.next().and_then(|p| p.split_once('=')) else {
            return;
        };
        let mut chemin = "/".to_owned();
        let mut efface = false;
        for attribut in parties {
            let (k, v) = attribut.split_once('=').unwrap_or((attribut, ""));
            if k.eq_ignore_ascii_case("path") {
                chemin = v.to_owned();
            } else if k.eq_ignore_ascii_case("max-age") {
                efface = v.parse::<i64>().is_ok_and(|s| s <= 0);
            }
        }
        self.cookies
            .retain(|c| !(c.nom == nom && c.chemin == chemin));
        if !efface {
            self.cookies.push(Cookie {
                nom: nom.to_owned(),
                chemin,
                valeur: valeur.to_owned(),
            });
        }
    }

    /// The value of the cookie `nom` kept for `chemin`, if any.
    pub fn cookie(&self, nom: &str, chemin: &str) -> Option<String> {
        self.cookies
            .iter()
            .find(|c| c.nom == nom && c.chemin == chemin)
            .map(|c| c.valeur.clone())
    }

    /// GET, as a browser does it: without the `#fragment`.
    pub fn get(&mut self, chemin: &str) -> Response {
        let chemin = chemin.split('#').next().unwrap_or(chemin);
        let url = format!("http://{}{chemin}", self.host);
        self.envoyer(Request::new(Method::Get, &url))
    }

    /// GET that must answer 200; returns the HTML.
    pub fn page(&mut self, chemin: &str) -> String {
        let r = self.get(chemin);
        assert_eq!(r.status, 200, "{chemin}: {}", r.text());
        r.text()
    }

    pub fn post(&mut self, chemin: &str, champs: &[(&str, &str)]) -> Response {
        self.post_par(chemin, champs, false).0
    }

    fn post_par(
        &mut self,
        chemin: &str,
        champs: &[(&str, &str)],
        compter: bool,
    ) -> (Response, u64) {
        let url = format!("http://{}{chemin}", self.host);
        let mut request = Request::new(Method::Post, &url);
        request.headers.push((
            "content-type".into(),
            "application/x-www-form-urlencoded".into(),
        ));
        let corps = champs
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        request.body = corps.into_bytes();
        self.envoyer_par(request, compter)
    }

    /// A site-wide cookie the browser already holds (a session, for instance).
    pub fn poser_cookie(&mut self, nom: &str, valeur: &str) {
        self.garder(&format!("{nom}={valeur}; Path=/"));
    }

    pub fn oublier_cookies(&mut self) {
        self.cookies.clear();
    }
}

/// Valid answers to the vertical's own booking fields.
pub fn reponses(vertical: &str) -> Vec<(&'static str, &'static str)> {
    match vertical {
        "coach" => vec![("objectif", "Courir un 10 km"), ("format", "presentiel")],
        "avocat" => vec![
            ("domaine_droit", "travail"),
            ("mode", "cabinet"),
            ("resume", "Licenciement contesté"),
        ],
        _ => vec![
            ("immatriculation", "AB-123-CD"),
            ("marque", "Renault"),
            ("modele", "Clio"),
            ("kilometrage", "85000"),
        ],
    }
}

pub fn contact() -> Vec<(&'static str, &'static str)> {
    vec![
        ("nom", "Camille Martin"),
        ("email", "camille.martin@exemple.fr"),
        ("telephone", "06 12 34 56 78"),
        ("message", "Merci !"),
    ]
}

/// A response's text with HTML entities decoded (French apostrophes are escaped).
pub fn texte(r: &Response) -> String {
    unescape(&r.text())
}

/// The first published professional's profile path, found from the search page.
pub fn premier_profil(nav: &mut Navigateur<'_>) -> String {
    let html = nav.page("/recherche");
    lien(&html, "/professionnels/")
}

/// The first free slot's booking form path on a profile.
pub fn premier_creneau(nav: &mut Navigateur<'_>, profil: &str) -> String {
    let html = nav.page(profil);
    lien(&html, &format!("{profil}/reserver?"))
}

/// Fills and sends the booking form at `formulaire`; returns the POST's response.
pub fn reserver(nav: &mut Navigateur<'_>, vertical: &str, formulaire: &str) -> Response {
    reserver_par(nav, vertical, formulaire, false).0
}

/// [`reserver`], the POST through a database that counts round trips: the response and
/// how many trips it took.
pub fn reserver_compte(
    nav: &mut Navigateur<'_>,
    vertical: &str,
    formulaire: &str,
) -> (Response, u64) {
    reserver_par(nav, vertical, formulaire, true)
}

fn reserver_par(
    nav: &mut Navigateur<'_>,
    vertical: &str,
    formulaire: &str,
    compter: bool,
) -> (Response, u64) {
    reserver_avec(nav, vertical, formulaire, &[], compter)
}

/// Sends the booking form at `formulaire` as a client fills it, with `en_plus` besides
/// (a person chosen, say); the response and how many round trips it took when `compter`.
pub fn reserver_avec(
    nav: &mut Navigateur<'_>,
    vertical: &str,
    formulaire: &str,
    en_plus: &[(&str, &str)],
    compter: bool,
) -> (Response, u64) {
    let html = nav.page(formulaire);
    let action = attributs(&html, "action", "/professionnels/")
        .into_iter()
        .next()
        .expect("the form's action");
    let (csrf, service, debut) = (
        champ(&html, "csrf"),
        champ(&html, "service"),
        champ(&html, "debut"),
    );
    let mut champs: Vec<(&str, &str)> =
        vec![("csrf", &csrf), ("service", &service), ("debut", &debut)];
    champs.extend_from_slice(en_plus);
    champs.extend(contact());
    champs.extend(reponses(vertical));
    nav.post_par(&action, &champs, compter)
}

/// The path (and query) of a 303's `Location`.
pub fn redirection(r: &Response) -> String {
    assert_eq!(r.status, 303, "{}", r.text());
    r.header("location").expect("a Location").to_owned()
}

/// The id of the booking behind a manage or confirmation path.
pub fn id_de(chemin: &str) -> String {
    chemin
        .trim_start_matches("/reservations/")
        .split(['?', '/'])
        .next()
        .unwrap_or("")
        .to_owned()
}

/// The client of a request awaiting confirmation opens the e-mail's link (its secret
/// moves into a cookie and leaves the address) and presses its button; returns where
/// the button leads (the manage page, with its notice).
pub fn confirmer_par_le_lien(nav: &mut Navigateur<'_>, id: &str) -> String {
    let url = nav.app.confirmation_link_from_email(id);
    let sans_schema = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
    let chemin = format!("/{}", sans_schema.split_once('/').map_or("", |(_, p)| p));
    let echange = nav.get(&chemin);
    assert_eq!(echange.status, 303, "{}", echange.text());
    let propre = redirection(&echange);
    assert!(!propre.contains("token"), "{propre}");
    let html = nav.page(&propre);
    assert!(
        !html.contains("name=\"token\""),
        "the page carries the secret"
    );
    let action = attributs(&html, "action", "/reservations/")
        .into_iter()
        .next()
        .expect("the confirmation form");
    let r = nav.post(&action, &[("csrf", &champ(&html, "csrf"))]);
    redirection(&r)
}

pub fn nombre_reservations(app: &TestApp) -> i64 {
    app.db.scalar("SELECT count(*) FROM reservations")
}

/// HTML + site.css + theme.css, in bytes.
pub fn poids(app: &TestApp, vertical: &str, html: &str) -> usize {
    let site_css = std::fs::read(root().join("templates/public/assets/site.css"))
        .expect("site.css")
        .len();
    let theme = app
        .get(&format!("http://{vertical}.localhost/theme.css"))
        .body
        .len();
    html.len() + site_css + theme
}

/// Where the client lands after sending the booking form: the confirmation page's path,
/// through Stripe when a payment is due (the kit answers the session; Stripe would send
/// the client back to the session's `success_url`).
pub fn confirmation(nav: &Navigateur<'_>, r: &Response) -> String {
    let location = redirection(r);
    if !location.contains("/c/pay/") {
        return location;
    }
    let sent = nav.app.http.requests_to("/v1/checkout/sessions");
    let corps =
        String::from_utf8_lossy(&sent.last().expect("a checkout session").body).into_owned();
    let url = booking_functions::http::form_pairs(&corps)
        .into_iter()
        .find(|(k, _)| k == "success_url")
        .expect("a success_url")
        .1;
    let sans_schema = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
    format!("/{}", sans_schema.split_once('/').map_or("", |(_, p)| p))
}
