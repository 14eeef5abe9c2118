use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::cas::Ports;
use crate::cas::{notifications, prochaine_dispo};
use crate::comptes::limites::Regle;
use crate::dates;
use crate::disponibilites::{debut_du_jour, occupation_avec_tampons, Creneau, Occupation, Regles};
use crate::reservation::limites::{
    regles_demandeur, regles_professionnel, RETENUES_PAR_EMAIL, RETENUES_PAR_SOURCE,
};
use crate::reservation::{
    montant_a_payer, transition, valider_demande, Action, ContexteTransition, DemandeBrute,
    StatutReservation,
};
use crate::securite::empreinte::pseudonyme;
use crate::securite::source::Source;
use crate::store::prochaine_dispo as store_prochaine;
use crate::store::professionnels::{Designe, Professionnel};
use crate::store::reservations::{
    self, ErreurEcriture, LimiteJournee, NouvelleReservation, OccupationMembre, PlafondRetenues,
    Reservation,
};
use crate::store::services::{self, Service};
use crate::store::{decode, limites, utilisateurs, Row, Statement};
use crate::types::{
    AnnuleePar, Centimes, JetonConfirmation, JetonGestion, ProfessionnelId, ReservationId,
    ServiceId, StatutApprobation, UserId,
};
use crate::vertical::VerticalConfig;

use super::dossier::dossier_de;
use super::regles::{lire_avec_planning, lire_public};
use super::{Dossier, ErreurReservation};

/// How long a booking awaiting payment holds its slot: its Checkout Session expires then
/// too, and Stripe wants at least 30 minutes from the session's creation, which comes a
/// moment after the booking's.
pub const DUREE_RETENUE_PAIEMENT_MINUTES: i64 = 31;

/// How long a guest's request holds its slot, waiting for the owner of its e-mail
/// address to confirm it from the e-mail.
pub const DUREE_RETENUE_CONFIRMATION_MINUTES: i64 = 30;

/// What a client asks to book.
#[derive(Debug, Clone)]
pub struct Demandee {
    /// The signed-in client making it, if any (a guest otherwise).
    pub user_id: Option<i64>,
    /// Where the request comes from (`CF-Connecting-IP`): what its rate limits count by.
    pub source: Source,
    /// Scheme, host and port of the vertical's site, for the links in e-mails.
    pub base_url: String,
    pub professionnel: String,
    pub service_id: i64,
    /// The member the client chose; None: "peu importe", any free one.
    pub membre: Option<i64>,
    /// ISO 8601 with offset, as given.
    pub debut: String,
    pub demande: DemandeBrute,
}

/// The manage page of a booking: the link e-mails and the API give the client.
pub fn lien_gestion(base_url: &str, id: &str, jeton: &str) -> String {
    format!("{base_url}/reservations/{id}?token={jeton}")
}

/// The page that confirms a guest's request: the link of the e-mail sent to its address.
pub fn lien_confirmation(base_url: &str, id: &str, jeton: &str) -> String {
    format!("{base_url}/reservations/{id}/confirmer?token={jeton}")
}

/// A booking just made, with the manage link's secret (shown once, never stored).
#[derive(Debug, Clone)]
pub struct Creee {
    pub dossier: Dossier,
    pub jeton: JetonGestion,
}

pub(crate) fn parse_instant(
    texte: &str,
    champ: &'static str,
) -> Result<DateTime<Utc>, ErreurReservation> {
    dates::lire_rfc3339(texte.trim())
        .map(|d| d.with_timezone(&Utc))
        .ok_or(ErreurReservation::DateInvalide(champ))
}

/// The local day of `instant`, as the instants it starts and ends at.
fn jour_local(fuseau: Tz, instant: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let date = instant.with_timezone(&fuseau).date_naive();
    let debut = |d: NaiveDate| debut_du_jour(fuseau, d).unwrap_or(instant);
    let lendemain = date.succ_opt().unwrap_or(date);
    (debut(date), debut(lendemain))
}

