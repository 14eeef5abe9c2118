//! Reviews: the form a client reaches from the review request e-mail (one review per
//! booking that took place, see `booking_shared::reservation::avis`; none at all in a
//! vertical whose document turns reviews off: 404). `GET /avis/{id}?token=` exchanges the link's secret for a cookie
//! scoped to `/avis/{id}` and redirects to `/avis/{id}` (`crate::liens`), which shows the
//! form; `POST /avis/{id}` records it. The cookie proves the client, as on the manage page.

use std::rc::Rc;

use askama::Template;

use booking_shared::cas::avis::{self, Saisie};
use booking_shared::cas::notifications::DELAI_DEMANDE_AVIS_HEURES;
use booking_shared::cas::reservations::{charger_si, Dossier, ErreurReservation};
use booking_shared::notifications::{AvisPage, EtatAvis};
use booking_shared::render::format::date_et_heure;
use booking_shared::render::{AvisClientsPage, Seo, Site};
use booking_shared::reservation::avis::RefusAvis;
use booking_shared::store::planning::fuseau;
use booking_shared::types::{JetonGestion, ReservationId};
use booking_shared::vertical::VerticalConfig;

use booking_shared::store::avis::Avis as StoreAvis;

use crate::app::Ctx;
use crate::comptes::instant_iso;
use crate::csrf;
use crate::http::Params;
use crate::http::{Request, Response};
use crate::liens::{self, Portee};
use crate::pages::gestion::{page_lien_requis, COOKIE};
use crate::pages::{cache, erreurs, site_for};

/// `GET /avis/{id}`: the form (never stored: it is the client's).
pub async fn formulaire(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    afficher(ctx, req, params)
        .await
        .with_header("cache-control", "private, no-store")
}

/// `POST /avis/{id}`: records the review.
pub async fn enregistrer(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    recevoir(ctx, req, params)
        .await
        .with_header("cache-control", "private, no-store")
}

/// The booking behind the link, its site and its vertical.
struct Acces {
    site: Site,
    vertical: Rc<VerticalConfig>,
    dossier: Dossier,
}

/// How the booking's hash is proved: the secret of the e-mail's link, or the cookie it
/// was exchanged for.
enum Preuve {
    Jeton(String),
    Cookie,
}

/// The booking for this id on this vertical's site. A GET whose address carries the
/// link's secret is answered with the exchange (cookie for `/avis/{id}`, 303 to the same
/// page without it); otherwise the cookie must prove the link. A wrong secret is the 404
/// page, a missing or invalid cookie the page that asks to open the e-mail's link again
/// (the same answers whatever is wrong, so ids cannot be probed).
async fn acces(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Result<Acces, Response> {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return Err(erreurs::introuvable(ctx, req).await);
    };
    // A vertical that collects no reviews has no review form.
    if !vertical.avis().actifs {
        return Err(erreurs::introuvable(ctx, req).await);
    }
    let site = site_for(&vertical, req);
    let id = params.get("id").and_then(ReservationId::parse);
    let chemin = format!("/avis/{}", id.as_ref().map_or("", |i| i.as_str()));
    let portee = Portee {
        cookie: COOKIE,
        chemin: &chemin,
    };
    let preuve = match liens::secret_de_l_adresse(req, "token") {
        Some(jeton) => Preuve::Jeton(jeton),
        None if liens::a_un_cookie(req, portee) => Preuve::Cookie,
        None => return Err(page_lien_requis(&site, "Donner mon avis")),
    };
    let prouve = |hash: &str| match &preuve {
        Preuve::Jeton(jeton) => JetonGestion::verifie(jeton, hash),
        Preuve::Cookie => liens::prouve(ctx, req, portee, hash),
    };
    let id = id.as_ref().map_or("", |i| i.as_str());
    match (
        charger_si(&ctx.ports(), &vertical, id, prouve).await,
        &preuve,
    ) {
        (Ok(dossier), Preuve::Jeton(_)) => Err(liens::echanger(
            ctx,
            req,
            portee,
            &dossier.reservation.manage_token_hash,
            "token",
        )),
        (Ok(dossier), Preuve::Cookie) => Ok(Acces {
            site,
            vertical,
            dossier,
        }),
        (Err(ErreurReservation::Interne(e)), _) => Err(erreurs::interne(Some(&site), e).await),
        (Err(_), Preuve::Jeton(_)) => Err(erreurs::introuvable(ctx, req).await),
        (Err(_), Preuve::Cookie) => Err(page_lien_requis(&site, "Donner mon avis")),
    }
}

fn page(ctx: &Ctx<'_>, req: &Request, a: &Acces, etat: EtatAvis, status: u16) -> Response {
    let csrf = csrf::preparer(ctx, req);
    let (r, pro) = (&a.dossier.reservation, &a.dossier.professionnel);
    let page = AvisPage {
        site: &a.site,
        reservation_id: r.id.to_string(),
        csrf: csrf.jeton.clone(),
        professionnel_nom: pro.nom.clone(),
        service_nom: a.dossier.service.nom.clone(),
        quand: date_et_heure(&r.debut().with_timezone(&fuseau(&pro.fuseau))),
        etat,
    };
    csrf.sur(erreurs::rendered(page.render(), Some(&a.site), status))
}

