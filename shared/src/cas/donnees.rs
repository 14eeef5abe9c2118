//! Personal data under the client's control (RGPD): a signed-in client downloads all
//! their data and deletes their account; a guest does the same for one booking from its
//! manage link; the scheduled job applies the retention rule.
//!
//! Decisions:
//! - a future booking is cancelled first, by the client's own cancellation
//!   (`cas::reservations::annuler`, `Annuleur::Client`): refunded when the vertical's rules
//!   say so, kept otherwise, like any late cancellation. Erasing never refunds what the
//!   rules keep (the professional would lose it) nor drops it silently: when a future
//!   booking's payment would be kept, nothing happens until the client says they give it
//!   up (`renoncer_remboursement`), as sites that sell appointments do; an appointment
//!   that has started is not cancelled, only anonymised;
//! - a booking erased keeps its times, service, price, status and payment rows (the
//!   accounting law keeps them ten years; they name nobody: amounts and Stripe's
//!   references), and the professional sees « Client supprimé »; its review stays, its
//!   author shown as « Client supprimé » (the rating was given, the professional's average
//!   stays true); the e-mails sent to the person are deleted;
//! - only a client's account is deleted here: a professional's or an admin's carries a
//!   listing, its bookings and other people's data, and is closed by the platform;
//! - the account row goes, so that the address can sign up again.

use std::rc::Rc;

use chrono::Duration;
use serde_json::{json, Map, Value};

use crate::cas::comptes::{self, ErreurCompte};
use crate::cas::paiements::IssueRemboursement;
use crate::cas::reservations::{self, dossier_de, Annuleur, Dossier, ErreurReservation};
use crate::cas::{liste_attente, Ports};
use crate::comptes::Role;
use crate::reservation::{transition, Action, StatutReservation};
use crate::store::donnees::{self, Personne};
use crate::store::utilisateurs::Utilisateur;
use crate::store::{
    liste_attente as store_liste_attente, reservations as store_reservations, DbError, Row,
};
use crate::types::Centimes;
use crate::vertical::VerticalConfig;

/// Client details of a booking are kept this many years after the appointment, then
/// anonymised by the scheduled job (the time to answer a dispute; the payments, which name
/// nobody, stay for the accounting).
pub const CONSERVATION_RESERVATIONS_ANS: i64 = 3;

/// E-mails sent (or given up, or dropped) are deleted this many days after they were due.
pub const CONSERVATION_COURRIELS_JOURS: i64 = 365;

/// Bookings anonymised, and e-mails deleted, per run of the scheduled job at most.
pub const CONSERVATION_PAR_PASSAGE: i64 = 200;

