//! The booking lifecycle as an explicit state machine.
//!
//! ```text
//! en_attente_confirmation ──Confirmer───────────┐
//!    │  └──Expirer──▶ expiree                    ▼
//!    │                   ▲                   confirmee ──Terminer──▶ terminee
//!    │            Expirer│                   ▲  │  │  └──MarquerAbsent──▶ absent
//!    │                   │                   │  │  └──Deplacer──▶ confirmee
//!    │       en_attente_paiement ─PaiementRecu┘  │
//!    │                   │Annuler*               │
//!    └──Annuler*──▶ annulee ◀──Annuler*──────────┘
//!
//! offerte ──Accepter──▶ confirmee (nothing due online) | en_attente_paiement
//!    └──Decliner | Expirer──▶ expiree
//! ```
//!
//! Decisions:
//! - a freed slot offered to the first in a waitlist is a booking in `offerte`: it holds
//!   its slot (`expire_at`) like the other holds, for that client alone, who accepts it
//!   (`Accepter`: confirmed, or awaiting payment when something is due online) or
//!   declines it; declined or let pass, it ends `expiree` and the slot goes to the next
//!   in line. The address was proved when the client joined the list;
//! - a booking is created in one of three states, and creation is not a transition:
//!   `en_attente_paiement` when something is due online, `confirmee` when nothing is and
//!   the client is signed in with a verified address equal to the booking's, and
//!   `en_attente_confirmation` otherwise (a guest, or an address nobody proved to read):
//!   the booking is then only a request, held like an unpaid one, until the owner of the
//!   address confirms it from the e-mail (`Confirmer`); both holds end with `Expirer`;
//! - a hold's end (`expire_at`) is checked by the caller and by the guarded write, not
//!   here: the machine knows the appointment's times only;
//! - the client may cancel any time before the start; the free-cancellation window only
//!   decides the refund ([`Annulation::remboursable`]);
//! - the professional may cancel until the end of the appointment, with a reason, and the
//!   client is always refunded;
//! - a payment arriving after the start is refused (`rendez_vous_passe`): the caller refunds it;
//!   so is a confirmation arriving after the start;
//! - rescheduling moves a confirmed booking only while it could still be cancelled for
//!   free (up to the free-cancellation window before the start it has now), so a move can
//!   never turn a late cancellation into a refunded one; the new slot is checked with
//!   `disponibilites::verifier_creneau`.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// A booking's status, stored as these snake_case strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatutReservation {
    /// A freed slot held for the first in a waitlist, until they accept or decline it.
    Offerte,
    /// A guest's request, held until the owner of its e-mail address confirms it.
    EnAttenteConfirmation,
    EnAttentePaiement,
    Confirmee,
    Terminee,
    Absent,
    Annulee,
    Expiree,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("statut de réservation inconnu : {0:?}")]
pub struct StatutInconnu(pub String);

impl StatutReservation {
    pub const TOUS: [StatutReservation; 8] = [
        Self::Offerte,
        Self::EnAttenteConfirmation,
        Self::EnAttentePaiement,
        Self::Confirmee,
        Self::Terminee,
        Self::Absent,
        Self::Annulee,
        Self::Expiree,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Offerte => "offerte",
            Self::EnAttenteConfirmation => "en_attente_confirmation",
            Self::EnAttentePaiement => "en_attente_paiement",
            Self::Confirmee => "confirmee",
            Self::Terminee => "terminee",
            Self::Absent => "absent",
            Self::Annulee => "annulee",
            Self::Expiree => "expiree",
        }
    }

    pub fn parse(texte: &str) -> Result<Self, StatutInconnu> {
        Self::TOUS
            .into_iter()
            .find(|statut| statut.as_str() == texte)
            .ok_or_else(|| StatutInconnu(texte.to_owned()))
    }

    /// Whether the booking holds its slot.
    pub fn is_active(&self) -> bool {
        self.is_retenue() || *self == Self::Confirmee
    }

    /// Whether the booking holds its slot only for a while (`expire_at`), waiting for the
    /// client: to pay, to confirm from the e-mail, or to answer a waitlist's offer.
    pub fn is_retenue(&self) -> bool {
        matches!(
            self,
            Self::Offerte | Self::EnAttentePaiement | Self::EnAttenteConfirmation
        )
    }

    /// Whether no action can change it any more.
    pub fn is_final(&self) -> bool {
        !self.is_active()
    }
}

