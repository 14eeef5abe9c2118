//! API errors as `application/problem+json` (RFC 9457), with a stable machine code and
//! a French message. An internal error keeps its cause chain for the log and never shows
//! it: the edge (`app::handle`) logs it once, with the request's line.

use serde_json::json;

use booking_shared::store::DbError;
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
    /// A 401 that asks for a Bearer token (`WWW-Authenticate: Bearer`).
    pub demande_bearer: bool,
    /// Why it failed, outermost first, for the log only (never serialised).
    pub cause: Vec<String>,
}

impl Problem {
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Problem {
        Problem {
            status,
            code,
            message: message.into(),
            champ: None,
            erreurs: Vec::new(),
            demande_bearer: false,
            cause: Vec::new(),
        }
    }

    /// Answers with `WWW-Authenticate: Bearer`.
    pub fn demandant_bearer(mut self) -> Problem {
        self.demande_bearer = true;
        self
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

    /// For failures that are ours: the client gets a generic text, the detail stays in
    /// [`Problem::cause`] for the edge's log.
    pub fn internal(detail: impl std::fmt::Display) -> Problem {
        Problem::interne_avec(vec![detail.to_string()])
    }

    /// [`Problem::internal`] for an error whose whole source chain goes to the log.
    pub fn interne_de(erreur: &dyn std::error::Error) -> Problem {
        Problem::interne_avec(chaine(erreur))
    }

    fn interne_avec(cause: Vec<String>) -> Problem {
        let mut problem = Problem::new(
            500,
            "erreur_interne",
            "Une erreur interne est survenue. Réessayez dans quelques instants.",
        );
        problem.cause = cause;
        problem
    }

    pub fn into_response(self) -> Response {
        let mut body = booking_shared::objet!({
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
        let response = Response::new(self.status, "application/problem+json", body.to_string())
            .with_cause(self.cause);
        if self.demande_bearer {
            return response.with_header("www-authenticate", "Bearer");
        }
        response
    }
}

impl From<Problem> for Response {
    fn from(problem: Problem) -> Response {
        problem.into_response()
    }
}

impl From<DbError> for Problem {
    fn from(e: DbError) -> Problem {
        Problem::interne_de(&e)
    }
}

/// An error and its sources, outermost first.
pub fn chaine(erreur: &dyn std::error::Error) -> Vec<String> {
    std::iter::successors(Some(erreur), |e| e.source())
        .map(ToString::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_problem_keeps_its_cause_for_the_log_and_never_shows_it() {
        let (response, lignes) = crate::log::capturer(|| {
            Problem::from(DbError::Other("disque plein".into())).into_response()
        });
        assert!(
            lignes.is_empty(),
            "the constructor logs nothing: {lignes:?}"
        );
        assert_eq!(response.status, 500);
        assert!(!response.text().contains("disque plein"));
        assert_eq!(
            response.cause,
            ["erreur de base de données : disque plein".to_owned()]
        );
    }
}
