//! Stripe's API takes `application/x-www-form-urlencoded` bodies with bracketed keys
//! (`metadata[reservation_id]`, `line_items[0][price_data][currency]`).

use crate::render::format::encoder;

/// `k1=v1&k2=v2`, every key and value percent-encoded.
pub fn encoder_formulaire(paires: &[(String, String)]) -> String {
    paires
        .iter()
        .map(|(k, v)| format!("{}={}", encoder(k), encoder(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// A Checkout Session for one booking: one line, its amount in cents, in EUR.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParametresCheckout {
    pub reservation_id: String,
    pub montant_centimes: u64,
    /// The line's name on Stripe's page (the service and the professional).
    pub libelle: String,
    pub description: String,
    pub email_client: String,
    /// Unix seconds.
    pub expire_a: i64,
    pub url_succes: String,
    pub url_annulation: String,
}

impl ParametresCheckout {
    pub fn paires(&self) -> Vec<(String, String)> {
        let p = |k: &str, v: String| (k.to_owned(), v);
        let mut paires = vec![
            p("mode", "payment".into()),
            p("line_items[0][quantity]", "1".into()),
            p("line_items[0][price_data][currency]", "eur".into()),
            p(
                "line_items[0][price_data][unit_amount]",
                self.montant_centimes.to_string(),
            ),
            p(
                "line_items[0][price_data][product_data][name]",
                self.libelle.clone(),
            ),
        ];
        if !self.description.is_empty() {
            paires.push(p(
                "line_items[0][price_data][product_data][description]",
                self.description.clone(),
            ));
        }
        paires.extend([
            p("customer_email", self.email_client.clone()),
            p("client_reference_id", self.reservation_id.clone()),
            p("metadata[reservation_id]", self.reservation_id.clone()),
            p(
                "payment_intent_data[metadata][reservation_id]",
                self.reservation_id.clone(),
            ),
            p("expires_at", self.expire_a.to_string()),
            p("locale", "fr".into()),
            p("success_url", self.url_succes.clone()),
            p("cancel_url", self.url_annulation.clone()),
        ]);
        paires
    }

    pub fn corps(&self) -> String {
        encoder_formulaire(&self.paires())
    }
}

/// A refund of what is left of a payment: `montant_centimes`, its amount less what was
/// already refunded (`deja_rembourse_centimes`, e.g. from Stripe's dashboard).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParametresRemboursement {
    pub payment_intent: String,
    pub reservation_id: String,
    pub montant_centimes: i64,
    pub deja_rembourse_centimes: i64,
}

impl ParametresRemboursement {
    /// One refund per booking and amount already refunded: a retry replays the same
    /// refund, and a refund of the rest after a partial one is a new request.
    pub fn idempotency_key(&self) -> String {
        if self.deja_rembourse_centimes == 0 {
            format!("remboursement-{}", self.reservation_id)
        } else {
            format!(
                "remboursement-{}-apres-{}",
                self.reservation_id, self.deja_rembourse_centimes
            )
        }
    }

    pub fn corps(&self) -> String {
        encoder_formulaire(&[
            ("payment_intent".into(), self.payment_intent.clone()),
            ("amount".into(), self.montant_centimes.to_string()),
            ("reason".into(), "requested_by_customer".into()),
            (
                "metadata[reservation_id]".into(),
                self.reservation_id.clone(),
            ),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_are_percent_encoded() {
        let corps = encoder_formulaire(&[
            ("metadata[reservation_id]".into(), "a b&c=é".into()),
            ("url".into(), "http://x/?token=1".into()),
        ]);
        assert_eq!(
            corps,
            "metadata%5Breservation_id%5D=a%20b%26c%3D%C3%A9&url=http%3A%2F%2Fx%2F%3Ftoken%3D1"
        );
    }

    #[test]
    fn a_checkout_session_carries_amount_currency_and_booking() {
        let params = ParametresCheckout {
            reservation_id: "r1".into(),
            montant_centimes: 8900,
            libelle: "Vidange".into(),
            description: String::new(),
            email_client: "marc@exemple.fr".into(),
            expire_a: 1_800,
            url_succes: "https://garage.fr/ok".into(),
            url_annulation: "https://garage.fr/ko".into(),
        };
        let paires = params.paires();
        let valeur = |k: &str| paires.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(
            valeur("line_items[0][price_data][unit_amount]"),
            Some("8900")
        );
        assert_eq!(valeur("line_items[0][price_data][currency]"), Some("eur"));
        assert_eq!(valeur("client_reference_id"), Some("r1"));
        assert_eq!(valeur("metadata[reservation_id]"), Some("r1"));
        assert_eq!(valeur("expires_at"), Some("1800"));
        assert_eq!(
            valeur("line_items[0][price_data][product_data][description]"),
            None
        );
    }

    #[test]
    fn a_refund_asks_for_what_is_left_under_a_key_of_its_own() {
        let entier = ParametresRemboursement {
            payment_intent: "pi_1".into(),
            reservation_id: "r1".into(),
            montant_centimes: 8900,
            deja_rembourse_centimes: 0,
        };
        assert_eq!(
            entier.corps(),
            "payment_intent=pi_1&amount=8900&reason=requested_by_customer&metadata%5Breservation_id%5D=r1"
        );
        assert_eq!(entier.idempotency_key(), "remboursement-r1");
        let reste = ParametresRemboursement {
            montant_centimes: 7900,
            deja_rembourse_centimes: 1000,
            ..entier
        };
        assert!(reste.corps().contains("amount=7900"));
        assert_eq!(reste.idempotency_key(), "remboursement-r1-apres-1000");
    }
}
