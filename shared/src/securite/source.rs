//! Where a request comes from, as the key that rate limits count by.
//!
//! An IPv4 address is one source. An IPv6 address is keyed by its /64: one subscriber
//! usually holds a whole /64 and can pick any address in it, so counting per address
//! would let one client multiply its allowance by 2^64.

use std::net::IpAddr;

/// The key of a request without a usable `CF-Connecting-IP`: it is shared by every such
/// request, so it is never taken for a source an account signed in from.
pub const INCONNUE: &str = "inconnue";

/// The key of a request's source (`v4:203.0.113.7`, `v6:2001:db8:1:2::/64`), or
/// `inconnue` when the header is missing or is not an address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source(String);

impl Source {
    /// From the `CF-Connecting-IP` header (Cloudflare sets it; a client cannot).
    pub fn depuis_entete(valeur: Option<&str>) -> Source {
        let adresse = valeur.and_then(|v| v.trim().parse::<IpAddr>().ok());
        Source(match adresse {
            Some(IpAddr::V4(v4)) => format!("v4:{v4}"),
            Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => format!("v4:{v4}"),
                None => {
                    let s = v6.segments();
                    format!("v6:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
            None => INCONNUE.to_owned(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What is stored and counted instead of the address: its pseudonym under the
    /// server's secret (see [`super::empreinte`]).
    pub fn empreinte(&self, secret: &str) -> String {
        super::empreinte::pseudonyme(secret, "source", &self.0)
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_address_of_one_ipv6_64_is_one_source() {
        let a = Source::depuis_entete(Some("2001:db8:1:2::1"));
        let b = Source::depuis_entete(Some("2001:db8:1:2:ffff:eeee:dddd:cccc"));
        let autre = Source::depuis_entete(Some("2001:db8:1:3::1"));
        assert_eq!(a, b);
        assert_ne!(a, autre);
        assert_eq!(a.as_str(), "v6:2001:db8:1:2::/64");
    }

    #[test]
    fn an_ipv4_address_is_its_own_source_even_when_mapped_in_ipv6() {
        assert_eq!(
            Source::depuis_entete(Some(" 203.0.113.7 ")).as_str(),
            "v4:203.0.113.7"
        );
        assert_eq!(
            Source::depuis_entete(Some("::ffff:203.0.113.7")).as_str(),
            "v4:203.0.113.7"
        );
    }

    #[test]
    fn a_missing_or_forged_header_is_the_unknown_source() {
        assert_eq!(Source::depuis_entete(None).as_str(), "inconnue");
        assert_eq!(
            Source::depuis_entete(Some("1.2.3.4, 5.6.7.8")).as_str(),
            "inconnue"
        );
    }
}
