//! The account pages, on each vertical's site. Every form carries the CSRF token; a
//! refused form is shown again with the message next to the field.

use std::rc::Rc;

use askama::Template;

use booking_shared::cas::comptes::{self as operations, Connexion, ErreurCompte, Renvoi};
use booking_shared::comptes::vues::{
    ComptePage, ConnexionPage, Formulaire, InscriptionPage, LigneClient, OubliPage,
    ReinitialiserPage, VerifierPage,
};
use booking_shared::comptes::{InscriptionBrute, Role};
use booking_shared::notifications::Pour;
use booking_shared::render::{format, Site};
use booking_shared::store::planning::fuseau;
use booking_shared::store::utilisateurs::{self, Utilisateur};
use booking_shared::vertical::VerticalConfig;

use super::session::{self, exiger_page, Connecte, Refus};
use crate::app::Ctx;
use crate::csrf;
use crate::http::{Request, Response};
use crate::liens::{self, Portee};
use crate::pages::erreurs::{self, rendered};
use crate::pages::site_for;
use crate::problem::Problem;

/// The vertical's site of the request, or the 404 page.
pub(crate) async fn site(ctx: &Ctx<'_>, req: &Request) -> Result<Site, Response> {
    match ctx.vertical_for(req).await {
        Some(v) => Ok(site_for(&v, req)),
        None => Err(erreurs::introuvable(ctx, req).await),
    }
}

/// Account pages are private: never cached, never indexed.
pub(crate) fn prive(response: Response) -> Response {
    response.with_header("cache-control", "private, no-store")
}

pub(crate) fn vers(url: &str) -> Response {
    Response::new(303, "text/html; charset=utf-8", "").with_header("location", url)
}

/// A form field's value (empty when absent).
pub(crate) fn champ(champs: &[(String, String)], nom: &str) -> String {
    champs
        .iter()
        .find(|(k, _)| k == nom)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Form values to show again: never the passwords.
fn sans_secrets(champs: Vec<(String, String)>) -> Vec<(String, String)> {
    champs
        .into_iter()
        .filter(|(k, _)| !matches!(k.as_str(), "mot_de_passe" | "actuel" | "csrf" | "jeton"))
        .collect()
}

fn expire() -> String {
    "La page a expiré. Rechargez-la et envoyez le formulaire à nouveau.".into()
}

/// The sign-in page as the answer of a protected page without a session (401), or a 403.
pub(crate) async fn refus_page(ctx: &Ctx<'_>, req: &Request, refus: Refus) -> Response {
    let site = match site(ctx, req).await {
        Ok(s) => s,
        Err(_) => {
            let problem = Problem::from(refus);
            return prive(erreurs::page(
                None,
                problem.status,
                if refus == Refus::NonConnecte {
                    "Connexion requise"
                } else {
                    "Accès refusé"
                },
                &problem.message,
            ));
        }
    };
    match refus {
        Refus::NonConnecte => {
            let c = csrf::preparer(ctx, req);
            let page = ConnexionPage {
                site: &site,
                form: Formulaire::vide(&c.jeton),
                info: Some("Connectez-vous pour accéder à cette page.".into()),
            };
            prive(c.sur(rendered(page.render(), Some(&site), 401)))
        }
        Refus::Interdit => prive(erreurs::page(
            Some(&site),
            403,
            "Accès refusé",
            "Votre compte n'a pas accès à cette page.",
        )),
    }
}

/// The page a role lands on after signing in.
fn accueil_du_role(role: Role) -> &'static str {
    match role {
        Role::Client => "/compte",
        Role::Pro => "/pro",
        Role::Admin => "/admin",
    }
}

/// A refused form's answer: a 429 carries `Retry-After`.
fn avec_attente(response: Response, e: &ErreurCompte) -> Response {
    match e.reessayer_dans() {
        Some(apres) => response.with_header("retry-after", apres.to_string()),
        None => response,
    }
}

