//! The pages of accounts, the professional's space and the admin: askama view models over
//! `templates/comptes/`, `templates/espace_pro/` and `templates/admin/`.

use askama::filters::HtmlSafe;
use askama::Template;

use crate::render::Site;
use crate::reservation::StatutReservation;
use crate::types::StatutAvis;
use crate::vertical::ErreurChamp;

/// A form as shown again: what was typed, each field's error, the CSRF token.
#[derive(Debug, Clone, Default)]
pub struct Formulaire {
    pub valeurs: Vec<(String, String)>,
    pub erreurs: Vec<ErreurChamp>,
    pub csrf: String,
    /// A message for the whole form (e.g. the generic sign-in refusal).
    pub message: Option<String>,
}

impl Formulaire {
    pub fn vide(csrf: &str) -> Formulaire {
        Formulaire {
            csrf: csrf.to_owned(),
            ..Formulaire::default()
        }
    }

    pub fn avec(csrf: &str, valeurs: Vec<(String, String)>) -> Formulaire {
        Formulaire {
            csrf: csrf.to_owned(),
            valeurs,
            ..Formulaire::default()
        }
    }

    pub fn valeur(&self, champ: &str) -> &str {
        self.valeurs
            .iter()
            .find(|(k, _)| k == champ)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    pub fn erreur(&self, champ: &str) -> Option<&str> {
        self.erreurs
            .iter()
            .find(|e| e.champ == champ)
            .map(|e| e.message.as_str())
    }

    pub fn a_des_erreurs(&self) -> bool {
        !self.erreurs.is_empty() || self.message.is_some()
    }

    /// One field of the form, its label and its error (`comptes/_champ.html`).
    pub fn champ<'a>(
        &'a self,
        nom: &'a str,
        libelle: &'a str,
        type_: &'a str,
        autocomplete: &'a str,
    ) -> ChampFormulaire<'a> {
        ChampFormulaire {
            form: self,
            nom,
            libelle,
            type_,
            autocomplete,
        }
    }

    /// The form's message, or a reminder that some fields are wrong (`comptes/_alerte.html`).
    pub fn alerte(&self) -> AlerteFormulaire<'_> {
        AlerteFormulaire { form: self }
    }
}

/// A field of a [`Formulaire`], rendered by one shared template whichever page shows it.
#[derive(Template)]
#[template(path = "comptes/_champ.html")]
pub struct ChampFormulaire<'a> {
    form: &'a Formulaire,
    nom: &'a str,
    libelle: &'a str,
    type_: &'a str,
    autocomplete: &'a str,
}

/// The alert above a [`Formulaire`].
#[derive(Template)]
#[template(path = "comptes/_alerte.html")]
pub struct AlerteFormulaire<'a> {
    form: &'a Formulaire,
}

// Both are HTML the templates escaped already: pages write them as they are.
impl HtmlSafe for ChampFormulaire<'_> {}
impl HtmlSafe for AlerteFormulaire<'_> {}

#[derive(Template)]
#[template(path = "comptes/inscription.html")]
pub struct InscriptionPage<'a> {
    pub site: &'a Site,
    pub form: Formulaire,
    /// The form was accepted: the page says to read the e-mail (the same page whether
    /// the address was new or not).
    pub envoye: bool,
}

#[derive(Template)]
#[template(path = "comptes/connexion.html")]
pub struct ConnexionPage<'a> {
    pub site: &'a Site,
    pub form: Formulaire,
    pub info: Option<String>,
}

#[derive(Template)]
#[template(path = "comptes/oubli.html")]
pub struct OubliPage<'a> {
    pub site: &'a Site,
    pub form: Formulaire,
    pub envoye: bool,
}

/// The page of the address check's link: a button (or the account's password when the
/// browser is not signed in to that account); never used by merely opening the link.
#[derive(Template)]
#[template(path = "comptes/verifier.html")]
pub struct VerifierPage<'a> {
    pub site: &'a Site,
    pub form: Formulaire,
    /// The link is unused and unexpired.
    pub valide: bool,
    /// The account the link is for (shown so that its owner knows which one).
    pub email: String,
    /// The browser is signed in to that account: no password asked.
    pub connecte: bool,
}

