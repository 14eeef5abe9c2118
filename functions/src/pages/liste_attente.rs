//! The waitlist's pages (no JavaScript):
//! - `/professionnels/{slug}/liste-attente`: the form to join the line (CSRF like every
//!   form); a refusal re-renders it with the French message;
//! - `/liste-attente?token=`: the entry's e-mailed link — confirm it, or leave the list;
//! - `/reservations/{id}/offre?token=`: the offer's e-mailed link — take the slot held
//!   for the client, decline it, or leave the list.
//!
//! Opening a link changes nothing (mail scanners open links): its first visit moves the
//! secret out of the address into an HttpOnly cookie on the page's path and comes back
//! (303) without it, like the other e-mailed links; the page's buttons POST the choice.

use std::rc::Rc;

use askama::Template;

use booking_shared::cas::liste_attente::{self, Complement, Fiche, Inscrire};
use booking_shared::cas::paiements::demarrer_paiement;
use booking_shared::cas::reservations::{charger_avec_jeton, Creee, Dossier, ErreurReservation};
use booking_shared::render::{
    champs_offre, format, BoutonVue, ChampVue, DemandeVue, FormulaireVue, ListeAttentePage, Seo,
    Site,
};
use booking_shared::reservation::StatutReservation;
use booking_shared::store::professionnels::{self, Professionnel};
use booking_shared::store::services;
use booking_shared::types::{JetonGestion, StatutInscription};
use booking_shared::vertical::{ErreurChamp, VerticalConfig};

use super::confirmer::par_secret_garde;
use super::reserver::{reponses_du_formulaire, valeur};
use super::{cache, erreurs, gestion, site_for};
use crate::app::Ctx;
use crate::csrf;
use crate::http::{Params, Request, Response};
use crate::liens::{self, Portee};
use crate::problem::Problem;

const COOKIE_INSCRIPTION: &str = "liste_attente";
const CHEMIN_INSCRIPTION: &str = "/liste-attente";
const COOKIE_OFFRE: &str = "offre";
const EXPIRE: &str = "Ce formulaire a expiré ou n'a pas été envoyé depuis ce site : rien n'a changé. Appuyez à nouveau sur le bouton.";

/// The vertical of the request's host and its site, or the 404 page.
async fn ouvrir(ctx: &Ctx<'_>, req: &Request) -> Result<(Rc<VerticalConfig>, Site), Response> {
    match ctx.vertical_for(req).await {
        Some(vertical) => {
            let site = site_for(&vertical, req);
            Ok((vertical, site))
        }
        None => Err(erreurs::introuvable(ctx, req).await),
    }
}

/// What a page of a link shows: its title, text, summary and buttons.
struct Choix {
    titre: &'static str,
    description: &'static str,
    paragraphes: Vec<String>,
    recap: Vec<(String, String)>,
    action: String,
    boutons: Vec<BoutonVue>,
    champs: Vec<ChampVue>,
    formulaire: Option<FormulaireVue>,
}

fn afficher_choix(
    ctx: &Ctx<'_>,
    req: &Request,
    site: &Site,
    choix: Choix,
    erreur: Option<String>,
    status: u16,
) -> Response {
    let jeton = csrf::preparer(ctx, req);
    let page = ListeAttentePage {
        site,
        seo: Seo::page(site, choix.titre, choix.description, &choix.action).prive(),
        titre: choix.titre.to_owned(),
        paragraphes: choix.paragraphes,
        recap: choix.recap,
        action: choix.action,
        csrf: jeton.jeton.clone(),
        boutons: choix.boutons,
        champs: choix.champs,
        formulaire: choix.formulaire,
        erreur,
    };
    cache::privee(jeton.sur(erreurs::rendered(page.render(), Some(site), status)))
}

