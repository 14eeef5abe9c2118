//! Reads of `professionnels`: the directory and the public profile.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{fetch_all, fetch_optional, Db, DbError, Statement};
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
        /// The start of their next free slot (`cas::prochaine_dispo`), none when there is
        /// none in the days looked at or it was not computed yet.
        pub prochaine_dispo: Option<DateTime<Utc>>,
        /// The service it was computed for: their first active one.
        pub prochaine_dispo_service_id: Option<i64>,
        /// When it must be computed again; 0 while it is stale.
        pub dispo_revoir_a: i64,
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
     p.approbation, p.approbation_motif, p.siret, p.barreau, \
     p.prochaine_dispo, p.prochaine_dispo_service_id, p.dispo_revoir_a";

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
    /// Next free slot starting within `[de, a)` (`cas::prochaine_dispo::Disponible`).
    pub disponible: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub tri: Tri,
}

/// The directory's order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tri {
    /// Best rated first (by name where reviews are off).
    #[default]
    Pertinence,
    /// Soonest next free slot first, those without one last (`tri=disponibilite`).
    Disponibilite,
}

/// The filter on the next free slot, appended to the search's conditions. Its bounds are
/// instants the Worker computed (integers, never text from the request), written in so
/// that the statement's numbered parameters stay as they are; the range is served by the
/// index `professionnels_prochaine_dispo`.
fn disponible_sql(filtres: &Filtres) -> String {
    match filtres.disponible {
        Some((de, a)) => format!(
            " AND p.prochaine_dispo >= {} AND p.prochaine_dispo < {}",
            de.timestamp(),
            a.timestamp()
        ),
        None => String::new(),
    }
}

/// Soonest first, none last, then by id: a stable order. With the filter (which no
/// professional without one passes), the index serves it as it is, without a sort.
fn ordre_disponibilite(filtres: &Filtres) -> &'static str {
    if filtres.disponible.is_some() {
        "p.prochaine_dispo, p.id"
    } else {
        "p.prochaine_dispo IS NULL, p.prochaine_dispo, p.id"
    }
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

/// One page of the vertical's public professionals matching the filters, best rated first
/// (a stable order: rating, number of reviews, name, id) — by name when the vertical
/// collects no reviews (`par_note` false: no hidden ranking by ratings) — and the total
/// count.
pub async fn rechercher(
    db: &dyn Db,
    vertical: &str,
    filtres: &Filtres,
    (page, par_page): (u32, u32),
    par_note: bool,
) -> Result<(Vec<Professionnel>, i64), DbError> {
    let offset = i64::from(page.saturating_sub(1)) * i64::from(par_page);
    let filtres_sql = filtres_sql() + &disponible_sql(filtres);
    let ordre = if filtres.tri == Tri::Disponibilite {
        ordre_disponibilite(filtres)
    } else if par_note {
        "p.note_moyenne IS NULL, p.note_moyenne DESC, p.nombre_avis DESC, p.nom, p.id"
    } else {
        "p.nom, p.id"
    };
    let liste = avec_filtres(
        format!(
            "SELECT {COLONNES} FROM professionnels p WHERE {filtres_sql}
             ORDER BY {ordre} LIMIT ?7 OFFSET ?8"
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
    let professionnels = fetch_all(db, liste).await?;
    let total: Option<Compte> = fetch_optional(db, total).await?;
    Ok((professionnels, total.map_or(0, |c| c.n)))
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

/// How many professionals a vertical lists publicly.
pub async fn compter_publics(db: &dyn Db, vertical: &str) -> Result<i64, DbError> {
    let row: Option<Compte> = fetch_optional(
        db,
        Statement::new(format!(
            "SELECT count(*) AS n FROM professionnels p WHERE p.vertical = ?1 AND {LISTE}"
        ))
        .bind(vertical),
    )
    .await?;
    Ok(row.map_or(0, |c| c.n))
}

crate::ligne! {
    #[derive(Debug)]
    struct Ville {
        ville: String,
    }
}

/// The cities where a vertical has public professionals, most represented first.
pub async fn villes_publiques(
    db: &dyn Db,
    vertical: &str,
    limite: u32,
) -> Result<Vec<String>, DbError> {
    let rows: Vec<Ville> = fetch_all(
        db,
        Statement::new(format!(
            "SELECT p.ville FROM professionnels p WHERE p.vertical = ?1 AND {LISTE} \
             GROUP BY p.ville ORDER BY count(*) DESC, p.ville LIMIT ?2"
        ))
        .bind(vertical)
        .bind(limite),
    )
    .await?;
    Ok(rows.into_iter().map(|v| v.ville).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_listing_condition_names_the_approved_state() {
        assert!(LISTE.contains(&format!("'{}'", StatutApprobation::Approuve)));
    }
}
