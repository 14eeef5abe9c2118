//! The waitlist: a client joins a professional's line for a service when nothing is free
//! in the window they want; when a slot of that window frees, the first in line is
//! offered it, held for them alone for a while (a booking in `offerte`); they take it
//! from the e-mail's link, or decline it or let it pass, and the next in line gets it.
//!
//! - Joining: a guest's entry waits for the owner of the address to confirm it from the
//!   e-mail (nobody can subscribe a stranger to offers); a signed-in client whose
//!   verified address it is joins at once. Rate-limited per source and address, and an
//!   address keeps at most `store::liste_attente::INSCRIPTIONS_PAR_EMAIL` entries in line
//!   at one professional.
//! - Offering ([`proposer`]): after anything that may free a slot — a cancellation, a
//!   move, an offer declined, new hours or time off removed — and from the scheduled job
//!   (holds and offers that expired, entries that ran out), the professional's line is
//!   walked first come first: each entry with no live offer gets the earliest free slot
//!   of its service in its window it was never offered. The offer's batch is guarded, so
//!   concurrent walks never give one entry two live offers nor the same slot twice.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

use crate::cas::cron::site_par_defaut;
use crate::cas::reservations::{
    contexte, creneaux, lien_gestion, limite_journee, lire_avec_planning, Agenda, Dossier,
    ErreurReservation, DUREE_RETENUE_PAIEMENT_MINUTES,
};
use crate::cas::{notifications, Ports};
use crate::comptes::limites::Regle;
use crate::disponibilites::{debut_du_jour, occupation_avec_tampons, Regles};
use crate::notifications::{Genre, Pour};
use crate::reservation::{
    montant_a_payer, transition, valider_complement, Action, DemandeBrute, StatutReservation,
};
use crate::securite::empreinte::pseudonyme;
use crate::securite::source::Source;
use crate::store::liste_attente::{self as store, ErreurInscription, Inscription};
use crate::store::outbox::{self, Destinataire, Jeton, Planifie};
use crate::store::planning::fuseau;
use crate::store::professionnels::{self, Professionnel};
use crate::store::reservations::{self as reservations_store, NouvelleReservation, Reservation};
use crate::store::services::{self, Service};
use crate::store::{agendas, decode, fetch_ids, limites, utilisateurs, Statement};
use crate::types::{
    boite_aux_lettres, Centimes, Email, JetonGestion, NomClient, ProfessionnelId, ReservationId,
    ServiceId, StatutApprobation, StatutInscription, UserId,
};
use crate::vertical::{ErreurChamp, VerticalConfig};

/// Entries joined per client source, and per address.
pub const INSCRIPTIONS_SOURCE_HEURE: Regle = Regle::par_heure("liste_attente:source:heure", 10);
pub const INSCRIPTIONS_EMAIL_JOUR: Regle = Regle::par_jour("liste_attente:email:jour", 6);

/// Entries read per page of a professional's line (a walk pages on to the line's end).
const ENTREES_PAR_PAGE: u32 = 50;

/// Reads one walk of a professional's line may make (pages of the line, the agenda, read
/// again after each offer): it stays within the Worker's subrequest budget. An entry
/// whose window holds no free slot costs no read, so it never holds up those behind it.
const LECTURES_PAR_PASSAGE: u32 = 12;

/// Lines the scheduled job walks per run, those walked longest ago first: a run stays
/// within the Worker's subrequest budget (about 5 × 40 queries at most).
const LIGNES_PAR_PASSAGE: u32 = 5;

/// The page of a waitlist entry (confirm it, leave the list): the link of its e-mail.
pub fn lien_inscription(base_url: &str, jeton: &str) -> String {
    format!("{base_url}/liste-attente?token={jeton}")
}

/// The page of an offer (take it, decline it, leave the list): the link of its e-mail.
pub fn lien_offre(base_url: &str, id: &str, jeton: &str) -> String {
    format!("{base_url}/reservations/{id}/offre?token={jeton}")
}

/// What a client asks: to be told when a slot of `service_id` frees in `du..=au` (local
/// days, `YYYY-MM-DD`), or as soon as possible when both are absent.
#[derive(Debug, Clone)]
pub struct Inscrire {
    pub user_id: Option<i64>,
    pub source: Source,
    /// Scheme, host and port of the vertical's site, for the links in e-mails.
    pub base_url: String,
    pub professionnel: String,
    pub service_id: i64,
    pub du: Option<String>,
    pub au: Option<String>,
    pub nom: String,
    pub email: String,
}

