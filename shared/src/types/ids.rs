use std::fmt;

/// A booking's id: a random (version 4) UUID in its usual lower-case text form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReservationId(String);

impl ReservationId {
    /// Builds the id from 16 random bytes (the caller owns randomness).
    pub fn from_random(mut bytes: [u8; 16]) -> ReservationId {
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        ReservationId(format!(
            "{}-{}-{}-{}-{}",
            &hex[0..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..32]
        ))
    }

    /// Accepts only the canonical form, so that a path segment is never used unchecked.
    pub fn parse(raw: &str) -> Option<ReservationId> {
        let canonical = raw.len() == 36
            && raw.char_indices().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => c == '-',
                _ => c.is_ascii_digit() || ('a'..='f').contains(&c),
            });
        canonical.then(|| ReservationId(raw.to_owned()))
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

#[cfg(test)]
mod tests {
    use super::*;

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
