//! E-mails caused by a booking's changes: each function returns the outbox rows to write
//! in the same batch as the change (see `booking_shared::store::outbox`), so that an
//! e-mail is queued if and only if its cause happened.

use booking_shared::store::Statement;
use booking_shared::vertical::VerticalConfig;

use crate::app::Ctx;
use crate::reservations::Dossier;

/// Booking made: the client's e-mail (a confirmation when nothing is due online, a
/// "pending payment" notice otherwise), the professional's notice, the reminders and the
/// review request, planned now. `lien_gestion` carries the manage link's secret.
pub fn reservation_creee(
    _ctx: &Ctx<'_>,
    _vertical: &VerticalConfig,
    _dossier: &Dossier,
    _lien_gestion: &str,
) -> Vec<Statement> {
    Vec::new()
}

/// Payment received: the booking is confirmed.
pub fn reservation_confirmee(
    _ctx: &Ctx<'_>,
    _vertical: &VerticalConfig,
    _dossier: &Dossier,
) -> Vec<Statement> {
    Vec::new()
}

/// Booking cancelled by `par` ("client", "professionnel" or "systeme"): the client and the
/// professional are told, pending reminders and the review request are dropped.
pub fn reservation_annulee(
    _ctx: &Ctx<'_>,
    _vertical: &VerticalConfig,
    _dossier: &Dossier,
    _par: &str,
    _remboursable: bool,
) -> Vec<Statement> {
    Vec::new()
}

/// Booking moved (the dossier holds the new times): both are told, reminders re-planned.
/// `jeton` is the manage link's secret when the client moved it (None otherwise).
pub fn reservation_deplacee(
    _ctx: &Ctx<'_>,
    _vertical: &VerticalConfig,
    _dossier: &Dossier,
    _ancien_debut: i64,
    _jeton: Option<&str>,
) -> Vec<Statement> {
    Vec::new()
}

/// A payment was refunded (`montant` in cents).
pub fn remboursement(
    _ctx: &Ctx<'_>,
    _vertical: &VerticalConfig,
    _dossier: &Dossier,
    _montant: i64,
) -> Vec<Statement> {
    Vec::new()
}
