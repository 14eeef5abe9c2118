//! Opening hours, time off and free slots (creneaux).
//!
//! Everything here is pure: the current instant comes in as `maintenant`, existing bookings
//! as [`Occupation`]s. Wall-clock times (weekly hours, dated openings, whole days off) are
//! read in the professional's time zone ([`Planning::fuseau`]); instants are UTC.

mod absences;
mod creneaux;
mod heure_locale;
mod horaires;
mod refus;
mod regles;

#[cfg(test)]
mod tests_creneaux;
#[cfg(test)]
mod tests_proprietes;

pub use absences::Absence;
pub use creneaux::{creneaux_libres, prochain_creneau, verifier_creneau, Creneau, JOURS_MAX};
pub use heure_locale::debut_du_jour;
pub use horaires::{OuvertureDatee, PlageHebdo, Planning};
pub use refus::RefusCreneau;
pub use regles::{occupation_avec_tampons, Occupation, Regles, ReglesInvalides, GRANULE_MINUTES};
