use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use booking_shared::disponibilites::{occupation_avec_tampons, verifier_creneau, Creneau};
use booking_shared::reservation::{
    montant_a_payer, transition, valider_demande, Action, ContexteTransition, DemandeBrute,
    StatutReservation,
};
use booking_shared::store::decode;
use booking_shared::store::professionnels::{self, Professionnel};
use booking_shared::store::reservations::{self, LimiteJournee, NouvelleReservation, Reservation};
use booking_shared::store::services::{self, Service};
use booking_shared::types::{JetonGestion, ReservationId};
use booking_shared::vertical::VerticalConfig;

use super::regles::{lire_avec_planning, planning_et_occupations, regles_de};
use super::{Dossier, ErreurReservation};
use crate::app::Ctx;
use crate::notifications;

/// How long a booking awaiting payment holds its slot: its Checkout Session expires then
/// too, and Stripe wants at least 30 minutes from the session's creation, which comes a
/// moment after the booking's.
pub const DUREE_RETENUE_PAIEMENT_MINUTES: i64 = 31;

/// What a client asks to book.
#[derive(Debug, Clone)]
pub struct Demandee {
    /// The signed-in client making it, if any (a guest otherwise).
    pub user_id: Option<i64>,
    /// Scheme, host and port of the vertical's site, for the links in e-mails.
    pub base_url: String,
    pub professionnel: String,
    pub service_id: i64,
    /// ISO 8601 with offset, as given.
    pub debut: String,
    pub demande: DemandeBrute,
}

/// The manage page of a booking: the link e-mails and the API give the client.
pub fn lien_gestion(base_url: &str, id: &str, jeton: &str) -> String {
    format!("{base_url}/reservations/{id}?token={jeton}")
}

/// A booking just made, with the manage link's secret (shown once, never stored).
#[derive(Debug, Clone)]
pub struct Creee {
    pub dossier: Dossier,
    pub jeton: JetonGestion,
}

fn parse_instant(texte: &str, champ: &'static str) -> Result<DateTime<Utc>, ErreurReservation> {
    DateTime::parse_from_rfc3339(texte.trim())
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| ErreurReservation::DateInvalide(champ))
}

/// The local day of `instant`, as the instants it starts and ends at.
fn jour_local(fuseau: Tz, instant: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let date = instant.with_timezone(&fuseau).date_naive();
    let debut = |d: NaiveDate| {
        let minuit = d.and_hms_opt(0, 0, 0).unwrap_or_default();
        // Midnight can fall in a DST gap in a few zones: take the first instant after it.
        fuseau
            .from_local_datetime(&minuit)
            .earliest()
            .or_else(|| {
                fuseau
                    .from_local_datetime(&(minuit + Duration::hours(1)))
                    .earliest()
            })
            .map_or(instant, |d| d.with_timezone(&Utc))
    };
    let lendemain = date.succ_opt().unwrap_or(date);
    (debut(date), debut(lendemain))
}

fn limite_journee(
    vertical: &VerticalConfig,
    fuseau: Tz,
    debut: DateTime<Utc>,
) -> Option<LimiteJournee> {
    vertical
        .regles()
        .max_reservations_par_jour()
        .map(|maximum| {
            let (debut_jour, fin_jour) = jour_local(fuseau, debut);
            LimiteJournee {
                maximum,
                debut_jour,
                fin_jour,
            }
        })
}

/// Checks a start against the professional's hours, rules and bookings.
async fn verifier(
    ctx: &Ctx<'_>,
    vertical: &VerticalConfig,
    pro: &Professionnel,
    service: &Service,
    debut: DateTime<Utc>,
    sauf: Option<&str>,
) -> Result<(Creneau, Tz), ErreurReservation> {
    let maintenant = ctx.clock.now();
    let jour = debut.date_naive();
    let (planning, occupations) =
        planning_et_occupations(ctx.db, pro, jour, jour, maintenant, sauf).await?;
    let duree = u32::try_from(service.duree_minutes).unwrap_or(0);
    let creneau = verifier_creneau(
        &planning,
        &regles_de(vertical),
        duree,
        &occupations,
        debut,
        maintenant,
    )
    .map_err(ErreurReservation::Creneau)?;
    Ok((creneau, planning.fuseau))
}

