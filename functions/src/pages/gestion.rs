//! The pages behind a booking's manage link: the manage page itself, the confirmation
//! right after booking, the `.ics` file, and the two changes a client can make — cancel
//! (with a confirmation step) and move to another free slot.
//!
//! The link (`/reservations/{id}?token=…`, in e-mails) carries the booking's secret. Its
//! first visit exchanges the secret for a short-lived cookie scoped to
//! `/reservations/{id}` and redirects to the same page without it (`crate::liens`); every
//! page and form of the booking then works with that cookie alone. [`acces_reservation`]
//! does both for any page under `/reservations/{id}`.

use askama::Template;

use booking_shared::cas::paiements::IssueRemboursement;
use booking_shared::cas::reservations::{
    self, charger_avec_jeton, charger_si, creneaux, deplacer, peut_deplacer, Annuleur, Dossier,
    ErreurReservation,
};
use booking_shared::render::{
    format, ics, jours_de_creneaux, phrase_annulation, AnnulerPage, ConfirmationPage, DemandeVue,
    DeplacerPage, GestionPage, Resume, Seo, Site,
};
use booking_shared::reservation::StatutReservation;
use booking_shared::store::paiements;
use booking_shared::store::planning::fuseau;
use booking_shared::vertical::VerticalConfig;

use super::{cache, erreurs, semaine, site_for};
use crate::app::Ctx;
use crate::csrf;
use crate::http::Params;
use crate::http::{Request, Response};
use crate::liens::{self, Portee};
use crate::problem::Problem;

/// The cookie that stands for a booking's manage link (`__Secure-gestion` over https).
pub const COOKIE: &str = "gestion";

/// Every page of a booking lives under this path, the `Path` of its cookie.
pub fn chemin_reservation(id: &str) -> String {
    format!("/reservations/{id}")
}

/// A booking's page, opened: its vertical, site and booking.
pub struct Acces {
    pub vertical: std::rc::Rc<VerticalConfig>,
    pub site: Site,
    pub dossier: Dossier,
}

/// The page for a visitor who shows no proof of the link (no cookie, or an expired or
/// forged one): the same whatever the id, so that ids cannot be probed. `bouton` is the
/// e-mail's link to open again (« Gérer ma réservation », « Donner mon avis »).
pub fn page_lien_requis(site: &Site, bouton: &str) -> Response {
    erreurs::page(
        Some(site),
        403,
        "Ouvrez le lien de votre e-mail",
        &format!(
            "Pour protéger votre rendez-vous, cette page s'ouvre depuis le lien reçu par e-mail, pour une heure sur cet appareil. Ouvrez à nouveau le lien « {bouton} » de votre e-mail."
        ),
    )
}

const BOUTON_GESTION: &str = "Gérer ma réservation";

/// Any page under `/reservations/{id}` behind the manage link. A GET whose address
/// carries the link's secret (`?token=`) is answered with the exchange (cookie, then 303
/// to the same address without it), or the 404 page for a wrong secret; otherwise the
/// cookie must prove the link, or the visitor is asked to open the e-mail's link again.
/// `Err` holds the response to send instead of the page.
pub async fn acces_reservation(
    ctx: &Ctx<'_>,
    req: &Request,
    params: &Params,
) -> Result<Acces, Response> {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return Err(erreurs::introuvable(ctx, req).await);
    };
    let site = site_for(&vertical, req);
    let id = params.get("id").unwrap_or("");
    let chemin = chemin_reservation(id);
    let portee = Portee {
        cookie: COOKIE,
        chemin: &chemin,
    };
    if let Some(jeton) = liens::secret_de_l_adresse(req, "token") {
        return Err(
            match charger_avec_jeton(&ctx.ports(), &vertical, id, &jeton).await {
                Ok(d) => {
                    liens::echanger(ctx, req, portee, &d.reservation.manage_token_hash, "token")
                }
                Err(ErreurReservation::Interne(detail)) => {
                    erreurs::interne(Some(&site), detail).await
                }
                Err(e) => erreurs::page(
                    Some(&site),
                    404,
                    "Réservation introuvable",
                    &Problem::from(&e).message,
                ),
            },
        );
    }
    if !liens::a_un_cookie(req, portee) {
        return Err(page_lien_requis(&site, BOUTON_GESTION));
    }
    let prouve = |hash: &str| liens::prouve(ctx, req, portee, hash);
    match charger_si(&ctx.ports(), &vertical, id, prouve).await {
        Ok(dossier) => Ok(Acces {
            vertical,
            site,
            dossier,
        }),
        Err(ErreurReservation::Interne(detail)) => Err(erreurs::interne(Some(&site), detail).await),
        Err(_) => Err(page_lien_requis(&site, BOUTON_GESTION)),
    }
}