fn champ(nom: &str, e: crate::types::ErreurContact) -> ErreurChamp {
    ErreurChamp {
        champ: nom.to_owned(),
        code: e.code,
        message: e.message,
    }
}

fn fenetre_invalide(champ: &'static str, message: &'static str) -> ErreurReservation {
    ErreurReservation::FenetreInvalide { champ, message }
}

/// The local days of the window, checked against today and the booking horizon; the
/// whole horizon for "as soon as possible".
fn lire_fenetre(
    du: Option<&str>,
    au: Option<&str>,
    aujourdhui: NaiveDate,
    horizon_jours: u32,
) -> Result<(NaiveDate, NaiveDate, bool), ErreurReservation> {
    let dernier = aujourdhui + Duration::days(i64::from(horizon_jours));
    let date = |texte: &str, champ: &'static str| {
        crate::dates::lire_date(texte.trim()).ok_or_else(|| {
            fenetre_invalide(
                champ,
                "La date doit être au format AAAA-MM-JJ (exemple : 2026-12-01).",
            )
        })
    };
    let vide = |t: &Option<&str>| t.is_none_or(|t| t.trim().is_empty());
    match (vide(&du), vide(&au)) {
        (true, true) => Ok((aujourdhui, dernier, true)),
        (false, false) => {
            let du = date(du.unwrap_or_default(), "du")?;
            let au = date(au.unwrap_or_default(), "au")?;
            if du < aujourdhui {
                Err(fenetre_invalide(
                    "du",
                    "La période doit commencer aujourd'hui ou plus tard.",
                ))
            } else if au < du {
                Err(fenetre_invalide(
                    "au",
                    "La fin de la période doit suivre son début.",
                ))
            } else if au > dernier {
                Err(fenetre_invalide(
                    "au",
                    "La période dépasse les dates ouvertes à la réservation.",
                ))
            } else {
                Ok((du, au, false))
            }
        }
        (true, false) => Err(fenetre_invalide("du", "Indiquez le début de la période.")),
        (false, true) => Err(fenetre_invalide("au", "Indiquez la fin de la période.")),
    }
}

/// What is left of an entry's window: from today, up to the horizon.
fn fenetre_restante(
    inscription: &Inscription,
    aujourdhui: NaiveDate,
    horizon_jours: u32,
) -> (NaiveDate, NaiveDate) {
    let dernier = aujourdhui + Duration::days(i64::from(horizon_jours));
    let jour = |t: &Option<String>| t.as_deref().and_then(crate::dates::lire_date);
    let du = jour(&inscription.attente.du).map_or(aujourdhui, |d| d.max(aujourdhui));
    let au = jour(&inscription.attente.au).map_or(dernier, |d| d.min(dernier));
    (du, au)
}

