//! What each e-mail says, per kind and recipient, from the booking's current data.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::courriel::{Courriel, Lien, Marque};
use super::ics::{Evenement, Methode, Personne};
use crate::render::format::{capitaliser, date_et_heure, delai, duree, euros, heure};
use crate::reservation::StatutReservation;
use crate::types::{AnnuleePar, Centimes, StatutApprobation};

/// The kinds of `outbox.kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    /// Booked, payment still due online: the client is asked to pay.
    ReservationCreeeClient,
    /// A confirmed booking, told to the professional.
    ReservationCreeePro,
    /// A confirmed booking, told to the client.
    Confirmation,
    Annulation,
    Deplacement,
    Remboursement,
    Rappel,
    ReinitialisationMotDePasse,
    DemandeAvis,
    /// A guest's request: the owner of the address is asked to confirm it (the link), and
    /// told nothing the requester typed.
    DemandeConfirmation,
    /// The link that proves a new account's address.
    VerificationEmail,
    /// Someone tried to sign up with the address of an existing account.
    InscriptionExistante,
    /// The admin approved, refused or suspended a professional: told to them, with the
    /// reason.
    DecisionApprobation,
    /// The admin removed the client's review: its author is told why.
    AvisRetire,
    /// A waitlist entry was made with the address: the link confirms it (a guest's entry
    /// gets no offer before) or leaves the list.
    InscriptionListeAttente,
    /// A freed slot is held for the first in line: the offer's link (`lien`) takes it,
    /// declines it, or leaves the list.
    OffreListeAttente,
}

impl Genre {
    pub const TOUS: [Genre; 16] = [
        Genre::ReservationCreeeClient,
        Genre::ReservationCreeePro,
        Genre::Confirmation,
        Genre::Annulation,
        Genre::Deplacement,
        Genre::Remboursement,
        Genre::Rappel,
        Genre::ReinitialisationMotDePasse,
        Genre::DemandeAvis,
        Genre::DemandeConfirmation,
        Genre::VerificationEmail,
        Genre::InscriptionExistante,
        Genre::DecisionApprobation,
        Genre::AvisRetire,
        Genre::InscriptionListeAttente,
        Genre::OffreListeAttente,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Genre::ReservationCreeeClient => "reservation_creee_client",
            Genre::ReservationCreeePro => "reservation_creee_pro",
            Genre::Confirmation => "confirmation",
            Genre::Annulation => "annulation",
            Genre::Deplacement => "deplacement",
            Genre::Remboursement => "remboursement",
            Genre::Rappel => "rappel",
            Genre::ReinitialisationMotDePasse => "reinitialisation_mot_de_passe",
            Genre::DemandeAvis => "demande_avis",
            Genre::DemandeConfirmation => "demande_confirmation",
            Genre::VerificationEmail => "verification_email",
            Genre::InscriptionExistante => "inscription_existante",
            Genre::DecisionApprobation => "decision_approbation",
            Genre::AvisRetire => "avis_retire",
            Genre::InscriptionListeAttente => "inscription_liste_attente",
            Genre::OffreListeAttente => "offre_liste_attente",
        }
    }

    /// E-mails about an account rather than a booking.
    pub fn de_compte(self) -> bool {
        matches!(
            self,
            Genre::ReinitialisationMotDePasse
                | Genre::VerificationEmail
                | Genre::InscriptionExistante
                | Genre::DecisionApprobation
                | Genre::InscriptionListeAttente
        )
    }

    pub fn parse(texte: &str) -> Option<Genre> {
        Genre::TOUS.into_iter().find(|g| g.as_str() == texte)
    }
}

/// Who reads the e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pour {
    Client,
    Professionnel,
}

impl Pour {
    pub fn as_str(self) -> &'static str {
        match self {
            Pour::Client => "client",
            Pour::Professionnel => "professionnel",
        }
    }

    pub fn parse(texte: &str) -> Pour {
        if texte == "professionnel" {
            Pour::Professionnel
        } else {
            Pour::Client
        }
    }
}

/// The booking as it is when the e-mail is sent.
#[derive(Debug, Clone)]
pub struct Rendezvous {
    pub id: String,
    pub statut: StatutReservation,
    pub client_nom: String,
    pub client_email: String,
    pub client_telephone: String,
    pub message: String,
    /// The vertical's extra answers, as label and value.
    pub reponses: Vec<(String, String)>,
    pub professionnel_nom: String,
    pub professionnel_ville: String,
    pub professionnel_email: Option<String>,
    /// Who it is with in the establishment, as label and name (« Mécanicien », « Karim »).
    pub avec: Vec<(String, String)>,
    pub service_nom: String,
    pub duree_minutes: i64,
    pub debut: DateTime<Utc>,
    pub fin: DateTime<Utc>,
    pub fuseau: Tz,
    pub prix_centimes: Centimes,
    pub a_payer_centimes: Centimes,
    pub expire_at: Option<DateTime<Utc>>,
    pub annulee_par: Option<AnnuleePar>,
    pub motif_annulation: Option<String>,
    /// How many times the booking changed since it was made (the calendar's SEQUENCE).
    pub version: u32,
    pub modifie_le: DateTime<Utc>,
}