fn resume(ctx: &Ctx<'_>, a: &Acces) -> Resume {
    Resume::new(
        &a.dossier.reservation,
        &a.dossier.professionnel,
        &a.dossier.service,
        &a.vertical,
        ctx.clock.now(),
    )
}

fn seo(site: &Site, titre: &str, chemin: &str) -> Seo {
    Seo::page(
        site,
        titre,
        "Votre rendez-vous : voir, déplacer, annuler.",
        chemin,
    )
    .prive()
}

pub async fn gerer(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let a = match acces_reservation(ctx, req, params).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    let resume = resume(ctx, &a);
    let notice = match req.query_param("fait").as_deref() {
        Some("annulee") => {
            // The amounts as the payment now records them: refunded so far, and what is
            // left (kept, or still to refund) after any earlier partial refund.
            let paye = a.dossier.reservation.a_payer_centimes;
            let (rembourse, reste) =
                match paiements::dernier_de(ctx.db, a.dossier.reservation.id.as_str()).await {
                    Ok(Some(p)) => (p.montant_rembourse, p.reste()),
                    _ => (paye, paye),
                };
            let argent = match req.query_param("remboursement").as_deref() {
                Some("rembourse") => IssueRemboursement::Rembourse { montant: rembourse }.message(),
                Some("non_remboursable") => {
                    IssueRemboursement::NonRemboursable { montant: reste }.message()
                }
                Some("en_attente") => IssueRemboursement::EnAttente { montant: reste }.message(),
                _ => String::new(),
            };
            Some(
                format!("Votre rendez-vous est annulé. {argent}")
                    .trim()
                    .to_owned(),
            )
        }
        Some("deplacee") => Some(format!(
            "Votre rendez-vous est déplacé au {}. Un e-mail vous le confirme.",
            resume.quand
        )),
        Some("confirmee") if resume.statut == StatutReservation::Confirmee => Some(
            "Votre rendez-vous est confirmé. Un e-mail de confirmation vous est envoyé, avec ce lien pour le gérer."
                .to_owned(),
        ),
        _ => None,
    };
    let attente = (resume.statut == StatutReservation::EnAttenteConfirmation).then(|| {
        let jusqua = DemandeVue::new(
            &a.dossier.reservation,
            &a.dossier.professionnel,
            &a.dossier.service,
        )
        .jusqua
        .map(|h| format!(" avant {h}"))
        .unwrap_or_default();
        format!(
            "Cette réservation attend votre confirmation : ouvrez le lien de l'e-mail envoyé à {}{jusqua}. Sans confirmation, le créneau sera libéré.",
            resume.client_email
        )
    });
    let page = GestionPage {
        site: &a.site,
        seo: seo(
            &a.site,
            "Gérer mon rendez-vous",
            &format!("/reservations/{}", resume.id),
        ),
        notice,
        attente,
        peut_annuler: resume.actif && resume.a_venir,
        peut_deplacer: peut_deplacer(&a.vertical, &a.dossier.reservation, ctx.clock.now()),
        politique: phrase_annulation(a.vertical.regles().annulation_gratuite_heures()),
        resume,
    };
    cache::privee(erreurs::rendered(page.render(), Some(&a.site), 200))
}