pub(crate) fn limite_journee(
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

/// Checks a new start of the booking being moved against the professional's hours, rules
/// and bookings (but its own), for the member it is assigned to.
async fn verifier(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    pro: &Professionnel,
    service: &Service,
    debut: DateTime<Utc>,
    deplacee: &Reservation,
) -> Result<(Creneau, Tz), ErreurReservation> {
    let maintenant = ports.clock.now();
    let jour = debut.date_naive();
    let sauf = Some(deplacee.id.as_str());
    let (agenda, _) =
        lire_avec_planning(ports.db, pro, jour, jour, maintenant, sauf, Vec::new()).await?;
    let choix = agenda
        .choisir(vertical, service, debut, maintenant, deplacee.membre_id)
        .map_err(ErreurReservation::Creneau)?;
    Ok((choix.creneau, agenda.fuseau()))
}

/// Books a slot: checks the request and the slot, counts it against the booking limits
/// (`reservation::limites`: 429 when exceeded), and writes it in one batch —
/// `en_attente_paiement` when something is due online, `confirmee` when the requester is
/// signed in with this very address verified, else `en_attente_confirmation`, held 30
/// minutes, with only the e-mail asking the address's owner to confirm it (the link's
/// secret is stored hashed). A hold's batch also caps the holds of its e-mail and source
/// at the professional (`garde_retenues`).
pub async fn reserver(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    demandee: &Demandee,
) -> Result<Creee, ErreurReservation> {
    let maintenant = ports.clock.now();
    let debut = parse_instant(&demandee.debut, "debut");
    // The professional, the service, the planning and the bookings of the day in one
    // round trip to D1.
    let jour = debut.as_ref().map_or(maintenant, |d| *d).date_naive();
    let qui = Designe::Public {
        vertical: vertical.slug(),
        slug: &demandee.professionnel,
    };
    // With the reads of the next free slot's computation, to store it in the same batch.
    let mut lecture = vec![services::lecture_actif(qui, demandee.service_id)];
    lecture.extend(store_prochaine::lectures(
        qui,
        prochaine_dispo::fenetre(maintenant),
        maintenant,
    ));
    lecture.extend(demandee.user_id.map(utilisateurs::lecture_adresse_verifiee));
    let (pro, agenda, autres) = lire_public(ports.db, qui, (jour, jour), maintenant, lecture)
        .await?
        .ok_or(ErreurReservation::ProfessionnelIntrouvable)?;
    let mut autres = autres.into_iter();
    let service: Service = decode::<Service>(autres.next().unwrap_or_default())?
        .into_iter()
        .next()
        .ok_or(ErreurReservation::ServiceIntrouvable)?;
    let pour_prochaine: [Vec<Row>; store_prochaine::LECTURES] =
        std::array::from_fn(|_| autres.next().unwrap_or_default());
    let adresse_verifiee = match autres.next() {
        Some(lignes) => utilisateurs::adresse_verifiee_depuis(lignes)?,
        None => None,
    };
    let demande =
        valider_demande(&demandee.demande, vertical.champs()).map_err(ErreurReservation::Champs)?;
    let debut = debut?;
    if demandee
        .membre
        .is_some_and(|m| !agenda.propose(&service, m))
    {
        return Err(ErreurReservation::MembreIntrouvable);
    }
    let choix = agenda
        .choisir(vertical, &service, debut, maintenant, demandee.membre)
        .map_err(ErreurReservation::Creneau)?;
    let creneau = choix.creneau;
    let fuseau = agenda.fuseau();
    // The slot as the next free slot's computation counts it: taken by the members the
    // booking is about to go to (the first of its preference list).
    let occupation = Occupation {
        debut: creneau.debut(),
        fin: creneau.fin(),
    };
    let prise: Vec<OccupationMembre> = choix
        .personnes
        .first()
        .into_iter()
        .chain(choix.ressources.first())
        .map(|&membre_id| OccupationMembre {
            membre_id,
            occupation,
            service_id: service.id,
            seance: (service.places > 1).then(String::new),
        })
        .collect();

    let prix = u64::try_from(service.prix_centimes).unwrap_or(0);
    let acompte = service.acompte_centimes.and_then(|a| u64::try_from(a).ok());
    let a_payer = montant_a_payer(&vertical.regles().paiement(), prix, acompte);
    // Someone vouches for the address when they are signed in to an account whose owner
    // proved they read it, and book for that very address.
    let adresse_prouvee = adresse_verifiee
        .is_some_and(|a| a.trim().eq_ignore_ascii_case(demande.email.as_str().trim()));
    let retenue = |minutes: i64| Some(maintenant + Duration::minutes(minutes));
    let (statut, expire_at, confirmation) = if a_payer > 0 {
        let statut = StatutReservation::EnAttentePaiement;
        (statut, retenue(DUREE_RETENUE_PAIEMENT_MINUTES), None)
    } else if adresse_prouvee {
        (StatutReservation::Confirmee, None, None)
    } else {
        (
            StatutReservation::EnAttenteConfirmation,
            retenue(DUREE_RETENUE_CONFIRMATION_MINUTES),
            Some(JetonConfirmation::from_random(ports.random.octets())),
        )
    };

    // The request counts against its source's and its address's limits; then, if nobody
    // vouches for it, against the professional's (see `reservation::limites`).
    let cles = &ports.cles;
    let secret = cles.pseudonymes.expose();
    let source_hash = demandee.source.empreinte(secret);
    // A signed-in owner of a proved address counts on their account, not on the address:
    // strangers typing that address (which they may) cannot spend the owner's allowance.
    let email_hash = match (adresse_prouvee, demandee.user_id) {
        (true, Some(user_id)) => pseudonyme(secret, "compte", &user_id.to_string()),
        _ => pseudonyme(
            secret,
            "email",
            &crate::casse::minuscules(demande.email.as_str()),
        ),
    };
    let demandeur = regles_demandeur(&source_hash, &email_hash);
    let professionnel = (!adresse_prouvee).then(|| regles_professionnel(pro.id));

    let id = ReservationId::from_random(ports.random.octets());
    // A request's manage secret follows from its confirmation secret, so that the
    // confirmation e-mail can carry the manage link (see `JetonConfirmation`).
    let jeton = match &confirmation {
        Some(c) => c.jeton_gestion(),
        None => JetonGestion::from_random(ports.random.octets()),
    };
    let reservation = Reservation {
        id,
        professionnel_id: ProfessionnelId::new(pro.id),
        service_id: ServiceId::new(service.id),
        user_id: demandee.user_id.map(UserId::new),
        date_heure: creneau.debut(),
        fin: creneau.fin(),
        statut,
        message: demande.message.clone(),
        client_nom: demande.nom.as_str().to_owned(),
        client_email: demande.email.as_str().to_owned(),
        client_telephone: demande.telephone.as_str().to_owned(),
        reponses: serde_json::Value::Object(demande.reponses.clone()).to_string(),
        prix_centimes: Centimes::new(service.prix_centimes),
        a_payer_centimes: Centimes::new(i64::try_from(a_payer).unwrap_or(i64::MAX)),
        manage_token_hash: jeton.hash(),
        expire_at,
        annulee_par: None,
        motif_annulation: None,
        created_at: maintenant,
        updated_at: maintenant,
        membre_id: None,
        membre_nom: None,
        ressource_nom: None,
    };
    let plafond_retenues = statut.is_retenue().then(|| PlafondRetenues {
        email: demande.email.as_str().to_owned(),
        par_email: RETENUES_PAR_EMAIL,
        source_hash: source_hash.clone(),
        par_source: RETENUES_PAR_SOURCE,
    });
    let nouvelle = NouvelleReservation {
        occupation: occupation_avec_tampons(
            creneau.debut(),
            creneau.fin(),
            &Regles::from(vertical.regles()),
        ),
        limite_journee: limite_journee(vertical, fuseau, creneau.debut()),
        reservation,
        source_hash: Some(source_hash),
        confirmation_token_hash: confirmation.as_ref().map(JetonConfirmation::hash),
        plafond_retenues,
        membres: choix.personnes,
        ressources: choix.ressources,
    };
    let dossier = Dossier {
        reservation: nouvelle.reservation.clone(),
        professionnel: pro,
        service,
    };
    let id = dossier.reservation.id.as_str();
    let courriels = match &confirmation {
        Some(c) => notifications::demande_confirmation(
            ports,
            vertical,
            &dossier,
            &lien_confirmation(&demandee.base_url, id, c.as_str()),
        ),
        None => notifications::reservation_creee(
            ports,
            vertical,
            &dossier,
            &lien_gestion(&demandee.base_url, id, jeton.as_str()),
        ),
    };
    let retenue_secondes = expire_at.map_or(0, |e| (e - maintenant).num_seconds());
    // The usual case in one round trip: the limits counted and the booking written in one
    // batch, which fails as a whole if a limit is exceeded or the slot was taken.
    let toutes: Vec<_> = demandeur
        .iter()
        .chain(professionnel.iter().flatten())
        .cloned()
        .collect();
    let mut avant: Vec<Statement> =
        prochaine_dispo::avec_reservation(vertical, maintenant, pour_prochaine, prise)?
            .iter()
            .map(store_prochaine::enregistrer)
            .collect();
    avant.extend(limites::comptes_gardes(&toutes, maintenant.timestamp()));
    let mut dossier = dossier;
    if let Ok(assignee) =
        reservations::creer_apres(ports.db, avant, &nouvelle, maintenant, courriels.clone()).await
    {
        dossier.reservation.assigner(assignee);
        return Ok(Creee { dossier, jeton });
    }
    // Otherwise, nothing was written: the attempt counts against its source's and its
    // address's limits; then, if nobody vouches for it, against the professional's (see
    // `reservation::limites`); then the booking is tried alone, to say why it failed.
    limiter(ports, &demandeur)
        .await?
        .map_or(Ok(()), |s| Err(ErreurReservation::TropDeReservations(s)))?;
    if let Some(regles) = &professionnel {
        limiter(ports, regles).await?.map_or(Ok(()), |s| {
            Err(ErreurReservation::ProfessionnelTropSollicite(s))
        })?;
    }
    let assignee = reservations::creer(ports.db, &nouvelle, maintenant, courriels)
        .await
        .map_err(|e| match e {
            ErreurEcriture::TropDeRetenues => {
                ErreurReservation::TropDeDemandesEnAttente(retenue_secondes)
            }
            autre => autre.into(),
        })?;
    dossier.reservation.assigner(assignee);
    prochaine_dispo::apres_ecriture(ports, vertical, dossier.professionnel.id).await;
    Ok(Creee { dossier, jeton })
}

/// Counts the attempt against the rules; the seconds to wait when one is exceeded.
async fn limiter(
    ports: &Ports<'_>,
    regles: &[(Regle, String)],
) -> Result<Option<i64>, ErreurReservation> {
    Ok(limites::compter_toutes(ports.db, regles, ports.clock.now().timestamp()).await?)
}

/// A request just confirmed, with its manage link's secret.
#[derive(Debug, Clone)]
pub struct Confirmee {
    pub dossier: Dossier,
    pub jeton: JetonGestion,
}

/// The request a confirmation link names, when the link's secret is its own and the
/// request may still be confirmed now (what the link's page shows before its button).
pub async fn demande_a_confirmer(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    id: &str,
    secret: &str,
) -> Result<Dossier, ErreurReservation> {
    let id = ReservationId::parse(id).ok_or(ErreurReservation::ConfirmationInvalide)?;
    let reservation = reservations::par_id_avec_confirmation(ports.db, id.as_str())
        .await?
        .filter(|a| {
            a.confirmation_token_hash
                .as_deref()
                .is_some_and(|hash| JetonConfirmation::verifie(secret, hash))
        })
        .ok_or(ErreurReservation::ConfirmationInvalide)?
        .reservation;
    let dossier = dossier_de(ports, vertical, reservation)
        .await?
        .ok_or(ErreurReservation::ConfirmationInvalide)?;
    verifier_confirmable(vertical, &dossier.reservation, ports.clock.now())?;
    Ok(dossier)
}

/// The owner of a request's e-mail address confirms it with the secret of the e-mail's
/// link: the booking is confirmed in one guarded batch (still awaiting confirmation,
/// within its hold, owning its slot) with the e-mails and reminders of a confirmed
/// booking, which carry the manage link. `base_url` is the site of the request.
pub async fn confirmer(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    id: &str,
    secret: &str,
    base_url: &str,
) -> Result<Confirmee, ErreurReservation> {
    let dossier = demande_a_confirmer(ports, vertical, id, secret).await?;
    let maintenant = ports.clock.now();
    let jeton = JetonConfirmation::presente(secret).jeton_gestion();
    let apres = dossier.confirme(maintenant);
    let id = apres.reservation.id.clone();
    let lien = lien_gestion(base_url, id.as_str(), jeton.as_str());
    let courriels = notifications::reservation_creee(ports, vertical, &apres, &lien);
    match reservations::confirmer(ports.db, id.as_str(), maintenant, courriels).await {
        Ok(()) => {
            prochaine_dispo::apres_ecriture(ports, vertical, apres.professionnel.id).await;
            Ok(Confirmee {
                dossier: apres,
                jeton,
            })
        }
        // Changed meanwhile (confirmed by a click just before, expired…): say what it is now.
        Err(ErreurEcriture::Conflit) => {
            let actuelle = reservations::par_id(ports.db, id.as_str())
                .await?
                .ok_or(ErreurReservation::ConfirmationInvalide)?;
            verifier_confirmable(vertical, &actuelle, maintenant)?;
            Err(ErreurReservation::Conflit)
        }
        Err(autre) => Err(autre.into()),
    }
}

/// Whether a request may be confirmed now: awaiting confirmation, within its hold, before
/// its start.
fn verifier_confirmable(
    vertical: &VerticalConfig,
    reservation: &Reservation,
    maintenant: DateTime<Utc>,
) -> Result<(), ErreurReservation> {
    let statut = statut(reservation)?;
    let echue = reservation.expire_at.is_none_or(|fin| fin <= maintenant);
    match statut {
        StatutReservation::Expiree => Err(ErreurReservation::ConfirmationExpiree),
        StatutReservation::EnAttenteConfirmation if echue => {
            Err(ErreurReservation::ConfirmationExpiree)
        }
        _ => transition(
            statut,
            &Action::Confirmer,
            &contexte(vertical, reservation, maintenant),
        )
        .map(|_| ())
        .map_err(ErreurReservation::Transition),
    }
}

/// What the lifecycle's rules need to know of a booking of `vertical` at `maintenant`.
pub(crate) fn contexte(
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
    Ok(reservation.statut)
}

/// Who cancels a booking, with the reason they give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Annuleur {
    /// The client, through the manage link (the reason is optional, kept to 500
    /// characters).
    Client { motif: Option<String> },
    /// The professional, from their agenda (the reason, already checked, is told to the
    /// client).
    Professionnel { motif: String },
}

