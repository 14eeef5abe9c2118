//! Opening the payment of a booking just made: a Stripe Checkout Session for the amount
//! due online, and the `paiements` row that follows it. If Stripe cannot open it, the
//! booking is undone at once, so that no unpaid booking holds a slot.

use chrono::Duration;

use crate::cas::reservations::{Creee, ErreurReservation, DUREE_RETENUE_PAIEMENT_MINUTES};
use crate::cas::Ports;
use crate::render::format::date_et_heure;
use crate::reservation::StatutReservation;
use crate::store::paiements;
use crate::store::planning::fuseau;
use crate::stripe::ParametresCheckout;
use crate::types::{Centimes, TypePaiement};

use super::stripe_api::{self, ErreurStripe};

/// A Checkout Session lives as long as the booking's hold.
const DUREE_SESSION_MINUTES: i64 = DUREE_RETENUE_PAIEMENT_MINUTES;

/// The page Stripe sends the client back to once paid (on the vertical's domain). No
/// secret: Stripe, the browser's history and any `Referer` see these addresses; the
/// booking form set the manage cookie that opens them (`pages::reserver`).
pub fn lien_confirmation(base_url: &str, id: &str) -> String {
    format!("{base_url}/reservations/{id}/confirmation")
}

/// The page Stripe sends the client back to on « Annuler »: the manage page.
fn lien_retour(base_url: &str, id: &str) -> String {
    format!("{base_url}/reservations/{id}")
}

fn parametres(
    base: &str,
    creee: &Creee,
    maintenant: chrono::DateTime<chrono::Utc>,
) -> ParametresCheckout {
    let r = &creee.dossier.reservation;
    let pro = &creee.dossier.professionnel;
    let service = &creee.dossier.service;
    let quand = date_et_heure(&r.debut().with_timezone(&fuseau(&pro.fuseau)));
    let description = if r.a_payer_centimes < r.prix_centimes {
        format!("Acompte pour le rendez-vous du {quand}")
    } else {
        format!("Rendez-vous du {quand}")
    };
    ParametresCheckout {
        reservation_id: r.id.to_string(),
        montant_centimes: u64::try_from(r.a_payer_centimes.get()).unwrap_or(0),
        libelle: format!("{} — {}", service.nom, pro.nom),
        description,
        email_client: r.client_email.clone(),
        // The session ends with the booking's hold on its slot.
        expire_a: r
            .expire_at
            .unwrap_or_else(|| maintenant + Duration::minutes(DUREE_SESSION_MINUTES))
            .timestamp(),
        url_succes: lien_confirmation(base, r.id.as_str()),
        url_annulation: lien_retour(base, r.id.as_str()),
    }
}

/// Starts the online payment of a booking just made, when one is due: creates the
/// Stripe Checkout Session and returns the URL to send the client to (`None` when
/// nothing is due online). `base_url` is the vertical's site, for Stripe's return pages.
/// When Stripe cannot open it, the booking is undone (its slot released) and the error
/// says so: `PaiementIndisponible` (503) or `PaiementRefuse` (502).
pub async fn demarrer_paiement(
    ports: &Ports<'_>,
    base_url: &str,
    creee: &Creee,
) -> Result<Option<String>, ErreurReservation> {
    let r = &creee.dossier.reservation;
    if r.statut != StatutReservation::EnAttentePaiement || r.a_payer_centimes <= Centimes::ZERO {
        return Ok(None);
    }
    let maintenant = ports.clock.now();
    let params = parametres(base_url, creee, maintenant);
    let session = match stripe_api::creer_session(ports, &params).await {
        Ok(session) => session,
        Err(erreur) => {
            defaire(ports, creee, &erreur.to_string()).await;
            return Err(match erreur {
                ErreurStripe::Injoignable(_) => ErreurReservation::PaiementIndisponible,
                _ => ErreurReservation::PaiementRefuse,
            });
        }
    };
    let type_paiement = if r.a_payer_centimes < r.prix_centimes {
        TypePaiement::Acompte
    } else {
        TypePaiement::Total
    };
    let ligne = paiements::enregistrer(
        r.id.as_str(),
        r.a_payer_centimes,
        type_paiement,
        &session.id,
        maintenant,
    );
    if let Err(erreur) = ports.db.batch(vec![ligne]).await {
        defaire(ports, creee, &erreur.to_string()).await;
        let _ = stripe_api::expirer_session(ports, &session.id).await;
        return Err(ErreurReservation::Interne(erreur.to_string()));
    }
    Ok(Some(session.url))
}

/// Releases the slot of a booking whose payment could not be opened; someone in the
/// professional's line may take it (an entry whose offer this was keeps its place).
async fn defaire(ports: &Ports<'_>, creee: &Creee, cause: &str) {
    let reservation_id = creee.dossier.reservation.id.as_str();
    let defaite =
        paiements::abandonner_reservation(ports.db, reservation_id, ports.clock.now()).await;
    ports.log.ligne(crate::objet!({
        "niveau": "erreur",
        "evenement": "paiement_non_ouvert",
        "reservation": reservation_id,
        "cause": cause,
        "reservation_liberee": defaite.is_ok(),
        "erreur_liberation": defaite.err().map(|e| e.to_string()),
    }));
    crate::cas::liste_attente::planning_change(ports, &creee.dossier.professionnel).await;
}