/// A client joins the line: checks the request, refuses when the window has a free slot
/// (book it instead), counts it against the limits, and writes the entry with its e-mail
/// (the link to confirm it or leave the list) in one batch.
pub async fn inscrire(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    demande: &Inscrire,
) -> Result<Inscription, ErreurReservation> {
    if !vertical.liste_attente().actif {
        return Err(ErreurReservation::ListeAttenteFermee);
    }
    let pro = professionnels::public_par_slug(ports.db, vertical.slug(), &demande.professionnel)
        .await?
        .ok_or(ErreurReservation::ProfessionnelIntrouvable)?;
    let mut lecture = vec![services::lecture_actif(pro.id, demande.service_id)];
    lecture.extend(demande.user_id.map(utilisateurs::lecture_adresse_verifiee));
    let mut lignes = ports.db.batch(lecture).await?.into_iter();
    let service: Service = decode::<Service>(lignes.next().unwrap_or_default())?
        .into_iter()
        .next()
        .ok_or(ErreurReservation::ServiceIntrouvable)?;
    let adresse_verifiee = match lignes.next() {
        Some(l) => utilisateurs::adresse_verifiee_depuis(l)?,
        None => None,
    };
    let nom = NomClient::parse(&demande.nom).map_err(|e| champ("nom", e));
    let email = Email::parse(&demande.email).map_err(|e| champ("email", e));
    let (nom, email) = match (nom, email) {
        (Ok(nom), Ok(email)) => (nom, email),
        (nom, email) => {
            return Err(ErreurReservation::Champs(
                [nom.err(), email.err()].into_iter().flatten().collect(),
            ))
        }
    };
    let maintenant = ports.clock.now();
    let tz = fuseau(&pro.fuseau);
    let aujourdhui = maintenant.with_timezone(&tz).date_naive();
    let horizon = vertical.regles().horizon_jours();
    let (du, au, au_plus_tot) = lire_fenetre(
        demande.du.as_deref(),
        demande.au.as_deref(),
        aujourdhui,
        horizon,
    )?;
    let offre = creneaux(
        ports.db,
        vertical,
        &pro,
        &service,
        (du, au),
        maintenant,
        None,
    )
    .await?;
    if !offre.creneaux.is_empty() {
        return Err(ErreurReservation::CreneauxLibres);
    }
    let fin_fenetre = if au_plus_tot {
        maintenant + Duration::days(i64::from(horizon))
    } else {
        au.succ_opt()
            .and_then(|lendemain| debut_du_jour(tz, lendemain))
            .unwrap_or(maintenant)
    };

    let secret = ports.cles.pseudonymes.expose();
    let source_hash = demande.source.empreinte(secret);
    let boite = boite_aux_lettres(email.as_str());
    let email_hash = pseudonyme(secret, "email", &boite);
    let regles = [
        (INSCRIPTIONS_SOURCE_HEURE, source_hash.clone()),
        (INSCRIPTIONS_EMAIL_JOUR, email_hash),
    ];
    if let Some(s) = limites::compter_toutes(ports.db, &regles, maintenant.timestamp()).await? {
        return Err(ErreurReservation::TropDeReservations(s));
    }

    // Someone vouches for the address when signed in to an account whose owner proved
    // they read it, and joining for that very address.
    let prouvee =
        adresse_verifiee.is_some_and(|a| a.trim().eq_ignore_ascii_case(email.as_str().trim()));
    // The entry (and the offers made to it) belongs to the account only then: an address
    // typed by someone signed in may be a stranger's.
    let user_id = demande.user_id.filter(|_| prouvee);
    let jeton = JetonGestion::from_random(ports.random.octets());
    let nouvelle = store::NouvelleInscription {
        attente: store::Attente {
            professionnel_id: pro.id,
            service_id: service.id,
            user_id,
            email: email.as_str().to_owned(),
            nom: nom.as_str().to_owned(),
            du: (!au_plus_tot).then(|| du.to_string()),
            au: (!au_plus_tot).then(|| au.to_string()),
            fin_fenetre,
            statut: if prouvee {
                StatutInscription::Active
            } else {
                StatutInscription::AConfirmer
            },
            jeton_hash: jeton.hash(),
            base_url: demande.base_url.clone(),
        },
        boite,
        source_hash,
    };
    let courriel = outbox::planifier(&Planifie {
        cle: format!("inscription_liste_attente:{}", jeton.hash()),
        kind: Genre::InscriptionListeAttente.as_str(),
        reservation_id: None,
        destinataire: Destinataire::Adresse {
            email: email.as_str().to_owned(),
            user_id,
        },
        donnees: crate::objet!({
            "vertical": vertical.slug(),
            "pour": Pour::Client.as_str(),
            "lien": lien_inscription(&demande.base_url, jeton.as_str()),
        }),
        base_url: Some(demande.base_url.clone()),
        jeton: Jeton::Aucun,
        envoyer_a: maintenant,
        maintenant,
    });
    store::inscrire(ports.db, &nouvelle, maintenant, vec![courriel])
        .await
        .map_err(|e| match e {
            ErreurInscription::TropDInscriptions => ErreurReservation::TropDInscriptions,
            ErreurInscription::Db(e) => e.into(),
        })
}

/// An entry with its professional and service, as its link's page shows it.
#[derive(Debug, Clone)]
pub struct Fiche {
    pub inscription: Inscription,
    pub professionnel: Professionnel,
    pub service: Service,
}