/// The site and the professional of the form (`slug`), if public on it and its vertical
/// keeps a waitlist.
async fn professionnel(
    ctx: &Ctx<'_>,
    req: &Request,
    params: &Params,
) -> Result<(Rc<VerticalConfig>, Site, Professionnel), Response> {
    let (vertical, site) = ouvrir(ctx, req).await?;
    if !vertical.liste_attente().actif {
        return Err(erreurs::introuvable(ctx, req).await);
    }
    let slug = params.get("slug").unwrap_or("");
    match professionnels::public_par_slug(ctx.db, vertical.slug(), slug).await {
        Ok(Some(pro)) => Ok((vertical, site, pro)),
        Ok(None) => Err(erreurs::introuvable(ctx, req).await),
        Err(e) => Err(erreurs::interne(Some(&site), e).await),
    }
}

/// The form to join the line, with the values entered and what went wrong.
async fn afficher_formulaire(
    ctx: &Ctx<'_>,
    req: &Request,
    (vertical, site, pro): (&VerticalConfig, &Site, &Professionnel),
    valeurs: &[(String, String)],
    erreur: Option<String>,
    status: u16,
) -> Response {
    let services = match services::actifs(ctx.db, &[pro.id]).await {
        Ok(s) => s,
        Err(e) => return erreurs::interne(Some(site), e).await,
    };
    let choisi = valeur(valeurs, "service");
    let formulaire = FormulaireVue {
        services: services
            .into_iter()
            .map(|s| {
                let oui = s.id.to_string() == choisi.trim();
                (s.id, s.nom, oui)
            })
            .collect(),
        du: valeur(valeurs, "du"),
        au: valeur(valeurs, "au"),
        nom: valeur(valeurs, "nom"),
        email: valeur(valeurs, "email"),
    };
    let choix = Choix {
        titre: "Liste d'attente",
        description: "Inscrivez-vous sur la liste d'attente.",
        paragraphes: vec![format!(
            "Aucun créneau libre ne vous convient chez {} ? Inscrivez-vous : dès qu'un créneau de la période choisie se libère, il est proposé par e-mail au premier inscrit, qui l'a pour lui seul pendant {} ; sinon il passe au suivant. Sans compte connecté dont l'adresse est vérifiée, un e-mail vous demandera d'abord de confirmer l'inscription.",
            pro.nom,
            format::duree(i64::from(vertical.liste_attente().duree_offre_minutes))
        )],
        recap: Vec::new(),
        action: format!("/professionnels/{}/liste-attente", pro.slug),
        boutons: Vec::new(),
        champs: Vec::new(),
        formulaire: Some(formulaire),
    };
    afficher_choix(ctx, req, site, choix, erreur, status)
}

/// `GET /professionnels/{slug}/liste-attente[?service=]`.
pub async fn formulaire(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let (vertical, site, pro) = match professionnel(ctx, req, params).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let valeurs: Vec<(String, String)> = req
        .query_param("service")
        .map(|s| ("service".to_owned(), s))
        .into_iter()
        .collect();
    afficher_formulaire(ctx, req, (&vertical, &site, &pro), &valeurs, None, 200).await
}

