//! A vertical's booking rules, and what an existing booking occupies.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// The database claims time in granules of this many minutes: every step, duration and buffer
/// is a multiple of it, and every slot starts on a granule boundary (UTC).
pub const GRANULE_MINUTES: u32 = 5;

/// Booking rules from the vertical's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regles {
    /// Slot step, measured from the start of each opening range.
    pub pas_minutes: u32,
    /// Minimum notice between now and a slot's start.
    pub preavis_minutes: u32,
    /// How far ahead (in 24-hour days from now) a slot may start.
    pub horizon_jours: u32,
    /// Time kept free before each appointment.
    pub tampon_avant_minutes: u32,
    /// Time kept free after each appointment.
    pub tampon_apres_minutes: u32,
    /// Most active bookings starting on one local date; `None` for no limit.
    pub max_reservations_par_jour: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReglesInvalides {
    #[error("le pas des créneaux doit être un multiple non nul de {GRANULE_MINUTES} minutes")]
    Pas,
    #[error("la durée doit être un multiple non nul de {GRANULE_MINUTES} minutes")]
    Duree,
    #[error("les temps de battement doivent être des multiples de {GRANULE_MINUTES} minutes")]
    Tampons,
}

impl Regles {
    /// Checks the rules and an appointment duration against the granule.
    pub fn valider(&self, duree_minutes: u32) -> Result<(), ReglesInvalides> {
        let multiple_non_nul = |m: u32| m > 0 && m.is_multiple_of(GRANULE_MINUTES);
        if !multiple_non_nul(self.pas_minutes) {
            return Err(ReglesInvalides::Pas);
        }
        if !multiple_non_nul(duree_minutes) {
            return Err(ReglesInvalides::Duree);
        }
        if !self.tampon_avant_minutes.is_multiple_of(GRANULE_MINUTES)
            || !self.tampon_apres_minutes.is_multiple_of(GRANULE_MINUTES)
        {
            return Err(ReglesInvalides::Tampons);
        }
        Ok(())
    }
}

/// An existing active booking: the appointment itself, without buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occupation {
    pub debut: DateTime<Utc>,
    pub fin: DateTime<Utc>,
}

/// What a booking `[debut, fin)` occupies: `[debut − tampon_avant, fin + tampon_apres)`.
/// Two active bookings' occupied intervals never overlap; the database claims exactly this
/// interval. Saturates at chrono's limits instead of overflowing.
pub fn occupation_avec_tampons(
    debut: DateTime<Utc>,
    fin: DateTime<Utc>,
    regles: &Regles,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let avant = TimeDelta::minutes(i64::from(regles.tampon_avant_minutes));
    let apres = TimeDelta::minutes(i64::from(regles.tampon_apres_minutes));
    (
        debut
            .checked_sub_signed(avant)
            .unwrap_or(DateTime::<Utc>::MIN_UTC),
        fin.checked_add_signed(apres)
            .unwrap_or(DateTime::<Utc>::MAX_UTC),
    )
}