pub async fn confirmation(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let a = match acces_reservation(ctx, req, params).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    let resume = resume(ctx, &a);
    let page = ConfirmationPage {
        site: &a.site,
        seo: seo(
            &a.site,
            "Réservation enregistrée",
            &format!("/reservations/{}/confirmation", resume.id),
        ),
        resume,
    };
    cache::privee(erreurs::rendered(page.render(), Some(&a.site), 200))
}

pub async fn calendrier(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let a = match acces_reservation(ctx, req, params).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    let r = &a.dossier.reservation;
    let pro = &a.dossier.professionnel;
    let service = &a.dossier.service;
    let debut = r.debut().with_timezone(&fuseau(&pro.fuseau));
    // The e-mail's link manages it; the file, which may be synced anywhere, carries no secret.
    let description = format!(
        "{} avec {} ({}), le {}. Gérer ou annuler : le lien « Gérer ma réservation » de votre e-mail.",
        service.nom,
        pro.nom,
        a.site.nom,
        format::date_et_heure(&debut),
    );
    let corps = ics::ics(&ics::Evenement {
        reservation_id: r.id.as_str(),
        debut: r.debut(),
        fin: r.fin(),
        maintenant: ctx.clock.now(),
        resume: &format!("{} — {}", service.nom, pro.nom),
        lieu: &pro.ville,
        description: &description,
        annule: r.statut == StatutReservation::Annulee,
    });
    cache::privee(
        Response::new(200, "text/calendar; charset=utf-8", corps).with_header(
            "content-disposition",
            "attachment; filename=\"rendez-vous.ics\"",
        ),
    )
}

fn valeur(champs: &[(String, String)], nom: &str) -> Option<String> {
    champs
        .iter()
        .find(|(k, _)| k == nom)
        .map(|(_, v)| v.clone())
}

fn page_annuler(
    ctx: &Ctx<'_>,
    req: &Request,
    a: &Acces,
    motif: String,
    erreur: Option<String>,
    status: u16,
) -> Response {
    let jeton = csrf::preparer(ctx, req);
    let resume = resume(ctx, a);
    let action = format!("/reservations/{}/annuler", resume.id);
    let page = AnnulerPage {
        site: &a.site,
        seo: seo(&a.site, "Annuler mon rendez-vous", &action),
        action,
        csrf: jeton.jeton.clone(),
        motif,
        erreur,
        politique: phrase_annulation(a.vertical.regles().annulation_gratuite_heures()),
        resume,
    };
    cache::privee(jeton.sur(erreurs::rendered(page.render(), Some(&a.site), status)))
}

pub async fn annuler_formulaire(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    match acces_reservation(ctx, req, params).await {
        Ok(a) => page_annuler(ctx, req, &a, String::new(), None, 200),
        Err(response) => response,
    }
}

pub async fn annuler(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let champs = req.form();
    let a = match acces_reservation(ctx, req, params).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    let motif = valeur(&champs, "motif").unwrap_or_default();
    if !csrf::verifier(ctx, req, &champs) {
        let message = "Ce formulaire a expiré ou n'a pas été envoyé depuis ce site : rien n'a été annulé. Confirmez à nouveau.";
        return page_annuler(ctx, req, &a, motif, Some(message.into()), 403);
    }
    let motif_donne = Some(motif.clone()).filter(|m| !m.trim().is_empty());
    let par = Annuleur::Client { motif: motif_donne };
    match reservations::annuler(&ctx.ports(), &a.vertical, a.dossier.clone(), par).await {
        Ok(annulee) => cache::voir_ailleurs(&format!(
            "{}?fait=annulee&remboursement={}",
            chemin_reservation(annulee.dossier.reservation.id.as_str()),
            annulee.remboursement.code()
        )),
        Err(ErreurReservation::Interne(detail)) => erreurs::interne(Some(&a.site), detail).await,
        Err(e) => {
            let probleme = Problem::from(&e);
            page_annuler(ctx, req, &a, motif, Some(probleme.message), probleme.status)
        }
    }
}

