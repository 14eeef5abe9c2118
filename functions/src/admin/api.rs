//! The admin's API (`Authorization: Bearer` of an admin).

use serde_json::{json, Value};

use booking_shared::cas::admin as operations;
use booking_shared::cas::approbation::{self, Dossier};
use booking_shared::cas::avis as avis_cas;
use booking_shared::comptes::Role;
use booking_shared::store::admin::{self, ProAdmin, ReservationAdmin};
use booking_shared::store::avis;
use booking_shared::types::StatutAvis;
use booking_shared::types::{Identifiant, StatutApprobation};

use crate::api::{corps_json, ok, parametre_invalide};
use crate::app::Ctx;
use crate::avis::{avis_json, CorpsMotif};
use crate::comptes::{exiger_api, instant_iso, Connecte};
use crate::http::{Request, Response};
use crate::problem::Problem;

async fn entrer(ctx: &Ctx<'_>, req: &Request) -> Result<Connecte, Response> {
    exiger_api(ctx, req, &[Role::Admin])
        .await
        .map_err(|r| r.reponse_api())
}

fn professionnel_json(p: &ProAdmin) -> Value {
    json!({
        "id": p.id, "vertical": p.vertical, "slug": p.slug, "nom": p.nom, "ville": p.ville,
        "public": p.public == 1, "email": p.email, "services_actifs": p.services_actifs,
        "created_at": instant_iso(p.created_at, &p.fuseau), "fuseau": p.fuseau,
        "approbation": p.approbation, "approbation_motif": p.approbation_motif,
    })
}

/// A professional of the approval queue: the listing's fields, when it was decided, what
/// the vertical requires, what the professional provided and what is still missing.
fn dossier_json(d: &Dossier) -> Value {
    let mut v = professionnel_json(&d.pro);
    let exigences: Vec<&str> = d.exigences.iter().map(|e| e.champ()).collect();
    v["approbation_at"] = json!(d.pro.approbation_at.map(|t| instant_iso(t, &d.pro.fuseau)));
    v["exigences"] = json!(exigences);
    v["justificatifs"] = json!({ "siret": d.pro.siret, "barreau": d.pro.barreau });
    v["manquants"] = json!(d.manquants);
    v
}

booking_shared::corps! {
    /// `POST /api/v1/admin/professionnels/{id}/approbation`.
    #[derive(Debug)]
    struct CorpsDecision {
        /// The decision as typed (`approuve`, `refuse`, `suspendu`), checked with the
        /// form's rules by the use case.
        decision as "statut": String,
        motif: Option<String>,
    }
}

fn reservation_json(r: &ReservationAdmin) -> Value {
    json!({
        "id": r.id, "vertical": r.vertical, "professionnel": r.professionnel, "service": r.service,
        "date_heure": instant_iso(r.date_heure, &r.fuseau), "fuseau": r.fuseau, "statut": r.statut,
        "client_nom": r.client_nom, "client_email": r.client_email,
        "prix_centimes": r.prix_centimes, "a_payer_centimes": r.a_payer_centimes,
        "paiements": r.paiements,
    })
}

fn filtre(req: &Request) -> Option<String> {
    req.query_param("vertical").filter(|v| !v.is_empty())
}

pub async fn professionnels(ctx: &Ctx<'_>, req: &Request) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    match admin::professionnels(ctx.db, filtre(req).as_deref()).await {
        Ok(p) => {
            let liste: Vec<Value> = p.iter().map(professionnel_json).collect();
            ok(200, &booking_shared::objet!({ "professionnels": liste }))
        }
        Err(e) => Problem::internal(e).into_response(),
    }
}

/// `GET /api/v1/admin/approbations?vertical=&statut=`: the queue, pending first.
pub async fn approbations(ctx: &Ctx<'_>, req: &Request) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    let statut = match req.query_param("statut").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match StatutApprobation::TOUS.iter().find(|t| t.as_str() == s) {
            Some(t) => Some(*t),
            None => {
                return parametre_invalide(
                    "statut",
                    "Le statut doit être en_attente, approuve, refuse ou suspendu.",
                )
                .into_response()
            }
        },
    };
    let verticals = ctx.toutes_verticals().await;
    match approbation::file(&ctx.ports(), &verticals, filtre(req).as_deref(), statut).await {
        Ok(file) => {
            let liste: Vec<Value> = file.iter().map(dossier_json).collect();
            ok(200, &booking_shared::objet!({ "professionnels": liste }))
        }
        Err(e) => Problem::from(e).into_response(),
    }
}

