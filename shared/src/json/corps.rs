//! Request bodies: a JSON object read into a flat struct declared with [`corps!`](crate::corps).
//!
//! The text is read once into an object (the same code for every body, refusing a key
//! given twice); each member is then taken by name and converted by its type's
//! [`Membre`], one small function per member type. serde's derive would compile a whole
//! reader per struct, JSON parsing inlined. A body has no member it does not declare.

use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde_json::{Map, Value};

/// Why a body could not be read. When several members are wrong, a wrong value is named
/// first (in the struct's order), then a member the struct does not have (the first in
/// alphabetical order), then a missing one (serde named the first met in the text,
/// missing ones last).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErreurCorps {
    /// Not JSON, or not an object.
    Syntaxe,
    /// A required member is absent: its name.
    Manquant(String),
    /// A member the body does not have: its name.
    Inconnu(String),
    /// A value of the wrong type or out of range, or a member given twice: its path
    /// (`membres[1]` for a list's element).
    Type(String),
}

/// A body struct, declared with [`corps!`](crate::corps).
pub trait Corps: Sized {
    fn depuis(membres: &mut Membres) -> Result<Self, ErreurCorps>;
}

/// Reads the JSON object `texte` into `T`.
pub fn lire_corps<T: Corps>(texte: &str) -> Result<T, ErreurCorps> {
    T::depuis(&mut Membres::lire(texte)?)
}

/// A body's members, taken by name; the first error met is kept until [`Membres::fin`].
pub struct Membres {
    objet: Map<String, Value>,
    erreur: Option<ErreurCorps>,
}

impl Membres {
    /// The object of `texte`: a syntax error, another kind of value or a key given twice
    /// are refused here.
    pub fn lire(texte: &str) -> Result<Membres, ErreurCorps> {
        let mut double = None;
        let mut lecteur = serde_json::Deserializer::from_str(texte);
        let lu = ObjetStrict(&mut double)
            .deserialize(&mut lecteur)
            .and_then(|objet| lecteur.end().map(|()| objet));
        match (lu, double) {
            (_, Some(cle)) => Err(ErreurCorps::Type(cle)),
            (Ok(objet), None) => Ok(Membres {
                objet,
                erreur: None,
            }),
            (Err(_), None) => Err(ErreurCorps::Syntaxe),
        }
    }

    /// The member `nom` as a `T` (see [`Membre`]); `None` after an error, kept for
    /// [`Membres::fin`]: a struct takes all its members, then checks once.
    pub fn prendre<T: Membre>(&mut self, nom: &str) -> Option<T> {
        let lu = match self.objet.remove(nom) {
            Some(valeur) => T::depuis(valeur).map_err(|chemin| chemin.sous(nom)),
            None => T::absent().ok_or_else(|| ErreurCorps::Manquant(nom.to_owned())),
        };
        self.garder(lu)
    }

    /// The member `nom`, or `T::default()` when absent (serde's `#[serde(default)]`).
    pub fn ou_defaut<T: Membre + Default>(&mut self, nom: &str) -> Option<T> {
        if self.objet.contains_key(nom) {
            self.prendre(nom)
        } else {
            Some(T::default())
        }
    }

    /// The member `nom` where absent and `null` differ: absent is `None` (unchanged),
    /// `null` is `Some(None)` (emptied).
    pub fn nullable<T: Membre>(&mut self, nom: &str) -> Option<Option<Option<T>>> {
        let lu = match self.objet.remove(nom) {
            None => Ok(None),
            Some(valeur) => Option::<T>::depuis(valeur)
                .map(Some)
                .map_err(|chemin| chemin.sous(nom)),
        };
        self.garder(lu)
    }

    fn garder<T>(&mut self, lu: Result<T, ErreurCorps>) -> Option<T> {
        match lu {
            Ok(valeur) => Some(valeur),
            Err(erreur) => {
                let rang = |e: &ErreurCorps| matches!(e, ErreurCorps::Manquant(_)) as u8;
                match &self.erreur {
                    Some(avant) if rang(avant) <= rang(&erreur) => {}
                    _ => self.erreur = Some(erreur),
                }
                None
            }
        }
    }

    /// After every member was taken, for data that may hold other members: the first
    /// error kept, members not taken ignored.
    pub fn verifier(&mut self) -> Result<(), ErreurCorps> {
        self.erreur.take().map_or(Ok(()), Err)
    }

