//! Stripe's HTTP API through the `Http` port: base URL and key from the settings,
//! form-encoded bodies, an `Idempotency-Key` on every POST so that a retry never makes a
//! second session or a second refund.

use serde::Deserialize;

use crate::ports::{ReponseEntrante, RequeteSortante};
use crate::stripe::{ParametresCheckout, ParametresRemboursement};

use crate::cas::Ports;

/// Why a call to Stripe did not give what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurStripe {
    /// No answer, or a 5xx/429: worth retrying later.
    #[error("Stripe injoignable : {0}")]
    Injoignable(String),
    /// Stripe refused the request (4xx), with its error code when it gave one.
    #[error("Stripe refuse la requête ({status}, {code}) : {message}")]
    Refus {
        status: u16,
        code: String,
        message: String,
    },
    #[error("réponse de Stripe illisible : {0}")]
    Illisible(String),
}

/// A Checkout Session just created.
#[derive(Debug, Clone, Deserialize)]
pub struct SessionCreee {
    pub id: String,
    pub url: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Remboursement {
    pub id: String,
}

#[derive(Deserialize, Default)]
struct CorpsErreur {
    #[serde(default)]
    error: DetailErreur,
}

#[derive(Deserialize, Default)]
struct DetailErreur {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

async fn post(
    ports: &Ports<'_>,
    chemin: &str,
    idempotency_key: &str,
    corps: String,
) -> Result<ReponseEntrante, ErreurStripe> {
    let requete = RequeteSortante {
        method: "POST",
        url: format!("{}{chemin}", ports.stripe_api_base.trim_end_matches('/')),
        headers: vec![
            (
                "authorization".into(),
                format!("Bearer {}", ports.stripe_secret_key.expose()),
            ),
            (
                "content-type".into(),
                "application/x-www-form-urlencoded".into(),
            ),
            ("idempotency-key".into(), idempotency_key.to_owned()),
        ],
        body: corps.into_bytes(),
    };
    let reponse = ports
        .http
        .envoyer(requete)
        .await
        .map_err(ErreurStripe::Injoignable)?;
    match reponse.status {
        200..=299 => Ok(reponse),
        429 | 500..=599 => Err(ErreurStripe::Injoignable(format!(
            "statut {}",
            reponse.status
        ))),
        status => {
            let detail = crate::json::depuis_octets::<CorpsErreur>(&reponse.body)
                .unwrap_or_default()
                .error;
            Err(ErreurStripe::Refus {
                status,
                code: detail.code.unwrap_or_default(),
                message: detail.message.unwrap_or_default(),
            })
        }
    }
}

fn lire<T: serde::de::DeserializeOwned>(reponse: &ReponseEntrante) -> Result<T, ErreurStripe> {
    crate::json::depuis_octets(&reponse.body).map_err(ErreurStripe::Illisible)
}

pub async fn creer_session(
    ports: &Ports<'_>,
    params: &ParametresCheckout,
) -> Result<SessionCreee, ErreurStripe> {
    let cle = format!("checkout-{}", params.reservation_id);
    let reponse = post(ports, "/v1/checkout/sessions", &cle, params.corps()).await?;
    let session: SessionCreee = lire(&reponse)?;
    if session.id.is_empty() || session.url.is_empty() {
        return Err(ErreurStripe::Illisible("session sans id ni url".into()));
    }
    Ok(session)
}

/// Refunds what is left of a payment. One key per booking and amount already refunded:
/// a retry replays the same refund.
pub async fn rembourser(
    ports: &Ports<'_>,
    params: &ParametresRemboursement,
) -> Result<Remboursement, ErreurStripe> {
    let cle = params.idempotency_key();
    let reponse = post(ports, "/v1/refunds", &cle, params.corps()).await?;
    lire(&reponse)
}

/// Closes an open session so that it can no longer be paid (the client cancelled).
pub async fn expirer_session(ports: &Ports<'_>, session_id: &str) -> Result<(), ErreurStripe> {
    let chemin = format!("/v1/checkout/sessions/{session_id}/expire");
    post(
        ports,
        &chemin,
        &format!("expire-{session_id}"),
        String::new(),
    )
    .await?;
    Ok(())
}
