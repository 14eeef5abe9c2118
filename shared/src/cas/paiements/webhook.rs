//! The events of Stripe's webhook, once their signature is checked: each applies at most
//! once — its id is inserted in the same batch as the change it causes, so a redelivery,
//! even concurrent, changes nothing.
//!
//! An event acts only on a payment the platform created, as it created it: a session
//! event through the payment row that has the session's id, with its booking, amount and
//! currency; a refund through the PaymentIntent recorded when it was paid, with its
//! amount and currency (`stripe::verifier_session`, `stripe::verifier_charge`). What
//! does not match is recorded in `paiements_anomalies` and changes nothing else.

use std::rc::Rc;

use serde_json::json;

use crate::cas::notifications;
use crate::cas::reservations::{contexte, Dossier};
use crate::cas::Ports;
use crate::disponibilites::{occupation_avec_tampons, Regles};
use crate::reservation::{transition, Action, StatutReservation};
use crate::store::paiements::{self, ErreurPaiement, EvenementStripe, Paiement, Reprise};
use crate::store::{professionnels, reservations, services, DbError};
use crate::stripe::{
    verifier_charge, verifier_session, Anomalie, Charge, Evenement, Session, TypeEvenement,
};
use crate::types::{Centimes, StatutPaiement};
use crate::vertical::VerticalConfig;

use super::stripe_api::ErreurStripe;

/// Why an event could not be applied now.
#[derive(Debug, thiserror::Error)]
pub enum EchecEvenement {
    /// Another delivery of the same event applied it first.
    #[error("événement déjà traité")]
    DejaTraite,
    #[error("{0}")]
    Interne(String),
}

impl From<ErreurPaiement> for EchecEvenement {
    fn from(e: ErreurPaiement) -> Self {
        match e {
            ErreurPaiement::DejaTraite => EchecEvenement::DejaTraite,
            autre => EchecEvenement::Interne(autre.to_string()),
        }
    }
}

impl From<DbError> for EchecEvenement {
    fn from(e: DbError) -> Self {
        EchecEvenement::Interne(e.to_string())
    }
}

impl From<ErreurStripe> for EchecEvenement {
    fn from(e: ErreurStripe) -> Self {
        EchecEvenement::Interne(e.to_string())
    }
}

/// What became of an event.
#[derive(Debug)]
pub enum IssueEvenement {
    /// Applied, or recognised (the code says which).
    Traite(&'static str),
    /// Not matching what the platform created: recorded, nothing else changed.
    Anomalie(Box<Anomalie>),
}

impl IssueEvenement {
    pub fn code(&self) -> &'static str {
        match self {
            IssueEvenement::Traite(code) => code,
            IssueEvenement::Anomalie(_) => "anomalie",
        }
    }
}

