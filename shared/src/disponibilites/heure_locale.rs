//! Turning a professional's wall-clock time into an instant, across DST changes.

use chrono::{DateTime, NaiveDateTime, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;

/// Longest stretch of skipped wall-clock time we look across (a whole day, as in Samoa 2011).
const RECHERCHE_MAX_MINUTES: u32 = 24 * 60;

/// The instant a wall-clock time denotes: `None` when it falls in a spring-forward gap, the
/// earlier of the two when the autumn change makes it happen twice (so a slot is offered once).
pub(crate) fn instant_local(fuseau: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    fuseau
        .from_local_datetime(&local)
        .earliest()
        .map(|instant| instant.with_timezone(&Utc))
}

/// Like [`instant_local`], but a time that does not exist stands for the first instant after
/// the gap: an opening range "02:00–04:00" on a spring-forward night really opens at 03:00.
pub(crate) fn instant_local_ou_apres_saut(
    fuseau: Tz,
    local: NaiveDateTime,
) -> Option<DateTime<Utc>> {
    let mut essai = local;
    for _ in 0..=RECHERCHE_MAX_MINUTES {
        if let Some(instant) = instant_local(fuseau, essai) {
            return Some(instant);
        }
        essai = essai.checked_add_signed(TimeDelta::minutes(1))?;
    }
    None
}