async fn page_deplacer(
    ctx: &Ctx<'_>,
    req: &Request,
    a: &Acces,
    erreur: Option<String>,
    status: u16,
) -> Response {
    let jeton = csrf::preparer(ctx, req);
    let resume = resume(ctx, a);
    let pro = &a.dossier.professionnel;
    let tz = fuseau(&pro.fuseau);
    let maintenant = ctx.clock.now();
    let aujourdhui = maintenant.with_timezone(&tz).date_naive();
    let (du, au) = semaine::bornes(req, aujourdhui);
    let peut_deplacer = peut_deplacer(&a.vertical, &a.dossier.reservation, maintenant);
    let jours = if peut_deplacer {
        match creneaux(
            ctx.db,
            &a.vertical,
            pro,
            &a.dossier.service,
            (du, au),
            maintenant,
            a.dossier.reservation.membre_id,
        )
        .await
        {
            Ok(offre) => {
                jours_de_creneaux(&offre.creneaux, offre.fuseau, |_| String::new(), |_| None)
            }
            Err(e) => return erreurs::interne(Some(&a.site), e).await,
        }
    } else {
        Vec::new()
    };
    let base = format!("{}/deplacer", chemin_reservation(resume.id.as_str()));
    let semaine = semaine::semaine(&a.vertical, aujourdhui, du, au, jours, |d| {
        format!("{base}?semaine={d}")
    });
    let action = format!("/reservations/{}/deplacer", resume.id);
    let page = DeplacerPage {
        site: &a.site,
        seo: seo(&a.site, "Déplacer mon rendez-vous", &action),
        action,
        csrf: jeton.jeton.clone(),
        semaine,
        erreur,
        peut_deplacer,
        politique: phrase_annulation(a.vertical.regles().annulation_gratuite_heures()),
        resume,
    };
    cache::privee(jeton.sur(erreurs::rendered(page.render(), Some(&a.site), status)))
}

pub async fn deplacer_formulaire(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    match acces_reservation(ctx, req, params).await {
        Ok(a) => page_deplacer(ctx, req, &a, None, 200).await,
        Err(response) => response,
    }
}

pub async fn deplacer_vers(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let champs = req.form();
    let a = match acces_reservation(ctx, req, params).await {
        Ok(a) => a,
        Err(response) => return response,
    };
    if !csrf::verifier(ctx, req, &champs) {
        let message = "Ce formulaire a expiré ou n'a pas été envoyé depuis ce site : rien n'a été changé. Choisissez à nouveau.";
        return page_deplacer(ctx, req, &a, Some(message.into()), 403).await;
    }
    let Some(debut) = valeur(&champs, "debut").filter(|d| !d.trim().is_empty()) else {
        let message = "Choisissez un nouveau créneau.";
        return page_deplacer(ctx, req, &a, Some(message.into()), 422).await;
    };
    // The secret is not known here (the cookie is not it): the e-mails of the move copy
    // it from the booking's pending e-mails.
    match deplacer(&ctx.ports(), &a.vertical, a.dossier.clone(), &debut, None).await {
        Ok(dossier) => cache::voir_ailleurs(&format!(
            "{}?fait=deplacee",
            chemin_reservation(dossier.reservation.id.as_str())
        )),
        Err(ErreurReservation::Interne(detail)) => erreurs::interne(Some(&a.site), detail).await,
        Err(e) => {
            let probleme = Problem::from(&e);
            page_deplacer(ctx, req, &a, Some(probleme.message), probleme.status).await
        }
    }
}
