//! `GET /recherche`: the directory's results for a search, one page at a time; and
//! `GET /ville/{ville}`: the same cards for one city, a page for search engines.

use askama::Template;
use chrono::{DateTime, Utc};

use booking_shared::recherche::requete_ville;
use booking_shared::render::{
    critere, format, json_ld_fil_ariane, url_ville, FichePro, Pagination, RecherchePage, Seo, Site,
};
use booking_shared::store::professionnels::{EnPlus, Filtres, Resultats};
use booking_shared::store::services::Service;
use booking_shared::vertical::VerticalConfig;

use super::erreurs::{self, ErreurPage};
use super::{cache, site_for};
use crate::api::professionnels::{annuaire, lire_recherche};
use crate::app::Ctx;
use crate::http::{Request, Response};

/// Results per page.
const PAR_PAGE: u32 = 12;
/// Cities suggested when nothing matches.
const VILLES: u32 = 8;

/// The address of a results page (`chemin`), keeping the filters given but `sans`.
fn lien_page(chemin: &str, req: &Request, page: u32, sans: Option<&str>) -> String {
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
        .filter(|nom| Some(**nom) != sans)
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
        chemin.into()
    } else {
        format!("{chemin}?{}", parties.join("&"))
    }
}

/// The page number and size asked, or the message saying why they are refused;
/// `maintenant` places the window on the next free slot.
fn pagination_demandee(
    req: &Request,
    maintenant: DateTime<Utc>,
) -> (Filtres, u32, u32, Option<String>) {
    match lire_recherche(req, maintenant) {
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
    }
}

/// `GET /recherche` (`ville` is `None`) and a city's page `GET /ville/{ville}`: one
/// handler, a city's page being the search of that city with its own head (404 when the
/// city has no listed professional, or when the address is not the city's own; a city
/// where nobody is free in the window asked is still its page, saying so).
pub async fn recherche(
    ctx: &Ctx<'_>,
    req: &Request,
    ville: Option<&str>,
) -> Result<Response, ErreurPage> {
    // One way out to the 404 page: each would carry its own copy of it into the Worker.
    match page(ctx, req, ville).await? {
        Some(reponse) => Ok(reponse),
        None => Ok(erreurs::introuvable(ctx, req).await),
    }
}

/// The page, or `None` for a 404.
async fn page(
    ctx: &Ctx<'_>,
    req: &Request,
    ville: Option<&str>,
) -> Result<Option<Response>, ErreurPage> {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return Ok(None);
    };
    let site = site_for(&vertical, req);
    let maintenant = ctx.clock.now();
    let (filtres, page, par_page, erreur) = pagination_demandee(req, maintenant);
    let requete = match ville {
        Some(slug) => requete_ville(vertical.slug(), slug),
        None => filtres.requete(vertical.slug()),
    };
    // The page, its professionals' services and, on the search page when nothing matches,
    // cities to try (on a city's page, the city's name): one round trip.
    let en_plus = if ville.is_some() {
        EnPlus::Ville
    } else {
        EnPlus::Villes(VILLES)
    };
    let fenetre = filtres.disponible.is_some();
    let mut resultats = annuaire(
        ctx,
        &vertical,
        &requete,
        &filtres,
        (page, par_page),
        en_plus,
    )
    .await?;
    let pluriel = booking_shared::render::format::capitaliser(site.textes.professionnel_pluriel());
    let vue = if let Some(slug) = ville {
        // The city's name as its professionals write it: the most common of those the
        // address names.
        let chemin = format!("/ville/{slug}");
        // Not cities to try: taken out of the results.
        let Some(nom) = std::mem::take(&mut resultats.villes)
            .into_iter()
            .find(|v| url_ville(v) == chemin)
        else {
            return Ok(None);
        };
        let titre = format!("{pluriel} à {nom}");
        Vue {
            titre: titre.clone(),
            h1: titre,
            fil: vec![
                ("Accueil".to_owned(), "/".to_owned()),
                (pluriel, "/recherche".to_owned()),
                (nom.clone(), chemin.clone()),
            ],
            chemin,
            q: String::new(),
            critere: format!(" à {nom}"),
            lieu: nom,
            erreur,
            page: (page, par_page),
            fenetre,
        }
    } else {
        let q = req.query_param("q").unwrap_or_default();
        let lieu = req.query_param("lieu").unwrap_or_default();
        let titre = match (q.trim(), lieu.trim()) {
            ("", "") => format!("Tous les {}", site.textes.professionnel_pluriel()),
            // The place as typed (a region, a number: not always « à »).
            ("", l) => format!("{pluriel}, lieu « {l} »"),
            (q, "") => format!("{pluriel} : « {q} »"),
            (q, l) => format!("{pluriel} : « {q} », lieu « {l} »"),
        };
        Vue {
            titre,
            h1: format!("Trouver un {}", site.textes.professionnel_singulier()),
            chemin: "/recherche".to_owned(),
            fil: Vec::new(),
            critere: critere(&q, &lieu),
            q,
            lieu,
            erreur,
            page: (page, par_page),
            fenetre,
        }
    };
    Ok(Some(rendre(
        req, &vertical, &site, vue, resultats, maintenant,
    )))
}

/// What differs between the search page and a city's page.
struct Vue {
    titre: String,
    h1: String,
    chemin: String,
    fil: Vec<(String, String)>,
    q: String,
    lieu: String,
    /// What was searched, after "Aucun coach" ([`critere`]).
    critere: String,
    erreur: Option<String>,
    page: (u32, u32),
    /// Whether a window on the next free slot (`disponible=`) narrowed the results.
    fenetre: bool,
}

fn rendre(
    req: &Request,
    vertical: &VerticalConfig,
    site: &Site,
    vue: Vue,
    r: Resultats,
    maintenant: DateTime<Utc>,
) -> Response {
    let Resultats {
        professionnels: liste,
        services: tous,
        total,
        villes,
        ..
    } = r;
    let (page, par_page) = vue.page;
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
        precedente: (page > 1).then(|| lien_page(&vue.chemin, req, page.min(pages + 1) - 1, None)),
        suivante: (page < pages).then(|| lien_page(&vue.chemin, req, page + 1, None)),
    });
    let mut seo = Seo::page(
        site,
        &vue.titre,
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
        &lien_page(&vue.chemin, req, page, None),
    );
    if !vue.fil.is_empty() {
        seo.json_ld = Some(json_ld_fil_ariane(site, &vue.fil));
    }
    if vue.erreur.is_some() || total == 0 {
        seo = seo.prive();
    }
    let page_html = RecherchePage {
        site,
        seo,
        h1: vue.h1,
        q: vue.q,
        lieu: vue.lieu,
        disponible: req.query_param("disponible").unwrap_or_default(),
        tri: req.query_param("tri").unwrap_or_default(),
        erreur: vue.erreur,
        total,
        cartes,
        pagination,
        villes,
        critere: vue.critere,
        // Nobody free in the window: the same search without it.
        elargir: (total == 0 && vue.fenetre)
            .then(|| lien_page(&vue.chemin, req, 1, Some("disponible"))),
    };
    let status = if page_html.erreur.is_some() { 422 } else { 200 };
    let html = erreurs::rendered(page_html.render(), Some(site), status);
    cache::publique(req, html, 60)
}