/// The entry behind a waitlist link of this site; any mismatch is the same "not found".
pub async fn par_jeton(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    jeton: &str,
) -> Result<Fiche, ErreurReservation> {
    let jeton = jeton.trim();
    if jeton.is_empty() {
        return Err(ErreurReservation::InscriptionIntrouvable);
    }
    par_empreinte(ports, vertical, &JetonGestion::choisi(jeton).hash()).await
}

/// The entry whose link's secret hashes to `empreinte` (a page's cookie keeps the hash).
pub async fn par_empreinte(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    empreinte: &str,
) -> Result<Fiche, ErreurReservation> {
    let inscription = store::par_jeton(ports.db, empreinte)
        .await?
        .ok_or(ErreurReservation::InscriptionIntrouvable)?;
    let professionnel = professionnels::par_id(ports.db, inscription.attente.professionnel_id)
        .await?
        .filter(|p| p.vertical == vertical.slug())
        .ok_or(ErreurReservation::InscriptionIntrouvable)?;
    let service = services::par_id(ports.db, inscription.attente.service_id)
        .await?
        .ok_or(ErreurReservation::InscriptionIntrouvable)?;
    Ok(Fiche {
        inscription,
        professionnel,
        service,
    })
}

/// Whether the entry is in line: active, or awaiting its confirmation for less than
/// `store::liste_attente::CONFIRMATION_HEURES`, while its window is open.
fn en_ligne(inscription: &Inscription, maintenant: DateTime<Utc>) -> bool {
    let a_temps = match inscription.attente.statut {
        StatutInscription::Active => true,
        StatutInscription::AConfirmer => {
            inscription.created_at + Duration::hours(store::CONFIRMATION_HEURES) > maintenant
        }
        _ => false,
    };
    a_temps && inscription.attente.fin_fenetre > maintenant
}

/// The owner of the address confirms the entry from the e-mail's link: it joins the line
/// (and may be offered a slot at once).
pub async fn confirmer(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    mut fiche: Fiche,
) -> Result<Fiche, ErreurReservation> {
    let maintenant = ports.clock.now();
    if !en_ligne(&fiche.inscription, maintenant) {
        return Err(ErreurReservation::InscriptionClose);
    }
    if store::confirmer(ports.db, fiche.inscription.id, maintenant).await? {
        fiche.inscription.attente.statut = StatutInscription::Active;
        creneau_libere(ports, vertical, fiche.professionnel.id).await;
    }
    Ok(fiche)
}

/// The client leaves the line from any of its e-mails: an offer they hold ends, and its
/// slot goes to the next in line.
pub async fn quitter(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    inscription: &Inscription,
) -> Result<(), ErreurReservation> {
    let maintenant = ports.clock.now();
    if !en_ligne(inscription, maintenant) {
        return Err(ErreurReservation::InscriptionClose);
    }
    store::quitter(ports.db, inscription.id, maintenant).await?;
    creneau_libere(ports, vertical, inscription.attente.professionnel_id).await;
    Ok(())
}

/// The entry an offer was made to (to leave the list from the offer's page).
pub async fn inscription_de_l_offre(
    ports: &Ports<'_>,
    reservation_id: &str,
) -> Result<Inscription, ErreurReservation> {
    store::par_offre(ports.db, reservation_id)
        .await?
        .ok_or(ErreurReservation::InscriptionIntrouvable)
}

/// A slot of the professional may have freed: the line is offered what is free now.
/// Never fails the change that freed it — an error is logged, and the scheduled job
/// walks the line again.
pub async fn creneau_libere(ports: &Ports<'_>, vertical: &VerticalConfig, professionnel_id: i64) {
    if let Err(e) = proposer(ports, vertical, professionnel_id).await {
        ports.log.ligne(crate::objet!({
            "niveau": "erreur",
            "evenement": "liste_attente_proposer",
            "professionnel": professionnel_id,
            "erreur": e.to_string(),
        }));
    }
}

/// Whether someone is in the professional's line now (a failed read counts as no: the
/// scheduled job walks the line anyway).
async fn attend(ports: &Ports<'_>, professionnel_id: i64) -> bool {
    store::en_file(ports.db, professionnel_id, ports.clock.now(), None, 1)
        .await
        .is_ok_and(|file| !file.is_empty())
}

