//! The booking form's extra fields, fitted to the vertical (a number plate for `garage`, …).

use super::motif::Motif as Automate;
use serde::Deserialize;

use super::checks::{texte, texte_optionnel};
use super::error::ConfigError;
use super::raw::{RawChamp, RawOption};

/// The contact fields every booking form already has; extra fields may not reuse them.
pub const CHAMPS_CONTACT: [&str; 4] = ["nom", "email", "telephone", "message"];

/// Default maximum length of a `text` answer, in characters.
const LONGUEUR_MAX_TEXTE: usize = 200;
/// Default maximum length of a `textarea` answer, in characters.
const LONGUEUR_MAX_TEXTAREA: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TypeChamp {
    Text,
    Email,
    Tel,
    Select,
    Textarea,
    Number,
    Date,
}

impl TypeChamp {
    /// The name used in the document, also the HTML `input` type (except select/textarea).
    pub fn as_str(self) -> &'static str {
        match self {
            TypeChamp::Text => "text",
            TypeChamp::Email => "email",
            TypeChamp::Tel => "tel",
            TypeChamp::Select => "select",
            TypeChamp::Textarea => "textarea",
            TypeChamp::Number => "number",
            TypeChamp::Date => "date",
        }
    }
}

/// One choice of a `select` field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionChamp {
    valeur: String,
    libelle: String,
}

impl OptionChamp {
    /// The value stored with the booking.
    pub fn valeur(&self) -> &str {
        &self.valeur
    }

    /// What the client reads.
    pub fn libelle(&self) -> &str {
        &self.libelle
    }
}

/// One extra field of the booking form, validated.
#[derive(Debug, Clone)]
pub struct Champ {
    nom: String,
    libelle: String,
    type_champ: TypeChamp,
    requis: bool,
    aide: Option<String>,
    options: Vec<OptionChamp>,
    motif: Option<Motif>,
    motif_message: Option<String>,
    min: Option<f64>,
    max: Option<f64>,
    longueur_max: Option<usize>,
}

/// A pattern, kept as written (for the HTML `pattern` attribute) and compiled to match the
/// whole answer.
#[derive(Debug, Clone)]
struct Motif {
    source: String,
    automate: Automate,
}

impl Champ {
    pub(super) fn liste_depuis_brut(bruts: Vec<RawChamp>) -> Result<Vec<Self>, ConfigError> {
        let mut champs: Vec<Self> = Vec::with_capacity(bruts.len());
        for (i, brut) in bruts.into_iter().enumerate() {
            let champ = Self::depuis_brut(&format!("champs[{i}]"), brut)?;
            if champs.iter().any(|c| c.nom == champ.nom) {
                return Err(ConfigError::new(
                    format!("champs[{i}].nom"),
                    format!("le champ « {} » est déjà défini", champ.nom),
                ));
            }
            champs.push(champ);
        }
        Ok(champs)
    }

    fn depuis_brut(chemin: &str, brut: RawChamp) -> Result<Self, ConfigError> {
        let chemin_de = |champ: &str| format!("{chemin}.{champ}");
        let type_champ = brut.type_champ;
        let interdit = |champ: &str, pour: &str| {
            ConfigError::new(
                chemin_de(champ),
                format!(
                    "réservé aux champs de type {pour} (ce champ est de type « {} »)",
                    type_champ.as_str()
                ),
            )
        };

        let nom = nom_valide(&chemin_de("nom"), &brut.nom)?;
        let libelle = texte(&chemin_de("libelle"), &brut.libelle, 80)?;
        let aide = texte_optionnel(&chemin_de("aide"), brut.aide.as_deref(), 200)?;

        let options = match (type_champ, brut.options) {
            (TypeChamp::Select, Some(options)) => options_valides(&chemin_de("options"), options)?,
            (TypeChamp::Select, None) => {
                return Err(ConfigError::new(
                    chemin_de("options"),
                    "obligatoire pour un champ de type « select »",
                ))
            }
            (_, Some(_)) => return Err(interdit("options", "« select »")),
            (_, None) => Vec::new(),
        };

        let motif = match brut.motif {
            Some(source) if matches!(type_champ, TypeChamp::Text | TypeChamp::Tel) => {
                Some(motif_valide(&chemin_de("motif"), source)?)
            }
            Some(_) => return Err(interdit("motif", "« text » ou « tel »")),
            None => None,
        };
        let motif_message = match brut.motif_message {
            Some(_) if motif.is_none() => {
                return Err(ConfigError::new(
                    chemin_de("motif_message"),
                    "n'a de sens qu'avec un « motif »",
                ))
            }
            message => texte_optionnel(&chemin_de("motif_message"), message.as_deref(), 200)?,
        };

        if type_champ != TypeChamp::Number {
            if brut.min.is_some() {
                return Err(interdit("min", "« number »"));
            }
            if brut.max.is_some() {
                return Err(interdit("max", "« number »"));
            }
        }
        if let (Some(min), Some(max)) = (brut.min, brut.max) {
            if min > max {
                return Err(ConfigError::new(
                    chemin_de("max"),
                    format!("doit être supérieur ou égal à « min » ({min})"),
                ));
            }
        }

        let longueur_max = match (type_champ, brut.longueur_max) {
            (TypeChamp::Text | TypeChamp::Textarea, Some(longueur)) => {
                if !(1..=10_000).contains(&longueur) {
                    return Err(ConfigError::new(
                        chemin_de("longueur_max"),
                        format!("doit être compris entre 1 et 10000 (reçu {longueur})"),
                    ));
                }
                usize::try_from(longueur).ok()
            }
            (TypeChamp::Text, None) => Some(LONGUEUR_MAX_TEXTE),
            (TypeChamp::Textarea, None) => Some(LONGUEUR_MAX_TEXTAREA),
            (_, Some(_)) => return Err(interdit("longueur_max", "« text » ou « textarea »")),
            (_, None) => None,
        };

        Ok(Self {
            nom,
            libelle,
            type_champ,
            requis: brut.requis,
            aide,
            options,
            motif,
            motif_message,
            min: brut.min,
            max: brut.max,
            longueur_max,
        })
    }

