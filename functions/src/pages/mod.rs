//! The HTML pages of each vertical's site (and the neutral portal).

pub mod accueil;
mod cache;
pub mod confirmer;
pub mod erreurs;
pub mod gestion;
pub mod legales;
pub mod profil;
pub mod recherche;
pub mod reserver;
mod semaine;
mod site;
pub mod theme;

pub use site::site_for;

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::router::{Params, Route, RouteId};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageRoute {
    Accueil,
    Theme,
    Robots,
    Sitemap,
    Recherche,
    Profil,
    Reserver,
    EnvoyerReservation,
    Gestion,
    Confirmation,
    ConfirmerFormulaire,
    Confirmer,
    Calendrier,
    AnnulerFormulaire,
    Annuler,
    DeplacerFormulaire,
    Deplacer,
    MentionsLegales,
    Confidentialite,
}

const fn page(id: PageRoute) -> RouteId {
    RouteId::Page(id)
}

pub const ROUTES: &[Route] = &[
    Route::get("/", page(PageRoute::Accueil)),
    Route::get("/theme.css", page(PageRoute::Theme)),
    Route::get("/robots.txt", page(PageRoute::Robots)),
    Route::get("/sitemap.xml", page(PageRoute::Sitemap)),
    Route::get("/recherche", page(PageRoute::Recherche)),
    Route::get("/professionnels/{slug}", page(PageRoute::Profil)),
    Route::get("/professionnels/{slug}/reserver", page(PageRoute::Reserver)),
    Route::post(
        "/professionnels/{slug}/reserver",
        page(PageRoute::EnvoyerReservation),
    ),
    Route::get("/reservations/{id}", page(PageRoute::Gestion)),
    Route::get(
        "/reservations/{id}/confirmation",
        page(PageRoute::Confirmation),
    ),
    Route::get(
        "/reservations/{id}/confirmer",
        page(PageRoute::ConfirmerFormulaire),
    ),
    Route::post("/reservations/{id}/confirmer", page(PageRoute::Confirmer)),
    Route::get("/reservations/{id}/ics", page(PageRoute::Calendrier)),
    Route::get(
        "/reservations/{id}/annuler",
        page(PageRoute::AnnulerFormulaire),
    ),
    Route::post("/reservations/{id}/annuler", page(PageRoute::Annuler)),
    Route::get(
        "/reservations/{id}/deplacer",
        page(PageRoute::DeplacerFormulaire),
    ),
    Route::post("/reservations/{id}/deplacer", page(PageRoute::Deplacer)),
    Route::get("/mentions-legales", page(PageRoute::MentionsLegales)),
    Route::get("/confidentialite", page(PageRoute::Confidentialite)),
];

pub async fn dispatch(ctx: &Ctx<'_>, req: &Request, id: PageRoute, params: &Params) -> Response {
    match id {
        PageRoute::Accueil => accueil::accueil(ctx, req).await,
        PageRoute::Theme => theme::theme(ctx, req).await,
        PageRoute::Robots => theme::robots(ctx, req).await,
        PageRoute::Sitemap => legales::sitemap(ctx, req).await,
        PageRoute::Recherche => recherche::recherche(ctx, req).await,
        PageRoute::Profil => profil::profil(ctx, req, params).await,
        PageRoute::Reserver => reserver::formulaire(ctx, req, params).await,
        PageRoute::EnvoyerReservation => reserver::envoyer(ctx, req, params).await,
        PageRoute::Gestion => gestion::gerer(ctx, req, params).await,
        PageRoute::Confirmation => gestion::confirmation(ctx, req, params).await,
        PageRoute::ConfirmerFormulaire => confirmer::formulaire(ctx, req, params).await,
        PageRoute::Confirmer => confirmer::confirmer(ctx, req, params).await,
        PageRoute::Calendrier => gestion::calendrier(ctx, req, params).await,
        PageRoute::AnnulerFormulaire => gestion::annuler_formulaire(ctx, req, params).await,
        PageRoute::Annuler => gestion::annuler(ctx, req, params).await,
        PageRoute::DeplacerFormulaire => gestion::deplacer_formulaire(ctx, req, params).await,
        PageRoute::Deplacer => gestion::deplacer_vers(ctx, req, params).await,
        PageRoute::MentionsLegales => legales::legale(ctx, req, false).await,
        PageRoute::Confidentialite => legales::legale(ctx, req, true).await,
    }
}