/// Why a request about personal data did nothing.
#[derive(Debug, thiserror::Error)]
pub enum ErreurDonnees {
    /// The password typed to confirm a deletion is wrong (or the account has none).
    #[error("mot de passe incorrect")]
    MotDePasse,
    /// Too many wrong passwords lately (the sign-in throttles); retry after so many seconds.
    #[error("trop de tentatives (réessayer dans {0} s)")]
    TropDeTentatives(i64),
    /// A professional's or an admin's account.
    #[error("compte non supprimable ici")]
    CompteNonSupprimable,
    /// A future booking's payment would be kept by the cancellation: the client must say
    /// they give it up. The amount kept, in all.
    #[error("remboursement perdu ({0} centimes)")]
    RemboursementPerdu(Centimes),
    /// Erased meanwhile (a second click, another tab).
    #[error("déjà effacé")]
    DejaEfface,
    #[error(transparent)]
    Reservation(#[from] ErreurReservation),
    #[error("erreur interne : {0}")]
    Interne(String),
}

impl From<DbError> for ErreurDonnees {
    fn from(e: DbError) -> Self {
        ErreurDonnees::Interne(e.to_string())
    }
}

impl ErreurDonnees {
    /// For a refusal that time lifts: the seconds to wait (`Retry-After`).
    pub fn reessayer_dans(&self) -> Option<i64> {
        match self {
            ErreurDonnees::TropDeTentatives(s) => Some((*s).max(1)),
            _ => None,
        }
    }
}

/// The person behind a signed-in account: the address counts only once proved.
fn personne_du_compte(u: &Utilisateur) -> Personne {
    Personne::Compte {
        user_id: u.id,
        email_verifie: u.email_verifie().then(|| u.email.clone()),
    }
}

fn personne_de_la_reservation(d: &Dossier) -> Personne {
    Personne::Reservation {
        id: d.reservation.id.to_string(),
        hash_lien: d.reservation.manage_token_hash.clone(),
    }
}

/// The export: every part read (see `store::donnees::lectures_export`), the bookings'
/// form answers as JSON, the account's single row as an object.
async fn exporter(ports: &Ports<'_>, personne: &Personne) -> Result<Value, ErreurDonnees> {
    let mut export = Map::new();
    export.insert("exporte_le".into(), json!(ports.clock.now().to_rfc3339()));
    for (partie, lignes) in donnees::exporter(ports.db, personne).await? {
        let lignes: Vec<Row> = lignes
            .into_iter()
            .map(|mut ligne| {
                if let Some(Value::String(texte)) = ligne.get("reponses") {
                    let reponses = serde_json::from_str(texte).unwrap_or(Value::Null);
                    ligne.insert("reponses".into(), reponses);
                }
                ligne
            })
            .collect();
        // The account and the professional's profile are one row each (or none).
        let valeur = match partie {
            "compte" | "profil_professionnel" => {
                lignes.into_iter().next().map_or(Value::Null, Value::Object)
            }
            _ => Value::Array(lignes.into_iter().map(Value::Object).collect()),
        };
        export.insert(partie.into(), valeur);
    }
    Ok(Value::Object(export))
}

/// All the data of a signed-in account.
pub async fn exporter_compte(
    ports: &Ports<'_>,
    utilisateur: &Utilisateur,
) -> Result<Value, ErreurDonnees> {
    exporter(ports, &personne_du_compte(utilisateur)).await
}

/// All the data of one booking's client (the manage link's holder).
pub async fn exporter_reservation(
    ports: &Ports<'_>,
    dossier: &Dossier,
) -> Result<Value, ErreurDonnees> {
    exporter(ports, &personne_de_la_reservation(dossier)).await
}

/// A future booking cancelled on the way, and what became of its money.
#[derive(Debug)]
pub struct Annulation {
    pub reservation_id: String,
    pub remboursement: IssueRemboursement,
}

/// What an erasure did.
#[derive(Debug)]
pub struct Effacement {
    pub annulees: Vec<Annulation>,
}

/// The future bookings of `personne` with their vertical: refused when one's paid amount
/// would be kept by its cancellation and the client did not give it up.
async fn a_annuler(
    ports: &Ports<'_>,
    verticals: &[Rc<VerticalConfig>],
    personne: &Personne,
    renoncer_remboursement: bool,
) -> Result<Vec<(Rc<VerticalConfig>, Dossier)>, ErreurDonnees> {
    let maintenant = ports.clock.now();
    let mut a_annuler = Vec::new();
    let mut perdu = Centimes::ZERO;
    for id in donnees::a_venir(ports.db, personne, maintenant.timestamp()).await? {
        let Some(reservation) = store_reservations::par_id(ports.db, &id).await? else {
            continue;
        };
        let vertical = vertical_de(ports, verticals, &reservation).await?;
        let dossier = dossier_de(ports, &vertical, reservation)
            .await?
            .ok_or_else(|| ErreurDonnees::Interne(format!("réservation {id} incomplète")))?;
        let r = &dossier.reservation;
        // A slot the waitlist holds for them is no booking of theirs to cancel: the offer
        // ends (`annuler_tout`).
        if r.statut == StatutReservation::Offerte {
            a_annuler.push((vertical, dossier));
            continue;
        }
        let remboursable = transition(
            r.statut,
            &Action::AnnulerParClient,
            &reservations::contexte(&vertical, r, maintenant),
        )
        .map_err(ErreurReservation::Transition)?
        .annulation
        .is_some_and(|a| a.remboursable);
        if r.statut == StatutReservation::Confirmee && !remboursable {
            perdu = perdu + r.a_payer_centimes;
        }
        a_annuler.push((vertical, dossier));
    }
    if perdu > Centimes::ZERO && !renoncer_remboursement {
        return Err(ErreurDonnees::RemboursementPerdu(perdu));
    }
    Ok(a_annuler)
}

/// The configured vertical of a booking's professional.
async fn vertical_de(
    ports: &Ports<'_>,
    verticals: &[Rc<VerticalConfig>],
    reservation: &store_reservations::Reservation,
) -> Result<Rc<VerticalConfig>, ErreurDonnees> {
    let pro = crate::store::professionnels::par_id(ports.db, reservation.professionnel_id.get())
        .await?
        .ok_or_else(|| ErreurDonnees::Interne("professionnel introuvable".into()))?;
    verticals
        .iter()
        .find(|v| v.slug() == pro.vertical)
        .cloned()
        .ok_or_else(|| ErreurDonnees::Interne(format!("vertical {} absente", pro.vertical)))
}

/// Cancels each booking as its client would (refunds by the rules); an offer of the
/// waitlist ends instead, as if declined. Returns the cancellations, and the
/// professionals whose line to walk once the erasure is done (not before: the line would
/// offer the slot freed to the very entry being erased).
async fn annuler_tout(
    ports: &Ports<'_>,
    a_annuler: Vec<(Rc<VerticalConfig>, Dossier)>,
) -> Result<(Vec<Annulation>, Vec<(Rc<VerticalConfig>, i64)>), ErreurDonnees> {
    let mut annulees = Vec::new();
    let mut lignes = Vec::new();
    for (vertical, dossier) in a_annuler {
        if dossier.reservation.statut == StatutReservation::Offerte {
            let id = dossier.reservation.id.as_str();
            store_liste_attente::decliner(ports.db, id, ports.clock.now())
                .await
                .map_err(ErreurReservation::from)?;
            lignes.push((vertical, dossier.professionnel.id));
            continue;
        }
        let annulee =
            reservations::annuler(ports, &vertical, dossier, Annuleur::Client { motif: None })
                .await?;
        annulees.push(Annulation {
            reservation_id: annulee.dossier.reservation.id.to_string(),
            remboursement: annulee.remboursement,
        });
    }
    Ok((annulees, lignes))
}

/// Walks the lines whose offers an erasure ended.
async fn liberer(ports: &Ports<'_>, lignes: Vec<(Rc<VerticalConfig>, i64)>) {
    for (vertical, pro) in lignes {
        liste_attente::creneau_libere(ports, &vertical, pro).await;
    }
}

/// A fresh manage-link hash for an erased booking: random, so that no secret opens it.
fn hash_aleatoire(ports: &Ports<'_>) -> String {
    format!(
        "{}{}",
        hex::encode(ports.random.octets()),
        hex::encode(ports.random.octets())
    )
}

/// The account's password typed to confirm a deletion, and where it comes from (the
/// sign-in throttles count it: the source, and the device cookie if any).
#[derive(Debug, Clone, Copy)]
pub struct Preuve<'a> {
    pub ip: &'a str,
    pub appareil: Option<&'a str>,
    pub mot_de_passe: &'a str,
}