impl Rendezvous {
    fn local(&self, instant: DateTime<Utc>) -> DateTime<Tz> {
        instant.with_timezone(&self.fuseau)
    }

    fn quand(&self) -> String {
        let debut = self.local(self.debut);
        format!(
            "{} – {}",
            date_et_heure(&debut),
            heure(&self.local(self.fin))
        )
    }

    /// « Vidange (1 h 30) ».
    fn prestation(&self) -> String {
        format!(
            "{} ({})",
            self.service_nom,
            duree(self.duree_minutes.max(0))
        )
    }

    /// « Sans paiement avant 10 h 30, le créneau sera libéré. », when the slot is held.
    fn liberation(&self, sans: &str) -> Option<String> {
        self.expire_at.map(|expire| {
            format!(
                "Sans {sans} avant {}, le créneau sera libéré.",
                heure(&self.local(expire))
            )
        })
    }
}

/// Everything one e-mail is made from.
#[derive(Debug, Clone)]
pub struct Contexte {
    pub genre: Genre,
    pub pour: Pour,
    pub marque: Marque,
    /// None for e-mails about an account (password reset, address check…).
    pub rendezvous: Option<Rendezvous>,
    pub lien_gestion: Option<String>,
    pub lien_avis: Option<String>,
    /// The link the e-mail is about: password reset, address check, the sign-in page, or
    /// the booking's confirmation link.
    pub lien: Option<String>,
    pub ancien_debut: Option<DateTime<Utc>>,
    /// A change of member rather than of time (the kind `deplacement`).
    pub membre_change: bool,
    pub remboursable: bool,
    pub montant_centimes: Option<Centimes>,
    /// For a reminder: how long before the start it was planned.
    pub minutes_avant: Option<u32>,
    /// For the admin's decision on a professional: the new state and its reason.
    pub approbation: Option<(StatutApprobation, Option<String>)>,
    /// The reason given with a decision (a removed review).
    pub motif: Option<String>,
}

fn lien(libelle: &str, url: &Option<String>) -> Option<Lien> {
    url.as_ref().map(|url| Lien {
        libelle: libelle.to_owned(),
        url: url.clone(),
    })
}

fn details(r: &Rendezvous, pour: Pour, marque: &Marque) -> Vec<(String, String)> {
    let mut lignes = vec![
        ("Quand".to_owned(), r.quand()),
        ("Prestation".to_owned(), r.prestation()),
    ];
    lignes.extend(r.avec.iter().cloned());
    match pour {
        Pour::Client => {
            lignes.push((
                capitaliser(&marque.professionnel),
                format!("{}, {}", r.professionnel_nom, r.professionnel_ville),
            ));
        }
        Pour::Professionnel => {
            lignes.push(("Client".into(), r.client_nom.clone()));
            lignes.push(("E-mail".into(), r.client_email.clone()));
            if !r.client_telephone.is_empty() {
                lignes.push(("Téléphone".into(), r.client_telephone.clone()));
            }
            lignes.extend(r.reponses.iter().cloned());
            if !r.message.is_empty() {
                lignes.push(("Message".into(), r.message.clone()));
            }
        }
    }
    if r.prix_centimes > Centimes::ZERO {
        lignes.push(("Prix".into(), euros(r.prix_centimes.get())));
    }
    lignes
}

/// « Bonjour Léa, », or « Bonjour, » when the name is not to be repeated (left empty).
fn bonjour(nom: &str) -> String {
    if nom.trim().is_empty() {
        "Bonjour,".to_owned()
    } else {
        format!("Bonjour {nom},")
    }
}

