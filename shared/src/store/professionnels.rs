//! Reads of `professionnels`: the directory and the public profile.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::services::{self, Service};
use super::{
    decode, fetch_all, fetch_optional, Colonnes, Db, DbError, Ligne, Row, Statement, Value,
};
use crate::comptes::approbation::Justificatifs;
use crate::recherche::{self, Criteres, RequeteFts};
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
        /// Five digits; `None` until the professional gives it.
        pub code_postal: Option<String>,
        /// Derived from the postcode by the database (2A/2B for Corsica, 97x overseas).
        pub departement: Option<String>,
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
    "p.id, p.vertical, p.slug, p.nom, p.bio, p.ville, p.region, p.code_postal, p.departement, \
     p.photo_url, \
     p.prix_min, p.prix_max, p.note_moyenne, p.nombre_avis, p.public, p.fuseau, \
     p.approbation, p.approbation_motif, p.siret, p.barreau, \
     p.prochaine_dispo, p.prochaine_dispo_service_id, p.dispo_revoir_a";

/// Who the sites list, profile, and take bookings for: public by the professional's own
/// choice AND approved by the admin (`StatutApprobation::Approuve`).
const LISTE: &str = "p.public = 1 AND p.approbation = 'approuve'";

/// The directory's filters; each one given narrows the list (matched in the `recherche`
/// full-text index, accents and case folded: see [`crate::recherche`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filtres {
    pub ville: Option<String>,
    pub region: Option<String>,
    /// A city, a region, a postcode, a département or "Paris 11e" (the single "Où ?" field).
    pub lieu: Option<String>,
    /// A service's name, or its beginning.
    pub service: Option<String>,
    /// Free text: name, bio, services, city, region, postcode or département.
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

/// What orders and narrows the candidates beside the index's words: ranking by rating
/// (only where the vertical collects reviews), the window on the next free slot, and the
/// order asked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ordre {
    pub par_note: bool,
    pub disponible: Option<(DateTime<Utc>, DateTime<Utc>)>,
    pub tri: Tri,
    /// Whether free text was typed (`q`) to rank by relevance. A filter (`service`,
    /// `lieu`, `ville`, `region`, a city's page) is matched in its own columns, so every
    /// candidate matches it alike (a service: in its services; a place: in its city,
    /// region or place): they are ranked as without words, and no relevance is computed —
    /// reading each candidate's match for it was most of the database time of a search
    /// by a city and a service (`local-dev/echelle`).
    pub mots: bool,
}

/// The filter on the next free slot, appended to the candidates' conditions. Its bounds
/// are instants the Worker computed (integers, never text from the request), written in
/// so that the statement's numbered parameters stay as they are; the range is served by
/// the index `professionnels_prochaine_dispo`.
fn disponible_sql(ordre: Ordre) -> String {
    match ordre.disponible {
        Some((de, a)) => format!(
            " AND p.prochaine_dispo >= {} AND p.prochaine_dispo < {}",
            de.timestamp(),
            a.timestamp()
        ),
        None => String::new(),
    }
}

impl Filtres {
    /// The order and the window on the next free slot of these filters.
    pub fn ordre(&self, par_note: bool) -> Ordre {
        let mot = |champ: &Option<String>| champ.as_deref().is_some_and(|t| !t.trim().is_empty());
        Ordre {
            par_note,
            disponible: self.disponible,
            tri: self.tri,
            mots: mot(&self.texte),
        }
    }

    /// What the full-text index is asked for these filters.
    pub fn requete(&self, vertical: &str) -> RequeteFts {
        recherche::requete(
            vertical,
            &Criteres {
                texte: self.texte.as_deref(),
                service: self.service.as_deref(),
                lieu: self.lieu.as_deref(),
                ville: self.ville.as_deref(),
                region: self.region.as_deref(),
            },
        )
    }
}

/// The most professionals a search ranks: the first `PLAFOND` the index gives (or, with
/// no words, the first in the directory's order), so a search reads a bounded number of
/// rows whatever the size of the vertical; the total says "more than" beyond it. D1 counts
/// about four rows per candidate (the index's match, the professional's row, and the
/// candidates read back for the total and for the page): 300 keeps every search near
/// 1,300 rows, under the 2,000 of the scale targets (`local-dev/echelle`).
pub const PLAFOND: u32 = 300;