/// A signed-in client deletes their account, confirming with its password (checked and
/// throttled like a sign-in from `ip`): their future bookings are cancelled under the
/// normal rules, then everything that names them is erased and the account row deleted.
pub async fn supprimer_compte(
    ports: &Ports<'_>,
    verticals: &[Rc<VerticalConfig>],
    utilisateur: &Utilisateur,
    preuve: &Preuve<'_>,
    renoncer_remboursement: bool,
) -> Result<Effacement, ErreurDonnees> {
    if utilisateur.role != Role::Client {
        return Err(ErreurDonnees::CompteNonSupprimable);
    }
    let connexion = comptes::connecter(
        ports,
        preuve.ip,
        preuve.appareil,
        &utilisateur.email,
        preuve.mot_de_passe,
    )
    .await;
    match connexion {
        Ok(c) if c.utilisateur.id == utilisateur.id => {}
        Err(ErreurCompte::TropDeTentatives(s)) => return Err(ErreurDonnees::TropDeTentatives(s)),
        Err(ErreurCompte::Interne(e)) => return Err(ErreurDonnees::Interne(e)),
        _ => return Err(ErreurDonnees::MotDePasse),
    }
    let personne = personne_du_compte(utilisateur);
    let a_annuler = a_annuler(ports, verticals, &personne, renoncer_remboursement).await?;
    let (annulees, lignes) = annuler_tout(ports, a_annuler).await?;
    let maintenant = ports.clock.now().timestamp();
    if !donnees::supprimer_compte(ports.db, &personne, maintenant, &hash_aleatoire(ports)).await? {
        return Err(ErreurDonnees::DejaEfface);
    }
    liberer(ports, lignes).await;
    Ok(Effacement { annulees })
}

/// The holder of a booking's manage link erases its client's data: cancelled first under
/// the normal rules when it is still to come, then anonymised (the link stops working).
pub async fn effacer_reservation(
    ports: &Ports<'_>,
    vertical: &Rc<VerticalConfig>,
    dossier: Dossier,
    renoncer_remboursement: bool,
) -> Result<Effacement, ErreurDonnees> {
    let personne = personne_de_la_reservation(&dossier);
    let a_annuler = a_annuler(
        ports,
        std::slice::from_ref(vertical),
        &personne,
        renoncer_remboursement,
    )
    .await?;
    let (annulees, lignes) = annuler_tout(ports, a_annuler).await?;
    let maintenant = ports.clock.now().timestamp();
    if !donnees::effacer_reservation(ports.db, &personne, maintenant, &hash_aleatoire(ports))
        .await?
    {
        return Err(ErreurDonnees::DejaEfface);
    }
    liberer(ports, lignes).await;
    Ok(Effacement { annulees })
}

/// One run of the retention rule (the scheduled job): client details of appointments
/// that ended more than [`CONSERVATION_RESERVATIONS_ANS`] years ago are anonymised, and
/// e-mails done with for more than [`CONSERVATION_COURRIELS_JOURS`] days deleted, each at
/// most [`CONSERVATION_PAR_PASSAGE`] per run. Returns (bookings, e-mails).
pub async fn conserver(ports: &Ports<'_>) -> Result<(i64, i64), DbError> {
    let maintenant = ports.clock.now();
    let reservations_avant = maintenant - Duration::days(365 * CONSERVATION_RESERVATIONS_ANS);
    let courriels_avant = maintenant - Duration::days(CONSERVATION_COURRIELS_JOURS);
    donnees::conserver(
        ports.db,
        maintenant.timestamp(),
        reservations_avant.timestamp(),
        courriels_avant.timestamp(),
        CONSERVATION_PAR_PASSAGE,
    )
    .await
}
