//! `POST /webhooks/stripe`: the only thing that fulfils a payment.
//!
//! The raw body is checked against `Stripe-Signature` first (400 and nothing changes
//! when it does not match). Then each event applies at most once: its id is inserted in
//! the same batch as the change it causes, so a redelivery, even concurrent, changes
//! nothing. An internal failure answers 5xx so that Stripe delivers it again.

use std::rc::Rc;

use serde_json::json;

use booking_shared::disponibilites::occupation_avec_tampons;
use booking_shared::reservation::{transition, Action, ContexteTransition, StatutReservation};
use booking_shared::store::paiements::{self, ErreurPaiement, EvenementStripe, Paiement, Reprise};
use booking_shared::store::{professionnels, reservations, services, DbError};
use booking_shared::stripe::{
    lire_evenement, verifier_signature, Charge, Evenement, Session, TypeEvenement,
};
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

fn journal(evenement: &Evenement, issue: &str) {
    crate::log::line(json!({
        "niveau": "info",
        "evenement": "webhook_stripe",
        "id": evenement.id,
        "type": evenement.nom,
        "issue": issue,
    }));
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
        Err(Echec::DejaTraite) => "deja_traite",
        Err(Echec::Interne(detail)) => {
            return Problem::internal(format!(
                "webhook {} ({}) : {detail}",
                evenement.id, evenement.nom
            ))
            .into_response()
        }
    };
    journal(&evenement, issue);
    Response::json(200, &json!({ "recu": true, "issue": issue }))
}

