//! `GET /professionnels/{slug}/reserver?service=&debut=`: the booking form for one slot;
//! `POST` to the same address books it through the same code as the API
//! (`reservations::reserver`, limits included: a refusal re-renders the form with the
//! French message and `Retry-After`), then goes to payment or to the confirmation.

use askama::Template;
use serde_json::{Map, Value};

use booking_shared::cas::paiements::demarrer_paiement;
use booking_shared::cas::reservations::{
    lire_public, reserver, Agenda, Demandee, Disponibles, ErreurReservation,
};
use booking_shared::dates;
use booking_shared::render::{
    champs_reservation, format, phrase_paiement, Choix, ChoixMembres, ReserverPage, Seo, Site,
};
use booking_shared::reservation::DemandeBrute;
use booking_shared::store::decode;
use booking_shared::store::planning::fuseau;
use booking_shared::store::professionnels::{Designe, Professionnel};
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

/// What the form is about — the professional, the service, and their agenda around the
/// slot's day (`debut`) — in one round trip, or where to go instead.
async fn charger(
    ctx: &Ctx<'_>,
    req: &Request,
    vertical: &VerticalConfig,
    site: &Site,
    slug: &str,
    service: Option<&str>,
    debut: &str,
) -> Result<(Professionnel, Service, Agenda), Response> {
    let qui = Designe::Public {
        vertical: vertical.slug(),
        slug,
    };
    let id = service.and_then(|s| Identifiant::parse(s.trim()));
    let maintenant = ctx.clock.now();
    let jour = instant(debut).unwrap_or(maintenant).date_naive();
    let lecture = vec![services::lecture_actif(qui, id.map_or(0, Identifiant::get))];
    let (pro, agenda, mut lignes) =
        match lire_public(ctx.db, qui, (jour, jour), maintenant, lecture).await {
            Ok(Some(found)) => found,
            Ok(None) => return Err(erreurs::introuvable(ctx, req).await),
            Err(e) => return Err(erreurs::interne(Some(site), e).await),
        };
    let profil = format!("/professionnels/{}#creneaux", pro.slug);
    match decode::<Service>(lignes.pop().unwrap_or_default()) {
        Ok(services) => match services.into_iter().next() {
            Some(service) if id.is_some() => Ok((pro, service, agenda)),
            _ => Err(cache::voir_ailleurs(&profil)),
        },
        Err(e) => Err(erreurs::interne(Some(site), e).await),
    }
}

/// The person the address asks for (`?membre=`), kept only if they perform the service:
/// « peu importe » otherwise.
pub(super) fn membre_demande(req: &Request, agenda: &Agenda, service: &Service) -> Option<i64> {
    req.query_param("membre")
        .and_then(|m| Identifiant::parse(m.trim()))
        .map(Identifiant::get)
        .filter(|&id| agenda.propose(service, id))
}

fn instant(debut: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    dates::lire_rfc3339(debut.trim()).map(|d| d.with_timezone(&chrono::Utc))
}

