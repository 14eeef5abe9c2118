//! The professional's space as JSON (`Authorization: Bearer` of a professional). Bodies
//! use the same field names as the forms.

use chrono::NaiveDate;
use serde_json::{json, Value};

use booking_shared::comptes::saisies_pro::champs_depuis_json;
use booking_shared::comptes::Role;
use booking_shared::store::professionnels::Professionnel;
use booking_shared::store::{agenda, espace_pro, planning};

use super::operations::{self, ErreurPro};
use super::pages::debut_du_jour;
use super::EspaceProRoute as E;
use crate::api::{corps_json, ok};
use crate::app::Ctx;
use crate::comptes::exiger_api;
use crate::http::{Request, Response};
use crate::problem::Problem;

fn profil_json(p: &Professionnel) -> Value {
    json!({
        "id": p.id, "vertical": p.vertical, "slug": p.slug, "nom": p.nom, "bio": p.bio,
        "ville": p.ville, "region": p.region, "photo_url": p.photo_url,
        "prix_min": p.prix_min, "prix_max": p.prix_max, "public": p.public == 1, "fuseau": p.fuseau,
    })
}

async fn corps(req: &Request) -> Result<Vec<(String, String)>, Problem> {
    let valeur: Value = corps_json(req)?;
    Ok(champs_depuis_json(&valeur))
}

async fn horaires_json(ctx: &Ctx<'_>, pro: &Professionnel) -> Result<Value, ErreurPro> {
    Ok(json!({
        "disponibilites": espace_pro::disponibilites(ctx.db, pro.id).await?,
        "absences": espace_pro::absences(ctx.db, pro.id).await?,
    }))
}

async fn agenda_json(ctx: &Ctx<'_>, req: &Request, pro: &Professionnel) -> Result<Value, Problem> {
    let tz = planning::fuseau(&pro.fuseau);
    let date = |n: &str| {
        req.query_param(n)
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
    };
    let aujourdhui = ctx.clock.now().with_timezone(&tz).date_naive();
    let du = date("du").unwrap_or(aujourdhui);
    let au = date("au").unwrap_or(du + chrono::Duration::days(7));
    if au <= du || (au - du).num_days() > 62 {
        return Err(crate::api::parametre_invalide(
            "au",
            "La période doit aller de « du » à « au » (exclu), 62 jours au plus.",
        ));
    }
    let lignes = agenda::reservations(ctx.db, pro.id, debut_du_jour(tz, du), debut_du_jour(tz, au))
        .await
        .map_err(Problem::internal)?;
    Ok(
        json!({ "du": du.to_string(), "au": au.to_string(), "fuseau": tz.name(), "reservations": lignes }),
    )
}

pub async fn dispatch(ctx: &Ctx<'_>, req: &Request, route: E, id: &str, action: &str) -> Response {
    let connecte = match exiger_api(ctx, req, &[Role::Pro]).await {
        Ok(c) => c,
        Err(r) => return r.reponse_api(),
    };
    let pro = match operations::profil(ctx, &connecte).await {
        Ok(p) => p,
        Err(e) => return e.problem().into_response(),
    };
    let est_ecriture = !matches!(
        route,
        E::ApiProfil | E::ApiServices | E::ApiHoraires | E::ApiAgenda
    );
    let champs = if est_ecriture
        && !matches!(
            route,
            E::ApiRetirerService
                | E::ApiSupprimerOuverture
                | E::ApiSupprimerAbsence
                | E::ApiNouveauCalendrier
                | E::ApiRevoquerCalendrier
        ) {
        match corps(req).await {
            Ok(c) => c,
            Err(p) => return p.into_response(),
        }
    } else {
        Vec::new()
    };
    let champ = |n: &str| {
        champs
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let resultat: Result<(u16, Value), ErreurPro> = match route {
        E::ApiProfil => Ok((200, profil_json(&pro))),
        E::ApiModifierProfil => match operations::modifier_profil(ctx, &pro, &champs).await {
            Ok(()) => operations::profil(ctx, &connecte).await.map(|p| (200, profil_json(&p))),
            Err(e) => Err(e),
        },
        E::ApiServices => espace_pro::services(ctx.db, pro.id)
            .await
            .map(|s| (200, json!({ "services": s })))
            .map_err(ErreurPro::from),
        E::ApiAjouterService => operations::ajouter_service(ctx, &pro, &champs).await.map(|id| (201, json!({ "id": id }))),
        E::ApiModifierService => operations::modifier_service(ctx, &pro, id, &champs).await.map(|_| (200, json!({ "id": id }))),
        E::ApiRetirerService => operations::retirer_service(ctx, &pro, id).await.map(|_| (200, json!({ "id": id, "actif": false }))),
        E::ApiHoraires => horaires_json(ctx, &pro).await.map(|v| (200, v)),
        E::ApiModifierSemaine => match operations::remplacer_semaine(ctx, &pro, &champs).await {
            Ok(()) => horaires_json(ctx, &pro).await.map(|v| (200, v)),
            Err(e) => Err(e),
        },
        E::ApiAjouterOuverture => operations::ajouter_ouverture(ctx, &pro, &champs).await.map(|id| (201, json!({ "id": id }))),
        E::ApiSupprimerOuverture => operations::supprimer_ouverture(ctx, &pro, id).await.map(|_| (200, json!({ "supprime": true }))),
        E::ApiAjouterAbsence => operations::ajouter_absence(ctx, &pro, &champs).await.map(|id| (201, json!({ "id": id }))),
        E::ApiSupprimerAbsence => operations::supprimer_absence(ctx, &pro, id).await.map(|_| (200, json!({ "supprime": true }))),
        E::ApiAgenda => {
            return match agenda_json(ctx, req, &pro).await {
                Ok(v) => ok(200, &v),
                Err(p) => p.into_response(),
            }
        }
        E::ApiAgir => operations::agir(ctx, &pro, id, action, champ("motif")).await.map(|f| {
            let r = &f.dossier.reservation;
            (200, json!({ "id": r.id, "statut": r.statut, "motif_annulation": r.motif_annulation, "remboursement": f.remboursement }))
        }),
        E::ApiNouveauCalendrier => {
            let secret = crate::comptes::nouveau_secret(ctx);
            espace_pro::definir_calendrier(ctx.db, pro.id, Some(&crate::comptes::hash_secret(&secret)))
                .await
                .map(|_| {
                    let site = ctx_site(req);
                    (201, json!({ "url": format!("{site}/ical/{secret}.ics") }))
                })
                .map_err(ErreurPro::from)
        }
        E::ApiRevoquerCalendrier => espace_pro::definir_calendrier(ctx.db, pro.id, None)
            .await
            .map(|_| (200, json!({ "actif": false })))
            .map_err(ErreurPro::from),
        _ => Err(ErreurPro::Introuvable),
    };
    match resultat {
        Ok((status, v)) => ok(status, &v),
        Err(e) => e.problem().into_response(),
    }
}

fn ctx_site(req: &Request) -> String {
    req.origin()
}
