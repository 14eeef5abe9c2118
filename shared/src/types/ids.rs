use std::fmt;

/// A booking's id: a random (version 4) UUID in its usual lower-case text form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReservationId(String);

impl ReservationId {
    /// Builds the id from 16 random bytes (the caller owns randomness).
    pub fn from_random(bytes: [u8; 16]) -> ReservationId {
        let uuid = uuid::Builder::from_random_bytes(bytes).into_uuid();
        ReservationId(uuid.hyphenated().to_string())
    }

    /// Accepts only the canonical form (lower-case, hyphenated), so that a path segment
    /// is never used unchecked.
    pub fn parse(raw: &str) -> Option<ReservationId> {
        let uuid = uuid::Uuid::try_parse(raw).ok()?;
        (uuid.hyphenated().to_string() == raw).then(|| ReservationId(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReservationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The numeric id of a row (a service, a professional, an opening, an absence) as a
/// request names it: a positive integer that D1 passes exactly (numbers cross
/// JavaScript as doubles, so at most 2^53 - 1). A larger one would be rounded to
/// another row's id or refused by a STRICT column: it is no id of ours, refused where it
/// enters like any unknown id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identifiant(i64);

impl Identifiant {
    /// The largest id D1 passes exactly.
    pub const MAX: i64 = crate::store::ENTIER_EXACT_MAX;

    pub fn new(valeur: i64) -> Option<Identifiant> {
        (1..=Self::MAX)
            .contains(&valeur)
            .then_some(Identifiant(valeur))
    }

    /// Decimal digits only (leading zeros allowed, no sign, space, point or exponent).
    pub fn parse(texte: &str) -> Option<Identifiant> {
        if texte.is_empty() || !texte.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let significatif = texte.trim_start_matches('0');
        if significatif.len() > 16 {
            return None;
        }
        significatif.parse::<i64>().ok().and_then(Identifiant::new)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for Identifiant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<i64> for Identifiant {
    type Error = String;

    fn try_from(valeur: i64) -> Result<Self, Self::Error> {
        Identifiant::new(valeur)
            .ok_or_else(|| format!("identifiant hors de 1..={} : {valeur}", Identifiant::MAX))
    }
}

impl<'de> serde::Deserialize<'de> for Identifiant {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let valeur = i64::deserialize(deserializer)?;
        Identifiant::try_from(valeur).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_numeric_id_is_a_positive_integer_that_d1_passes_exactly() {
        assert_eq!(Identifiant::parse("1012").map(Identifiant::get), Some(1012));
        assert_eq!(
            Identifiant::parse("0001012").map(Identifiant::get),
            Some(1012)
        );
        assert_eq!(
            Identifiant::parse("9007199254740991").map(Identifiant::get),
            Some(Identifiant::MAX)
        );
        assert_eq!(
            Identifiant::parse(&format!("{}1", "0".repeat(5000))).map(Identifiant::get),
            Some(1)
        );
        for refuse in [
            "",
            "0",
            &"0".repeat(100),
            "-1",
            "+1",
            " 1",
            "1 ",
            "1.0",
            "1e3",
            "0x1f",
            "１２",
            "9007199254740992",
            "9223372036854775807",
            "9223372036854775808",
            &"9".repeat(30),
        ] {
            assert_eq!(Identifiant::parse(refuse), None, "{refuse:?}");
        }
        assert_eq!(Identifiant::new(0), None);
        assert_eq!(Identifiant::new(-5), None);
        assert_eq!(Identifiant::new(i64::MAX), None);
    }

    #[test]
    fn a_numeric_id_in_json_out_of_range_is_a_deserialization_error() {
        let lu: Identifiant = serde_json::from_str("1012").unwrap();
        assert_eq!(lu.get(), 1012);
        for refuse in ["0", "-1", "9007199254740993", "1.5", "\"1012\"", "1e300"] {
            assert!(
                serde_json::from_str::<Identifiant>(refuse).is_err(),
                "{refuse}"
            );
        }
    }

    #[test]
    fn an_id_from_random_bytes_is_a_version_4_uuid_that_parses_back() {
        let id = ReservationId::from_random([0xab; 16]);
        assert_eq!(id.as_str(), "abababab-abab-4bab-abab-abababababab");
        assert_eq!(ReservationId::parse(id.as_str()), Some(id));
    }

    #[test]
    fn anything_but_a_canonical_uuid_is_refused() {
        for raw in [
            "",
            "../etc/passwd",
            "ABABABAB-ABAB-4BAB-ABAB-ABABABABABAB",
            "abababab-abab-4bab-abab-ababababababab",
        ] {
            assert_eq!(ReservationId::parse(raw), None, "{raw}");
        }
    }
}