impl fmt::Display for StatutReservation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<StatutReservation> for crate::store::Value {
    fn from(statut: StatutReservation) -> Self {
        crate::store::Value::Text(statut.as_str().to_owned())
    }
}

impl FromStr for StatutReservation {
    type Err = StatutInconnu;

    fn from_str(texte: &str) -> Result<Self, Self::Err> {
        Self::parse(texte)
    }
}

/// What someone (client, professional, Stripe webhook, scheduled job) asks of a booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The owner of the booking's e-mail address confirms it from the e-mail's link.
    Confirmer,
    /// The Stripe webhook reports the payment.
    PaiementRecu,
    /// The professional records that the appointment took place.
    Terminer,
    /// The professional records a no-show.
    MarquerAbsent,
    AnnulerParClient,
    AnnulerParProfessionnel {
        motif: String,
    },
    /// The hold ended without payment or confirmation (Checkout Session expired, or the
    /// e-mail's link not used in time).
    Expirer,
    /// Move to another slot (checked separately); the status does not change.
    Deplacer,
    /// The client takes the slot a waitlist offered them; `paiement` when something is
    /// due online.
    Accepter {
        paiement: bool,
    },
    /// The client turns down the slot a waitlist offered them.
    Decliner,
}

impl Action {
    /// A stable name, for logs and refusals.
    pub fn nom(&self) -> &'static str {
        match self {
            Self::Confirmer => "confirmer",
            Self::PaiementRecu => "paiement_recu",
            Self::Terminer => "terminer",
            Self::MarquerAbsent => "marquer_absent",
            Self::AnnulerParClient => "annuler_par_client",
            Self::AnnulerParProfessionnel { .. } => "annuler_par_professionnel",
            Self::Expirer => "expirer",
            Self::Deplacer => "deplacer",
            Self::Accepter { .. } => "accepter",
            Self::Decliner => "decliner",
        }
    }
}

/// The times a transition depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContexteTransition {
    pub maintenant: DateTime<Utc>,
    /// Start of the appointment.
    pub debut: DateTime<Utc>,
    /// End of the appointment.
    pub fin: DateTime<Utc>,
    /// The vertical's free-cancellation window, in hours before the start.
    pub annulation_gratuite_heures: u32,
}

/// What a cancellation means for the money already paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Annulation {
    /// Whether what was paid must be refunded.
    pub remboursable: bool,
}

/// The result of an accepted transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Issue {
    pub statut: StatutReservation,
    /// Set when the booking was cancelled.
    pub annulation: Option<Annulation>,
}

impl Issue {
    fn vers(statut: StatutReservation) -> Self {
        Self {
            statut,
            annulation: None,
        }
    }

    fn annulee(remboursable: bool) -> Self {
        Self {
            statut: StatutReservation::Annulee,
            annulation: Some(Annulation { remboursable }),
        }
    }
}

/// Why a transition is refused. `code()` is stable; `message()` is shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionRefusee {
    #[error("{}", self.message())]
    TransitionInterdite {
        statut: StatutReservation,
        action: &'static str,
    },
    #[error("{}", self.message())]
    DejaConfirmee,
    #[error("{}", self.message())]
    DejaAnnulee,
    /// Finished or marked as a no-show.
    #[error("{}", self.message())]
    DejaTerminee,
    #[error("{}", self.message())]
    ReservationExpiree,
    #[error("{}", self.message())]
    RendezVousPasse,
    #[error("{}", self.message())]
    RendezVousPasCommence,
    #[error("{}", self.message())]
    MotifRequis,
    /// A move inside the free-cancellation window.
    #[error("{}", self.message())]
    DeplacementHorsDelai,
    /// A no-show declared too long after the end of a paid appointment, whose client may
    /// by then have reviewed it or been invited to.
    #[error("{}", self.message())]
    AbsenceHorsDelai,
}

