//! The map of the Worker: every route — method, path, endpoint, who may call it — in one
//! table. It imports nothing but the neutral HTTP types: the router reads it to dispatch
//! and answer 405s, the tests walk it (hostile input, authorization, OpenAPI), and a new
//! route is one line here and one arm in `router::servir`.

use crate::http::Method;

/// Who may call a route. The handler enforces it; the authorization tests check that it
/// does, class by class, from this declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acces {
    /// Anyone, signed in or not.
    Public,
    /// Whoever holds the secret of a link sent by e-mail (manage, confirmation, review,
    /// reset and address-check links, the calendar feed), or the cookie it was exchanged
    /// for.
    LienSecret,
    /// A signed-in account, whatever its role (session cookie on pages, Bearer on the API).
    Connecte,
    /// A signed-in professional.
    Pro,
    /// A signed-in admin.
    Admin,
    /// Stripe, proved by the `Stripe-Signature` header.
    SignatureStripe,
}

/// One endpoint of the Worker; `router::servir` calls its handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Sante,
    // Each vertical's site.
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
    CalendrierReservation,
    AnnulerFormulaire,
    Annuler,
    DeplacerFormulaire,
    Deplacer,
    MentionsLegales,
    Confidentialite,
    ConditionsGenerales,
    ConditionsDeVente,
    AvisFormulaire,
    AvisEnregistrer,
    AvisClients,
    // The public JSON API.
    ApiProfessionnels,
    ApiProfessionnel,
    ApiCreneaux,
    ApiReserver,
    ApiReservation,
    ApiConfirmer,
    ApiAnnuler,
    ApiDeplacer,
    // Accounts.
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
    // The professional's space.
    ProProfil,
    ProModifierProfil,
    ProServices,
    ProAjouterService,
    ProModifierService,
    ProRetirerService,
    ProHoraires,
    ProModifierSemaine,
    ProAjouterOuverture,
    ProSupprimerOuverture,
    ProAjouterAbsence,
    ProSupprimerAbsence,
    ProAgenda,
    ProAgir,
    ProCalendrier,
    ProNouveauCalendrier,
    ProRevoquerCalendrier,
    FluxCalendrier,
    ApiProProfil,
    ApiProModifierProfil,
    ApiProServices,
    ApiProAjouterService,
    ApiProModifierService,
    ApiProRetirerService,
    ApiProHoraires,
    ApiProModifierSemaine,
    ApiProAjouterOuverture,
    ApiProSupprimerOuverture,
    ApiProAjouterAbsence,
    ApiProSupprimerAbsence,
    ApiProAgenda,
    ApiProAgir,
    ApiProNouveauCalendrier,
    ApiProRevoquerCalendrier,
    // External calendars.
    ProAgendas,
    ProAjouterAgenda,
    ProAgirAgenda,
    ApiProAgendas,
    ApiProAjouterAgenda,
    ApiProAgirAgenda,
    // The establishment's members (issue 15).
    ProMembres,
    ProAjouterMembre,
    ProAgirMembre,
    ProEquipeService,
    ApiProMembres,
    ApiProAjouterMembre,
    ApiProAgirMembre,
    ApiProEquipeService,
    // The admin.
    AdminAccueil,
    AdminVertical,
    AdminModifierVertical,
    AdminReservations,
    ApiAdminProfessionnels,
    ApiAdminVertical,
    ApiAdminModifierVertical,
    ApiAdminReservations,
    // The approval of professionals.
    AdminApprobations,
    AdminDecider,
    ApiAdminApprobations,
    ApiAdminDecider,
    // Reviews: reporting (professional) and moderation (admin).
    ProAvis,
    ProSignalerAvis,
    ApiProAvis,
    ApiProSignalerAvis,
    AdminAvis,
    AdminModererAvis,
    ApiAdminAvis,
    ApiAdminModererAvis,
    // Personal data (RGPD).
    MesDonnees,
    SuppressionFormulaire,
    Supprimer,
    ApiMesDonnees,
    ApiSupprimer,
    DonneesReservation,
    EffacementFormulaire,
    Effacer,
    ApiDonneesReservation,
    ApiEffacer,
    // The waitlist.
    ListeAttenteFormulaire,
    InscrireListeAttente,
    ListeAttente,
    AgirListeAttente,
    OffreFormulaire,
    RepondreOffre,
    ApiInscrireListeAttente,
    ApiListeAttente,
    ApiRepondreOffre,
    // Payments.
    WebhookStripe,
    // Search: a city's page.
    Ville,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    pub method: Method,
    /// Literal segments, and `{name}` for a parameter.
    pub pattern: &'static str,
    pub endpoint: Endpoint,
    pub acces: Acces,
}

