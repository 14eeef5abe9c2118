//! Why a requested start cannot be booked.

/// The reason a start is refused, in order of precedence. `code()` is stable (API, logs);
/// `message()` is shown to the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RefusCreneau {
    /// The rules or the service duration break the granule (a configuration error, not the
    /// client's): nothing can be booked.
    #[error("{}", self.message())]
    ConfigurationInvalide,
    #[error("{}", self.message())]
    CreneauPasse,
    /// Inside opening hours, but not a start the grid offers.
    #[error("{}", self.message())]
    HorsGrille,
    /// The appointment does not fit in any opening range of that day.
    #[error("{}", self.message())]
    HorsHoraires,
    #[error("{}", self.message())]
    PreavisInsuffisant,
    #[error("{}", self.message())]
    AuDelaHorizon,
    /// Overlaps time off, or another booking (buffers included).
    #[error("{}", self.message())]
    CreneauIndisponible,
    #[error("{}", self.message())]
    JourneeComplete,
}

impl RefusCreneau {
    pub fn code(&self) -> &'static str {
        match self {
            Self::ConfigurationInvalide => "configuration_invalide",
            Self::CreneauPasse => "creneau_passe",
            Self::HorsGrille => "hors_grille",
            Self::HorsHoraires => "hors_horaires",
            Self::PreavisInsuffisant => "preavis_insuffisant",
            Self::AuDelaHorizon => "au_dela_horizon",
            Self::CreneauIndisponible => "creneau_indisponible",
            Self::JourneeComplete => "journee_complete",
        }
    }

    pub fn message(&self) -> &'static str {
        match self {
            Self::ConfigurationInvalide => {
                "Ce service ne peut pas être réservé en ligne pour le moment."
            }
            Self::CreneauPasse => "Ce créneau est déjà passé.",
            Self::HorsGrille => "Cet horaire ne fait pas partie des créneaux proposés.",
            Self::HorsHoraires => "Ce créneau est en dehors des horaires d’ouverture.",
            Self::PreavisInsuffisant => "Ce créneau est trop proche pour être réservé en ligne.",
            Self::AuDelaHorizon => "Ce créneau est trop éloigné pour être déjà réservé.",
            Self::CreneauIndisponible => "Ce créneau n’est plus disponible.",
            Self::JourneeComplete => "Cette journée est complète.",
        }
    }
}
