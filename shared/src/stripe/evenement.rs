//! A webhook's event, read into the few shapes the platform acts on. Anything else is
//! `TypeEvenement::Autre`: acknowledged and ignored.

use serde_json::Value;

/// A Checkout Session, as the events carry it. Only its `id` ties it to a payment of
/// the platform: the booking it names (`metadata`, `client_reference_id`) is what
/// whoever created the session chose (a Payment Link lets the payer choose its
/// `client_reference_id`), so it is only compared with what the platform recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    /// `paid`, `unpaid` or `no_payment_required`.
    pub payment_status: String,
    pub payment_intent: Option<String>,
    /// `metadata[reservation_id]`.
    pub metadata_reservation_id: Option<String>,
    pub client_reference_id: Option<String>,
    /// Cents.
    pub amount_total: Option<i64>,
    /// Lower case ISO 4217, e.g. `eur`.
    pub currency: Option<String>,
}

impl Session {
    pub fn est_payee(&self) -> bool {
        self.payment_status == "paid"
    }

    /// Every booking the session names, metadata first.
    pub fn reservations_nommees(&self) -> impl Iterator<Item = &str> {
        self.metadata_reservation_id
            .as_deref()
            .into_iter()
            .chain(self.client_reference_id.as_deref())
    }
}

/// A charge, as `charge.refunded` carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub id: String,
    pub payment_intent: Option<String>,
    /// What was charged (cents).
    pub amount: Option<i64>,
    /// What has been refunded of it so far, all refunds together (cents).
    pub amount_refunded: i64,
    /// Whether it is refunded in full.
    pub refunded: bool,
    pub currency: Option<String>,
}