const fn route(method: Method, pattern: &'static str, endpoint: Endpoint, acces: Acces) -> Route {
    Route {
        method,
        pattern,
        endpoint,
        acces,
    }
}

use Acces::*;
use Endpoint::*;
use Method::{Get as GET, Post as POST};

/// Every route of the Worker. The first route whose pattern and method fit a request
/// serves it (HEAD is served by the GET route). Static files never reach the Worker: the
/// platform serves `templates/public/` first (`/assets/site.css`, the OpenAPI document
/// `/api/v1/openapi.json`).
#[rustfmt::skip]
pub const ROUTES: &[Route] = &[
    route(GET,  "/healthz",                                   Sante,                       Public),
    // Each vertical's site (the neutral portal on any other host).
    route(GET,  "/",                                          Accueil,                     Public),
    route(GET,  "/theme.css",                                 Theme,                       Public),
    route(GET,  "/robots.txt",                                Robots,                      Public),
    route(GET,  "/sitemap.xml",                               Sitemap,                     Public),
    route(GET,  "/recherche",                                 Recherche,                   Public),
    route(GET,  "/professionnels/{slug}",                     Profil,                      Public),
    route(GET,  "/professionnels/{slug}/reserver",            Reserver,                    Public),
    route(POST, "/professionnels/{slug}/reserver",            EnvoyerReservation,          Public),
    route(GET,  "/reservations/{id}",                         Gestion,                     LienSecret),
    route(GET,  "/reservations/{id}/confirmation",            Confirmation,                LienSecret),
    route(GET,  "/reservations/{id}/confirmer",               ConfirmerFormulaire,         LienSecret),
    route(POST, "/reservations/{id}/confirmer",               Confirmer,                   LienSecret),
    route(GET,  "/reservations/{id}/ics",                     CalendrierReservation,       LienSecret),
    route(GET,  "/reservations/{id}/annuler",                 AnnulerFormulaire,           LienSecret),
    route(POST, "/reservations/{id}/annuler",                 Annuler,                     LienSecret),
    route(GET,  "/reservations/{id}/deplacer",                DeplacerFormulaire,          LienSecret),
    route(POST, "/reservations/{id}/deplacer",                Deplacer,                    LienSecret),
    route(GET,  "/mentions-legales",                          MentionsLegales,             Public),
    route(GET,  "/confidentialite",                           Confidentialite,             Public),
    // Conditions drawn from the vertical's rules and legal block (the mentions légales too).
    route(GET,  "/conditions-generales",                      ConditionsGenerales,         Public),
    route(GET,  "/conditions-de-vente",                       ConditionsDeVente,           Public),
    route(GET,  "/avis/{id}",                                 AvisFormulaire,              LienSecret),
    route(POST, "/avis/{id}",                                 AvisEnregistrer,             LienSecret),
    // The public JSON API.
    route(GET,  "/api/v1/professionnels",                     ApiProfessionnels,           Public),
    route(GET,  "/api/v1/professionnels/{slug}",              ApiProfessionnel,            Public),
    route(GET,  "/api/v1/professionnels/{slug}/creneaux",     ApiCreneaux,                 Public),
    route(POST, "/api/v1/reservations",                       ApiReserver,                 Public),
    route(GET,  "/api/v1/reservations/{id}",                  ApiReservation,              LienSecret),
    route(POST, "/api/v1/reservations/{id}/confirmer",        ApiConfirmer,                LienSecret),
    route(POST, "/api/v1/reservations/{id}/annuler",          ApiAnnuler,                  LienSecret),
    route(POST, "/api/v1/reservations/{id}/deplacer",         ApiDeplacer,                 LienSecret),
    // Accounts: pages (session cookie, CSRF on every form)…
    route(GET,  "/compte",                                    Compte,                      Connecte),
    route(GET,  "/compte/inscription",                        Inscription,                 Public),
    route(POST, "/compte/inscription",                        Inscrire,                    Public),
    route(GET,  "/compte/connexion",                          Connexion,                   Public),
    route(POST, "/compte/connexion",                          Connecter,                   Public),
    route(POST, "/compte/deconnexion",                        Deconnecter,                 Connecte),
    route(GET,  "/compte/mot-de-passe-oublie",                Oubli,                       Public),
    route(POST, "/compte/mot-de-passe-oublie",                DemanderReinitialisation,    Public),
    route(GET,  "/compte/reinitialiser",                      Reinitialisation,            LienSecret),
    route(POST, "/compte/reinitialiser",                      Reinitialiser,               LienSecret),
    route(POST, "/compte/mot-de-passe",                       ChangerMotDePasse,           Connecte),
    // The address check's link: GET only shows a button (mail scanners fetch links),
    // POST uses the secret.
    route(GET,  "/compte/verifier",                           Verification,                LienSecret),
    route(POST, "/compte/verifier",                           Verifier,                    LienSecret),
    route(POST, "/compte/verification/renvoi",                RenvoyerVerification,        Connecte),
    // … and API (`Authorization: Bearer`).
    route(POST, "/api/v1/comptes",                            ApiInscrire,                 Public),
    route(POST, "/api/v1/sessions",                           ApiConnecter,                Public),
    route(POST, "/api/v1/sessions/fin",                       ApiDeconnecter,              Connecte),
    route(POST, "/api/v1/comptes/mot-de-passe-oublie",        ApiDemanderReinitialisation, Public),
    route(POST, "/api/v1/comptes/reinitialiser",              ApiReinitialiser,            LienSecret),
    route(GET,  "/api/v1/moi",                                ApiMoi,                      Connecte),
    route(GET,  "/api/v1/moi/reservations",                   ApiMesReservations,          Connecte),
    route(POST, "/api/v1/moi/mot-de-passe",                   ApiChangerMotDePasse,        Connecte),
    route(POST, "/api/v1/moi/verification",                   ApiVerifier,                 Connecte),
    route(POST, "/api/v1/moi/verification/renvoi",            ApiRenvoyerVerification,     Connecte),
    // The professional's space: pages…
    route(GET,  "/pro",                                       ProProfil,                   Pro),
    route(POST, "/pro/profil",                                ProModifierProfil,           Pro),
    route(GET,  "/pro/services",                              ProServices,                 Pro),
    route(POST, "/pro/services",                              ProAjouterService,           Pro),
    route(POST, "/pro/services/{id}",                         ProModifierService,          Pro),
    route(POST, "/pro/services/{id}/retirer",                 ProRetirerService,           Pro),
    route(GET,  "/pro/horaires",                              ProHoraires,                 Pro),
    route(POST, "/pro/horaires",                              ProModifierSemaine,          Pro),
    route(POST, "/pro/ouvertures",                            ProAjouterOuverture,         Pro),
    route(POST, "/pro/ouvertures/{id}/supprimer",             ProSupprimerOuverture,       Pro),
    route(POST, "/pro/absences",                              ProAjouterAbsence,           Pro),
    route(POST, "/pro/absences/{id}/supprimer",               ProSupprimerAbsence,         Pro),
    route(GET,  "/pro/agenda",                                ProAgenda,                   Pro),
    route(POST, "/pro/reservations/{id}/{action}",            ProAgir,                     Pro),
    route(GET,  "/pro/calendrier",                            ProCalendrier,               Pro),
    route(POST, "/pro/calendrier",                            ProNouveauCalendrier,        Pro),
    route(POST, "/pro/calendrier/revoquer",                   ProRevoquerCalendrier,       Pro),
    // The iCalendar feed itself, behind the secret in its address.
    route(GET,  "/ical/{jeton}",                              FluxCalendrier,              LienSecret),
    // … and API.
    route(GET,  "/api/v1/pro/profil",                         ApiProProfil,                Pro),
    route(POST, "/api/v1/pro/profil",                         ApiProModifierProfil,        Pro),
    route(GET,  "/api/v1/pro/services",                       ApiProServices,              Pro),
    route(POST, "/api/v1/pro/services",                       ApiProAjouterService,        Pro),
    route(POST, "/api/v1/pro/services/{id}",                  ApiProModifierService,       Pro),
    route(POST, "/api/v1/pro/services/{id}/retirer",          ApiProRetirerService,        Pro),
    route(GET,  "/api/v1/pro/horaires",                       ApiProHoraires,              Pro),
    route(POST, "/api/v1/pro/horaires",                       ApiProModifierSemaine,       Pro),
    route(POST, "/api/v1/pro/ouvertures",                     ApiProAjouterOuverture,      Pro),
    route(POST, "/api/v1/pro/ouvertures/{id}/supprimer",      ApiProSupprimerOuverture,    Pro),
    route(POST, "/api/v1/pro/absences",                       ApiProAjouterAbsence,        Pro),
    route(POST, "/api/v1/pro/absences/{id}/supprimer",        ApiProSupprimerAbsence,      Pro),
    route(GET,  "/api/v1/pro/agenda",                         ApiProAgenda,                Pro),
    route(POST, "/api/v1/pro/reservations/{id}/{action}",     ApiProAgir,                  Pro),
    route(POST, "/api/v1/pro/calendrier",                     ApiProNouveauCalendrier,     Pro),
    route(POST, "/api/v1/pro/calendrier/revoquer",            ApiProRevoquerCalendrier,    Pro),
    // External calendars (Google, Outlook, Apple) whose busy time is not bookable; the
    // actions on one are `synchroniser` and `supprimer`. Pages, CSRF on every form…
    route(GET,  "/pro/agendas",                               ProAgendas,                  Pro),
    route(POST, "/pro/agendas",                               ProAjouterAgenda,            Pro),
    route(POST, "/pro/agendas/{id}/{action}",                 ProAgirAgenda,               Pro),
    // … and API.
    route(GET,  "/api/v1/pro/agendas",                        ApiProAgendas,               Pro),
    route(POST, "/api/v1/pro/agendas",                        ApiProAjouterAgenda,         Pro),
    route(POST, "/api/v1/pro/agendas/{id}/{action}",          ApiProAgirAgenda,            Pro),
    // The establishment's members (people and resources); the actions on one are
    // `modifier`, `desactiver` and `reactiver`; who performs a service and its seats. The
    // hours, time off, agenda and calendar feed take a member (`membre`), and a booking
    // goes to another member with the agenda's action `reassigner`. Pages, CSRF on every
    // form…
    route(GET,  "/pro/membres",                               ProMembres,                  Pro),
    route(POST, "/pro/membres",                               ProAjouterMembre,            Pro),
    route(POST, "/pro/membres/{id}/{action}",                 ProAgirMembre,               Pro),
    route(POST, "/pro/services/{id}/membres",                 ProEquipeService,            Pro),
    // … and API.
    route(GET,  "/api/v1/pro/membres",                        ApiProMembres,               Pro),
    route(POST, "/api/v1/pro/membres",                        ApiProAjouterMembre,         Pro),
    route(POST, "/api/v1/pro/membres/{id}/{action}",          ApiProAgirMembre,            Pro),
    route(POST, "/api/v1/pro/services/{id}/membres",          ApiProEquipeService,         Pro),
    // The admin: pages…
    route(GET,  "/admin",                                     AdminAccueil,                Admin),
    route(GET,  "/admin/verticaux/{slug}",                    AdminVertical,               Admin),
    route(POST, "/admin/verticaux/{slug}",                    AdminModifierVertical,       Admin),
    route(GET,  "/admin/reservations",                        AdminReservations,           Admin),
    // … and API.
    route(GET,  "/api/v1/admin/professionnels",               ApiAdminProfessionnels,      Admin),
    route(GET,  "/api/v1/admin/verticaux/{slug}",             ApiAdminVertical,            Admin),
    route(POST, "/api/v1/admin/verticaux/{slug}",             ApiAdminModifierVertical,    Admin),
    route(GET,  "/api/v1/admin/reservations",                 ApiAdminReservations,        Admin),
    // The approval of professionals: only an admin gives or withdraws it (page, CSRF on
    // the form; API).
    route(GET,  "/admin/approbations",                        AdminApprobations,           Admin),
    route(POST, "/admin/professionnels/{id}/approbation",     AdminDecider,                Admin),
    route(GET,  "/api/v1/admin/approbations",                 ApiAdminApprobations,        Admin),
    route(POST, "/api/v1/admin/professionnels/{id}/approbation", ApiAdminDecider,          Admin),
    // Reviews (French rules for online reviews): the public page that says how they are
    // collected and moderated, the professional's reports, the admin's decisions.
    route(GET,  "/avis-clients",                              AvisClients,                 Public),
    route(GET,  "/pro/avis",                                  ProAvis,                     Pro),
    route(POST, "/pro/avis/{id}/signaler",                    ProSignalerAvis,             Pro),
    route(GET,  "/api/v1/pro/avis",                           ApiProAvis,                  Pro),
    route(POST, "/api/v1/pro/avis/{id}/signaler",             ApiProSignalerAvis,          Pro),
    route(GET,  "/admin/avis",                                AdminAvis,                   Admin),
    route(POST, "/admin/avis/{id}/{decision}",                AdminModererAvis,            Admin),
    route(GET,  "/api/v1/admin/avis",                         ApiAdminAvis,                Admin),
    route(POST, "/api/v1/admin/avis/{id}/{decision}",         ApiAdminModererAvis,         Admin),
    // Personal data (RGPD): a signed-in account's export and deletion (pages, CSRF on the
    // form; API, Bearer)…
    route(GET,  "/compte/donnees",                            MesDonnees,                  Connecte),
    route(GET,  "/compte/suppression",                        SuppressionFormulaire,       Connecte),
    route(POST, "/compte/suppression",                        Supprimer,                   Connecte),
    route(GET,  "/api/v1/moi/donnees",                        ApiMesDonnees,               Connecte),
    route(POST, "/api/v1/moi/suppression",                    ApiSupprimer,                Connecte),
    // … and one booking's, behind its manage link.
    route(GET,  "/reservations/{id}/donnees",                 DonneesReservation,          LienSecret),
    route(GET,  "/reservations/{id}/effacement",              EffacementFormulaire,        LienSecret),
    route(POST, "/reservations/{id}/effacement",              Effacer,                     LienSecret),
    route(GET,  "/api/v1/reservations/{id}/donnees",          ApiDonneesReservation,       LienSecret),
    route(POST, "/api/v1/reservations/{id}/effacement",       ApiEffacer,                  LienSecret),
    // The waitlist: joining when nothing is free (page, CSRF on the form; API); the
    // entry's e-mailed link, to confirm it or leave the list; the offer's e-mailed link,
    // to take the slot held for its client, decline it, or leave the list.
    route(GET,  "/professionnels/{slug}/liste-attente",       ListeAttenteFormulaire,      Public),
    route(POST, "/professionnels/{slug}/liste-attente",       InscrireListeAttente,        Public),
    route(GET,  "/liste-attente",                             ListeAttente,                LienSecret),
    route(POST, "/liste-attente",                             AgirListeAttente,            LienSecret),
    route(GET,  "/reservations/{id}/offre",                   OffreFormulaire,             LienSecret),
    route(POST, "/reservations/{id}/offre",                   RepondreOffre,               LienSecret),
    route(POST, "/api/v1/professionnels/{slug}/liste-attente", ApiInscrireListeAttente,    Public),
    route(POST, "/api/v1/liste-attente",                      ApiListeAttente,             LienSecret),
    route(POST, "/api/v1/reservations/{id}/offre",            ApiRepondreOffre,            LienSecret),
    // Payments: Stripe's webhook.
    route(POST, "/webhooks/stripe",                           WebhookStripe,               SignatureStripe),
    // Search: a city's page (the vertical is the host, so the path names only the city).
    route(GET,  "/ville/{ville}",                             Ville,                       Public),
];
