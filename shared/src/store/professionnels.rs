//! Reads of `professionnels`: the directory and the public profile.

use serde::Serialize;

use super::services::{self, Service};
use super::{decode, fetch_optional, Db, DbError, Row, Statement, Value};
use crate::comptes::approbation::Justificatifs;
use crate::types::{Centimes, StatutApprobation};

crate::ligne! {
    #[derive(Debug, Clone, Serialize)]
    pub struct Professionnel {
        pub id: i64,
        pub vertical: String,
        pub slug: String,
        pub nom: String,
        pub bio: String,
        pub ville: String,
        pub region: String,
        pub photo_url: Option<String>,
        pub prix_min: Option<Centimes>,
        pub prix_max: Option<Centimes>,
        pub note_moyenne: Option<f64>,
        pub nombre_avis: i64,
        pub public: i64,
        pub fuseau: String,
        /// The admin's decision; listed only when approved (and public).
        pub approbation: StatutApprobation,
        /// Why it was refused or suspended.
        pub approbation_motif: Option<String>,
        pub siret: Option<String>,
        pub barreau: Option<String>,
    }
}

impl Professionnel {
    /// What the professional provided towards approval.
    pub fn justificatifs(&self) -> Justificatifs {
        Justificatifs {
            siret: self.siret.clone(),
            barreau: self.barreau.clone(),
        }
    }
}

pub(super) const COLONNES: &str =
    "p.id, p.vertical, p.slug, p.nom, p.bio, p.ville, p.region, p.photo_url, \
     p.prix_min, p.prix_max, p.note_moyenne, p.nombre_avis, p.public, p.fuseau, \
     p.approbation, p.approbation_motif, p.siret, p.barreau";

/// Who the sites list, profile, and take bookings for: public by the professional's own
/// choice AND approved by the admin (`StatutApprobation::Approuve`).
const LISTE: &str = "p.public = 1 AND p.approbation = 'approuve'";

/// The directory's filters; each one given narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filtres {
    pub ville: Option<String>,
    pub region: Option<String>,
    /// A city or a region (the home page's single "Où ?" field).
    pub lieu: Option<String>,
    /// Part of a service's name.
    pub service: Option<String>,
    /// Free text: name, bio, city, region or a service's name.
    pub texte: Option<String>,
}

/// Text filters are matched with `instr(lower(column), lower(?))`, not `LIKE '%…%'`: D1
/// refuses a LIKE pattern over 50 bytes ("LIKE or GLOB pattern too complex"), which a
/// filter of the allowed length (100 characters) exceeds. `instr` has no such limit, and
/// `%` or `_` in the text are plain characters. `lower` folds ASCII only, as LIKE did.
fn filtres_sql() -> String {
    format!(
        "p.vertical = ?1 AND {LISTE}
    AND (?2 IS NULL OR p.ville = ?2 COLLATE NOCASE)
    AND (?3 IS NULL OR p.region = ?3 COLLATE NOCASE)
    AND (?4 IS NULL OR p.ville = ?4 COLLATE NOCASE OR p.region = ?4 COLLATE NOCASE)
    AND (?5 IS NULL OR EXISTS (SELECT 1 FROM services s WHERE s.professionnel_id = p.id
         AND s.actif = 1 AND instr(lower(s.nom), lower(?5)) > 0))
    AND (?6 IS NULL OR instr(lower(p.nom), lower(?6)) > 0 OR instr(lower(p.bio), lower(?6)) > 0
         OR instr(lower(p.ville), lower(?6)) > 0 OR instr(lower(p.region), lower(?6)) > 0
         OR EXISTS (SELECT 1 FROM services s WHERE s.professionnel_id = p.id
                    AND s.actif = 1 AND instr(lower(s.nom), lower(?6)) > 0))"
    )
}

fn avec_filtres(sql: String, vertical: &str, filtres: &Filtres) -> Statement {
    Statement::new(sql)
        .bind(vertical)
        .bind(filtres.ville.clone())
        .bind(filtres.region.clone())
        .bind(filtres.lieu.clone())
        .bind(filtres.service.clone())
        .bind(filtres.texte.clone())
}

