//! `POST /webhooks/stripe`: the only thing that fulfils a payment.
//!
//! The raw body is checked against `Stripe-Signature` first (400 and nothing changes
//! when it does not match). Then each event applies at most once: its id is inserted in
//! the same batch as the change it causes, so a redelivery, even concurrent, changes
//! nothing. An internal failure answers 5xx so that Stripe delivers it again.
//!
//! An event acts only on a payment the platform created, as it created it: a session
//! event through the payment row that has the session's id, with its booking, amount and
//! currency; a refund through the PaymentIntent recorded when it was paid, with its
//! amount and currency (`stripe::verifier_session`, `stripe::verifier_charge`). What
//! does not match is recorded in `paiements_anomalies`, logged, answered 200 (so Stripe
//! stops retrying) and changes nothing else.

use std::rc::Rc;

use serde_json::json;

use booking_shared::disponibilites::occupation_avec_tampons;
use booking_shared::reservation::{transition, Action, ContexteTransition, StatutReservation};
use booking_shared::store::paiements::{self, ErreurPaiement, EvenementStripe, Paiement, Reprise};
use booking_shared::store::{professionnels, reservations, services, DbError};
use booking_shared::stripe::{
    lire_evenement, verifier_charge, verifier_session, verifier_signature, Anomalie, Charge,
    Evenement, Session, TypeEvenement,
};
use booking_shared::types::{Centimes, StatutPaiement};
use booking_shared::vertical::VerticalConfig;

use super::stripe_api::ErreurStripe;
use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::notifications;
use crate::problem::Problem;
use crate::reservations::{regles_de, Dossier};

/// Why an event could not be applied now.
#[derive(Debug)]
enum Echec {
    /// Another delivery of the same event applied it first.
    DejaTraite,
    Interne(String),
}

impl From<ErreurPaiement> for Echec {
    fn from(e: ErreurPaiement) -> Self {
        match e {
            ErreurPaiement::DejaTraite => Echec::DejaTraite,
            autre => Echec::Interne(autre.to_string()),
        }
    }
}

impl From<DbError> for Echec {
    fn from(e: DbError) -> Self {
        Echec::Interne(e.to_string())
    }
}

impl From<ErreurStripe> for Echec {
    fn from(e: ErreurStripe) -> Self {
        Echec::Interne(e.to_string())
    }
}

/// What became of an event.
#[derive(Debug)]
enum Issue {
    /// Applied, or recognised (the code says which).
    Traite(&'static str),
    /// Not matching what the platform created: recorded, nothing else changed.
    Anomalie(Box<Anomalie>),
}

impl Issue {
    fn code(&self) -> &'static str {
        match self {
            Issue::Traite(code) => code,
            Issue::Anomalie(_) => "anomalie",
        }
    }
}

/// One line per event. An anomaly's says what did not match: Stripe ids, amounts and
/// currencies only, no personal data.
fn journal(evenement: &Evenement, issue: &Issue) {
    let mut ligne = json!({
        "niveau": "info",
        "evenement": "webhook_stripe",
        "id": evenement.id,
        "type": evenement.nom,
        "issue": issue.code(),
    });
    if let Issue::Anomalie(a) = issue {
        ligne["niveau"] = json!("avertissement");
        ligne["raison"] = json!(a.raison.code());
        ligne["session"] = json!(a.session_id);
        ligne["charge"] = json!(a.charge_id);
        ligne["payment_intent"] = json!(a.payment_intent_id);
        ligne["paiement"] = json!(a.paiement_id);
        ligne["montant_recu"] = json!(a.montant_recu);
        ligne["montant_attendu"] = json!(a.montant_attendu);
        ligne["currency_recue"] = json!(a.currency_recue);
        ligne["currency_attendue"] = json!(a.currency_attendue);
    }
    crate::log::line(ligne);
}

