//! The JSON API, `/api/v1`: problem+json errors with a stable code, a field and a French
//! message.

pub mod creneaux;
pub mod liste_attente;
pub mod professionnels;
pub mod reservations;

use std::rc::Rc;

use chrono::NaiveDate;
use serde_json::Value;

use booking_shared::dates;
use booking_shared::json;
use booking_shared::vertical::VerticalConfig;

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::problem::Problem;

/// Largest JSON body accepted.
pub const CORPS_MAX: usize = 64 * 1024;

/// The vertical of the request's host; the API exists only on a vertical's domain.
pub async fn vertical(ctx: &Ctx<'_>, req: &Request) -> Result<Rc<VerticalConfig>, Problem> {
    ctx.vertical_for(req).await.ok_or_else(|| {
        Problem::new(
            404,
            "vertical_inconnu",
            "Ce domaine ne correspond à aucun site de réservation.",
        )
    })
}

/// Reads a JSON body into `T`: 415 for another content type, 413 when too large, 400 when
/// it is not JSON, 422 naming the member when a value has the wrong type, is missing or
/// unknown. Only the taking of `T`'s members is compiled per type (see [`json::Corps`]).
pub fn corps_json<T: json::Corps>(req: &Request) -> Result<T, Problem> {
    let texte = texte_json(req)?;
    json::lire_corps(texte).map_err(probleme_de_lecture)
}

/// The body as the text of a JSON object, or the problem that says why it is not one.
fn texte_json(req: &Request) -> Result<&str, Problem> {
    let content_type = req.header("content-type").unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("application/json") {
        return Err(Problem::new(
            415,
            "type_de_contenu_non_supporte",
            "Le corps de la requête doit être du JSON (Content-Type: application/json).",
        ));
    }
    if req.body.len() > CORPS_MAX {
        return Err(Problem::new(
            413,
            "corps_trop_volumineux",
            "Le corps de la requête est trop volumineux.",
        ));
    }
    let texte = std::str::from_utf8(&req.body).map_err(|_| json_invalide())?;
    if !texte.trim_start().starts_with('{') {
        return Err(match serde_json::from_str::<serde::de::IgnoredAny>(texte) {
            Ok(_) => Problem::new(
                400,
                "json_invalide",
                "Le corps de la requête doit être un objet JSON.",
            ),
            Err(_) => json_invalide(),
        });
    }
    Ok(texte)
}

fn json_invalide() -> Problem {
    Problem::new(
        400,
        "json_invalide",
        "Le corps de la requête n'est pas un JSON valide.",
    )
}

/// 422 naming the member when a value has the wrong type, is missing or unknown; 400 when
/// the text is not a JSON object after all.
fn probleme_de_lecture(erreur: json::ErreurCorps) -> Problem {
    let (message, champ) = match erreur {
        json::ErreurCorps::Syntaxe => return json_invalide(),
        json::ErreurCorps::Manquant(nom) => (format!("Le champ « {nom} » est obligatoire."), nom),
        json::ErreurCorps::Inconnu(nom) => (format!("Le champ « {nom} » n'est pas reconnu."), nom),
        json::ErreurCorps::Type(chemin) => (
            format!("Le champ « {chemin} » n'a pas le bon type."),
            chemin,
        ),
    };
    Problem::new(422, "type_invalide", message).on_field(champ)
}

pub fn ok(status: u16, value: &Value) -> Response {
    Response::json(status, value).with_header("cache-control", "no-store")
}

pub fn parametre_invalide(champ: &str, message: impl Into<String>) -> Problem {
    Problem::new(422, "parametre_invalide", message).on_field(champ)
}

/// A date parameter of the query (`AAAA-MM-JJ`), if given.
pub fn date(req: &Request, nom: &str) -> Result<Option<NaiveDate>, Problem> {
    match req.query_param(nom) {
        None => Ok(None),
        Some(v) => dates::lire_date(v.trim()).map(Some).ok_or_else(|| {
            parametre_invalide(nom, format!("« {nom} » doit être une date AAAA-MM-JJ."))
        }),
    }
}
