//! The answers to the booking form's extra fields of a demo booking.

use serde_json::{Map, Value};

use booking_shared::vertical::{valider_reponses, Champ, TypeChamp};

use super::contenu::Reponse;
use super::ErreurDemo;

/// The answers `voulues` fitted to the vertical's extra fields (unknown keys dropped, a
/// select value matched to an option, required fields always answered), then checked and
/// normalised by the Worker's own validation.
pub(super) fn reponses(
    champs: &[Champ],
    voulues: &[(&str, Reponse)],
    n: usize,
    contact: (&str, &str, &str),
) -> Result<String, ErreurDemo> {
    let mut brutes = Map::new();
    for champ in champs {
        let voulue = voulues
            .iter()
            .find(|(nom, _)| *nom == champ.nom())
            .map(|(_, r)| r);
        let texte = voulue.and_then(Reponse::texte);
        let nombre = voulue.and_then(Reponse::nombre);
        let valeur = match champ.type_champ() {
            TypeChamp::Select => {
                let options: Vec<&str> = champ.options().iter().map(|o| o.valeur()).collect();
                match texte {
                    Some(t) if options.contains(&t) => Some(Value::from(t)),
                    _ if options.is_empty() => None,
                    // A close option (the same word in its value or label), else one in turn.
                    Some(t) => {
                        let t = t.to_lowercase();
                        let proche = champ.options().iter().find(|o| {
                            o.valeur().to_lowercase().contains(&t)
                                || o.libelle().to_lowercase().contains(&t)
                        });
                        Some(Value::from(
                            proche.map_or(options[n % options.len()], |o| o.valeur()),
                        ))
                    }
                    None if champ.requis() => Some(Value::from(options[n % options.len()])),
                    None => None,
                }
            }
            TypeChamp::Number => {
                let nombre = match nombre {
                    Some(x) => Some(x as f64),
                    None if champ.requis() => Some(champ.min().unwrap_or(1.0)),
                    None => None,
                };
                nombre.map(|x| {
                    let x = champ.max().map_or(x, |m| x.min(m));
                    let x = champ.min().map_or(x, |m| x.max(m));
                    if x.fract() == 0.0 {
                        Value::from(x as i64)
                    } else {
                        Value::from(x)
                    }
                })
            }
            type_champ => match (texte, nombre) {
                (Some(t), _) => Some(Value::from(t)),
                (None, Some(x)) => Some(Value::from(x.to_string())),
                (None, None) if champ.requis() => Some(Value::from(match type_champ {
                    TypeChamp::Email => contact.0,
                    TypeChamp::Tel => contact.1,
                    TypeChamp::Date => contact.2,
                    _ => "À préciser lors du rendez-vous.",
                })),
                (None, None) => None,
            },
        };
        if let Some(valeur) = valeur {
            brutes.insert(champ.nom().to_owned(), valeur);
        }
    }
    let valides = valider_reponses(champs, &brutes).map_err(|erreurs| {
        ErreurDemo(format!("réponses refusées par la validation : {erreurs:?}"))
    })?;
    Ok(Value::Object(valides).to_string())
}