    /// After every member was taken: the first wrong value, else the first member left
    /// over (unknown), else the first missing one.
    pub fn fin(&mut self) -> Result<(), ErreurCorps> {
        match self.erreur.take() {
            Some(erreur @ ErreurCorps::Type(_)) => Err(erreur),
            autre => match self.objet.keys().next() {
                Some(cle) => Err(ErreurCorps::Inconnu(cle.clone())),
                None => autre.map_or(Ok(()), Err),
            },
        }
    }
}

/// Where in a member a value was wrong: nowhere deeper, or at an index of its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chemin {
    Ici,
    Index(usize),
}

impl Chemin {
    fn sous(self, nom: &str) -> ErreurCorps {
        ErreurCorps::Type(match self {
            Chemin::Ici => nom.to_owned(),
            Chemin::Index(i) => format!("{nom}[{i}]"),
        })
    }
}

/// A type a member reads into: its value converted, or where it was wrong.
pub trait Membre: Sized {
    fn depuis(valeur: Value) -> Result<Self, Chemin>;

    /// An absent member: `None` when it is required.
    fn absent() -> Option<Self> {
        None
    }
}

impl Membre for String {
    fn depuis(valeur: Value) -> Result<Self, Chemin> {
        match valeur {
            Value::String(texte) => Ok(texte),
            _ => Err(Chemin::Ici),
        }
    }
}

impl Membre for i64 {
    fn depuis(valeur: Value) -> Result<Self, Chemin> {
        valeur.as_i64().ok_or(Chemin::Ici)
    }
}

impl Membre for u32 {
    fn depuis(valeur: Value) -> Result<Self, Chemin> {
        valeur
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or(Chemin::Ici)
    }
}

/// An instant as Unix seconds (how the platform writes one in its own data).
impl Membre for chrono::DateTime<chrono::Utc> {
    fn depuis(valeur: Value) -> Result<Self, Chemin> {
        chrono::DateTime::from_timestamp(i64::depuis(valeur)?, 0).ok_or(Chemin::Ici)
    }
}

/// The domain's values that check themselves when read (their own small `Deserialize`).
macro_rules! membre_par_serde {
    ($($t:ty),*) => {$(
        impl Membre for $t {
            fn depuis(valeur: Value) -> Result<Self, Chemin> {
                serde_json::from_value(valeur).map_err(|_| Chemin::Ici)
            }
        }
    )*};
}
membre_par_serde!(crate::types::Centimes, crate::types::StatutApprobation);

impl Membre for bool {
    fn depuis(valeur: Value) -> Result<Self, Chemin> {
        valeur.as_bool().ok_or(Chemin::Ici)
    }
}

/// Any object (free-form answers).
impl Membre for Map<String, Value> {
    fn depuis(valeur: Value) -> Result<Self, Chemin> {
        match valeur {
            Value::Object(objet) => Ok(objet),
            _ => Err(Chemin::Ici),
        }
    }
}

/// `null` or absent is `None`.
impl<T: Membre> Membre for Option<T> {
    fn depuis(valeur: Value) -> Result<Self, Chemin> {
        match valeur {
            Value::Null => Ok(None),
            autre => T::depuis(autre).map(Some),
        }
    }

    fn absent() -> Option<Self> {
        Some(None)
    }
}

/// A list; a wrong element is named by its index.
impl Membre for Vec<i64> {
    fn depuis(valeur: Value) -> Result<Self, Chemin> {
        let Value::Array(elements) = valeur else {
            return Err(Chemin::Ici);
        };
        let mut liste = Vec::with_capacity(elements.len());
        for (i, element) in elements.into_iter().enumerate() {
            liste.push(i64::depuis(element).map_err(|_| Chemin::Index(i))?);
        }
        Ok(liste)
    }
}

impl Membre for crate::types::Identifiant {
    fn depuis(valeur: Value) -> Result<Self, Chemin> {
        crate::types::Identifiant::new(i64::depuis(valeur)?).ok_or(Chemin::Ici)
    }
}