pub async fn recevoir(ctx: &Ctx<'_>, req: &Request) -> Response {
    let maintenant = ctx.clock.now().timestamp();
    if let Err(refus) = verifier_signature(
        &req.body,
        req.header("stripe-signature"),
        ctx.settings.stripe_webhook_secret.expose(),
        maintenant,
    ) {
        crate::log::line(
            json!({ "niveau": "avertissement", "evenement": "webhook_stripe_refuse", "cause": refus.to_string() }),
        );
        return Problem::new(
            400,
            "signature_invalide",
            "La signature Stripe de cette requête est absente ou invalide.",
        )
        .into_response();
    }
    let evenement = match lire_evenement(&req.body) {
        Ok(evenement) => evenement,
        Err(erreur) => {
            crate::log::line(
                json!({ "niveau": "avertissement", "evenement": "webhook_stripe_illisible", "cause": erreur.to_string() }),
            );
            return Problem::new(
                400,
                "evenement_illisible",
                "Cet événement Stripe est illisible.",
            )
            .into_response();
        }
    };
    let issue = match traiter(ctx, &evenement).await {
        Ok(issue) => issue,
        Err(Echec::DejaTraite) => Issue::Traite("deja_traite"),
        Err(Echec::Interne(detail)) => {
            return Problem::internal(format!(
                "webhook {} ({}) : {detail}",
                evenement.id, evenement.nom
            ))
            .into_response()
        }
    };
    journal(&evenement, &issue);
    let mut corps = json!({ "recu": true, "issue": issue.code() });
    if let Issue::Anomalie(a) = &issue {
        corps["raison"] = json!(a.raison.code());
    }
    Response::json(200, &corps)
}

async fn traiter(ctx: &Ctx<'_>, evenement: &Evenement) -> Result<Issue, Echec> {
    if evenement.contenu == TypeEvenement::Autre {
        return Ok(Issue::Traite("ignore"));
    }
    if paiements::evenement_deja_traite(ctx.db, &evenement.id).await? {
        return Ok(Issue::Traite("deja_traite"));
    }
    let e = EvenementStripe {
        id: &evenement.id,
        nom: &evenement.nom,
    };
    let maintenant = ctx.clock.now();
    match &evenement.contenu {
        TypeEvenement::SessionTerminee(s)
        | TypeEvenement::PaiementDiffereReussi(s)
        | TypeEvenement::PaiementDiffereEchoue(s)
        | TypeEvenement::SessionExpiree(s) => {
            let encaissement = matches!(
                evenement.contenu,
                TypeEvenement::SessionTerminee(_) | TypeEvenement::PaiementDiffereReussi(_)
            );
            let trouve = paiements::par_session(ctx.db, &s.id).await?;
            let paiement = match verifier_session(s, trouve.as_ref(), encaissement) {
                Ok(p) => p.clone(),
                Err(anomalie) => return signaler(ctx, e, anomalie).await,
            };
            let code = match &evenement.contenu {
                // Paid later (bank debit…): async_payment_succeeded or _failed will follow.
                TypeEvenement::SessionTerminee(s) if !s.est_payee() => {
                    paiements::ignorer(ctx.db, e, maintenant).await?;
                    "paiement_differe"
                }
                TypeEvenement::PaiementDiffereEchoue(_) => {
                    expiration(ctx, e, &paiement, StatutPaiement::Echoue).await?
                }
                TypeEvenement::SessionExpiree(_) => {
                    expiration(ctx, e, &paiement, StatutPaiement::Expire).await?
                }
                _ => paiement_recu(ctx, e, s, paiement).await?,
            };
            Ok(Issue::Traite(code))
        }
        TypeEvenement::ChargeRemboursee(c) => {
            let trouve = match &c.payment_intent {
                Some(pi) => paiements::par_payment_intent(ctx.db, pi).await?,
                None => None,
            };
            match verifier_charge(c, trouve.as_ref()) {
                Ok(p) => Ok(Issue::Traite(charge_remboursee(ctx, e, c, p).await?)),
                Err(anomalie) => signaler(ctx, e, anomalie).await,
            }
        }
        TypeEvenement::Autre => Ok(Issue::Traite("ignore")),
    }
}

