//! Turning a professional's wall-clock time into an instant, across DST changes.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Utc};
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

/// The instant a local day starts: its midnight, or the first instant after it where
/// midnight falls in a DST gap.
pub fn debut_du_jour(fuseau: Tz, jour: NaiveDate) -> Option<DateTime<Utc>> {
    instant_local_ou_apres_saut(fuseau, jour.and_hms_opt(0, 0, 0)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paris_day_starts_at_its_local_midnight_whatever_the_offset() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let jour = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        // Winter (UTC+1), the day of the spring change (still UTC+1 at midnight), summer.
        assert_eq!(
            debut_du_jour(paris, jour(1, 12)).unwrap().to_rfc3339(),
            "2026-01-11T23:00:00+00:00"
        );
        assert_eq!(
            debut_du_jour(paris, jour(3, 29)).unwrap().to_rfc3339(),
            "2026-03-28T23:00:00+00:00"
        );
        assert_eq!(
            debut_du_jour(paris, jour(7, 1)).unwrap().to_rfc3339(),
            "2026-06-30T22:00:00+00:00"
        );
    }
}