/// The e-mail for a context.
pub fn composer(ctx: &Contexte) -> Courriel {
    let marque = ctx.marque.clone();
    let mut courriel = Courriel {
        marque: marque.clone(),
        sujet: String::new(),
        titre: String::new(),
        paragraphes: Vec::new(),
        details: Vec::new(),
        bouton: None,
        notes: Vec::new(),
    };
    let r = match &ctx.rendezvous {
        Some(r) if !ctx.genre.de_compte() => r,
        _ => {
            de_compte(ctx, &mut courriel);
            return courriel;
        }
    };
    let quand = date_et_heure(&r.local(r.debut));
    courriel.details = details(r, ctx.pour, &marque);
    let gestion = lien("Gérer ma réservation", &ctx.lien_gestion);
    let politique = "Vous pouvez déplacer ou annuler votre rendez-vous depuis ce lien.".to_owned();
    match (ctx.genre, ctx.pour) {
        (Genre::ReservationCreeeClient, _) => {
            // Sent before payment to an address nobody proved to read: nothing the
            // requester typed (not even the name) goes to it.
            courriel.sujet = format!("Réservation en attente de paiement — {quand}");
            courriel.titre = "Plus qu'une étape : le paiement".into();
            courriel.paragraphes = vec![
                "Bonjour,".to_owned(),
                format!(
                    "Votre créneau avec {} est réservé pour vous. Il reste {} à régler en ligne pour confirmer le rendez-vous.",
                    r.professionnel_nom,
                    euros(r.a_payer_centimes.get())
                ),
            ];
            courriel.notes.extend(r.liberation("paiement"));
            courriel.bouton = gestion;
        }
        (Genre::DemandeConfirmation, _) => {
            // The address is the requester's word: only our own data and the link.
            courriel.sujet = format!("Confirmez votre rendez-vous du {quand}");
            courriel.titre = "Confirmez votre demande de rendez-vous".into();
            courriel.paragraphes = vec![
                "Bonjour,".to_owned(),
                format!(
                    "Une demande de rendez-vous avec {} a été faite avec votre adresse e-mail. Elle ne sera confirmée que si vous ouvrez le lien ci-dessous et appuyez sur « Confirmer mon rendez-vous ».",
                    r.professionnel_nom
                ),
            ];
            courriel.details = vec![
                ("Quand".to_owned(), r.quand()),
                ("Prestation".to_owned(), r.prestation()),
                (
                    capitaliser(&marque.professionnel),
                    r.professionnel_nom.clone(),
                ),
            ];
            courriel.bouton = lien("Confirmer mon rendez-vous", &ctx.lien);
            courriel.notes.extend(r.liberation("confirmation"));
            courriel.notes.push(
                "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : aucun rendez-vous ne sera pris.".into(),
            );
        }
        (Genre::Confirmation, _) => {
            courriel.sujet = format!("Rendez-vous confirmé — {quand}");
            courriel.titre = "Votre rendez-vous est confirmé".into();
            courriel.paragraphes = vec![
                format!("Bonjour {},", r.client_nom),
                format!(
                    "Votre rendez-vous avec {} est confirmé. Vous trouverez l'événement à ajouter à votre agenda en pièce jointe.",
                    r.professionnel_nom
                ),
            ];
            if r.a_payer_centimes > Centimes::ZERO {
                courriel
                    .details
                    .push(("Payé en ligne".into(), euros(r.a_payer_centimes.get())));
            }
            courriel.bouton = gestion;
            courriel.notes.push(politique);
        }
        (Genre::ReservationCreeePro, _) => {
            courriel.sujet = format!("Nouvelle réservation — {} — {quand}", r.client_nom);
            courriel.titre = "Vous avez une nouvelle réservation".into();
            courriel.paragraphes = vec![
                format!("Bonjour {},", r.professionnel_nom),
                format!("{} a réservé un rendez-vous avec vous.", r.client_nom),
            ];
        }
        (Genre::Annulation, pour) => {
            courriel.sujet = format!("Rendez-vous annulé — {quand}");
            courriel.titre = "Rendez-vous annulé".into();
            let par = match r.annulee_par {
                Some(AnnuleePar::Client) if pour == Pour::Client => "à votre demande".to_owned(),
                Some(AnnuleePar::Client) => format!("par {}", r.client_nom),
                Some(AnnuleePar::Professionnel) if pour == Pour::Professionnel => {
                    "à votre demande".to_owned()
                }
                Some(AnnuleePar::Professionnel) => format!("par {}", r.professionnel_nom),
                _ => "par la plateforme".to_owned(),
            };
            let nom = match pour {
                Pour::Client => &r.client_nom,
                Pour::Professionnel => &r.professionnel_nom,
            };
            courriel.paragraphes = vec![
                bonjour(nom),
                format!("Le rendez-vous du {quand} a été annulé {par}."),
            ];
            if let Some(motif) = r.motif_annulation.as_ref().filter(|m| !m.is_empty()) {
                courriel.details.push(("Motif".into(), motif.clone()));
            }
            if pour == Pour::Client {
                if r.a_payer_centimes > Centimes::ZERO && ctx.remboursable {
                    courriel.notes.push(
                        "Le montant réglé en ligne vous sera remboursé ; vous recevrez un e-mail dès que le remboursement sera effectué.".into(),
                    );
                } else if r.a_payer_centimes > Centimes::ZERO {
                    courriel.notes.push(
                        "L'annulation est intervenue après le délai d'annulation gratuite : le montant réglé en ligne n'est pas remboursé.".into(),
                    );
                }
                courriel.bouton = Some(Lien {
                    libelle: "Prendre un autre rendez-vous".into(),
                    url: format!("{}/", marque.base_url),
                });
            }
        }
        (Genre::Deplacement, Pour::Client) if ctx.membre_change => {
            // The person first: the one who now takes the appointment.
            let avec = r.avec.first().map(|(_, nom)| nom.as_str());
            courriel.sujet = format!("Votre rendez-vous du {quand} change d'interlocuteur");
            courriel.titre = "Votre rendez-vous change d'interlocuteur".into();
            courriel.paragraphes = vec![
                format!("Bonjour {},", r.client_nom),
                match avec {
                    Some(nom) => format!("Votre rendez-vous du {quand} sera assuré par {nom}."),
                    None => format!(
                        "{} a confié votre rendez-vous du {quand} à une autre personne de l'établissement.",
                        r.professionnel_nom
                    ),
                },
                "La date, l'heure et la prestation ne changent pas.".into(),
            ];
            courriel.bouton = gestion;
            courriel.notes.push(politique);
        }
        (Genre::Deplacement, pour) => {
            courriel.sujet = format!("Rendez-vous déplacé au {quand}");
            courriel.titre = "Votre rendez-vous a changé d'horaire".into();
            let bonjour = match pour {
                Pour::Client => &r.client_nom,
                Pour::Professionnel => &r.professionnel_nom,
            };
            let avant = ctx
                .ancien_debut
                .map(|a| format!(" (au lieu du {})", date_et_heure(&r.local(a))))
                .unwrap_or_default();
            courriel.paragraphes = vec![
                format!("Bonjour {bonjour},"),
                format!("Le rendez-vous a été déplacé au {quand}{avant}."),
            ];
            if pour == Pour::Client {
                courriel
                    .paragraphes
                    .push("L'événement joint met à jour celui de votre agenda.".into());
                courriel.bouton = gestion;
            }
        }
        (Genre::Remboursement, _) => {
            let somme = euros(ctx.montant_centimes.unwrap_or(r.a_payer_centimes).get());
            courriel.sujet = format!("Remboursement de {somme}");
            courriel.titre = "Votre remboursement est en route".into();
            courriel.paragraphes = vec![
                format!("Bonjour {},", r.client_nom),
                format!(
                    "Nous avons remboursé {somme} pour votre rendez-vous du {quand}. Selon votre banque, le montant apparaît sous 5 à 10 jours ouvrés."
                ),
            ];
        }
        (Genre::Rappel, _) => {
            let dans = ctx
                .minutes_avant
                .map(|m| format!("dans {}", delai(m)))
                .unwrap_or_else(|| "bientôt".into());
            courriel.sujet = format!("Rappel : votre rendez-vous {dans} — {quand}");
            courriel.titre = format!("Rappel : votre rendez-vous {dans}");
            courriel.paragraphes = vec![
                format!("Bonjour {},", r.client_nom),
                format!(
                    "Nous vous rappelons votre rendez-vous avec {} le {quand}.",
                    r.professionnel_nom
                ),
            ];
            courriel.bouton = gestion;
            courriel.notes.push(politique);
        }
        (Genre::DemandeAvis, _) => {
            courriel.sujet = format!("Votre avis sur {}", r.professionnel_nom);
            courriel.titre = "Comment s'est passé votre rendez-vous ?".into();
            courriel.paragraphes = vec![
                format!("Bonjour {},", r.client_nom),
                format!(
                    "Votre rendez-vous avec {} a eu lieu le {quand}. Votre avis (une note de 1 à 5 et un commentaire) aide les autres clients à choisir.",
                    r.professionnel_nom
                ),
            ];
            courriel.bouton = lien("Donner mon avis", &ctx.lien_avis);
            courriel.notes.push("Cela prend moins d'une minute.".into());
        }
        (Genre::AvisRetire, _) => {
            courriel.sujet = format!("Votre avis sur {} a été retiré", r.professionnel_nom);
            courriel.titre = "Votre avis a été retiré".into();
            courriel.paragraphes = vec![
                format!("Bonjour {},", r.client_nom),
                format!(
                    "Votre avis sur votre rendez-vous du {quand} avec {} a été signalé puis examiné par notre équipe de modération, qui a décidé de le retirer du site.",
                    r.professionnel_nom
                ),
            ];
            courriel.details = vec![(
                "Motif du retrait".to_owned(),
                ctx.motif.clone().unwrap_or_default(),
            )];
            courriel.bouton = Some(Lien {
                libelle: "Comment les avis sont collectés et modérés".into(),
                url: format!("{}/avis-clients", marque.base_url),
            });
            courriel.notes.push(
                "Si vous pensez qu'il s'agit d'une erreur, répondez à ce message en expliquant pourquoi.".into(),
            );
        }
        (Genre::OffreListeAttente, _) => {
            // Sent to an address its owner proved when joining the list.
            courriel.sujet = format!("Un créneau s'est libéré pour vous — {quand}");
            courriel.titre = "Un créneau s'est libéré pour vous".into();
            courriel.paragraphes = vec![
                bonjour(&r.client_nom),
                format!(
                    "Vous êtes sur la liste d'attente de {} : le créneau ci-dessous vient de se libérer et il vous est réservé, à vous seul, pour un temps limité. Ouvrez le lien pour le réserver, ou pour le laisser à la personne suivante.",
                    r.professionnel_nom
                ),
            ];
            courriel.bouton = lien("Voir ce créneau", &ctx.lien);
            courriel.notes.extend(r.liberation("réponse"));
            courriel.notes.push(
                "Le même lien vous permet de quitter la liste d'attente pour ne plus recevoir de propositions.".into(),
            );
        }
        // Composed by `de_compte` above.
        (
            Genre::ReinitialisationMotDePasse
            | Genre::VerificationEmail
            | Genre::InscriptionExistante
            | Genre::DecisionApprobation
            | Genre::InscriptionListeAttente,
            _,
        ) => {}
    }
    courriel
}

