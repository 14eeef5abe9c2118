//! Whether a webhook's event is about a payment the platform created, as it created it.
//!
//! Stripe signs every event of the account, including those of sessions the platform
//! never created (a Payment Link, another integration, a session made by hand), whose
//! `client_reference_id` or `metadata` anyone may have set to a booking's id. So an event
//! is tied to a payment only by what the platform recorded when it created the session:
//! the session's id (or, for a refund, the PaymentIntent recorded when it was paid). The
//! booking it names, its amount and its currency must then be the payment's. Anything
//! else is an [`Anomalie`]: recorded, and acted on by no one.

use super::{Charge, Session};
use crate::store::paiements::Paiement;

/// Why an event was not acted on. The codes are stored (`paiements_anomalies.raison`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RaisonAnomalie {
    /// A session the platform did not create (no payment row has its id).
    SessionInconnue,
    /// An amount other than the payment's.
    MontantDifferent,
    /// A currency other than the payment's.
    DeviseDifferente,
    /// The session names another booking than the one its payment row is for.
    ReservationDifferente,
    /// A refund of a charge whose PaymentIntent no payment row recorded.
    PaiementInconnu,
}

impl RaisonAnomalie {
    /// Stable, stored and logged.
    pub fn code(self) -> &'static str {
        match self {
            RaisonAnomalie::SessionInconnue => "session_inconnue",
            RaisonAnomalie::MontantDifferent => "montant_different",
            RaisonAnomalie::DeviseDifferente => "devise_differente",
            RaisonAnomalie::ReservationDifferente => "reservation_differente",
            RaisonAnomalie::PaiementInconnu => "paiement_inconnu",
        }
    }
}

/// An event not acted on, with what it said and what the platform expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anomalie {
    pub raison: RaisonAnomalie,
    pub session_id: Option<String>,
    pub charge_id: Option<String>,
    pub payment_intent_id: Option<String>,
    /// The platform's payment the event was matched to, if any.
    pub paiement_id: Option<i64>,
    /// The booking the event named (the one at fault when it names another).
    pub reservation_nommee: Option<String>,
    pub montant_recu: Option<i64>,
    pub montant_attendu: Option<i64>,
    pub currency_recue: Option<String>,
    pub currency_attendue: Option<String>,
}

fn meme_devise(recue: Option<&str>, attendue: &str) -> bool {
    recue.is_some_and(|c| c.eq_ignore_ascii_case(attendue))
}

/// Checks a session's event against `paiement`, the payment row that has the session's
/// id (`None` when no row has it). `encaissement`: the event reports money received
/// (`completed`, `async_payment_succeeded`), so its amount and currency must be the
/// payment's too. Returns the payment it is about.
pub fn verifier_session<'a>(
    session: &Session,
    paiement: Option<&'a Paiement>,
    encaissement: bool,
) -> Result<&'a Paiement, Box<Anomalie>> {
    let anomalie = |raison, reservation_nommee: Option<&str>| {
        Box::new(Anomalie {
            raison,
            session_id: Some(session.id.clone()),
            charge_id: None,
            payment_intent_id: session.payment_intent.clone(),
            paiement_id: paiement.map(|p| p.id.get()),
            reservation_nommee: reservation_nommee
                .or_else(|| session.reservations_nommees().next())
                .map(str::to_owned),
            montant_recu: session.amount_total,
            montant_attendu: paiement.map(|p| p.montant.get()),
            currency_recue: session.currency.clone(),
            currency_attendue: paiement.map(|p| p.currency.clone()),
        })
    };
    let Some(p) = paiement else {
        return Err(anomalie(RaisonAnomalie::SessionInconnue, None));
    };
    if let Some(autre) = session
        .reservations_nommees()
        .find(|r| *r != p.reservation_id.as_str())
    {
        return Err(anomalie(RaisonAnomalie::ReservationDifferente, Some(autre)));
    }
    if encaissement {
        if session.amount_total != Some(p.montant.get()) {
            return Err(anomalie(RaisonAnomalie::MontantDifferent, None));
        }
        if !meme_devise(session.currency.as_deref(), &p.currency) {
            return Err(anomalie(RaisonAnomalie::DeviseDifferente, None));
        }
    }
    Ok(p)
}

