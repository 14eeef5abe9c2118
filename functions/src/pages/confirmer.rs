//! `/reservations/{id}/confirmer?token=`: the page of the link e-mailed to the address of
//! a guest's request. Opening it changes nothing — mail scanners open links — it shows
//! the request (nothing the requester typed) and a button; the button POSTs the
//! confirmation, with its CSRF token like every form, through the same use case as the
//! API (`reservations::confirmer`), then leads to the manage page. A wrong, used or
//! expired link gets a page that says which, in French.

use askama::Template;

use booking_shared::render::{format, ConfirmerPage, DemandeVue, Seo, Site};
use booking_shared::reservation::TransitionRefusee;

use super::{cache, erreurs, site_for};
use crate::app::Ctx;
use crate::csrf;
use crate::http::{Request, Response};
use crate::reservations::{self, Dossier, ErreurReservation};
use crate::router::Params;

fn afficher(
    ctx: &Ctx<'_>,
    req: &Request,
    site: &Site,
    dossier: &Dossier,
    jeton: &str,
    erreur: Option<String>,
    status: u16,
) -> Response {
    let csrf = csrf::preparer(ctx, req);
    let action = format!("/reservations/{}/confirmer", dossier.reservation.id);
    let page = ConfirmerPage {
        site,
        seo: Seo::page(
            site,
            "Confirmer mon rendez-vous",
            "Confirmez votre demande de rendez-vous.",
            &action,
        )
        .prive(),
        demande: DemandeVue::new(
            &dossier.reservation,
            &dossier.professionnel,
            &dossier.service,
        ),
        action,
        csrf: csrf.jeton.clone(),
        jeton: jeton.to_owned(),
        erreur,
    };
    cache::privee(csrf.sur(erreurs::rendered(page.render(), Some(site), status)))
}

/// Why the link cannot confirm, as a page.
async fn refus(site: &Site, e: ErreurReservation) -> Response {
    let (titre, complement) = match &e {
        ErreurReservation::Interne(detail) => return erreurs::interne(Some(site), detail).await,
        ErreurReservation::ConfirmationInvalide => ("Lien de confirmation invalide", ""),
        ErreurReservation::ConfirmationExpiree => ("Demande expirée", ""),
        ErreurReservation::Transition(TransitionRefusee::DejaConfirmee) => (
            "Rendez-vous déjà confirmé",
            " Le lien pour le gérer est dans l'e-mail de confirmation.",
        ),
        ErreurReservation::Transition(TransitionRefusee::DejaAnnulee) => (
            "Demande annulée",
            " Vous pouvez faire une nouvelle réservation.",
        ),
        _ => ("Confirmation impossible", ""),
    };
    let probleme = e.problem();
    erreurs::page(
        Some(site),
        probleme.status,
        titre,
        &format!("{}{complement}", probleme.message),
    )
}

pub async fn formulaire(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return erreurs::introuvable(ctx, req).await;
    };
    let site = site_for(&vertical, req);
    let jeton = req.query_param("token").unwrap_or_default();
    let id = params.get("id").unwrap_or("");
    match reservations::demande_a_confirmer(ctx, &vertical, id, &jeton).await {
        Ok(dossier) => afficher(ctx, req, &site, &dossier, &jeton, None, 200),
        Err(e) => refus(&site, e).await,
    }
}

pub async fn confirmer(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return erreurs::introuvable(ctx, req).await;
    };
    let site = site_for(&vertical, req);
    let champs = req.form();
    let jeton = champs
        .iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    let id = params.get("id").unwrap_or("");
    let dossier = match reservations::demande_a_confirmer(ctx, &vertical, id, &jeton).await {
        Ok(dossier) => dossier,
        Err(e) => return refus(&site, e).await,
    };
    if !csrf::verifier(ctx, req, &champs) {
        let message = "Ce formulaire a expiré ou n'a pas été envoyé depuis ce site : rien n'a été confirmé. Appuyez à nouveau sur le bouton.";
        return afficher(ctx, req, &site, &dossier, &jeton, Some(message.into()), 403);
    }
    match reservations::confirmer(ctx, &vertical, id, &jeton, &site.base_url).await {
        Ok(confirmee) => cache::voir_ailleurs(&format!(
            "/reservations/{}?token={}&fait=confirmee",
            confirmee.dossier.reservation.id,
            format::encoder(confirmee.jeton.as_str())
        )),
        Err(e) => refus(&site, e).await,
    }
}
