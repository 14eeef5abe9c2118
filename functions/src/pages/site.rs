use booking_shared::render::{domaine_canonique, Site};
use booking_shared::vertical::VerticalConfig;

use crate::http::Request;

/// The vertical as its pages show it, with links on the vertical's own domain.
pub fn site_for(config: &VerticalConfig, req: &Request) -> Site {
    let domain = domaine_canonique(config, &req.host);
    let base = match req.port {
        Some(port) => format!("{}://{}:{}", req.scheme, domain, port),
        None => format!("{}://{}", req.scheme, domain),
    };
    Site::new(config, base)
}