/// The e-mails about an account: password reset, address check, sign-up attempt with
/// the address of an existing account.
fn de_compte(ctx: &Contexte, courriel: &mut Courriel) {
    let nom = ctx.marque.nom.clone();
    match ctx.genre {
        Genre::VerificationEmail => {
            courriel.sujet = format!("Confirmez votre adresse e-mail — {nom}");
            courriel.titre = "Confirmez votre adresse e-mail".into();
            courriel.paragraphes = vec![
                format!("Bienvenue sur {nom} ! Pour terminer la création de votre compte, confirmez que cette adresse est bien la vôtre."),
                "Une fois l'adresse confirmée, les réservations déjà faites avec elle apparaîtront dans votre compte.".into(),
            ];
            courriel.bouton = lien("Confirmer mon adresse", &ctx.lien);
            courriel.notes = vec![
                format!(
                    "Ce lien est valable {} heures et ne sert qu'une fois. La confirmation se fait connecté à votre compte (son mot de passe vous sera demandé sinon).",
                    crate::comptes::VERIFICATION_HEURES
                ),
                "Si vous n'avez pas créé de compte, ignorez ce message : sans cette confirmation, personne ne voit les réservations faites avec votre adresse.".into(),
            ];
        }
        Genre::InscriptionExistante => {
            courriel.sujet = format!("Vous avez déjà un compte — {nom}");
            courriel.titre = "Vous avez déjà un compte".into();
            courriel.paragraphes = vec![
                format!("Quelqu'un, peut-être vous, a demandé à créer un compte sur {nom} avec cette adresse e-mail. Un compte existe déjà pour elle : aucun autre n'a été créé et le vôtre n'a pas changé."),
                format!(
                    "Connectez-vous avec votre mot de passe. Si vous l'avez oublié, choisissez-en un nouveau : {}/compte/mot-de-passe-oublie",
                    ctx.marque.base_url
                ),
            ];
            courriel.bouton = lien("Me connecter", &ctx.lien);
            courriel.notes =
                vec!["Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.".into()];
        }
        Genre::DecisionApprobation => decision_approbation(ctx, courriel),
        Genre::InscriptionListeAttente => {
            // The address is the requester's word: only our own words and the link.
            courriel.sujet = format!("Votre inscription sur la liste d'attente — {nom}");
            courriel.titre = "Votre inscription sur la liste d'attente".into();
            courriel.paragraphes = vec![
                "Bonjour,".to_owned(),
                format!(
                    "Une inscription sur la liste d'attente d'un {} a été faite avec votre adresse e-mail sur {nom}. Dès qu'un créneau qui vous convient se libère, nous vous le proposerons par e-mail : il vous sera réservé pendant un temps limité.",
                    ctx.marque.professionnel
                ),
                "Tant que l'inscription n'est pas confirmée depuis le lien ci-dessous, aucune proposition ne vous est envoyée. Le même lien vous permet de quitter la liste à tout moment.".into(),
            ];
            courriel.bouton = lien("Confirmer ou gérer mon inscription", &ctx.lien);
            courriel.notes = vec![
                "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : vous ne recevrez rien d'autre.".into(),
            ];
        }
        _ => {
            courriel.sujet = format!("Réinitialisation de votre mot de passe — {nom}");
            courriel.titre = "Choisissez un nouveau mot de passe".into();
            courriel.paragraphes = vec![
                "Vous avez demandé à réinitialiser votre mot de passe. Ce lien est valable une heure et ne sert qu'une fois.".into(),
            ];
            courriel.bouton = lien("Choisir un nouveau mot de passe", &ctx.lien);
            courriel.notes = vec![
                "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.".into(),
            ];
        }
    }
}