/// The professional's hours or time off changed (more may be free): when someone waits
/// in their line, it is walked at once, in their vertical's rules (read from the stored
/// documents only then). Never fails the change; the scheduled job walks it anyway.
pub async fn planning_change(ports: &Ports<'_>, pro: &Professionnel) {
    if attend(ports, pro.id).await {
        parcourir(ports, pro).await;
    }
}

/// [`planning_change`] for a professional known by id (an external calendar removed or
/// read again, the professional approved anew).
pub async fn planning_change_de(ports: &Ports<'_>, professionnel_id: i64) {
    if !attend(ports, professionnel_id).await {
        return;
    }
    if let Ok(Some(pro)) = professionnels::par_id(ports.db, professionnel_id).await {
        parcourir(ports, &pro).await;
    }
}

async fn parcourir(ports: &Ports<'_>, pro: &Professionnel) {
    let document = crate::cas::admin::document(ports, &pro.vertical).await;
    match document.map(|d| VerticalConfig::parse(&d)) {
        Ok(Ok(vertical)) => creneau_libere(ports, &vertical, pro.id).await,
        _ => ports.log.ligne(crate::objet!({
            "niveau": "erreur",
            "evenement": "liste_attente_vertical_illisible",
            "professionnel": pro.id,
        })),
    }
}

/// Walks the professional's line first come first: each entry in line with no live offer
/// is offered the earliest free slot of its service in its window it was never offered.
/// The agenda is read once (again after each offer) and each entry's window looked up in
/// it, paging on through the line within [`LECTURES_PAR_PASSAGE`]. Returns how many offers
/// were made.
pub async fn proposer(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    professionnel_id: i64,
) -> Result<u32, ErreurReservation> {
    if !vertical.liste_attente().actif {
        return Ok(0);
    }
    let maintenant = ports.clock.now();
    let mut file = store::en_file(
        ports.db,
        professionnel_id,
        maintenant,
        None,
        ENTREES_PAR_PAGE,
    )
    .await?;
    if file.is_empty() {
        return Ok(0);
    }
    let Some(pro) = professionnels::par_id(ports.db, professionnel_id)
        .await?
        .filter(|p| p.vertical == vertical.slug() && liste(p))
    else {
        return Ok(0);
    };
    let tz = fuseau(&pro.fuseau);
    let aujourdhui = maintenant.with_timezone(&tz).date_naive();
    let horizon = vertical.regles().horizon_jours();
    let dernier = aujourdhui + Duration::days(i64::from(horizon));
    let mut offerts = store::debuts_offerts(ports.db, pro.id).await?;
    let mut lectures = 2;
    let mut agenda: Option<(Agenda, Vec<Service>)> = None;
    let mut offres = 0;
    loop {
        let page_pleine = file.len() == ENTREES_PAR_PAGE as usize;
        let derniere = file.last().map(Inscription::position);
        for inscription in file {
            if agenda.is_none() {
                if lectures >= LECTURES_PAR_PASSAGE {
                    return Ok(offres);
                }
                lectures += 1;
                let (lu, lignes) = lire_avec_planning(
                    ports.db,
                    &pro,
                    aujourdhui,
                    dernier,
                    maintenant,
                    None,
                    vec![services::lecture_actifs(pro.id)],
                )
                .await?;
                let actifs = decode::<Service>(lignes.into_iter().next().unwrap_or_default())?;
                agenda = Some((lu, actifs));
            }
            let Some((lu, actifs)) = agenda.as_ref() else {
                continue;
            };
            let Some(service) = actifs
                .iter()
                .find(|s| s.id == inscription.attente.service_id)
            else {
                continue;
            };
            let (du, au) = fenetre_restante(&inscription, aujourdhui, horizon);
            let libres = lu.offre(vertical, service, du, au, maintenant);
            let Some(creneau) = libres.creneaux.into_iter().find(|c| {
                let debut = c.debut().timestamp();
                !offerts.contains(&(inscription.id, debut))
                    && c.debut() < inscription.attente.fin_fenetre
            }) else {
                continue;
            };
            let service = service.clone();
            // Whatever comes of it, the agenda changed or is stale: read it again.
            agenda = None;
            match offrir(
                ports,
                vertical,
                &pro,
                &service,
                &inscription,
                creneau.debut(),
                creneau.fin(),
            )
            .await
            {
                Ok(()) => {
                    offres += 1;
                    offerts.push((inscription.id, creneau.debut().timestamp()));
                }
                // Taken meanwhile, or the entry got an offer from a concurrent walk: the
                // next walk tries again.
                Err(reservations_store::ErreurEcriture::Db(e))
                    if !matches!(e, crate::store::DbError::Constraint(_)) =>
                {
                    return Err(e.into())
                }
                Err(_) => {}
            }
        }
        if !page_pleine || lectures >= LECTURES_PAR_PASSAGE {
            return Ok(offres);
        }
        lectures += 1;
        file = store::en_file(ports.db, pro.id, maintenant, derniere, ENTREES_PAR_PAGE).await?;
    }
}

