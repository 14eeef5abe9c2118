//! `GET /recherche`: the directory's results for a search, one page at a time.

use askama::Template;

use booking_shared::render::{format, FichePro, Pagination, RecherchePage, Seo};
use booking_shared::store::professionnels::{self, Filtres};
use booking_shared::store::services::Service;

use super::erreurs::{self, ErreurPage};
use super::{cache, site_for};
use crate::api::professionnels::{annuaire, lire_recherche};
use crate::app::Ctx;
use crate::http::{Request, Response};

/// Results per page.
const PAR_PAGE: u32 = 12;

/// The query string of a results page, keeping the filters given.
fn lien_page(req: &Request, page: u32) -> String {
    let noms = [
        "q",
        "lieu",
        "ville",
        "region",
        "service",
        "disponible",
        "tri",
        "par_page",
    ];
    let mut parties: Vec<String> = noms
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
    let maintenant = ctx.clock.now();
    let (filtres, page, par_page, erreur) = match lire_recherche(req, maintenant) {
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
    let (liste, tous, total) = annuaire(ctx, &vertical, &filtres, (page, par_page)).await?;
    let cartes = liste
        .iter()
        .map(|p| {
            let siens: Vec<&Service> = tous.iter().filter(|s| s.professionnel_id == p.id).collect();
            FichePro::new(p, &siens, vertical.avis().actifs, maintenant)
        })
        .collect();
    let pages = u32::try_from((total + i64::from(par_page) - 1) / i64::from(par_page)).unwrap_or(1);
    let pagination = (pages > 1).then(|| Pagination {
        page,
        pages,
        precedente: (page > 1).then(|| lien_page(req, page.min(pages + 1) - 1)),
        suivante: (page < pages).then(|| lien_page(req, page + 1)),
    });
    let villes = if total == 0 {
        professionnels::villes_publiques(ctx.db, vertical.slug(), 8)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let q = req.query_param("q").unwrap_or_default();
    let lieu = req.query_param("lieu").unwrap_or_default();
    let disponible = req.query_param("disponible").unwrap_or_default();
    let tri = req.query_param("tri").unwrap_or_default();
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
        disponible,
        tri,
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