impl Charge {
    /// What the charge says is refunded so far (cents): all of it once `refunded`.
    pub fn rembourse_en_tout(&self) -> i64 {
        match (self.refunded, self.amount) {
            (true, Some(montant)) => montant.max(self.amount_refunded),
            _ => self.amount_refunded,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeEvenement {
    /// `checkout.session.completed`: paid now, or (`payment_status` unpaid) later.
    SessionTerminee(Session),
    /// `checkout.session.async_payment_succeeded`.
    PaiementDiffereReussi(Session),
    /// `checkout.session.async_payment_failed`.
    PaiementDiffereEchoue(Session),
    /// `checkout.session.expired`.
    SessionExpiree(Session),
    /// `charge.refunded`.
    ChargeRemboursee(Charge),
    /// Any other type: ignored.
    Autre,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evenement {
    pub id: String,
    /// Stripe's type name, e.g. `checkout.session.completed`.
    pub nom: String,
    pub contenu: TypeEvenement,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("événement Stripe illisible : {0}")]
pub struct EvenementIllisible(pub String);

fn texte(objet: &Value, champ: &str) -> Option<String> {
    objet
        .get(champ)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// An id that Stripe sends either as a string or, when expanded, as an object.
fn identifiant(objet: &Value, champ: &str) -> Option<String> {
    match objet.get(champ)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Object(o) => o.get("id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

fn session(objet: &Value) -> Result<Session, EvenementIllisible> {
    Ok(Session {
        id: texte(objet, "id").ok_or_else(|| EvenementIllisible("session sans id".into()))?,
        payment_status: texte(objet, "payment_status").unwrap_or_default(),
        payment_intent: identifiant(objet, "payment_intent"),
        metadata_reservation_id: objet
            .get("metadata")
            .and_then(|m| texte(m, "reservation_id")),
        client_reference_id: texte(objet, "client_reference_id"),
        amount_total: objet.get("amount_total").and_then(Value::as_i64),
        currency: texte(objet, "currency"),
    })
}

fn charge(objet: &Value) -> Result<Charge, EvenementIllisible> {
    Ok(Charge {
        id: texte(objet, "id").ok_or_else(|| EvenementIllisible("charge sans id".into()))?,
        payment_intent: identifiant(objet, "payment_intent"),
        amount: objet.get("amount").and_then(Value::as_i64),
        amount_refunded: objet
            .get("amount_refunded")
            .and_then(Value::as_i64)
            .unwrap_or(0),
        refunded: objet
            .get("refunded")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        currency: texte(objet, "currency"),
    })
}

/// Reads a webhook's body (already verified).
pub fn lire_evenement(corps: &[u8]) -> Result<Evenement, EvenementIllisible> {
    let mut brut: Value = crate::json::depuis_octets(corps).map_err(EvenementIllisible)?;
    let membre =
        |brut: &Value, nom: &str| crate::json::membre_texte(brut, nom).map_err(EvenementIllisible);
    let (id, nom) = (membre(&brut, "id")?, membre(&brut, "type")?);
    let objet = brut
        .get_mut("data")
        .and_then(|data| data.get_mut("object"))
        .map(Value::take)
        .ok_or_else(|| EvenementIllisible("« data.object » absent".into()))?;
    let objet = &objet;
    let contenu = match nom.as_str() {
        "checkout.session.completed" => TypeEvenement::SessionTerminee(session(objet)?),
        "checkout.session.async_payment_succeeded" => {
            TypeEvenement::PaiementDiffereReussi(session(objet)?)
        }
        "checkout.session.async_payment_failed" => {
            TypeEvenement::PaiementDiffereEchoue(session(objet)?)
        }
        "checkout.session.expired" => TypeEvenement::SessionExpiree(session(objet)?),
        "charge.refunded" => TypeEvenement::ChargeRemboursee(charge(objet)?),
        _ => TypeEvenement::Autre,
    };
    Ok(Evenement { id, nom, contenu })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_without_its_id_type_or_object_is_unreadable() {
        for corps in [
            &br#"{"type":"charge.refunded","data":{"object":{"id":"ch_1"}}}"#[..],
            br#"{"id":1,"type":"charge.refunded","data":{"object":{"id":"ch_1"}}}"#,
            br#"{"id":"evt_1","data":{"object":{"id":"ch_1"}}}"#,
            br#"{"id":"evt_1","type":"charge.refunded","data":{}}"#,
            br#"{"id":"evt_1","type":"charge.refunded","data":[1]}"#,
            br#"{"id":"evt_1","type":"charge.refunded"}"#,
            br#"[1]"#,
            b"{\"id\":\"evt_\xff\"}",
        ] {
            assert!(
                lire_evenement(corps).is_err(),
                "{}",
                String::from_utf8_lossy(corps)
            );
        }
        let autre = lire_evenement(br#"{"id":"evt_1","type":"x","data":{"object":null},"y":2}"#);
        assert_eq!(autre.map(|e| e.contenu), Ok(TypeEvenement::Autre));
    }

    #[test]
    fn a_completed_session_names_its_booking_payment_amount_and_currency() {
        let corps = br#"{"id":"evt_1","type":"checkout.session.completed","data":{"object":
            {"id":"cs_1","payment_status":"paid","payment_intent":"pi_1","amount_total":8900,
             "currency":"eur","client_reference_id":"r-ref","metadata":{"reservation_id":"r-meta"}}}}"#;
        let e = lire_evenement(corps).unwrap();
        assert_eq!(e.id, "evt_1");
        let TypeEvenement::SessionTerminee(s) = e.contenu else {
            panic!("a completed session")
        };
        assert!(s.est_payee());
        assert_eq!(s.payment_intent.as_deref(), Some("pi_1"));
        assert_eq!(s.metadata_reservation_id.as_deref(), Some("r-meta"));
        assert_eq!(s.client_reference_id.as_deref(), Some("r-ref"));
        assert_eq!(
            s.reservations_nommees().collect::<Vec<_>>(),
            ["r-meta", "r-ref"]
        );
        assert_eq!(s.amount_total, Some(8900));
        assert_eq!(s.currency.as_deref(), Some("eur"));
    }

    #[test]
    fn a_session_without_metadata_names_only_its_client_reference() {
        let corps = br#"{"id":"evt_2","type":"checkout.session.expired","data":{"object":
            {"id":"cs_1","payment_status":"unpaid","payment_intent":null,"client_reference_id":"r-ref","metadata":{}}}}"#;
        let e = lire_evenement(corps).unwrap();
        let TypeEvenement::SessionExpiree(s) = e.contenu else {
            panic!("an expired session")
        };
        assert_eq!(s.reservations_nommees().collect::<Vec<_>>(), ["r-ref"]);
        assert_eq!(s.payment_intent, None);
        assert_eq!((s.amount_total, s.currency), (None, None));
    }

    #[test]
    fn a_refunded_charge_is_read() {
        let corps = br#"{"id":"evt_3","type":"charge.refunded","data":{"object":
            {"id":"ch_1","payment_intent":{"id":"pi_1"},"amount":8900,"amount_refunded":500,
             "refunded":false,"currency":"eur","metadata":{"reservation_id":"r"}}}}"#;
        let e = lire_evenement(corps).unwrap();
        let attendu = Charge {
            id: "ch_1".into(),
            payment_intent: Some("pi_1".into()),
            amount: Some(8900),
            amount_refunded: 500,
            refunded: false,
            currency: Some("eur".into()),
        };
        assert_eq!(e.contenu, TypeEvenement::ChargeRemboursee(attendu.clone()));
        assert_eq!(attendu.rembourse_en_tout(), 500);
        let tout = Charge {
            refunded: true,
            amount_refunded: 8900,
            ..attendu
        };
        assert_eq!(tout.rembourse_en_tout(), 8900);
    }

    #[test]
    fn an_unknown_type_is_ignored_and_garbage_is_an_error() {
        let corps = br#"{"id":"evt_4","type":"customer.created","data":{"object":{"id":"cus_1"}}}"#;
        assert_eq!(lire_evenement(corps).unwrap().contenu, TypeEvenement::Autre);
        assert!(lire_evenement(b"pas du json").is_err());
        assert!(lire_evenement(
            br#"{"id":"evt_5","type":"checkout.session.completed","data":{"object":{}}}"#
        )
        .is_err());
    }
}