/// How well a candidate matches the words typed, lower is better: −2 when a word is in
/// its name or a service, −1 more when one is in its city, region or place (postcode,
/// département), 0 for a mention in the presentation alone — so a name or a service ranks
/// above a city, and a city above a presentation. Read from the match itself (FTS5's
/// `highlight()` marks the words the query found in a column of the current row, with
/// `char(1)`): its cost is the candidate's own, not the index's. FTS5's `bm25()` first
/// counts every match of each word of the query over the whole index (the vertical's
/// word included: 100,000 at scale), which made a word search several times slower than
/// a place search (`local-dev/echelle`).
fn pertinence_sql() -> String {
    // The columns of the index: vertical 0, nom 1, bio 2, services 3, ville 4, region 5,
    // lieu 6. `CASE` stops at the first column found (a column without text: not found).
    let trouve = |colonnes: &[u8], points: u8| {
        let cas: String = colonnes
            .iter()
            .map(|c| {
                format!(
                    "WHEN instr(highlight(recherche, {c}, char(1), ''), char(1)) THEN {points} "
                )
            })
            .collect();
        format!("CASE {cas}ELSE 0 END")
    };
    format!("-({} + {})", trouve(&[3, 1], 2), trouve(&[4, 6, 5], 1))
}

/// The FTS5 query the candidates are matched with, from `?2`: the words as typed, the
/// last one a prefix, only when the exact words do not already fill the cap. FTS5 reads a
/// word's matches as they are asked for and stops at the cap, but a prefix merges in full
/// the matches of every word it begins (a hundred times the time, for `"vidange"*` at
/// 100,000 garages) before returning the first. When the exact words match at least
/// [`PLAFOND`] (counted once, before the index is asked), those are the candidates: typing
/// `vidange`, the garages offering *Vidange*; `vida` matches no word, `benali` two, and
/// the prefix finds them (and any `Benalian`). Every `*` of the query follows a quoted word
/// (`"mot"*`, [`crate::recherche`]), so dropping them leaves the exact words. `seuil`:
/// how many exact matches make the prefix useless — [`PLAFOND`] for the candidates, 1
/// when only whether anybody matches is asked (every match of the index is a candidate
/// when no window on the next free slot narrows them).
fn mots_sql(seuil: u32) -> String {
    let exacts = r#"replace(?2, '"*', '"')"#;
    format!(
        r#"CASE WHEN instr(?2, '"*') = 0 THEN ?2 WHEN (SELECT count(*) FROM (SELECT 1 FROM recherche
           WHERE recherche MATCH {exacts} LIMIT {seuil})) = {seuil} THEN {exacts} ELSE ?2 END"#
    )
}

/// The directory's order: for a search with free text (`q`: [`Ordre::mots`]),
/// relevance ([`pertinence_sql`]), then the rating where the vertical collects reviews
/// (best rated first among matches alike: a service every professional offers), so a
/// word in the name or the city stays above a mention in a presentation whatever the
/// ratings; without free text (a service or a place alone included), best rated first
/// (rating, number of reviews, name, id) — by name when the vertical collects no
/// reviews (`par_note` false: no hidden ranking by ratings); or, asked
/// (`tri=disponibilite`), the soonest next free slot first, none last, then relevance,
/// then by id. Returns the order and the columns it reads of `professionnels` (the
/// order names them bare: it sorts the professionals, then the candidates). Without any
/// criterion, each is an index (`professionnels_par_note`, `professionnels_par_nom`,
/// `professionnels_prochaine_dispo` for a window, `professionnels_par_dispo` for the
/// sort alone), which holds these columns, so the first [`PLAFOND`] are read in order,
/// without a sort.
fn ordre_sql(ordre: Ordre, fts: bool) -> (&'static str, &'static str) {
    match (ordre.tri, fts && ordre.mots, ordre.par_note) {
        (Tri::Disponibilite, _, _) if fts => (
            "prochaine_dispo IS NULL, prochaine_dispo, pertinence, id",
            "p.id, p.prochaine_dispo",
        ),
        (Tri::Disponibilite, _, _) if ordre.disponible.is_some() => {
            ("prochaine_dispo, id", "p.id, p.prochaine_dispo")
        }
        (Tri::Disponibilite, _, _) => (
            "prochaine_dispo IS NULL, prochaine_dispo, id",
            "p.id, p.prochaine_dispo",
        ),
        (Tri::Pertinence, true, true) => (
            "pertinence, note_moyenne IS NULL, note_moyenne DESC, nombre_avis DESC, nom, id",
            "p.id, p.note_moyenne, p.nombre_avis, p.nom",
        ),
        (Tri::Pertinence, true, false) => ("pertinence, nom, id", "p.id, p.nom"),
        (Tri::Pertinence, false, true) => (
            "note_moyenne IS NULL, note_moyenne DESC, nombre_avis DESC, nom, id",
            "p.id, p.note_moyenne, p.nombre_avis, p.nom",
        ),
        (Tri::Pertinence, false, false) => ("nom, id", "p.id, p.nom"),
    }
}

