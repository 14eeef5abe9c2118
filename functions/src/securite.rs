//! Headers every response carries: a strict Content-Security-Policy (no inline script or
//! style), HSTS, no sniffing, no framing, a conservative referrer and permissions policy.

use crate::app::Settings;
use crate::http::Response;

/// The origin of a URL (`scheme://host[:port]`), if it has one.
fn origine(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split('/').next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}"))
}

/// Where forms may send the browser: here, and Stripe Checkout (a booking's form
/// redirects to it; browsers apply `form-action` to that redirect too).
fn form_action(settings: &Settings) -> String {
    let mut sources = vec![
        "'self'".to_owned(),
        "https://checkout.stripe.com".to_owned(),
    ];
    if let Some(stripe) =
        origine(&settings.stripe_api_base).filter(|o| !o.ends_with("api.stripe.com"))
    {
        sources.push(stripe);
    }
    sources.join(" ")
}

pub fn content_security_policy(settings: &Settings) -> String {
    format!(
        "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
         form-action {}; frame-ancestors 'none'; base-uri 'none'; upgrade-insecure-requests",
        form_action(settings)
    )
}

pub fn avec_entetes(response: Response, settings: &Settings, request_id: &str) -> Response {
    let mut response = response
        .with_header("x-request-id", request_id)
        .with_header("x-content-type-options", "nosniff")
        .with_header(
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        )
        .with_header("x-frame-options", "DENY")
        .with_header(
            "permissions-policy",
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
        )
        .with_header("cross-origin-opener-policy", "same-origin");
    // A page holding a secret in its URL (a reset or address-check link) sets its own,
    // stricter policy: keep it.
    if response.header("referrer-policy").is_none() {
        response = response.with_header("referrer-policy", "strict-origin-when-cross-origin");
    }
    if response.header("content-security-policy").is_none() {
        response =
            response.with_header("content-security-policy", content_security_policy(settings));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_forbids_inline_code_and_framing() {
        let csp = content_security_policy(&Settings::default());
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(csp.contains("default-src 'none'"));
    }

    #[test]
    fn forms_may_go_to_the_configured_stripe_checkout() {
        let settings = Settings {
            stripe_api_base: "http://localhost:12111".into(),
            ..Settings::default()
        };
        assert!(content_security_policy(&settings)
            .contains("form-action 'self' https://checkout.stripe.com http://localhost:12111;"));
        let production = Settings {
            stripe_api_base: "https://api.stripe.com".into(),
            ..Settings::default()
        };
        assert!(content_security_policy(&production)
            .contains("form-action 'self' https://checkout.stripe.com;"));
    }
}
