//! E-mails caused by a booking's changes: each function returns the outbox rows to write
//! in the same batch as the change (see `crate::store::outbox`), so that an
//! e-mail is queued if and only if its cause happened. The scheduled job (`crate::cas::cron`)
//! renders and sends them.
//!
//! Keys (`outbox.cle`), unique per booking and kind: `confirmation:<id>`,
//! `attente_paiement:<id>`, `demande_confirmation:<id>`, `nouvelle:<id>:professionnel`,
//! `annulation:<id>:<pour>`,
//! `deplacement:<id>:<instant of the move>:<pour>`, `remboursement:<id>`,
//! `rappel:<id>:<offset in minutes>:<start>`, `avis:<id>`, `avis_retire:<id>`.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::notifications::{Genre, Pour};
use crate::reservation::StatutReservation;
use crate::store::outbox::{self, Destinataire, Jeton, Planifie};
use crate::store::reservations::Reservation;
use crate::store::Statement;
use crate::types::{Centimes, StatutApprobation, UserId};
use crate::vertical::VerticalConfig;

use crate::cas::reservations::Dossier;
use crate::cas::Ports;

/// The review request goes out this long after the appointment's end.
pub const DELAI_DEMANDE_AVIS_HEURES: i64 = 3;

/// The review form of a booking (the manage link's secret proves the client).
pub fn lien_avis(base_url: &str, id: &str, jeton: &str) -> String {
    format!("{base_url}/avis/{id}?token={jeton}")
}

/// The site and the secret of a manage link (`<base>/reservations/<id>?token=<secret>`).
fn decouper_lien(lien: &str) -> (Option<String>, Option<String>) {
    let base = lien
        .split_once("/reservations/")
        .map(|(base, _)| base.to_owned())
        .filter(|b| !b.is_empty());
    let jeton = lien
        .split_once("token=")
        .map(|(_, j)| j.split('&').next().unwrap_or("").to_owned())
        .filter(|j| !j.is_empty());
    (base, jeton)
}

struct Plan<'a> {
    vertical: &'a VerticalConfig,
    dossier: &'a Dossier,
    maintenant: DateTime<Utc>,
    base_url: Option<String>,
}

impl Plan<'_> {
    fn id(&self) -> &str {
        self.dossier.reservation.id.as_str()
    }

    fn message(
        &self,
        cle: String,
        genre: Genre,
        pour: Pour,
        jeton: Jeton,
        envoyer_a: DateTime<Utc>,
        extra: Value,
    ) -> Statement {
        let mut donnees =
            crate::objet!({ "vertical": self.vertical.slug(), "pour": pour.as_str() });
        if let (Value::Object(d), Value::Object(e)) = (&mut donnees, extra) {
            d.extend(e);
        }
        let r = &self.dossier.reservation;
        let (destinataire, jeton) = match pour {
            Pour::Client => (
                Destinataire::Adresse {
                    email: r.client_email.clone(),
                    user_id: r.user_id.map(UserId::get),
                },
                jeton,
            ),
            // The professional never receives the client's secret.
            Pour::Professionnel => (
                Destinataire::Professionnel(self.dossier.professionnel.id),
                Jeton::Aucun,
            ),
        };
        outbox::planifier(&Planifie {
            cle,
            kind: genre.as_str(),
            reservation_id: Some(r.id.to_string()),
            destinataire,
            donnees,
            base_url: self.base_url.clone(),
            jeton,
            envoyer_a,
            maintenant: self.maintenant,
        })
    }

    fn maintenant(&self, cle: String, genre: Genre, pour: Pour, jeton: Jeton) -> Statement {
        self.message(cle, genre, pour, jeton, self.maintenant, crate::objet!({}))
    }

    /// One reminder per offset of the vertical, except those whose time has already
    /// passed (the confirmation just sent covers them).
    fn rappels(&self, jeton: &Jeton) -> Vec<Statement> {
        let debut = self.dossier.reservation.debut();
        self.vertical
            .rappels_minutes()
            .iter()
            .filter_map(|&minutes| {
                let a = debut - Duration::minutes(i64::from(minutes));
                (a > self.maintenant).then(|| {
                    self.message(
                        format!("rappel:{}:{minutes}:{}", self.id(), debut.timestamp()),
                        Genre::Rappel,
                        Pour::Client,
                        jeton.clone(),
                        a,
                        crate::objet!({ "minutes_avant": minutes }),
                    )
                })
            })
            .collect()
    }

    fn fin_plus_delai(&self) -> DateTime<Utc> {
        self.dossier.reservation.fin() + Duration::hours(DELAI_DEMANDE_AVIS_HEURES)
    }
}

