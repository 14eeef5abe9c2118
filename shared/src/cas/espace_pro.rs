//! The professional's use cases — profile, services, weekly hours, openings, time off,
//! actions on a booking — shared by the pages and the API. Every one starts from the
//! signed-in account's own profile: ids from the request only ever select among the
//! professional's own rows.

use std::rc::Rc;

use crate::cas::reservations::{self as cas_reservations, Annuleur, Dossier, ErreurReservation};
use crate::cas::{prochaine_dispo, Ports};
use crate::comptes::saisies_pro::{
    self, AbsenceSaisie, Champs, OuvertureSaisie, Profil, ServiceSaisi,
};
use crate::reservation::avis::Cloture;
use crate::reservation::{
    transition, Action, StatutReservation, TransitionRefusee, DELAI_DECLARATION_ABSENCE_HEURES,
};
use crate::store::espace_pro::{self, Retrait};
use crate::store::professionnels::Professionnel;
use crate::store::reservations::{self, ErreurEcriture, Reservation};
use crate::store::{agenda, avis, planning, services, DbError};
use crate::types::{Identifiant, ReservationId};
use crate::vertical::{ErreurChamp, VerticalConfig};

/// Why a professional's operation did nothing (mapped to a status and a code in
/// `functions::erreurs`).
#[derive(Debug, thiserror::Error)]
pub enum ErreurPro {
    /// The account has no professional profile.
    #[error("ce compte n'a pas de profil professionnel")]
    SansProfil,
    #[error("introuvable")]
    Introuvable,
    #[error("champs invalides")]
    Champs(Vec<ErreurChamp>),
    #[error(transparent)]
    Transition(TransitionRefusee),
    #[error("modifiée entre-temps")]
    Conflit,
    #[error("action inconnue")]
    ActionInconnue,
    /// Refused by a rule of the establishment (a code for clients, a French reason).
    #[error("{1}")]
    Refus(&'static str, String),
    #[error("erreur interne : {0}")]
    Interne(String),
}

impl From<ErreurReservation> for ErreurPro {
    fn from(e: ErreurReservation) -> Self {
        match e {
            ErreurReservation::Transition(t) => ErreurPro::Transition(t),
            ErreurReservation::Conflit => ErreurPro::Conflit,
            autre => ErreurPro::Interne(autre.to_string()),
        }
    }
}

impl From<DbError> for ErreurPro {
    fn from(e: DbError) -> Self {
        ErreurPro::Interne(e.to_string())
    }
}

impl From<ErreurEcriture> for ErreurPro {
    fn from(e: ErreurEcriture) -> Self {
        match e {
            ErreurEcriture::Conflit => ErreurPro::Conflit,
            autre => ErreurPro::Interne(autre.to_string()),
        }
    }
}

/// The profile of the signed-in account `user_id`.
pub async fn profil(ports: &Ports<'_>, user_id: i64) -> Result<Professionnel, ErreurPro> {
    espace_pro::du_compte(ports.db, user_id)
        .await?
        .ok_or(ErreurPro::SansProfil)
}

/// The professional's vertical configuration among `verticals` (whatever site they are
/// on).
pub(crate) fn vertical_de(
    verticals: &[Rc<VerticalConfig>],
    pro: &Professionnel,
) -> Result<Rc<VerticalConfig>, ErreurPro> {
    verticals
        .iter()
        .find(|v| v.slug() == pro.vertical)
        .cloned()
        .ok_or_else(|| ErreurPro::Interne(format!("vertical {} introuvable", pro.vertical)))
}

pub async fn modifier_profil(
    ports: &Ports<'_>,
    pro: &Professionnel,
    champs: &Champs,
) -> Result<(), ErreurPro> {
    let profil = Profil::valider(champs).map_err(ErreurPro::Champs)?;
    espace_pro::modifier_profil(ports.db, pro.id, &profil).await?;
    prochaine_dispo::apres_changement(ports, pro).await;
    Ok(())
}

pub async fn ajouter_service(
    ports: &Ports<'_>,
    pro: &Professionnel,
    champs: &Champs,
) -> Result<i64, ErreurPro> {
    let s = ServiceSaisi::valider(champs).map_err(ErreurPro::Champs)?;
    let id = espace_pro::ajouter_service(ports.db, pro.id, &s)
        .await?
        .ok_or_else(|| ErreurPro::Interne("service non créé".into()))?;
    prochaine_dispo::apres_changement(ports, pro).await;
    Ok(id)
}

/// The id a path or a form names: "not found" when it is none.
pub(crate) fn id(texte: &str) -> Result<i64, ErreurPro> {
    Identifiant::parse(texte)
        .map(Identifiant::get)
        .ok_or(ErreurPro::Introuvable)
}

/// The booking `texte` names, when it is the professional's own; "not found" otherwise.
pub(crate) async fn reservation_du_pro(
    ports: &Ports<'_>,
    pro: &Professionnel,
    texte: &str,
) -> Result<Reservation, ErreurPro> {
    let rid = ReservationId::parse(texte).ok_or(ErreurPro::Introuvable)?;
    reservations::par_id(ports.db, rid.as_str())
        .await?
        .filter(|r| r.professionnel_id.get() == pro.id)
        .ok_or(ErreurPro::Introuvable)
}

/// After a change that may free time (more hours, a shorter service, someone back): the
/// waitlist is walked at once, then the next free slot recomputed.
pub(crate) async fn place_liberee(ports: &Ports<'_>, pro: &Professionnel) {
    crate::cas::liste_attente::planning_change(ports, pro).await;
    prochaine_dispo::apres_changement(ports, pro).await;
}

pub async fn modifier_service(
    ports: &Ports<'_>,
    pro: &Professionnel,
    service: &str,
    champs: &Champs,
) -> Result<(), ErreurPro> {
    let service = id(service)?;
    let s = ServiceSaisi::valider(champs).map_err(ErreurPro::Champs)?;
    if espace_pro::modifier_service(ports.db, pro.id, service, &s).await? {
        // Shorter, or offered again: it may fit where it did not.
        place_liberee(ports, pro).await;
        Ok(())
    } else {
        Err(ErreurPro::Introuvable)
    }
}

pub async fn retirer_service(
    ports: &Ports<'_>,
    pro: &Professionnel,
    service: &str,
) -> Result<(), ErreurPro> {
    if espace_pro::retirer_service(ports.db, pro.id, id(service)?).await? {
        prochaine_dispo::apres_changement(ports, pro).await;
        Ok(())
    } else {
        Err(ErreurPro::Introuvable)
    }
}

/// The member of the form's `membre` field: none when empty, one of the establishment's,
/// or "not found" (another establishment's member changes nothing).
async fn membre_de(
    ports: &Ports<'_>,
    pro: &Professionnel,
    champs: &Champs,
) -> Result<Option<i64>, ErreurPro> {
    let membre = saisies_pro::champ(champs, "membre");
    Ok(crate::cas::membres::choisi(ports, pro, membre)
        .await?
        .map(|m| m.id))
}

/// The weekly hours of the member of the `membre` field (the first member without one).
pub async fn remplacer_semaine(
    ports: &Ports<'_>,
    pro: &Professionnel,
    champs: &Champs,
) -> Result<(), ErreurPro> {
    let plages = saisies_pro::semaine(champs).map_err(ErreurPro::Champs)?;
    let membre = membre_de(ports, pro, champs).await?;
    espace_pro::remplacer_semaine_membre(ports.db, pro.id, membre, &plages).await?;
    // New hours may free slots for the waitlist.
    place_liberee(ports, pro).await;
    Ok(())
}

pub async fn ajouter_ouverture(
    ports: &Ports<'_>,
    pro: &Professionnel,
    champs: &Champs,
) -> Result<i64, ErreurPro> {
    let o = OuvertureSaisie::valider(champs).map_err(ErreurPro::Champs)?;
    let membre = membre_de(ports, pro, champs).await?;
    let id = espace_pro::ajouter_ouverture_membre(ports.db, pro.id, membre, &o)
        .await?
        .ok_or_else(|| ErreurPro::Interne("ouverture non créée".into()))?;
    // An extra opening may free slots for the waitlist.
    place_liberee(ports, pro).await;
    Ok(id)
}

pub async fn supprimer_ouverture(
    ports: &Ports<'_>,
    pro: &Professionnel,
    ouverture: &str,
) -> Result<(), ErreurPro> {
    retirer(ports, pro, Retrait::Ouverture, ouverture).await
}

pub async fn ajouter_absence(
    ports: &Ports<'_>,
    pro: &Professionnel,
    champs: &Champs,
) -> Result<i64, ErreurPro> {
    let a =
        AbsenceSaisie::valider(champs, planning::fuseau(&pro.fuseau)).map_err(ErreurPro::Champs)?;
    // No member: the whole establishment is away (a public holiday).
    let membre = membre_de(ports, pro, champs).await?;
    let id = espace_pro::ajouter_absence_membre(ports.db, pro.id, membre, &a)
        .await?
        .ok_or_else(|| ErreurPro::Interne("absence non créée".into()))?;
    prochaine_dispo::apres_changement(ports, pro).await;
    Ok(id)
}

pub async fn supprimer_absence(
    ports: &Ports<'_>,
    pro: &Professionnel,
    absence: &str,
) -> Result<(), ErreurPro> {
    retirer(ports, pro, Retrait::Absence, absence).await?;
    // Time off removed may free slots for the waitlist.
    crate::cas::liste_attente::planning_change(ports, pro).await;
    Ok(())
}

async fn retirer(
    ports: &Ports<'_>,
    pro: &Professionnel,
    retrait: Retrait,
    texte: &str,
) -> Result<(), ErreurPro> {
    if espace_pro::retirer(ports.db, retrait, pro.id, id(texte)?).await? {
        prochaine_dispo::apres_changement(ports, pro).await;
        Ok(())
    } else {
        Err(ErreurPro::Introuvable)
    }
}

/// What an agenda action did.
#[derive(Debug, Clone)]
pub struct Fait {
    pub dossier: Dossier,
    pub remboursement: Option<serde_json::Value>,
}

/// Done, no-show, cancel or refuse (with a reason, which the client is told): the
/// booking must be the professional's own, and the lifecycle must allow it. `verticals`
/// are the configured verticals (the professional's own gives the rules and e-mails).
pub async fn agir(
    ports: &Ports<'_>,
    verticals: &[Rc<VerticalConfig>],
    pro: &Professionnel,
    reservation_id: &str,
    action: &str,
    motif: &str,
) -> Result<Fait, ErreurPro> {
    let reservation = reservation_du_pro(ports, pro, reservation_id).await?;
    let action = match action {
        "terminer" => Action::Terminer,
        "absent" => Action::MarquerAbsent,
        "annuler" | "refuser" => Action::AnnulerParProfessionnel {
            motif: saisies_pro::motif_annulation(motif).map_err(|e| ErreurPro::Champs(vec![e]))?,
        },
        _ => return Err(ErreurPro::ActionInconnue),
    };
    let vertical = vertical_de(verticals, pro)?;
    let service = services::par_id(ports.db, reservation.service_id.get())
        .await?
        .ok_or_else(|| ErreurPro::Interne("service de la réservation introuvable".into()))?;
    let dossier = Dossier {
        reservation: reservation.clone(),
        professionnel: pro.clone(),
        service,
    };
    if let Action::AnnulerParProfessionnel { motif } = action {
        let par = Annuleur::Professionnel { motif };
        let annulee = cas_reservations::annuler(ports, &vertical, dossier, par).await?;
        return Ok(Fait {
            dossier: annulee.dossier,
            remboursement: Some(annulee.remboursement.json()),
        });
    }
    let maintenant = ports.clock.now();
    let statut = reservation.statut;
    let vers = match (statut, &action) {
        // Closed by the scheduled job with nobody's word: the professional says whether it
        // took place (done or no-show), which decides whether it may be reviewed. A paid
        // one, which its client may review, takes a no-show only soon after its end.
        (StatutReservation::Terminee, Action::Terminer | Action::MarquerAbsent) => {
            let faits = avis::faits(ports.db, reservation.id.as_str()).await?;
            if Cloture::parse(faits.terminee_par.as_deref()) != Some(Cloture::Systeme) {
                let contexte = cas_reservations::contexte(&vertical, &reservation, maintenant);
                transition(statut, &action, &contexte).map_err(ErreurPro::Transition)?;
            }
            let tard = maintenant
                > reservation.fin + chrono::TimeDelta::hours(DELAI_DECLARATION_ABSENCE_HEURES);
            match action {
                Action::Terminer => StatutReservation::Terminee,
                _ if faits.paye != 0 && tard => {
                    return Err(ErreurPro::Transition(TransitionRefusee::AbsenceHorsDelai))
                }
                _ => StatutReservation::Absent,
            }
        }
        _ => {
            let contexte = cas_reservations::contexte(&vertical, &reservation, maintenant);
            transition(statut, &action, &contexte)
                .map_err(ErreurPro::Transition)?
                .statut
        }
    };
    let mut dossier = dossier;
    dossier.reservation.statut = vers;
    dossier.reservation.updated_at = maintenant;
    agenda::changer_statut(ports.db, &reservation, vers, maintenant, Vec::new()).await?;
    prochaine_dispo::apres_ecriture(ports, &vertical, pro.id).await;
    Ok(Fait {
        dossier,
        remboursement: None,
    })
}
