//! `GET /api/v1/professionnels/{slug}/creneaux?service=&du=&au=&membre=`: free slots (of
//! one person of the establishment with `membre`).

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use serde_json::json;

use booking_shared::cas::reservations::{lire_public, ErreurReservation};
use booking_shared::store::professionnels::Designe;
use booking_shared::store::services::Service;
use booking_shared::store::{decode, services};
use booking_shared::types::Identifiant;

use super::{date, ok, parametre_invalide, vertical};
use crate::app::Ctx;
use crate::http::Params;
use crate::http::{Request, Response};
use crate::problem::Problem;

/// Longest range one call may ask for, in days.
pub const PLAGE_MAX_JOURS: i64 = 31;
/// The range when none is given: a week.
pub const PLAGE_DEFAUT_JOURS: i64 = 7;

pub async fn lister(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Result<Response, Problem> {
    let vertical = vertical(ctx, req).await?;
    let slug = params.get("slug").unwrap_or("");
    let service_id = || -> Result<Identifiant, Problem> {
        let service_id = req.query_param("service").ok_or_else(|| {
            parametre_invalide("service", "Indiquez la prestation (paramètre « service »).")
        })?;
        Identifiant::parse(service_id.trim()).ok_or_else(|| {
            parametre_invalide(
                "service",
                "« service » doit être l'identifiant numérique d'une prestation.",
            )
        })
    };
    let maintenant = ctx.clock.now();
    // The days asked for, as today in `fuseau` makes the defaults.
    let jours = |fuseau: Tz| -> Result<(NaiveDate, NaiveDate), Problem> {
        let aujourdhui = maintenant.with_timezone(&fuseau).date_naive();
        let du = date(req, "du")?.unwrap_or(aujourdhui);
        let au = date(req, "au")?.unwrap_or(du + Duration::days(PLAGE_DEFAUT_JOURS - 1));
        if au < du {
            return Err(parametre_invalide(
                "au",
                "« au » doit être le même jour que « du » ou après.",
            ));
        }
        if (au - du).num_days() >= PLAGE_MAX_JOURS {
            return Err(Problem::new(
                422,
                "plage_trop_longue",
                format!("La période demandée ne peut pas dépasser {PLAGE_MAX_JOURS} jours."),
            )
            .on_field("au"));
        }
        Ok((du, au))
    };
    // The professional, the service, the planning and the bookings in one round trip to
    // D1, around the days as today in UTC makes them; the answer then checks, in order,
    // the professional, the parameters and the service.
    let qui = Designe::Public {
        vertical: vertical.slug(),
        slug,
    };
    let demande = service_id().ok().map_or(0, Identifiant::get);
    let lecture = vec![services::lecture_actif(qui, demande)];
    let utc = maintenant.date_naive();
    let lues = jours(chrono_tz::UTC).unwrap_or((utc, utc));
    let (pro, agenda, mut autres) = lire_public(ctx.db, qui, lues, maintenant, lecture)
        .await?
        .ok_or_else(|| Problem::from(ErreurReservation::ProfessionnelIntrouvable))?;
    service_id()?;
    let (du, au) = jours(booking_shared::store::planning::fuseau(&pro.fuseau))?;
    // An empty value is « peu importe », as the pages' form sends it.
    let membre = match req.query_param("membre").filter(|m| !m.trim().is_empty()) {
        Some(m) => Some(Identifiant::parse(m.trim()).ok_or_else(|| {
            parametre_invalide(
                "membre",
                "« membre » doit être l'identifiant numérique d'une personne de l'établissement.",
            )
        })?),
        None => None,
    };
    let service: Service = decode::<Service>(autres.pop().unwrap_or_default())?
        .into_iter()
        .next()
        .ok_or_else(|| Problem::from(ErreurReservation::ServiceIntrouvable))?;
    let membre = membre.map(Identifiant::get);
    if membre.is_some_and(|id| !agenda.propose(&service, id)) {
        return Err(ErreurReservation::MembreIntrouvable.into());
    }
    let offre = agenda.offre_de(&vertical, &service, (du, au), maintenant, membre);
    let liste: Vec<_> = offre
        .creneaux
        .iter()
        .zip(&offre.disponibles)
        .map(|(c, d)| {
            json!({
                "debut": c.debut_local(offre.fuseau),
                "fin": c.fin_local(offre.fuseau),
                "membres": d.membres,
                "places": d.places,
            })
        })
        .collect();
    Ok(ok(
        200,
        &booking_shared::objet!({
            "professionnel": pro.slug,
            "service": super::professionnels::service_json(&service),
            "fuseau": offre.fuseau.name(),
            "du": du.to_string(),
            "au": au.to_string(),
            "creneaux": liste,
        }),
    ))
}
