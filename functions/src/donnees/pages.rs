//! The pages: an account's (`/compte/donnees`, `/compte/suppression`, session cookie)
//! and a booking's (`/reservations/{id}/donnees`, `/reservations/{id}/effacement`, the
//! manage link's cookie). Every erasing form carries the CSRF token.

use askama::Template;

use booking_shared::cas::donnees::{self, Effacement, ErreurDonnees, Preuve};
use booking_shared::comptes::Role;
use booking_shared::render::{EffacementPage, Seo, Site};

use crate::app::Ctx;
use crate::comptes::pages::{champ as valeur, page_connectee, prive};
use crate::comptes::session;
use crate::csrf;
use crate::http::{Params, Request, Response};
use crate::liens::{self, Portee};
use crate::pages::erreurs::{self, rendered};
use crate::pages::gestion::{acces_reservation, chemin_reservation, COOKIE};
use crate::problem::Problem;

const EXPIRE: &str =
    "Ce formulaire a expiré ou n'a pas été envoyé depuis ce site : rien n'a été effacé. Confirmez à nouveau.";

const EXPLICATION_COMPTE: &str = "Vos rendez-vous à venir seront annulés selon les conditions d'annulation (remboursés quand elles le prévoient), vos rendez-vous passés anonymisés (le professionnel verra « Client supprimé »), les e-mails qui vous ont été envoyés effacés et votre compte supprimé. Les paiements sont conservés sans votre nom, comme la comptabilité l'exige. C'est définitif.";

const EXPLICATION_RESERVATION: &str = "Si ce rendez-vous est à venir, il sera d'abord annulé selon les conditions d'annulation (remboursé quand elles le prévoient). Puis votre nom, votre adresse, votre téléphone, votre message et vos réponses seront effacés (le professionnel verra « Client supprimé »), ainsi que les e-mails qui vous ont été envoyés pour ce rendez-vous. Le paiement éventuel est conservé sans votre nom, comme la comptabilité l'exige. C'est définitif.";

/// What differs between the account's page and a booking's.
struct Cible {
    titre: &'static str,
    explication: &'static str,
    action: String,
    export: String,
    retour: String,
    mot_de_passe: bool,
}

fn cible_compte() -> Cible {
    Cible {
        titre: "Supprimer mon compte",
        explication: EXPLICATION_COMPTE,
        action: "/compte/suppression".into(),
        export: "/compte/donnees".into(),
        retour: "/compte".into(),
        mot_de_passe: true,
    }
}

fn cible_reservation(id: &str) -> Cible {
    let base = chemin_reservation(id);
    Cible {
        titre: "Effacer mes données",
        explication: EXPLICATION_RESERVATION,
        action: format!("{base}/effacement"),
        export: format!("{base}/donnees"),
        retour: base,
        mot_de_passe: false,
    }
}

fn page(
    ctx: &Ctx<'_>,
    req: &Request,
    site: &Site,
    cible: Cible,
    erreur: Option<String>,
    fait: Option<Vec<String>>,
    status: u16,
) -> Response {
    let c = csrf::preparer(ctx, req);
    let page = EffacementPage {
        site,
        seo: Seo::page(site, cible.titre, cible.explication, &cible.action).prive(),
        titre: cible.titre.into(),
        explication: cible.explication.into(),
        action: cible.action,
        export: cible.export,
        retour: cible.retour,
        csrf: c.jeton.clone(),
        mot_de_passe: cible.mot_de_passe,
        erreur,
        fait,
    };
    prive(c.sur(rendered(page.render(), Some(site), status)))
}

