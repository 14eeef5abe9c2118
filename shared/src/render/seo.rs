//! What search engines and link previews read: title, description, canonical URL, Open
//! Graph, JSON-LD, the sitemap; and the entity tag that lets browsers revalidate a page.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::format;
use super::Site;
use crate::store::professionnels::Professionnel;

/// The head of one page.
#[derive(Debug, Clone)]
pub struct Seo {
    pub titre: String,
    pub description: String,
    /// Absolute, on the vertical's domain.
    pub canonical: String,
    /// Open Graph type: `website`, `profile`.
    pub og_type: &'static str,
    /// Pages that are nobody else's business (manage links) are not indexed.
    pub indexer: bool,
    /// JSON-LD, already escaped for a `<script type="application/ld+json">` element.
    pub json_ld: Option<String>,
}

impl Seo {
    pub fn page(site: &Site, titre: &str, description: &str, chemin: &str) -> Seo {
        Seo {
            titre: format!("{titre} — {}", site.nom),
            description: description.chars().take(300).collect(),
            canonical: site.url(chemin),
            og_type: "website",
            indexer: true,
            json_ld: None,
        }
    }

    pub fn prive(mut self) -> Seo {
        self.indexer = false;
        self
    }
}

/// A strong entity tag for a response body: a hash of its bytes.
pub fn etag(corps: &[u8]) -> String {
    let hash = Sha256::digest(corps);
    format!("\"{}\"", hex::encode(&hash[..16]))
}

/// Whether an `If-None-Match` header names this tag (weak or strong) or is `*`.
pub fn etag_correspond(if_none_match: &str, tag: &str) -> bool {
    if_none_match
        .split(',')
        .map(str::trim)
        .any(|candidat| candidat == "*" || candidat.strip_prefix("W/").unwrap_or(candidat) == tag)
}

fn echapper_xml(texte: &str) -> String {
    texte
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// A sitemap (sitemaps.org 0.9) of absolute URLs.
pub fn sitemap_xml(urls: &[String]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for url in urls {
        xml.push_str(&format!("<url><loc>{}</loc></url>\n", echapper_xml(url)));
    }
    xml.push_str("</urlset>\n");
    xml
}

/// JSON made safe inside a `<script>` element: no `<`, `>` or `&` can close it.
pub fn json_pour_script(valeur: &Value) -> String {
    valeur
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// schema.org `BreadcrumbList` of a page: its parents and itself, as (name, path).
pub fn json_ld_fil_ariane(site: &Site, fil: &[(String, String)]) -> String {
    // Built member by member: no serializer of lists and counts only for this.
    let mut elements = Vec::new();
    for (i, (nom, chemin)) in fil.iter().enumerate() {
        let mut element = crate::objet!({ "@type": "ListItem", "name": nom.as_str() });
        element["item"] = Value::String(site.url(chemin));
        element["position"] = Value::from(i as u64 + 1);
        elements.push(element);
    }
    let mut valeur = crate::objet!({ "@context": "https://schema.org", "@type": "BreadcrumbList" });
    valeur["itemListElement"] = Value::Array(elements);
    json_pour_script(&valeur)
}

/// schema.org `LocalBusiness` for a professional's profile.
pub fn json_ld_professionnel(site: &Site, pro: &Professionnel, url: &str) -> String {
    let mut valeur = json!({
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "name": pro.nom,
        "description": pro.bio,
        "url": url,
        "address": {
            "@type": "PostalAddress",
            "addressLocality": pro.ville,
            "addressRegion": pro.region,
            "postalCode": pro.code_postal,
            "addressCountry": "FR",
        },
        "isPartOf": { "@type": "WebSite", "name": site.nom, "url": site.url("/") },
    });
    if let Some(prix) = format::fourchette(pro.prix_min.map(i64::from), pro.prix_max.map(i64::from))
    {
        valeur["priceRange"] = json!(prix);
    }
    if let (Some(note), true) = (pro.note_moyenne, site.avis_actifs && pro.nombre_avis > 0) {
        valeur["aggregateRating"] = crate::objet!({
            "@type": "AggregateRating",
            "ratingValue": (note * 10.0).round() / 10.0,
            "reviewCount": pro.nombre_avis,
            "bestRating": 5,
        });
    }
    json_pour_script(&valeur)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_etag_matches_itself_weak_or_strong_and_star() {
        let tag = etag(b"<html>");
        assert!(tag.starts_with('"') && tag.len() == 34);
        assert!(etag_correspond(&tag, &tag));
        assert!(etag_correspond(&format!("\"x\", W/{tag}"), &tag));
        assert!(etag_correspond("*", &tag));
        assert!(!etag_correspond("\"autre\"", &tag));
        assert_ne!(etag(b"a"), etag(b"b"));
    }

    #[test]
    fn json_in_a_script_cannot_close_it() {
        let s = json_pour_script(&json!({ "bio": "</script><b>" }));
        assert!(!s.contains('<'));
        assert!(s.contains("\\u003c/script"));
    }

    #[test]
    fn the_sitemap_escapes_urls() {
        let xml = sitemap_xml(&["https://a.fr/?x=1&y=2".into()]);
        assert!(xml.contains("<loc>https://a.fr/?x=1&amp;y=2</loc>"));
    }
}