pub async fn reserver(
    ctx: &Ctx<'_>,
    vertical: &VerticalConfig,
    demandee: &Demandee,
) -> Result<Creee, ErreurReservation> {
    let pro = professionnels::public_par_slug(ctx.db, vertical.slug(), &demandee.professionnel)
        .await?
        .ok_or(ErreurReservation::ProfessionnelIntrouvable)?;
    let maintenant = ctx.clock.now();
    let debut = parse_instant(&demandee.debut, "debut");
    // The service, the planning and the bookings of the day in one round trip to D1.
    let jour = debut.as_ref().map_or(maintenant, |d| *d).date_naive();
    let lecture = vec![services::lecture_actif(pro.id, demandee.service_id)];
    let (planning, occupations, mut autres) =
        lire_avec_planning(ctx.db, &pro, jour, jour, maintenant, None, lecture).await?;
    let service: Service = decode::<Service>(autres.pop().unwrap_or_default())?
        .into_iter()
        .next()
        .ok_or(ErreurReservation::ServiceIntrouvable)?;
    let demande =
        valider_demande(&demandee.demande, vertical.champs()).map_err(ErreurReservation::Champs)?;
    let debut = debut?;
    let duree = u32::try_from(service.duree_minutes).unwrap_or(0);
    let creneau = verifier_creneau(
        &planning,
        &regles_de(vertical),
        duree,
        &occupations,
        debut,
        maintenant,
    )
    .map_err(ErreurReservation::Creneau)?;
    let fuseau = planning.fuseau;

    let prix = u64::try_from(service.prix_centimes).unwrap_or(0);
    let acompte = service.acompte_centimes.and_then(|a| u64::try_from(a).ok());
    let a_payer = montant_a_payer(&vertical.regles().paiement(), prix, acompte);
    let (statut, expire_at) = if a_payer > 0 {
        let fin_retenue = maintenant + Duration::minutes(DUREE_RETENUE_PAIEMENT_MINUTES);
        (
            StatutReservation::EnAttentePaiement,
            Some(fin_retenue.timestamp()),
        )
    } else {
        (StatutReservation::Confirmee, None)
    };
    let id = ReservationId::from_random(ctx.random.octets());
    let jeton = JetonGestion::from_random(ctx.random.octets());
    let reservation = Reservation {
        id: id.to_string(),
        professionnel_id: pro.id,
        service_id: service.id,
        user_id: demandee.user_id,
        date_heure: creneau.debut().timestamp(),
        fin: creneau.fin().timestamp(),
        statut: statut.as_str().to_owned(),
        message: demande.message.clone(),
        client_nom: demande.nom.as_str().to_owned(),
        client_email: demande.email.as_str().to_owned(),
        client_telephone: demande.telephone.as_str().to_owned(),
        reponses: serde_json::Value::Object(demande.reponses.clone()).to_string(),
        prix_centimes: service.prix_centimes,
        a_payer_centimes: i64::try_from(a_payer).unwrap_or(i64::MAX),
        manage_token_hash: jeton.hash(),
        expire_at,
        annulee_par: None,
        motif_annulation: None,
        created_at: maintenant.timestamp(),
        updated_at: maintenant.timestamp(),
    };
    let nouvelle = NouvelleReservation {
        occupation: occupation_avec_tampons(creneau.debut(), creneau.fin(), &regles_de(vertical)),
        limite_journee: limite_journee(vertical, fuseau, creneau.debut()),
        reservation,
    };
    let dossier = Dossier {
        reservation: nouvelle.reservation.clone(),
        professionnel: pro,
        service,
    };
    let lien = lien_gestion(&demandee.base_url, &dossier.reservation.id, jeton.as_str());
    let courriels = notifications::reservation_creee(ctx, vertical, &dossier, &lien);
    reservations::creer(ctx.db, &nouvelle, maintenant, courriels).await?;
    Ok(Creee { dossier, jeton })
}

fn contexte(
    vertical: &VerticalConfig,
    reservation: &Reservation,
    maintenant: DateTime<Utc>,
) -> ContexteTransition {
    ContexteTransition {
        maintenant,
        debut: reservation.debut(),
        fin: reservation.fin(),
        annulation_gratuite_heures: vertical.regles().annulation_gratuite_heures(),
    }
}

