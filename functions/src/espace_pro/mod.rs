//! The professional's space: profile, services, hours, time off, agenda, calendar feed —
//! as pages (session cookie, CSRF on every form) and as API (`Authorization: Bearer`).

mod api;
mod calendrier;
mod pages;

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::router::{Params, Route, RouteId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EspaceProRoute {
    Profil,
    ModifierProfil,
    Services,
    AjouterService,
    ModifierService,
    RetirerService,
    Horaires,
    ModifierSemaine,
    AjouterOuverture,
    SupprimerOuverture,
    AjouterAbsence,
    SupprimerAbsence,
    Agenda,
    Agir,
    Calendrier,
    NouveauCalendrier,
    RevoquerCalendrier,
    /// The iCalendar feed itself: public, behind the secret in its URL.
    Flux,
    ApiProfil,
    ApiModifierProfil,
    ApiServices,
    ApiAjouterService,
    ApiModifierService,
    ApiRetirerService,
    ApiHoraires,
    ApiModifierSemaine,
    ApiAjouterOuverture,
    ApiSupprimerOuverture,
    ApiAjouterAbsence,
    ApiSupprimerAbsence,
    ApiAgenda,
    ApiAgir,
    ApiNouveauCalendrier,
    ApiRevoquerCalendrier,
}

const fn p(id: EspaceProRoute) -> RouteId {
    RouteId::EspacePro(id)
}

use EspaceProRoute as E;

pub const ROUTES: &[Route] = &[
    Route::get("/pro", p(E::Profil)),
    Route::post("/pro/profil", p(E::ModifierProfil)),
    Route::get("/pro/services", p(E::Services)),
    Route::post("/pro/services", p(E::AjouterService)),
    Route::post("/pro/services/{id}", p(E::ModifierService)),
    Route::post("/pro/services/{id}/retirer", p(E::RetirerService)),
    Route::get("/pro/horaires", p(E::Horaires)),
    Route::post("/pro/horaires", p(E::ModifierSemaine)),
    Route::post("/pro/ouvertures", p(E::AjouterOuverture)),
    Route::post("/pro/ouvertures/{id}/supprimer", p(E::SupprimerOuverture)),
    Route::post("/pro/absences", p(E::AjouterAbsence)),
    Route::post("/pro/absences/{id}/supprimer", p(E::SupprimerAbsence)),
    Route::get("/pro/agenda", p(E::Agenda)),
    Route::post("/pro/reservations/{id}/{action}", p(E::Agir)),
    Route::get("/pro/calendrier", p(E::Calendrier)),
    Route::post("/pro/calendrier", p(E::NouveauCalendrier)),
    Route::post("/pro/calendrier/revoquer", p(E::RevoquerCalendrier)),
    Route::get("/ical/{jeton}", p(E::Flux)),
    Route::get("/api/v1/pro/profil", p(E::ApiProfil)),
    Route::post("/api/v1/pro/profil", p(E::ApiModifierProfil)),
    Route::get("/api/v1/pro/services", p(E::ApiServices)),
    Route::post("/api/v1/pro/services", p(E::ApiAjouterService)),
    Route::post("/api/v1/pro/services/{id}", p(E::ApiModifierService)),
    Route::post("/api/v1/pro/services/{id}/retirer", p(E::ApiRetirerService)),
    Route::get("/api/v1/pro/horaires", p(E::ApiHoraires)),
    Route::post("/api/v1/pro/horaires", p(E::ApiModifierSemaine)),
    Route::post("/api/v1/pro/ouvertures", p(E::ApiAjouterOuverture)),
    Route::post(
        "/api/v1/pro/ouvertures/{id}/supprimer",
        p(E::ApiSupprimerOuverture),
    ),
    Route::post("/api/v1/pro/absences", p(E::ApiAjouterAbsence)),
    Route::post(
        "/api/v1/pro/absences/{id}/supprimer",
        p(E::ApiSupprimerAbsence),
    ),
    Route::get("/api/v1/pro/agenda", p(E::ApiAgenda)),
    Route::post("/api/v1/pro/reservations/{id}/{action}", p(E::ApiAgir)),
    Route::post("/api/v1/pro/calendrier", p(E::ApiNouveauCalendrier)),
    Route::post(
        "/api/v1/pro/calendrier/revoquer",
        p(E::ApiRevoquerCalendrier),
    ),
];

pub async fn dispatch(
    ctx: &Ctx<'_>,
    req: &Request,
    id: EspaceProRoute,
    params: &Params,
) -> Response {
    let param = |n: &str| params.get(n).unwrap_or("").to_owned();
    match id {
        E::Profil => pages::profil(ctx, req).await,
        E::Services => pages::services(ctx, req).await,
        E::Horaires => pages::horaires(ctx, req).await,
        E::Agenda => pages::agenda(ctx, req).await,
        E::Calendrier => pages::calendrier(ctx, req).await,
        E::ModifierProfil
        | E::AjouterService
        | E::ModifierService
        | E::RetirerService
        | E::ModifierSemaine
        | E::AjouterOuverture
        | E::SupprimerOuverture
        | E::AjouterAbsence
        | E::SupprimerAbsence
        | E::Agir
        | E::NouveauCalendrier
        | E::RevoquerCalendrier => {
            pages::formulaire(ctx, req, id, &param("id"), &param("action")).await
        }
        E::Flux => calendrier::flux(ctx, &param("jeton")).await,
        _ => api::dispatch(ctx, req, id, &param("id"), &param("action")).await,
    }
}