/// Records an event that does not match what the platform created; nothing else changes.
async fn signaler(
    ctx: &Ctx<'_>,
    e: EvenementStripe<'_>,
    anomalie: Box<Anomalie>,
) -> Result<Issue, Echec> {
    paiements::signaler(ctx.db, e, &anomalie, ctx.clock.now()).await?;
    Ok(Issue::Anomalie(anomalie))
}

/// What an event is about: its payment, booking and vertical.
struct Affaire {
    paiement: Paiement,
    dossier: Dossier,
    vertical: Rc<VerticalConfig>,
}

async fn affaire(ctx: &Ctx<'_>, paiement: Paiement) -> Result<Option<Affaire>, Echec> {
    let Some(reservation) = reservations::par_id(ctx.db, paiement.reservation_id.as_str()).await?
    else {
        return Ok(None);
    };
    let Some(professionnel) =
        professionnels::par_id(ctx.db, reservation.professionnel_id.get()).await?
    else {
        return Ok(None);
    };
    let Some(service) = services::par_id(ctx.db, reservation.service_id.get()).await? else {
        return Ok(None);
    };
    // Without its vertical (a document failing validation) the e-mails cannot be
    // written: fail, and let Stripe retry once the configuration is fixed.
    let vertical = ctx
        .verticals
        .all(ctx.config, ctx.clock.now())
        .await
        .into_iter()
        .find(|v| v.slug() == professionnel.vertical)
        .ok_or_else(|| {
            Echec::Interne(format!("vertical {} introuvable", professionnel.vertical))
        })?;
    Ok(Some(Affaire {
        paiement,
        dossier: Dossier {
            reservation,
            professionnel,
            service,
        },
        vertical,
    }))
}

async fn paiement_recu(
    ctx: &Ctx<'_>,
    e: EvenementStripe<'_>,
    session: &Session,
    paiement: Paiement,
) -> Result<&'static str, Echec> {
    let maintenant = ctx.clock.now();
    let Some(a) = affaire(ctx, paiement).await? else {
        // The payment's booking, professional or service is gone: nothing to fulfil.
        crate::log::line(json!({
            "niveau": "erreur",
            "evenement": "webhook_stripe_sans_reservation",
            "id": e.id,
            "session": session.id,
        }));
        paiements::ignorer(ctx.db, e, maintenant).await?;
        return Ok("inconnu");
    };
    let pi = session.payment_intent.as_deref();
    match a.paiement.statut {
        StatutPaiement::Paye | StatutPaiement::Rembourse => {
            paiements::ignorer(ctx.db, e, maintenant).await?;
            return Ok("deja_applique");
        }
        _ => {}
    }
    let r = &a.dossier.reservation;
    let statut = r.statut;
    let contexte = ContexteTransition {
        maintenant,
        debut: r.debut(),
        fin: r.fin(),
        annulation_gratuite_heures: a.vertical.regles().annulation_gratuite_heures(),
    };
    if transition(statut, &Action::PaiementRecu, &contexte).is_ok() {
        let mut confirme = a.dossier.clone();
        confirme.reservation.statut = StatutReservation::Confirmee;
        confirme.reservation.expire_at = None;
        let suite = notifications::reservation_confirmee(ctx, &a.vertical, &confirme);
        match paiements::confirmer(
            ctx.db,
            e,
            a.paiement.id,
            r.id.as_str(),
            pi,
            maintenant,
            suite,
        )
        .await
        {
            Ok(()) => return Ok(StatutReservation::Confirmee.as_str()),
            // The booking changed meanwhile (expired, cancelled): decide again on what it is now.
            Err(ErreurPaiement::Conflit) => {
                let Some(a) = affaire(ctx, a.paiement).await? else {
                    return Err(Echec::Interne("réservation disparue".into()));
                };
                return paiement_tardif(ctx, e, &a, pi).await;
            }
            Err(autre) => return Err(autre.into()),
        }
    }
    paiement_tardif(ctx, e, &a, pi).await
}

