//! The address of a professional's external calendar, checked before anything fetches
//! it (server-side request forgery): https only, a public host name — no IP literal in
//! any spelling, no user name or password, no port but 443, no local or internal name.
//! The one exception is the local stand-in, whose `host:port` the deployment's
//! configuration lists (local development only): plain http is allowed for it.
//!
//! The Worker cannot see what a name resolves to; Cloudflare's `fetch` does not reach
//! private networks, and a redirect is checked again by the same rule before it is
//! followed (see `cas::agendas`).

/// Longest address kept (a secret iCal address is about 150 characters).
pub const LONGUEUR_MAX: usize = 1024;

/// A checked calendar address: `https://host/path?query`, without fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdresseAgenda {
    url: String,
    hote: String,
}

/// Why an address is refused; [`AdresseRefusee::message`] says it in French.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AdresseRefusee {
    #[error("adresse vide")]
    Vide,
    #[error("adresse trop longue")]
    TropLongue,
    #[error("schéma refusé")]
    Schema,
    #[error("identifiants dans l'adresse")]
    Identifiants,
    #[error("adresse IP")]
    AdresseIp,
    #[error("hôte refusé")]
    HoteInterdit,
    #[error("port refusé")]
    Port,
    #[error("adresse mal formée")]
    Invalide,
}

impl AdresseRefusee {
    pub fn message(&self) -> &'static str {
        match self {
            Self::Vide => "Indiquez l'adresse iCal secrète de votre calendrier.",
            Self::TropLongue => "Cette adresse est trop longue.",
            Self::Schema => "L'adresse doit commencer par https:// (ou webcal://).",
            Self::Identifiants => {
                "L'adresse ne doit pas contenir d'identifiant ni de mot de passe."
            }
            Self::AdresseIp => "L'adresse doit désigner un nom de domaine, pas une adresse IP.",
            Self::HoteInterdit => "Ce nom de domaine n'est pas une adresse publique.",
            Self::Port => "Seul le port https habituel (443) est accepté.",
            Self::Invalide => "Cette adresse n'est pas une adresse web valide.",
        }
    }
}

/// Suffixes of names that never designate a public host.
const SUFFIXES_INTERDITS: [&str; 9] = [
    "localhost",
    "local",
    "internal",
    "localdomain",
    "lan",
    "home",
    "corp",
    "intranet",
    "arpa",
];

impl AdresseAgenda {
    /// Checks `texte`; `webcal://` (and `webcals://`) become `https://`. `locaux` lists the
    /// `host:port` of local stand-ins allowed by configuration (empty in production).
    pub fn parse(texte: &str, locaux: &[String]) -> Result<Self, AdresseRefusee> {
        let texte = texte.trim();
        if texte.is_empty() {
            return Err(AdresseRefusee::Vide);
        }
        if texte.len() > LONGUEUR_MAX {
            return Err(AdresseRefusee::TropLongue);
        }
        if texte
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
        {
            return Err(AdresseRefusee::Invalide);
        }
        let (schema, reste) = texte.split_once("://").ok_or(AdresseRefusee::Schema)?;
        let schema = schema.to_ascii_lowercase();
        let fin_autorite = reste.find(['/', '?', '#']).unwrap_or(reste.len());
        let (autorite, chemin) = reste.split_at(fin_autorite);
        let chemin = chemin.split('#').next().unwrap_or("");
        let chemin = if chemin.starts_with('/') {
            chemin.to_owned()
        } else {
            format!("/{chemin}")
        };
        if autorite.contains('@') {
            return Err(AdresseRefusee::Identifiants);
        }
        let autorite = autorite.to_ascii_lowercase();
        if locaux.iter().any(|l| l.eq_ignore_ascii_case(&autorite)) {
            let schema = match schema.as_str() {
                "http" | "https" => schema,
                "webcal" => "http".to_owned(),
                _ => return Err(AdresseRefusee::Schema),
            };
            return Self::normalisee(format!("{schema}://{autorite}{chemin}"), autorite);
        }
        if !matches!(schema.as_str(), "https" | "webcal" | "webcals") {
            return Err(AdresseRefusee::Schema);
        }
        if autorite.starts_with('[') {
            return Err(AdresseRefusee::AdresseIp);
        }
        let hote = match autorite.rsplit_once(':') {
            Some((hote, "443")) => hote,
            Some(_) => return Err(AdresseRefusee::Port),
            None => autorite.as_str(),
        };
        let hote = hote.strip_suffix('.').unwrap_or(hote);
        verifier_hote(hote)?;
        Self::normalisee(format!("https://{hote}{chemin}"), hote.to_owned())
    }

    /// The address as kept: its length is checked again once normalised (a `/` added
    /// can take it past [`LONGUEUR_MAX`]).
    fn normalisee(url: String, hote: String) -> Result<Self, AdresseRefusee> {
        if url.len() > LONGUEUR_MAX {
            return Err(AdresseRefusee::TropLongue);
        }
        Ok(Self { url, hote })
    }

