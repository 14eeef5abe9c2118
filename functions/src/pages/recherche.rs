//! `GET /recherche`: the directory's results for a search, one page at a time.

use askama::Template;

use booking_shared::render::{format, FichePro, Pagination, RecherchePage, Seo};
use booking_shared::store::professionnels::{Annuaire, Filtres};
use booking_shared::store::services::Service;

use super::erreurs::{self, ErreurPage};
use super::{cache, site_for};
use crate::api::professionnels::{annuaire, lire_recherche};
use crate::app::Ctx;
use crate::http::{Request, Response};

/// Results per page.
const PAR_PAGE: u32 = 12;
/// Cities suggested when nothing matches.
const VILLES: u32 = 8;

/// The query string of a results page, keeping the filters given.
fn lien_page(req: &Request, page: u32) -> String {
    let mut parties: Vec<String> = ["q", "lieu", "ville", "region", "service", "par_page"]
        .iter()
        .filter_map(|nom| {
            req.query_param(nom)
                .filter(|v| !v.trim().is_empty())
                .map(|v| format!("{nom}={}", format::encoder(v.trim())))
        })
        .collect();
    if page > 1 {
        parties.push(format!("page={page}"));
    }
    if parties.is_empty() {
        "/recherche".into()
    } else {
        format!("/recherche?{}", parties.join("&"))
    }
}

pub async fn recherche(ctx: &Ctx<'_>, req: &Request) -> Result<Response, ErreurPage> {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return Ok(erreurs::introuvable(ctx, req).await);
    };
    let site = site_for(&vertical, req);
    let (filtres, page, par_page, erreur) = match lire_recherche(req) {
        // The pages show fewer cards than the API's default, unless asked.
        Ok((filtres, page, par_page)) => {
            let par_page = if req.query_param("par_page").is_some() {
                par_page
            } else {
                PAR_PAGE
            };
            (filtres, page, par_page, None)
        }
        Err(probleme) => (Filtres::default(), 1, PAR_PAGE, Some(probleme.message)),
    };
    // The page, its professionals' services and, when nothing matches, cities to try:
    // one round trip.
    let Annuaire {
        professionnels: liste,
        services: tous,
        total,
        villes,
    } = annuaire(ctx, &vertical, &filtres, (page, par_page), VILLES).await?;
    let cartes = liste
        .iter()
        .map(|p| {
            let siens: Vec<&Service> = tous.iter().filter(|s| s.professionnel_id == p.id).collect();
            FichePro::new(p, &siens, vertical.avis().actifs)
        })
        .collect();
    let pages = u32::try_from((total + i64::from(par_page) - 1) / i64::from(par_page)).unwrap_or(1);
    let pagination = (pages > 1).then(|| Pagination {
        page,
        pages,
        precedente: (page > 1).then(|| lien_page(req, page.min(pages + 1) - 1)),
        suivante: (page < pages).then(|| lien_page(req, page + 1)),
    });
    let q = req.query_param("q").unwrap_or_default();
    let lieu = req.query_param("lieu").unwrap_or_default();
    let titre = match (q.trim(), lieu.trim()) {
        ("", "") => format!("Tous les {}", site.textes.professionnel_pluriel()),
        ("", l) => format!("{} à {l}", capitaliser(site.textes.professionnel_pluriel())),
        (q, "") => format!(
            "{} : « {q} »",
            capitaliser(site.textes.professionnel_pluriel())
        ),
        (q, l) => format!(
            "{} à {l} : « {q} »",
            capitaliser(site.textes.professionnel_pluriel())
        ),
    };
    let mut seo = Seo::page(
        &site,
        &titre,
        &format!(
            "{total} {} indépendants avec leurs prix, {}leurs créneaux libres. {}",
            site.textes.professionnel_pluriel(),
            if site.avis_actifs {
                "leurs avis et "
            } else {
                ""
            },
            site.textes.description()
        ),
        &lien_page(req, page),
    );
    if erreur.is_some() || total == 0 {
        seo = seo.prive();
    }
    let page_html = RecherchePage {
        site: &site,
        seo,
        q,
        lieu,
        erreur,
        total,
        cartes,
        pagination,
        villes,
    };
    let status = if page_html.erreur.is_some() { 422 } else { 200 };
    let html = erreurs::rendered(page_html.render(), Some(&site), status);
    Ok(cache::publique(req, html, 60))
}

fn capitaliser(texte: &str) -> String {
    let mut c = texte.chars();
    match c.next() {
        Some(p) => p.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