/// The professionals a search ranks, with the columns of its order (`?1` the vertical,
/// `?2` the FTS5 query when there is one): the listed professionals of the vertical the
/// index matches — the first [`PLAFOND`] of its matches ([`mots_sql`]) in the index's
/// order, each with its relevance (`pertinence`, when [`Ordre::mots`]) and read by its
/// id (`CROSS JOIN` keeps that order of the loops), never a scan of the vertical — or,
/// without words, the first [`PLAFOND`] of the vertical in the order's index. The cap comes before the ranking: FTS5 ranking
/// every match (`ORDER BY rank`) reads few rows but scores each match, which for a word
/// every garage offers is the whole vertical's time. Every filter of the directory goes
/// here, so that the page and its total agree. `seuil`: see [`mots_sql`].
fn candidats_sql(fts: bool, ordre: Ordre, seuil: u32) -> String {
    let disponible = disponible_sql(ordre);
    let (tri, colonnes) = ordre_sql(ordre, fts);
    if fts {
        let pertinence = if ordre.mots {
            pertinence_sql()
        } else {
            "0".to_owned()
        };
        let mots = mots_sql(seuil);
        format!(
            "SELECT {colonnes}, f.pertinence FROM (SELECT rowid AS id, \
             {pertinence} AS pertinence FROM recherche WHERE recherche MATCH {mots} \
             LIMIT {PLAFOND}) f CROSS JOIN professionnels p ON p.id = f.id \
             WHERE p.vertical = ?1 AND {LISTE}{disponible}"
        )
    } else {
        // Within a window on the next free slot, the first are the soonest (the window's
        // index), whatever the page's order: ranking every professional free this week by
        // rating would read them all.
        let tri = if ordre.disponible.is_some() {
            "prochaine_dispo, id"
        } else {
            tri
        };
        format!(
            "SELECT {colonnes} FROM professionnels p WHERE p.vertical = ?1 AND {LISTE} \
             AND ?2 IS NULL{disponible} ORDER BY {tri} LIMIT {PLAFOND}"
        )
    }
}

/// Whether the page's order is the candidates' own index order (no words, and no window
/// on the next free slot unless sorted by it), so the page is read straight from the
/// index; otherwise the candidates are ranked once read.
fn ordre_indexe(fts: bool, ordre: Ordre) -> bool {
    !fts && (ordre.disponible.is_none() || ordre.tri == Tri::Disponibilite)
}

crate::ligne! {
    #[derive(Debug)]
    struct Compte {
        n: i64,
    }
}

/// A page of results, their active services, the total of the search (at most
/// [`PLAFOND`]) and, when nothing matches, the vertical's cities most represented, to try
/// instead.
#[derive(Debug, Default)]
pub struct Resultats {
    pub professionnels: Vec<Professionnel>,
    pub services: Vec<Service>,
    pub total: i64,
    /// Cities to try ([`EnPlus::Villes`]), or the names a city's page may be about
    /// ([`EnPlus::Ville`]), as its professionals write them: none when it lists nobody.
    pub villes: Vec<String>,
}

/// Matches of a city's query whose cities are read for its name ([`EnPlus::Ville`]).
const VILLES_LUES: u32 = 20;

