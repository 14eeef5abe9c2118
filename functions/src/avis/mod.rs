//! Reviews: the form a client reaches from the review request e-mail (one review per
//! completed booking). `GET /avis/{id}?token=` exchanges the link's secret for a cookie
//! scoped to `/avis/{id}` and redirects to `/avis/{id}` (`crate::liens`), which shows the
//! form; `POST /avis/{id}` records it. The cookie proves the client, as on the manage page.

use askama::Template;

use booking_shared::notifications::{AvisPage, EtatAvis};
use booking_shared::render::format::date_et_heure;
use booking_shared::render::Site;
use booking_shared::reservation::StatutReservation;
use booking_shared::store::avis::{self, NouvelAvis};
use booking_shared::store::planning::fuseau;
use booking_shared::store::{professionnels, reservations, services, DbError};
use booking_shared::types::{JetonGestion, ReservationId};

use crate::app::Ctx;
use crate::csrf;
use crate::http::Params;
use crate::http::{Request, Response};
use crate::liens::{self, Portee};
use crate::pages::gestion::{page_lien_requis, COOKIE};
use crate::pages::{erreurs, site_for};

/// The longest comment kept (the column's CHECK).
const COMMENTAIRE_MAX: usize = 2000;

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

/// The booking behind the link, as the page shows it.
struct Acces {
    site: Site,
    reservation_id: String,
    professionnel_id: i64,
    statut: StatutReservation,
    client_nom: String,
    professionnel_nom: String,
    service_nom: String,
    quand: String,
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
    let trouve = async {
        let Some(id) = id else {
            return Ok::<_, DbError>(None);
        };
        let Some(r) = reservations::par_id(ctx.db, id.as_str())
            .await?
            .filter(|r| prouve(&r.manage_token_hash))
        else {
            return Ok(None);
        };
        let Some(pro) = professionnels::par_id(ctx.db, r.professionnel_id.get())
            .await?
            .filter(|p| p.vertical == vertical.slug())
        else {
            return Ok(None);
        };
        let service = services::par_id(ctx.db, r.service_id.get()).await?;
        Ok(Some((r, pro, service)))
    }
    .await;
    match (trouve, &preuve) {
        (Ok(Some((r, _, _))), Preuve::Jeton(_)) => Err(liens::echanger(
            ctx,
            req,
            portee,
            &r.manage_token_hash,
            "token",
        )),
        (Ok(Some((r, pro, service))), Preuve::Cookie) => Ok(Acces {
            quand: date_et_heure(&r.debut().with_timezone(&fuseau(&pro.fuseau))),
            reservation_id: r.id.to_string(),
            professionnel_id: pro.id,
            statut: r.statut,
            client_nom: r.client_nom,
            professionnel_nom: pro.nom,
            service_nom: service.map(|s| s.nom).unwrap_or_default(),
            site,
        }),
        (Ok(None), Preuve::Jeton(_)) => Err(erreurs::introuvable(ctx, req).await),
        (Ok(None), Preuve::Cookie) => Err(page_lien_requis(&site, "Donner mon avis")),
        (Err(e), _) => Err(erreurs::interne(Some(&site), e).await),
    }
}

fn page(ctx: &Ctx<'_>, req: &Request, a: &Acces, etat: EtatAvis, status: u16) -> Response {
    let csrf = csrf::preparer(ctx, req);
    let page = AvisPage {
        site: &a.site,
        reservation_id: a.reservation_id.clone(),
        csrf: csrf.jeton.clone(),
        professionnel_nom: a.professionnel_nom.clone(),
        service_nom: a.service_nom.clone(),
        quand: a.quand.clone(),
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

/// Where the booking stands for a review, before any form.
async fn etat_initial(ctx: &Ctx<'_>, a: &Acces) -> Result<Option<EtatAvis>, DbError> {
    if avis::existe(ctx.db, &a.reservation_id).await? {
        return Ok(Some(EtatAvis::DejaDonne));
    }
    Ok(match a.statut {
        StatutReservation::Terminee => None,
        _ => Some(EtatAvis::PasEncore),
    })
}

async fn afficher(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let a = match acces(ctx, req, params).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    match etat_initial(ctx, &a).await {
        Ok(Some(etat)) => page(ctx, req, &a, etat, 200),
        Ok(None) => page(ctx, req, &a, formulaire_vide(), 200),
        Err(e) => erreurs::interne(Some(&a.site), e).await,
    }
}

fn valeur(champs: &[(String, String)], nom: &str) -> Option<String> {
    champs
        .iter()
        .find(|(k, _)| k == nom)
        .map(|(_, v)| v.clone())
}

/// How the author is shown on the public profile: first name and initial (« Renée D. »).
pub fn auteur_public(nom: &str) -> String {
    let mut mots = nom.split_whitespace();
    let prenom = mots.next().unwrap_or("Client");
    let initiale = mots
        .last()
        .and_then(|m| m.chars().next())
        .map(|c| format!(" {}.", c.to_uppercase()))
        .unwrap_or_default();
    let auteur: String = format!("{prenom}{initiale}").chars().take(120).collect();
    auteur
}

async fn recevoir(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let champs = req.form();
    let a = match acces(ctx, req, params).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    let note_texte = valeur(&champs, "note").unwrap_or_default();
    let commentaire = valeur(&champs, "commentaire")
        .unwrap_or_default()
        .trim()
        .replace("\r\n", "\n");
    let note = note_texte
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|n| (1..=5).contains(n));
    let formulaire = |erreur_note, erreur_commentaire, erreur| EtatAvis::Formulaire {
        note,
        commentaire: commentaire.clone(),
        erreur_note,
        erreur_commentaire,
        erreur,
    };
    match etat_initial(ctx, &a).await {
        Ok(Some(etat)) => return page(ctx, req, &a, etat, 409),
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
    let erreur_note = note
        .is_none()
        .then(|| "Choisissez une note de 1 à 5.".to_owned());
    let erreur_commentaire = (commentaire.chars().count() > COMMENTAIRE_MAX).then(|| {
        format!("Votre commentaire dépasse {COMMENTAIRE_MAX} caractères : raccourcissez-le.")
    });
    let Some(note) = note.filter(|_| erreur_commentaire.is_none()) else {
        let message = "Certains champs sont à corriger.".to_owned();
        return page(
            ctx,
            req,
            &a,
            formulaire(erreur_note, erreur_commentaire, Some(message)),
            422,
        );
    };
    let nouvel = NouvelAvis {
        reservation_id: a.reservation_id.clone(),
        professionnel_id: a.professionnel_id,
        note,
        commentaire: commentaire.clone(),
        auteur: auteur_public(&a.client_nom),
        created_at: ctx.clock.now().timestamp(),
    };
    match avis::enregistrer(ctx.db, &nouvel).await {
        Ok(()) => page(ctx, req, &a, EtatAvis::Merci, 200),
        // Two submissions at once: the first one counts.
        Err(e) if e.is_constraint_on("avis.reservation_id") => {
            page(ctx, req, &a, EtatAvis::DejaDonne, 409)
        }
        Err(e) if e.is_constraint_on("garde_transition") => {
            page(ctx, req, &a, EtatAvis::PasEncore, 409)
        }
        Err(e) => erreurs::interne(Some(&a.site), e).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_author_is_shown_by_first_name_and_initial() {
        assert_eq!(auteur_public("Renée Dupont"), "Renée D.");
        assert_eq!(auteur_public("jean-paul de la tour"), "jean-paul T.");
        assert_eq!(auteur_public("Cher"), "Cher");
        assert_eq!(auteur_public("  "), "Client");
    }
}