crate::ligne! {
    #[derive(Debug)]
    struct Compte {
        n: i64,
    }
}

fn ordre(par_note: bool) -> &'static str {
    if par_note {
        "p.note_moyenne IS NULL, p.note_moyenne DESC, p.nombre_avis DESC, p.nom, p.id"
    } else {
        "p.nom, p.id"
    }
}

/// The reads of one page of the vertical's public professionals matching the filters
/// (`SELECT … LIMIT`, with `colonnes` after the professional's own, computed for that page's
/// rows only) and of their total count, for a batch.
fn lectures_page(
    vertical: &str,
    filtres: &Filtres,
    (page, par_page): (u32, u32),
    par_note: bool,
    colonnes: &str,
) -> [Statement; 2] {
    let offset = i64::from(page.saturating_sub(1)) * i64::from(par_page);
    let filtres_sql = filtres_sql();
    let ordre = ordre(par_note);
    let liste = avec_filtres(
        format!(
            "SELECT p.*{colonnes} FROM (SELECT {COLONNES} FROM professionnels p WHERE {filtres_sql}
             ORDER BY {ordre} LIMIT ?7 OFFSET ?8) p ORDER BY {ordre}"
        ),
        vertical,
        filtres,
    )
    .bind(par_page)
    .bind(offset);
    let total = avec_filtres(
        format!("SELECT count(*) AS n FROM professionnels p WHERE {filtres_sql}"),
        vertical,
        filtres,
    );
    [liste, total]
}

fn total(lignes: Vec<Row>) -> Result<i64, DbError> {
    let compte: Vec<Compte> = decode(lignes)?;
    Ok(compte.first().map_or(0, |c| c.n))
}

/// One page of the vertical's public professionals matching the filters, best rated first
/// (a stable order: rating, number of reviews, name, id) — by name when the vertical
/// collects no reviews (`par_note` false: no hidden ranking by ratings) — and the total
/// count, in one round trip.
pub async fn rechercher(
    db: &dyn Db,
    vertical: &str,
    filtres: &Filtres,
    page: (u32, u32),
    par_note: bool,
) -> Result<(Vec<Professionnel>, i64), DbError> {
    let mut lignes = db
        .batch(lectures_page(vertical, filtres, page, par_note, "").to_vec())
        .await?
        .into_iter();
    let professionnels = decode(lignes.next().unwrap_or_default())?;
    Ok((professionnels, total(lignes.next().unwrap_or_default())?))
}

/// One page of the directory as the search page and the API show it.
#[derive(Debug, Clone, Default)]
pub struct Annuaire {
    pub professionnels: Vec<Professionnel>,
    /// The active services of those professionals, each one's in display order.
    pub services: Vec<Service>,
    pub total: i64,
    /// When nothing matches: the vertical's cities most represented, to try instead.
    pub villes: Vec<String>,
}

/// [`rechercher`]'s page with the professionals' services and, when nothing matches, up
/// to `villes` cities to suggest — all in one round trip to D1.
pub async fn annuaire(
    db: &dyn Db,
    vertical: &str,
    filtres: &Filtres,
    page: (u32, u32),
    par_note: bool,
    villes: u32,
) -> Result<Annuaire, DbError> {
    let colonnes = format!(", {} AS services_json", services::en_json("p.id"));
    let mut batch = lectures_page(vertical, filtres, page, par_note, &colonnes).to_vec();
    if villes > 0 {
        // Computed only when the search finds nobody (the uncorrelated EXISTS runs once).
        batch.push(
            avec_filtres(
                format!(
                    "SELECT p.ville FROM professionnels p WHERE p.vertical = ?1 AND {LISTE} \
                     AND NOT EXISTS (SELECT 1 FROM professionnels p WHERE {}) \
                     GROUP BY p.ville ORDER BY count(*) DESC, p.ville LIMIT ?7",
                    filtres_sql()
                ),
                vertical,
                filtres,
            )
            .bind(villes),
        );
    }
    let mut lignes = db.batch(batch).await?.into_iter();
    let mut resultat = Annuaire::default();
    for mut ligne in lignes.next().unwrap_or_default() {
        if let Some(serde_json::Value::String(json)) = ligne.remove("services_json") {
            resultat.services.extend(services::depuis_json(&json)?);
        }
        resultat
            .professionnels
            .extend(decode::<Professionnel>(vec![ligne])?);
    }
    resultat.total = total(lignes.next().unwrap_or_default())?;
    let villes: Vec<Ville> = decode(lignes.next().unwrap_or_default())?;
    resultat.villes = villes.into_iter().map(|v| v.ville).collect();
    Ok(resultat)
}