/// What a search reads beside its page, in the same batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnPlus {
    /// Nothing (the API).
    Rien,
    /// When nobody matches, up to this many of the vertical's cities to try instead (the
    /// search page).
    Villes(u32),
    /// The names of the cities the query names (`recherche::requete_ville`), from its
    /// first listed professionals, whatever the window on the next free slot keeps: a
    /// city's page where nobody is free this week is still the city's page.
    Ville,
}

/// The FTS5 query of a [`RequeteFts`] (`?2`), and whether it is one: `None` for every
/// listed professional; for [`RequeteFts::Aucun`], a value that the candidates without
/// words refuse (`?2 IS NULL`), so nobody matches.
fn parametre(requete: &RequeteFts) -> (bool, Option<String>) {
    match requete {
        RequeteFts::Tous => (false, None),
        RequeteFts::Aucun => (false, Some(String::new())),
        RequeteFts::Expression(e) => (true, Some(e.clone())),
    }
}

/// One page of the vertical's listed professionals the index matches (the directory's
/// filters: [`Filtres::requete`]; a city's page: [`recherche::requete_ville`]), in the
/// directory's order ([`ordre_sql`]) within the window on the next free slot, their total
/// and what `en_plus` asks — one batch, one round trip (past the last page, a second one).
pub async fn rechercher(
    db: &dyn Db,
    vertical: &str,
    requete: &RequeteFts,
    ordre: Ordre,
    page: (u32, u32),
    en_plus: EnPlus,
) -> Result<Resultats, DbError> {
    let (fts, requete) = parametre(requete);
    let mut r = Resultats::default();
    let mut demande = page;
    let lecture = |demande| lecture_candidats(vertical, fts, requete.as_deref(), demande, ordre);
    let mut batch = vec![lecture(demande)];
    match en_plus {
        EnPlus::Villes(villes) => {
            // Read only when the search finds nobody: the one-row `vide` leads the join,
            // so the cities' counts (kept by triggers, migration 0021) are not read
            // otherwise. Whether anybody is found needs the candidates, not their
            // relevance: they are not ranked again here, and without a window one exact
            // match is enough to skip the prefix.
            let seuil = if ordre.disponible.is_none() {
                1
            } else {
                PLAFOND
            };
            let candidats = candidats_sql(
                fts,
                Ordre {
                    mots: false,
                    ..ordre
                },
                seuil,
            );
            batch.push(
                Statement::new(format!(
                    "SELECT v.ville FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM ({candidats}))) vide \
                     CROSS JOIN villes_listees v WHERE v.vertical = ?1 \
                     ORDER BY v.nombre DESC, v.ville LIMIT ?3"
                ))
                .bind(vertical)
                .bind(requete.clone())
                .bind(villes),
            );
        }
        // The cities of the index's first matches (a few dozen rows), as `villes_listees`
        // holds them, read whatever the window, most represented first: the page takes the
        // one its address names (one oddly named early match, « Lyon Centre », does not
        // hide Lyon's page).
        EnPlus::Ville if fts => batch.push(
            Statement::new(format!(
                "SELECT v.ville FROM villes_listees v WHERE v.vertical = ?1 AND v.ville IN \
                 (SELECT p.ville FROM (SELECT rowid AS id FROM recherche WHERE recherche MATCH ?2 \
                 LIMIT {VILLES_LUES}) f CROSS JOIN professionnels p ON p.id = f.id \
                 WHERE p.vertical = ?1 AND {LISTE}) ORDER BY v.nombre DESC, v.ville"
            ))
            .bind(vertical)
            .bind(requete.clone()),
        ),
        EnPlus::Ville | EnPlus::Rien => {}
    }
    let mut resultats = db.batch(batch).await?.into_iter();
    let mut lignes = resultats.next().unwrap_or_default();
    let suggestions: Vec<Ville> = decode(resultats.next().unwrap_or_default())?;
    let suggestions = suggestions.into_iter().map(|v| v.ville);
    r.villes = suggestions.collect();
    // Past the last page, the first row of the first page says the total (a second trip,
    // only then).
    if lignes.is_empty() && demande.0 > 1 {
        demande = (1, 1);
        lignes = db.query(lecture(demande)).await?;
    }
    for ligne in lignes {
        let mut colonnes = Colonnes::new(ligne);
        let pro = Professionnel::lire(&mut colonnes)?;
        r.total = colonnes.prendre("total")?;
        if demande == page {
            r.services.extend(services::depuis_json(
                &colonnes.prendre::<String>("services")?,
            )?);
            r.professionnels.push(pro);
        }
    }
    Ok(r)
}

