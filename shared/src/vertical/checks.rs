//! Small validation helpers shared by the sections of a vertical document.

use super::error::ConfigError;

/// A non-blank text of at most `max` characters, trimmed.
pub(super) fn texte(chemin: &str, valeur: &str, max: usize) -> Result<String, ConfigError> {
    let valeur = valeur.trim();
    if valeur.is_empty() {
        return Err(ConfigError::new(chemin, "ne doit pas être vide"));
    }
    let longueur = valeur.chars().count();
    if longueur > max {
        return Err(ConfigError::new(
            chemin,
            format!("trop long ({longueur} caractères, maximum {max})"),
        ));
    }
    Ok(valeur.to_owned())
}

/// An optional text: absent stays absent, present must be a valid [`texte`].
pub(super) fn texte_optionnel(
    chemin: &str,
    valeur: Option<&str>,
    max: usize,
) -> Result<Option<String>, ConfigError> {
    valeur.map(|v| texte(chemin, v, max)).transpose()
}

/// An integer within `min..=max`.
pub(super) fn entier(chemin: &str, valeur: i64, min: u32, max: u32) -> Result<u32, ConfigError> {
    if valeur < i64::from(min) || valeur > i64::from(max) {
        return Err(ConfigError::new(
            chemin,
            format!("doit être compris entre {min} et {max} (reçu {valeur})"),
        ));
    }
    u32::try_from(valeur).map_err(|_| ConfigError::new(chemin, "nombre hors limites"))
}

/// A number of minutes within `min..=max` that is a multiple of 5.
pub(super) fn minutes_par_5(
    chemin: &str,
    valeur: i64,
    min: u32,
    max: u32,
) -> Result<u32, ConfigError> {
    let minutes = entier(chemin, valeur, min, max)?;
    if !minutes.is_multiple_of(5) {
        return Err(ConfigError::new(
            chemin,
            format!("doit être un multiple de 5 minutes (reçu {minutes})"),
        ));
    }
    Ok(minutes)
}

/// An amount in euro cents within `0..=max`.
pub(super) fn centimes(chemin: &str, valeur: i64, min: u64, max: u64) -> Result<u64, ConfigError> {
    match u64::try_from(valeur) {
        Ok(montant) if (min..=max).contains(&montant) => Ok(montant),
        _ => Err(ConfigError::new(
            chemin,
            format!(
                "doit être un montant en centimes compris entre {min} et {max} (reçu {valeur})"
            ),
        )),
    }
}
