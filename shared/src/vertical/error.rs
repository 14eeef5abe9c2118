//! The error of an invalid vertical document.

/// Why a vertical document was refused: the JSON path of the faulty field and a French
/// message for whoever edits the configuration.
///
/// `champ` is a path such as `regles.pas_minutes` or `champs[2].options`; `$` stands for the
/// document itself (malformed JSON, not an object).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{champ} : {message}")]
pub struct ConfigError {
    pub champ: String,
    pub message: String,
}

impl ConfigError {
    pub(crate) fn new(champ: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            champ: champ.into(),
            message: message.into(),
        }
    }
}