impl Annuleur {
    fn annulee_par(&self) -> AnnuleePar {
        match self {
            Annuleur::Client { .. } => AnnuleePar::Client,
            Annuleur::Professionnel { .. } => AnnuleePar::Professionnel,
        }
    }
}

/// A cancellation, written: the booking as it now is, whether it was inside the
/// free-cancellation window, and what became of the money paid online.
#[derive(Debug)]
pub struct Annulee {
    pub dossier: Dossier,
    pub remboursable: bool,
    pub remboursement: crate::cas::paiements::IssueRemboursement,
}

/// The client (through the manage link) or the professional cancels: if the lifecycle
/// allows it, the booking is cancelled, its slot freed and the e-mails queued in one
/// batch, then what was paid is refunded when the vertical's policy says so.
pub async fn annuler(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    dossier: Dossier,
    par: Annuleur,
) -> Result<Annulee, ErreurReservation> {
    let maintenant = ports.clock.now();
    let reservation = &dossier.reservation;
    let avant = statut(reservation)?;
    let (action, motif) = match par.clone() {
        Annuleur::Client { motif } => (
            Action::AnnulerParClient,
            motif
                .map(|m| m.trim().chars().take(500).collect::<String>())
                .filter(|m| !m.is_empty()),
        ),
        Annuleur::Professionnel { motif } => (
            Action::AnnulerParProfessionnel {
                motif: motif.clone(),
            },
            Some(motif),
        ),
    };
    let issue = transition(avant, &action, &contexte(vertical, reservation, maintenant))
        .map_err(ErreurReservation::Transition)?;
    let remboursable = issue.annulation.is_some_and(|a| a.remboursable);
    let apres = dossier.apres(maintenant, |r| {
        r.statut = issue.statut;
        r.annulee_par = Some(par.annulee_par());
        r.motif_annulation = motif.clone();
    });
    let courriels = notifications::reservation_annulee(
        ports,
        vertical,
        &apres,
        avant,
        par.annulee_par().as_str(),
        remboursable,
    );
    reservations::annuler(
        ports.db,
        reservation,
        par.annulee_par(),
        motif.as_deref(),
        maintenant,
        courriels,
    )
    .await?;
    // The freed slot goes to the first in the professional's waitlist.
    crate::cas::liste_attente::creneau_libere(ports, vertical, apres.professionnel.id).await;
    prochaine_dispo::apres_ecriture(ports, vertical, apres.professionnel.id).await;
    // Once the cancellation is written: what becomes of the money never undoes it.
    let remboursement =
        crate::cas::paiements::apres_annulation(ports, vertical, &apres, remboursable).await;
    Ok(Annulee {
        dossier: apres,
        remboursable,
        remboursement,
    })
}

