//! Requests and responses as plain data, independent of the runtime.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Patch,
    Delete,
    Options,
    Other,
}

impl Method {
    pub fn parse(name: &str) -> Method {
        match name.to_ascii_uppercase().as_str() {
            "GET" => Method::Get,
            "HEAD" => Method::Head,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            "OPTIONS" => Method::Options,
            _ => Method::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Other => "OTHER",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    /// Host name as the client sent it, lower-cased, without the port.
    pub host: String,
    /// `http` or `https`, as the client reached us.
    pub scheme: String,
    /// The port when it is not the scheme's default (local development).
    pub port: Option<u16>,
    pub path: String,
    /// The raw query string, without `?`.
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn new(method: Method, url: &str) -> Request {
        let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
        let (authority, path_query) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.is_empty() && !p.contains(']') => (h, p.parse().ok()),
            _ => (authority, None),
        };
        let scheme = scheme.to_ascii_lowercase();
        // A scheme's default port is no port, as a URL serialises it.
        let port = port.filter(|p| !matches!((scheme.as_str(), p), ("http", 80) | ("https", 443)));
        let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
        Request {
            method,
            host: host.to_ascii_lowercase(),
            scheme,
            port,
            path: path.to_owned(),
            query: query.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A cookie's value, from the `Cookie` header (the first one of that name).
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies(name).into_iter().next()
    }

    /// Every value sent under a cookie name: a browser sends several when cookies of one
    /// name were set for several paths or domains, most specific path first.
    pub fn cookies(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.to_owned())
            .collect()
    }

    /// Whether the client reached us over https.
    pub fn est_https(&self) -> bool {
        self.scheme == "https"
    }

    /// Whether the host is this machine (local development): `localhost`, `*.localhost`
    /// or a loopback address. Every other host is a production domain.
    pub fn est_locale(&self) -> bool {
        let host = self.host.trim_end_matches('.');
        let ip = host.trim_start_matches('[').trim_end_matches(']');
        host == "localhost"
            || host.ends_with(".localhost")
            || ip
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback())
    }

    /// The decoded fields of an `application/x-www-form-urlencoded` body.
    pub fn form(&self) -> Vec<(String, String)> {
        form_pairs(&String::from_utf8_lossy(&self.body))
    }

    /// The query parameter's first value, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        form_pairs(&self.query)
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// Scheme, host and port as the client reached us, e.g. `http://coach.localhost:8787`.
    pub fn origin(&self) -> String {
        match self.port {
            Some(port) => format!("{}://{}:{}", self.scheme, self.host, port),
            None => format!("{}://{}", self.scheme, self.host),
        }
    }
}

/// The parameters of a matched route, in pattern order (`{id}` in `/avis/{id}`…).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Params(pub Vec<(&'static str, String)>);

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The scheme the visitor used: the URL's, unless Cloudflare's `CF-Visitor` header
/// (`{"scheme":"https"}`, set by the edge) says otherwise.
pub fn schema_visiteur(schema_url: &str, cf_visitor: Option<&str>) -> String {
    let annonce = cf_visitor
        .and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok())
        .and_then(|v| v.get("scheme")?.as_str().map(str::to_ascii_lowercase))
        .filter(|s| s == "http" || s == "https");
    annonce.unwrap_or_else(|| schema_url.to_ascii_lowercase())
}

/// Decodes `application/x-www-form-urlencoded` pairs (also the query string).
pub fn form_pairs(encoded: &str) -> Vec<(String, String)> {
    encoded
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_component(k), decode_component(v))
        })
        .collect()
}

