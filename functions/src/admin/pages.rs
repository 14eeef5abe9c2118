//! The admin's pages, on any of the platform's hosts.

use askama::Template;

use booking_shared::cas::admin::{self as operations, ErreurAdmin};
use booking_shared::cas::approbation::{self as cas_approbation, Dossier, ErreurApprobation};
use booking_shared::cas::avis::{self as avis_cas, ErreurAvis};
use booking_shared::comptes::approbation;
use booking_shared::comptes::saisies_pro::champ;
use booking_shared::comptes::vues::{
    AdminApprobationsPage, AdminAvisPage, AdminPage, AdminReservationsPage, AdminVerticalPage,
    AvisLigne, LigneApprobation, ProLigne, ReservationLigne,
};
use booking_shared::comptes::Role;
use booking_shared::notifications::Pour;
use booking_shared::render::format;
use booking_shared::store::admin::ProAdmin;
use booking_shared::store::{admin, avis, planning};
use booking_shared::types::{Identifiant, StatutApprobation};

use crate::app::Ctx;
use crate::comptes::pages::{prive, refus_page, vers};
use crate::comptes::{exiger_page, Connecte};
use crate::csrf;
use crate::http::{Request, Response};
use crate::pages::erreurs::{self, rendered};
use crate::problem::Problem;

async fn entrer(ctx: &Ctx<'_>, req: &Request) -> Result<Connecte, Response> {
    match exiger_page(ctx, req, &[Role::Admin]).await {
        Ok(c) => Ok(c),
        Err(refus) => Err(refus_page(ctx, req, refus).await),
    }
}

/// The slugs of every vertical, as loaded.
async fn slugs(ctx: &Ctx<'_>) -> Vec<String> {
    let mut s: Vec<String> = ctx
        .toutes_verticals()
        .await
        .iter()
        .map(|v| v.slug().to_owned())
        .collect();
    booking_shared::tri::trier(&mut s);
    s
}

async fn erreur(e: ErreurAdmin) -> Response {
    match e {
        ErreurAdmin::Interne(d) => erreurs::interne(None, d).await,
        autre => {
            let p = Problem::from(&autre);
            prive(erreurs::page(
                None,
                p.status,
                "Action impossible",
                &p.message,
            ))
        }
    }
}

fn filtre(req: &Request) -> Option<String> {
    req.query_param("vertical").filter(|v| !v.is_empty())
}

pub async fn accueil(ctx: &Ctx<'_>, req: &Request) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    let f = filtre(req);
    let pros = match admin::professionnels(ctx.db, f.as_deref()).await {
        Ok(p) => p,
        Err(e) => return erreurs::interne(None, e).await,
    };
    let page = AdminPage {
        verticals: slugs(ctx).await,
        filtre: f.unwrap_or_default(),
        professionnels: pros.into_iter().map(|p| ligne_pro(&p)).collect(),
        info: req
            .query_param("ok")
            .map(|_| "Modification enregistrée.".to_owned()),
    };
    prive(rendered(page.render(), None, 200))
}

/// A professional as the admin's lists show them.
fn ligne_pro(p: &ProAdmin) -> ProLigne {
    ProLigne {
        id: p.id,
        vertical: p.vertical.clone(),
        nom: p.nom.clone(),
        slug: p.slug.clone(),
        ville: p.ville.clone(),
        email: p.email.clone().unwrap_or_default(),
        public: p.public == 1,
        services: p.services_actifs,
        approbation: approbation::libelle(p.approbation).to_owned(),
        en_ligne: p.public == 1 && p.approbation == StatutApprobation::Approuve,
    }
}

/// A line of the approval queue; `saisie` is the form sent back with its error.
fn ligne_approbation(d: Dossier, saisie: Option<(&str, String)>) -> LigneApprobation {
    let p = d.pro;
    let exigences = d
        .exigences
        .iter()
        .map(|e| {
            let valeur = p.justificatifs().valeur(*e).map(str::to_owned);
            (
                e.libelle(),
                valeur.unwrap_or_else(|| "non renseigné".into()),
            )
        })
        .collect();
    let peut = |cible| approbation::permise(p.approbation, cible);
    let (motif_saisi, erreur) =
        saisie.map_or((String::new(), None), |(m, e)| (m.to_owned(), Some(e)));
    LigneApprobation {
        pro: ligne_pro(&p),
        motif: p.approbation_motif.clone(),
        decide_le: p
            .approbation_at
            .map(|t| format::date_et_heure(&t.with_timezone(&planning::fuseau(&p.fuseau)))),
        exigences,
        manquants: d.manquants,
        peut_approuver: peut(StatutApprobation::Approuve),
        peut_refuser: peut(StatutApprobation::Refuse),
        peut_suspendre: peut(StatutApprobation::Suspendu),
        motif_saisi,
        erreur,
    }
}