/// Whether the professional is listed (approved and public): only then are slots of
/// theirs offered and taken.
fn liste(pro: &Professionnel) -> bool {
    pro.public == 1 && pro.approbation == StatutApprobation::Approuve
}

/// Holds the slot for the entry (a booking in `offerte`) and e-mails them the offer, in
/// one guarded batch.
async fn offrir(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    pro: &Professionnel,
    service: &Service,
    inscription: &Inscription,
    debut: DateTime<Utc>,
    fin: DateTime<Utc>,
) -> Result<(), reservations_store::ErreurEcriture> {
    let maintenant = ports.clock.now();
    let prix = u64::try_from(service.prix_centimes).unwrap_or(0);
    let acompte = service.acompte_centimes.and_then(|a| u64::try_from(a).ok());
    let a_payer = montant_a_payer(&vertical.regles().paiement(), prix, acompte);
    let id = ReservationId::from_random(ports.random.octets());
    let jeton = JetonGestion::from_random(ports.random.octets());
    let duree = Duration::minutes(i64::from(vertical.liste_attente().duree_offre_minutes));
    // Held no later than the slot can still be booked (its start minus the notice).
    let preavis = Duration::minutes(i64::from(Regles::from(vertical.regles()).preavis_minutes));
    let expire_at = (maintenant + duree).min(debut - preavis);
    let reservation = Reservation {
        id: id.clone(),
        professionnel_id: ProfessionnelId::new(pro.id),
        service_id: ServiceId::new(service.id),
        user_id: inscription.attente.user_id.map(UserId::new),
        date_heure: debut,
        fin,
        statut: StatutReservation::Offerte,
        message: String::new(),
        client_nom: inscription.attente.nom.clone(),
        client_email: inscription.attente.email.clone(),
        client_telephone: String::new(),
        reponses: "{}".to_owned(),
        prix_centimes: Centimes::new(service.prix_centimes),
        a_payer_centimes: Centimes::new(i64::try_from(a_payer).unwrap_or(i64::MAX)),
        manage_token_hash: jeton.hash(),
        expire_at: Some(expire_at),
        annulee_par: None,
        motif_annulation: None,
        created_at: maintenant,
        updated_at: maintenant,
        membre_id: None,
        membre_nom: None,
        ressource_nom: None,
    };
    let nouvelle = NouvelleReservation {
        occupation: occupation_avec_tampons(debut, fin, &Regles::from(vertical.regles())),
        limite_journee: limite_journee(vertical, fuseau(&pro.fuseau), debut),
        reservation,
        source_hash: None,
        confirmation_token_hash: None,
        plafond_retenues: None,
        membres: Vec::new(),
        ressources: Vec::new(),
    };
    let base_url = if inscription.attente.base_url.is_empty() {
        site_par_defaut(vertical)
    } else {
        inscription.attente.base_url.clone()
    };
    let mut suite = store::offrir(inscription.id, id.as_str(), debut, maintenant);
    suite.push(outbox::planifier(&Planifie {
        cle: format!("offre_liste_attente:{id}"),
        kind: Genre::OffreListeAttente.as_str(),
        reservation_id: Some(id.to_string()),
        destinataire: Destinataire::Adresse {
            email: inscription.attente.email.clone(),
            user_id: inscription.attente.user_id,
        },
        donnees: crate::objet!({
            "vertical": vertical.slug(),
            "pour": Pour::Client.as_str(),
            "lien": lien_offre(&base_url, id.as_str(), jeton.as_str()),
        }),
        base_url: Some(base_url.clone()),
        jeton: Jeton::Connu(jeton.as_str().to_owned()),
        envoyer_a: maintenant,
        maintenant,
    }));
    reservations_store::creer(ports.db, &nouvelle, maintenant, suite)
        .await
        .map(|_| ())
}