/// Checks a refunded charge against `paiement`, the payment row that recorded its
/// PaymentIntent (`None` when none did): the charge must be of the payment's amount and
/// currency, and not say more was refunded than was paid. Returns the payment.
pub fn verifier_charge<'a>(
    charge: &Charge,
    paiement: Option<&'a Paiement>,
) -> Result<&'a Paiement, Box<Anomalie>> {
    let anomalie = |raison| {
        Box::new(Anomalie {
            raison,
            session_id: paiement.and_then(|p| p.stripe_checkout_session_id.clone()),
            charge_id: Some(charge.id.clone()),
            payment_intent_id: charge.payment_intent.clone(),
            paiement_id: paiement.map(|p| p.id.get()),
            reservation_nommee: None,
            montant_recu: charge.amount,
            montant_attendu: paiement.map(|p| p.montant.get()),
            currency_recue: charge.currency.clone(),
            currency_attendue: paiement.map(|p| p.currency.clone()),
        })
    };
    let Some(p) = paiement else {
        return Err(anomalie(RaisonAnomalie::PaiementInconnu));
    };
    if charge.amount != Some(p.montant.get())
        || !(0..=p.montant.get()).contains(&charge.amount_refunded)
    {
        return Err(anomalie(RaisonAnomalie::MontantDifferent));
    }
    if !meme_devise(charge.currency.as_deref(), &p.currency) {
        return Err(anomalie(RaisonAnomalie::DeviseDifferente));
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Centimes, PaiementId, ReservationId, StatutPaiement, TypePaiement};
    use chrono::DateTime;

    const R1: &str = "abababab-abab-4bab-abab-abababababab";
    const R2: &str = "cdcdcdcd-cdcd-4dcd-adcd-cdcdcdcdcdcd";

    fn paiement() -> Paiement {
        Paiement {
            id: PaiementId::new(7),
            reservation_id: ReservationId::parse(R1).unwrap(),
            montant: Centimes::new(8900),
            montant_rembourse: Centimes::ZERO,
            currency: "eur".into(),
            type_paiement: TypePaiement::Total,
            statut: StatutPaiement::EnAttente,
            stripe_checkout_session_id: Some("cs_1".into()),
            stripe_payment_intent_id: None,
            stripe_refund_id: None,
            created_at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
        }
    }

    fn session() -> Session {
        Session {
            id: "cs_1".into(),
            payment_status: "paid".into(),
            payment_intent: Some("pi_1".into()),
            metadata_reservation_id: Some(R1.into()),
            client_reference_id: Some(R1.into()),
            amount_total: Some(8900),
            currency: Some("eur".into()),
        }
    }

    fn raison(r: Result<&Paiement, Box<Anomalie>>) -> Option<&'static str> {
        r.err().map(|a| a.raison.code())
    }

    #[test]
    fn the_session_the_platform_created_for_its_amount_and_currency_is_accepted() {
        let p = paiement();
        assert_eq!(
            verifier_session(&session(), Some(&p), true).unwrap().id,
            PaiementId::new(7)
        );
        // A session naming no booking at all is still known by its id.
        let muette = Session {
            metadata_reservation_id: None,
            client_reference_id: None,
            ..session()
        };
        assert!(verifier_session(&muette, Some(&p), true).is_ok());
    }

    #[test]
    fn a_session_without_a_payment_row_is_unknown_whatever_it_names() {
        let a = verifier_session(&session(), None, true).unwrap_err();
        assert_eq!(a.raison, RaisonAnomalie::SessionInconnue);
        assert_eq!(a.reservation_nommee.as_deref(), Some(R1));
        assert_eq!((a.montant_recu, a.montant_attendu), (Some(8900), None));
        assert_eq!(a.session_id.as_deref(), Some("cs_1"));
    }

    #[test]
    fn another_amount_or_currency_or_booking_is_an_anomaly() {
        let p = paiement();
        let moins = Session {
            amount_total: Some(100),
            ..session()
        };
        assert_eq!(
            raison(verifier_session(&moins, Some(&p), true)),
            Some("montant_different")
        );
        let sans = Session {
            amount_total: None,
            ..session()
        };
        assert_eq!(
            raison(verifier_session(&sans, Some(&p), true)),
            Some("montant_different")
        );
        let usd = Session {
            currency: Some("usd".into()),
            ..session()
        };
        assert_eq!(
            raison(verifier_session(&usd, Some(&p), true)),
            Some("devise_differente")
        );
        let majuscules = Session {
            currency: Some("EUR".into()),
            ..session()
        };
        assert!(verifier_session(&majuscules, Some(&p), true).is_ok());
        let croisee = Session {
            client_reference_id: Some(R2.into()),
            ..session()
        };
        let a = verifier_session(&croisee, Some(&p), false).unwrap_err();
        assert_eq!(a.raison, RaisonAnomalie::ReservationDifferente);
        assert_eq!(a.reservation_nommee.as_deref(), Some(R2));
        // An expiry reports no money: its amount is not compared.
        assert!(verifier_session(&moins, Some(&p), false).is_ok());
    }

    #[test]
    fn a_refunded_charge_must_be_of_a_recorded_payment_its_amount_and_currency() {
        let p = paiement();
        let charge = Charge {
            id: "ch_1".into(),
            payment_intent: Some("pi_1".into()),
            amount: Some(8900),
            amount_refunded: 1000,
            refunded: false,
            currency: Some("eur".into()),
        };
        assert!(verifier_charge(&charge, Some(&p)).is_ok());
        assert_eq!(
            raison(verifier_charge(&charge, None)),
            Some("paiement_inconnu")
        );
        let plus = Charge {
            amount_refunded: 9000,
            ..charge.clone()
        };
        assert_eq!(
            raison(verifier_charge(&plus, Some(&p))),
            Some("montant_different")
        );
        let autre = Charge {
            amount: Some(100),
            amount_refunded: 100,
            ..charge.clone()
        };
        assert_eq!(
            raison(verifier_charge(&autre, Some(&p))),
            Some("montant_different")
        );
        let usd = Charge {
            currency: Some("usd".into()),
            ..charge
        };
        assert_eq!(
            raison(verifier_charge(&usd, Some(&p))),
            Some("devise_differente")
        );
    }
}