/// The approval queue; `refus` puts a decision's error (and the reason typed) on its
/// professional's line.
async fn page_approbations(
    ctx: &Ctx<'_>,
    req: &Request,
    refus: Option<(i64, &str, String)>,
    status: u16,
) -> Response {
    let f = filtre(req);
    let verticals = ctx.toutes_verticals().await;
    let file = match cas_approbation::file(&ctx.ports(), &verticals, f.as_deref(), None).await {
        Ok(file) => file,
        Err(e) => return erreurs::interne(None, e).await,
    };
    let c = csrf::preparer(ctx, req);
    let page = AdminApprobationsPage {
        csrf: c.jeton.clone(),
        verticals: slugs(ctx).await,
        filtre: f.unwrap_or_default(),
        lignes: file
            .into_iter()
            .map(|d| {
                let saisie = match &refus {
                    Some((id, motif, erreur)) if *id == d.pro.id => Some((*motif, erreur.clone())),
                    _ => None,
                };
                ligne_approbation(d, saisie)
            })
            .collect(),
        info: req
            .query_param("ok")
            .map(|_| "Décision enregistrée ; le professionnel est prévenu par e-mail.".to_owned()),
    };
    prive(c.sur(rendered(page.render(), None, status)))
}

pub async fn approbations(ctx: &Ctx<'_>, req: &Request) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    page_approbations(ctx, req, None, 200).await
}

