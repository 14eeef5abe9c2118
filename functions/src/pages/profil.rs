//! `GET /professionnels/{slug}`: the profile, its services and the week's free slots
//! (`?service=` picks the service, `?semaine=` the week).

use askama::Template;

use booking_shared::cas::reservations::lire_public;
use booking_shared::render::{
    format, jours_de_creneaux, json_ld_professionnel, phrase_paiement, AvisVue, ChoixMembres,
    FichePro, ProfilPage, Seo, ServiceVue,
};
use booking_shared::store::planning::fuseau;
use booking_shared::store::professionnels::Designe;
use booking_shared::store::{avis, decode, services};
use booking_shared::types::Identifiant;

use super::erreurs::{self, ErreurPage};
use super::{cache, semaine, site_for};
use crate::app::Ctx;
use crate::http::Params;
use crate::http::{Request, Response};

pub async fn profil(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Result<Response, ErreurPage> {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return Ok(erreurs::introuvable(ctx, req).await);
    };
    let site = site_for(&vertical, req);
    let slug = params.get("slug").unwrap_or("");
    let qui = Designe::Public {
        vertical: vertical.slug(),
        slug,
    };
    let maintenant = ctx.clock.now();
    // Everything the page shows, in one round trip to D1 (no review when the vertical
    // collects none), around the week as today in UTC makes it.
    let autres = vec![
        services::lecture_actifs(qui),
        avis::lecture_derniers(qui, if site.avis_actifs { 5 } else { 0 }),
    ];
    let jours = semaine::bornes(req, maintenant.date_naive());
    let Some((pro, agenda, mut autres)) =
        lire_public(ctx.db, qui, jours, maintenant, autres).await?
    else {
        return Ok(erreurs::introuvable(ctx, req).await);
    };
    let tz = fuseau(&pro.fuseau);
    let aujourdhui = maintenant.with_timezone(&tz).date_naive();
    let (du, au) = semaine::bornes(req, aujourdhui);
    let derniers: Vec<avis::Avis> = decode(autres.pop().unwrap_or_default())?;
    let liste: Vec<services::Service> = decode(autres.pop().unwrap_or_default())?;
    let demande = req
        .query_param("service")
        .and_then(|s| Identifiant::parse(s.trim()));
    let choisi = demande
        .and_then(|id| liste.iter().find(|s| s.id == id.get()))
        .or_else(|| liste.first());

    let base = format!("/professionnels/{}", pro.slug);
    let personnes = choisi.map(|s| agenda.personnes(s)).unwrap_or_default();
    let membre = choisi.and_then(|s| super::reserver::membre_demande(req, &agenda, s));
    let avec = membre.map_or_else(String::new, |id| format!("&membre={id}"));
    let jours = match choisi {
        Some(service) => {
            let offre = agenda.offre_de(&vertical, service, (du, au), maintenant, membre);
            let seance = service.places > 1;
            jours_de_creneaux(
                &offre.creneaux,
                offre.fuseau,
                |debut| {
                    format!(
                        "{base}/reserver?service={}&debut={}{avec}",
                        service.id,
                        format::encoder(debut)
                    )
                },
                |i| {
                    offre
                        .disponibles
                        .get(i)
                        .filter(|_| seance)
                        .map(|d| d.places)
                },
            )
        }
        None => Vec::new(),
    };
    let choisi_id = choisi.map(|s| s.id);
    let lien_semaine = |d: chrono::NaiveDate| match choisi_id {
        Some(id) => format!("{base}?service={id}{avec}&semaine={d}#creneaux"),
        None => format!("{base}?semaine={d}#creneaux"),
    };
    let semaine = semaine::semaine(&vertical, aujourdhui, du, au, jours, lien_semaine);
    let vues: Vec<ServiceVue> = liste
        .iter()
        .map(|s| ServiceVue {
            id: s.id,
            nom: s.nom.clone(),
            description: s.description.clone(),
            duree: format::duree(s.duree_minutes),
            prix: format::euros(s.prix_centimes),
            url: format!("{base}?service={}", s.id),
            choisi: Some(s.id) == choisi_id,
        })
        .collect();
    let refs: Vec<&services::Service> = liste.iter().collect();
    let fiche = FichePro::new(&pro, &refs, site.avis_actifs, maintenant);
    let mut seo = Seo::page(
        &site,
        &format!(
            "{}, {} à {}",
            pro.nom,
            site.textes.professionnel_singulier(),
            pro.ville
        ),
        &format!(
            "{} à {} ({}) : prestations, tarifs, {}créneaux libres. Réservez en ligne. {}",
            pro.nom,
            pro.ville,
            pro.region,
            if site.avis_actifs { "avis et " } else { "" },
            pro.bio
        ),
        &base,
    );
    seo.og_type = "profile";
    seo.json_ld = Some(json_ld_professionnel(&site, &pro, &site.url(&base)));
    let page = ProfilPage {
        site: &site,
        seo,
        pro: fiche,
        service_choisi: vues.iter().find(|s| s.choisi).cloned(),
        services: vues,
        semaine,
        avis: derniers.iter().map(|a| AvisVue::new(a, tz)).collect(),
        paiement: phrase_paiement(&vertical.regles().paiement()),
        liste_attente: vertical.liste_attente().actif,
        membres: ChoixMembres::new(vertical.membres(), &personnes, membre),
    };
    let html = erreurs::rendered(page.render(), Some(&site), 200);
    Ok(cache::a_revalider(req, html))
}