/// Applies one event of Stripe's webhook (its signature already checked); `verticals`
/// are the configured verticals (the e-mails of a booking are written in its own).
pub async fn traiter_evenement(
    ports: &Ports<'_>,
    verticals: &[Rc<VerticalConfig>],
    evenement: &Evenement,
) -> Result<IssueEvenement, EchecEvenement> {
    let ctx = Contexte { ports, verticals };
    let ctx = &ctx;
    if evenement.contenu == TypeEvenement::Autre {
        return Ok(IssueEvenement::Traite("ignore"));
    }
    if paiements::evenement_deja_traite(ctx.ports.db, &evenement.id).await? {
        return Ok(IssueEvenement::Traite("deja_traite"));
    }
    let e = EvenementStripe {
        id: &evenement.id,
        nom: &evenement.nom,
    };
    let maintenant = ctx.ports.clock.now();
    match &evenement.contenu {
        TypeEvenement::SessionTerminee(s)
        | TypeEvenement::PaiementDiffereReussi(s)
        | TypeEvenement::PaiementDiffereEchoue(s)
        | TypeEvenement::SessionExpiree(s) => {
            let encaissement = matches!(
                evenement.contenu,
                TypeEvenement::SessionTerminee(_) | TypeEvenement::PaiementDiffereReussi(_)
            );
            let trouve = paiements::par_session(ctx.ports.db, &s.id).await?;
            let paiement = match verifier_session(s, trouve.as_ref(), encaissement) {
                Ok(p) => p.clone(),
                Err(anomalie) => return signaler(ctx, e, anomalie).await,
            };
            let code = match &evenement.contenu {
                // Paid later (bank debit…): async_payment_succeeded or _failed will follow.
                TypeEvenement::SessionTerminee(s) if !s.est_payee() => {
                    paiements::ignorer(ctx.ports.db, e, maintenant).await?;
                    "paiement_differe"
                }
                TypeEvenement::PaiementDiffereEchoue(_) | TypeEvenement::SessionExpiree(_) => {
                    let statut = if matches!(evenement.contenu, TypeEvenement::SessionExpiree(_)) {
                        StatutPaiement::Expire
                    } else {
                        StatutPaiement::Echoue
                    };
                    let reservation = paiement.reservation_id.as_str();
                    paiements::expirer(
                        ctx.ports.db,
                        e,
                        paiement.id,
                        reservation,
                        statut,
                        maintenant,
                    )
                    .await?;
                    // Its slot is free again: someone in the professional's line may take
                    // it (and an entry whose offer this was keeps its place).
                    if let Some(a) = affaire(ctx, paiement).await? {
                        crate::cas::liste_attente::creneau_libere(
                            ctx.ports,
                            &a.vertical,
                            a.dossier.professionnel.id,
                        )
                        .await;
                    }
                    StatutReservation::Expiree.as_str()
                }
                _ => paiement_recu(ctx, e, s, paiement).await?,
            };
            Ok(IssueEvenement::Traite(code))
        }
        TypeEvenement::ChargeRemboursee(c) => {
            let trouve = match &c.payment_intent {
                Some(pi) => paiements::par_payment_intent(ctx.ports.db, pi).await?,
                None => None,
            };
            match verifier_charge(c, trouve.as_ref()) {
                Ok(p) => Ok(IssueEvenement::Traite(
                    charge_remboursee(ctx, e, c, p).await?,
                )),
                Err(anomalie) => signaler(ctx, e, anomalie).await,
            }
        }
        TypeEvenement::Autre => Ok(IssueEvenement::Traite("ignore")),
    }
}

/// Records an event that does not match what the platform created; nothing else changes.
async fn signaler(
    ctx: &Contexte<'_>,
    e: EvenementStripe<'_>,
    anomalie: Box<Anomalie>,
) -> Result<IssueEvenement, EchecEvenement> {
    paiements::signaler(ctx.ports.db, e, &anomalie, ctx.ports.clock.now()).await?;
    Ok(IssueEvenement::Anomalie(anomalie))
}

/// What the steps of an event reach.
struct Contexte<'a> {
    ports: &'a Ports<'a>,
    verticals: &'a [Rc<VerticalConfig>],
}

/// What an event is about: its payment, booking and vertical.
struct Affaire {
    paiement: Paiement,
    dossier: Dossier,
    vertical: Rc<VerticalConfig>,
}

