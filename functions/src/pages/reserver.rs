//! `GET /professionnels/{slug}/reserver?service=&debut=`: the booking form for one slot;
//! `POST` to the same address books it through the same code as the API
//! (`reservations::reserver`, limits included: a refusal re-renders the form with the
//! French message and `Retry-After`), then goes to payment or to the confirmation.

use askama::Template;
use serde_json::{Map, Value};

use booking_shared::cas::paiements::demarrer_paiement;
use booking_shared::cas::reservations::{creneaux, reserver, Demandee, ErreurReservation};
use booking_shared::dates;
use booking_shared::render::{
    champs_reservation, format, phrase_paiement, Choix, ReserverPage, Seo, Site,
};
use booking_shared::reservation::DemandeBrute;
use booking_shared::store::planning::fuseau;
use booking_shared::store::professionnels::{self, Professionnel};
use booking_shared::store::services::{self, Service};
use booking_shared::types::Identifiant;
use booking_shared::vertical::{ErreurChamp, VerticalConfig};

use super::{cache, erreurs, gestion, site_for};
use crate::app::Ctx;
use crate::csrf;
use crate::http::Params;
use crate::http::{Request, Response};
use crate::liens::{self, Portee};
use crate::problem::Problem;

/// What the form is about: the professional and the service, or where to go instead.
async fn charger(
    ctx: &Ctx<'_>,
    req: &Request,
    vertical: &VerticalConfig,
    site: &Site,
    slug: &str,
    service: Option<&str>,
) -> Result<(Professionnel, Service), Response> {
    let pro = match professionnels::public_par_slug(ctx.db, vertical.slug(), slug).await {
        Ok(Some(pro)) => pro,
        Ok(None) => return Err(erreurs::introuvable(ctx, req).await),
        Err(e) => return Err(erreurs::interne(Some(site), e).await),
    };
    let profil = format!("/professionnels/{}#creneaux", pro.slug);
    let Some(id) = service.and_then(|s| Identifiant::parse(s.trim())) else {
        return Err(cache::voir_ailleurs(&profil));
    };
    match services::du_professionnel(ctx.db, pro.id, id.get(), true).await {
        Ok(Some(service)) => Ok((pro, service)),
        Ok(None) => Err(cache::voir_ailleurs(&profil)),
        Err(e) => Err(erreurs::interne(Some(site), e).await),
    }
}

fn choix(pro: &Professionnel, service: &Service, debut: &str) -> Choix {
    let quand = dates::lire_rfc3339(debut.trim())
        .map(|d| format::date_et_heure(&d.with_timezone(&fuseau(&pro.fuseau))));
    Choix {
        pro_nom: pro.nom.clone(),
        pro_ville: pro.ville.clone(),
        pro_url: format!("/professionnels/{}", pro.slug),
        service_id: service.id,
        service_nom: service.nom.clone(),
        duree: format::duree(service.duree_minutes),
        prix: format::euros(service.prix_centimes),
        debut: debut.trim().to_owned(),
        quand,
    }
}

/// Whether `debut` is one of the free slots of its local day.
async fn est_libre(
    ctx: &Ctx<'_>,
    vertical: &VerticalConfig,
    pro: &Professionnel,
    service: &Service,
    debut: &str,
) -> Result<bool, booking_shared::store::DbError> {
    let Some(instant) = dates::lire_rfc3339(debut.trim()) else {
        return Ok(false);
    };
    let jour = instant.with_timezone(&fuseau(&pro.fuseau)).date_naive();
    let offre = creneaux(ctx.db, vertical, pro, service, jour, jour, ctx.clock.now()).await?;
    Ok(offre
        .creneaux
        .iter()
        .any(|c| c.debut() == instant.with_timezone(&chrono::Utc)))
}

struct Rendu<'a> {
    site: &'a Site,
    vertical: &'a VerticalConfig,
    choix: Choix,
    action: String,
    valeurs: Vec<(String, String)>,
    erreurs: Vec<ErreurChamp>,
    erreur: Option<String>,
    indisponible: bool,
    status: u16,
}

fn afficher(ctx: &Ctx<'_>, req: &Request, rendu: Rendu<'_>) -> Response {
    let jeton = csrf::preparer(ctx, req);
    let seo = Seo::page(
        rendu.site,
        &format!("Réserver — {}", rendu.choix.pro_nom),
        &format!(
            "Réservez « {} » avec {} en ligne.",
            rendu.choix.service_nom, rendu.choix.pro_nom
        ),
        &rendu.action,
    )
    .prive();
    let page = ReserverPage {
        site: rendu.site,
        seo,
        champs: champs_reservation(rendu.vertical.champs(), &rendu.valeurs, &rendu.erreurs),
        choix: rendu.choix,
        action: rendu.action,
        csrf: jeton.jeton.clone(),
        erreur: rendu.erreur,
        indisponible: rendu.indisponible,
        paiement: phrase_paiement(&rendu.vertical.regles().paiement()),
    };
    let response = erreurs::rendered(page.render(), Some(rendu.site), rendu.status);
    cache::privee(jeton.sur(response))
}