/// The slot as the form shows it — the recap, who may be chosen then, the seats left —
/// and whether it can still be booked (with `membre` when one was asked for).
fn choix(
    ctx: &Ctx<'_>,
    vertical: &VerticalConfig,
    (pro, service, agenda): &(Professionnel, Service, Agenda),
    debut: &str,
    membre: Option<i64>,
) -> (Choix, bool) {
    let tz = fuseau(&pro.fuseau);
    let instant = instant(debut);
    let quand = instant.map(|d| format::date_et_heure(&d.with_timezone(&tz)));
    // Who is free at that start (of `avec` alone when given): none when nobody is.
    let libres = |avec: Option<i64>| -> Option<Disponibles> {
        let instant = instant?;
        let jour = instant.with_timezone(&tz).date_naive();
        let offre = agenda.offre_de(vertical, service, (jour, jour), ctx.clock.now(), avec);
        let i = offre.creneaux.iter().position(|c| c.debut() == instant)?;
        offre.disponibles.into_iter().nth(i)
    };
    let tous = libres(None);
    let siens = if membre.is_some() {
        libres(membre)
    } else {
        tous.clone()
    };
    let personnes: Vec<(i64, &str)> = agenda
        .personnes(service)
        .into_iter()
        .filter(|(id, _)| tous.as_ref().is_none_or(|d| d.membres.contains(id)))
        .collect();
    let choix = Choix {
        pro_nom: pro.nom.clone(),
        pro_ville: pro.ville.clone(),
        pro_url: format!("/professionnels/{}", pro.slug),
        service_id: service.id,
        service_nom: service.nom.clone(),
        duree: format::duree(service.duree_minutes),
        prix: format::euros(service.prix_centimes),
        debut: debut.trim().to_owned(),
        quand,
        membres: ChoixMembres::new(vertical.membres(), &personnes, membre),
        places: siens
            .as_ref()
            .filter(|_| service.places > 1)
            .map(|d| format::places_restantes(d.places)),
    };
    (choix, siens.is_some())
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
    let debut = req.query_param("debut").unwrap_or_default();
    let charge = match charger(ctx, req, &vertical, &site, slug, service.as_deref(), &debut).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let membre = membre_demande(req, &charge.2, &charge.1);
    let (choix, libre) = choix(ctx, &vertical, &charge, &debut, membre);
    let pro = &charge.0;
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
            choix,
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

/// The answers to the vertical's own fields among the form's values.
pub(super) fn reponses_du_formulaire(
    vertical: &VerticalConfig,
    valeurs: &[(String, String)],
) -> Map<String, Value> {
    // Inserted one by one: collecting into the map would bring a sorting routine for it.
    let mut reponses = Map::new();
    for champ in vertical.champs() {
        if let Some((k, v)) = valeurs.iter().find(|(k, _)| k == champ.nom()) {
            reponses.insert(k.clone(), Value::String(v.clone()));
        }
    }
    reponses
}

pub async fn envoyer(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return erreurs::introuvable(ctx, req).await;
    };
    let site = site_for(&vertical, req);
    let valeurs = req.form();
    let slug = params.get("slug").unwrap_or("");
    let service = valeur(&valeurs, "service");
    let debut = valeur(&valeurs, "debut");
    // The person chosen: empty for « peu importe »; anything else than an id is refused.
    let membre_saisi = valeur(&valeurs, "membre");
    let membre = Identifiant::parse(membre_saisi.trim()).map(Identifiant::get);
    // The form again, with what went wrong: only then are the professional and the
    // service read on their own (a booking that goes through reads them with its slot).
    let (vertical, site, valeurs, service, debut) = (&vertical, &site, &valeurs, &service, &debut);
    let refuser = |erreurs: Vec<ErreurChamp>, erreur: String, status: u16| async move {
        // An unknown professional or service answers as the form's page does.
        let charge = match charger(ctx, req, vertical, site, slug, Some(service), debut).await {
            Ok(found) => found,
            Err(response) => return response,
        };
        let (choix, _) = choix(ctx, vertical, &charge, debut, membre);
        let rendu = Rendu {
            site,
            vertical,
            choix,
            action: format!("/professionnels/{}/reserver", charge.0.slug),
            valeurs: valeurs.clone(),
            erreurs,
            erreur: Some(erreur),
            indisponible: false,
            status,
        };
        afficher(ctx, req, rendu)
    };
    if !csrf::verifier(ctx, req, valeurs) {
        let message = "Ce formulaire a expiré ou n'a pas été envoyé depuis ce site. Vérifiez vos informations et envoyez-le à nouveau.";
        return refuser(Vec::new(), message.into(), 403).await;
    }
    let Some(service_id) = Identifiant::parse(service.trim()) else {
        return refuser(Vec::new(), String::new(), 404).await;
    };
    if membre.is_none() && !membre_saisi.trim().is_empty() {
        let message = "Choisissez une personne de la liste, ou « Peu importe ».";
        return refuser(Vec::new(), message.into(), 422).await;
    }
    let reponses = reponses_du_formulaire(vertical, valeurs);
    // A signed-in client books for their account (a verified address is then confirmed
    // at once); the pages know the session by its cookie only.
    let user_id = crate::comptes::session::par_cookie(ctx, req)
        .await
        .map(|c| c.id());
    let demandee = Demandee {
        user_id,
        source: crate::comptes::session::source(req),
        base_url: site.base_url.clone(),
        professionnel: slug.to_owned(),
        service_id: service_id.get(),
        membre,
        debut: debut.clone(),
        demande: DemandeBrute {
            nom: valeur(valeurs, "nom"),
            email: valeur(valeurs, "email"),
            telephone: valeur(valeurs, "telephone"),
            message: valeur(valeurs, "message"),
            reponses,
        },
    };
    let creee = match reserver(&ctx.ports(), vertical, &demandee).await {
        Ok(creee) => creee,
        Err(ErreurReservation::Champs(erreurs)) => {
            let message = "Certains champs sont à corriger : voir les messages sous chacun.";
            return refuser(erreurs, message.into(), 422).await;
        }
        Err(ErreurReservation::Interne(detail)) => {
            return erreurs::interne(Some(site), detail).await
        }
        Err(autre) => {
            let probleme = Problem::from(&autre);
            let page = refuser(Vec::new(), probleme.message, probleme.status).await;
            return match autre.reessayer_dans() {
                Some(s) if page.status == probleme.status => {
                    page.with_header("retry-after", s.to_string())
                }
                _ => page,
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
        Err(ErreurReservation::Interne(detail)) => erreurs::interne(Some(site), detail).await,
        Err(e) => {
            let probleme = Problem::from(&e);
            refuser(Vec::new(), probleme.message, probleme.status).await
        }
    }
}
