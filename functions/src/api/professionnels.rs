//! `GET /api/v1/professionnels` (the directory) and `GET /api/v1/professionnels/{slug}`.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use booking_shared::cas::prochaine_dispo::Disponible;
use booking_shared::cas::reservations::ErreurReservation;
use booking_shared::dates;
use booking_shared::recherche::RequeteFts;
use booking_shared::store::planning;
use booking_shared::store::professionnels::{
    self, Designe, EnPlus, Filtres, Professionnel, Resultats, Tri,
};
use booking_shared::store::services::{self, Service};
use booking_shared::store::{decode, membres, DbError};
use booking_shared::vertical::VerticalConfig;

use super::{ok, parametre_invalide, vertical};
use crate::app::Ctx;
use crate::http::Params;
use crate::http::{Request, Response};
use crate::problem::Problem;

pub const PAR_PAGE_DEFAUT: u32 = 20;
pub const PAR_PAGE_MAX: u32 = 50;
const FILTRE_MAX: usize = 100;

pub fn service_json(s: &Service) -> Value {
    json!({
        "id": s.id,
        "nom": s.nom,
        "description": s.description,
        "duree_minutes": s.duree_minutes,
        "prix_centimes": s.prix_centimes,
        "places": s.places,
    })
}

/// A professional as the API shows them; `note_moyenne` and `nombre_avis` are null when
/// the vertical collects no reviews, `prochaine_disponibilite` when there is no free slot
/// in the days looked at, or the stored one has passed (until the scheduled job moves it
/// on).
pub fn professionnel_json(
    p: &Professionnel,
    services: &[&Service],
    avis_actifs: bool,
    maintenant: DateTime<Utc>,
) -> Value {
    let prochaine = p.prochaine_dispo.filter(|debut| *debut >= maintenant);
    json!({
        "slug": p.slug,
        "nom": p.nom,
        "ville": p.ville,
        "region": p.region,
        "code_postal": p.code_postal,
        "departement": p.departement,
        "photo_url": p.photo_url,
        "prix_min": p.prix_min,
        "prix_max": p.prix_max,
        "note_moyenne": p.note_moyenne.filter(|_| avis_actifs),
        "nombre_avis": avis_actifs.then_some(p.nombre_avis),
        "services": services.iter().map(|s| service_json(s)).collect::<Vec<_>>(),
        "prochaine_disponibilite": prochaine.map(|debut| {
            dates::rfc3339_secondes(&debut.with_timezone(&planning::fuseau(&p.fuseau)))
        }),
        "prochaine_disponibilite_service_id": prochaine.and(p.prochaine_dispo_service_id),
    })
}

fn filtre(req: &Request, nom: &str) -> Result<Option<String>, Problem> {
    match req
        .query_param(nom)
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
    {
        Some(v) if v.chars().count() > FILTRE_MAX => Err(parametre_invalide(
            nom,
            format!("Le filtre « {nom} » est trop long ({FILTRE_MAX} caractères au plus)."),
        )),
        other => Ok(other),
    }
}

fn entier(req: &Request, nom: &str, defaut: u32, max: u32) -> Result<u32, Problem> {
    match req.query_param(nom) {
        None => Ok(defaut),
        Some(v) => v
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                parametre_invalide(
                    nom,
                    format!("« {nom} » doit être un entier entre 1 et {max}."),
                )
            }),
    }
}

/// A query parameter that takes one of a few words (absent or empty: none).
fn choix<T>(
    req: &Request,
    nom: &str,
    lire: impl Fn(&str) -> Option<T>,
    valeurs: &str,
) -> Result<Option<T>, Problem> {
    match req.query_param(nom).map(|v| v.trim().to_owned()) {
        None => Ok(None),
        Some(v) if v.is_empty() => Ok(None),
        Some(v) => lire(&v)
            .map(Some)
            .ok_or_else(|| parametre_invalide(nom, format!("« {nom} » doit valoir {valeurs}."))),
    }
}