/// `POST /api/v1/admin/professionnels/{id}/approbation`: approve, refuse or suspend.
pub async fn decider(ctx: &Ctx<'_>, req: &Request, id: &str) -> Response {
    let connecte = match entrer(ctx, req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    // A wrong address is a 404 whatever was sent.
    if Identifiant::parse(id).is_none() {
        return Problem::not_found().into_response();
    }
    let corps: CorpsDecision = match corps_json(req) {
        Ok(c) => c,
        Err(p) => return p.into_response(),
    };
    let champs = vec![
        ("statut".to_owned(), corps.decision),
        ("motif".to_owned(), corps.motif.unwrap_or_default()),
    ];
    let verticals = ctx.toutes_verticals().await;
    match approbation::decider(&ctx.ports(), &verticals, id, &champs, connecte.id()).await {
        Ok(d) => ok(200, &dossier_json(&d)),
        Err(e) => Problem::from(e).into_response(),
    }
}

pub async fn vertical(ctx: &Ctx<'_>, req: &Request, slug: &str) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    match operations::document(&ctx.ports(), slug).await {
        Ok(d) => Response::new(200, "application/json", d).with_header("cache-control", "no-store"),
        Err(e) => Problem::from(e).into_response(),
    }
}

pub async fn modifier_vertical(ctx: &Ctx<'_>, req: &Request, slug: &str) -> Response {
    let connecte = match entrer(ctx, req).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let media = req
        .header("content-type")
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media != "application/json" {
        return Problem::new(
            415,
            "type_de_contenu_non_supporte",
            "Le corps de la requête doit être du JSON (Content-Type: application/json).",
        )
        .into_response();
    }
    // Malformed JSON is the same 400 as everywhere in the API; a well-formed document that
    // is not a valid configuration stays a 422 with the reason.
    if booking_shared::json::depuis_octets::<serde::de::IgnoredAny>(&req.body).is_err() {
        return Problem::new(
            400,
            "json_invalide",
            "Le corps de la requête n'est pas un JSON valide.",
        )
        .into_response();
    }
    let texte = String::from_utf8_lossy(&req.body).into_owned();
    match operations::modifier_vertical(&ctx.ports(), slug, &texte, connecte.id())
        .await
        .inspect(|_| ctx.verticals.invalidate())
    {
        Ok(config) => ok(
            200,
            &booking_shared::objet!({ "slug": config.slug(), "valide": true, "historise": true }),
        ),
        Err(e) => Problem::from(e).into_response(),
    }
}

pub async fn reservations(ctx: &Ctx<'_>, req: &Request) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    let limite = req
        .query_param("limite")
        .and_then(|l| l.parse::<i64>().ok())
        .unwrap_or(200)
        .clamp(1, 1000);
    match admin::reservations(ctx.db, filtre(req).as_deref(), limite).await {
        Ok(r) => {
            let liste: Vec<Value> = r.iter().map(reservation_json).collect();
            ok(200, &booking_shared::objet!({ "reservations": liste }))
        }
        Err(e) => Problem::internal(e).into_response(),
    }
}

/// `GET /api/v1/admin/avis`: the reported reviews awaiting a decision, oldest report
/// first.
pub async fn avis_signales(ctx: &Ctx<'_>, req: &Request) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    match avis::signales(ctx.db).await {
        Ok(liste) => {
            let avis: Vec<Value> = liste
                .iter()
                .map(|s| {
                    let mut a = avis_json(&s.avis, &s.fuseau);
                    a["vertical"] = json!(s.vertical);
                    a["professionnel"] = json!(s.professionnel);
                    a["signale_at"] = json!(instant_iso(s.signale_at, &s.fuseau));
                    a
                })
                .collect();
            ok(200, &booking_shared::objet!({ "avis": avis }))
        }
        Err(e) => Problem::internal(e).into_response(),
    }
}

/// `POST /api/v1/admin/avis/{id}/{decision}`: keeps (`maintenir`) or removes (`retirer`)
/// a reported review, with a reason (`{"motif": "…"}`).
pub async fn moderer_avis(ctx: &Ctx<'_>, req: &Request, id: &str, decision: &str) -> Response {
    if let Err(r) = entrer(ctx, req).await {
        return r;
    }
    let corps: CorpsMotif = match corps_json(req) {
        Ok(c) => c,
        Err(p) => return p.into_response(),
    };
    match avis_cas::moderer(&ctx.ports(), id, decision, &corps.motif).await {
        Ok(retire) => ok(
            200,
            &booking_shared::objet!({
                "id": Identifiant::parse(id).map_or(0, Identifiant::get),
                "statut": if retire { StatutAvis::Retire } else { StatutAvis::Publie }.as_str(),
            }),
        ),
        Err(e) => Problem::from(e).into_response(),
    }
}
