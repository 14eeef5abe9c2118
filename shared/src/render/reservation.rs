//! The booking pages: the form, the confirmation, and the manage pages reached from the
//! link in the e-mail (see it, cancel it, move it, add it to a calendar).

use askama::Template;
use chrono::DateTime;
use chrono_tz::Tz;
use serde_json::Value;

use super::annuaire::Semaine;
use super::format;
use super::formulaire::ChampVue;
use super::{Seo, Site};
use crate::notifications::Pour;
use crate::reservation::StatutReservation;
use crate::store::professionnels::Professionnel;
use crate::store::reservations::Reservation;
use crate::store::services::Service;
use crate::types::{Centimes, ReservationId};
use crate::vertical::{Acompte, Paiement, VerticalConfig};

/// How the vertical takes payment, in one sentence for the client.
pub fn phrase_paiement(paiement: &Paiement) -> String {
    match paiement {
        Paiement::Aucun => "Aucun paiement en ligne : vous réglez directement sur place.".into(),
        Paiement::Total => {
            "Le montant total se règle en ligne à la réservation, par carte bancaire.".into()
        }
        Paiement::Acompte(Acompte::Pourcentage(p)) => format!(
            "Un acompte de {p}\u{a0}% se règle en ligne à la réservation ; le reste sur place."
        ),
        Paiement::Acompte(Acompte::MontantCentimes(c)) => format!(
            "Un acompte de {} se règle en ligne à la réservation ; le reste sur place.",
            format::euros(i64::try_from(*c).unwrap_or(i64::MAX))
        ),
    }
}

/// The cancellation policy, in one sentence.
pub fn phrase_annulation(heures: u32) -> String {
    if heures == 0 {
        "Vous pouvez annuler ou déplacer gratuitement jusqu'au début du rendez-vous.".into()
    } else {
        format!(
            "Annulation gratuite et déplacement possibles jusqu'à {heures}\u{a0}h avant le rendez-vous ; au-delà, le rendez-vous ne se déplace plus et ce qui a été payé en ligne n'est pas remboursé en cas d'annulation."
        )
    }
}

/// The slot chosen in the booking form.
#[derive(Debug, Clone)]
pub struct Choix {
    pub pro_nom: String,
    pub pro_ville: String,
    pub pro_url: String,
    pub service_id: i64,
    pub service_nom: String,
    pub duree: String,
    pub prix: String,
    /// ISO 8601 as received: sent back with the form.
    pub debut: String,
    /// `lundi 30 novembre 2026 à 9 h 30`, when the start could be read.
    pub quand: Option<String>,
    /// The choice of a person free then, when several perform the service.
    pub membres: Option<super::annuaire::ChoixMembres>,
    /// The seats left, for a group session (« 3 places restantes »).
    pub places: Option<String>,
}

/// `/professionnels/{slug}/reserver`: the chosen slot and the form.
#[derive(Template)]
#[template(path = "reserver.html", whitespace = "minimize")]
pub struct ReserverPage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub choix: Choix,
    pub action: String,
    pub csrf: String,
    pub champs: Vec<ChampVue>,
    /// A message about the whole form (expired form, slot just taken…), shown at the top.
    pub erreur: Option<String>,
    /// The slot cannot be booked: the form is replaced by a way back to the slots.
    pub indisponible: bool,
    pub paiement: String,
}

/// A booking as its pages show it.
#[derive(Debug, Clone)]
pub struct Resume {
    pub id: ReservationId,
    pub statut: StatutReservation,
    pub statut_libelle: String,
    pub service: String,
    pub pro_nom: String,
    pub pro_url: String,
    pub ville: String,
    pub quand: String,
    pub duree: String,
    pub prix: String,
    /// What is due online, when something is.
    pub a_payer: Option<String>,
    pub client_nom: String,
    pub client_email: String,
    pub client_telephone: String,
    pub message: String,
    /// The vertical's fields: label and answer.
    pub reponses: Vec<(String, String)>,
    /// Who it is with in the establishment (« Mécanicien », « Karim »), when it says.
    pub avec: Vec<(String, String)>,
    /// The manage page. No link carries the secret: the pages of a booking are opened by
    /// the cookie its link was exchanged for.
    pub lien_gestion: String,
    pub lien_ics: String,
    pub lien_annuler: String,
    pub lien_deplacer: String,
    pub actif: bool,
    pub a_venir: bool,
}