async fn traiter(ctx: &Ctx<'_>, evenement: &Evenement) -> Result<&'static str, Echec> {
    if evenement.contenu == TypeEvenement::Autre {
        return Ok("ignore");
    }
    if paiements::evenement_deja_traite(ctx.db, &evenement.id).await? {
        return Ok("deja_traite");
    }
    let e = EvenementStripe {
        id: &evenement.id,
        nom: &evenement.nom,
    };
    match &evenement.contenu {
        // Paid later (bank debit…): async_payment_succeeded or _failed will follow.
        TypeEvenement::SessionTerminee(s) if !s.est_payee() => {
            paiements::ignorer(ctx.db, e, ctx.clock.now()).await?;
            Ok("paiement_differe")
        }
        TypeEvenement::SessionTerminee(s) | TypeEvenement::PaiementDiffereReussi(s) => {
            paiement_recu(ctx, e, s).await
        }
        TypeEvenement::PaiementDiffereEchoue(s) => expiration(ctx, e, s, "echoue").await,
        TypeEvenement::SessionExpiree(s) => expiration(ctx, e, s, "expire").await,
        TypeEvenement::ChargeRemboursee(c) => charge_remboursee(ctx, e, c).await,
        TypeEvenement::Autre => Ok("ignore"),
    }
}

/// What an event is about: its payment, booking and vertical.
struct Affaire {
    paiement: Paiement,
    dossier: Dossier,
    vertical: Rc<VerticalConfig>,
}

async fn paiement_de_session(ctx: &Ctx<'_>, session: &Session) -> Result<Option<Paiement>, Echec> {
    if let Some(p) = paiements::par_session(ctx.db, &session.id).await? {
        return Ok(Some(p));
    }
    match &session.reservation_id {
        Some(id) => Ok(paiements::dernier_de(ctx.db, id).await?),
        None => Ok(None),
    }
}

async fn affaire(ctx: &Ctx<'_>, paiement: Paiement) -> Result<Option<Affaire>, Echec> {
    let Some(reservation) = reservations::par_id(ctx.db, &paiement.reservation_id).await? else {
        return Ok(None);
    };
    let Some(professionnel) = professionnels::par_id(ctx.db, reservation.professionnel_id).await?
    else {
        return Ok(None);
    };
    let Some(service) = services::par_id(ctx.db, reservation.service_id).await? else {
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

fn inconnu(evenement: EvenementStripe<'_>, objet: &str) {
    crate::log::line(json!({
        "niveau": "avertissement",
        "evenement": "webhook_stripe_sans_paiement",
        "id": evenement.id,
        "objet": objet,
    }));
}

async fn paiement_recu(
    ctx: &Ctx<'_>,
    e: EvenementStripe<'_>,
    session: &Session,
) -> Result<&'static str, Echec> {
    let maintenant = ctx.clock.now();
    let trouve = match paiement_de_session(ctx, session).await? {
        Some(p) => affaire(ctx, p).await?,
        None => None,
    };
    let Some(a) = trouve else {
        inconnu(e, &session.id);
        paiements::ignorer(ctx.db, e, maintenant).await?;
        return Ok("inconnu");
    };
    let pi = session.payment_intent.as_deref();
    match a.paiement.statut.as_str() {
        "paye" | "rembourse" => {
            paiements::ignorer(ctx.db, e, maintenant).await?;
            return Ok("deja_applique");
        }
        _ => {}
    }
    let r = &a.dossier.reservation;
    let statut = StatutReservation::parse(&r.statut).map_err(|x| Echec::Interne(x.to_string()))?;
    let contexte = ContexteTransition {
        maintenant,
        debut: r.debut(),
        fin: r.fin(),
        annulation_gratuite_heures: a.vertical.regles().annulation_gratuite_heures(),
    };
    if transition(statut, &Action::PaiementRecu, &contexte).is_ok() {
        let mut confirme = a.dossier.clone();
        confirme.reservation.statut = StatutReservation::Confirmee.as_str().to_owned();
        confirme.reservation.expire_at = None;
        let suite = notifications::reservation_confirmee(ctx, &a.vertical, &confirme);
        match paiements::confirmer(ctx.db, e, a.paiement.id, &r.id, pi, maintenant, suite).await {
            Ok(()) => return Ok("confirmee"),
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
    if r.statut == StatutReservation::Confirmee.as_str() {
        // Confirmed by another payment event of the same session.
        paiements::ignorer(ctx.db, e, maintenant).await?;
        return Ok("deja_applique");
    }
    if r.statut == StatutReservation::Expiree.as_str() && maintenant < r.debut() {
        let mut confirme = a.dossier.clone();
        confirme.reservation.statut = StatutReservation::Confirmee.as_str().to_owned();
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
    let refund_id = super::remboursement::rembourser_chez_stripe(ctx, pi, &r.id).await?;
    let suite = notifications::remboursement(ctx, &a.vertical, &a.dossier, a.paiement.montant);
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
    session: &Session,
    statut_paiement: &str,
) -> Result<&'static str, Echec> {
    let maintenant = ctx.clock.now();
    let paiement = paiement_de_session(ctx, session).await?;
    let reservation_id = paiement
        .as_ref()
        .map(|p| p.reservation_id.clone())
        .or_else(|| session.reservation_id.clone());
    let Some(reservation_id) = reservation_id else {
        inconnu(e, &session.id);
        paiements::ignorer(ctx.db, e, maintenant).await?;
        return Ok("inconnu");
    };
    paiements::expirer(
        ctx.db,
        e,
        paiement.map(|p| p.id),
        &reservation_id,
        statut_paiement,
        maintenant,
    )
    .await?;
    Ok("expiree")
}

async fn charge_remboursee(
    ctx: &Ctx<'_>,
    e: EvenementStripe<'_>,
    charge: &Charge,
) -> Result<&'static str, Echec> {
    let maintenant = ctx.clock.now();
    let mut paiement = match &charge.payment_intent {
        Some(pi) => paiements::par_payment_intent(ctx.db, pi).await?,
        None => None,
    };
    if paiement.is_none() {
        if let Some(id) = &charge.reservation_id {
            paiement = paiements::dernier_de(ctx.db, id).await?;
        }
    }
    let Some(paiement) = paiement.filter(|_| charge.refunded || charge.amount_refunded > 0) else {
        inconnu(e, &charge.id);
        paiements::ignorer(ctx.db, e, maintenant).await?;
        return Ok("inconnu");
    };
    paiements::rembourser(
        ctx.db,
        Some(e),
        paiement.id,
        None,
        charge.payment_intent.as_deref(),
        maintenant,
        Vec::new(),
    )
    .await?;
    Ok("remboursee")
}