/// How long after a paid appointment's end its professional may still declare a no-show.
pub const DELAI_DECLARATION_ABSENCE_HEURES: i64 = 48;

impl TransitionRefusee {
    pub fn code(&self) -> &'static str {
        match self {
            Self::TransitionInterdite { .. } => "transition_interdite",
            Self::DejaConfirmee => "deja_confirmee",
            Self::DejaAnnulee => "deja_annulee",
            Self::DejaTerminee => "deja_terminee",
            Self::ReservationExpiree => "reservation_expiree",
            Self::RendezVousPasse => "rendez_vous_passe",
            Self::RendezVousPasCommence => "rendez_vous_pas_commence",
            Self::MotifRequis => "motif_requis",
            Self::DeplacementHorsDelai => "deplacement_hors_delai",
            Self::AbsenceHorsDelai => "absence_hors_delai",
        }
    }

    pub fn message(&self) -> &'static str {
        match self {
            Self::TransitionInterdite { .. } => {
                "Cette action n’est pas possible pour cette réservation."
            }
            Self::DejaConfirmee => "Cette réservation est déjà confirmée.",
            Self::DejaAnnulee => "Cette réservation est déjà annulée.",
            Self::DejaTerminee => "Ce rendez-vous est déjà terminé.",
            Self::ReservationExpiree => {
                "Cette réservation a expiré : elle n’a été ni payée ni confirmée à temps."
            }
            Self::RendezVousPasse => "Ce rendez-vous a déjà commencé.",
            Self::RendezVousPasCommence => "Ce rendez-vous n’a pas encore commencé.",
            Self::MotifRequis => "Merci d’indiquer le motif de l’annulation.",
            Self::DeplacementHorsDelai => {
                "Ce rendez-vous ne peut plus être déplacé : un rendez-vous se déplace tant qu’il peut être annulé sans frais."
            }
            Self::AbsenceHorsDelai => {
                "Ce rendez-vous payé ne peut plus être déclaré non honoré : une absence se déclare dans les 48 heures qui suivent sa fin."
            }
        }
    }
}

impl ContexteTransition {
    /// Whether the free-cancellation window has not begun: a cancellation now is
    /// refunded, and a move is allowed.
    pub fn avant_limite_gratuite(&self) -> bool {
        self.debut
            .checked_sub_signed(TimeDelta::hours(i64::from(self.annulation_gratuite_heures)))
            .is_some_and(|limite| self.maintenant <= limite)
    }
}

