//! From a claimed outbox row to the e-mail to send, rendered from the booking's current
//! data and the vertical's configuration — or the reason not to send it (yet).

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::cas::notifications::{lien_avis, DELAI_DEMANDE_AVIS_HEURES};
use crate::json;
use crate::notifications::ics::Personne;
use crate::notifications::{calendrier, composer, Contexte, Genre, Marque, Pour, Rendezvous};
use crate::reservation::avis::RefusAvis;
use crate::reservation::StatutReservation as S;
use crate::store::outbox::{self, Message};
use crate::store::planning::fuseau;
use crate::store::reservations::Reservation;
use crate::store::{professionnels, reservations, services};
use crate::types::{Centimes, StatutApprobation};
use crate::vertical::{TypeChamp, VerticalConfig};

use super::mail::expediteur;
use super::Passage;

/// An e-mail ready for the mail API.
pub struct Courrier {
    pub destinataire: String,
    pub sujet: String,
    pub html: String,
    pub texte: String,
    pub ics: Option<PieceIcs>,
}

pub struct PieceIcs {
    pub nom_fichier: &'static str,
    pub contenu: String,
    pub methode: &'static str,
}

pub enum Decision {
    Envoyer(Box<Courrier>),
    /// Never to be sent (the appointment started, the booking is no longer on…).
    Annuler(&'static str),
    /// Not yet.
    Reporter(DateTime<Utc>),
}

#[derive(Debug, Default)]
struct Donnees {
    vertical: Option<String>,
    pour: Option<String>,
    base_url: Option<String>,
    jeton: Option<String>,
    lien: Option<String>,
    minutes_avant: Option<u32>,
    /// Unix seconds.
    ancien_debut: Option<DateTime<Utc>>,
    /// The booking went to another member of the establishment (same time): this one.
    membre_change: Option<bool>,
    membre: Option<i64>,
    remboursable: Option<bool>,
    montant: Option<Centimes>,
    /// To an address nobody proved to read: repeat nothing the requester typed.
    sans_texte_client: Option<bool>,
    /// The admin's decision on a professional, and its reason.
    approbation: Option<StatutApprobation>,
    motif: Option<String>,
}

impl Donnees {
    /// A message's data: every member optional, others ignored; data that cannot be read
    /// count as none at all.
    fn lire(texte: &str) -> Donnees {
        let Ok(mut membres) = json::Membres::lire(texte) else {
            return Donnees::default();
        };
        let donnees = Donnees {
            vertical: membres.prendre("vertical").flatten(),
            pour: membres.prendre("pour").flatten(),
            base_url: membres.prendre("base_url").flatten(),
            jeton: membres.prendre("jeton").flatten(),
            lien: membres.prendre("lien").flatten(),
            minutes_avant: membres.prendre("minutes_avant").flatten(),
            ancien_debut: membres.prendre("ancien_debut").flatten(),
            membre_change: membres.prendre("membre_change").flatten(),
            membre: membres.prendre("membre").flatten(),
            remboursable: membres.prendre("remboursable").flatten(),
            montant: membres.prendre("montant").flatten(),
            sans_texte_client: membres.prendre("sans_texte_client").flatten(),
            approbation: membres.prendre("approbation").flatten(),
            motif: membres.prendre("motif").flatten(),
        };
        match membres.verifier() {
            Ok(()) => donnees,
            Err(_) => Donnees::default(),
        }
    }
}

/// `Name <address>` → the person, for the calendar event's organizer.
fn personne(from: &str, nom: &str) -> Personne {
    let email = from
        .rsplit_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map_or(from, |(adresse, _)| adresse)
        .trim()
        .to_owned();
    Personne {
        nom: nom.to_owned(),
        email,
    }
}

/// The vertical's site when the row does not say (production domain first).
pub(crate) fn site_par_defaut(vertical: &VerticalConfig) -> String {
    vertical
        .domains()
        .iter()
        .find(|d| !d.ends_with(".localhost") && *d != "localhost")
        .map_or_else(
            || {
                format!(
                    "http://{}",
                    vertical.domains().first().map_or("localhost", |d| d)
                )
            },
            |d| format!("https://{d}"),
        )
}

/// The client's answers to the vertical's extra fields, as label and value.
fn reponses(vertical: &VerticalConfig, texte: &str) -> Vec<(String, String)> {
    let Ok(Value::Object(valeurs)) = serde_json::from_str::<Value>(texte) else {
        return Vec::new();
    };
    vertical
        .champs()
        .iter()
        .filter_map(|champ| {
            let valeur = match valeurs.get(champ.nom())? {
                Value::String(s) if s.is_empty() => return None,
                Value::String(s) => s.clone(),
                Value::Null => return None,
                autre => autre.to_string(),
            };
            let valeur = if champ.type_champ() == TypeChamp::Select {
                champ
                    .options()
                    .iter()
                    .find(|o| o.valeur() == valeur)
                    .map_or(valeur, |o| o.libelle().to_owned())
            } else {
                valeur
            };
            Some((champ.libelle().to_owned(), valeur))
        })
        .collect()
}

fn vertical_nomme(ctx: &Passage<'_>, slug: &str) -> Option<std::rc::Rc<VerticalConfig>> {
    ctx.verticals.iter().find(|v| v.slug() == slug).cloned()
}

/// Whether to send the row now, and what.
pub async fn preparer(
    ctx: &Passage<'_>,
    message: &Message,
    maintenant: DateTime<Utc>,
) -> Result<Decision, String> {
    let genre =
        Genre::parse(&message.kind).ok_or_else(|| format!("genre inconnu « {} »", message.kind))?;
    let donnees = Donnees::lire(&message.donnees);
    let pour = Pour::parse(donnees.pour.as_deref().unwrap_or("client"));
    let Some(reservation_id) = &message.reservation_id else {
        return sans_reservation(ctx, message, genre, donnees).await;
    };
    let erreur = |e: crate::store::DbError| e.to_string();
    let Some(r) = reservations::par_id(ctx.ports.db, reservation_id)
        .await
        .map_err(erreur)?
    else {
        return Ok(Decision::Annuler("réservation introuvable"));
    };
    if let Some(decision) = attendre_ou_renoncer(genre, &r, maintenant) {
        return Ok(decision);
    }
    if donnees.membre_change == Some(true) && donnees.membre != r.membre_id {
        return Ok(Decision::Annuler(
            "la réservation a changé de membre depuis",
        ));
    }
    let pro = professionnels::par_id(ctx.ports.db, r.professionnel_id.get())
        .await
        .map_err(erreur)?
        .ok_or("professionnel introuvable")?;
    let service = services::par_id(ctx.ports.db, r.service_id.get())
        .await
        .map_err(erreur)?
        .ok_or("prestation introuvable")?;
    let vertical = vertical_nomme(ctx, &pro.vertical)
        .ok_or_else(|| format!("vertical « {} » indisponible", pro.vertical))?;
    if genre == Genre::DemandeAvis {
        if let Some(decision) = decision_avis(ctx, &vertical, &r, maintenant).await? {
            return Ok(decision);
        }
    }
    let base_url = donnees
        .base_url
        .clone()
        .unwrap_or_else(|| site_par_defaut(&vertical));
    let deplacements = outbox::nombre_deplacements(ctx.ports.db, r.id.as_str())
        .await
        .map_err(erreur)?;
    let version = deplacements + i64::from(r.statut == S::Annulee);
    let professionnel_email = outbox::email_professionnel(ctx.ports.db, pro.id)
        .await
        .map_err(erreur)?;
    let jeton = donnees.jeton.clone().filter(|j| !j.is_empty());
    // The requester's own words (name, phone, message, answers) are left out when the
    // address was never proved; the e-mail asking to confirm never uses them anyway.
    let sans_texte_client = donnees.sans_texte_client.unwrap_or(false);
    let saisi = |texte: &String| {
        if sans_texte_client {
            String::new()
        } else {
            texte.clone()
        }
    };
    let contexte = Contexte {
        genre,
        pour,
        marque: Marque::depuis(&vertical, &base_url),
        rendezvous: Some(Rendezvous {
            id: r.id.to_string(),
            statut: r.statut,
            client_nom: saisi(&r.client_nom),
            client_email: r.client_email.clone(),
            client_telephone: saisi(&r.client_telephone),
            message: saisi(&r.message),
            reponses: if sans_texte_client {
                Vec::new()
            } else {
                reponses(&vertical, &r.reponses)
            },
            professionnel_nom: pro.nom.clone(),
            professionnel_ville: pro.ville.clone(),
            professionnel_email,
            avec: crate::render::format::avec(
                &vertical,
                r.membre_nom.as_deref(),
                r.ressource_nom.as_deref(),
            ),
            service_nom: service.nom.clone(),
            duree_minutes: service.duree_minutes,
            debut: r.debut(),
            fin: r.fin(),
            fuseau: fuseau(&pro.fuseau),
            prix_centimes: r.prix_centimes,
            a_payer_centimes: r.a_payer_centimes,
            expire_at: r.expire_at,
            annulee_par: r.annulee_par,
            motif_annulation: r.motif_annulation.clone(),
            version: u32::try_from(version).unwrap_or(0),
            modifie_le: r.updated_at,
        }),
        lien_gestion: jeton
            .as_deref()
            .map(|j| crate::cas::reservations::lien_gestion(&base_url, r.id.as_str(), j)),
        lien_avis: jeton
            .as_deref()
            .map(|j| lien_avis(&base_url, r.id.as_str(), j)),
        lien: donnees.lien.clone(),
        ancien_debut: donnees.ancien_debut,
        membre_change: donnees.membre_change.unwrap_or(false),
        remboursable: donnees.remboursable.unwrap_or(false),
        montant_centimes: donnees.montant,
        minutes_avant: donnees.minutes_avant,
        approbation: None,
        motif: donnees.motif.clone(),
    };
    let organisateur = personne(&expediteur(ctx), &pro.nom);
    // The calendar event would name the requester: none for such an address.
    courrier(
        message,
        &contexte,
        (!sans_texte_client).then_some(organisateur),
    )
}

/// Reminders go out only for a booking still on and not yet started; the review request
/// waits while the booking is still to come; the request to
/// confirm only while the booking still awaits it.
fn attendre_ou_renoncer(
    genre: Genre,
    r: &Reservation,
    maintenant: DateTime<Utc>,
) -> Option<Decision> {
    let plus_tard = maintenant + Duration::minutes(5);
    match genre {
        Genre::Rappel if r.debut() <= maintenant => {
            Some(Decision::Annuler("le rendez-vous a déjà commencé"))
        }
        Genre::Rappel => match r.statut {
            S::Confirmee => None,
            S::EnAttentePaiement | S::EnAttenteConfirmation | S::Offerte => {
                Some(Decision::Reporter(plus_tard))
            }
            _ => Some(Decision::Annuler("la réservation n'est plus active")),
        },
        // Only while the request still waits, within its hold.
        Genre::DemandeConfirmation => {
            let en_attente =
                r.statut == S::EnAttenteConfirmation && r.expire_at.is_some_and(|e| e > maintenant);
            (!en_attente).then_some(Decision::Annuler(
                "la demande n'attend plus de confirmation",
            ))
        }
        // Only while the offer still holds its slot for the client.
        Genre::OffreListeAttente => {
            let offerte = r.statut == S::Offerte && r.expire_at.is_some_and(|e| e > maintenant);
            (!offerte).then_some(Decision::Annuler("l'offre n'est plus valable"))
        }
        Genre::DemandeAvis => match r.statut {
            S::Offerte | S::Confirmee | S::EnAttentePaiement | S::EnAttenteConfirmation => {
                let apres_fin = r.fin() + Duration::hours(DELAI_DEMANDE_AVIS_HEURES);
                Some(Decision::Reporter(apres_fin.max(plus_tard)))
            }
            // Decided once the vertical is known (`decision_avis`).
            _ => None,
        },
        _ => None,
    }
}

/// The review request goes out only for a booking that may be reviewed now (see
/// `crate::reservation::avis`): it waits while the professional may still mark it done,
/// within the vertical's limit, and is dropped otherwise (reviews off, a no-show, the
/// professional's own booking, a review already given, the limit past).
async fn decision_avis(
    ctx: &Passage<'_>,
    vertical: &VerticalConfig,
    r: &Reservation,
    maintenant: DateTime<Utc>,
) -> Result<Option<Decision>, String> {
    let refus = crate::cas::avis::refus(ctx.ports, vertical, r)
        .await
        .map_err(|e| e.to_string())?;
    Ok(match refus {
        None => None,
        Some(RefusAvis::PasEncore) => Some(Decision::Reporter(
            (r.fin() + Duration::hours(DELAI_DEMANDE_AVIS_HEURES))
                .max(maintenant + Duration::minutes(5)),
        )),
        Some(RefusAvis::NonConfirme) => Some(Decision::Reporter(
            maintenant + Duration::hours(REESSAI_AVIS_HEURES),
        )),
        Some(refus) => Some(Decision::Annuler(refus.code())),
    })
}

/// How often a review request waits for the professional to mark its booking done.
const REESSAI_AVIS_HEURES: i64 = 12;

/// E-mails about an account (password reset).
async fn sans_reservation(
    ctx: &Passage<'_>,
    message: &Message,
    genre: Genre,
    donnees: Donnees,
) -> Result<Decision, String> {
    let slug = donnees.vertical.clone().unwrap_or_default();
    let vertical =
        vertical_nomme(ctx, &slug).ok_or_else(|| format!("vertical « {slug} » indisponible"))?;
    let base_url = donnees
        .base_url
        .clone()
        .unwrap_or_else(|| site_par_defaut(&vertical));
    if donnees.lien.is_none() {
        return Ok(Decision::Annuler("lien absent"));
    }
    let contexte = Contexte {
        genre,
        pour: Pour::Client,
        marque: Marque::depuis(&vertical, &base_url),
        rendezvous: None,
        lien_gestion: None,
        lien_avis: None,
        lien: donnees.lien,
        ancien_debut: None,
        membre_change: false,
        remboursable: false,
        montant_centimes: None,
        minutes_avant: None,
        approbation: donnees.approbation.map(|statut| (statut, donnees.motif)),
        motif: None,
    };
    let organisateur = personne(&expediteur(ctx), vertical.nom());
    courrier(message, &contexte, Some(organisateur))
}

/// The e-mail of a context; with its calendar event (if its kind has one) when an
/// organizer is given.
fn courrier(
    message: &Message,
    contexte: &Contexte,
    organisateur: Option<Personne>,
) -> Result<Decision, String> {
    let courriel = composer(contexte);
    let html = courriel.html().map_err(|e| format!("rendu HTML : {e}"))?;
    let texte = courriel.texte().map_err(|e| format!("rendu texte : {e}"))?;
    let ics = organisateur
        .and_then(|o| calendrier(contexte, o))
        .map(|evenement| PieceIcs {
            nom_fichier: match evenement.methode {
                crate::notifications::ics::Methode::Cancel => "annulation.ics",
                crate::notifications::ics::Methode::Request => "rendez-vous.ics",
            },
            contenu: evenement.ics(),
            methode: evenement.methode.as_str(),
        });
    Ok(Decision::Envoyer(Box::new(Courrier {
        destinataire: message.destinataire.clone(),
        sujet: courriel.sujet,
        html,
        texte,
        ics,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sender_address_is_read_from_a_named_from() {
        let p = personne(
            "Booking Multisite <reservations@booking-multisite.fr>",
            "Claire",
        );
        assert_eq!(p.email, "reservations@booking-multisite.fr");
        assert_eq!(personne("a@b.fr", "X").email, "a@b.fr");
    }
}
