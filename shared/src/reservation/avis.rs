//! Who may review a booking, and until when (issue « Trust II »): a review needs a booking
//! that really took place — marked done by the professional, or paid and past with nobody
//! marking the client absent — made by someone other than the professional's own account,
//! given within the vertical's limit after the appointment, once.

use chrono::{DateTime, Duration, Utc};

use super::StatutReservation;

/// Who closed a booking (`reservations.terminee_par`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloture {
    /// Done or no-show, from the professional's agenda.
    Professionnel,
    /// The scheduled job, when a confirmed booking ended: nobody vouched for it.
    Systeme,
}

impl Cloture {
    pub fn parse(texte: Option<&str>) -> Option<Cloture> {
        match texte? {
            "professionnel" => Some(Cloture::Professionnel),
            "systeme" => Some(Cloture::Systeme),
            _ => None,
        }
    }
}

/// What the rule needs to know about a booking beyond its row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaitsAvis {
    pub statut: StatutReservation,
    pub fin: DateTime<Utc>,
    pub cloture: Option<Cloture>,
    /// A payment of it was received (and not refunded).
    pub paye: bool,
    /// The booking's e-mail or account is the professional's own.
    pub par_le_professionnel: bool,
    pub deja_donne: bool,
}

/// Why a booking takes no review (now or ever).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusAvis {
    /// The vertical does not collect reviews.
    Desactives,
    DejaDonne,
    /// The appointment has not taken place yet (or is not closed yet).
    PasEncore,
    /// Cancelled, expired, or the client did not come.
    PasEuLieu,
    /// Closed by the scheduled job, unpaid, and the professional did not mark it done.
    NonConfirme,
    /// Booked with the professional's own e-mail or account.
    ParLeProfessionnel,
    /// Past the vertical's limit after the appointment.
    DelaiDepasse {
        jours: u32,
    },
}

impl RefusAvis {
    pub fn code(self) -> &'static str {
        match self {
            RefusAvis::Desactives => "avis_desactives",
            RefusAvis::DejaDonne => "avis_deja_donne",
            RefusAvis::PasEncore => "avis_pas_encore",
            RefusAvis::PasEuLieu => "avis_rendez_vous_non_honore",
            RefusAvis::NonConfirme => "avis_rendez_vous_non_confirme",
            RefusAvis::ParLeProfessionnel => "avis_propre_reservation",
            RefusAvis::DelaiDepasse { .. } => "avis_delai_depasse",
        }
    }

    /// What the client reads, in French.
    pub fn message(self) -> String {
        match self {
            RefusAvis::Desactives => "Les avis ne sont pas collectés pour ce métier.".into(),
            RefusAvis::DejaDonne => "Vous avez déjà donné votre avis sur ce rendez-vous. Merci !".into(),
            RefusAvis::PasEncore => "Vous pourrez donner votre avis une fois le rendez-vous passé.".into(),
            RefusAvis::PasEuLieu => "Ce rendez-vous n'a pas eu lieu : il ne peut pas recevoir d'avis.".into(),
            RefusAvis::NonConfirme => "Ce rendez-vous n'a pas été confirmé comme effectué par le professionnel : il ne peut pas (encore) recevoir d'avis.".into(),
            RefusAvis::ParLeProfessionnel => "Un professionnel ne peut pas donner d'avis sur ses propres rendez-vous.".into(),
            RefusAvis::DelaiDepasse { jours } => format!(
                "Le délai pour donner votre avis est dépassé : les avis se donnent dans les {jours} jours qui suivent le rendez-vous."
            ),
        }
    }

    /// Whether time or the professional may still lift the refusal (the review request
    /// then waits instead of being dropped).
    pub fn provisoire(self) -> bool {
        matches!(self, RefusAvis::PasEncore | RefusAvis::NonConfirme)
    }
}

/// Whether the booking takes a review at `maintenant`, given the vertical's limit in days.
pub fn eligibilite(
    faits: &FaitsAvis,
    maintenant: DateTime<Utc>,
    delai_jours: u32,
) -> Result<(), RefusAvis> {
    use StatutReservation as S;
    if faits.deja_donne {
        return Err(RefusAvis::DejaDonne);
    }
    if faits.par_le_professionnel {
        return Err(RefusAvis::ParLeProfessionnel);
    }
    match faits.statut {
        S::Terminee => {}
        S::Absent | S::Annulee | S::Expiree => return Err(RefusAvis::PasEuLieu),
        S::Offerte | S::Confirmee | S::EnAttentePaiement | S::EnAttenteConfirmation => {
            return Err(RefusAvis::PasEncore)
        }
    }
    if maintenant > faits.fin + Duration::days(i64::from(delai_jours)) {
        return Err(RefusAvis::DelaiDepasse { jours: delai_jours });
    }
    match faits.cloture {
        Some(Cloture::Professionnel) => Ok(()),
        _ if faits.paye => Ok(()),
        _ => Err(RefusAvis::NonConfirme),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn faits() -> FaitsAvis {
        FaitsAvis {
            statut: StatutReservation::Terminee,
            fin: Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 0).unwrap(),
            cloture: Some(Cloture::Professionnel),
            paye: false,
            par_le_professionnel: false,
            deja_donne: false,
        }
    }

    fn le(jours: i64) -> DateTime<Utc> {
        faits().fin + Duration::days(jours)
    }

    #[test]
    fn a_booking_marked_done_by_the_professional_takes_a_review_within_the_limit() {
        assert_eq!(eligibilite(&faits(), le(1), 30), Ok(()));
        assert_eq!(eligibilite(&faits(), le(30), 30), Ok(()));
        assert_eq!(
            eligibilite(&faits(), le(31), 30),
            Err(RefusAvis::DelaiDepasse { jours: 30 })
        );
    }

    #[test]
    fn a_booking_closed_by_the_scheduled_job_takes_a_review_only_when_paid() {
        let cron = FaitsAvis {
            cloture: Some(Cloture::Systeme),
            ..faits()
        };
        assert_eq!(eligibilite(&cron, le(1), 30), Err(RefusAvis::NonConfirme));
        let paye = FaitsAvis { paye: true, ..cron };
        assert_eq!(eligibilite(&paye, le(1), 30), Ok(()));
    }

    #[test]
    fn the_professionals_own_booking_a_no_show_and_a_second_review_are_refused() {
        let propre = FaitsAvis {
            par_le_professionnel: true,
            paye: true,
            ..faits()
        };
        assert_eq!(
            eligibilite(&propre, le(1), 30),
            Err(RefusAvis::ParLeProfessionnel)
        );
        let absent = FaitsAvis {
            statut: StatutReservation::Absent,
            paye: true,
            ..faits()
        };
        assert_eq!(eligibilite(&absent, le(1), 30), Err(RefusAvis::PasEuLieu));
        let deja = FaitsAvis {
            deja_donne: true,
            ..faits()
        };
        assert_eq!(eligibilite(&deja, le(1), 30), Err(RefusAvis::DejaDonne));
        let avant = FaitsAvis {
            statut: StatutReservation::Confirmee,
            ..faits()
        };
        assert_eq!(eligibilite(&avant, le(-1), 30), Err(RefusAvis::PasEncore));
    }
}
