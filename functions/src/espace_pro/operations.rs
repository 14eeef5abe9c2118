//! The professional's operations, shared by the pages and the API. Every one starts from
//! the signed-in account's own profile: ids from the request only ever select among the
//! professional's own rows.

use std::rc::Rc;

use booking_shared::comptes::saisies_pro::{
    self, AbsenceSaisie, Champs, OuvertureSaisie, Profil, ServiceSaisi,
};
use booking_shared::reservation::{transition, Action, ContexteTransition, TransitionRefusee};
use booking_shared::store::professionnels::Professionnel;
use booking_shared::store::reservations::{self, ErreurEcriture};
use booking_shared::store::{agenda, espace_pro, planning, services, DbError};
use booking_shared::types::{AnnuleePar, Identifiant, ReservationId};
use booking_shared::vertical::{ErreurChamp, VerticalConfig};

use crate::app::Ctx;
use crate::comptes::Connecte;
use crate::problem::Problem;
use crate::reservations::Dossier;

#[derive(Debug)]
pub enum ErreurPro {
    /// The account has no professional profile.
    SansProfil,
    Introuvable,
    Champs(Vec<ErreurChamp>),
    Transition(TransitionRefusee),
    Conflit,
    ActionInconnue,
    Interne(String),
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

impl ErreurPro {
    pub fn problem(&self) -> Problem {
        match self {
            ErreurPro::SansProfil => Problem::new(
                403,
                "profil_professionnel_absent",
                "Ce compte n'a pas de profil professionnel.",
            ),
            ErreurPro::Introuvable => Problem::not_found(),
            ErreurPro::Champs(e) => {
                Problem::new(422, "champs_invalides", "Certains champs sont à corriger.")
                    .with_errors(e.clone())
            }
            ErreurPro::Transition(t) => Problem::new(409, t.code(), t.message()),
            ErreurPro::Conflit => Problem::new(
                409,
                "conflit_concurrent",
                "La réservation a été modifiée entre-temps. Rechargez la page et réessayez.",
            ),
            ErreurPro::ActionInconnue => Problem::new(
                404,
                "action_inconnue",
                "Action inconnue : terminer, absent, annuler ou refuser.",
            ),
            ErreurPro::Interne(d) => Problem::internal(d),
        }
    }
}

/// The signed-in professional's profile.
pub async fn profil(ctx: &Ctx<'_>, connecte: &Connecte) -> Result<Professionnel, ErreurPro> {
    espace_pro::du_compte(ctx.db, connecte.id())
        .await?
        .ok_or(ErreurPro::SansProfil)
}

/// The professional's vertical configuration (whatever site they are on).
pub async fn vertical_de(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
) -> Result<Rc<VerticalConfig>, ErreurPro> {
    ctx.verticals
        .all(ctx.config, ctx.clock.now())
        .await
        .into_iter()
        .find(|v| v.slug() == pro.vertical)
        .ok_or_else(|| ErreurPro::Interne(format!("vertical {} introuvable", pro.vertical)))
}

pub async fn modifier_profil(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    champs: &Champs,
) -> Result<(), ErreurPro> {
    let profil = Profil::valider(champs).map_err(ErreurPro::Champs)?;
    espace_pro::modifier_profil(ctx.db, pro.id, &profil).await?;
    Ok(())
}

pub async fn ajouter_service(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    champs: &Champs,
) -> Result<i64, ErreurPro> {
    let s = ServiceSaisi::valider(champs).map_err(ErreurPro::Champs)?;
    espace_pro::ajouter_service(ctx.db, pro.id, &s)
        .await?
        .ok_or_else(|| ErreurPro::Interne("service non créé".into()))
}

fn id(texte: &str) -> Result<i64, ErreurPro> {
    Identifiant::parse(texte)
        .map(Identifiant::get)
        .ok_or(ErreurPro::Introuvable)
}

pub async fn modifier_service(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    service: &str,
    champs: &Champs,
) -> Result<(), ErreurPro> {
    let service = id(service)?;
    let s = ServiceSaisi::valider(champs).map_err(ErreurPro::Champs)?;
    if espace_pro::modifier_service(ctx.db, pro.id, service, &s).await? {
        Ok(())
    } else {
        Err(ErreurPro::Introuvable)
    }
}

pub async fn retirer_service(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    service: &str,
) -> Result<(), ErreurPro> {
    if espace_pro::retirer_service(ctx.db, pro.id, id(service)?).await? {
        Ok(())
    } else {
        Err(ErreurPro::Introuvable)
    }
}

pub async fn remplacer_semaine(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    champs: &Champs,
) -> Result<(), ErreurPro> {
    let plages = saisies_pro::semaine(champs).map_err(ErreurPro::Champs)?;
    espace_pro::remplacer_semaine(ctx.db, pro.id, &plages).await?;
    Ok(())
}

pub async fn ajouter_ouverture(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    champs: &Champs,
) -> Result<i64, ErreurPro> {
    let o = OuvertureSaisie::valider(champs).map_err(ErreurPro::Champs)?;
    espace_pro::ajouter_ouverture(ctx.db, pro.id, &o)
        .await?
        .ok_or_else(|| ErreurPro::Interne("ouverture non créée".into()))
}

pub async fn supprimer_ouverture(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    ouverture: &str,
) -> Result<(), ErreurPro> {
    if espace_pro::supprimer_ouverture(ctx.db, pro.id, id(ouverture)?).await? {
        Ok(())
    } else {
        Err(ErreurPro::Introuvable)
    }
}

pub async fn ajouter_absence(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    champs: &Champs,
) -> Result<i64, ErreurPro> {
    let a =
        AbsenceSaisie::valider(champs, planning::fuseau(&pro.fuseau)).map_err(ErreurPro::Champs)?;
    espace_pro::ajouter_absence(ctx.db, pro.id, &a)
        .await?
        .ok_or_else(|| ErreurPro::Interne("absence non créée".into()))
}

pub async fn supprimer_absence(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    absence: &str,
) -> Result<(), ErreurPro> {
    if espace_pro::supprimer_absence(ctx.db, pro.id, id(absence)?).await? {
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
/// booking must be the professional's own, and the lifecycle must allow it.
pub async fn agir(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    reservation_id: &str,
    action: &str,
    motif: &str,
) -> Result<Fait, ErreurPro> {
    let rid = ReservationId::parse(reservation_id).ok_or(ErreurPro::Introuvable)?;
    let reservation = reservations::par_id(ctx.db, rid.as_str())
        .await?
        .filter(|r| r.professionnel_id.get() == pro.id)
        .ok_or(ErreurPro::Introuvable)?;
    let action = match action {
        "terminer" => Action::Terminer,
        "absent" => Action::MarquerAbsent,
        "annuler" | "refuser" => Action::AnnulerParProfessionnel {
            motif: saisies_pro::motif_annulation(motif).map_err(|e| ErreurPro::Champs(vec![e]))?,
        },
        _ => return Err(ErreurPro::ActionInconnue),
    };
    let vertical = vertical_de(ctx, pro).await?;
    let maintenant = ctx.clock.now();
    let statut = reservation.statut;
    let contexte = ContexteTransition {
        maintenant,
        debut: reservation.debut(),
        fin: reservation.fin(),
        annulation_gratuite_heures: vertical.regles().annulation_gratuite_heures(),
    };
    let issue = transition(statut, &action, &contexte).map_err(ErreurPro::Transition)?;
    let service = services::par_id(ctx.db, reservation.service_id.get())
        .await?
        .ok_or_else(|| ErreurPro::Interne("service de la réservation introuvable".into()))?;
    let mut dossier = Dossier {
        reservation: reservation.clone(),
        professionnel: pro.clone(),
        service,
    };
    dossier.reservation.statut = issue.statut;
    dossier.reservation.updated_at = maintenant;
    if let Action::AnnulerParProfessionnel { motif } = &action {
        let remboursable = issue.annulation.is_some_and(|a| a.remboursable);
        dossier.reservation.annulee_par = Some(AnnuleePar::Professionnel);
        dossier.reservation.motif_annulation = Some(motif.clone());
        let courriels = crate::notifications::reservation_annulee(
            ctx,
            &vertical,
            &dossier,
            statut,
            "professionnel",
            remboursable,
        );
        reservations::annuler(
            ctx.db,
            &reservation,
            AnnuleePar::Professionnel,
            Some(motif),
            maintenant,
            courriels,
        )
        .await?;
        let remboursement =
            crate::paiements::apres_annulation(ctx, &vertical, &dossier, remboursable).await;
        return Ok(Fait {
            dossier,
            remboursement: Some(remboursement.json()),
        });
    }
    agenda::changer_statut(ctx.db, &reservation, issue.statut, maintenant, Vec::new()).await?;
    Ok(Fait {
        dossier,
        remboursement: None,
    })
}