/// Declares a body struct and its [`Corps`]: each field is the member of its name, or of
/// the name after `as`; `= defaut` gives the type's default when absent, `= nullable`
/// (on an `Option<Option<T>>`) tells an absent member (`None`) from `null` (`Some(None)`).
/// An `Option` field may be absent or `null`; any other field is required.
///
/// ```
/// booking_shared::corps! {
///     #[derive(Debug)]
///     pub struct Essai {
///         pub nom: String,
///         pub genre as "type": Option<String>,
///         pub vu: bool = defaut,
///     }
/// }
/// let essai: Essai = booking_shared::json::lire_corps(r#"{"nom": "x", "type": null}"#).unwrap();
/// assert_eq!((essai.nom.as_str(), essai.genre, essai.vu), ("x", None, false));
/// ```
#[macro_export]
macro_rules! corps {
    (
        $(#[$meta:meta])*
        $vis:vis struct $nom:ident {
            $( $(#[$champ_meta:meta])* $champ_vis:vis $champ:ident $(as $membre:literal)? : $type:ty $(= $mode:ident)? ),*
            $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $nom {
            $( $(#[$champ_meta])* $champ_vis $champ : $type ),*
        }

        impl $crate::json::Corps for $nom {
            fn depuis(
                membres: &mut $crate::json::Membres,
            ) -> ::core::result::Result<Self, $crate::json::ErreurCorps> {
                $( let $champ = $crate::corps!(@prendre membres, $crate::corps!(@nom $champ $($membre)?) $(, $mode)?); )*
                membres.fin()?;
                // Every member was read (fin said so): none of these is `None`.
                ::core::result::Result::Ok($nom {
                    $( $champ: $champ.unwrap() ),*
                })
            }
        }
    };
    (@nom $champ:ident $membre:literal) => {
        $membre
    };
    (@nom $champ:ident) => {
        stringify!($champ)
    };
    (@prendre $membres:ident, $nom:expr) => {
        $membres.prendre($nom)
    };
    (@prendre $membres:ident, $nom:expr, defaut) => {
        $membres.ou_defaut($nom)
    };
    (@prendre $membres:ident, $nom:expr, nullable) => {
        $membres.nullable($nom)
    };
}

/// A JSON object whose keys are all different; the first key given twice is written to
/// the slot (serde_json keeps the last value, serde's derive refuses the body).
struct ObjetStrict<'a>(&'a mut Option<String>);

impl<'de> DeserializeSeed<'de> for ObjetStrict<'_> {
    type Value = Map<String, Value>;

    fn deserialize<D: de::Deserializer<'de>>(self, lecteur: D) -> Result<Self::Value, D::Error> {
        lecteur.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ObjetStrict<'_> {
    type Value = Map<String, Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("un objet JSON")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut lecture: A) -> Result<Self::Value, A::Error> {
        let mut objet = Map::new();
        while let Some(cle) = lecture.next_key::<String>()? {
            let valeur = lecture.next_value::<Value>()?;
            if objet.contains_key(&cle) {
                *self.0 = Some(cle);
                return Err(de::Error::custom("clé en double"));
            }
            objet.insert(cle, valeur);
        }
        Ok(objet)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;
    use crate::types::Identifiant;

    crate::corps! {
        #[derive(Debug, PartialEq)]
        struct Essai {
            nom: String,
            service: Identifiant,
            membre: Option<i64>,
            genre as "type": Option<String>,
            message: String = defaut,
            vu: bool = defaut,
            code_postal: Option<Option<String>> = nullable,
            membres: Option<Vec<i64>>,
            reponses: Map<String, Value> = defaut,
        }
    }

    /// The same body as serde's derive reads it.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct EssaiSerde {
        nom: String,
        service: Identifiant,
        membre: Option<i64>,
        #[serde(rename = "type")]
        genre: Option<String>,
        #[serde(default)]
        message: String,
        #[serde(default)]
        vu: bool,
        #[serde(default, deserialize_with = "nullable")]
        code_postal: Option<Option<String>>,
        membres: Option<Vec<i64>>,
        #[serde(default)]
        reponses: Map<String, Value>,
    }

    fn nullable<'de, D: de::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
        Option::<String>::deserialize(d).map(Some)
    }

    fn lire(corps: &str) -> Result<Essai, ErreurCorps> {
        lire_corps(corps)
    }

    #[test]
    fn each_member_is_read_by_its_type_and_absent_ones_by_their_rule() {
        let essai = lire(r#"{"nom": "Ana", "service": 3, "type": "x", "code_postal": null}"#);
        assert_eq!(
            essai,
            Ok(Essai {
                nom: "Ana".into(),
                service: Identifiant::new(3).unwrap(),
                membre: None,
                genre: Some("x".into()),
                message: String::new(),
                vu: false,
                code_postal: Some(None),
                membres: None,
                reponses: Map::new(),
            })
        );
        let essai = lire(
            r#"{"nom": "", "service": 9007199254740991, "membre": null, "message": "m",
                "vu": true, "code_postal": "69001", "membres": [1, 2],
                "reponses": {"a": [1], "b": null}}"#,
        )
        .unwrap();
        assert_eq!(essai.code_postal, Some(Some("69001".into())));
        assert_eq!(essai.membres, Some(vec![1, 2]));
        assert_eq!(Value::Object(essai.reponses), json!({"a": [1], "b": null}));
        assert_eq!(
            lire(r#"{"nom": "", "service": 1}"#).unwrap().code_postal,
            None
        );
    }

    #[test]
    fn a_wrong_body_names_its_member_and_the_kind_of_error() {
        use ErreurCorps::*;
        for (corps, attendu) in [
            ("", Syntaxe),
            ("{", Syntaxe),
            (r#"{"nom": "a", "service": 1} x"#, Syntaxe),
            ("[1]", Syntaxe),
            (r#"{"service": 1}"#, Manquant("nom".into())),
            (r#"{"nom": null, "service": 1}"#, Type("nom".into())),
            (r#"{"nom": "a", "service": "1"}"#, Type("service".into())),
            (r#"{"nom": "a", "service": 0}"#, Type("service".into())),
            (r#"{"nom": "a", "service": 1.0}"#, Type("service".into())),
            (
                r#"{"nom": "a", "service": 18446744073709551615}"#,
                Type("service".into()),
            ),
            (
                r#"{"nom": "a", "service": 1, "vu": null}"#,
                Type("vu".into()),
            ),
            (
                r#"{"nom": "a", "service": 1, "message": 1}"#,
                Type("message".into()),
            ),
            (
                r#"{"nom": "a", "service": 1, "reponses": []}"#,
                Type("reponses".into()),
            ),
            (
                r#"{"nom": "a", "service": 1, "membres": [1, "2"]}"#,
                Type("membres[1]".into()),
            ),
            (
                r#"{"nom": "a", "service": 1, "code_postal": 1}"#,
                Type("code_postal".into()),
            ),
            (
                r#"{"nom": "a", "service": 1, "prix": 0}"#,
                Inconnu("prix".into()),
            ),
            (
                r#"{"nom": "a", "service": 1, "genre": "x"}"#,
                Inconnu("genre".into()),
            ),
            (
                r#"{"nom": "a", "nom": "b", "service": 1}"#,
                Type("nom".into()),
            ),
            // Several errors: a wrong value, then an unknown member, then a missing one.
            (r#"{"x": 1, "service": "1"}"#, Type("service".into())),
            (r#"{"x": 1, "service": 1}"#, Inconnu("x".into())),
            (r#"{"service": "1"}"#, Type("service".into())),
        ] {
            assert_eq!(lire(corps), Err(attendu), "{corps}");
        }
    }

    proptest::proptest! {
        /// Whatever the body, it is accepted exactly when serde's derive accepts it, with
        /// the same values.
        #[test]
        fn a_body_is_read_as_serde_reads_it(
            membres in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "nom", "service", "membre", "type", "message", "vu", "code_postal",
                        "membres", "reponses", "autre",
                    ]),
                    proptest::sample::select(vec![
                        "null", "true", "0", "1", "-3", "1.5", "\"a\"", "\"\"", "[]", "[1, 2]",
                        "[1, \"a\"]", "{}", "{\"a\": 1}", "9007199254740992",
                    ]),
                ),
                0..8,
            )
        ) {
            let texte = format!(
                "{{{}}}",
                membres
                    .iter()
                    .map(|(cle, valeur)| format!("\"{cle}\": {valeur}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let nous = lire(&texte);
            let serde = serde_json::from_str::<EssaiSerde>(&texte);
            proptest::prop_assert_eq!(nous.is_ok(), serde.is_ok(), "{} : {:?}", texte, nous);
            if let (Ok(nous), Ok(serde)) = (nous, serde) {
                proptest::prop_assert_eq!(
                    (nous.nom, nous.service, nous.membre, nous.genre, nous.message, nous.vu),
                    (serde.nom, serde.service, serde.membre, serde.genre, serde.message, serde.vu)
                );
                proptest::prop_assert_eq!(
                    (nous.code_postal, nous.membres, nous.reponses),
                    (serde.code_postal, serde.membres, serde.reponses)
                );
            }
        }
    }
}
