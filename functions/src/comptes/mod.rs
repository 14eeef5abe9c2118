//! Accounts: sign-up, the address check, sign-in, sign-out, password reset, the client's
//! bookings — as pages (session cookie, CSRF on every form) and as API
//! (`Authorization: Bearer`).

mod api;
pub mod derivation;
pub(crate) mod pages;
pub mod session;

pub use session::{exiger_api, exiger_page, utilisateur_courant, Connecte, Refus};

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::router::{Params, Route, RouteId};

/// An instant stored in Unix seconds, as the JSON API shows it: ISO 8601 with the offset
/// of the professional's time zone (as in the public API).
pub fn instant_iso(secondes: i64, fuseau: &str) -> String {
    chrono::DateTime::from_timestamp(secondes, 0)
        .unwrap_or_default()
        .with_timezone(&booking_shared::store::planning::fuseau(fuseau))
        .to_rfc3339()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompteRoute {
    Compte,
    Inscription,
    Inscrire,
    Connexion,
    Connecter,
    Deconnecter,
    Oubli,
    DemanderReinitialisation,
    Reinitialisation,
    Reinitialiser,
    ChangerMotDePasse,
    Verification,
    Verifier,
    RenvoyerVerification,
    ApiInscrire,
    ApiConnecter,
    ApiDeconnecter,
    ApiDemanderReinitialisation,
    ApiReinitialiser,
    ApiMoi,
    ApiMesReservations,
    ApiChangerMotDePasse,
    ApiVerifier,
    ApiRenvoyerVerification,
}

const fn c(id: CompteRoute) -> RouteId {
    RouteId::Compte(id)
}

pub const ROUTES: &[Route] = &[
    Route::get("/compte", c(CompteRoute::Compte)),
    Route::get("/compte/inscription", c(CompteRoute::Inscription)),
    Route::post("/compte/inscription", c(CompteRoute::Inscrire)),
    Route::get("/compte/connexion", c(CompteRoute::Connexion)),
    Route::post("/compte/connexion", c(CompteRoute::Connecter)),
    Route::post("/compte/deconnexion", c(CompteRoute::Deconnecter)),
    Route::get("/compte/mot-de-passe-oublie", c(CompteRoute::Oubli)),
    Route::post(
        "/compte/mot-de-passe-oublie",
        c(CompteRoute::DemanderReinitialisation),
    ),
    Route::get("/compte/reinitialiser", c(CompteRoute::Reinitialisation)),
    Route::post("/compte/reinitialiser", c(CompteRoute::Reinitialiser)),
    Route::post("/compte/mot-de-passe", c(CompteRoute::ChangerMotDePasse)),
    // The link of the address check: GET only shows a button (mail scanners fetch
    // links), POST uses the secret.
    Route::get("/compte/verifier", c(CompteRoute::Verification)),
    Route::post("/compte/verifier", c(CompteRoute::Verifier)),
    Route::post(
        "/compte/verification/renvoi",
        c(CompteRoute::RenvoyerVerification),
    ),
    Route::post("/api/v1/comptes", c(CompteRoute::ApiInscrire)),
    Route::post("/api/v1/sessions", c(CompteRoute::ApiConnecter)),
    Route::post("/api/v1/sessions/fin", c(CompteRoute::ApiDeconnecter)),
    Route::post(
        "/api/v1/comptes/mot-de-passe-oublie",
        c(CompteRoute::ApiDemanderReinitialisation),
    ),
    Route::post(
        "/api/v1/comptes/reinitialiser",
        c(CompteRoute::ApiReinitialiser),
    ),
    Route::get("/api/v1/moi", c(CompteRoute::ApiMoi)),
    Route::get(
        "/api/v1/moi/reservations",
        c(CompteRoute::ApiMesReservations),
    ),
    Route::post(
        "/api/v1/moi/mot-de-passe",
        c(CompteRoute::ApiChangerMotDePasse),
    ),
    Route::post("/api/v1/moi/verification", c(CompteRoute::ApiVerifier)),
    Route::post(
        "/api/v1/moi/verification/renvoi",
        c(CompteRoute::ApiRenvoyerVerification),
    ),
];

pub async fn dispatch(ctx: &Ctx<'_>, req: &Request, id: CompteRoute, _params: &Params) -> Response {
    use CompteRoute as R;
    match id {
        R::Compte => pages::compte(ctx, req).await,
        R::Inscription => pages::inscription(ctx, req).await,
        R::Inscrire => pages::inscrire(ctx, req).await,
        R::Connexion => pages::connexion(ctx, req).await,
        R::Connecter => pages::connecter(ctx, req).await,
        R::Deconnecter => pages::deconnecter(ctx, req).await,
        R::Oubli => pages::oubli(ctx, req).await,
        R::DemanderReinitialisation => pages::demander_reinitialisation(ctx, req).await,
        R::Reinitialisation => pages::reinitialisation(ctx, req).await,
        R::Reinitialiser => pages::reinitialiser(ctx, req).await,
        R::ChangerMotDePasse => pages::changer_mot_de_passe(ctx, req).await,
        R::Verification => pages::verification(ctx, req).await,
        R::Verifier => pages::verifier(ctx, req).await,
        R::RenvoyerVerification => pages::renvoyer_verification(ctx, req).await,
        R::ApiInscrire => api::inscrire(ctx, req).await,
        R::ApiConnecter => api::connecter(ctx, req).await,
        R::ApiDeconnecter => api::deconnecter(ctx, req).await,
        R::ApiDemanderReinitialisation => api::demander_reinitialisation(ctx, req).await,
        R::ApiReinitialiser => api::reinitialiser(ctx, req).await,
        R::ApiMoi => api::moi(ctx, req).await,
        R::ApiMesReservations => api::mes_reservations(ctx, req).await,
        R::ApiChangerMotDePasse => api::changer_mot_de_passe(ctx, req).await,
        R::ApiVerifier => api::verifier(ctx, req).await,
        R::ApiRenvoyerVerification => api::renvoyer_verification(ctx, req).await,
    }
}

pub use booking_shared::cas::comptes::hash_secret;

/// A secret for a link: 128 random bits as 32 hex characters.
pub fn nouveau_secret(ctx: &Ctx<'_>) -> String {
    hex::encode(ctx.random.octets())
}