#[derive(Template)]
#[template(path = "comptes/reinitialiser.html")]
pub struct ReinitialiserPage<'a> {
    pub site: &'a Site,
    pub form: Formulaire,
    pub valide: bool,
}

/// A booking as the client's account lists it.
#[derive(Debug, Clone)]
pub struct LigneClient {
    pub quand: String,
    pub professionnel: String,
    pub service: String,
    pub statut_libelle: String,
}

#[derive(Template)]
#[template(path = "comptes/compte.html")]
pub struct ComptePage<'a> {
    pub site: &'a Site,
    pub nom: String,
    pub email: String,
    pub est_pro: bool,
    pub est_admin: bool,
    /// Whether the owner proved the address (else a notice and a "send again" button).
    pub email_verifie: bool,
    /// Why "send the link again" was refused (too many), shown in the address notice.
    pub renvoi: Option<String>,
    pub reservations: Vec<LigneClient>,
    /// Their waitlist entries still in line: what for, and the period.
    pub listes_attente: Vec<(String, String)>,
    pub form: Formulaire,
    pub info: Option<String>,
}

/// The professional's space's navigation, on every page of it.
#[derive(Debug, Clone)]
pub struct EntetePro {
    pub nom: String,
    pub slug: String,
    pub public: bool,
    /// The admin's decision as read (« en attente de validation »…), whether it is an
    /// approval, and the reason of a refusal or a suspension.
    pub approbation: String,
    pub approuve: bool,
    pub motif: Option<String>,
    pub csrf: String,
    pub info: Option<String>,
    pub actif: &'static str,
    /// The account's address is not proved yet: a notice links to the account page.
    pub email_a_confirmer: bool,
}

impl EntetePro {
    /// The space's header and navigation (`espace_pro/_nav.html`), rendered by one template
    /// whichever page of the space shows it.
    pub fn nav<'a>(&'a self, site: &'a Site) -> NavPro<'a> {
        NavPro { site, pro: self }
    }
}

#[derive(Template)]
#[template(path = "espace_pro/_nav.html")]
pub struct NavPro<'a> {
    site: &'a Site,
    pro: &'a EntetePro,
}

impl HtmlSafe for NavPro<'_> {}

#[derive(Template)]
#[template(path = "espace_pro/profil.html")]
pub struct ProfilPage<'a> {
    pub site: &'a Site,
    pub pro: EntetePro,
    pub form: Formulaire,
    /// What the vertical requires before approval: field name and label.
    pub exigences: Vec<(&'static str, &'static str)>,
}

#[derive(Debug, Clone)]
pub struct ServiceVue {
    pub id: i64,
    pub actif: bool,
    /// How many clients are on the waitlist for it.
    pub en_attente: i64,
    pub form: Formulaire,
    /// Who can perform it (checked), and its seats per session.
    pub membres: Vec<ChoixMembre>,
    pub places: String,
    /// Why the last change of who performs it was refused.
    pub equipe_erreur: Option<String>,
}

#[derive(Template)]
#[template(path = "espace_pro/services.html")]
pub struct ServicesPage<'a> {
    pub site: &'a Site,
    pub pro: EntetePro,
    pub services: Vec<ServiceVue>,
    pub nouveau: Formulaire,
}

#[derive(Debug, Clone)]
pub struct LigneSimple {
    pub id: i64,
    pub texte: String,
}

#[derive(Template)]
#[template(path = "espace_pro/horaires.html")]
pub struct HorairesPage<'a> {
    pub site: &'a Site,
    pub pro: EntetePro,
    /// The establishment's members, the one whose hours are shown chosen.
    pub membres: Vec<ChoixMembre>,
    pub membre: i64,
    pub semaine: Formulaire,
    pub ouvertures: Vec<LigneSimple>,
    pub ouverture: Formulaire,
    pub absences: Vec<LigneSimple>,
    pub absence: Formulaire,
}