/// Whether the client may move this booking now: confirmed, and still before the
/// free-cancellation window (the state machine's rule, for the pages to offer the action).
pub fn peut_deplacer(
    vertical: &VerticalConfig,
    reservation: &Reservation,
    maintenant: DateTime<Utc>,
) -> bool {
    statut(reservation).is_ok_and(|s| {
        transition(
            s,
            &Action::Deplacer,
            &contexte(vertical, reservation, maintenant),
        )
        .is_ok()
    })
}

fn statut(reservation: &Reservation) -> Result<StatutReservation, ErreurReservation> {
    StatutReservation::parse(&reservation.statut)
        .map_err(|e| ErreurReservation::Interne(format!("{e:?}")))
}

/// A client's cancellation, written: the booking as it now is, whether it was inside the
/// free-cancellation window, and what became of the money paid online.
#[derive(Debug)]
pub struct Annulee {
    pub dossier: Dossier,
    pub remboursable: bool,
    pub remboursement: crate::paiements::IssueRemboursement,
}

/// The client cancels through the manage link: the booking is cancelled and its slot
/// freed in one batch, then what was paid is refunded when the vertical's policy says so.
pub async fn annuler_par_client(
    ctx: &Ctx<'_>,
    vertical: &VerticalConfig,
    dossier: Dossier,
    motif: Option<String>,
) -> Result<Annulee, ErreurReservation> {
    let maintenant = ctx.clock.now();
    let reservation = &dossier.reservation;
    let issue = transition(
        statut(reservation)?,
        &Action::AnnulerParClient,
        &contexte(vertical, reservation, maintenant),
    )
    .map_err(ErreurReservation::Transition)?;
    let motif = motif
        .map(|m| m.trim().chars().take(500).collect::<String>())
        .filter(|m| !m.is_empty());
    let remboursable = issue.annulation.is_some_and(|a| a.remboursable);
    let mut apres = dossier.clone();
    apres.reservation.statut = issue.statut.as_str().to_owned();
    apres.reservation.annulee_par = Some("client".into());
    apres.reservation.motif_annulation = motif.clone();
    apres.reservation.updated_at = maintenant.timestamp();
    let courriels =
        notifications::reservation_annulee(ctx, vertical, &apres, "client", remboursable);
    reservations::annuler(
        ctx.db,
        reservation,
        "client",
        motif.as_deref(),
        maintenant,
        courriels,
    )
    .await?;
    // Once the cancellation is written: what becomes of the money never undoes it.
    let remboursement =
        crate::paiements::apres_annulation(ctx, vertical, &apres, remboursable).await;
    Ok(Annulee {
        dossier: apres,
        remboursable,
        remboursement,
    })
}

/// The client moves the booking to another free slot of the same service: the new slot is
/// taken and the old one freed in one step, or nothing changes.
pub async fn deplacer(
    ctx: &Ctx<'_>,
    vertical: &VerticalConfig,
    dossier: Dossier,
    nouveau_debut: &str,
    jeton: Option<&str>,
) -> Result<Dossier, ErreurReservation> {
    let maintenant = ctx.clock.now();
    let reservation = &dossier.reservation;
    transition(
        statut(reservation)?,
        &Action::Deplacer,
        &contexte(vertical, reservation, maintenant),
    )
    .map_err(ErreurReservation::Transition)?;
    let debut = parse_instant(nouveau_debut, "debut")?;
    let (creneau, fuseau) = verifier(
        ctx,
        vertical,
        &dossier.professionnel,
        &dossier.service,
        debut,
        Some(&reservation.id),
    )
    .await?;
    let occupation = occupation_avec_tampons(creneau.debut(), creneau.fin(), &regles_de(vertical));
    let limite = limite_journee(vertical, fuseau, creneau.debut());
    let mut apres = dossier.clone();
    apres.reservation.date_heure = creneau.debut().timestamp();
    apres.reservation.fin = creneau.fin().timestamp();
    apres.reservation.updated_at = maintenant.timestamp();
    let courriels =
        notifications::reservation_deplacee(ctx, vertical, &apres, reservation.date_heure, jeton);
    reservations::deplacer(
        ctx.db,
        reservation,
        creneau.debut(),
        creneau.fin(),
        occupation,
        limite.as_ref(),
        maintenant,
        courriels,
    )
    .await?;
    Ok(apres)
}