/// The client moves the booking to another free slot of the same service: the new slot is
/// taken and the old one freed in one step, or nothing changes.
pub async fn deplacer(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    dossier: Dossier,
    nouveau_debut: &str,
    jeton: Option<&str>,
) -> Result<Dossier, ErreurReservation> {
    let maintenant = ports.clock.now();
    let reservation = &dossier.reservation;
    transition(
        statut(reservation)?,
        &Action::Deplacer,
        &contexte(vertical, reservation, maintenant),
    )
    .map_err(ErreurReservation::Transition)?;
    // A professional no longer approved offers no slot: their clients may still cancel.
    if dossier.professionnel.approbation != StatutApprobation::Approuve {
        return Err(ErreurReservation::Indisponible);
    }
    let debut = parse_instant(nouveau_debut, "debut")?;
    let (creneau, fuseau) = verifier(
        ports,
        vertical,
        &dossier.professionnel,
        &dossier.service,
        debut,
        reservation,
    )
    .await?;
    let occupation = occupation_avec_tampons(
        creneau.debut(),
        creneau.fin(),
        &Regles::from(vertical.regles()),
    );
    let limite = limite_journee(vertical, fuseau, creneau.debut());
    let apres = dossier.apres(maintenant, |r| {
        r.date_heure = creneau.debut();
        r.fin = creneau.fin();
    });
    let courriels = notifications::reservation_deplacee(
        ports,
        vertical,
        &apres,
        reservation.date_heure.timestamp(),
        jeton,
    );
    reservations::deplacer(
        ports.db,
        reservation,
        creneau.debut(),
        creneau.fin(),
        occupation,
        limite.as_ref(),
        maintenant,
        courriels,
    )
    .await?;
    // The old slot goes to the first in the professional's waitlist.
    crate::cas::liste_attente::creneau_libere(ports, vertical, apres.professionnel.id).await;
    prochaine_dispo::apres_ecriture(ports, vertical, apres.professionnel.id).await;
    Ok(apres)
}