    /// The identifier: the answer's key and the HTML `name`.
    pub fn nom(&self) -> &str {
        &self.nom
    }

    /// The label the client reads.
    pub fn libelle(&self) -> &str {
        &self.libelle
    }

    pub fn type_champ(&self) -> TypeChamp {
        self.type_champ
    }

    pub fn requis(&self) -> bool {
        self.requis
    }

    /// Help text shown under the field.
    pub fn aide(&self) -> Option<&str> {
        self.aide.as_deref()
    }

    /// The choices of a `select` field; empty for other types.
    pub fn options(&self) -> &[OptionChamp] {
        &self.options
    }

    /// The pattern as written, for `text` and `tel` fields; it must match the whole answer.
    pub fn motif(&self) -> Option<&str> {
        self.motif.as_ref().map(|m| m.source.as_str())
    }

    /// The message shown when the answer does not match [`Champ::motif`].
    pub fn motif_message(&self) -> Option<&str> {
        self.motif_message.as_deref()
    }

    /// Lower bound of a `number` field.
    pub fn min(&self) -> Option<f64> {
        self.min
    }

    /// Upper bound of a `number` field.
    pub fn max(&self) -> Option<f64> {
        self.max
    }

    /// Maximum length in characters of a `text` or `textarea` answer (defaults applied).
    pub fn longueur_max(&self) -> Option<usize> {
        self.longueur_max
    }

    /// Whether `valeur` matches the whole pattern; true when there is none.
    pub(super) fn respecte_motif(&self, valeur: &str) -> bool {
        self.motif
            .as_ref()
            .is_none_or(|m| m.automate.accepte(valeur))
    }
}

fn nom_valide(chemin: &str, nom: &str) -> Result<String, ConfigError> {
    let mut caracteres = nom.chars();
    let bien_forme = caracteres.next().is_some_and(|c| c.is_ascii_lowercase())
        && caracteres.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !bien_forme || nom.len() > 40 {
        return Err(ConfigError::new(
            chemin,
            format!(
                "identifiant invalide « {nom} » : une lettre minuscule puis des minuscules, \
                 chiffres ou « _ » (40 caractères au plus)"
            ),
        ));
    }
    if CHAMPS_CONTACT.contains(&nom) {
        return Err(ConfigError::new(
            chemin,
            format!("« {nom} » est déjà un champ de contact du formulaire"),
        ));
    }
    Ok(nom.to_owned())
}

fn options_valides(chemin: &str, bruts: Vec<RawOption>) -> Result<Vec<OptionChamp>, ConfigError> {
    if bruts.is_empty() {
        return Err(ConfigError::new(
            chemin,
            "doit proposer au moins un choix pour un champ de type « select »",
        ));
    }
    let mut options: Vec<OptionChamp> = Vec::with_capacity(bruts.len());
    for (j, brut) in bruts.into_iter().enumerate() {
        let valeur = texte(&format!("{chemin}[{j}].valeur"), &brut.valeur, 80)?;
        if options.iter().any(|o| o.valeur == valeur) {
            return Err(ConfigError::new(
                format!("{chemin}[{j}].valeur"),
                format!("la valeur « {valeur} » est déjà proposée"),
            ));
        }
        let libelle = texte(&format!("{chemin}[{j}].libelle"), &brut.libelle, 80)?;
        options.push(OptionChamp { valeur, libelle });
    }
    Ok(options)
}

fn motif_valide(chemin: &str, source: String) -> Result<Motif, ConfigError> {
    if source.is_empty() || source.chars().count() > 500 {
        return Err(ConfigError::new(
            chemin,
            "doit faire entre 1 et 500 caractères",
        ));
    }
    // The whole answer must match, as with HTML's `pattern` attribute.
    match Automate::new(&source) {
        Ok(automate) => Ok(Motif { source, automate }),
        Err(detail) => Err(ConfigError::new(
            chemin,
            format!("expression régulière invalide ({detail})"),
        )),
    }
}