/// Whether the booking is an offer still open to its client now.
fn verifier_offre(
    reservation: &Reservation,
    maintenant: DateTime<Utc>,
) -> Result<(), ErreurReservation> {
    let echue = reservation.expire_at.is_none_or(|e| e <= maintenant);
    match reservation.statut {
        StatutReservation::Offerte if echue => Err(ErreurReservation::OffreExpiree),
        StatutReservation::Expiree => Err(ErreurReservation::OffreExpiree),
        _ => Ok(()),
    }
}

/// What the client adds when taking an offer: what the booking form asks beyond the name
/// and address the entry already holds (telephone, message, the vertical's fields).
#[derive(Debug, Clone, Default)]
pub struct Complement {
    pub telephone: String,
    pub message: String,
    pub reponses: serde_json::Map<String, serde_json::Value>,
}

/// The client takes the offer from its link (`jeton`, the manage secret) with what the
/// booking form asks (checked by the same validation as a booking; on an error nothing
/// changes): the booking is confirmed — or awaits payment when something is due online,
/// held like a booking awaiting payment — and the entry leaves the line, in one guarded
/// batch with the e-mails of a new booking. `base_url` is the site, for the manage link.
pub async fn accepter(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    dossier: Dossier,
    (jeton, complement): (&str, Complement),
    base_url: &str,
) -> Result<Dossier, ErreurReservation> {
    let maintenant = ports.clock.now();
    let r = &dossier.reservation;
    verifier_offre(r, maintenant)?;
    // Since the offer, the professional may have left the listing or withdrawn the
    // service; an external calendar's busy time is refused by the batch.
    let pro = &dossier.professionnel;
    let service = services::du_professionnel(ports.db, pro.id, r.service_id.get(), true).await?;
    if !liste(pro) || service.is_none() {
        return Err(ErreurReservation::OffreRetiree);
    }
    let paiement = r.a_payer_centimes > Centimes::ZERO;
    let issue = transition(
        r.statut,
        &Action::Accepter { paiement },
        &contexte(vertical, r, maintenant),
    )
    .map_err(ErreurReservation::Transition)?;
    // The fields only once the offer can be taken (an offer gone says so, not what is
    // missing); the name and address are the entry's, already checked.
    let brute = DemandeBrute {
        telephone: complement.telephone,
        message: complement.message,
        reponses: complement.reponses,
        ..DemandeBrute::default()
    };
    let demande =
        valider_complement(&brute, vertical.champs()).map_err(ErreurReservation::Champs)?;
    let expire_at =
        paiement.then(|| maintenant + Duration::minutes(DUREE_RETENUE_PAIEMENT_MINUTES));
    let apres = dossier.apres(maintenant, |r| {
        r.statut = issue.statut;
        r.expire_at = expire_at;
        r.client_telephone = demande.telephone.as_str().to_owned();
        r.message = demande.message;
        r.reponses = serde_json::Value::Object(demande.reponses).to_string();
    });
    let id = apres.reservation.id.as_str().to_owned();
    let lien = lien_gestion(base_url, &id, jeton);
    let mut batch = store::accepter(&apres.reservation, maintenant);
    batch.push(agendas::garde(pro.id, r.date_heure, r.fin));
    batch.extend(notifications::reservation_creee(
        ports, vertical, &apres, &lien,
    ));
    batch.push(Statement::new("DELETE FROM gardes"));
    match ports.db.batch(batch).await {
        Ok(_) => Ok(apres),
        Err(e) => match reservations_store::ErreurEcriture::from(e) {
            // Changed meanwhile (taken by a click just before, expired): say what it is now.
            reservations_store::ErreurEcriture::Conflit => {
                let actuelle = reservations_store::par_id(ports.db, &id)
                    .await?
                    .ok_or(ErreurReservation::ReservationIntrouvable)?;
                verifier_offre(&actuelle, maintenant)?;
                transition(
                    actuelle.statut,
                    &Action::Accepter { paiement },
                    &contexte(vertical, &actuelle, maintenant),
                )
                .map_err(ErreurReservation::Transition)?;
                Err(ErreurReservation::Conflit)
            }
            autre => Err(autre.into()),
        },
    }
}