/// Which professional a read is about: by id once known, or by the address of their
/// public page (vertical and slug; listed professionals only) — so that a page's reads
/// about a professional go in one batch with the read of the professional: one round
/// trip to D1 instead of two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Designe<'a> {
    Id(i64),
    Public { vertical: &'a str, slug: &'a str },
}

impl Designe<'_> {
    /// The professional's id in SQL, from the one parameter `?n` that [`Designe::valeur`]
    /// gives (a subquery on the `(vertical, slug)` index for a public page).
    pub fn sql(&self, n: u8) -> String {
        match self {
            Designe::Id(_) => format!("?{n}"),
            Designe::Public { .. } => format!(
                "(SELECT p.id FROM professionnels p WHERE p.vertical = json_extract(?{n}, '$[0]') \
                 AND p.slug = json_extract(?{n}, '$[1]') AND {LISTE})"
            ),
        }
    }

    /// The parameter [`Designe::sql`] reads.
    pub fn valeur(&self) -> Value {
        match self {
            Designe::Id(id) => Value::Integer(*id),
            Designe::Public { vertical, slug } => {
                Value::Text(serde_json::json!([vertical, slug]).to_string())
            }
        }
    }
}

impl From<i64> for Designe<'_> {
    fn from(id: i64) -> Self {
        Designe::Id(id)
    }
}

/// The read of a listed professional (for a batch): none if they are not listed.
pub fn lecture_publique(qui: Designe<'_>) -> Statement {
    Statement::new(format!(
        "SELECT {COLONNES} FROM professionnels p WHERE p.id = {} AND {LISTE}",
        qui.sql(1)
    ))
    .bind(qui.valeur())
}

/// A public professional of the vertical, by slug.
pub async fn public_par_slug(
    db: &dyn Db,
    vertical: &str,
    slug: &str,
) -> Result<Option<Professionnel>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "SELECT {COLONNES} FROM professionnels p WHERE p.vertical = ?1 AND p.slug = ?2 AND {LISTE}"
        ))
        .bind(vertical)
        .bind(slug),
    )
    .await
}

pub async fn par_id(db: &dyn Db, id: i64) -> Result<Option<Professionnel>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "SELECT {COLONNES} FROM professionnels p WHERE p.id = ?1"
        ))
        .bind(id),
    )
    .await
}

crate::ligne! {
    #[derive(Debug)]
    struct Ville {
        ville: String,
    }
}

/// What the home page shows of a vertical, in one round trip: how many professionals it
/// lists, and its cities most represented (up to `limite`).
pub async fn vitrine(
    db: &dyn Db,
    vertical: &str,
    limite: u32,
) -> Result<(i64, Vec<String>), DbError> {
    let mut lignes = db
        .batch(vec![
            Statement::new(format!(
                "SELECT count(*) AS n FROM professionnels p WHERE p.vertical = ?1 AND {LISTE}"
            ))
            .bind(vertical),
            Statement::new(format!(
                "SELECT p.ville FROM professionnels p WHERE p.vertical = ?1 AND {LISTE} \
                 GROUP BY p.ville ORDER BY count(*) DESC, p.ville LIMIT ?2"
            ))
            .bind(vertical)
            .bind(limite),
        ])
        .await?
        .into_iter();
    let nombre = total(lignes.next().unwrap_or_default())?;
    let villes: Vec<Ville> = decode(lignes.next().unwrap_or_default())?;
    Ok((nombre, villes.into_iter().map(|v| v.ville).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_condition_names_the_approved_state() {
        assert!(LISTE.contains(&format!("'{}'", StatutApprobation::Approuve)));
    }
}
