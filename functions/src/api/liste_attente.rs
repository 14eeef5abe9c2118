//! The waitlist in the API: `POST /api/v1/professionnels/{slug}/liste-attente` (join),
//! `POST /api/v1/liste-attente` (confirm the entry or leave the list, with the secret of
//! its e-mail's link), and `POST /api/v1/reservations/{id}/offre` (take or decline the
//! slot offered, with the offer's manage secret).

use serde_json::{json, Map, Value};

use booking_shared::cas::liste_attente::{self, Complement, Inscrire};
use booking_shared::cas::paiements::demarrer_paiement;
use booking_shared::cas::reservations::Creee;
use booking_shared::types::{Identifiant, JetonGestion, StatutInscription};

use super::reservations::{dossier, jeton, lien_gestion, reservation_json};
use super::{corps_json, ok, vertical};
use crate::app::Ctx;
use crate::erreurs::reponse_reservation;
use crate::http::{Params, Request, Response};
use crate::pages::site_for;
use crate::problem::Problem;

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsInscription {
        service: Identifiant,
        du: Option<String>,
        au: Option<String>,
        nom: String,
        email: String,
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsInscriptionLien {
        token: String,
        action: String,
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsOffre {
        token: Option<String>,
        reponse: String,
        /// To take the offer: what a booking asks beyond the entry's name and address.
        telephone: String = defaut,
        message: String = defaut,
        reponses: Map<String, Value> = defaut,
    }
}

/// Joins the professional's line for a service (201): a guest's entry awaits the
/// confirmation sent to the address (`confirmation_requise`). The entry's secret travels
/// only by e-mail.
pub async fn inscrire(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Result<Response, Problem> {
    let vertical = vertical(ctx, req).await?;
    let corps: CorpsInscription = corps_json(req)?;
    let site = site_for(&vertical, req);
    let demande = Inscrire {
        user_id: crate::comptes::utilisateur_courant(ctx, req)
            .await
            .map(|c| c.id()),
        source: crate::comptes::session::source(req),
        base_url: site.base_url.clone(),
        professionnel: params.get("slug").unwrap_or("").to_owned(),
        service_id: corps.service.get(),
        du: corps.du,
        au: corps.au,
        nom: corps.nom,
        email: corps.email,
    };
    match liste_attente::inscrire(&ctx.ports(), &vertical, &demande).await {
        Ok(inscription) => Ok(ok(
            201,
            &booking_shared::objet!({
                "id": inscription.id,
                "statut": inscription.attente.statut.as_str(),
                "service": inscription.attente.service_id,
                "du": inscription.attente.du,
                "au": inscription.attente.au,
                "confirmation_requise": inscription.attente.statut == StatutInscription::AConfirmer,
            }),
        )),
        Err(e) => Ok(reponse_reservation(&e)),
    }
}

/// Confirms the entry (`action: confirmer`) or leaves the list (`action: quitter`).
pub async fn agir(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let vertical = vertical(ctx, req).await?;
    let corps: CorpsInscriptionLien = corps_json(req)?;
    let ports = ctx.ports();
    let fiche = liste_attente::par_jeton(&ports, &vertical, &corps.token).await?;
    let fiche = match corps.action.as_str() {
        "confirmer" => liste_attente::confirmer(&ports, &vertical, fiche).await?,
        "quitter" => {
            let mut fiche = fiche;
            liste_attente::quitter(&ports, &vertical, &fiche.inscription).await?;
            fiche.inscription.attente.statut = StatutInscription::Quittee;
            fiche
        }
        _ => {
            return Err(action_inconnue(
                "action",
                "« action » vaut « confirmer » ou « quitter ».",
            ))
        }
    };
    Ok(ok(200, &liste_attente::vue(&fiche)))
}

fn action_inconnue(champ: &str, message: &str) -> Problem {
    Problem::new(422, "action_inconnue", message).on_field(champ)
}

/// Takes (`reponse: accepter`, with `telephone`, `message` and `reponses` checked as a
/// booking's) or declines (`reponse: decliner`) the slot a waitlist offered: taken, the
/// booking is confirmed, or awaits payment (`paiement_url`).
pub async fn repondre(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Result<Response, Problem> {
    let vertical = vertical(ctx, req).await?;
    let corps: CorpsOffre = corps_json(req)?;
    let jeton = jeton(req, corps.token)?;
    let dossier = dossier(ctx, &vertical, params, &jeton).await?;
    let site = site_for(&vertical, req);
    let ports = ctx.ports();
    let (dossier, paiement_url) = match corps.reponse.as_str() {
        "accepter" => {
            let complement = Complement {
                telephone: corps.telephone,
                message: corps.message,
                reponses: corps.reponses,
            };
            let dossier = liste_attente::accepter(
                &ports,
                &vertical,
                dossier,
                (&jeton, complement),
                &site.base_url,
            )
            .await?;
            let creee = Creee {
                dossier,
                jeton: JetonGestion::choisi(&jeton),
            };
            let url = demarrer_paiement(&ports, &site.base_url, &creee).await?;
            (creee.dossier, url)
        }
        "decliner" => (
            liste_attente::decliner(&ports, &vertical, dossier).await?,
            None,
        ),
        _ => {
            return Err(action_inconnue(
                "reponse",
                "« reponse » vaut « accepter » ou « decliner ».",
            ))
        }
    };
    let lien = lien_gestion(&site, dossier.reservation.id.as_str(), &jeton);
    let mut body = reservation_json(&dossier, &lien);
    body["paiement_url"] = json!(paiement_url);
    Ok(ok(200, &body))
}