fn plan<'a>(
    ports: &Ports<'_>,
    vertical: &'a VerticalConfig,
    dossier: &'a Dossier,
    base_url: Option<String>,
) -> Plan<'a> {
    Plan {
        vertical,
        dossier,
        maintenant: ports.clock.now(),
        base_url,
    }
}

/// Booking made, or a guest's request confirmed from the e-mail: the client's e-mail (a
/// confirmation when nothing is due online, a "pending payment" notice otherwise), the
/// professional's notice, the reminders and the review request, planned now.
/// `lien_gestion` carries the manage link's secret.
pub fn reservation_creee(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    dossier: &Dossier,
    lien_gestion: &str,
) -> Vec<Statement> {
    let (base_url, jeton) = decouper_lien(lien_gestion);
    let p = plan(ports, vertical, dossier, base_url);
    let jeton = jeton.map_or(Jeton::Aucun, Jeton::Connu);
    let id = p.id().to_owned();
    let mut lignes = if dossier.reservation.statut == StatutReservation::Confirmee {
        confirmation(&p, jeton.clone())
    } else {
        vec![p.maintenant(
            format!("attente_paiement:{id}"),
            Genre::ReservationCreeeClient,
            Pour::Client,
            jeton.clone(),
        )]
    };
    lignes.extend(p.rappels(&jeton));
    // Sent only once the booking took place and may be reviewed (the scheduled job
    // checks); never in a vertical that collects no reviews.
    if vertical.avis().actifs {
        lignes.push(p.message(
            format!("avis:{id}"),
            Genre::DemandeAvis,
            Pour::Client,
            jeton,
            p.fin_plus_delai(),
            crate::objet!({}),
        ));
    }
    lignes
}

/// A guest's request: only the e-mail that asks the owner of the address to confirm it
/// (`lien` is the confirmation link; the row keeps it until sent, then it is scrubbed).
/// Nothing else is planned — no notice to the professional, no reminder, no review
/// request — until the request is confirmed ([`reservation_creee`] then).
pub fn demande_confirmation(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    dossier: &Dossier,
    lien: &str,
) -> Vec<Statement> {
    let (base_url, _) = decouper_lien(lien);
    let p = plan(ports, vertical, dossier, base_url);
    vec![p.message(
        format!("demande_confirmation:{}", p.id()),
        Genre::DemandeConfirmation,
        Pour::Client,
        Jeton::Aucun,
        p.maintenant,
        crate::objet!({ "lien": lien }),
    )]
}

fn confirmation(p: &Plan<'_>, jeton: Jeton) -> Vec<Statement> {
    let id = p.id().to_owned();
    vec![
        p.maintenant(
            format!("confirmation:{id}"),
            Genre::Confirmation,
            Pour::Client,
            jeton,
        ),
        p.maintenant(
            format!("nouvelle:{id}:professionnel"),
            Genre::ReservationCreeePro,
            Pour::Professionnel,
            Jeton::Aucun,
        ),
    ]
}

/// Payment received: the booking is confirmed.
pub fn reservation_confirmee(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    dossier: &Dossier,
) -> Vec<Statement> {
    confirmation(&plan(ports, vertical, dossier, None), Jeton::Copie)
}

