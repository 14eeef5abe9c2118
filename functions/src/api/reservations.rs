//! `POST /api/v1/reservations`, `POST /api/v1/reservations/{id}/confirmer` (a guest's
//! request, with the secret of the e-mail's link), `GET /api/v1/reservations/{id}`,
//! `POST /api/v1/reservations/{id}/annuler`, `POST /api/v1/reservations/{id}/deplacer`,
//! and the booking client's personal data: `GET /api/v1/reservations/{id}/donnees`,
//! `POST /api/v1/reservations/{id}/effacement`.
//!
//! The manage secret travels in the `X-Jeton-Gestion` header (or, for the two POSTs, in
//! the body's `token`), never in the address: addresses end up in logs, histories and
//! `Referer` headers.

use serde_json::{json, Map, Value};

use booking_shared::cas::donnees;
use booking_shared::cas::paiements::demarrer_paiement;
use booking_shared::cas::reservations::{self, Annuleur, Demandee, Dossier};
use booking_shared::dates;
use booking_shared::render::Site;
use booking_shared::reservation::{DemandeBrute, StatutReservation};
use booking_shared::store::planning::fuseau;
use booking_shared::types::Identifiant;
use booking_shared::vertical::VerticalConfig;

use super::{corps_json, ok, vertical};
use crate::app::Ctx;
use crate::erreurs::reponse_reservation;
use crate::http::Params;
use crate::http::{Request, Response};
use crate::pages::site_for;
use crate::problem::Problem;

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsReservation {
        professionnel: String,
        service: Identifiant,
        /// The member chosen (absent: "peu importe").
        membre: Option<Identifiant> = defaut,
        debut: String,
        nom: String,
        email: String,
        telephone: String,
        message: String = defaut,
        reponses: Map<String, Value> = defaut,
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsAnnulation {
        token: Option<String>,
        motif: Option<String>,
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsConfirmation {
        token: String,
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsDeplacement {
        token: Option<String>,
        debut: String,
    }
}

/// The manage page of a booking, on the vertical's domain.
pub(crate) fn lien_gestion(site: &Site, id: &str, jeton: &str) -> String {
    reservations::lien_gestion(&site.base_url, id, jeton)
}

fn instant(instant: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> String {
    dates::rfc3339(&instant.with_timezone(&tz))
}

pub fn reservation_json(dossier: &Dossier, lien: &str) -> Value {
    let r = &dossier.reservation;
    let tz = fuseau(&dossier.professionnel.fuseau);
    let reponses: Value =
        serde_json::from_str(&r.reponses).unwrap_or_else(|_| booking_shared::objet!({}));
    json!({
        "id": r.id,
        "statut": r.statut,
        "debut": instant(r.date_heure, tz),
        "fin": instant(r.fin, tz),
        "fuseau": tz.name(),
        "professionnel": { "slug": dossier.professionnel.slug, "nom": dossier.professionnel.nom, "ville": dossier.professionnel.ville },
        "service": super::professionnels::service_json(&dossier.service),
        "client": { "nom": r.client_nom, "email": r.client_email, "telephone": r.client_telephone },
        "message": r.message,
        "reponses": reponses,
        "prix_centimes": r.prix_centimes,
        "a_payer_centimes": r.a_payer_centimes,
        "membre": r.membre_id,
        "membre_nom": r.membre_nom,
        "ressource_nom": r.ressource_nom,
        "paiement_requis": r.statut == StatutReservation::EnAttentePaiement,
        "confirmation_requise": r.statut == StatutReservation::EnAttenteConfirmation,
        "expire_a": r.expire_at.map(|e| instant(e, tz)),
        "annulee_par": r.annulee_par,
        "motif_annulation": r.motif_annulation,
        "lien_gestion": lien,
    })
}

pub async fn creer(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let vertical = vertical(ctx, req).await?;
    let corps: CorpsReservation = corps_json(req)?;
    let site = site_for(&vertical, req);
    let demandee = Demandee {
        user_id: crate::comptes::utilisateur_courant(ctx, req)
            .await
            .map(|c| c.id()),
        source: crate::comptes::session::source(req),
        base_url: site.base_url.clone(),
        professionnel: corps.professionnel,
        service_id: corps.service.get(),
        membre: corps.membre.map(Identifiant::get),
        debut: corps.debut,
        demande: DemandeBrute {
            nom: corps.nom,
            email: corps.email,
            telephone: corps.telephone,
            message: corps.message,
            reponses: corps.reponses,
        },
    };
    let creee = match reservations::reserver(&ctx.ports(), &vertical, &demandee).await {
        Ok(creee) => creee,
        // A limit's refusal carries its Retry-After.
        Err(e) => return Ok(reponse_reservation(&e)),
    };
    // When payment is due online: the Stripe Checkout page to send the client to. If it
    // cannot be opened, the booking has been undone and its slot released.
    let paiement_url = demarrer_paiement(&ctx.ports(), &site.base_url, &creee).await?;
    let site = site_for(&vertical, req);
    let lien = lien_gestion(
        &site,
        creee.dossier.reservation.id.as_str(),
        creee.jeton.as_str(),
    );
    let mut body = reservation_json(&creee.dossier, &lien);
    body["token"] = json!(creee.jeton.as_str());
    body["token_entete"] = json!(ENTETE_JETON);
    body["token_usage"] = json!(format!(
        "Gardez ce jeton : il n'est montré qu'ici. Envoyez-le dans l'en-tête {ENTETE_JETON} pour lire (GET /api/v1/reservations/{{id}}), annuler (POST …/annuler) ou déplacer (POST …/deplacer) la réservation ; jamais dans l'adresse. Le lien_gestion, envoyé aussi par e-mail, l'échange contre un cookie à sa première ouverture."
    ));
    body["paiement_url"] = json!(paiement_url);
    Ok(ok(201, &body).with_header(
        "location",
        format!("/api/v1/reservations/{}", creee.dossier.reservation.id),
    ))
}

/// The owner of a guest's request confirms it with the secret of the e-mail's link; the
/// answer carries the manage link.
pub async fn confirmer(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Result<Response, Problem> {
    let vertical = vertical(ctx, req).await?;
    let corps: CorpsConfirmation = corps_json(req)?;
    let site = site_for(&vertical, req);
    let confirmee = reservations::confirmer(
        &ctx.ports(),
        &vertical,
        params.get("id").unwrap_or(""),
        &corps.token,
        &site.base_url,
    )
    .await?;
    let lien = lien_gestion(
        &site,
        confirmee.dossier.reservation.id.as_str(),
        confirmee.jeton.as_str(),
    );
    Ok(ok(200, &reservation_json(&confirmee.dossier, &lien)))
}

/// The header that carries a booking's manage secret.
pub const ENTETE_JETON: &str = "X-Jeton-Gestion";

/// The manage secret of the request: the header, else the body's `token`. Missing (or
/// only in the address, which is refused): 401 saying where to put it.
pub(crate) fn jeton(req: &Request, dans_le_corps: Option<String>) -> Result<String, Problem> {
    let non_vide = |j: String| Some(j.trim().to_owned()).filter(|j| !j.is_empty());
    if let Some(jeton) = req
        .header(ENTETE_JETON)
        .map(str::to_owned)
        .and_then(non_vide)
        .or_else(|| dans_le_corps.and_then(non_vide))
    {
        return Ok(jeton);
    }
    let message = if req.query_param("token").is_some() {
        format!("Le jeton de gestion ne se passe pas dans l'adresse : envoyez-le dans l'en-tête {ENTETE_JETON}.")
    } else {
        format!("Envoyez le jeton de gestion de la réservation dans l'en-tête {ENTETE_JETON}.")
    };
    Err(Problem::new(401, "jeton_gestion_manquant", message).on_field(ENTETE_JETON))
}

pub(crate) async fn dossier(
    ctx: &Ctx<'_>,
    vertical: &VerticalConfig,
    params: &Params,
    jeton: &str,
) -> Result<Dossier, Problem> {
    reservations::charger_avec_jeton(
        &ctx.ports(),
        vertical,
        params.get("id").unwrap_or(""),
        jeton,
    )
    .await
    .map_err(Problem::from)
}

pub async fn lire(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Result<Response, Problem> {
    let vertical = vertical(ctx, req).await?;
    let jeton = jeton(req, None)?;
    let dossier = dossier(ctx, &vertical, params, &jeton).await?;
    let lien = lien_gestion(
        &site_for(&vertical, req),
        dossier.reservation.id.as_str(),
        &jeton,
    );
    Ok(ok(200, &reservation_json(&dossier, &lien)))
}

pub async fn annuler(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Result<Response, Problem> {
    let vertical = vertical(ctx, req).await?;
    let corps: CorpsAnnulation = corps_json(req)?;
    let jeton = jeton(req, corps.token)?;
    let dossier = dossier(ctx, &vertical, params, &jeton).await?;
    let reservations::Annulee {
        dossier,
        remboursable,
        remboursement,
    } = reservations::annuler(
        &ctx.ports(),
        &vertical,
        dossier,
        Annuleur::Client { motif: corps.motif },
    )
    .await?;
    let lien = lien_gestion(
        &site_for(&vertical, req),
        dossier.reservation.id.as_str(),
        &jeton,
    );
    let mut body = reservation_json(&dossier, &lien);
    body["remboursable"] = json!(remboursable);
    body["remboursement"] = remboursement.json();
    Ok(ok(200, &body))
}

pub async fn deplacer(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Result<Response, Problem> {
    let vertical = vertical(ctx, req).await?;
    let corps: CorpsDeplacement = corps_json(req)?;
    let jeton = jeton(req, corps.token)?;
    let dossier = dossier(ctx, &vertical, params, &jeton).await?;
    let dossier =
        reservations::deplacer(&ctx.ports(), &vertical, dossier, &corps.debut, Some(&jeton))
            .await?;
    let lien = lien_gestion(
        &site_for(&vertical, req),
        dossier.reservation.id.as_str(),
        &jeton,
    );
    Ok(ok(200, &reservation_json(&dossier, &lien)))
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsEffacement {
        token: Option<String>,
        renoncer_remboursement: bool = defaut,
    }
}

/// All the data of the booking's client, as a JSON file (`GET …/donnees`).
pub async fn donnees(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Result<Response, Problem> {
    let vertical = vertical(ctx, req).await?;
    let jeton = jeton(req, None)?;
    let dossier = dossier(ctx, &vertical, params, &jeton).await?;
    let export = donnees::exporter_reservation(&ctx.ports(), &dossier).await?;
    Ok(crate::donnees::telechargement(
        &export,
        "mes-donnees-reservation.json",
    ))
}

/// Erases the booking's client (`POST …/effacement`): cancelled first under the rules
/// when still to come, then anonymised; the manage secret opens nothing afterwards.
pub async fn effacer(ctx: &Ctx<'_>, req: &Request, params: &Params) -> Result<Response, Problem> {
    let vertical = vertical(ctx, req).await?;
    let corps: CorpsEffacement = corps_json(req)?;
    let jeton = jeton(req, corps.token)?;
    let dossier = dossier(ctx, &vertical, params, &jeton).await?;
    let effacement = donnees::effacer_reservation(
        &ctx.ports(),
        &vertical,
        dossier,
        corps.renoncer_remboursement,
    )
    .await?;
    Ok(ok(
        200,
        &crate::donnees::effacement_json(&effacement, crate::donnees::RESERVATION_EFFACEE),
    ))
}
