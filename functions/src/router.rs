//! Every route of the Worker, in one table: the dispatcher, the 405 answers and the
//! tests that must cover every route all read it.

use crate::app::Ctx;
use crate::http::{Method, Request, Response};
use crate::problem::Problem;
use crate::{admin, api, avis, comptes, espace_pro, health, pages, paiements};

/// Which area serves a route, and which of its endpoints. Each area (a folder of
/// endpoint functions) owns its table of routes and its dispatcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteId {
    Healthz,
    Page(pages::PageRoute),
    Api(api::ApiRoute),
    Compte(comptes::CompteRoute),
    EspacePro(espace_pro::EspaceProRoute),
    Admin(admin::AdminRoute),
    Paiement(paiements::PaiementRoute),
    Avis(avis::AvisRoute),
}

#[derive(Debug, Clone, Copy)]
pub struct Route {
    pub method: Method,
    /// Literal segments, and `{name}` for a parameter.
    pub pattern: &'static str,
    pub id: RouteId,
}

impl Route {
    pub const fn get(pattern: &'static str, id: RouteId) -> Route {
        Route {
            method: Method::Get,
            pattern,
            id,
        }
    }

    pub const fn post(pattern: &'static str, id: RouteId) -> Route {
        Route {
            method: Method::Post,
            pattern,
            id,
        }
    }
}

const SANTE: &[Route] = &[Route::get("/healthz", RouteId::Healthz)];

/// Every route of the Worker, area by area.
pub fn routes() -> impl Iterator<Item = &'static Route> {
    SANTE
        .iter()
        .chain(pages::ROUTES)
        .chain(api::ROUTES)
        .chain(comptes::ROUTES)
        .chain(espace_pro::ROUTES)
        .chain(admin::ROUTES)
        .chain(paiements::ROUTES)
        .chain(avis::ROUTES)
}

/// The parameters of a matched route, in pattern order.
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

fn match_pattern(pattern: &'static str, path: &str) -> Option<Params> {
    let mut params = Vec::new();
    let mut wanted = pattern.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(Params(params)),
            (Some(w), Some(g)) => {
                if let Some(name) = w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                    if g.is_empty() {
                        return None;
                    }
                    let value = percent_encoding::percent_decode_str(g)
                        .decode_utf8()
                        .ok()?
                        .into_owned();
                    params.push((name, value));
                } else if w != g {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// The route for a method and path: `Ok` with its parameters, `Err(allowed)` when the
/// path exists for other methods only, `Err(empty)` when no route has that path.
pub fn find(method: Method, path: &str) -> Result<(Route, Params), Vec<Method>> {
    let mut allowed = Vec::new();
    for route in routes() {
        if let Some(params) = match_pattern(route.pattern, path) {
            let method_fits =
                route.method == method || (route.method == Method::Get && method == Method::Head);
            if method_fits {
                return Ok((*route, params));
            }
            allowed.push(route.method);
        }
    }
    Err(allowed)
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/webhooks/")
}

pub async fn dispatch(ctx: &Ctx<'_>, req: &Request) -> Response {
    let (route, params) = match find(req.method, &req.path) {
        Ok(found) => found,
        Err(allowed) if !allowed.is_empty() => {
            let allow = allowed
                .iter()
                .map(|m| m.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let methode = match req.method {
                Method::Other => "cette méthode".to_owned(),
                connue => format!("la méthode {}", connue.as_str()),
            };
            let problem = Problem::new(
                405,
                "methode_non_autorisee",
                format!("Cette adresse n'accepte pas {methode}."),
            );
            return problem.into_response().with_header("allow", allow);
        }
        Err(_) if is_api(&req.path) => return Problem::not_found().into_response(),
        Err(_) => return pages::erreurs::introuvable(ctx, req).await,
    };
    match route.id {
        RouteId::Healthz => health::healthz(ctx).await,
        RouteId::Page(id) => pages::dispatch(ctx, req, id, &params).await,
        RouteId::Api(id) => api::dispatch(ctx, req, id, &params).await,
        RouteId::Compte(id) => comptes::dispatch(ctx, req, id, &params).await,
        RouteId::EspacePro(id) => espace_pro::dispatch(ctx, req, id, &params).await,
        RouteId::Admin(id) => admin::dispatch(ctx, req, id, &params).await,
        RouteId::Paiement(id) => paiements::dispatch(ctx, req, id, &params).await,
        RouteId::Avis(id) => avis::dispatch(ctx, req, id, &params).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_captures_its_parameters() {
        let params = match_pattern(
            "/api/v1/professionnels/{slug}",
            "/api/v1/professionnels/jean-dupont",
        );
        assert_eq!(params.unwrap().get("slug"), Some("jean-dupont"));
        assert!(
            match_pattern("/api/v1/professionnels/{slug}", "/api/v1/professionnels/").is_none()
        );
        assert!(match_pattern("/", "/x").is_none());
    }

    #[test]
    fn a_known_path_with_another_method_lists_the_allowed_ones() {
        assert_eq!(
            find(Method::Post, "/healthz").unwrap_err(),
            vec![Method::Get]
        );
        assert!(find(Method::Post, "/nulle-part").unwrap_err().is_empty());
        assert!(find(Method::Head, "/healthz").is_ok());
    }
}