#[derive(Debug, Clone)]
pub struct RendezVous {
    pub id: String,
    pub jour: String,
    pub heures: String,
    pub service: String,
    pub client: String,
    pub contact: String,
    pub message: String,
    pub statut: StatutReservation,
    pub statut_libelle: String,
    pub peut_terminer: bool,
    pub peut_annuler: bool,
    /// A hold (awaiting the client's confirmation or payment): refused, not cancelled.
    pub en_attente: bool,
    pub motif: Option<String>,
    /// The member it is assigned to, and whether it may go to another one.
    pub membre: String,
    pub membre_id: i64,
    pub peut_reassigner: bool,
}

#[derive(Template)]
#[template(path = "espace_pro/agenda.html")]
pub struct AgendaPage<'a> {
    pub site: &'a Site,
    pub pro: EntetePro,
    pub titre: String,
    pub semaine: bool,
    pub precedent: String,
    pub suivant: String,
    pub autre_vue: String,
    pub rendez_vous: Vec<RendezVous>,
    pub erreur: Option<String>,
    /// The members to filter on (the chosen one checked; none: the whole establishment),
    /// and the active people a booking may go to.
    pub membres: Vec<ChoixMembre>,
    pub personnes: Vec<ChoixMembre>,
}

/// A member to choose in a list or to check.
#[derive(Debug, Clone)]
pub struct ChoixMembre {
    pub id: i64,
    pub nom: String,
    pub choisi: bool,
}

/// One member of the establishment on the team page.
#[derive(Debug, Clone)]
pub struct MembreVue {
    pub id: i64,
    /// « personne » or « ressource ».
    pub genre: String,
    pub actif: bool,
    /// Its active bookings not yet over.
    pub a_venir: i64,
    /// Its name and position, or the form sent back with its errors.
    pub form: Formulaire,
}

#[derive(Template)]
#[template(path = "espace_pro/membres.html")]
pub struct MembresPage<'a> {
    pub site: &'a Site,
    pub pro: EntetePro,
    pub membres: Vec<MembreVue>,
    pub nouveau: Formulaire,
    /// Why the last action was refused.
    pub message: Option<String>,
    pub maximum: i64,
}

#[derive(Template)]
#[template(path = "espace_pro/calendrier.html")]
pub struct CalendrierPage<'a> {
    pub site: &'a Site,
    pub pro: EntetePro,
    pub actif: bool,
    /// Shown once, right after it is made.
    pub url: Option<String>,
    /// With it, each member's own feed: name and address.
    pub membres: Vec<(String, String)>,
}

/// One external calendar as the professional's page shows it.
#[derive(Debug, Clone)]
pub struct AgendaVue {
    pub id: i64,
    /// The host only: nothing of a secret address is shown again.
    pub apercu: String,
    /// « 1 déc. 2026 à 15 h 20 », or none before the first read.
    pub lu: Option<String>,
    pub occupations: i64,
    /// The last attempt's failure, in French.
    pub erreur: Option<String>,
    /// What the last file read could not all give, in French.
    pub avertissement: Option<String>,
}

#[derive(Template)]
#[template(path = "espace_pro/agendas.html")]
pub struct AgendasPage<'a> {
    pub site: &'a Site,
    pub pro: EntetePro,
    pub agendas: Vec<AgendaVue>,
    pub maximum: u32,
    /// The address typed, sent back with its error.
    pub saisie: String,
    pub erreur: Option<String>,
    /// The refusal of a button (too soon, not found).
    pub message: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ProLigne {
    pub id: i64,
    pub vertical: String,
    pub nom: String,
    pub slug: String,
    pub ville: String,
    pub email: String,
    pub public: bool,
    pub services: i64,
    /// The admin's decision, as read (« approuvé »…).
    pub approbation: String,
    /// Listed: public and approved.
    pub en_ligne: bool,
}

#[derive(Template)]
#[template(path = "admin/index.html")]
pub struct AdminPage {
    pub verticals: Vec<String>,
    pub filtre: String,
    pub professionnels: Vec<ProLigne>,
    pub info: Option<String>,
}