/// Booking cancelled by `par` ("client", "professionnel" or "systeme"), from the status
/// `avant`: the client and the professional are told, pending reminders and the review
/// request are dropped.
///
/// A hold (awaiting confirmation or payment) is different: its address was never proved
/// and the professional was never told of it. Withdrawn by the client, it e-mails no one;
/// refused by the professional, the address is told, with nothing the requester typed
/// (`sans_texte_client`).
pub fn reservation_annulee(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    dossier: &Dossier,
    avant: StatutReservation,
    par: &str,
    remboursable: bool,
) -> Vec<Statement> {
    let p = plan(ports, vertical, dossier, None);
    let id = p.id().to_owned();
    let mut extra = crate::objet!({ "par": par, "remboursable": remboursable });
    let destinataires: &[Pour] = match (avant.is_retenue(), par) {
        (false, _) => &[Pour::Client, Pour::Professionnel],
        (true, "client") => &[],
        (true, _) => {
            extra["sans_texte_client"] = json!(true);
            &[Pour::Client]
        }
    };
    let mut lignes: Vec<Statement> = destinataires
        .iter()
        .map(|&pour| {
            p.message(
                format!("annulation:{id}:{}", pour.as_str()),
                Genre::Annulation,
                pour,
                Jeton::Aucun,
                p.maintenant,
                extra.clone(),
            )
        })
        .collect();
    lignes.push(outbox::annuler_en_attente(
        &id,
        &[
            Genre::Rappel.as_str(),
            Genre::DemandeAvis.as_str(),
            Genre::DemandeConfirmation.as_str(),
            // A change not yet told (a move, another member): the cancellation says it all.
            Genre::Deplacement.as_str(),
        ],
    ));
    lignes
}

/// Booking moved (the dossier holds the new times): both are told, reminders re-planned.
/// `jeton` is the manage link's secret when the client moved it (None otherwise).
pub fn reservation_deplacee(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    dossier: &Dossier,
    ancien_debut: i64,
    jeton: Option<&str>,
) -> Vec<Statement> {
    let p = plan(ports, vertical, dossier, None);
    let id = p.id().to_owned();
    let jeton = jeton.map_or(Jeton::Copie, |j| Jeton::Connu(j.to_owned()));
    // The old reminders go first, so that a move back to an earlier time plans its
    // reminders again (their keys are per start time).
    let mut lignes = vec![outbox::annuler_en_attente(&id, &[Genre::Rappel.as_str()])];
    lignes.extend(p.rappels(&jeton));
    let quand = p.maintenant.timestamp();
    for pour in [Pour::Client, Pour::Professionnel] {
        lignes.push(p.message(
            format!("deplacement:{id}:{quand}:{}", pour.as_str()),
            Genre::Deplacement,
            pour,
            jeton.clone(),
            p.maintenant,
            crate::objet!({ "ancien_debut": ancien_debut }),
        ));
    }
    lignes.push(outbox::replanifier(
        &format!("avis:{id}"),
        p.fin_plus_delai(),
    ));
    lignes
}

/// A booking given to another member of the establishment, at the same time: its client
/// is told who now (a change of the booking, like a move: the same kind, and the
/// calendar event's new version).
pub fn membre_change(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    dossier: &Dossier,
) -> Vec<Statement> {
    let p = plan(ports, vertical, dossier, None);
    let quand = p.maintenant.timestamp();
    let membre = dossier.reservation.membre_id;
    vec![p.message(
        format!("membre:{}:{quand}:{}:client", p.id(), membre.unwrap_or(0)),
        Genre::Deplacement,
        Pour::Client,
        Jeton::Copie,
        p.maintenant,
        // Sent only if the booking is still with that member then (given back meanwhile,
        // it is dropped: the client is told of the member they end up with, once).
        crate::objet!({ "membre_change": true, "membre": membre }),
    )]
}

/// A payment was refunded (`montant` in cents).
pub fn remboursement(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    dossier: &Dossier,
    montant: Centimes,
) -> Vec<Statement> {
    let p = plan(ports, vertical, dossier, None);
    vec![p.message(
        format!("remboursement:{}", p.id()),
        Genre::Remboursement,
        Pour::Client,
        Jeton::Aucun,
        p.maintenant,
        json!({ "montant": montant }),
    )]
}