fn decode_component(raw: &str) -> String {
    let spaced = raw.replace('+', " ");
    let decode = percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .map(|s| s.into_owned())
        .ok();
    decode.unwrap_or(spaced)
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// For a failure of ours, why (outermost cause first): logged by the edge, never sent.
    pub cause: Vec<String>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.into(),
            cause: Vec::new(),
        }
    }

    /// Records why this response is a failure, for the edge's log line.
    pub fn with_cause(mut self, cause: Vec<String>) -> Response {
        self.cause = cause;
        self
    }

    pub fn html(status: u16, body: String) -> Response {
        Response::new(status, "text/html; charset=utf-8", body)
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::new(status, "application/json", value.to_string())
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Response {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Adds a `Set-Cookie` (a response may set several cookies).
    pub fn with_cookie(mut self, set_cookie: impl Into<String>) -> Response {
        self.headers.push(("set-cookie".into(), set_cookie.into()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What a handler returns: a response, or a result whose error becomes one (a
/// [`crate::problem::Problem`], or a page already rendered).
pub trait IntoResponse {
    fn into_response(self) -> Response;
}

impl IntoResponse for Response {
    fn into_response(self) -> Response {
        self
    }
}

impl<E: Into<Response>> IntoResponse for Result<Response, E> {
    fn into_response(self) -> Response {
        self.unwrap_or_else(Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_split_into_host_port_path_and_query() {
        let r = Request::new(
            Method::Get,
            "http://Coach.Localhost:8787/recherche?lieu=Lyon&q=a+b",
        );
        assert_eq!(r.host, "coach.localhost");
        assert_eq!(r.port, Some(8787));
        assert_eq!(r.path, "/recherche");
        assert_eq!(r.query_param("q").as_deref(), Some("a b"));
        assert_eq!(r.origin(), "http://coach.localhost:8787");
    }

    #[test]
    fn local_hosts_are_this_machine_only() {
        for local in [
            "http://localhost:8787/",
            "http://coach.localhost/",
            "http://127.0.0.1:8787/",
            "http://[::1]:8787/",
        ] {
            assert!(Request::new(Method::Get, local).est_locale(), "{local}");
        }
        for production in [
            "http://coach.booking-multisite.fr/",
            "http://localhost.example.fr/",
            "http://10.0.0.1/",
            "http://mylocalhost/",
        ] {
            assert!(
                !Request::new(Method::Get, production).est_locale(),
                "{production}"
            );
        }
    }

    #[test]
    fn the_visitors_scheme_is_cloudflares_word_when_it_gives_one() {
        assert_eq!(
            schema_visiteur("http", Some(r#"{"scheme":"https"}"#)),
            "https"
        );
        assert_eq!(
            schema_visiteur("https", Some(r#"{"scheme":"http"}"#)),
            "http"
        );
        assert_eq!(schema_visiteur("HTTP", None), "http");
        assert_eq!(schema_visiteur("http", Some("n'importe quoi")), "http");
        assert_eq!(
            schema_visiteur("https", Some(r#"{"scheme":"ftp"}"#)),
            "https"
        );
    }

    #[test]
    fn a_url_is_read_into_its_parts_with_a_default_port_as_none() {
        let r = Request::new(Method::Get, "HTTPS://Coach.Localhost:8787/a/b%20c?x=1&y");
        assert_eq!(
            (r.scheme.as_str(), r.host.as_str(), r.port),
            ("https", "coach.localhost", Some(8787))
        );
        assert_eq!((r.path.as_str(), r.query.as_str()), ("/a/b%20c", "x=1&y"));
        for (url, port) in [
            ("http://coach.localhost:80/", None),
            ("https://coach.localhost:443/", None),
            ("http://coach.localhost:443/", Some(443)),
            ("http://[::1]:8787/", Some(8787)),
            ("http://[::1]/", None),
        ] {
            assert_eq!(Request::new(Method::Get, url).port, port, "{url}");
        }
        let ipv6 = Request::new(Method::Get, "http://[::1]/");
        assert_eq!((ipv6.host.as_str(), ipv6.path.as_str()), ("[::1]", "/"));
    }

    #[test]
    fn every_cookie_of_a_name_is_read() {
        let mut r = Request::new(Method::Get, "http://coach.localhost/");
        r.headers
            .push(("cookie".into(), "a=1; gestion=x; b=2; gestion=y".into()));
        assert_eq!(r.cookies("gestion"), vec!["x".to_owned(), "y".to_owned()]);
        assert_eq!(r.cookie("gestion").as_deref(), Some("x"));
        assert!(r.cookies("c").is_empty());
    }

    #[test]
    fn form_values_are_percent_decoded() {
        let pairs = form_pairs("nom=Ren%C3%A9e+Dupont&vide=");
        assert_eq!(pairs[0], ("nom".into(), "Renée Dupont".into()));
        assert_eq!(pairs[1], ("vide".into(), String::new()));
    }
}