/// Signed in: the session cookie, and the device cookie that makes this browser a
/// known one for the account.
fn connecte(ctx: &Ctx<'_>, req: &Request, c: &Connexion, vers_url: &str) -> Response {
    avec_session(ctx, req, &c.utilisateur, vers_url)
        .with_cookie(session::cookie_appareil(req, &c.appareil))
}

fn avec_session(ctx: &Ctx<'_>, req: &Request, u: &Utilisateur, vers_url: &str) -> Response {
    match session::emettre(ctx, u) {
        Ok(jeton) => prive(vers(vers_url)).with_cookie(session::cookie(req, &jeton)),
        Err(e) => {
            crate::log::line(booking_shared::objet!({ "niveau": "erreur", "erreur": e }));
            prive(erreurs::page(
                None,
                500,
                "Une erreur est survenue",
                "Réessayez dans quelques instants.",
            ))
        }
    }
}

pub async fn inscription(ctx: &Ctx<'_>, req: &Request) -> Response {
    let site = match site(ctx, req).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let c = csrf::preparer(ctx, req);
    let mut form = Formulaire::vide(&c.jeton);
    if let Some(role) = req.query_param("role") {
        form.valeurs.push(("role".into(), role));
    }
    let page = InscriptionPage {
        site: &site,
        form,
        envoye: false,
    };
    prive(c.sur(rendered(page.render(), Some(&site), 200)))
}

/// A public form of the accounts, POSTed on a vertical's site: the vertical, its site,
/// the fields, the CSRF pair and the form as sent (its secrets left out), to show again.
type Soumis = (
    Rc<VerticalConfig>,
    Site,
    Vec<(String, String)>,
    csrf::Csrf,
    Formulaire,
);

async fn soumettre(
    ctx: &Ctx<'_>,
    req: &Request,
    page: impl Fn(&Site, Formulaire) -> askama::Result<String>,
) -> Result<Soumis, Response> {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return Err(erreurs::introuvable(ctx, req).await);
    };
    let site = site_for(&vertical, req);
    let champs = req.form();
    let c = csrf::preparer(ctx, req);
    let mut form = Formulaire::avec(&c.jeton, sans_secrets(champs.clone()));
    if !csrf::verifier(ctx, req, &champs) {
        form.message = Some(expire());
        let html = page(&site, form);
        return Err(prive(c.sur(rendered(html, Some(&site), 403))));
    }
    Ok((vertical, site, champs, c, form))
}

fn page_inscription(site: &Site, form: Formulaire, envoye: bool) -> askama::Result<String> {
    InscriptionPage { site, form, envoye }.render()
}

/// The page of an account form once its use case has run: "sent" (the same whether the
/// address had an account or not), or the form again with the refusal next to its field
/// (a rate limit says how long to wait).
async fn apres_envoi(
    site: &Site,
    c: &csrf::Csrf,
    mut form: Formulaire,
    issue: Result<(), ErreurCompte>,
    page: fn(&Site, Formulaire, bool) -> askama::Result<String>,
) -> Response {
    match issue {
        Ok(()) => {
            let html = page(site, Formulaire::vide(&c.jeton), true);
            prive(c.sur(rendered(html, Some(site), 200)))
        }
        Err(ErreurCompte::Interne(d)) => erreurs::interne(Some(site), d).await,
        Err(e) => {
            let p = Problem::from(&e);
            form.erreurs = p.erreurs.clone();
            if let Some(ch) = p.champ.clone() {
                form.erreurs.push(booking_shared::comptes::erreur_champ(
                    &ch,
                    p.code,
                    p.message.clone(),
                ));
            }
            if form.erreurs.is_empty() {
                form.message = Some(p.message.clone());
            }
            let r = c.sur(rendered(page(site, form, false), Some(site), p.status));
            prive(avec_attente(r, &e))
        }
    }
}

