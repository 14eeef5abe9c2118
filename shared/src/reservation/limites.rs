//! How much one client may book: the rate limits on booking creation and the cap on the
//! holds one client keeps at one professional. Counters are D1 fixed windows
//! (`store::limites`, like sign-in's); the holds are counted in the booking's own batch
//! (`store::reservations`, guard `garde_retenues`).
//!
//! What the numbers weigh:
//! - a family books several appointments in a row (several people, several sessions),
//!   from one home and often with one e-mail: a handful in an hour must pass;
//! - an attacker must not fill a diary (a coach takes at most 8 a day, about 500 over the
//!   60-day horizon), open Checkout sessions in bulk, or use us to mail an address again
//!   and again;
//! - a limit per professional is itself a lever against that professional: it counts only
//!   what an attacker controls — requests that nobody has yet confirmed from the e-mail or
//!   paid (guests, or accounts whose address is not verified) — so that when an attack
//!   exhausts it, clients with a verified address still book; and it is checked only after
//!   the request passed its own source's and address's limits, so that one source cannot
//!   spend it alone.

use crate::comptes::limites::Regle;

/// Bookings per client source (IPv4 address, or IPv6 /64), whatever the outcome.
pub const SOURCE_HEURE: Regle = Regle::par_heure("reservation:source:heure", 10);
pub const SOURCE_JOUR: Regle = Regle::par_jour("reservation:source:jour", 30);
/// Bookings per e-mail address (each one e-mails it).
pub const EMAIL_HEURE: Regle = Regle::par_heure("reservation:email:heure", 8);
pub const EMAIL_JOUR: Regle = Regle::par_jour("reservation:email:jour", 16);
/// Requests at one professional that hold a slot without anyone having confirmed them
/// from the e-mail or paid yet, made by someone whose address is not verified.
pub const DEMANDES_PROFESSIONNEL_HEURE: Regle =
    Regle::par_heure("reservation:professionnel:heure", 30);
pub const DEMANDES_PROFESSIONNEL_JOUR: Regle =
    Regle::par_jour("reservation:professionnel:jour", 60);

/// Holds (awaiting payment or confirmation) one e-mail address may keep at once at one
/// professional, and one source.
pub const RETENUES_PAR_EMAIL: u32 = 4;
pub const RETENUES_PAR_SOURCE: u32 = 6;

/// The counters of the requester: its source's and its address's, each as the pseudonym
/// the counter is kept under.
pub fn regles_demandeur(source: &str, email: &str) -> [(Regle, String); 4] {
    [
        (SOURCE_HEURE, source.to_owned()),
        (SOURCE_JOUR, source.to_owned()),
        (EMAIL_HEURE, email.to_owned()),
        (EMAIL_JOUR, email.to_owned()),
    ]
}

/// The counters of the professional, for a request nobody vouched for yet.
pub fn regles_professionnel(professionnel_id: i64) -> [(Regle, String); 2] {
    [
        (DEMANDES_PROFESSIONNEL_HEURE, professionnel_id.to_string()),
        (DEMANDES_PROFESSIONNEL_JOUR, professionnel_id.to_string()),
    ]
}

// The relations the numbers keep, checked when compiling: an address books less than a
// source (a household shares one), a source less than a professional receives, an
// address's holds at one professional fit in its hourly allowance, and one source cannot
// hold a coach's whole day (8, `verticals/coach.json`).
const _: () = {
    assert!(EMAIL_HEURE.maximum < SOURCE_HEURE.maximum);
    assert!(SOURCE_HEURE.maximum < DEMANDES_PROFESSIONNEL_HEURE.maximum);
    assert!(RETENUES_PAR_EMAIL as i64 <= EMAIL_HEURE.maximum);
    assert!(RETENUES_PAR_EMAIL < RETENUES_PAR_SOURCE);
    assert!(RETENUES_PAR_SOURCE < 8);
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_counter_has_its_own_key_per_subject() {
        let cles: std::collections::HashSet<String> = regles_demandeur("s", "e")
            .into_iter()
            .chain(regles_professionnel(1))
            .map(|(regle, sujet)| regle.cle(&sujet))
            .collect();
        assert_eq!(cles.len(), 6);
        assert!(cles.iter().all(|c| c.starts_with("reservation:")));
        assert!(cles.contains("reservation:professionnel:heure:1"));
    }
}
