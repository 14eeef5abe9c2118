//! Time off: whole local days, or any period. Time off wins over every opening.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Absence {
    /// Whole days, `du..=au`, as local dates in the professional's zone. `au < du` is empty.
    Jours { du: NaiveDate, au: NaiveDate },
    /// Any period, `[debut, fin)`. `fin <= debut` is empty.
    Periode {
        debut: DateTime<Utc>,
        fin: DateTime<Utc>,
    },
}

impl Absence {
    /// Whether an appointment `[debut, fin)` touches this time off (an empty one never does).
    pub fn chevauche(&self, fuseau: Tz, debut: DateTime<Utc>, fin: DateTime<Utc>) -> bool {
        if fin <= debut {
            return false;
        }
        match *self {
            Absence::Jours { du, au } => {
                let premier_jour = debut.with_timezone(&fuseau).date_naive();
                // The last instant inside the appointment, so that ending at midnight sharp
                // does not touch the next day.
                let dernier_instant = fin
                    .checked_sub_signed(TimeDelta::nanoseconds(1))
                    .unwrap_or(debut);
                let dernier_jour = dernier_instant.with_timezone(&fuseau).date_naive();
                du <= au && premier_jour <= au && du <= dernier_jour
            }
            Absence::Periode {
                debut: absence_debut,
                fin: absence_fin,
            } => absence_debut < absence_fin && absence_debut < fin && debut < absence_fin,
        }
    }
}