async fn affaire(
    ctx: &Contexte<'_>,
    paiement: Paiement,
) -> Result<Option<Affaire>, EchecEvenement> {
    let Some(reservation) =
        reservations::par_id(ctx.ports.db, paiement.reservation_id.as_str()).await?
    else {
        return Ok(None);
    };
    let Some(professionnel) =
        professionnels::par_id(ctx.ports.db, reservation.professionnel_id.get()).await?
    else {
        return Ok(None);
    };
    let Some(service) = services::par_id(ctx.ports.db, reservation.service_id.get()).await? else {
        return Ok(None);
    };
    // Without its vertical (a document failing validation) the e-mails cannot be
    // written: fail, and let Stripe retry once the configuration is fixed.
    let vertical = ctx
        .verticals
        .iter()
        .find(|v| v.slug() == professionnel.vertical)
        .cloned()
        .ok_or_else(|| {
            EchecEvenement::Interne(format!("vertical {} introuvable", professionnel.vertical))
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
    ctx: &Contexte<'_>,
    e: EvenementStripe<'_>,
    session: &Session,
    paiement: Paiement,
) -> Result<&'static str, EchecEvenement> {
    let maintenant = ctx.ports.clock.now();
    let Some(a) = affaire(ctx, paiement).await? else {
        // The payment's booking, professional or service is gone: nothing to fulfil.
        ctx.ports.log.ligne(json!({
            "niveau": "erreur",
            "evenement": "webhook_stripe_sans_reservation",
            "id": e.id,
            "session": session.id,
        }));
        paiements::ignorer(ctx.ports.db, e, maintenant).await?;
        return Ok("inconnu");
    };
    let pi = session.payment_intent.as_deref();
    match a.paiement.statut {
        StatutPaiement::Paye | StatutPaiement::Rembourse => {
            paiements::ignorer(ctx.ports.db, e, maintenant).await?;
            return Ok("deja_applique");
        }
        _ => {}
    }
    let r = &a.dossier.reservation;
    let statut = r.statut;
    let contexte = contexte(&a.vertical, r, maintenant);
    if transition(statut, &Action::PaiementRecu, &contexte).is_ok() {
        let confirme = a.dossier.confirme(maintenant);
        let suite = notifications::reservation_confirmee(ctx.ports, &a.vertical, &confirme);
        match paiements::confirmer(
            ctx.ports.db,
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
                    return Err(EchecEvenement::Interne("réservation disparue".into()));
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
    ctx: &Contexte<'_>,
    e: EvenementStripe<'_>,
    a: &Affaire,
    pi: Option<&str>,
) -> Result<&'static str, EchecEvenement> {
    let maintenant = ctx.ports.clock.now();
    let r = &a.dossier.reservation;
    if r.statut == StatutReservation::Confirmee {
        // Confirmed by another payment event of the same session.
        paiements::ignorer(ctx.ports.db, e, maintenant).await?;
        return Ok("deja_applique");
    }
    if r.statut == StatutReservation::Expiree && maintenant < r.debut() {
        let confirme = a.dossier.confirme(maintenant);
        let reprise = Reprise {
            reservation_id: &r.id,
            professionnel_id: r.professionnel_id,
            occupation: occupation_avec_tampons(
                r.debut(),
                r.fin(),
                &Regles::from(a.vertical.regles()),
            ),
        };
        let suite = notifications::reservation_confirmee(ctx.ports, &a.vertical, &confirme);
        match paiements::reprendre(
            ctx.ports.db,
            e,
            a.paiement.id,
            reprise,
            pi,
            maintenant,
            suite,
        )
        .await
        {
            Ok(()) => return Ok("reprise"),
            Err(ErreurPaiement::Indisponible | ErreurPaiement::Conflit) => {}
            Err(autre) => return Err(autre.into()),
        }
    }
    let Some(pi) = pi else {
        // Nothing to refund without a PaymentIntent: keep the event for a person to see.
        ctx.ports.log.ligne(
            json!({ "niveau": "erreur", "evenement": "paiement_tardif_sans_payment_intent", "id": e.id, "reservation": r.id }),
        );
        paiements::ignorer(ctx.ports.db, e, maintenant).await?;
        return Ok("a_verifier");
    };
    // What is left of it (all of it, unless Stripe already reported a refund).
    let reste = a.paiement.reste();
    let (refund_id, suite) = if reste > Centimes::ZERO {
        (
            super::remboursement::rembourser_le_reste(ctx.ports, &a.paiement, pi).await?,
            notifications::remboursement(ctx.ports, &a.vertical, &a.dossier, reste),
        )
    } else {
        (None, Vec::new())
    };
    paiements::rembourser(
        ctx.ports.db,
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

/// Stripe reports a refund of a payment of the platform (made by the platform, or from
/// Stripe's dashboard): what is refunded so far is recorded; the payment stays paid
/// until all of it is.
async fn charge_remboursee(
    ctx: &Contexte<'_>,
    e: EvenementStripe<'_>,
    charge: &Charge,
    paiement: &Paiement,
) -> Result<&'static str, EchecEvenement> {
    let rembourse = Centimes::new(charge.rembourse_en_tout());
    paiements::remboursement_constate(
        ctx.ports.db,
        e,
        paiement.id,
        rembourse,
        ctx.ports.clock.now(),
    )
    .await?;
    Ok(if rembourse >= paiement.montant {
        "remboursee"
    } else {
        "remboursement_partiel"
    })
}