/// Applies `action` to a booking in `statut`. Pure: the caller persists the new status
/// (conditionally on the old one, so that concurrent changes apply at most once).
pub fn transition(
    statut: StatutReservation,
    action: &Action,
    contexte: &ContexteTransition,
) -> Result<Issue, TransitionRefusee> {
    use StatutReservation as S;

    let avant_debut = contexte.maintenant < contexte.debut;
    let avant_fin = contexte.maintenant < contexte.fin;
    let interdite = TransitionRefusee::TransitionInterdite {
        statut,
        action: action.nom(),
    };
    let si = |condition: bool, issue: Issue, refus: TransitionRefusee| {
        if condition {
            Ok(issue)
        } else {
            Err(refus)
        }
    };

    match (statut, action) {
        // Final states: say why, whatever the action.
        (S::Annulee, _) => Err(TransitionRefusee::DejaAnnulee),
        (S::Terminee | S::Absent, _) => Err(TransitionRefusee::DejaTerminee),
        (S::Expiree, _) => Err(TransitionRefusee::ReservationExpiree),

        (S::Offerte, Action::Accepter { paiement }) => si(
            avant_debut,
            Issue::vers(if *paiement {
                S::EnAttentePaiement
            } else {
                S::Confirmee
            }),
            TransitionRefusee::RendezVousPasse,
        ),
        (S::Offerte, Action::Decliner | Action::Expirer) => Ok(Issue::vers(S::Expiree)),
        (
            S::Offerte,
            Action::Confirmer
            | Action::PaiementRecu
            | Action::Terminer
            | Action::MarquerAbsent
            | Action::AnnulerParClient
            // A slot held for someone in line is not the professional's to cancel: it is
            // no booking of the client's yet.
            | Action::AnnulerParProfessionnel { .. }
            | Action::Deplacer,
        ) => Err(interdite),
        (S::Confirmee, Action::Accepter { .. }) => Err(TransitionRefusee::DejaConfirmee),
        (
            S::EnAttenteConfirmation | S::EnAttentePaiement | S::Confirmee,
            Action::Accepter { .. } | Action::Decliner,
        ) => Err(interdite),
        (S::EnAttenteConfirmation, Action::Confirmer) => si(
            avant_debut,
            Issue::vers(S::Confirmee),
            TransitionRefusee::RendezVousPasse,
        ),
        (S::EnAttenteConfirmation, Action::Expirer) => Ok(Issue::vers(S::Expiree)),
        (S::EnAttenteConfirmation, Action::AnnulerParClient) => {
            // Nothing was paid: nothing to refund.
            si(
                avant_debut,
                Issue::annulee(false),
                TransitionRefusee::RendezVousPasse,
            )
        }
        (
            S::EnAttenteConfirmation,
            Action::PaiementRecu | Action::Terminer | Action::MarquerAbsent | Action::Deplacer,
        ) => Err(interdite),
        (S::EnAttentePaiement, Action::PaiementRecu) => si(
            avant_debut,
            Issue::vers(S::Confirmee),
            TransitionRefusee::RendezVousPasse,
        ),
        (S::EnAttentePaiement, Action::Expirer) => Ok(Issue::vers(S::Expiree)),
        (S::EnAttentePaiement, Action::AnnulerParClient) => {
            // Nothing paid yet; a payment landing later must be refunded.
            si(
                avant_debut,
                Issue::annulee(true),
                TransitionRefusee::RendezVousPasse,
            )
        }
        (S::Confirmee, Action::AnnulerParClient) => si(
            avant_debut,
            Issue::annulee(contexte.avant_limite_gratuite()),
            TransitionRefusee::RendezVousPasse,
        ),
        (
            S::EnAttenteConfirmation | S::EnAttentePaiement | S::Confirmee,
            Action::AnnulerParProfessionnel { motif },
        ) => {
            if motif.trim().is_empty() {
                Err(TransitionRefusee::MotifRequis)
            } else {
                si(
                    avant_fin,
                    Issue::annulee(true),
                    TransitionRefusee::RendezVousPasse,
                )
            }
        }
        (S::Confirmee, Action::Terminer) => si(
            !avant_debut,
            Issue::vers(S::Terminee),
            TransitionRefusee::RendezVousPasCommence,
        ),
        (S::Confirmee, Action::MarquerAbsent) => si(
            !avant_debut,
            Issue::vers(S::Absent),
            TransitionRefusee::RendezVousPasCommence,
        ),
        (S::Confirmee, Action::Deplacer) if !avant_debut => Err(TransitionRefusee::RendezVousPasse),
        (S::Confirmee, Action::Deplacer) => si(
            contexte.avant_limite_gratuite(),
            Issue::vers(S::Confirmee),
            TransitionRefusee::DeplacementHorsDelai,
        ),
        (S::Confirmee, Action::Confirmer | Action::PaiementRecu | Action::Expirer) => {
            Err(TransitionRefusee::DejaConfirmee)
        }
        (
            S::EnAttentePaiement,
            Action::Confirmer | Action::Terminer | Action::MarquerAbsent | Action::Deplacer,
        ) => Err(interdite),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use StatutReservation as S;

    fn debut() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, 12, 14, 0, 0).unwrap()
    }

    /// The clock `decalage` away from the start of a one-hour appointment with a 24 h window.
    fn a(decalage: TimeDelta) -> ContexteTransition {
        ContexteTransition {
            maintenant: debut() + decalage,
            debut: debut(),
            fin: debut() + TimeDelta::hours(1),
            annulation_gratuite_heures: 24,
        }
    }

    fn trois_jours_avant() -> ContexteTransition {
        a(-TimeDelta::days(3))
    }
    fn deux_heures_avant() -> ContexteTransition {
        a(-TimeDelta::hours(2))
    }
    fn pendant() -> ContexteTransition {
        a(TimeDelta::minutes(30))
    }
    fn apres() -> ContexteTransition {
        a(TimeDelta::hours(2))
    }

    fn motif() -> Action {
        Action::AnnulerParProfessionnel {
            motif: "Malade".into(),
        }
    }

    fn toutes_les_actions() -> Vec<Action> {
        vec![
            Action::Confirmer,
            Action::PaiementRecu,
            Action::Terminer,
            Action::MarquerAbsent,
            Action::AnnulerParClient,
            motif(),
            Action::Expirer,
            Action::Deplacer,
            Action::Accepter { paiement: false },
            Action::Decliner,
        ]
    }

    /// What a transition gives, reduced to something easy to write in a table.
    #[derive(Debug, PartialEq)]
    enum Attendu {
        Vers(StatutReservation),
        Annulee { remboursable: bool },
        Refus(&'static str),
    }
    use Attendu::*;

    fn resultat(statut: S, action: &Action, contexte: &ContexteTransition) -> Attendu {
        match transition(statut, action, contexte) {
            Ok(Issue {
                statut: S::Annulee,
                annulation: Some(Annulation { remboursable }),
            }) => Annulee { remboursable },
            Ok(issue) => {
                assert!(issue.annulation.is_none(), "{issue:?}");
                Vers(issue.statut)
            }
            Err(refus) => Refus(refus.code()),
        }
    }

    #[test]
    fn every_state_and_action_pair_three_days_before_the_start_has_the_expected_outcome() {
        let action_nommee = |nom: &str| {
            toutes_les_actions()
                .into_iter()
                .find(|a| a.nom() == nom)
                .unwrap()
        };
        #[rustfmt::skip]
        let table: Vec<(S, &str, Attendu)> = vec![
            (S::Offerte, "confirmer", Refus("transition_interdite")),
            (S::Offerte, "paiement_recu", Refus("transition_interdite")),
            (S::Offerte, "terminer", Refus("transition_interdite")),
            (S::Offerte, "marquer_absent", Refus("transition_interdite")),
            (S::Offerte, "annuler_par_client", Refus("transition_interdite")),
            (S::Offerte, "annuler_par_professionnel", Refus("transition_interdite")),
            (S::Offerte, "expirer", Vers(S::Expiree)),
            (S::Offerte, "deplacer", Refus("transition_interdite")),
            (S::Offerte, "accepter", Vers(S::Confirmee)),
            (S::Offerte, "decliner", Vers(S::Expiree)),

            (S::EnAttenteConfirmation, "accepter", Refus("transition_interdite")),
            (S::EnAttenteConfirmation, "decliner", Refus("transition_interdite")),
            (S::EnAttentePaiement, "accepter", Refus("transition_interdite")),
            (S::EnAttentePaiement, "decliner", Refus("transition_interdite")),
            (S::Confirmee, "accepter", Refus("deja_confirmee")),
            (S::Confirmee, "decliner", Refus("transition_interdite")),
            (S::Terminee, "accepter", Refus("deja_terminee")),
            (S::Terminee, "decliner", Refus("deja_terminee")),
            (S::Absent, "accepter", Refus("deja_terminee")),
            (S::Absent, "decliner", Refus("deja_terminee")),
            (S::Annulee, "accepter", Refus("deja_annulee")),
            (S::Annulee, "decliner", Refus("deja_annulee")),
            (S::Expiree, "accepter", Refus("reservation_expiree")),
            (S::Expiree, "decliner", Refus("reservation_expiree")),

            (S::EnAttenteConfirmation, "confirmer", Vers(S::Confirmee)),
            (S::EnAttenteConfirmation, "paiement_recu", Refus("transition_interdite")),
            (S::EnAttenteConfirmation, "terminer", Refus("transition_interdite")),
            (S::EnAttenteConfirmation, "marquer_absent", Refus("transition_interdite")),
            (S::EnAttenteConfirmation, "annuler_par_client", Annulee { remboursable: false }),
            (S::EnAttenteConfirmation, "annuler_par_professionnel", Annulee { remboursable: true }),
            (S::EnAttenteConfirmation, "expirer", Vers(S::Expiree)),
            (S::EnAttenteConfirmation, "deplacer", Refus("transition_interdite")),

            (S::EnAttentePaiement, "confirmer", Refus("transition_interdite")),
            (S::EnAttentePaiement, "paiement_recu", Vers(S::Confirmee)),
            (S::EnAttentePaiement, "terminer", Refus("transition_interdite")),
            (S::EnAttentePaiement, "marquer_absent", Refus("transition_interdite")),
            (S::EnAttentePaiement, "annuler_par_client", Annulee { remboursable: true }),
            (S::EnAttentePaiement, "annuler_par_professionnel", Annulee { remboursable: true }),
            (S::EnAttentePaiement, "expirer", Vers(S::Expiree)),
            (S::EnAttentePaiement, "deplacer", Refus("transition_interdite")),

            (S::Confirmee, "confirmer", Refus("deja_confirmee")),
            (S::Confirmee, "paiement_recu", Refus("deja_confirmee")),
            (S::Confirmee, "terminer", Refus("rendez_vous_pas_commence")),
            (S::Confirmee, "marquer_absent", Refus("rendez_vous_pas_commence")),
            (S::Confirmee, "annuler_par_client", Annulee { remboursable: true }),
            (S::Confirmee, "annuler_par_professionnel", Annulee { remboursable: true }),
            (S::Confirmee, "expirer", Refus("deja_confirmee")),
            (S::Confirmee, "deplacer", Vers(S::Confirmee)),

            (S::Terminee, "confirmer", Refus("deja_terminee")),
            (S::Terminee, "paiement_recu", Refus("deja_terminee")),
            (S::Terminee, "terminer", Refus("deja_terminee")),
            (S::Terminee, "marquer_absent", Refus("deja_terminee")),
            (S::Terminee, "annuler_par_client", Refus("deja_terminee")),
            (S::Terminee, "annuler_par_professionnel", Refus("deja_terminee")),
            (S::Terminee, "expirer", Refus("deja_terminee")),
            (S::Terminee, "deplacer", Refus("deja_terminee")),

            (S::Absent, "confirmer", Refus("deja_terminee")),
            (S::Absent, "paiement_recu", Refus("deja_terminee")),
            (S::Absent, "terminer", Refus("deja_terminee")),
            (S::Absent, "marquer_absent", Refus("deja_terminee")),
            (S::Absent, "annuler_par_client", Refus("deja_terminee")),
            (S::Absent, "annuler_par_professionnel", Refus("deja_terminee")),
            (S::Absent, "expirer", Refus("deja_terminee")),
            (S::Absent, "deplacer", Refus("deja_terminee")),

            (S::Annulee, "confirmer", Refus("deja_annulee")),
            (S::Annulee, "paiement_recu", Refus("deja_annulee")),
            (S::Annulee, "terminer", Refus("deja_annulee")),
            (S::Annulee, "marquer_absent", Refus("deja_annulee")),
            (S::Annulee, "annuler_par_client", Refus("deja_annulee")),
            (S::Annulee, "annuler_par_professionnel", Refus("deja_annulee")),
            (S::Annulee, "expirer", Refus("deja_annulee")),
            (S::Annulee, "deplacer", Refus("deja_annulee")),

            (S::Expiree, "confirmer", Refus("reservation_expiree")),
            (S::Expiree, "paiement_recu", Refus("reservation_expiree")),
            (S::Expiree, "terminer", Refus("reservation_expiree")),
            (S::Expiree, "marquer_absent", Refus("reservation_expiree")),
            (S::Expiree, "annuler_par_client", Refus("reservation_expiree")),
            (S::Expiree, "annuler_par_professionnel", Refus("reservation_expiree")),
            (S::Expiree, "expirer", Refus("reservation_expiree")),
            (S::Expiree, "deplacer", Refus("reservation_expiree")),
        ];

        let mut couverts = std::collections::HashSet::new();
        for (statut, nom, attendu) in table {
            let action = action_nommee(nom);
            assert_eq!(
                resultat(statut, &action, &trois_jours_avant()),
                attendu,
                "{statut} + {nom}"
            );
            couverts.insert((statut, nom));
        }
        assert_eq!(couverts.len(), S::TOUS.len() * toutes_les_actions().len());
    }

    #[test]
    fn time_dependent_transitions_follow_the_appointment_start_and_end() {
        #[rustfmt::skip]
        let table: Vec<(S, Action, ContexteTransition, Attendu)> = vec![
            // A client may cancel until the start; the window only decides the refund.
            (S::Confirmee, Action::AnnulerParClient, deux_heures_avant(), Annulee { remboursable: false }),
            (S::Confirmee, Action::AnnulerParClient, a(-TimeDelta::hours(24)), Annulee { remboursable: true }),
            (S::Confirmee, Action::AnnulerParClient, pendant(), Refus("rendez_vous_passe")),
            (S::EnAttentePaiement, Action::AnnulerParClient, deux_heures_avant(), Annulee { remboursable: true }),
            (S::EnAttentePaiement, Action::AnnulerParClient, pendant(), Refus("rendez_vous_passe")),
            // The professional may cancel until the end, and always refunds.
            (S::Confirmee, motif(), pendant(), Annulee { remboursable: true }),
            (S::Confirmee, motif(), apres(), Refus("rendez_vous_passe")),
            (S::EnAttentePaiement, motif(), pendant(), Annulee { remboursable: true }),
            // Finishing and no-shows only once the appointment has started.
            (S::Confirmee, Action::Terminer, a(TimeDelta::zero()), Vers(S::Terminee)),
            (S::Confirmee, Action::Terminer, pendant(), Vers(S::Terminee)),
            (S::Confirmee, Action::Terminer, apres(), Vers(S::Terminee)),
            (S::Confirmee, Action::MarquerAbsent, pendant(), Vers(S::Absent)),
            (S::Confirmee, Action::MarquerAbsent, a(-TimeDelta::seconds(1)), Refus("rendez_vous_pas_commence")),
            // Rescheduling only while a cancellation would still be free: moving late would
            // restart the free-cancellation window and turn a late cancellation into a refund.
            (S::Confirmee, Action::Deplacer, a(-TimeDelta::hours(24)), Vers(S::Confirmee)),
            (S::Confirmee, Action::Deplacer, a(-TimeDelta::hours(24) + TimeDelta::seconds(1)), Refus("deplacement_hors_delai")),
            (S::Confirmee, Action::Deplacer, deux_heures_avant(), Refus("deplacement_hors_delai")),
            (S::Confirmee, Action::Deplacer, a(TimeDelta::zero()), Refus("rendez_vous_passe")),
            // A request confirmed only once the appointment started stays unconfirmed.
            (S::EnAttenteConfirmation, Action::Confirmer, deux_heures_avant(), Vers(S::Confirmee)),
            (S::EnAttenteConfirmation, Action::Confirmer, a(TimeDelta::zero()), Refus("rendez_vous_passe")),
            (S::EnAttenteConfirmation, Action::AnnulerParClient, pendant(), Refus("rendez_vous_passe")),
            (S::EnAttenteConfirmation, motif(), pendant(), Annulee { remboursable: true }),
            (S::EnAttenteConfirmation, Action::Expirer, apres(), Vers(S::Expiree)),
            // A payment that arrives too late is refused, so that the caller refunds it.
            (S::EnAttentePaiement, Action::PaiementRecu, pendant(), Refus("rendez_vous_passe")),
            (S::EnAttentePaiement, Action::Expirer, apres(), Vers(S::Expiree)),
            // An offer accepted is confirmed, or awaits payment when something is due
            // online; accepted once the appointment started, it is refused.
            (S::Offerte, Action::Accepter { paiement: true }, deux_heures_avant(), Vers(S::EnAttentePaiement)),
            (S::Offerte, Action::Accepter { paiement: false }, deux_heures_avant(), Vers(S::Confirmee)),
            (S::Offerte, Action::Accepter { paiement: false }, a(TimeDelta::zero()), Refus("rendez_vous_passe")),
            (S::Offerte, Action::Decliner, pendant(), Vers(S::Expiree)),
            (S::Offerte, Action::Expirer, apres(), Vers(S::Expiree)),
        ];
        for (statut, action, contexte, attendu) in table {
            assert_eq!(
                resultat(statut, &action, &contexte),
                attendu,
                "{statut} + {} at {}",
                action.nom(),
                contexte.maintenant
            );
        }
    }

    #[test]
    fn a_professional_cancellation_without_a_reason_is_refused() {
        for motif in ["", "   "] {
            let action = Action::AnnulerParProfessionnel {
                motif: motif.into(),
            };
            let refus = transition(S::Confirmee, &action, &trois_jours_avant()).unwrap_err();
            assert_eq!(refus.code(), "motif_requis");
            assert_eq!(
                refus.to_string(),
                "Merci d’indiquer le motif de l’annulation."
            );
        }
    }

    #[test]
    fn statuses_round_trip_through_their_stored_strings() {
        for statut in S::TOUS {
            assert_eq!(S::parse(statut.as_str()), Ok(statut));
            let json = serde_json::to_string(&statut).unwrap();
            assert_eq!(json, format!("\"{}\"", statut.as_str()));
            assert_eq!(serde_json::from_str::<S>(&json).unwrap(), statut);
        }
        assert_eq!(S::EnAttentePaiement.as_str(), "en_attente_paiement");
        assert!(S::parse("Confirmee").is_err());
        assert!("payee".parse::<S>().is_err());
    }

    #[test]
    fn only_offered_pending_and_confirmed_bookings_hold_their_slot() {
        for statut in S::TOUS {
            let actif = matches!(
                statut,
                S::Offerte | S::EnAttenteConfirmation | S::EnAttentePaiement | S::Confirmee
            );
            assert_eq!(statut.is_active(), actif, "{statut}");
            assert_eq!(statut.is_final(), !actif, "{statut}");
            assert_eq!(statut.is_retenue(), actif && statut != S::Confirmee);
        }
        assert_eq!(
            S::parse("en_attente_confirmation"),
            Ok(S::EnAttenteConfirmation)
        );
    }

    #[test]
    fn every_refusal_has_a_snake_case_code_and_a_french_message() {
        let refus = [
            TransitionRefusee::TransitionInterdite {
                statut: S::Confirmee,
                action: "expirer",
            },
            TransitionRefusee::DejaConfirmee,
            TransitionRefusee::DejaAnnulee,
            TransitionRefusee::DejaTerminee,
            TransitionRefusee::ReservationExpiree,
            TransitionRefusee::RendezVousPasse,
            TransitionRefusee::RendezVousPasCommence,
            TransitionRefusee::MotifRequis,
            TransitionRefusee::DeplacementHorsDelai,
        ];
        for r in refus {
            assert!(r.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert!(r.message().ends_with('.'));
            assert_eq!(r.to_string(), r.message());
        }
    }
}
