//! E-mails caused by a booking's changes: each function returns the outbox rows to write
//! in the same batch as the change (see `booking_shared::store::outbox`).

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