/// `POST /professionnels/{slug}/liste-attente`: joins through the same use case as the
/// API; a refusal re-renders the form with its message.
pub async fn inscrire(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let (vertical, site, pro) = match professionnel(ctx, req, params).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let valeurs = req.form();
    if !csrf::verifier(ctx, req, &valeurs) {
        let message = "Ce formulaire a expiré ou n'a pas été envoyé depuis ce site. Vérifiez vos informations et envoyez-le à nouveau.";
        return afficher_formulaire(
            ctx,
            req,
            (&vertical, &site, &pro),
            &valeurs,
            Some(message.into()),
            403,
        )
        .await;
    }
    let demande = Inscrire {
        user_id: crate::comptes::session::par_cookie(ctx, req)
            .await
            .map(|c| c.id()),
        source: crate::comptes::session::source(req),
        base_url: site.base_url.clone(),
        professionnel: pro.slug.clone(),
        service_id: valeur(&valeurs, "service").trim().parse().unwrap_or(0),
        du: Some(valeur(&valeurs, "du")),
        au: Some(valeur(&valeurs, "au")),
        nom: valeur(&valeurs, "nom"),
        email: valeur(&valeurs, "email"),
    };
    let refus = match liste_attente::inscrire(&ctx.ports(), &vertical, &demande).await {
        Ok(inscription) => {
            let message = if inscription.attente.statut == StatutInscription::AConfirmer {
                "Un e-mail vient de vous être envoyé : ouvrez son lien pour confirmer votre inscription. Aucune proposition ne vous sera faite avant."
            } else {
                "Vous êtes sur la liste d'attente. Dès qu'un créneau de votre période se libère, il vous est proposé par e-mail."
            };
            return cache::privee(erreurs::page(
                Some(&site),
                200,
                "Inscription enregistrée",
                message,
            ));
        }
        Err(ErreurReservation::Interne(detail)) => {
            return erreurs::interne(Some(&site), detail).await
        }
        Err(e) => e,
    };
    let probleme = Problem::from(&refus);
    // The field errors, after the summary.
    let mut message = probleme.message;
    match &refus {
        ErreurReservation::Champs(champs) => {
            for c in champs {
                message.push(' ');
                message.push_str(&c.message);
            }
        }
        ErreurReservation::FenetreInvalide { message: m, .. } => {
            message = (*m).to_owned();
        }
        _ => {}
    }
    let page = afficher_formulaire(
        ctx,
        req,
        (&vertical, &site, &pro),
        &valeurs,
        Some(message),
        probleme.status,
    )
    .await;
    match refus.reessayer_dans() {
        Some(s) => page.with_header("retry-after", s.to_string()),
        None => page,
    }
}

fn portee_inscription() -> Portee<'static> {
    Portee {
        cookie: COOKIE_INSCRIPTION,
        chemin: CHEMIN_INSCRIPTION,
    }
}

/// A refusal as its page.
async fn refus(site: &Site, e: ErreurReservation) -> Response {
    let titre = match &e {
        ErreurReservation::Interne(detail) => return erreurs::interne(Some(site), detail).await,
        ErreurReservation::InscriptionIntrouvable => "Lien invalide",
        ErreurReservation::InscriptionClose => "Inscription close",
        ErreurReservation::OffreExpiree => "Proposition expirée",
        ErreurReservation::ReservationIntrouvable => "Proposition introuvable",
        _ => "Action impossible",
    };
    let probleme = Problem::from(&e);
    erreurs::page(Some(site), probleme.status, titre, &probleme.message)
}

fn page_inscription(
    ctx: &Ctx<'_>,
    req: &Request,
    site: &Site,
    fiche: &Fiche,
    erreur: Option<String>,
    status: u16,
) -> Response {
    let i = &fiche.inscription;
    let mut boutons = Vec::new();
    let en_ligne = matches!(
        i.attente.statut,
        StatutInscription::AConfirmer | StatutInscription::Active
    );
    if i.attente.statut == StatutInscription::AConfirmer {
        boutons.push(BoutonVue {
            action: "confirmer",
            libelle: "Confirmer mon inscription",
            principal: true,
        });
    }
    if en_ligne {
        boutons.push(BoutonVue {
            action: "quitter",
            libelle: "Quitter la liste d'attente",
            principal: i.attente.statut != StatutInscription::AConfirmer,
        });
    }
    let etat = match i.attente.statut {
        StatutInscription::AConfirmer => {
            "À confirmer : aucune proposition ne vous est faite avant."
        }
        StatutInscription::Active => "Sur la liste d'attente.",
        StatutInscription::Servie => "Terminée : un créneau proposé a été réservé.",
        StatutInscription::Quittee => "Vous avez quitté la liste.",
        StatutInscription::Expiree => "Terminée : la période est passée.",
    };
    let periode = match (&i.attente.du, &i.attente.au) {
        (Some(du), Some(au)) => format!("Du {du} au {au}"),
        _ => "Le plus tôt possible".to_owned(),
    };
    let choix = Choix {
        titre: "Votre inscription sur la liste d'attente",
        description: "Votre inscription sur la liste d'attente.",
        paragraphes: vec![
            "Dès qu'un créneau de votre période se libère, il est proposé par e-mail au premier inscrit, qui l'a pour lui seul pendant un temps limité.".into(),
        ],
        recap: vec![
            (
                site.textes.professionnel_singulier().to_owned(),
                format!("{}, {}", fiche.professionnel.nom, fiche.professionnel.ville),
            ),
            ("Prestation".into(), fiche.service.nom.clone()),
            ("Période".into(), periode),
            ("État".into(), etat.into()),
        ],
        action: CHEMIN_INSCRIPTION.into(),
        boutons,
        champs: Vec::new(),
        formulaire: None,
    };
    afficher_choix(ctx, req, site, choix, erreur, status)
}