pub async fn formulaire(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return erreurs::introuvable(ctx, req).await;
    };
    let site = site_for(&vertical, req);
    let slug = params.get("slug").unwrap_or("");
    let service = req.query_param("service");
    let (pro, service) = match charger(ctx, req, &vertical, &site, slug, service.as_deref()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let debut = req.query_param("debut").unwrap_or_default();
    let libre = match est_libre(ctx, &vertical, &pro, &service, &debut).await {
        Ok(libre) => libre,
        Err(e) => return erreurs::interne(Some(&site), e).await,
    };
    let erreur = (!libre).then(|| {
        "Ce créneau n'est plus disponible (déjà réservé, passé ou trop proche). Choisissez-en un autre."
            .to_owned()
    });
    afficher(
        ctx,
        req,
        Rendu {
            site: &site,
            vertical: &vertical,
            choix: choix(&pro, &service, &debut),
            action: format!("/professionnels/{}/reserver", pro.slug),
            valeurs: Vec::new(),
            erreurs: Vec::new(),
            erreur,
            indisponible: !libre,
            status: if libre { 200 } else { 409 },
        },
    )
}

/// The value of the form's field `nom` (empty when absent).
pub(super) fn valeur(champs: &[(String, String)], nom: &str) -> String {
    champs
        .iter()
        .find(|(k, _)| k == nom)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

pub async fn envoyer(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return erreurs::introuvable(ctx, req).await;
    };
    let site = site_for(&vertical, req);
    let valeurs = req.form();
    let slug = params.get("slug").unwrap_or("");
    let service = valeur(&valeurs, "service");
    let (pro, service) = match charger(ctx, req, &vertical, &site, slug, Some(&service)).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let debut = valeur(&valeurs, "debut");
    let rendu = |erreurs: Vec<ErreurChamp>, erreur: Option<String>, status: u16| Rendu {
        site: &site,
        vertical: &vertical,
        choix: choix(&pro, &service, &debut),
        action: format!("/professionnels/{}/reserver", pro.slug),
        valeurs: valeurs.clone(),
        erreurs,
        erreur,
        indisponible: false,
        status,
    };
    if !csrf::verifier(ctx, req, &valeurs) {
        let message = "Ce formulaire a expiré ou n'a pas été envoyé depuis ce site. Vérifiez vos informations et envoyez-le à nouveau.";
        return afficher(ctx, req, rendu(Vec::new(), Some(message.into()), 403));
    }
    let reponses: Map<String, Value> = vertical
        .champs()
        .iter()
        .filter_map(|c| {
            valeurs
                .iter()
                .find(|(k, _)| k == c.nom())
                .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        })
        .collect();
    // A signed-in client books for their account (a verified address is then confirmed
    // at once); the pages know the session by its cookie only.
    let user_id = crate::comptes::session::par_cookie(ctx, req)
        .await
        .map(|c| c.id());
    let demandee = Demandee {
        user_id,
        source: crate::comptes::session::source(req),
        base_url: site.base_url.clone(),
        professionnel: pro.slug.clone(),
        service_id: service.id,
        debut: debut.clone(),
        demande: DemandeBrute {
            nom: valeur(&valeurs, "nom"),
            email: valeur(&valeurs, "email"),
            telephone: valeur(&valeurs, "telephone"),
            message: valeur(&valeurs, "message"),
            reponses,
        },
    };
    let creee = match reserver(&ctx.ports(), &vertical, &demandee).await {
        Ok(creee) => creee,
        Err(ErreurReservation::Champs(erreurs)) => {
            let message = "Certains champs sont à corriger : voir les messages sous chacun.";
            return afficher(ctx, req, rendu(erreurs, Some(message.into()), 422));
        }
        Err(ErreurReservation::Interne(detail)) => {
            return erreurs::interne(Some(&site), detail).await
        }
        Err(autre) => {
            let probleme = Problem::from(&autre);
            let page = afficher(
                ctx,
                req,
                rendu(Vec::new(), Some(probleme.message), probleme.status),
            );
            return match autre.reessayer_dans() {
                Some(s) => page.with_header("retry-after", s.to_string()),
                None => page,
            };
        }
    };
    // The booking's pages open with the manage cookie, set here before the client goes to
    // Stripe or to the confirmation: no address carries the secret (it reaches the client
    // only in the e-mail's link).
    let chemin = gestion::chemin_reservation(creee.dossier.reservation.id.as_str());
    let portee = Portee {
        cookie: gestion::COOKIE,
        chemin: &chemin,
    };
    let cookie = liens::cookie_pour(ctx, req, portee, &creee.jeton.hash());
    match demarrer_paiement(&ctx.ports(), &site.base_url, &creee).await {
        Ok(Some(url)) => cache::voir_ailleurs(&url).with_cookie(cookie),
        Ok(None) => cache::voir_ailleurs(&format!("{chemin}/confirmation")).with_cookie(cookie),
        // The booking was withdrawn: the form again, with what went wrong.
        Err(ErreurReservation::Interne(detail)) => erreurs::interne(Some(&site), detail).await,
        Err(e) => {
            let probleme = Problem::from(&e);
            afficher(
                ctx,
                req,
                rendu(Vec::new(), Some(probleme.message), probleme.status),
            )
        }
    }
}