/// The statement of a results page: its professionals, each with its active services
/// (`services`, JSON) and the search's total (`total`). `requete`: the FTS5 query, or
/// `None` for every listed professional.
pub fn lecture(vertical: &str, requete: Option<&str>, page: (u32, u32), ordre: Ordre) -> Statement {
    lecture_candidats(vertical, requete.is_some(), requete, page, ordre)
}

fn lecture_candidats(
    vertical: &str,
    fts: bool,
    requete: Option<&str>,
    (page, par_page): (u32, u32),
    ordre: Ordre,
) -> Statement {
    let offset = i64::from(page.saturating_sub(1)) * i64::from(par_page);
    let candidats = candidats_sql(fts, ordre, PLAFOND);
    let (tri, _) = ordre_sql(ordre, fts);
    let services = services::actifs_en_json();
    let sql = if !ordre_indexe(fts, ordre) {
        // The candidates are read once (MATERIALIZED: the page and the total share them,
        // rather than each asking the index and reading the professionals again), the
        // page is chosen among them in its order, and only its rows are read whole.
        format!(
            "WITH candidats AS MATERIALIZED ({candidats}), \
             page AS (SELECT c.id AS pro, row_number() OVER (ORDER BY {tri}) AS rang \
                      FROM candidats c ORDER BY {tri} LIMIT ?3 OFFSET ?4) \
             SELECT {COLONNES}, (SELECT count(*) FROM candidats) AS total, {services} AS services \
             FROM page CROSS JOIN professionnels p ON p.id = page.pro ORDER BY page.rang"
        )
    } else {
        // When the order is an index's: the total counts its first [`PLAFOND`]
        // entries and the page reads only its own, in order, within the cap (a copy of
        // the candidates, sorted again, would read each of them twice more).
        let conditions = format!(
            "p.vertical = ?1 AND {LISTE} AND ?2 IS NULL{}",
            disponible_sql(ordre)
        );
        format!(
            "WITH page AS (SELECT p.id AS pro FROM professionnels p WHERE {conditions} \
                           ORDER BY {tri} LIMIT max(0, min(?3, {PLAFOND} - ?4)) OFFSET ?4) \
             SELECT {COLONNES}, (SELECT count(*) FROM ({candidats})) AS total, {services} AS services \
             FROM page CROSS JOIN professionnels p ON p.id = page.pro ORDER BY {tri}"
        )
    };
    Statement::new(sql)
        .bind(vertical)
        .bind(requete)
        .bind(par_page)
        .bind(offset)
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
    pub struct Liste {
        pub id: i64,
        pub slug: String,
    }
}

/// The listed professionals of a vertical after `apres_id`, by id (the sitemap, a batch at
/// a time).
pub async fn listes_apres(
    db: &dyn Db,
    vertical: &str,
    apres_id: i64,
    limite: u32,
) -> Result<Vec<Liste>, DbError> {
    fetch_all(
        db,
        Statement::new(format!(
            "SELECT p.id, p.slug FROM professionnels p WHERE p.vertical = ?1 AND {LISTE} \
             AND p.id > ?2 ORDER BY p.id LIMIT ?3"
        ))
        .bind(vertical)
        .bind(apres_id)
        .bind(limite),
    )
    .await
}

crate::ligne! {
    #[derive(Debug)]
    struct Ville {
        ville: String,
    }
}

fn total(lignes: Vec<Row>) -> Result<i64, DbError> {
    let compte: Vec<Compte> = decode(lignes)?;
    Ok(compte.first().map_or(0, |c| c.n))
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
            // The cities' counts of listed professionals, kept by triggers (migration 0021).
            Statement::new(
                "SELECT coalesce(sum(nombre), 0) AS n FROM villes_listees WHERE vertical = ?1",
            )
            .bind(vertical),
            Statement::new(
                "SELECT ville FROM villes_listees WHERE vertical = ?1 \
                 ORDER BY nombre DESC, ville LIMIT ?2",
            )
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