fn formulaire_vide() -> EtatAvis {
    EtatAvis::Formulaire {
        note: None,
        commentaire: String::new(),
        erreur_note: None,
        erreur_commentaire: None,
        erreur: None,
    }
}

async fn afficher(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let a = match acces(ctx, req, params).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    match avis::refus(&ctx.ports(), &a.vertical, &a.dossier.reservation).await {
        Ok(Some(refus)) => page(ctx, req, &a, EtatAvis::Refuse(refus), 200),
        Ok(None) => page(ctx, req, &a, formulaire_vide(), 200),
        Err(e) => erreurs::interne(Some(&a.site), e).await,
    }
}

/// A refused submission: 403 when the client may never review this booking as such (the
/// professional's own), 409 for the booking's state or the time.
fn refusee(ctx: &Ctx<'_>, req: &Request, a: &Acces, refus: RefusAvis) -> Response {
    let status = match refus {
        RefusAvis::ParLeProfessionnel => 403,
        _ => 409,
    };
    page(ctx, req, a, EtatAvis::Refuse(refus), status)
}

fn valeur(champs: &[(String, String)], nom: &str) -> Option<String> {
    champs
        .iter()
        .find(|(k, _)| k == nom)
        .map(|(_, v)| v.clone())
}

async fn recevoir(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let champs = req.form();
    let a = match acces(ctx, req, params).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    let saisie = Saisie::lire(
        &valeur(&champs, "note").unwrap_or_default(),
        &valeur(&champs, "commentaire").unwrap_or_default(),
    );
    let formulaire = |erreur_note, erreur_commentaire, erreur| EtatAvis::Formulaire {
        note: saisie.note,
        commentaire: saisie.commentaire.clone(),
        erreur_note,
        erreur_commentaire,
        erreur,
    };
    match avis::refus(&ctx.ports(), &a.vertical, &a.dossier.reservation).await {
        Ok(Some(refus)) => return refusee(ctx, req, &a, refus),
        Ok(None) => {}
        Err(e) => return erreurs::interne(Some(&a.site), e).await,
    }
    if !csrf::verifier(ctx, req, &champs) {
        let message = "Ce formulaire a expiré ou n'a pas été envoyé depuis ce site : votre avis n'a pas été enregistré. Envoyez-le à nouveau.";
        return page(
            ctx,
            req,
            &a,
            formulaire(None, None, Some(message.into())),
            403,
        );
    }
    let note = match saisie.verifier() {
        Ok(note) => note,
        Err(fautes) => {
            let message = "Certains champs sont à corriger.".to_owned();
            let etat = formulaire(fautes.note, fautes.commentaire, Some(message));
            return page(ctx, req, &a, etat, 422);
        }
    };
    match avis::donner(&ctx.ports(), &a.dossier, note, &saisie.commentaire).await {
        Ok(Ok(())) => page(ctx, req, &a, EtatAvis::Merci, 200),
        Ok(Err(refus)) => refusee(ctx, req, &a, refus),
        Err(e) => erreurs::interne(Some(&a.site), e).await,
    }
}

/// `GET /avis-clients`: how the vertical's reviews are collected, checked, ordered, kept
/// and reported — or that it collects none.
pub async fn charte(ctx: &Ctx<'_>, req: &Request) -> Response {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return erreurs::introuvable(ctx, req).await;
    };
    let site = site_for(&vertical, req);
    let seo = Seo::page(
        &site,
        "Avis clients",
        "Comment les avis des clients sont collectés, contrôlés et publiés.",
        "/avis-clients",
    );
    let page = AvisClientsPage {
        site: &site,
        seo,
        delai_jours: vertical.avis().delai_jours,
        demande_heures: DELAI_DEMANDE_AVIS_HEURES,
    };
    cache::publique(
        req,
        erreurs::rendered(page.render(), Some(&site), 200),
        3600,
    )
}

/// A review as the API shows it to its professional or to the admin (dates in the
/// professional's time zone).
pub(crate) fn avis_json(a: &StoreAvis, fuseau: &str) -> serde_json::Value {
    serde_json::json!({
        "id": a.id,
        "note": a.note,
        "commentaire": a.commentaire,
        "auteur": a.auteur,
        "date": instant_iso(a.created_at, fuseau),
        "date_experience": instant_iso(a.date_experience, fuseau),
        "statut": a.statut,
        "motif_signalement": a.motif_signalement,
        "motif_moderation": a.motif_moderation,
    })
}

booking_shared::corps! {
    /// The body of a report or a decision: `{"motif": "…"}`.
    pub(crate) struct CorpsMotif {
        pub motif: String = defaut,
    }
}