/// A payment for a booking no longer awaiting it: revived if it only expired and its
/// slot is still free, refunded otherwise (and the client told).
async fn paiement_tardif(
    ctx: &Ctx<'_>,
    e: EvenementStripe<'_>,
    a: &Affaire,
    pi: Option<&str>,
) -> Result<&'static str, Echec> {
    let maintenant = ctx.clock.now();
    let r = &a.dossier.reservation;
    if r.statut == StatutReservation::Confirmee {
        // Confirmed by another payment event of the same session.
        paiements::ignorer(ctx.db, e, maintenant).await?;
        return Ok("deja_applique");
    }
    if r.statut == StatutReservation::Expiree && maintenant < r.debut() {
        let mut confirme = a.dossier.clone();
        confirme.reservation.statut = StatutReservation::Confirmee;
        confirme.reservation.expire_at = None;
        let reprise = Reprise {
            reservation_id: &r.id,
            professionnel_id: r.professionnel_id,
            occupation: occupation_avec_tampons(r.debut(), r.fin(), &regles_de(&a.vertical)),
        };
        let suite = notifications::reservation_confirmee(ctx, &a.vertical, &confirme);
        match paiements::reprendre(ctx.db, e, a.paiement.id, reprise, pi, maintenant, suite).await {
            Ok(()) => return Ok("reprise"),
            Err(ErreurPaiement::Indisponible | ErreurPaiement::Conflit) => {}
            Err(autre) => return Err(autre.into()),
        }
    }
    let Some(pi) = pi else {
        // Nothing to refund without a PaymentIntent: keep the event for a person to see.
        crate::log::line(
            json!({ "niveau": "erreur", "evenement": "paiement_tardif_sans_payment_intent", "id": e.id, "reservation": r.id }),
        );
        paiements::ignorer(ctx.db, e, maintenant).await?;
        return Ok("a_verifier");
    };
    // What is left of it (all of it, unless Stripe already reported a refund).
    let reste = a.paiement.reste();
    let (refund_id, suite) = if reste > Centimes::ZERO {
        (
            super::remboursement::rembourser_le_reste(ctx, &a.paiement, pi).await?,
            notifications::remboursement(ctx, &a.vertical, &a.dossier, reste),
        )
    } else {
        (None, Vec::new())
    };
    paiements::rembourser(
        ctx.db,
        Some(e),
        a.paiement.id,
        refund_id.as_deref(),
        Some(pi),
        maintenant,
        suite,
    )
    .await?;
    Ok("remboursee")
}

async fn expiration(
    ctx: &Ctx<'_>,
    e: EvenementStripe<'_>,
    paiement: &Paiement,
    statut_paiement: StatutPaiement,
) -> Result<&'static str, Echec> {
    paiements::expirer(
        ctx.db,
        e,
        paiement.id,
        paiement.reservation_id.as_str(),
        statut_paiement,
        ctx.clock.now(),
    )
    .await?;
    Ok(StatutReservation::Expiree.as_str())
}

/// Stripe reports a refund of a payment of the platform (made by the platform, or from
/// Stripe's dashboard): what is refunded so far is recorded; the payment stays paid
/// until all of it is.
async fn charge_remboursee(
    ctx: &Ctx<'_>,
    e: EvenementStripe<'_>,
    charge: &Charge,
    paiement: &Paiement,
) -> Result<&'static str, Echec> {
    let rembourse = Centimes::new(charge.rembourse_en_tout());
    paiements::remboursement_constate(ctx.db, e, paiement.id, rembourse, ctx.clock.now()).await?;
    Ok(if rembourse >= paiement.montant {
        "remboursee"
    } else {
        "remboursement_partiel"
    })
}
