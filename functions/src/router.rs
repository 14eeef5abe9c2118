//! Matches a request against the table of [`crate::routes`] (once per request) and calls
//! its endpoint's handler; answers 405 with `Allow` for a known path and another method,
//! and 404 (problem+json or the page) for an unknown one.

use crate::app::Ctx;
use crate::espace_pro::pages::{Acte, Liste, Vue};
use crate::http::{IntoResponse, Method, Params, Request, Response};
use crate::pages::conditions::PageLegale;
use crate::pages::erreurs::page_ou_500;
use crate::problem::Problem;
use crate::routes::{Endpoint, Route, ROUTES};
use crate::{admin, api, avis, comptes, donnees, espace_pro, health, pages, paiements};

/// Every route of the Worker.
pub fn routes() -> impl Iterator<Item = &'static Route> {
    ROUTES.iter()
}

fn match_pattern(pattern: &'static str, path: &str) -> Option<Params> {
    let mut params = Vec::new();
    let mut wanted = pattern.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(Params(params)),
            (Some(w), Some(g)) => {
                if let Some(name) = w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                    if g.is_empty() {
                        return None;
                    }
                    let value = percent_encoding::percent_decode_str(g)
                        .decode_utf8()
                        .ok()?
                        .into_owned();
                    params.push((name, value));
                } else if w != g {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// What the table says of a request's method and path.
pub type Trouve = Result<(&'static Route, Params), Vec<Method>>;

/// The route for a method and path: `Ok` with its parameters, `Err(allowed)` when the
/// path exists for other methods only, `Err(empty)` when no route has that path.
pub fn find(method: Method, path: &str) -> Trouve {
    let mut allowed = Vec::new();
    for route in routes() {
        if let Some(params) = match_pattern(route.pattern, path) {
            let method_fits =
                route.method == method || (route.method == Method::Get && method == Method::Head);
            if method_fits {
                return Ok((route, params));
            }
            allowed.push(route.method);
        }
    }
    Err(allowed)
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/") || path.starts_with("/webhooks/")
}

/// Answers a request whose route was found by [`find`].
pub async fn dispatch(ctx: &Ctx<'_>, req: &Request, trouve: Trouve) -> Response {
    match trouve {
        Ok((route, params)) => servir(ctx, req, route.endpoint, &params).await,
        Err(allowed) if !allowed.is_empty() => methode_non_autorisee(req, &allowed),
        Err(_) if is_api(&req.path) => Problem::not_found().into_response(),
        Err(_) => pages::erreurs::introuvable(ctx, req).await,
    }
}

fn methode_non_autorisee(req: &Request, allowed: &[Method]) -> Response {
    let allow = allowed
        .iter()
        .map(|m| m.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let methode = match req.method {
        Method::Other => "cette méthode".to_owned(),
        connue => format!("la méthode {}", connue.as_str()),
    };
    let problem = Problem::new(
        405,
        "methode_non_autorisee",
        format!("Cette adresse n'accepte pas {methode}."),
    );
    problem.into_response().with_header("allow", allow)
}

/// Calls the handler of an endpoint: the one place that names them all.
async fn servir(ctx: &Ctx<'_>, req: &Request, endpoint: Endpoint, params: &Params) -> Response {
    use Endpoint as E;
    let param = |nom: &str| params.get(nom).unwrap_or("").to_owned();
    let acte = |liste| Acte {
        liste,
        id: params.get("id").unwrap_or(""),
        action: params.get("action").unwrap_or(""),
    };
    match endpoint {
        E::Sante => health::healthz(ctx).await,
        E::Accueil => page_ou_500(ctx, req, pages::accueil::accueil(ctx, req)).await,
        E::Theme => pages::theme::theme(ctx, req).await,
        E::Robots => pages::theme::robots(ctx, req).await,
        E::Sitemap => page_ou_500(ctx, req, pages::legales::sitemap(ctx, req)).await,
        E::Recherche => page_ou_500(ctx, req, pages::recherche::recherche(ctx, req, None)).await,
        E::Ville => {
            let ville = params.get("ville");
            page_ou_500(ctx, req, pages::recherche::recherche(ctx, req, ville)).await
        }
        E::Profil => page_ou_500(ctx, req, pages::profil::profil(ctx, req, params)).await,
        E::Reserver => pages::reserver::formulaire(ctx, req, params).await,
        E::EnvoyerReservation => pages::reserver::envoyer(ctx, req, params).await,
        E::Gestion => pages::gestion::gerer(ctx, req, params).await,
        E::Confirmation => pages::gestion::confirmation(ctx, req, params).await,
        E::ConfirmerFormulaire => pages::confirmer::formulaire(ctx, req, params).await,
        E::Confirmer => pages::confirmer::confirmer(ctx, req, params).await,
        E::CalendrierReservation => pages::gestion::calendrier(ctx, req, params).await,
        E::AnnulerFormulaire => pages::gestion::annuler_formulaire(ctx, req, params).await,
        E::Annuler => pages::gestion::annuler(ctx, req, params).await,
        E::DeplacerFormulaire => pages::gestion::deplacer_formulaire(ctx, req, params).await,
        E::Deplacer => pages::gestion::deplacer_vers(ctx, req, params).await,
        E::MentionsLegales => pages::conditions::page(ctx, req, PageLegale::Mentions).await,
        E::Confidentialite => pages::confidentialite::confidentialite(ctx, req).await,
        E::ConditionsGenerales => pages::conditions::page(ctx, req, PageLegale::Cgu).await,
        E::ConditionsDeVente => pages::conditions::page(ctx, req, PageLegale::Cgv).await,
        E::AvisFormulaire => avis::formulaire(ctx, req, params).await,
        E::AvisEnregistrer => avis::enregistrer(ctx, req, params).await,
        E::ApiProfessionnels => api::professionnels::lister(ctx, req).await.into_response(),
        E::ApiProfessionnel => api::professionnels::detail(ctx, req, params)
            .await
            .into_response(),
        E::ApiCreneaux => api::creneaux::lister(ctx, req, params)
            .await
            .into_response(),
        E::ApiReserver => api::reservations::creer(ctx, req).await.into_response(),
        E::ApiReservation => api::reservations::lire(ctx, req, params)
            .await
            .into_response(),
        E::ApiConfirmer => api::reservations::confirmer(ctx, req, params)
            .await
            .into_response(),
        E::ApiAnnuler => api::reservations::annuler(ctx, req, params)
            .await
            .into_response(),
        E::ApiDeplacer => api::reservations::deplacer(ctx, req, params)
            .await
            .into_response(),
        E::Compte => comptes::pages::compte(ctx, req).await,
        E::Inscription => comptes::pages::inscription(ctx, req).await,
        E::Inscrire => comptes::pages::inscrire(ctx, req).await.into_response(),
        E::Connexion => comptes::pages::connexion(ctx, req).await,
        E::Connecter => comptes::pages::connecter(ctx, req).await,
        E::Deconnecter => comptes::pages::deconnecter(ctx, req).await,
        E::Oubli => comptes::pages::oubli(ctx, req).await,
        E::DemanderReinitialisation => comptes::pages::demander_reinitialisation(ctx, req)
            .await
            .into_response(),
        E::Reinitialisation => comptes::pages::reinitialisation(ctx, req).await,
        E::Reinitialiser => comptes::pages::reinitialiser(ctx, req).await,
        E::ChangerMotDePasse => comptes::pages::changer_mot_de_passe(ctx, req).await,
        E::Verification => comptes::pages::verification(ctx, req).await,
        E::Verifier => comptes::pages::verifier(ctx, req).await,
        E::RenvoyerVerification => comptes::pages::renvoyer_verification(ctx, req).await,
        E::ApiInscrire => comptes::api::inscrire(ctx, req).await,
        E::ApiConnecter => comptes::api::connecter(ctx, req).await,
        E::ApiDeconnecter => comptes::api::deconnecter(ctx, req).await,
        E::ApiDemanderReinitialisation => comptes::api::demander_reinitialisation(ctx, req).await,
        E::ApiReinitialiser => comptes::api::reinitialiser(ctx, req).await,
        E::ApiMoi => comptes::api::moi(ctx, req).await,
        E::ApiMesReservations => comptes::api::mes_reservations(ctx, req).await,
        E::ApiChangerMotDePasse => comptes::api::changer_mot_de_passe(ctx, req).await,
        E::ApiVerifier => comptes::api::verifier(ctx, req).await,
        E::ApiRenvoyerVerification => comptes::api::renvoyer_verification(ctx, req).await,
        E::ProProfil => espace_pro::pages::afficher(ctx, req, Vue::Profil).await,
        E::ProModifierProfil => espace_pro::pages::modifier_profil(ctx, req)
            .await
            .into_response(),
        E::ProServices => espace_pro::pages::afficher(ctx, req, Vue::Services).await,
        E::ProAjouterService => espace_pro::pages::ajouter_service(ctx, req)
            .await
            .into_response(),
        E::ProModifierService => espace_pro::pages::modifier_service(ctx, req, &param("id"))
            .await
            .into_response(),
        E::ProRetirerService => espace_pro::pages::retirer_service(ctx, req, &param("id"))
            .await
            .into_response(),
        E::ProHoraires => espace_pro::pages::afficher(ctx, req, Vue::Horaires).await,
        E::ProModifierSemaine => espace_pro::pages::modifier_semaine(ctx, req)
            .await
            .into_response(),
        E::ProAjouterOuverture => espace_pro::pages::ajouter_ouverture(ctx, req)
            .await
            .into_response(),
        E::ProSupprimerOuverture => espace_pro::pages::supprimer_ouverture(ctx, req, &param("id"))
            .await
            .into_response(),
        E::ProAjouterAbsence => espace_pro::pages::ajouter_absence(ctx, req)
            .await
            .into_response(),
        E::ProSupprimerAbsence => espace_pro::pages::supprimer_absence(ctx, req, &param("id"))
            .await
            .into_response(),
        E::ProAgenda => espace_pro::pages::afficher(ctx, req, Vue::Agenda).await,
        E::ProAgir => espace_pro::pages::agir(ctx, req, acte(Liste::Reservations))
            .await
            .into_response(),
        E::ProCalendrier => espace_pro::pages::afficher(ctx, req, Vue::Calendrier).await,
        E::ProNouveauCalendrier => espace_pro::pages::nouveau_calendrier(ctx, req)
            .await
            .into_response(),
        E::ProRevoquerCalendrier => espace_pro::pages::revoquer_calendrier(ctx, req)
            .await
            .into_response(),
        E::FluxCalendrier => espace_pro::calendrier::flux(ctx, req, &param("jeton")).await,
        E::ApiProProfil => espace_pro::api::profil(ctx, req).await.into_response(),
        E::ApiProModifierProfil => espace_pro::api::modifier_profil(ctx, req)
            .await
            .into_response(),
        E::ApiProServices => espace_pro::api::services(ctx, req).await.into_response(),
        E::ApiProAjouterService => espace_pro::api::ajouter_service(ctx, req)
            .await
            .into_response(),
        E::ApiProModifierService => espace_pro::api::modifier_service(ctx, req, &param("id"))
            .await
            .into_response(),
        E::ApiProRetirerService => espace_pro::api::retirer_service(ctx, req, &param("id"))
            .await
            .into_response(),
        E::ApiProHoraires => espace_pro::api::horaires(ctx, req).await.into_response(),
        E::ApiProModifierSemaine => espace_pro::api::modifier_semaine(ctx, req)
            .await
            .into_response(),
        E::ApiProAjouterOuverture => espace_pro::api::ajouter_ouverture(ctx, req)
            .await
            .into_response(),
        E::ApiProSupprimerOuverture => espace_pro::api::supprimer_ouverture(ctx, req, &param("id"))
            .await
            .into_response(),
        E::ApiProAjouterAbsence => espace_pro::api::ajouter_absence(ctx, req)
            .await
            .into_response(),
        E::ApiProSupprimerAbsence => espace_pro::api::supprimer_absence(ctx, req, &param("id"))
            .await
            .into_response(),
        E::ApiProAgenda => espace_pro::api::agenda(ctx, req).await.into_response(),
        E::ApiProAgir => espace_pro::api::agir(ctx, req, acte(Liste::Reservations))
            .await
            .into_response(),
        E::ApiProNouveauCalendrier => espace_pro::api::nouveau_calendrier(ctx, req)
            .await
            .into_response(),
        E::ApiProRevoquerCalendrier => espace_pro::api::revoquer_calendrier(ctx, req)
            .await
            .into_response(),
        E::ProAgendas => espace_pro::pages::afficher(ctx, req, Vue::Agendas).await,
        E::ProAjouterAgenda => espace_pro::agendas::ajouter(ctx, req).await.into_response(),
        E::ProAgirAgenda => espace_pro::pages::agir(ctx, req, acte(Liste::Agendas))
            .await
            .into_response(),
        E::ApiProAgendas => espace_pro::agendas::api_agendas(ctx, req)
            .await
            .into_response(),
        E::ApiProAjouterAgenda => espace_pro::agendas::api_ajouter(ctx, req)
            .await
            .into_response(),
        E::ApiProAgirAgenda => espace_pro::api::agir(ctx, req, acte(Liste::Agendas))
            .await
            .into_response(),
        E::ProMembres => espace_pro::pages::afficher(ctx, req, Vue::Membres).await,
        E::ProAjouterMembre => espace_pro::membres::ajouter(ctx, req).await.into_response(),
        E::ProAgirMembre => espace_pro::pages::agir(ctx, req, acte(Liste::Membres))
            .await
            .into_response(),
        E::ProEquipeService => espace_pro::pages::equipe_service(ctx, req, &param("id"))
            .await
            .into_response(),
        E::ApiProMembres => espace_pro::membres::api_membres(ctx, req)
            .await
            .into_response(),
        E::ApiProAjouterMembre => espace_pro::membres::api_ajouter(ctx, req)
            .await
            .into_response(),
        E::ApiProAgirMembre => espace_pro::api::agir(ctx, req, acte(Liste::Membres))
            .await
            .into_response(),
        E::ApiProEquipeService => espace_pro::membres::api_equipe_service(ctx, req, &param("id"))
            .await
            .into_response(),
        E::AdminAccueil => admin::pages::accueil(ctx, req).await,
        E::AdminVertical => admin::pages::vertical(ctx, req, &param("slug")).await,
        E::AdminModifierVertical => admin::pages::modifier_vertical(ctx, req, &param("slug")).await,
        E::AdminReservations => admin::pages::reservations(ctx, req).await,
        E::ApiAdminProfessionnels => admin::api::professionnels(ctx, req).await,
        E::ApiAdminVertical => admin::api::vertical(ctx, req, &param("slug")).await,
        E::ApiAdminModifierVertical => {
            admin::api::modifier_vertical(ctx, req, &param("slug")).await
        }
        E::ApiAdminReservations => admin::api::reservations(ctx, req).await,
        E::AdminApprobations => admin::pages::approbations(ctx, req).await,
        E::AdminDecider => admin::pages::decider(ctx, req, &param("id")).await,
        E::ApiAdminApprobations => admin::api::approbations(ctx, req).await,
        E::ApiAdminDecider => admin::api::decider(ctx, req, &param("id")).await,
        E::AvisClients => avis::charte(ctx, req).await,
        E::ProAvis => espace_pro::pages::afficher(ctx, req, Vue::Avis).await,
        E::ProSignalerAvis => espace_pro::pages::signaler_avis(ctx, req, &param("id"))
            .await
            .into_response(),
        E::ApiProAvis => espace_pro::api::avis(ctx, req).await.into_response(),
        E::ApiProSignalerAvis => espace_pro::api::signaler_avis(ctx, req, &param("id"))
            .await
            .into_response(),
        E::AdminAvis => admin::pages::avis_signales(ctx, req).await,
        E::AdminModererAvis => {
            admin::pages::moderer_avis(ctx, req, &param("id"), &param("decision")).await
        }
        E::ApiAdminAvis => admin::api::avis_signales(ctx, req).await,
        E::ApiAdminModererAvis => {
            admin::api::moderer_avis(ctx, req, &param("id"), &param("decision")).await
        }
        E::MesDonnees => donnees::pages::mes_donnees(ctx, req).await,
        E::SuppressionFormulaire => donnees::pages::suppression(ctx, req).await,
        E::Supprimer => donnees::pages::supprimer(ctx, req).await,
        E::ApiMesDonnees => donnees::api::mes_donnees(ctx, req).await,
        E::ApiSupprimer => donnees::api::supprimer(ctx, req).await,
        E::DonneesReservation => donnees::pages::donnees_reservation(ctx, req, params).await,
        E::EffacementFormulaire => donnees::pages::effacement(ctx, req, params).await,
        E::Effacer => donnees::pages::effacer(ctx, req, params).await,
        E::ApiDonneesReservation => api::reservations::donnees(ctx, req, params)
            .await
            .into_response(),
        E::ApiEffacer => api::reservations::effacer(ctx, req, params)
            .await
            .into_response(),
        E::ListeAttenteFormulaire => pages::liste_attente::formulaire(ctx, req, params).await,
        E::InscrireListeAttente => pages::liste_attente::inscrire(ctx, req, params).await,
        E::ListeAttente => pages::liste_attente::inscription(ctx, req).await,
        E::AgirListeAttente => pages::liste_attente::agir(ctx, req).await,
        E::OffreFormulaire => pages::liste_attente::offre(ctx, req, params).await,
        E::RepondreOffre => pages::liste_attente::repondre(ctx, req, params).await,
        E::ApiInscrireListeAttente => api::liste_attente::inscrire(ctx, req, params)
            .await
            .into_response(),
        E::ApiListeAttente => api::liste_attente::agir(ctx, req).await.into_response(),
        E::ApiRepondreOffre => api::liste_attente::repondre(ctx, req, params)
            .await
            .into_response(),
        E::WebhookStripe => paiements::webhook_stripe(ctx, req).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_captures_its_parameters() {
        let params = match_pattern(
            "/api/v1/professionnels/{slug}",
            "/api/v1/professionnels/jean-dupont",
        );
        assert_eq!(params.unwrap().get("slug"), Some("jean-dupont"));
        assert!(
            match_pattern("/api/v1/professionnels/{slug}", "/api/v1/professionnels/").is_none()
        );
        assert!(match_pattern("/", "/x").is_none());
    }

    #[test]
    fn a_known_path_with_another_method_lists_the_allowed_ones() {
        assert_eq!(
            find(Method::Post, "/healthz").unwrap_err(),
            vec![Method::Get]
        );
        assert!(find(Method::Post, "/nulle-part").unwrap_err().is_empty());
        assert!(find(Method::Head, "/healthz").is_ok());
    }

    #[test]
    fn every_route_is_declared_once() {
        for (i, a) in ROUTES.iter().enumerate() {
            for b in &ROUTES[i + 1..] {
                assert!(
                    !(a.method == b.method && a.pattern == b.pattern),
                    "{:?} {} twice",
                    a.method,
                    a.pattern
                );
                assert_ne!(a.endpoint, b.endpoint, "{} and {}", a.pattern, b.pattern);
            }
        }
    }
}