/// The page after an erasure: done (with `cookie` cleared), or the form again with the
/// refusal (a throttle's with `Retry-After`).
async fn apres(
    ctx: &Ctx<'_>,
    req: &Request,
    site: &Site,
    cible: Cible,
    issue: Result<Effacement, ErreurDonnees>,
    fait: &str,
    cookie: String,
) -> Response {
    match issue {
        Ok(e) => {
            let messages = super::messages(&e, fait);
            page(ctx, req, site, cible, None, Some(messages), 200).with_cookie(cookie)
        }
        Err(e) => {
            let p = Problem::from(&e);
            if p.status >= 500 {
                return erreurs::interne(Some(site), e).await;
            }
            let r = page(ctx, req, site, cible, Some(p.message), None, p.status);
            match e.reessayer_dans() {
                Some(s) => r.with_header("retry-after", s.to_string()),
                None => r,
            }
        }
    }
}

pub async fn mes_donnees(ctx: &Ctx<'_>, req: &Request) -> Response {
    let (site, connecte) = match page_connectee(ctx, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match donnees::exporter_compte(&ctx.ports(), &connecte.utilisateur).await {
        Ok(export) => super::telechargement(&export, "mes-donnees.json"),
        Err(e) => erreurs::interne(Some(&site), e).await,
    }
}

pub async fn suppression(ctx: &Ctx<'_>, req: &Request) -> Response {
    let (site, connecte) = match page_connectee(ctx, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    // A professional's or an admin's account is told at once why it cannot.
    let erreur = (connecte.role != Role::Client)
        .then(|| Problem::from(ErreurDonnees::CompteNonSupprimable).message);
    page(ctx, req, &site, cible_compte(), erreur, None, 200)
}

pub async fn supprimer(ctx: &Ctx<'_>, req: &Request) -> Response {
    let (site, connecte) = match page_connectee(ctx, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let champs = req.form();
    if !csrf::verifier(ctx, req, &champs) {
        return page(
            ctx,
            req,
            &site,
            cible_compte(),
            Some(EXPIRE.into()),
            None,
            403,
        );
    }
    let verticals = ctx.toutes_verticals().await;
    let ip = session::ip(req);
    let appareil = session::appareil(req);
    let mot_de_passe = valeur(&champs, "mot_de_passe");
    let preuve = Preuve {
        ip: &ip,
        appareil: appareil.as_deref(),
        mot_de_passe: &mot_de_passe,
    };
    let issue = donnees::supprimer_compte(
        &ctx.ports(),
        &verticals,
        &connecte.utilisateur,
        &preuve,
        valeur(&champs, "renoncer_remboursement") == "oui",
    )
    .await;
    let cookie = session::cookie_efface(req);
    let fait = super::COMPTE_SUPPRIME;
    apres(ctx, req, &site, cible_compte(), issue, fait, cookie).await
}

pub async fn donnees_reservation(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let a = match acces_reservation(ctx, req, params).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    match donnees::exporter_reservation(&ctx.ports(), &a.dossier).await {
        Ok(export) => super::telechargement(&export, "mes-donnees-reservation.json"),
        Err(e) => erreurs::interne(Some(&a.site), e).await,
    }
}

pub async fn effacement(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    match acces_reservation(ctx, req, params).await {
        Ok(a) => {
            let cible = cible_reservation(a.dossier.reservation.id.as_str());
            page(ctx, req, &a.site, cible, None, None, 200)
        }
        Err(r) => r,
    }
}

pub async fn effacer(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let champs = req.form();
    let a = match acces_reservation(ctx, req, params).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let id = a.dossier.reservation.id.to_string();
    if !csrf::verifier(ctx, req, &champs) {
        let cible = cible_reservation(&id);
        return page(ctx, req, &a.site, cible, Some(EXPIRE.into()), None, 403);
    }
    let issue = donnees::effacer_reservation(
        &ctx.ports(),
        &a.vertical,
        a.dossier,
        valeur(&champs, "renoncer_remboursement") == "oui",
    )
    .await;
    let chemin = chemin_reservation(&id);
    let cookie = liens::effacer(
        req,
        Portee {
            cookie: COOKIE,
            chemin: &chemin,
        },
    );
    let fait = super::RESERVATION_EFFACEE;
    apres(
        ctx,
        req,
        &a.site,
        cible_reservation(&id),
        issue,
        fait,
        cookie,
    )
    .await
}