/// The decision form of a line of the queue: back to the queue, or the queue again with
/// the error on that line.
pub async fn decider(ctx: &Ctx<'_>, req: &Request, id: &str) -> Response {
    let connecte = match entrer(ctx, req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let champs = req.form();
    let pro_id = Identifiant::parse(id).map_or(0, Identifiant::get);
    let motif = champ(&champs, "motif").to_owned();
    if !csrf::verifier(ctx, req, &champs) {
        let expire = "La page a expiré. Rechargez-la et recommencez.".to_owned();
        return page_approbations(ctx, req, Some((pro_id, &motif, expire)), 403).await;
    }
    let verticals = ctx.toutes_verticals().await;
    match cas_approbation::decider(&ctx.ports(), &verticals, id, &champs, connecte.id()).await {
        Ok(d) => prive(vers(&format!("/admin/approbations?ok=1#pro-{}", d.pro.id))),
        Err(ErreurApprobation::Interne(d)) => erreurs::interne(None, d).await,
        Err(ErreurApprobation::Introuvable) => prive(erreurs::page(
            None,
            404,
            "Introuvable",
            "Ce professionnel n'existe pas.",
        )),
        Err(e) => {
            let p = Problem::from(&e);
            let message = match &e {
                ErreurApprobation::Champs(erreurs) => erreurs
                    .iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => p.message.clone(),
            };
            page_approbations(ctx, req, Some((pro_id, &motif, message)), p.status).await
        }
    }
}

fn page_vertical(
    c: &csrf::Csrf,
    slug: &str,
    document: String,
    erreur: Option<String>,
    info: Option<String>,
    status: u16,
) -> Response {
    let page = AdminVerticalPage {
        csrf: c.jeton.clone(),
        slug: slug.to_owned(),
        document,
        erreur,
        info,
    };
    prive(c.sur(rendered(page.render(), None, status)))
}

pub async fn vertical(ctx: &Ctx<'_>, req: &Request, slug: &str) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    let c = csrf::preparer(ctx, req);
    match operations::document(&ctx.ports(), slug).await {
        Ok(d) => page_vertical(&c, slug, d, None, None, 200),
        Err(e) => erreur(e).await,
    }
}

pub async fn modifier_vertical(ctx: &Ctx<'_>, req: &Request, slug: &str) -> Response {
    let connecte = match entrer(ctx, req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let champs = req.form();
    let c = csrf::preparer(ctx, req);
    let document = champs
        .iter()
        .find(|(k, _)| k == "document")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    if !csrf::verifier(ctx, req, &champs) {
        return page_vertical(
            &c,
            slug,
            document,
            Some("la page a expiré ; renvoyez le formulaire".into()),
            None,
            403,
        );
    }
    match operations::modifier_vertical(&ctx.ports(), slug, &document, connecte.id())
        .await
        .inspect(|_| ctx.verticals.invalidate())
    {
        Ok(_) => page_vertical(
            &c,
            slug,
            document,
            None,
            Some("Document valide, enregistré dans l'historique des configurations.".into()),
            200,
        ),
        Err(ErreurAdmin::DocumentInvalide(raison)) => {
            page_vertical(&c, slug, document, Some(raison), None, 422)
        }
        Err(e) => erreur(e).await,
    }
}

pub async fn reservations(ctx: &Ctx<'_>, req: &Request) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    let f = filtre(req);
    let lignes = match admin::reservations(ctx.db, f.as_deref(), 500).await {
        Ok(l) => l,
        Err(e) => return erreurs::interne(None, e).await,
    };
    let page = AdminReservationsPage {
        verticals: slugs(ctx).await,
        filtre: f.unwrap_or_default(),
        reservations: lignes
            .into_iter()
            .map(|r| ReservationLigne {
                quand: format::date_et_heure(
                    &r.date_heure.with_timezone(&planning::fuseau(&r.fuseau)),
                ),
                id: r.id,
                vertical: r.vertical,
                professionnel: r.professionnel,
                service: r.service,
                client: format!("{} <{}>", r.client_nom, r.client_email),
                statut_libelle: format::statut_libelle(r.statut, Pour::Professionnel).to_owned(),
                prix: format::euros(r.prix_centimes.get()),
                paiements: r.paiements.unwrap_or_default(),
            })
            .collect(),
    };
    prive(rendered(page.render(), None, 200))
}

/// The reported reviews, with the decision form of `reprise` (the review's id, the reason
/// typed and the refusal) sent back.
async fn page_avis(
    ctx: &Ctx<'_>,
    req: &Request,
    reprise: Option<(i64, String, String)>,
    status: u16,
) -> Response {
    let liste = match avis::signales(ctx.db).await {
        Ok(l) => l,
        Err(e) => return erreurs::interne(None, e).await,
    };
    let c = csrf::preparer(ctx, req);
    let page = AdminAvisPage {
        csrf: c.jeton.clone(),
        avis: liste
            .iter()
            .map(|s| {
                let tz = planning::fuseau(&s.fuseau);
                let mut ligne = AvisLigne::new(&s.avis, tz, &s.vertical, &s.professionnel);
                if let Some((_, saisie, erreur)) = reprise.as_ref().filter(|r| r.0 == s.avis.id) {
                    (ligne.saisie, ligne.erreur) = (saisie.clone(), Some(erreur.clone()));
                }
                ligne
            })
            .collect(),
        info: req
            .query_param("ok")
            .map(|_| "Décision enregistrée.".to_owned()),
    };
    prive(c.sur(rendered(page.render(), None, status)))
}

/// `GET /admin/avis`: the reported reviews awaiting a decision.
pub async fn avis_signales(ctx: &Ctx<'_>, req: &Request) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    page_avis(ctx, req, None, 200).await
}

/// `POST /admin/avis/{id}/{decision}`: keeps (`maintenir`) or removes (`retirer`) a
/// reported review, with a reason.
pub async fn moderer_avis(ctx: &Ctx<'_>, req: &Request, id: &str, decision: &str) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    let champs = req.form();
    if !csrf::verifier(ctx, req, &champs) {
        return prive(erreurs::page(
            None,
            403,
            "Page expirée",
            "La page a expiré. Rechargez-la et recommencez.",
        ));
    }
    let motif = champs
        .iter()
        .find(|(k, _)| k == "motif")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    match avis_cas::moderer(&ctx.ports(), id, decision, &motif).await {
        Ok(_) => prive(vers("/admin/avis?ok=1")),
        Err(e @ (ErreurAvis::Motif(_) | ErreurAvis::PasSignale)) => {
            let p = Problem::from(&e);
            let aid = Identifiant::parse(id).map_or(0, Identifiant::get);
            page_avis(ctx, req, Some((aid, motif, p.message)), p.status).await
        }
        Err(ErreurAvis::Interne(d)) => erreurs::interne(None, d).await,
        Err(e) => {
            let p = Problem::from(&e);
            prive(erreurs::page(
                None,
                p.status,
                "Action impossible",
                &p.message,
            ))
        }
    }
}
