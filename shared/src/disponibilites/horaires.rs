//! Opening hours: weekly ranges and extra openings on a given date.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// A weekly opening range, in the professional's wall-clock time: `debut < fin`, same day.
/// A range that breaks this (empty, inverted) opens nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlageHebdo {
    pub jour: Weekday,
    pub debut: NaiveTime,
    pub fin: NaiveTime,
}

/// An extra opening on one date, on top of the weekly hours (time off still wins over it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct OuvertureDatee {
    pub date: NaiveDate,
    pub debut: NaiveTime,
    pub fin: NaiveTime,
}

/// A professional's schedule: time zone, weekly hours, dated openings and time off.
#[derive(Debug, Clone, PartialEq)]
pub struct Planning {
    pub fuseau: Tz,
    pub hebdo: Vec<PlageHebdo>,
    pub ouvertures: Vec<OuvertureDatee>,
    pub absences: Vec<crate::disponibilites::Absence>,
}

impl Default for Planning {
    /// An empty schedule in Europe/Paris, the platform's default zone.
    fn default() -> Self {
        Self {
            fuseau: chrono_tz::Europe::Paris,
            hebdo: Vec::new(),
            ouvertures: Vec::new(),
            absences: Vec::new(),
        }
    }
}

/// One opening range on a known date, in wall-clock time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Plage {
    pub(crate) debut: NaiveTime,
    pub(crate) fin: NaiveTime,
}

impl Plage {
    fn valide(debut: NaiveTime, fin: NaiveTime) -> Option<Self> {
        // A leap-second NaiveTime would make the grid arithmetic ambiguous: treat it as invalid.
        let sans_seconde_intercalaire = |t: NaiveTime| t.nanosecond() < 1_000_000_000;
        (debut < fin && sans_seconde_intercalaire(debut) && sans_seconde_intercalaire(fin))
            .then_some(Self { debut, fin })
    }
}

impl Planning {
    /// The valid opening ranges on a local date: weekly ones for its weekday, then dated ones.
    pub(crate) fn plages_du_jour(&self, jour: NaiveDate) -> impl Iterator<Item = Plage> + '_ {
        let hebdo = self
            .hebdo
            .iter()
            .filter(move |p| p.jour == jour.weekday())
            .filter_map(|p| Plage::valide(p.debut, p.fin));
        let datees = self
            .ouvertures
            .iter()
            .filter(move |o| o.date == jour)
            .filter_map(|o| Plage::valide(o.debut, o.fin));
        hebdo.chain(datees)
    }
}
