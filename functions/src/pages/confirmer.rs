//! `/reservations/{id}/confirmer?token=`: the page of the link e-mailed to the address of
//! a guest's request. Opening it changes nothing — mail scanners open links. Its first
//! visit moves the secret out of the address into an HttpOnly cookie on this page's path
//! alone (for the hold's 30 minutes at most) and comes back (303) without it; the page
//! then shows the request (nothing the requester typed) and a button; the button POSTs
//! the confirmation, with its CSRF token like every form and the secret from the cookie,
//! through the same use case as the API (`reservations::confirmer`), then leads to the
//! manage page, opened by the booking's manage cookie. A wrong, used or expired link gets
//! a page that says which, in French.

use askama::Template;

use booking_shared::cas::reservations::{
    self, Dossier, ErreurReservation, DUREE_RETENUE_CONFIRMATION_MINUTES,
};
use booking_shared::render::{ConfirmerPage, DemandeVue, Seo, Site};
use booking_shared::reservation::TransitionRefusee;

use super::{cache, erreurs, site_for};
use crate::app::Ctx;
use crate::csrf;
use crate::http::Params;
use crate::http::{Request, Response};
use crate::liens::{self, Portee};
use crate::problem::Problem;

/// The cookie that holds the confirmation link's secret, on the page's path only.
const COOKIE: &str = "confirmation";

fn chemin(id: &str) -> String {
    format!("{}/confirmer", super::gestion::chemin_reservation(id))
}

/// The request that one of the browser's confirmation cookies opens, with its secret.
async fn par_cookie(
    ctx: &Ctx<'_>,
    vertical: &booking_shared::vertical::VerticalConfig,
    req: &Request,
    id: &str,
) -> Result<(Dossier, String), ErreurReservation> {
    let chemin = chemin(id);
    let portee = Portee {
        cookie: COOKIE,
        chemin: &chemin,
    };
    par_secret_garde(
        req,
        portee,
        ErreurReservation::ConfirmationInvalide,
        async |jeton: &str| {
            reservations::demande_a_confirmer(&ctx.ports(), vertical, id, jeton).await
        },
    )
    .await
}

/// The first of the secrets the browser keeps for `portee` that `ouvrir` accepts, with
/// what it opens; else the last refusal (`aucun` without any such cookie).
pub(super) async fn par_secret_garde<T>(
    req: &Request,
    portee: Portee<'_>,
    aucun: ErreurReservation,
    ouvrir: impl AsyncFn(&str) -> Result<T, ErreurReservation>,
) -> Result<(T, String), ErreurReservation> {
    let mut derniere = aucun;
    for jeton in liens::secrets_gardes(req, portee) {
        match ouvrir(&jeton).await {
            Ok(trouve) => return Ok((trouve, jeton)),
            Err(e) => derniere = e,
        }
    }
    Err(derniere)
}

fn afficher(
    ctx: &Ctx<'_>,
    req: &Request,
    site: &Site,
    dossier: &Dossier,
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
    let probleme = Problem::from(&e);
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
    let id = params.get("id").unwrap_or("");
    if let Some(jeton) = liens::secret_de_l_adresse(req, "token") {
        let Some(jeton) = liens::secret_a_garder(&jeton) else {
            return refus(&site, ErreurReservation::ConfirmationInvalide).await;
        };
        // The e-mail's link: checked, then its secret leaves the address.
        return match reservations::demande_a_confirmer(&ctx.ports(), &vertical, id, &jeton).await {
            Ok(_) => {
                let chemin = chemin(id);
                let portee = Portee {
                    cookie: COOKIE,
                    chemin: &chemin,
                };
                liens::echanger_en_gardant(
                    req,
                    portee,
                    &jeton,
                    "token",
                    DUREE_RETENUE_CONFIRMATION_MINUTES * 60,
                )
            }
            Err(e) => refus(&site, e).await,
        };
    }
    match par_cookie(ctx, &vertical, req, id).await {
        Ok((dossier, _)) => afficher(ctx, req, &site, &dossier, None, 200),
        Err(e) => refus(&site, e).await,
    }
}

pub async fn confirmer(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return erreurs::introuvable(ctx, req).await;
    };
    let site = site_for(&vertical, req);
    let champs = req.form();
    let id = params.get("id").unwrap_or("");
    let (dossier, jeton) = match par_cookie(ctx, &vertical, req, id).await {
        Ok(trouve) => trouve,
        Err(e) => return refus(&site, e).await,
    };
    if !csrf::verifier(ctx, req, &champs) {
        let message = "Ce formulaire a expiré ou n'a pas été envoyé depuis ce site : rien n'a été confirmé. Appuyez à nouveau sur le bouton.";
        return afficher(ctx, req, &site, &dossier, Some(message.into()), 403);
    }
    match reservations::confirmer(&ctx.ports(), &vertical, id, &jeton, &site.base_url).await {
        Ok(confirmee) => {
            let reservation = &confirmee.dossier.reservation;
            let chemin_confirmation = chemin(id);
            let gestion = super::gestion::chemin_reservation(reservation.id.as_str());
            // The confirmation's cookie is used up; the manage pages open with theirs.
            cache::voir_ailleurs(&format!("{gestion}?fait=confirmee"))
                .with_cookie(liens::effacer(
                    req,
                    Portee {
                        cookie: COOKIE,
                        chemin: &chemin_confirmation,
                    },
                ))
                .with_cookie(liens::cookie_pour(
                    ctx,
                    req,
                    Portee {
                        cookie: super::gestion::COOKIE,
                        chemin: &gestion,
                    },
                    &reservation.manage_token_hash,
                ))
        }
        Err(e) => refus(&site, e).await,
    }
}