/// The admin removed the client's review of this booking: its author is told why
/// (`motif`), at the booking's address, on the vertical's site.
pub fn avis_retire(
    ports: &Ports<'_>,
    vertical: &str,
    reservation: &Reservation,
    motif: &str,
) -> Statement {
    let maintenant = ports.clock.now();
    outbox::planifier(&Planifie {
        cle: format!("avis_retire:{}", reservation.id),
        kind: Genre::AvisRetire.as_str(),
        reservation_id: Some(reservation.id.to_string()),
        destinataire: Destinataire::Adresse {
            email: reservation.client_email.clone(),
            user_id: reservation.user_id.map(UserId::get),
        },
        donnees: crate::objet!({ "vertical": vertical, "pour": "client", "motif": motif }),
        base_url: None,
        jeton: Jeton::Aucun,
        envoyer_a: maintenant,
        maintenant,
    })
}

/// An e-mail about an account (no booking): `lien` is its link (it may carry a secret:
/// it is scrubbed from the row once sent), `vertical` brands it, `base_url` is the site
/// the request came from. The key is unique per e-mail (a random nonce).
fn planifie_de_compte(
    ports: &Ports<'_>,
    genre: Genre,
    vertical: &VerticalConfig,
    base_url: &str,
    destinataire: Destinataire,
    lien: &str,
) -> Planifie {
    let maintenant = ports.clock.now();
    let nonce = hex::encode(&ports.random.octets()[..8]);
    Planifie {
        cle: format!("{}:{}:{nonce}", genre.as_str(), maintenant.timestamp()),
        kind: genre.as_str(),
        reservation_id: None,
        destinataire,
        donnees: crate::objet!({ "vertical": vertical.slug(), "pour": "client", "lien": lien }),
        base_url: Some(base_url.to_owned()),
        jeton: Jeton::Aucun,
        envoyer_a: maintenant,
        maintenant,
    }
}

/// A password reset was asked for: the e-mail with its link (`lien` carries the reset
/// secret).
pub fn reinitialisation_mot_de_passe(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    base_url: &str,
    user_id: i64,
    email: &str,
    lien: &str,
) -> Statement {
    outbox::planifier(&planifie_de_compte(
        ports,
        Genre::ReinitialisationMotDePasse,
        vertical,
        base_url,
        Destinataire::Adresse {
            email: email.to_owned(),
            user_id: Some(user_id),
        },
        lien,
    ))
}

/// A new account (or its owner asking again): the link that proves its address
/// (`lien` carries the secret). The account is found by `email`, so that the row can
/// ride in the batch that creates it.
pub fn verification_email(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    base_url: &str,
    email: &str,
    lien: &str,
) -> Statement {
    outbox::planifier(&planifie_de_compte(
        ports,
        Genre::VerificationEmail,
        vertical,
        base_url,
        Destinataire::Compte(email.to_owned()),
        lien,
    ))
}

/// Someone signed up with the address of an existing account: its owner is told (and
/// pointed to the sign-in and reset pages), instead of the sign-up saying so.
pub fn inscription_existante(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    base_url: &str,
    user_id: i64,
    email: &str,
) -> Statement {
    outbox::planifier(&planifie_de_compte(
        ports,
        Genre::InscriptionExistante,
        vertical,
        base_url,
        Destinataire::Adresse {
            email: email.to_owned(),
            user_id: Some(user_id),
        },
        &format!("{base_url}/compte/connexion"),
    ))
}

/// The admin decided on a professional's profile: they are told the new state and the
/// reason, with a link to their space on their vertical's site.
pub fn decision_approbation(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    professionnel_id: i64,
    statut: StatutApprobation,
    motif: Option<&str>,
) -> Statement {
    let base_url = crate::cas::cron::site_par_defaut(vertical);
    let mut planifie = planifie_de_compte(
        ports,
        Genre::DecisionApprobation,
        vertical,
        &base_url,
        Destinataire::Professionnel(professionnel_id),
        &format!("{base_url}/pro"),
    );
    planifie.donnees["approbation"] = json!(statut);
    planifie.donnees["motif"] = json!(motif);
    outbox::planifier(&planifie)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manage_link_splits_into_its_site_and_secret() {
        assert_eq!(
            decouper_lien("http://coach.localhost:8787/reservations/abc?token=s3cr3t"),
            (
                Some("http://coach.localhost:8787".into()),
                Some("s3cr3t".into())
            )
        );
        assert_eq!(decouper_lien("n'importe quoi"), (None, None));
    }
}