/// The admin's decision on the professional's profile, and its reason.
fn decision_approbation(ctx: &Contexte, courriel: &mut Courriel) {
    let nom = ctx.marque.nom.clone();
    let (statut, motif) = ctx
        .approbation
        .clone()
        .unwrap_or((StatutApprobation::EnAttente, None));
    let (sujet, titre, paragraphe) = match statut {
        StatutApprobation::Approuve => (
            "Votre profil est approuvé",
            "Votre profil est approuvé",
            format!("Votre profil professionnel sur {nom} a été vérifié et approuvé. S'il est marqué « visible dans la recherche », les clients le trouvent désormais et peuvent réserver."),
        ),
        StatutApprobation::Refuse => (
            "Votre profil n'a pas été approuvé",
            "Votre profil n'a pas été approuvé",
            format!("Après vérification, votre profil professionnel sur {nom} n'a pas été approuvé : il n'apparaît pas dans la recherche."),
        ),
        StatutApprobation::Suspendu => (
            "Votre profil est suspendu",
            "Votre profil est suspendu",
            format!("Votre profil professionnel sur {nom} est suspendu : il n'apparaît plus dans la recherche et ne reçoit plus de réservations."),
        ),
        StatutApprobation::EnAttente => (
            "Votre profil est en attente de validation",
            "Votre profil est en attente de validation",
            format!("Votre profil professionnel sur {nom} attend la vérification de l'équipe."),
        ),
    };
    courriel.sujet = format!("{sujet} — {nom}");
    courriel.titre = titre.into();
    courriel.paragraphes = vec!["Bonjour,".into(), paragraphe];
    if let Some(motif) = motif {
        courriel.details = vec![("Motif".into(), motif)];
    }
    courriel.bouton = lien("Voir mon espace professionnel", &ctx.lien);
    if statut != StatutApprobation::Approuve {
        courriel.notes = vec![
            "Vous pouvez compléter votre profil depuis votre espace professionnel puis répondre à ce message pour demander un nouvel examen.".into(),
        ];
    }
}

