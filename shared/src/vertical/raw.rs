//! The document as written, read by serde before any rule is checked.
//!
//! Unknown fields are refused so that a typo never silently drops a setting. Integers are
//! read as `i64` so that out-of-range values (negative ones included) get the same precise
//! message from the validation step.

use serde::Deserialize;

use super::champ::TypeChamp;
use super::legal::Retractation;
use super::theme::Police;
use crate::comptes::approbation::Exigence;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawVertical {
    /// Lets editors find `vertical.schema.json`; ignored otherwise.
    #[serde(rename = "$schema")]
    pub _schema: Option<String>,
    pub slug: String,
    pub domains: Vec<String>,
    pub nom: String,
    pub langue: String,
    /// IANA name; Europe/Paris when absent.
    pub fuseau: Option<String>,
    pub textes: RawTextes,
    pub theme: RawTheme,
    pub services_par_defaut: Vec<RawService>,
    pub regles: RawRegles,
    pub rappels_minutes: Vec<i64>,
    pub champs: Vec<RawChamp>,
    /// What a professional must provide before the admin approves them; none when absent.
    pub approbation: Option<RawApprobation>,
    /// Reviews: on by default, with a 30-day limit after the appointment.
    pub avis: Option<RawAvis>,
    /// The waitlist: on by default, each offer held 30 minutes.
    pub liste_attente: Option<RawListeAttente>,
    /// What an establishment's members are called; generic words when absent.
    pub membres: Option<RawMembres>,
    pub legal: RawLegal,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawApprobation {
    pub exigences: Vec<Exigence>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAvis {
    pub actifs: bool,
    pub delai_jours: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawListeAttente {
    pub actif: bool,
    pub duree_offre_minutes: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMembres {
    pub personne: String,
    pub personnes: String,
    pub ressource: String,
    pub ressources: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTextes {
    pub accroche: String,
    pub description: String,
    pub professionnel_singulier: String,
    pub professionnel_pluriel: String,
    pub appel_reservation: String,
    pub recherche_placeholder: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTheme {
    pub couleur_primaire: String,
    pub couleur_secondaire: String,
    pub couleur_fond: String,
    pub couleur_texte: String,
    pub police: Police,
    pub logo_emoji: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawService {
    pub nom: String,
    pub duree_minutes: i64,
    pub prix_centimes: i64,
    pub description: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRegles {
    pub pas_minutes: i64,
    pub preavis_minutes: i64,
    pub horizon_jours: i64,
    pub tampon_avant_minutes: i64,
    pub tampon_apres_minutes: i64,
    pub annulation_gratuite_heures: i64,
    pub max_reservations_par_jour: Option<i64>,
    pub paiement: RawPaiement,
}

/// `regles.paiement`: its mode, and for `acompte` its amount (a percentage or a sum; the
/// other modes take neither, which [`super::regles`] checks). A struct rather than an
/// enum tagged by `mode`: serde reads a tagged enum through a buffered copy of the
/// object, a reader that would be compiled for this one member.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPaiement {
    pub mode: ModePaiement,
    pub pourcentage: Option<i64>,
    pub montant_centimes: Option<i64>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub(super) enum ModePaiement {
    Aucun,
    Acompte,
    Total,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChamp {
    pub nom: String,
    pub libelle: String,
    #[serde(rename = "type")]
    pub type_champ: TypeChamp,
    pub requis: bool,
    pub aide: Option<String>,
    pub options: Option<Vec<RawOption>>,
    pub motif: Option<String>,
    pub motif_message: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub longueur_max: Option<i64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOption {
    pub valeur: String,
    pub libelle: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLegal {
    pub operateur: RawOperateur,
    pub mediateur: RawMediateur,
    pub retractation: Retractation,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOperateur {
    pub raison_sociale: String,
    pub forme_juridique: String,
    pub capital: Option<String>,
    pub siren: String,
    pub ville_rcs: String,
    pub siege: String,
    pub directeur_publication: String,
    pub email: String,
    pub telephone: String,
    pub tva_intracommunautaire: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMediateur {
    pub nom: String,
    pub site: String,
}