    pub fn as_str(&self) -> &str {
        &self.url
    }

    pub fn hote(&self) -> &str {
        &self.hote
    }

    /// Resolves a redirect's `Location` against this address and checks the result by
    /// the same rule. Only absolute, scheme-relative and absolute-path targets are
    /// followed.
    pub fn redirection(&self, location: &str, locaux: &[String]) -> Result<Self, AdresseRefusee> {
        let location = location.trim();
        let cible = if location.contains("://") {
            location.to_owned()
        } else if let Some(reste) = location.strip_prefix("//") {
            format!("https://{reste}")
        } else if location.starts_with('/') {
            let origine = self.url.find("://").map_or("", |i| {
                let apres = &self.url[i + 3..];
                let fin = apres.find('/').unwrap_or(apres.len());
                &self.url[..i + 3 + fin]
            });
            format!("{origine}{location}")
        } else {
            return Err(AdresseRefusee::Invalide);
        };
        Self::parse(&cible, locaux)
    }
}

/// Only names made of letters, digits and hyphens, at least two labels, the last one
/// not a number (a host whose last label is a number is an IPv4 address in some
/// spelling for browsers and `fetch`: `2130706433`, `0x7f.1`, `0177.0.0.1`, `127.1`).
fn verifier_hote(hote: &str) -> Result<(), AdresseRefusee> {
    if hote.is_empty() || hote.len() > 253 {
        return Err(AdresseRefusee::Invalide);
    }
    let etiquettes: Vec<&str> = hote.split('.').collect();
    let derniere = etiquettes.last().copied().unwrap_or("");
    if est_nombre(derniere) {
        return Err(AdresseRefusee::AdresseIp);
    }
    for etiquette in &etiquettes {
        let valide = !etiquette.is_empty()
            && etiquette.len() <= 63
            && etiquette
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !etiquette.starts_with('-')
            && !etiquette.ends_with('-');
        if !valide {
            return Err(AdresseRefusee::Invalide);
        }
    }
    if etiquettes.len() < 2 || SUFFIXES_INTERDITS.contains(&derniere) {
        return Err(AdresseRefusee::HoteInterdit);
    }
    Ok(())
}