/// The entry of the cookie of this page.
async fn fiche_par_cookie(
    ctx: &Ctx<'_>,
    req: &Request,
    vertical: &VerticalConfig,
) -> Result<Fiche, ErreurReservation> {
    let empreinte = liens::empreinte_prouvee(ctx, req, portee_inscription())
        .ok_or(ErreurReservation::InscriptionIntrouvable)?;
    liste_attente::par_empreinte(&ctx.ports(), vertical, &empreinte).await
}

/// `GET /liste-attente?token=`: the entry and its buttons.
pub async fn inscription(ctx: &Ctx<'_>, req: &Request) -> Response {
    let (vertical, site) = match ouvrir(ctx, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if let Some(jeton) = liens::secret_de_l_adresse(req, "token") {
        return match liste_attente::par_jeton(&ctx.ports(), &vertical, &jeton).await {
            Ok(fiche) => {
                let cookie = liens::cookie_portant(
                    ctx,
                    req,
                    portee_inscription(),
                    &fiche.inscription.attente.jeton_hash,
                );
                liens::vers_adresse_propre(req, "token", cookie)
            }
            Err(e) => refus(&site, e).await,
        };
    }
    match fiche_par_cookie(ctx, req, &vertical).await {
        Ok(fiche) => page_inscription(ctx, req, &site, &fiche, None, 200),
        Err(ErreurReservation::InscriptionIntrouvable) => {
            gestion::page_lien_requis(&site, "Confirmer ou gérer mon inscription")
        }
        Err(e) => refus(&site, e).await,
    }
}

/// `POST /liste-attente`: confirms the entry, or leaves the list.
pub async fn agir(ctx: &Ctx<'_>, req: &Request) -> Response {
    let (vertical, site) = match ouvrir(ctx, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let fiche = match fiche_par_cookie(ctx, req, &vertical).await {
        Ok(fiche) => fiche,
        Err(ErreurReservation::InscriptionIntrouvable) => {
            return gestion::page_lien_requis(&site, "Confirmer ou gérer mon inscription")
        }
        Err(e) => return refus(&site, e).await,
    };
    let champs = req.form();
    if !csrf::verifier(ctx, req, &champs) {
        return page_inscription(ctx, req, &site, &fiche, Some(EXPIRE.into()), 403);
    }
    let ports = ctx.ports();
    let (titre, message) = match valeur(&champs, "action").as_str() {
        "confirmer" => match liste_attente::confirmer(&ports, &vertical, fiche).await {
            Ok(_) => (
                "Inscription confirmée",
                "Vous êtes sur la liste d'attente. Dès qu'un créneau de votre période se libère, il vous est proposé par e-mail.",
            ),
            Err(e) => return refus(&site, e).await,
        },
        "quitter" => match liste_attente::quitter(&ports, &vertical, &fiche.inscription).await {
            Ok(()) => (
                "Vous avez quitté la liste d'attente",
                "Vous ne recevrez plus de proposition pour cette inscription.",
            ),
            Err(e) => return refus(&site, e).await,
        },
        _ => {
            let message = "Choisissez une action avec l'un des boutons.".to_owned();
            return page_inscription(ctx, req, &site, &fiche, Some(message), 422);
        }
    };
    cache::privee(erreurs::page(Some(&site), 200, titre, message))
}

fn chemin_offre(id: &str) -> String {
    format!("{}/offre", gestion::chemin_reservation(id))
}

/// The offer of one of the browser's offer cookies, with its secret.
async fn offre_par_cookie(
    ctx: &Ctx<'_>,
    vertical: &VerticalConfig,
    req: &Request,
    id: &str,
) -> Result<(Dossier, String), ErreurReservation> {
    let chemin = chemin_offre(id);
    let portee = Portee {
        cookie: COOKIE_OFFRE,
        chemin: &chemin,
    };
    par_secret_garde(
        req,
        portee,
        ErreurReservation::ReservationIntrouvable,
        async |jeton: &str| charger_avec_jeton(&ctx.ports(), vertical, id, jeton).await,
    )
    .await
}

/// What the offer's form was sent with, and what was wrong with it.
#[derive(Default)]
struct Saisie {
    valeurs: Vec<(String, String)>,
    erreurs: Vec<ErreurChamp>,
}

fn page_offre(
    ctx: &Ctx<'_>,
    req: &Request,
    (vertical, site): (&VerticalConfig, &Site),
    dossier: &Dossier,
    (saisie, erreur): (&Saisie, Option<String>),
    status: u16,
) -> Response {
    let r = &dossier.reservation;
    let demande = DemandeVue::new(r, &dossier.professionnel, &dossier.service);
    let ouverte = r.statut == StatutReservation::Offerte;
    let mut paragraphes = vec![if ouverte {
        format!(
            "Ce créneau s'est libéré et vous est réservé, à vous seul, jusqu'à {} : réservez-le, ou laissez-le à la personne suivante sur la liste.",
            demande.jusqua.clone().unwrap_or_default()
        )
    } else {
        "Cette proposition n'attend plus de réponse.".to_owned()
    }];
    if ouverte && r.a_payer_centimes.get() > 0 {
        paragraphes.push(format!(
            "{} sont à régler en ligne pour confirmer le rendez-vous.",
            format::euros(r.a_payer_centimes.get())
        ));
    }
    let boutons = if ouverte {
        vec![
            BoutonVue {
                action: "accepter",
                libelle: "Réserver ce créneau",
                principal: true,
            },
            BoutonVue {
                action: "decliner",
                libelle: "Laisser ce créneau",
                principal: false,
            },
            BoutonVue {
                action: "quitter",
                libelle: "Quitter la liste d'attente",
                principal: false,
            },
        ]
    } else {
        Vec::new()
    };
    let choix = Choix {
        titre: "Un créneau s'est libéré pour vous",
        description: "Le créneau proposé par la liste d'attente.",
        paragraphes,
        recap: vec![
            (
                site.textes.professionnel_singulier().to_owned(),
                format!("{}, {}", demande.pro_nom, demande.ville),
            ),
            (
                "Prestation".into(),
                format!("{} ({})", demande.service, demande.duree),
            ),
            ("Date".into(), demande.quand),
        ],
        action: chemin_offre(r.id.as_str()),
        boutons,
        champs: if ouverte {
            champs_offre(vertical.champs(), &saisie.valeurs, &saisie.erreurs)
        } else {
            Vec::new()
        },
        formulaire: None,
    };
    afficher_choix(ctx, req, site, choix, erreur, status)
}

/// `GET /reservations/{id}/offre?token=`: the slot offered and the buttons.
pub async fn offre(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let (vertical, site) = match ouvrir(ctx, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let id = params.get("id").unwrap_or("");
    let chemin = chemin_offre(id);
    let portee = Portee {
        cookie: COOKIE_OFFRE,
        chemin: &chemin,
    };
    if let Some(jeton) = liens::secret_de_l_adresse(req, "token") {
        let Some(jeton) = liens::secret_a_garder(&jeton) else {
            return refus(&site, ErreurReservation::ReservationIntrouvable).await;
        };
        return match charger_avec_jeton(&ctx.ports(), &vertical, id, &jeton).await {
            Ok(_) => {
                let duree = i64::from(vertical.liste_attente().duree_offre_minutes) * 60;
                liens::echanger_en_gardant(req, portee, &jeton, "token", duree)
            }
            Err(e) => refus(&site, e).await,
        };
    }
    match offre_par_cookie(ctx, &vertical, req, id).await {
        Ok((dossier, _)) => page_offre(
            ctx,
            req,
            (&vertical, &site),
            &dossier,
            (&Saisie::default(), None),
            200,
        ),
        Err(ErreurReservation::ReservationIntrouvable) => {
            gestion::page_lien_requis(&site, "Voir ce créneau")
        }
        Err(e) => refus(&site, e).await,
    }
}

/// `POST /reservations/{id}/offre`: takes the slot (then payment, or the booking's
/// confirmation page), declines it, or leaves the list.
pub async fn repondre(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Response {
    let (vertical, site) = match ouvrir(ctx, req).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let id = params.get("id").unwrap_or("");
    let (dossier, jeton) = match offre_par_cookie(ctx, &vertical, req, id).await {
        Ok(trouve) => trouve,
        Err(ErreurReservation::ReservationIntrouvable) => {
            return gestion::page_lien_requis(&site, "Voir ce créneau")
        }
        Err(e) => return refus(&site, e).await,
    };
    let mut saisie = Saisie {
        valeurs: req.form(),
        erreurs: Vec::new(),
    };
    let page = (&*vertical, &site);
    if !csrf::verifier(ctx, req, &saisie.valeurs) {
        return page_offre(
            ctx,
            req,
            page,
            &dossier,
            (&saisie, Some(EXPIRE.into())),
            403,
        );
    }
    let ports = ctx.ports();
    match valeur(&saisie.valeurs, "action").as_str() {
        "accepter" => {
            let complement = Complement {
                telephone: valeur(&saisie.valeurs, "telephone"),
                message: valeur(&saisie.valeurs, "message"),
                reponses: reponses_du_formulaire(&vertical, &saisie.valeurs),
            };
            let avant = dossier.clone();
            let dossier = match liste_attente::accepter(
                &ports,
                &vertical,
                dossier,
                (&jeton, complement),
                &site.base_url,
            )
            .await
            {
                Ok(d) => d,
                // The page again, with the values and the message under each field.
                Err(ErreurReservation::Champs(erreurs)) => {
                    saisie.erreurs = erreurs;
                    let message = "Certains champs sont à corriger : voir les messages sous chacun.";
                    return page_offre(ctx, req, page, &avant, (&saisie, Some(message.into())), 422);
                }
                Err(e) => return refus(&site, e).await,
            };
            let chemin = gestion::chemin_reservation(dossier.reservation.id.as_str());
            let cookie = liens::cookie_pour(
                ctx,
                req,
                Portee {
                    cookie: gestion::COOKIE,
                    chemin: &chemin,
                },
                &dossier.reservation.manage_token_hash,
            );
            let creee = Creee {
                dossier,
                jeton: JetonGestion::choisi(&jeton),
            };
            match demarrer_paiement(&ports, &site.base_url, &creee).await {
                Ok(Some(url)) => cache::voir_ailleurs(&url).with_cookie(cookie),
                Ok(None) => cache::voir_ailleurs(&format!("{chemin}/confirmation"))
                    .with_cookie(cookie),
                Err(e) => refus(&site, e).await,
            }
        }
        "decliner" => match liste_attente::decliner(&ports, &vertical, dossier).await {
            Ok(_) => cache::privee(erreurs::page(
                Some(&site),
                200,
                "Créneau laissé",
                "Le créneau est proposé à la personne suivante. Vous restez sur la liste d'attente pour les prochains créneaux qui se libèrent.",
            )),
            Err(e) => refus(&site, e).await,
        },
        "quitter" => {
            let sortie = match liste_attente::inscription_de_l_offre(
                &ports,
                dossier.reservation.id.as_str(),
            )
            .await
            {
                Ok(inscription) => liste_attente::quitter(&ports, &vertical, &inscription).await,
                Err(e) => Err(e),
            };
            match sortie {
                Ok(()) => cache::privee(erreurs::page(
                    Some(&site),
                    200,
                    "Vous avez quitté la liste d'attente",
                    "Le créneau est proposé à la personne suivante, et vous ne recevrez plus de proposition pour cette inscription.",
                )),
                Err(e) => refus(&site, e).await,
            }
        }
        _ => {
            let message = "Choisissez une action avec l'un des boutons.".to_owned();
            page_offre(ctx, req, page, &dossier, (&saisie, Some(message)), 422)
        }
    }
}