/// The client turns the offer down from its link: the slot goes to the next in line
/// (never back to them).
pub async fn decliner(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    dossier: Dossier,
) -> Result<Dossier, ErreurReservation> {
    let maintenant = ports.clock.now();
    let r = &dossier.reservation;
    verifier_offre(r, maintenant)?;
    let issue = transition(
        r.statut,
        &Action::Decliner,
        &contexte(vertical, r, maintenant),
    )
    .map_err(ErreurReservation::Transition)?;
    store::decliner(ports.db, r.id.as_str(), maintenant).await?;
    let apres = dossier.apres(maintenant, |r| r.statut = issue.statut);
    creneau_libere(ports, vertical, dossier.professionnel.id).await;
    Ok(apres)
}

/// The scheduled job's step: entries whose window ended leave the line (and those out of
/// it for long are deleted), then the lines
/// of the professionals with someone waiting are walked (a bounded number per run), so
/// that holds and offers that expired, and hours the professional opened, reach them.
/// Returns (entries expired, offers made).
pub async fn passage(
    ports: &Ports<'_>,
    verticals: &[std::rc::Rc<VerticalConfig>],
) -> Result<(usize, u32), ErreurReservation> {
    let maintenant = ports.clock.now();
    let expirees = ports.db.query(store::expirer(maintenant)).await?.len();
    ports.db.query(store::purger(maintenant)).await?;
    let mut offres = 0;
    let attendus = store::professionnels_en_attente(maintenant, LIGNES_PAR_PASSAGE);
    for pro_id in fetch_ids(ports.db, attendus).await? {
        ports
            .db
            .query(store::marquer_passage(pro_id, maintenant))
            .await?;
        let Some(pro) = professionnels::par_id(ports.db, pro_id).await? else {
            continue;
        };
        let Some(vertical) = verticals.iter().find(|v| v.slug() == pro.vertical) else {
            continue;
        };
        offres += proposer(ports, vertical, pro_id).await?;
    }
    Ok((expirees, offres))
}

/// What one is told about an entry (pages, API, account).
pub fn vue(fiche: &Fiche) -> serde_json::Value {
    let i = &fiche.inscription;
    json!({
        "id": i.id,
        "statut": i.attente.statut.as_str(),
        "professionnel": fiche.professionnel.slug,
        "professionnel_nom": fiche.professionnel.nom,
        "service": fiche.service.id,
        "service_nom": fiche.service.nom,
        "du": i.attente.du,
        "au": i.attente.au,
        "fin_fenetre": crate::dates::rfc3339(&i.attente.fin_fenetre.with_timezone(&fuseau(&fiche.professionnel.fuseau))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jour(t: &str) -> NaiveDate {
        NaiveDate::parse_from_str(t, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_window_is_both_days_or_neither_within_today_and_the_horizon() {
        let aujourdhui = jour("2026-12-01");
        let lire = |du: Option<&str>, au: Option<&str>| lire_fenetre(du, au, aujourdhui, 60);
        assert_eq!(
            lire(None, None).unwrap(),
            (aujourdhui, jour("2027-01-30"), true)
        );
        assert_eq!(
            lire(Some("2026-12-02"), Some("2026-12-04")).unwrap(),
            (jour("2026-12-02"), jour("2026-12-04"), false)
        );
        let champ = |r: Result<_, ErreurReservation>| match r {
            Err(ErreurReservation::FenetreInvalide { champ, .. }) => champ,
            autre => panic!("{autre:?}"),
        };
        assert_eq!(champ(lire(Some("2026-11-30"), Some("2026-12-02"))), "du");
        assert_eq!(champ(lire(Some("2026-12-03"), Some("2026-12-02"))), "au");
        assert_eq!(champ(lire(Some("2026-12-03"), Some("2027-03-01"))), "au");
        assert_eq!(champ(lire(Some("2026-12-03"), None)), "au");
        assert_eq!(champ(lire(None, Some("2026-12-03"))), "du");
        assert_eq!(champ(lire(Some("03/12/2026"), Some("2026-12-04"))), "du");
    }
}
