//! Opening the payment of a booking just made: a Stripe Checkout Session for the amount
//! due online, and the `paiements` row that follows it. If Stripe cannot open it, the
//! booking is undone at once, so that no unpaid booking holds a slot.

use chrono::Duration;
use serde_json::json;

use booking_shared::render::format::date_et_heure;
use booking_shared::store::paiements;
use booking_shared::store::planning::fuseau;
use booking_shared::stripe::ParametresCheckout;
use booking_shared::vertical::VerticalConfig;

use super::stripe_api::{self, ErreurStripe};
use crate::app::Ctx;
use crate::http::Request;
use crate::pages::site_for;
use crate::reservations::{Creee, ErreurReservation};

/// A Checkout Session lives as long as the booking's hold.
const DUREE_SESSION_MINUTES: i64 = crate::reservations::DUREE_RETENUE_PAIEMENT_MINUTES;

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
    vertical: &VerticalConfig,
    req: &Request,
    creee: &Creee,
    maintenant: chrono::DateTime<chrono::Utc>,
) -> ParametresCheckout {
    let r = &creee.dossier.reservation;
    let pro = &creee.dossier.professionnel;
    let service = &creee.dossier.service;
    let base = site_for(vertical, req).base_url;
    let quand = date_et_heure(&r.debut().with_timezone(&fuseau(&pro.fuseau)));
    let description = if r.a_payer_centimes < r.prix_centimes {
        format!("Acompte pour le rendez-vous du {quand}")
    } else {
        format!("Rendez-vous du {quand}")
    };
    ParametresCheckout {
        reservation_id: r.id.clone(),
        montant_centimes: u64::try_from(r.a_payer_centimes).unwrap_or(0),
        libelle: format!("{} — {}", service.nom, pro.nom),
        description,
        email_client: r.client_email.clone(),
        // The session ends with the booking's hold on its slot.
        expire_a: r
            .expire_at
            .unwrap_or_else(|| (maintenant + Duration::minutes(DUREE_SESSION_MINUTES)).timestamp()),
        url_succes: lien_confirmation(&base, &r.id),
        url_annulation: lien_retour(&base, &r.id),
    }
}

/// See [`super::demarrer_paiement`].
pub async fn demarrer(
    ctx: &Ctx<'_>,
    vertical: &VerticalConfig,
    req: &Request,
    creee: &Creee,
) -> Result<Option<String>, ErreurReservation> {
    let r = &creee.dossier.reservation;
    if r.statut != "en_attente_paiement" || r.a_payer_centimes <= 0 {
        return Ok(None);
    }
    let maintenant = ctx.clock.now();
    let params = parametres(vertical, req, creee, maintenant);
    let session = match stripe_api::creer_session(ctx, &params).await {
        Ok(session) => session,
        Err(erreur) => {
            defaire(ctx, &r.id, &erreur.to_string()).await;
            return Err(match erreur {
                ErreurStripe::Injoignable(_) => ErreurReservation::PaiementIndisponible,
                _ => ErreurReservation::PaiementRefuse,
            });
        }
    };
    let type_paiement = if r.a_payer_centimes < r.prix_centimes {
        "acompte"
    } else {
        "total"
    };
    let ligne = paiements::enregistrer(
        &r.id,
        r.a_payer_centimes,
        type_paiement,
        &session.id,
        maintenant,
    );
    if let Err(erreur) = ctx.db.batch(vec![ligne]).await {
        defaire(ctx, &r.id, &erreur.to_string()).await;
        let _ = stripe_api::expirer_session(ctx, &session.id).await;
        return Err(ErreurReservation::Interne(erreur.to_string()));
    }
    Ok(Some(session.url))
}

/// Releases the slot of a booking whose payment could not be opened.
async fn defaire(ctx: &Ctx<'_>, reservation_id: &str, cause: &str) {
    let defaite = paiements::abandonner_reservation(ctx.db, reservation_id, ctx.clock.now()).await;
    crate::log::line(json!({
        "niveau": "erreur",
        "evenement": "paiement_non_ouvert",
        "reservation": reservation_id,
        "cause": cause,
        "reservation_liberee": defaite.is_ok(),
        "erreur_liberation": defaite.err().map(|e| e.to_string()),
    }));
}