/// The calendar event attached to e-mails about the booking's time (confirmed, moved,
/// cancelled, reminders), or None for the others.
pub fn calendrier(ctx: &Contexte, organisateur: Personne) -> Option<Evenement> {
    let r = ctx.rendezvous.as_ref()?;
    let methode = match ctx.genre {
        Genre::Confirmation | Genre::ReservationCreeePro | Genre::Deplacement | Genre::Rappel => {
            Methode::Request
        }
        Genre::Annulation => Methode::Cancel,
        _ => return None,
    };
    let (resume, participant) = match ctx.pour {
        Pour::Client => (
            format!("{} avec {}", r.service_nom, r.professionnel_nom),
            Personne {
                nom: r.client_nom.clone(),
                email: r.client_email.clone(),
            },
        ),
        Pour::Professionnel => (
            format!("{} — {}", r.service_nom, r.client_nom),
            Personne {
                nom: r.professionnel_nom.clone(),
                email: r
                    .professionnel_email
                    .clone()
                    .unwrap_or_else(|| organisateur.email.clone()),
            },
        ),
    };
    let mut description = format!("Réservé sur {}.", ctx.marque.nom);
    if let (Pour::Client, Some(url)) = (ctx.pour, &ctx.lien_gestion) {
        description.push_str(&format!("\nGérer la réservation : {url}"));
    }
    Some(Evenement {
        reservation_id: r.id.clone(),
        sequence: r.version,
        horodatage: r.modifie_le,
        debut: r.debut,
        fin: r.fin,
        fuseau: r.fuseau,
        resume,
        description,
        lieu: r.professionnel_ville.clone(),
        url: match ctx.pour {
            Pour::Client => ctx.lien_gestion.clone(),
            Pour::Professionnel => None,
        },
        organisateur,
        participant,
        methode,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn marque() -> Marque {
        Marque {
            nom: "Coachs & Bien-être".into(),
            logo: "🧘".into(),
            couleur_primaire: "#257d36".into(),
            couleur_fond: "#f8faf5".into(),
            couleur_texte: "#1b2a1f".into(),
            base_url: "http://coach.localhost:8787".into(),
            professionnel: "coach".into(),
        }
    }

    fn rendezvous() -> Rendezvous {
        Rendezvous {
            id: "abababab-abab-4bab-abab-abababababab".into(),
            statut: StatutReservation::Confirmee,
            client_nom: "Renée <Dupont>".into(),
            client_email: "renee@exemple.fr".into(),
            client_telephone: "06 12 34 56 78".into(),
            message: String::new(),
            reponses: vec![("Votre objectif".into(), "Courir".into())],
            professionnel_nom: "Claire Fontaine".into(),
            professionnel_ville: "Lyon".into(),
            professionnel_email: Some("claire@exemple.fr".into()),
            avec: Vec::new(),
            service_nom: "Séance individuelle".into(),
            duree_minutes: 60,
            debut: Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).unwrap(),
            fin: Utc.with_ymd_and_hms(2026, 12, 1, 10, 30, 0).unwrap(),
            fuseau: chrono_tz::Europe::Paris,
            prix_centimes: Centimes::new(6000),
            a_payer_centimes: Centimes::ZERO,
            expire_at: None,
            annulee_par: None,
            motif_annulation: None,
            version: 0,
            modifie_le: Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
        }
    }

    fn contexte(genre: Genre, pour: Pour) -> Contexte {
        Contexte {
            genre,
            pour,
            marque: marque(),
            rendezvous: Some(rendezvous()),
            lien_gestion: Some("http://coach.localhost:8787/reservations/x?token=s".into()),
            lien_avis: Some("http://coach.localhost:8787/avis/x?token=s".into()),
            lien: None,
            ancien_debut: None,
            membre_change: false,
            remboursable: false,
            montant_centimes: None,
            minutes_avant: Some(1440),
            approbation: None,
            motif: Some("Propos injurieux".into()),
        }
    }

    #[test]
    fn a_confirmation_is_in_french_with_local_times_the_manage_link_and_escaped_html() {
        let c = composer(&contexte(Genre::Confirmation, Pour::Client));
        assert_eq!(
            c.sujet,
            "Rendez-vous confirmé — mardi 1er décembre 2026 à 10 h 30"
        );
        let html = c.html().unwrap();
        assert!(html.contains("#257d36"));
        assert!(html.contains("Renée &#60;Dupont&#62;") || html.contains("Renée &lt;Dupont&gt;"));
        assert!(html.contains("reservations/x?token=s"));
        let texte = c.texte().unwrap();
        assert!(texte.contains("Bonjour Renée <Dupont>,"), "{texte}");
        assert!(texte.contains("- Quand : mardi 1er décembre 2026 à 10 h 30 – 11 h 30"));
        assert!(texte
            .contains("Gérer ma réservation : http://coach.localhost:8787/reservations/x?token=s"));
        assert!(!texte.contains("\n\n\n"), "{texte}");
    }

    #[test]
    fn a_booking_with_a_team_names_who_it_is_with_for_the_client_and_the_professional() {
        for (genre, pour) in [
            (Genre::Confirmation, Pour::Client),
            (Genre::Rappel, Pour::Client),
            (Genre::ReservationCreeePro, Pour::Professionnel),
            (Genre::Deplacement, Pour::Professionnel),
        ] {
            let mut ctx = contexte(genre, pour);
            if let Some(r) = ctx.rendezvous.as_mut() {
                r.avec = vec![
                    ("Mécanicien".into(), "Karim <B>".into()),
                    ("Pont".into(), "Pont 2".into()),
                ];
            }
            let c = composer(&ctx);
            let texte = c.texte().unwrap();
            assert!(
                texte.contains("- Mécanicien : Karim <B>"),
                "{genre:?} {texte}"
            );
            assert!(texte.contains("- Pont : Pont 2"), "{genre:?} {texte}");
            let html = c.html().unwrap();
            assert!(!html.contains("Karim <B>"), "escaped in HTML: {html}");
        }
    }

    #[test]
    fn every_kind_has_a_subject_title_and_text() {
        for genre in Genre::TOUS {
            for pour in [Pour::Client, Pour::Professionnel] {
                let c = composer(&contexte(genre, pour));
                assert!(!c.sujet.is_empty() && !c.titre.is_empty(), "{genre:?}");
                assert!(c.texte().unwrap().contains(&c.titre));
                assert!(c.html().unwrap().contains("<html lang=\"fr\">"));
                assert_eq!(Genre::parse(genre.as_str()), Some(genre));
            }
        }
    }

    #[test]
    fn e_mails_sent_before_anyone_proved_the_address_repeat_nothing_the_requester_typed() {
        let mut ctx = contexte(Genre::DemandeConfirmation, Pour::Client);
        ctx.lien = Some("http://coach.localhost:8787/reservations/x/confirmer?token=c".into());
        if let Some(r) = ctx.rendezvous.as_mut() {
            r.message = "Promo sur arnaque.example".into();
            r.expire_at = Some(Utc.with_ymd_and_hms(2026, 11, 25, 9, 30, 0).unwrap());
        }
        let c = composer(&ctx);
        let tout = format!("{} {} {}", c.sujet, c.html().unwrap(), c.texte().unwrap());
        for saisi in ["Renée", "Dupont", "renee@", "06 12", "Courir", "Promo"] {
            assert!(!tout.contains(saisi), "{saisi} in {tout}");
        }
        let texte = c.texte().unwrap();
        assert!(texte.contains(
            "Confirmer mon rendez-vous : http://coach.localhost:8787/reservations/x/confirmer?token=c"
        ));
        assert!(texte.contains("Claire Fontaine"));
        assert!(texte.contains("Séance individuelle"));
        assert!(texte.contains("Sans confirmation avant 10 h 30"), "{texte}");
        assert!(calendrier(
            &ctx,
            Personne {
                nom: "B".into(),
                email: "r@b.fr".into()
            }
        )
        .is_none());
        // The notice of a booking awaiting payment does not greet the requester by name.
        let c = composer(&contexte(Genre::ReservationCreeeClient, Pour::Client));
        let tout = format!("{} {}", c.html().unwrap(), c.texte().unwrap());
        assert!(!tout.contains("Renée"), "{tout}");
        // A name left out is not greeted.
        let mut ctx = contexte(Genre::Annulation, Pour::Client);
        if let Some(r) = ctx.rendezvous.as_mut() {
            r.client_nom = String::new();
        }
        assert!(composer(&ctx).texte().unwrap().contains("\nBonjour,\n"));
    }

    #[test]
    fn account_emails_are_in_french_with_their_link_and_never_about_a_booking() {
        let mut ctx = contexte(Genre::VerificationEmail, Pour::Client);
        ctx.lien = Some("http://coach.localhost:8787/compte/verifier?jeton=abc".into());
        let c = composer(&ctx);
        assert_eq!(
            c.sujet,
            "Confirmez votre adresse e-mail — Coachs & Bien-être"
        );
        assert_eq!(
            c.bouton.as_ref().unwrap().url,
            "http://coach.localhost:8787/compte/verifier?jeton=abc"
        );
        assert!(c.details.is_empty(), "no booking in an account e-mail");
        assert!(c.notes.iter().any(|n| n.contains("48 heures")));
        ctx.genre = Genre::InscriptionExistante;
        ctx.lien = Some("http://coach.localhost:8787/compte/connexion".into());
        let c = composer(&ctx);
        assert_eq!(c.titre, "Vous avez déjà un compte");
        assert!(c
            .texte()
            .unwrap()
            .contains("http://coach.localhost:8787/compte/mot-de-passe-oublie"));
        ctx.genre = Genre::ReinitialisationMotDePasse;
        ctx.rendezvous = None;
        assert!(composer(&ctx).sujet.starts_with("Réinitialisation"));
    }

    #[test]
    fn a_decision_on_a_profile_says_which_and_why() {
        let mut ctx = contexte(Genre::DecisionApprobation, Pour::Client);
        ctx.rendezvous = None;
        ctx.lien = Some("http://garage.localhost:8787/pro".into());
        ctx.approbation = Some((StatutApprobation::Refuse, Some("SIRET radié".into())));
        let c = composer(&ctx);
        assert!(c.sujet.starts_with("Votre profil n'a pas été approuvé"));
        let texte = c.texte().unwrap();
        assert!(texte.contains("SIRET radié"), "{texte}");
        assert!(texte.contains("http://garage.localhost:8787/pro"));
        ctx.approbation = Some((StatutApprobation::Approuve, None));
        assert!(composer(&ctx)
            .sujet
            .starts_with("Votre profil est approuvé"));
    }

    #[test]
    fn a_reminder_says_how_soon_and_a_review_request_links_to_the_form() {
        let c = composer(&contexte(Genre::Rappel, Pour::Client));
        assert!(c
            .sujet
            .starts_with("Rappel : votre rendez-vous dans 24 heures"));
        let c = composer(&contexte(Genre::DemandeAvis, Pour::Client));
        assert_eq!(
            c.bouton.unwrap().url,
            "http://coach.localhost:8787/avis/x?token=s"
        );
    }

    #[test]
    fn the_author_of_a_removed_review_is_told_why_in_french() {
        let c = composer(&contexte(Genre::AvisRetire, Pour::Client));
        assert!(c.sujet.contains("a été retiré"), "{}", c.sujet);
        let texte = c.texte().unwrap();
        assert!(texte.contains("Motif du retrait"), "{texte}");
        assert!(texte.contains("Propos injurieux"), "{texte}");
        assert!(texte.contains("/avis-clients"), "{texte}");
    }

    #[test]
    fn only_time_related_kinds_carry_a_calendar_event() {
        let org = Personne {
            nom: "Booking".into(),
            email: "r@b.fr".into(),
        };
        assert!(calendrier(&contexte(Genre::Confirmation, Pour::Client), org.clone()).is_some());
        assert_eq!(
            calendrier(&contexte(Genre::Annulation, Pour::Client), org.clone())
                .unwrap()
                .methode,
            Methode::Cancel
        );
        assert!(calendrier(&contexte(Genre::DemandeAvis, Pour::Client), org.clone()).is_none());
        assert!(calendrier(&contexte(Genre::Remboursement, Pour::Client), org).is_none());
    }
}