/// The WHATWG URL rule "ends in a number": decimal digits, or `0x` and hex digits.
fn est_nombre(etiquette: &str) -> bool {
    if !etiquette.is_empty() && etiquette.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    etiquette
        .strip_prefix("0x")
        .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refus(url: &str) -> AdresseRefusee {
        AdresseAgenda::parse(url, &[]).unwrap_err()
    }

    fn accepte(url: &str) -> String {
        AdresseAgenda::parse(url, &[]).unwrap().as_str().to_owned()
    }

    #[test]
    fn secret_addresses_of_the_big_providers_are_accepted_as_they_are() {
        let google = "https://calendar.google.com/calendar/ical/abc%40group.calendar.google.com/private-0123/basic.ics";
        assert_eq!(accepte(google), google);
        // Outlook's addresses hold an @ in their path, which is not the authority's.
        let outlook =
            "https://outlook.office365.com/owa/calendar/a1b2@exemple.fr/c3d4/calendar.ics";
        assert_eq!(accepte(outlook), outlook);
        assert_eq!(
            accepte("HTTPS://Calendar.Google.COM./x.ics#frag"),
            "https://calendar.google.com/x.ics"
        );
        assert_eq!(accepte("https://exemple.fr:443"), "https://exemple.fr/");
        assert_eq!(accepte("https://exemple.fr?x=1"), "https://exemple.fr/?x=1");
    }

    #[test]
    fn webcal_becomes_https() {
        assert_eq!(
            accepte("webcal://p01-caldav.icloud.com/published/2/MTIz"),
            "https://p01-caldav.icloud.com/published/2/MTIz"
        );
        assert_eq!(
            accepte("webcals://exemple.fr/a.ics"),
            "https://exemple.fr/a.ics"
        );
    }

    #[test]
    fn other_schemes_are_refused() {
        for url in [
            "http://exemple.fr/a.ics",
            "ftp://exemple.fr/a.ics",
            "file:///etc/passwd",
            "javascript://exemple.fr/%0aalert(1)",
            "exemple.fr/a.ics",
            "//exemple.fr/a.ics",
        ] {
            assert_eq!(refus(url), AdresseRefusee::Schema, "{url}");
        }
    }

    #[test]
    fn ip_literals_in_every_spelling_are_refused() {
        for url in [
            "https://127.0.0.1/a.ics",
            "https://10.0.0.1/",
            "https://169.254.169.254/latest/meta-data",
            "https://2130706433/",
            "https://0x7f.1/",
            "https://0x7f000001/",
            "https://0177.0.0.1/",
            "https://127.1/",
            "https://1.2.3.4./",
            "https://[::1]/",
            "https://[::ffff:127.0.0.1]:443/",
            "https://[fe80::1%25eth0]/",
            "https://0x/",
            "https://a.0x10/",
        ] {
            assert_eq!(refus(url), AdresseRefusee::AdresseIp, "{url}");
        }
    }

    #[test]
    fn local_and_internal_names_are_refused() {
        for url in [
            "https://localhost/",
            "https://LOCALHOST./",
            "https://api.localhost/",
            "https://imprimante.local/",
            "https://metadata.google.internal/",
            "https://nas.home/",
            "https://intranet/",
            "https://1.0.0.127.in-addr.arpa/",
            "https://machine.localdomain/",
        ] {
            assert_eq!(refus(url), AdresseRefusee::HoteInterdit, "{url}");
        }
    }

    #[test]
    fn credentials_ports_and_odd_characters_are_refused() {
        assert_eq!(
            refus("https://moi:secret@exemple.fr/a.ics"),
            AdresseRefusee::Identifiants
        );
        assert_eq!(
            refus("https://exemple.fr@127.0.0.1/"),
            AdresseRefusee::Identifiants
        );
        assert_eq!(refus("https://exemple.fr:8443/"), AdresseRefusee::Port);
        assert_eq!(refus("https://exemple.fr:80/"), AdresseRefusee::Port);
        assert_eq!(refus("https://exemple.fr:/"), AdresseRefusee::Port);
        for url in [
            "https://exem ple.fr/",
            "https://exemple.fr/a b",
            "https://exemple.fr\\@evil.fr/",
            "https://%31%32%37.0.0.1/",
            "https://exémple.fr/",
            "https://-exemple.fr/",
            "https://exemple..fr/",
            "https:///a.ics",
            "https://exemple.fr/a\nb",
        ] {
            assert!(AdresseAgenda::parse(url, &[]).is_err(), "{url}");
        }
        assert_eq!(refus("   "), AdresseRefusee::Vide);
        let longue = format!("https://exemple.fr/{}", "a".repeat(LONGUEUR_MAX));
        assert_eq!(refus(&longue), AdresseRefusee::TropLongue);
        // Exactly the longest address, which the added `/` takes past it.
        let tete = "https://exemple.fr?";
        let limite = format!("{tete}{}", "a".repeat(LONGUEUR_MAX - tete.len()));
        assert_eq!(limite.len(), LONGUEUR_MAX);
        assert_eq!(refus(&limite), AdresseRefusee::TropLongue);
        let juste = &limite[..LONGUEUR_MAX - 1];
        assert_eq!(
            AdresseAgenda::parse(juste, &[]).map(|a| a.as_str().len()),
            Ok(LONGUEUR_MAX)
        );
    }

    #[test]
    fn the_local_stand_in_is_allowed_only_when_configured() {
        let url = "http://127.0.0.1:8790/agendas/coach.ics";
        assert_eq!(refus(url), AdresseRefusee::Schema);
        let locaux = ["127.0.0.1:8790".to_owned()];
        let a = AdresseAgenda::parse(url, &locaux).unwrap();
        assert_eq!(a.as_str(), url);
        assert_eq!(
            AdresseAgenda::parse("http://127.0.0.1:8791/x.ics", &locaux),
            Err(AdresseRefusee::Schema)
        );
        assert_eq!(
            AdresseAgenda::parse("https://127.0.0.1:8791/x.ics", &locaux),
            Err(AdresseRefusee::Port)
        );
    }

    #[test]
    fn redirects_are_checked_by_the_same_rule() {
        let a = AdresseAgenda::parse("https://exemple.fr/a/b.ics?x=1", &[]).unwrap();
        assert_eq!(
            a.redirection("/c.ics", &[]).unwrap().as_str(),
            "https://exemple.fr/c.ics"
        );
        assert_eq!(
            a.redirection("//autre.fr/d.ics", &[]).unwrap().as_str(),
            "https://autre.fr/d.ics"
        );
        assert_eq!(
            a.redirection("https://cdn.exemple.fr/e.ics", &[])
                .unwrap()
                .hote(),
            "cdn.exemple.fr"
        );
        assert_eq!(
            a.redirection("http://169.254.169.254/", &[]),
            Err(AdresseRefusee::Schema)
        );
        assert_eq!(
            a.redirection("https://[::1]/", &[]),
            Err(AdresseRefusee::AdresseIp)
        );
        assert_eq!(
            a.redirection("https://localhost/", &[]),
            Err(AdresseRefusee::HoteInterdit)
        );
        assert_eq!(a.redirection("c.ics", &[]), Err(AdresseRefusee::Invalide));
    }
}