impl Resume {
    pub fn new(
        reservation: &Reservation,
        pro: &Professionnel,
        service: &Service,
        vertical: &VerticalConfig,
        maintenant: DateTime<chrono::Utc>,
    ) -> Resume {
        let fuseau: Tz = crate::store::planning::fuseau(&pro.fuseau);
        let debut = reservation.debut().with_timezone(&fuseau);
        let reponses: serde_json::Map<String, Value> =
            serde_json::from_str(&reservation.reponses).unwrap_or_default();
        let reponses = vertical
            .champs()
            .iter()
            .filter_map(|champ| {
                let valeur = reponses.get(champ.nom())?;
                let texte = match valeur {
                    Value::String(s) => champ
                        .options()
                        .iter()
                        .find(|o| o.valeur() == s)
                        .map_or_else(|| s.clone(), |o| o.libelle().to_owned()),
                    autre => autre.to_string(),
                };
                Some((champ.libelle().to_owned(), texte))
            })
            .collect();
        let base = format!("/reservations/{}", reservation.id);
        Resume {
            id: reservation.id.clone(),
            statut: reservation.statut,
            statut_libelle: format::statut_libelle(reservation.statut, Pour::Client).to_owned(),
            service: service.nom.clone(),
            pro_nom: pro.nom.clone(),
            pro_url: format!("/professionnels/{}", pro.slug),
            ville: pro.ville.clone(),
            quand: format::date_et_heure(&debut),
            duree: format::duree((reservation.fin - reservation.date_heure).num_minutes()),
            prix: format::euros(reservation.prix_centimes.get()),
            a_payer: (reservation.a_payer_centimes > Centimes::ZERO)
                .then(|| format::euros(reservation.a_payer_centimes.get())),
            client_nom: reservation.client_nom.clone(),
            client_email: reservation.client_email.clone(),
            client_telephone: reservation.client_telephone.clone(),
            message: reservation.message.clone(),
            reponses,
            avec: format::avec(
                vertical,
                reservation.membre_nom.as_deref(),
                reservation.ressource_nom.as_deref(),
            ),
            lien_ics: format!("{base}/ics"),
            lien_annuler: format!("{base}/annuler"),
            lien_deplacer: format!("{base}/deplacer"),
            lien_gestion: base,
            actif: reservation.statut.is_active(),
            a_venir: reservation.debut() > maintenant,
        }
    }
}

/// A request awaiting confirmation as the page of the e-mail's link shows it: only the
/// professional's, the service's and the time's — nothing the requester typed, since
/// whoever opens the link may not be whoever made the request.
#[derive(Debug, Clone)]
pub struct DemandeVue {
    pub pro_nom: String,
    pub pro_url: String,
    pub ville: String,
    pub service: String,
    pub duree: String,
    pub quand: String,
    /// Until when the slot is held (`10 h 30`), if it is.
    pub jusqua: Option<String>,
}

impl DemandeVue {
    pub fn new(reservation: &Reservation, pro: &Professionnel, service: &Service) -> DemandeVue {
        let fuseau: Tz = crate::store::planning::fuseau(&pro.fuseau);
        DemandeVue {
            pro_nom: pro.nom.clone(),
            pro_url: format!("/professionnels/{}", pro.slug),
            ville: pro.ville.clone(),
            service: service.nom.clone(),
            duree: format::duree((reservation.fin - reservation.date_heure).num_minutes()),
            quand: format::date_et_heure(&reservation.debut().with_timezone(&fuseau)),
            jusqua: reservation
                .expire_at
                .map(|e| format::heure(&e.with_timezone(&fuseau))),
        }
    }
}

/// `/reservations/{id}/confirmer?token=`: the page of the e-mail's link. Opening it
/// changes nothing (mail scanners open links): its button POSTs the confirmation.
#[derive(Template)]
#[template(path = "confirmer.html", whitespace = "minimize")]
pub struct ConfirmerPage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub demande: DemandeVue,
    pub action: String,
    pub csrf: String,
    pub erreur: Option<String>,
}

/// `/reservations/{id}/confirmation`: right after booking.
#[derive(Template)]
#[template(path = "confirmation.html", whitespace = "minimize")]
pub struct ConfirmationPage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub resume: Resume,
}

/// `/reservations/{id}`: the manage page.
#[derive(Template)]
#[template(path = "gestion.html", whitespace = "minimize")]
pub struct GestionPage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub resume: Resume,
    /// What was just done (cancelled, moved, confirmed).
    pub notice: Option<String>,
    /// What the client still has to do (confirm from the e-mail), if anything.
    pub attente: Option<String>,
    pub peut_annuler: bool,
    pub peut_deplacer: bool,
    pub politique: String,
}

/// `/reservations/{id}/annuler`: the confirmation step before cancelling.
#[derive(Template)]
#[template(path = "annuler.html", whitespace = "minimize")]
pub struct AnnulerPage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub resume: Resume,
    pub action: String,
    pub csrf: String,
    pub motif: String,
    pub erreur: Option<String>,
    pub politique: String,
}

/// `/reservations/{id}/deplacer`: another free slot of the same service.
#[derive(Template)]
#[template(path = "deplacer.html", whitespace = "minimize")]
pub struct DeplacerPage<'a> {
    pub site: &'a Site,
    pub seo: Seo,
    pub resume: Resume,
    pub action: String,
    pub csrf: String,
    pub semaine: Semaine,
    pub erreur: Option<String>,
    pub peut_deplacer: bool,
    /// The cancellation and move policy, said when the move is no longer possible.
    pub politique: String,
}