/// Filters and page as the directory (API and pages) reads them from the query string;
/// `maintenant` places the availability filter.
pub fn lire_recherche(
    req: &Request,
    maintenant: DateTime<Utc>,
) -> Result<(Filtres, u32, u32), Problem> {
    let disponible = choix(
        req,
        "disponible",
        Disponible::parse,
        "aujourdhui, 3jours ou semaine",
    )?;
    let tri = choix(
        req,
        "tri",
        |v| (v == "disponibilite").then_some(Tri::Disponibilite),
        "disponibilite",
    )?;
    let filtres = Filtres {
        ville: filtre(req, "ville")?,
        region: filtre(req, "region")?,
        lieu: filtre(req, "lieu")?,
        service: filtre(req, "service")?,
        texte: filtre(req, "q")?,
        disponible: disponible.map(|d| d.fenetre(maintenant)),
        tri: tri.unwrap_or_default(),
    };
    let page = entier(req, "page", 1, 10_000)?;
    let par_page = entier(req, "par_page", PAR_PAGE_DEFAUT, PAR_PAGE_MAX)?;
    Ok((filtres, page, par_page))
}

/// One page of the vertical's directory (API and pages: the search, a city's page), in one
/// round trip: the professionals the index matches for `requete` within the window on the
/// next free slot of `filtres`, in its order, their active services, the total (ranked by
/// rating only where reviews are on) and what `en_plus` asks (cities to try, a city's
/// name).
pub async fn annuaire(
    ctx: &Ctx<'_>,
    vertical: &VerticalConfig,
    requete: &RequeteFts,
    filtres: &Filtres,
    page: (u32, u32),
    en_plus: EnPlus,
) -> Result<Resultats, DbError> {
    let ordre = filtres.ordre(vertical.avis().actifs);
    professionnels::rechercher(ctx.db, vertical.slug(), requete, ordre, page, en_plus).await
}

pub async fn lister(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let vertical = vertical(ctx, req).await?;
    let maintenant = ctx.clock.now();
    let (filtres, page, par_page) = lire_recherche(req, maintenant)?;
    let requete = filtres.requete(vertical.slug());
    let r = annuaire(
        ctx,
        &vertical,
        &requete,
        &filtres,
        (page, par_page),
        EnPlus::Rien,
    )
    .await?;
    let items: Vec<Value> = r
        .professionnels
        .iter()
        .map(|p| {
            let siens: Vec<&Service> = r
                .services
                .iter()
                .filter(|s| s.professionnel_id == p.id)
                .collect();
            professionnel_json(p, &siens, vertical.avis().actifs, maintenant)
        })
        .collect();
    let pages = (r.total + i64::from(par_page) - 1) / i64::from(par_page);
    Ok(ok(
        200,
        &booking_shared::objet!({
            "professionnels": items, "page": page, "par_page": par_page, "total": r.total,
            "pages": pages, "total_plafonne": r.total >= i64::from(professionnels::PLAFOND),
        }),
    ))
}

pub async fn detail(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Result<Response, Problem> {
    let vertical = vertical(ctx, req).await?;
    let slug = params.get("slug").unwrap_or("");
    let qui = Designe::Public {
        vertical: vertical.slug(),
        slug,
    };
    // The professional and their services in one round trip.
    let mut lignes = ctx
        .db
        .batch(vec![
            professionnels::lecture_publique(qui),
            services::lecture_actifs(qui),
            membres::lecture_actifs(qui),
        ])
        .await?
        .into_iter();
    let pro = decode::<Professionnel>(lignes.next().unwrap_or_default())?
        .into_iter()
        .next()
        .ok_or_else(|| Problem::from(ErreurReservation::ProfessionnelIntrouvable))?;
    let services: Vec<Service> = decode(lignes.next().unwrap_or_default())?;
    // The people a client may choose, with what each performs (not the resources).
    let personnes: Vec<Value> = membres::depuis(lignes.next().unwrap_or_default())?
        .into_iter()
        .filter(|m| !m.ressource)
        .map(|m| booking_shared::objet!({ "id": m.id, "nom": m.nom, "services": m.services }))
        .collect();
    let refs: Vec<&Service> = services.iter().collect();
    let mut body = professionnel_json(&pro, &refs, vertical.avis().actifs, ctx.clock.now());
    body["bio"] = json!(pro.bio);
    body["fuseau"] = json!(pro.fuseau);
    body["membres"] = json!(personnes);
    Ok(ok(200, &body))
}
