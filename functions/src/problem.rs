//! API errors as `application/problem+json` (RFC 9457), with a stable machine code and
//! a French message. Internal errors are logged with their detail and never shown.

use serde_json::json;

use booking_shared::vertical::ErreurChamp;

use crate::http::Response;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub status: u16,
    /// Stable, machine-readable: clients branch on it.
    pub code: &'static str,
    /// French, for people.
    pub message: String,
    /// The input field at fault, when there is one.
    pub champ: Option<String>,
    /// Every field error at once, for a form to show next to each field.
    pub erreurs: Vec<ErreurChamp>,
}

impl Problem {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            status,
            code,
            message: message.into(),
            champ: None,
            erreurs: Vec::new(),
        }
    }

    pub fn with_errors(mut self, erreurs: Vec<ErreurChamp>) -> Problem {
        self.erreurs = erreurs;
        self
    }

    pub fn on_field(mut self, champ: impl Into<String>) -> Problem {
        self.champ = Some(champ.into());
        self
    }

    pub fn not_found() -> Problem {
        Problem::new(404, "introuvable", "La ressource demandée n'existe pas.")
    }

    /// For failures that are ours: the detail goes to the log, the client gets a generic text.
    pub fn internal(detail: impl std::fmt::Display) -> Problem {
        crate::log::line(json!({ "niveau": "erreur", "erreur": detail.to_string() }));
        Problem::new(
            500,
            "erreur_interne",
            "Une erreur interne est survenue. Réessayez dans quelques instants.",
        )
    }

    pub fn into_response(self) -> Response {
        let mut body = json!({
            "type": format!("https://booking-multisite.fr/problemes/{}", self.code),
            "title": self.message,
            "status": self.status,
            "code": self.code,
        });
        if let Some(champ) = &self.champ {
            body["champ"] = json!(champ);
        }
        if !self.erreurs.is_empty() {
            body["erreurs"] = json!(self.erreurs);
        }
        Response::new(self.status, "application/problem+json", body.to_string())
    }
}
