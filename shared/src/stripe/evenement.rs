//! A webhook's event, read into the few shapes the platform acts on. Anything else is
//! `TypeEvenement::Autre`: acknowledged and ignored.

use serde::Deserialize;
use serde_json::Value;

/// A Checkout Session, as the events carry it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub id: String,
    /// `paid`, `unpaid` or `no_payment_required`.
    pub payment_status: String,
    pub payment_intent: Option<String>,
    /// The booking it pays: `metadata[reservation_id]`, else `client_reference_id`.
    pub reservation_id: Option<String>,
    pub amount_total: Option<i64>,
}

impl Session {
    pub fn est_payee(&self) -> bool {
        self.payment_status == "paid"
    }
}

/// A charge, as `charge.refunded` carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Charge {
    pub id: String,
    pub payment_intent: Option<String>,
    pub amount_refunded: i64,
    pub refunded: bool,
    pub reservation_id: Option<String>,
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

#[derive(Deserialize)]
struct Brut {
    id: String,
    #[serde(rename = "type")]
    nom: String,
    data: Donnees,
}

#[derive(Deserialize)]
struct Donnees {
    object: Value,
}

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

fn reservation_de(objet: &Value) -> Option<String> {
    objet
        .get("metadata")
        .and_then(|m| texte(m, "reservation_id"))
        .or_else(|| texte(objet, "client_reference_id"))
}

fn session(objet: &Value) -> Result<Session, EvenementIllisible> {
    Ok(Session {
        id: texte(objet, "id").ok_or_else(|| EvenementIllisible("session sans id".into()))?,
        payment_status: texte(objet, "payment_status").unwrap_or_default(),
        payment_intent: identifiant(objet, "payment_intent"),
        reservation_id: reservation_de(objet),
        amount_total: objet.get("amount_total").and_then(Value::as_i64),
    })
}

fn charge(objet: &Value) -> Result<Charge, EvenementIllisible> {
    Ok(Charge {
        id: texte(objet, "id").ok_or_else(|| EvenementIllisible("charge sans id".into()))?,
        payment_intent: identifiant(objet, "payment_intent"),
        amount_refunded: objet
            .get("amount_refunded")
            .and_then(Value::as_i64)
            .unwrap_or(0),
        refunded: objet
            .get("refunded")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        reservation_id: reservation_de(objet),
    })
}

/// Reads a webhook's body (already verified).
pub fn lire_evenement(corps: &[u8]) -> Result<Evenement, EvenementIllisible> {
    let brut: Brut =
        serde_json::from_slice(corps).map_err(|e| EvenementIllisible(e.to_string()))?;
    let objet = &brut.data.object;
    let contenu = match brut.nom.as_str() {
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
    Ok(Evenement {
        id: brut.id,
        nom: brut.nom,
        contenu,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_completed_session_names_its_booking_and_payment() {
        let corps = br#"{"id":"evt_1","type":"checkout.session.completed","data":{"object":
            {"id":"cs_1","payment_status":"paid","payment_intent":"pi_1","amount_total":8900,
             "client_reference_id":"r-ref","metadata":{"reservation_id":"r-meta"}}}}"#;
        let e = lire_evenement(corps).unwrap();
        assert_eq!(e.id, "evt_1");
        let TypeEvenement::SessionTerminee(s) = e.contenu else {
            panic!("a completed session")
        };
        assert!(s.est_payee());
        assert_eq!(s.payment_intent.as_deref(), Some("pi_1"));
        assert_eq!(s.reservation_id.as_deref(), Some("r-meta"));
        assert_eq!(s.amount_total, Some(8900));
    }

    #[test]
    fn the_client_reference_names_the_booking_without_metadata() {
        let corps = br#"{"id":"evt_2","type":"checkout.session.expired","data":{"object":
            {"id":"cs_1","payment_status":"unpaid","payment_intent":null,"client_reference_id":"r-ref","metadata":{}}}}"#;
        let e = lire_evenement(corps).unwrap();
        let TypeEvenement::SessionExpiree(s) = e.contenu else {
            panic!("an expired session")
        };
        assert_eq!(s.reservation_id.as_deref(), Some("r-ref"));
        assert_eq!(s.payment_intent, None);
    }

    #[test]
    fn a_refunded_charge_is_read() {
        let corps = br#"{"id":"evt_3","type":"charge.refunded","data":{"object":
            {"id":"ch_1","payment_intent":{"id":"pi_1"},"amount_refunded":500,"refunded":true,"metadata":{"reservation_id":"r"}}}}"#;
        let e = lire_evenement(corps).unwrap();
        assert_eq!(
            e.contenu,
            TypeEvenement::ChargeRemboursee(Charge {
                id: "ch_1".into(),
                payment_intent: Some("pi_1".into()),
                amount_refunded: 500,
                refunded: true,
                reservation_id: Some("r".into()),
            })
        );
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