/// A professional of the approval queue, with the decision form's state.
#[derive(Debug, Clone)]
pub struct LigneApprobation {
    pub pro: ProLigne,
    pub motif: Option<String>,
    /// When and by whom it was decided, as read.
    pub decide_le: Option<String>,
    /// What the vertical requires: its label and what the professional provided.
    pub exigences: Vec<(&'static str, String)>,
    /// The requirements not met, in French.
    pub manquants: Vec<String>,
    pub peut_approuver: bool,
    pub peut_refuser: bool,
    pub peut_suspendre: bool,
    /// The reason typed, when the form comes back with an error.
    pub motif_saisi: String,
    pub erreur: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/approbations.html")]
pub struct AdminApprobationsPage {
    pub csrf: String,
    pub verticals: Vec<String>,
    pub filtre: String,
    pub lignes: Vec<LigneApprobation>,
    pub info: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/vertical.html")]
pub struct AdminVerticalPage {
    pub csrf: String,
    pub slug: String,
    pub document: String,
    pub erreur: Option<String>,
    pub info: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ReservationLigne {
    pub id: String,
    pub quand: String,
    pub vertical: String,
    pub professionnel: String,
    pub service: String,
    pub client: String,
    pub statut_libelle: String,
    pub prix: String,
    pub paiements: String,
}

#[derive(Template)]
#[template(path = "admin/reservations.html")]
pub struct AdminReservationsPage {
    pub verticals: Vec<String>,
    pub filtre: String,
    pub reservations: Vec<ReservationLigne>,
}

/// A review as its professional or the admin sees it.
#[derive(Debug, Clone)]
pub struct AvisLigne {
    pub id: i64,
    pub note: i64,
    pub auteur: String,
    pub commentaire: String,
    /// When the review was given, and when the appointment took place.
    pub date: String,
    pub experience: String,
    /// « Publié », « Signalé, en attente de la modération », « Retiré »…
    pub statut_libelle: String,
    pub motif_signalement: Option<String>,
    pub motif_moderation: Option<String>,
    /// The professional may still report it (published, never decided on).
    pub signalable: bool,
    /// For the admin: the vertical and the professional.
    pub vertical: String,
    pub professionnel: String,
    /// The reason typed in its form, and the form's error, when sent back.
    pub saisie: String,
    pub erreur: Option<String>,
}

/// `/pro/avis`: the professional's reviews, each with its report form while it may be
/// reported.
#[derive(Template)]
#[template(path = "espace_pro/avis.html")]
pub struct AvisProPage<'a> {
    pub site: &'a Site,
    pub pro: EntetePro,
    pub avis: Vec<AvisLigne>,
}

/// `/admin/avis`: the reported reviews awaiting a decision.
#[derive(Template)]
#[template(path = "admin/avis.html")]
pub struct AdminAvisPage {
    pub csrf: String,
    pub avis: Vec<AvisLigne>,
    pub info: Option<String>,
}

impl AvisLigne {
    /// A review in the professional's time zone; `vertical` and `professionnel` for the
    /// admin (empty for the professional).
    pub fn new(
        a: &crate::store::avis::Avis,
        fuseau: chrono_tz::Tz,
        vertical: &str,
        professionnel: &str,
    ) -> AvisLigne {
        use crate::render::format::date_longue;
        let statut_libelle = match (a.statut, &a.motif_moderation) {
            (StatutAvis::Signale, _) => "Signalé, en attente de la décision de la modération",
            (StatutAvis::Retire, _) => "Retiré par la modération",
            (_, Some(_)) => "Maintenu par la modération après signalement",
            _ => "Publié",
        };
        AvisLigne {
            id: a.id,
            note: a.note,
            auteur: a.auteur.clone(),
            commentaire: a.commentaire.clone(),
            date: date_longue(&a.created_at.with_timezone(&fuseau)),
            experience: date_longue(&a.date_experience.with_timezone(&fuseau)),
            statut_libelle: statut_libelle.to_owned(),
            motif_signalement: a.motif_signalement.clone(),
            motif_moderation: a.motif_moderation.clone(),
            signalable: a.statut == StatutAvis::Publie && a.motif_moderation.is_none(),
            vertical: vertical.to_owned(),
            professionnel: professionnel.to_owned(),
            saisie: String::new(),
            erreur: None,
        }
    }
}