pub async fn inscrire(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Response> {
    let (vertical, site, champs, c, form) =
        soumettre(ctx, req, |s, f| page_inscription(s, f, false)).await?;
    let brute = InscriptionBrute {
        role: champ(&champs, "role"),
        nom: champ(&champs, "nom"),
        email: champ(&champs, "email"),
        telephone: champ(&champs, "telephone"),
        mot_de_passe: champ(&champs, "mot_de_passe"),
        ville: champ(&champs, "ville"),
        region: champ(&champs, "region"),
    };
    Ok(apres_envoi(
        &site,
        &c,
        form,
        super::inscrire(ctx, req, &vertical, &brute).await,
        page_inscription,
    )
    .await)
}

pub async fn connexion(ctx: &Ctx<'_>, req: &Request) -> Response {
    let site = match site(ctx, req).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let c = csrf::preparer(ctx, req);
    let info = match req.query_param("info").as_deref() {
        Some("deconnecte") => Some("Vous êtes déconnecté.".to_owned()),
        Some("mot-de-passe") => {
            Some("Votre mot de passe a été changé : connectez-vous avec le nouveau.".to_owned())
        }
        Some("email-verifie") => Some(
            "Votre adresse e-mail est confirmée : connectez-vous pour voir vos réservations."
                .to_owned(),
        ),
        _ => None,
    };
    let page = ConnexionPage {
        site: &site,
        form: Formulaire::vide(&c.jeton),
        info,
    };
    prive(c.sur(rendered(page.render(), Some(&site), 200)))
}

pub async fn connecter(ctx: &Ctx<'_>, req: &Request) -> Response {
    let site = match site(ctx, req).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let champs = req.form();
    let c = csrf::preparer(ctx, req);
    let mut form = Formulaire::avec(&c.jeton, sans_secrets(champs.clone()));
    let resultat = if csrf::verifier(ctx, req, &champs) {
        operations::connecter(
            &ctx.ports(),
            &session::ip(req),
            session::appareil(req).as_deref(),
            &champ(&champs, "email"),
            &champ(&champs, "mot_de_passe"),
        )
        .await
    } else {
        form.message = Some(expire());
        let page = ConnexionPage {
            site: &site,
            form,
            info: None,
        };
        return prive(c.sur(rendered(page.render(), Some(&site), 403)));
    };
    match resultat {
        Ok(connexion) => {
            let role = connexion.utilisateur.role;
            connecte(ctx, req, &connexion, accueil_du_role(role))
        }
        Err(ErreurCompte::Interne(d)) => erreurs::interne(Some(&site), d).await,
        Err(e) => {
            let p = Problem::from(&e);
            form.message = Some(p.message.clone());
            let page = ConnexionPage {
                site: &site,
                form,
                info: None,
            };
            let r = c.sur(rendered(page.render(), Some(&site), p.status));
            prive(avec_attente(r, &e))
        }
    }
}

pub async fn deconnecter(ctx: &Ctx<'_>, req: &Request) -> Response {
    let champs = req.form();
    let connecte = match exiger_page(ctx, req, &[Role::Client, Role::Pro, Role::Admin]).await {
        Ok(c) => c,
        Err(refus) => return refus_page(ctx, req, refus).await,
    };
    if !csrf::verifier(ctx, req, &champs) {
        return prive(erreurs::page(None, 403, "Page expirée", &expire()));
    }
    if let Err(e) = utilisateurs::revoquer_sessions(ctx.db, connecte.id()).await {
        return erreurs::interne(None, e).await;
    }
    prive(vers("/compte/connexion?info=deconnecte")).with_cookie(session::cookie_efface(req))
}

pub async fn oubli(ctx: &Ctx<'_>, req: &Request) -> Response {
    let site = match site(ctx, req).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let c = csrf::preparer(ctx, req);
    let page = OubliPage {
        site: &site,
        form: Formulaire::vide(&c.jeton),
        envoye: false,
    };
    prive(c.sur(rendered(page.render(), Some(&site), 200)))
}

fn page_oubli(site: &Site, form: Formulaire, envoye: bool) -> askama::Result<String> {
    OubliPage { site, form, envoye }.render()
}

pub async fn demander_reinitialisation(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Response> {
    let (vertical, site, champs, c, mut form) =
        soumettre(ctx, req, |s, f| page_oubli(s, f, false)).await?;
    let email = champ(&champs, "email");
    if booking_shared::types::Email::parse(&email).is_err() {
        form.erreurs.push(booking_shared::comptes::erreur_champ(
            "email",
            "email_invalide",
            "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).",
        ));
        let page = OubliPage {
            site: &site,
            form,
            envoye: false,
        };
        return Ok(prive(c.sur(rendered(page.render(), Some(&site), 422))));
    }
    let issue = operations::demander_reinitialisation(
        &ctx.ports(),
        &session::ip(req),
        &vertical,
        &site.base_url,
        &email,
    )
    .await;
    Ok(apres_envoi(&site, &c, form, issue, page_oubli).await)
}

/// The reset link's cookie: sent only to `/compte/reinitialiser`, it carries the sealed
/// hash of the link's secret (`crate::liens`), never the secret.
const REINITIALISATION: Portee<'static> = Portee {
    cookie: "reinitialisation",
    chemin: "/compte/reinitialiser",
};

fn page_reinitialiser(
    site: &Site,
    c: &csrf::Csrf,
    form: Formulaire,
    valide: bool,
    statut: u16,
) -> Response {
    let page = ReinitialiserPage { site, form, valide };
    prive(c.sur(rendered(page.render(), Some(site), statut)))
        .with_header("referrer-policy", "no-referrer")
}

/// `GET /compte/reinitialiser?jeton=` (the e-mail's link): a valid secret is exchanged
/// for the cookie, and the browser sent to `/compte/reinitialiser`, which shows the form
/// while the cookie proves a link still valid.
pub async fn reinitialisation(ctx: &Ctx<'_>, req: &Request) -> Response {
    let site = match site(ctx, req).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (empreinte, echange) = match liens::secret_de_l_adresse(req, "jeton") {
        Some(jeton) => (Some(operations::hash_secret(&jeton)), true),
        None => (liens::empreinte_prouvee(ctx, req, REINITIALISATION), false),
    };
    let valide = match &empreinte {
        Some(hash) => match operations::lien_valide(&ctx.ports(), hash).await {
            Ok(v) => v,
            Err(e) => return erreurs::interne(Some(&site), format!("{e:?}")).await,
        },
        None => false,
    };
    if let (true, Some(hash)) = (valide && echange, &empreinte) {
        return liens::vers_adresse_propre(
            req,
            "jeton",
            liens::cookie_portant(ctx, req, REINITIALISATION, hash),
        );
    }
    let c = csrf::preparer(ctx, req);
    let form = Formulaire::vide(&c.jeton);
    page_reinitialiser(&site, &c, form, valide, if valide { 200 } else { 410 })
}

/// A submitted form with nothing typed to show again: its fields, a fresh CSRF token, the
/// empty form to answer with (saying the page expired when the submitted token did not
/// check out), and whether it did.
fn recu(ctx: &Ctx<'_>, req: &Request) -> (Vec<(String, String)>, csrf::Csrf, Formulaire, bool) {
    let champs = req.form();
    let c = csrf::preparer(ctx, req);
    let mut form = Formulaire::vide(&c.jeton);
    let valide = csrf::verifier(ctx, req, &champs);
    if !valide {
        form.message = Some(expire());
    }
    (champs, c, form, valide)
}

pub async fn reinitialiser(ctx: &Ctx<'_>, req: &Request) -> Response {
    let site = match site(ctx, req).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let (champs, c, mut form, jeton_valide) = recu(ctx, req);
    if !jeton_valide {
        return page_reinitialiser(&site, &c, form, true, 403);
    }
    let Some(hash) = liens::empreinte_prouvee(ctx, req, REINITIALISATION) else {
        return page_reinitialiser(&site, &c, form, false, 410);
    };
    match operations::reinitialiser_par_empreinte(
        &ctx.ports(),
        &session::ip(req),
        &hash,
        &champ(&champs, "mot_de_passe"),
    )
    .await
    {
        // This browser proved the address: it is a known device of the account from now on.
        Ok(appareil) => prive(vers("/compte/connexion?info=mot-de-passe"))
            .with_cookie(liens::effacer(req, REINITIALISATION))
            .with_cookie(session::cookie_appareil(req, &appareil)),
        Err(ErreurCompte::Champs(e)) => {
            form.erreurs = e;
            page_reinitialiser(&site, &c, form, true, 422)
        }
        Err(ErreurCompte::Interne(d)) => erreurs::interne(Some(&site), d).await,
        Err(_) => page_reinitialiser(&site, &c, form, false, 410),
    }
}

fn lignes(reservations: Vec<utilisateurs::ReservationDuCompte>) -> Vec<LigneClient> {
    reservations
        .into_iter()
        .map(|r| {
            let tz = fuseau(&r.fuseau);
            let quand = format::date_et_heure(&r.date_heure.with_timezone(&tz));
            LigneClient {
                quand,
                professionnel: r.professionnel,
                service: r.service,
                statut_libelle: format::statut_libelle(r.statut, Pour::Client).to_owned(),
            }
        })
        .collect()
}

/// What the account page says above its sections.
enum Avis {
    Aucun,
    /// A success (password changed, address confirmed…).
    Info(String),
    /// "Send the link again" refused (too many), shown in the address notice.
    RenvoiRefuse(String),
}

async fn page_compte(
    ctx: &Ctx<'_>,
    req: &Request,
    site: &Site,
    connecte: &Connecte,
    form: Option<Formulaire>,
    avis: Avis,
    status: u16,
) -> Response {
    let reservations = match utilisateurs::reservations_du_compte(ctx.db, connecte.id()).await {
        Ok(r) => r,
        Err(e) => return erreurs::interne(Some(site), e).await,
    };
    let listes_attente = match booking_shared::store::liste_attente::du_compte(
        ctx.db,
        connecte.id(),
        ctx.clock.now(),
    )
    .await
    {
        Ok(l) => l
            .into_iter()
            .map(|i| {
                let periode = match (i.du, i.au) {
                    (Some(du), Some(au)) => format!("du {du} au {au}"),
                    _ => "le plus tôt possible".to_owned(),
                };
                (format!("{} avec {}", i.service, i.professionnel), periode)
            })
            .collect(),
        Err(e) => return erreurs::interne(Some(site), e).await,
    };
    let c = csrf::preparer(ctx, req);
    let u = &connecte.utilisateur;
    let page = ComptePage {
        site,
        nom: u.nom.clone(),
        email: u.email.clone(),
        est_pro: connecte.role == Role::Pro,
        est_admin: connecte.role == Role::Admin,
        email_verifie: u.email_verifie(),
        renvoi: match &avis {
            Avis::RenvoiRefuse(m) => Some(m.clone()),
            _ => None,
        },
        reservations: lignes(reservations),
        listes_attente,
        form: form.unwrap_or_else(|| Formulaire::vide(&c.jeton)),
        info: match avis {
            Avis::Info(m) => Some(m),
            _ => None,
        },
    };
    prive(c.sur(rendered(page.render(), Some(site), status)))
}

/// The site and the signed-in account (any role) of an account page, or the answer that
/// refuses it.
pub(crate) async fn page_connectee(
    ctx: &Ctx<'_>,
    req: &Request,
) -> Result<(Site, Connecte), Response> {
    let site = site(ctx, req).await?;
    match exiger_page(ctx, req, &[Role::Client, Role::Pro, Role::Admin]).await {
        Ok(c) => Ok((site, c)),
        Err(refus) => Err(refus_page(ctx, req, refus).await),
    }
}

pub async fn compte(ctx: &Ctx<'_>, req: &Request) -> Response {
    let (site, connecte) = match page_connectee(ctx, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let info = match req.query_param("info").as_deref() {
        Some("mot-de-passe") => {
            Some("Votre mot de passe a été changé ; vos autres sessions sont fermées.".to_owned())
        }
        Some("email-verifie") => Some(
            "Votre adresse e-mail est confirmée : les réservations faites avec elle sont rattachées à votre compte."
                .to_owned(),
        ),
        Some("verification-envoyee") => Some(
            "Un nouveau lien de confirmation vient de partir à votre adresse e-mail.".to_owned(),
        ),
        _ => None,
    };
    page_compte(
        ctx,
        req,
        &site,
        &connecte,
        None,
        info.map_or(Avis::Aucun, Avis::Info),
        200,
    )
    .await
}

pub async fn changer_mot_de_passe(ctx: &Ctx<'_>, req: &Request) -> Response {
    let (site, connecte) = match page_connectee(ctx, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let (champs, _, mut form, jeton_valide) = recu(ctx, req);
    if !jeton_valide {
        return page_compte(ctx, req, &site, &connecte, Some(form), Avis::Aucun, 403).await;
    }
    match operations::changer_mot_de_passe(
        &ctx.ports(),
        &connecte.utilisateur,
        &champ(&champs, "actuel"),
        &champ(&champs, "mot_de_passe"),
    )
    .await
    {
        Ok(u) => avec_session(ctx, req, &u, "/compte?info=mot-de-passe"),
        Err(ErreurCompte::Champs(e)) => {
            form.erreurs = e;
            page_compte(ctx, req, &site, &connecte, Some(form), Avis::Aucun, 422).await
        }
        Err(e) => erreurs::interne(Some(&site), format!("{e:?}")).await,
    }
}

/// The address check's page, as shown for a link (valid or not).
fn page_verification(
    site: &Site,
    c: &csrf::Csrf,
    form: Formulaire,
    compte: Option<(&Utilisateur, bool)>,
    status: u16,
) -> Response {
    let page = VerifierPage {
        site,
        form,
        valide: compte.is_some(),
        email: compte.map(|(u, _)| u.email.clone()).unwrap_or_default(),
        connecte: compte.is_some_and(|(_, connecte)| connecte),
    };
    prive(c.sur(rendered(page.render(), Some(site), status)))
        .with_header("referrer-policy", "no-referrer")
}

/// The link of the address check: shows a button — or asks for the account's password
/// when the browser is not signed in to that account. Opening it uses nothing (mail
/// scanners fetch links before people do).
/// The address-check link's secret leaves the address on first visit: it goes into an
/// HttpOnly cookie on this page's path alone (the button's POST needs the secret itself),
/// for an hour at most; the link itself lives 48 hours and can be opened again.
const VERIFICATION: Portee<'static> = Portee {
    cookie: "verification",
    chemin: "/compte/verifier",
};

/// The secret of the address-check link this browser opened, if any.
fn jeton_verification(req: &Request) -> String {
    liens::secrets_gardes(req, VERIFICATION)
        .into_iter()
        .next()
        .unwrap_or_default()
}

pub async fn verification(ctx: &Ctx<'_>, req: &Request) -> Response {
    let site = match site(ctx, req).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Some(jeton) = liens::secret_de_l_adresse(req, "jeton") {
        if let Some(jeton) = liens::secret_a_garder(&jeton) {
            if matches!(
                operations::verification_valide(&ctx.ports(), &jeton).await,
                Ok(Some(_))
            ) {
                return liens::echanger_en_gardant(
                    req,
                    VERIFICATION,
                    &jeton,
                    "jeton",
                    booking_shared::securite::lien::DUREE_SECONDES,
                );
            }
        }
        let c = csrf::preparer(ctx, req);
        return page_verification(&site, &c, Formulaire::vide(&c.jeton), None, 410);
    }
    let jeton = jeton_verification(req);
    let compte = match operations::verification_valide(&ctx.ports(), &jeton).await {
        Ok(c) => c,
        Err(e) => return erreurs::interne(Some(&site), format!("{e:?}")).await,
    };
    let session = session::par_cookie(ctx, req).await;
    let c = csrf::preparer(ctx, req);
    let status = if compte.is_some() { 200 } else { 410 };
    let compte = compte.as_ref().map(|u| {
        let connecte = session.as_ref().is_some_and(|s| s.id() == u.id);
        (u, connecte)
    });
    page_verification(&site, &c, Formulaire::vide(&c.jeton), compte, status)
}

/// Uses the link: for the account it was made for, signed in (or proving it with its
/// password, throttled like any sign-in). Someone who merely holds the mailbox of an
/// address another person signed up with proves nothing for that person's account.
pub async fn verifier(ctx: &Ctx<'_>, req: &Request) -> Response {
    let site = match site(ctx, req).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let champs = req.form();
    // The cookie of the opened link; a client may also post the secret itself.
    let jeton = Some(jeton_verification(req))
        .filter(|j| !j.is_empty())
        .unwrap_or_else(|| champ(&champs, "jeton"));
    let c = csrf::preparer(ctx, req);
    let compte = match operations::verification_valide(&ctx.ports(), &jeton).await {
        Ok(Some(u)) => u,
        Ok(None) => return page_verification(&site, &c, Formulaire::vide(&c.jeton), None, 410),
        Err(e) => return erreurs::interne(Some(&site), format!("{e:?}")).await,
    };
    let session = session::par_cookie(ctx, req)
        .await
        .filter(|s| s.id() == compte.id);
    let mut form = Formulaire::vide(&c.jeton);
    if !csrf::verifier(ctx, req, &champs) {
        form.message = Some(expire());
        let connecte = session.is_some();
        return page_verification(&site, &c, form, Some((&compte, connecte)), 403);
    }
    // Signed in to that account already, or signing in now with its password.
    let (utilisateur, appareil) = match session {
        Some(s) => (s.utilisateur, None),
        None => match operations::connecter(
            &ctx.ports(),
            &session::ip(req),
            session::appareil(req).as_deref(),
            &compte.email,
            &champ(&champs, "mot_de_passe"),
        )
        .await
        {
            Ok(c) => (c.utilisateur, Some(c.appareil)),
            Err(ErreurCompte::Interne(d)) => return erreurs::interne(Some(&site), d).await,
            Err(e) => {
                let p = Problem::from(&e);
                form.message = Some(p.message.clone());
                let r = page_verification(&site, &c, form, Some((&compte, false)), p.status);
                return avec_attente(r, &e);
            }
        },
    };
    match operations::verifier_email(&ctx.ports(), &utilisateur, &jeton).await {
        Ok(u) => match appareil {
            None => prive(vers("/compte?info=email-verifie")),
            Some(appareil) => connecte(
                ctx,
                req,
                &Connexion {
                    utilisateur: u,
                    appareil,
                },
                "/compte?info=email-verifie",
            ),
        }
        // The link is used up: so is its cookie.
        .with_cookie(liens::effacer(req, VERIFICATION)),
        Err(ErreurCompte::Interne(d)) => erreurs::interne(Some(&site), d).await,
        Err(_) => page_verification(&site, &c, Formulaire::vide(&c.jeton), None, 410),
    }
}

/// A new address-check link, from the account page (rate-limited).
pub async fn renvoyer_verification(ctx: &Ctx<'_>, req: &Request) -> Response {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return erreurs::introuvable(ctx, req).await;
    };
    let site = site_for(&vertical, req);
    let connecte = match exiger_page(ctx, req, &[Role::Client, Role::Pro, Role::Admin]).await {
        Ok(c) => c,
        Err(refus) => return refus_page(ctx, req, refus).await,
    };
    let champs = req.form();
    if !csrf::verifier(ctx, req, &champs) {
        return page_compte(
            ctx,
            req,
            &site,
            &connecte,
            None,
            Avis::RenvoiRefuse(expire()),
            403,
        )
        .await;
    }
    match super::renvoyer_verification(ctx, req, &vertical, &connecte).await {
        Ok(Renvoi::Envoye) => prive(vers("/compte?info=verification-envoyee")),
        Ok(Renvoi::DejaVerifiee) => prive(vers("/compte")),
        Err(ErreurCompte::Interne(d)) => erreurs::interne(Some(&site), d).await,
        Err(e) => {
            let p = Problem::from(&e);
            let r = page_compte(
                ctx,
                req,
                &site,
                &connecte,
                None,
                Avis::RenvoiRefuse(p.message),
                p.status,
            )
            .await;
            avec_attente(r, &e)
        }
    }
}
