use async_trait::async_trait;

/// A value bound to a statement. D1 passes numbers through JavaScript, so integers stay
/// below 2^53; there are no blobs.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Integer(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Integer(v.into())
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Integer(v.into())
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Integer(v.into())
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// The largest integer D1 passes exactly: numbers cross JavaScript as doubles.
pub const ENTIER_EXACT_MAX: i64 = (1 << 53) - 1;

/// One SQL statement with its positional parameters (`?1`, `?2`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: String,
    pub params: Vec<Value>,
}

impl Statement {
    pub fn new(sql: impl Into<String>) -> Self {
        Statement {
            sql: sql.into(),
            params: Vec::new(),
        }
    }

    pub fn bind(mut self, value: impl Into<Value>) -> Self {
        self.params.push(value.into());
        self
    }

    /// An integer parameter D1 could not pass exactly (beyond ±2^53 − 1), if any: the
    /// executors refuse such a statement rather than let D1 round it to another number.
    pub fn entier_inexact(&self) -> Option<i64> {
        self.params.iter().find_map(|p| match p {
            Value::Integer(i) if i.unsigned_abs() > ENTIER_EXACT_MAX.unsigned_abs() => Some(*i),
            _ => None,
        })
    }
}

/// A result row as a JSON object keyed by column name: the shape D1 returns, and one
/// that serde turns into the row structs of the repositories.
pub type Row = serde_json::Map<String, serde_json::Value>;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// A constraint refused the change (UNIQUE, CHECK, FOREIGN KEY, NOT NULL). The text
    /// is SQLite's, e.g. "UNIQUE constraint failed: occupations.professionnel_id, …".
    #[error("contrainte refusée : {0}")]
    Constraint(String),
    #[error("erreur de base de données : {0}")]
    Other(String),
    #[error("ligne illisible : {0}")]
    Decode(String),
}

impl DbError {
    /// Sorts a driver's message: SQLite words constraint failures the same way in D1
    /// and in the native driver.
    pub fn from_message(message: impl Into<String>) -> Self {
        let message = message.into();
        if message.contains("constraint failed") {
            DbError::Constraint(message)
        } else {
            DbError::Other(message)
        }
    }

    /// Whether a constraint on the given table (and optionally column) refused the change.
    pub fn is_constraint_on(&self, table_column: &str) -> bool {
        matches!(self, DbError::Constraint(m) if m.contains(table_column))
    }
}

/// What a request cost the database so far: round trips (one `query` or one `batch` is
/// one trip to the database's region) and the rows D1 reports read and written (its
/// `meta.rows_read`, what it bills and what makes a query slow at scale).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mesure {
    pub trajets: u64,
    pub lignes_lues: u64,
    pub lignes_ecrites: u64,
}

impl Mesure {
    /// One more round trip, with the rows its statements read and wrote.
    pub fn ajouter(&mut self, lignes_lues: u64, lignes_ecrites: u64) {
        self.trajets += 1;
        self.lignes_lues += lignes_lues;
        self.lignes_ecrites += lignes_ecrites;
    }
}

#[async_trait(?Send)]
pub trait Db {
    /// Runs a statement and returns its rows (none for a write without RETURNING).
    async fn query(&self, statement: Statement) -> Result<Vec<Row>, DbError>;

    /// Runs the statements as one transaction: all of them, or none. Returns each one's
    /// rows. Independent reads of one page go in one batch too: one round trip.
    async fn batch(&self, statements: Vec<Statement>) -> Result<Vec<Vec<Row>>, DbError>;

    /// What this executor cost since it was made (see [`Mesure`]); an executor that
    /// does not count answers zero.
    fn mesure(&self) -> Mesure {
        Mesure::default()
    }

    /// Continues the client's database session from the bookmark they were given after
    /// their last write, so that their reads see it even on a read replica (D1's Sessions
    /// API). Before any statement; an executor without replicas ignores it.
    fn continuer(&self, _signet: &str) {}

    /// The session's latest bookmark, to give the client after a write (see
    /// [`Db::continuer`]); none where there are no sessions.
    fn signet(&self) -> Option<String> {
        None
    }
}

/// A row struct, read column by column: declared with [`ligne!`](crate::ligne), each field
/// is the column of its name, read by its type's [`Colonne`]. One small function per
/// column type, shared by every row struct, where a serde `Deserialize` would compile a
/// whole visitor per struct.
pub trait Ligne: Sized {
    fn lire(colonnes: &mut Colonnes) -> Result<Self, DbError>;
}

/// A result row's columns, taken by name.
pub struct Colonnes {
    row: Row,
    /// The first column that could not be read, for [`Colonnes::verifier`].
    erreur: Option<DbError>,
}

impl Colonnes {
    pub fn new(row: Row) -> Colonnes {
        Colonnes { row, erreur: None }
    }

    /// The column `nom` as a `T`: an absent column reads as NULL; a value `T` cannot
    /// hold is an error naming the column, never a default.
    pub fn prendre<T: Colonne>(&mut self, nom: &str) -> Result<T, DbError> {
        T::depuis(self.row.remove(nom).unwrap_or(serde_json::Value::Null))
            .map_err(|raison| DbError::Decode(format!("colonne {nom} : {raison}")))
    }

    /// [`Colonnes::prendre`] that keeps its error for [`Colonnes::verifier`] (the first
    /// one) and answers `None`: a row struct reads all its columns, then checks once, so
    /// that a failed column does not compile a drop of every field read before it.
    pub fn noter<T: Colonne>(&mut self, nom: &str) -> Option<T> {
        match self.prendre(nom) {
            Ok(valeur) => Some(valeur),
            Err(erreur) => {
                self.erreur.get_or_insert(erreur);
                None
            }
        }
    }

    /// The first error [`Colonnes::noter`] kept, if any.
    pub fn verifier(&mut self) -> Result<(), DbError> {
        match self.erreur.take() {
            Some(erreur) => Err(erreur),
            None => Ok(()),
        }
    }
}

/// A type a column reads into.
pub trait Colonne: Sized {
    fn depuis(valeur: serde_json::Value) -> Result<Self, String>;
}

fn attendu(quoi: &str, valeur: &serde_json::Value) -> String {
    format!("{quoi} attendu, trouvé {valeur}")
}

impl Colonne for i64 {
    fn depuis(valeur: serde_json::Value) -> Result<Self, String> {
        valeur.as_i64().ok_or_else(|| attendu("entier", &valeur))
    }
}

macro_rules! colonne_entiere {
    ($($t:ty),*) => {$(
        impl Colonne for $t {
            fn depuis(valeur: serde_json::Value) -> Result<Self, String> {
                <$t>::try_from(i64::depuis(valeur)?).map_err(|e| e.to_string())
            }
        }
    )*};
}
colonne_entiere!(i32, u32, u8);

impl Colonne for f64 {
    fn depuis(valeur: serde_json::Value) -> Result<Self, String> {
        valeur.as_f64().ok_or_else(|| attendu("nombre", &valeur))
    }
}

impl Colonne for String {
    fn depuis(valeur: serde_json::Value) -> Result<Self, String> {
        match valeur {
            serde_json::Value::String(texte) => Ok(texte),
            autre => Err(attendu("texte", &autre)),
        }
    }
}

impl<T: Colonne> Colonne for Option<T> {
    fn depuis(valeur: serde_json::Value) -> Result<Self, String> {
        match valeur {
            serde_json::Value::Null => Ok(None),
            autre => T::depuis(autre).map(Some),
        }
    }
}

/// Instants are stored as Unix seconds.
impl Colonne for chrono::DateTime<chrono::Utc> {
    fn depuis(valeur: serde_json::Value) -> Result<Self, String> {
        let secondes = i64::depuis(valeur)?;
        chrono::DateTime::from_timestamp(secondes, 0)
            .ok_or_else(|| format!("instant impossible : {secondes}"))
    }
}

/// The domain's stored values (states, ids, amounts, contact details) check themselves
/// when read, through their own small `Deserialize`.
macro_rules! colonne_par_serde {
    ($($t:ty),* $(,)?) => {$(
        impl Colonne for $t {
            fn depuis(valeur: serde_json::Value) -> Result<Self, String> {
                serde_json::from_value(valeur).map_err(|e| e.to_string())
            }
        }
    )*};
}
colonne_par_serde!(
    crate::reservation::StatutReservation,
    crate::types::StatutPaiement,
    crate::types::TypePaiement,
    crate::types::StatutMessage,
    crate::types::AnnuleePar,
    crate::types::StatutApprobation,
    crate::types::StatutAvis,
    crate::types::StatutInscription,
    crate::types::ReservationId,
    crate::types::ProfessionnelId,
    crate::types::ServiceId,
    crate::types::UserId,
    crate::types::PaiementId,
    crate::types::Centimes,
    crate::comptes::Role,
);

/// Declares a row struct and its [`Ligne`]: each field reads the column of its name, or
/// the one written after it (`pub genre: String = "type"`).
///
/// ```
/// booking_shared::ligne! {
///     #[derive(Debug, Clone)]
///     pub struct Ville { pub ville: String, pub nombre: i64 = "n" }
/// }
/// let row = serde_json::json!({ "ville": "Lyon", "n": 3 });
/// let serde_json::Value::Object(row) = row else { unreachable!() };
/// let villes: Vec<Ville> = booking_shared::store::decode(vec![row]).unwrap();
/// assert_eq!((villes[0].ville.as_str(), villes[0].nombre), ("Lyon", 3));
/// ```
#[macro_export]
macro_rules! ligne {
    (
        $(#[$meta:meta])*
        $vis:vis struct $nom:ident {
            $( $(#[$champ_meta:meta])* $champ_vis:vis $champ:ident : $type:ty $(= $colonne:literal)? ),*
            $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $nom {
            $( $(#[$champ_meta])* $champ_vis $champ : $type ),*
        }

        impl $crate::store::Ligne for $nom {
            fn lire(
                colonnes: &mut $crate::store::Colonnes,
            ) -> ::core::result::Result<Self, $crate::store::DbError> {
                $( let $champ = colonnes.noter($crate::ligne!(@colonne $champ $($colonne)?)); )*
                colonnes.verifier()?;
                // Every column was read (verifier said so): none of these is `None`.
                ::core::result::Result::Ok($nom {
                    $( $champ: $champ.unwrap() ),*
                })
            }
        }
    };
    (@colonne $champ:ident $colonne:literal) => {
        $colonne
    };
    (@colonne $champ:ident) => {
        stringify!($champ)
    };
}

/// Reads rows into typed structs. A loop rather than `collect` into a `Result`: this is
/// compiled once per row type, and the loop is the smaller code.
pub fn decode<T: Ligne>(rows: Vec<Row>) -> Result<Vec<T>, DbError> {
    let mut lignes = Vec::with_capacity(rows.len());
    for row in rows {
        lignes.push(T::lire(&mut Colonnes::new(row))?);
    }
    Ok(lignes)
}

/// Convenience over [`Db`] for typed reads.
pub async fn fetch_all<T: Ligne>(db: &dyn Db, statement: Statement) -> Result<Vec<T>, DbError> {
    decode(db.query(statement).await?)
}

pub async fn fetch_optional<T: Ligne>(
    db: &dyn Db,
    statement: Statement,
) -> Result<Option<T>, DbError> {
    Ok(fetch_all(db, statement).await?.into_iter().next())
}

crate::ligne! {
    struct Id {
        id: i64,
    }
}

/// The `id` column of every row, for a statement that selects ids (`SELECT x AS id`).
pub async fn fetch_ids(db: &dyn Db, statement: Statement) -> Result<Vec<i64>, DbError> {
    let lignes: Vec<Id> = fetch_all(db, statement).await?;
    Ok(lignes.into_iter().map(|l| l.id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::ligne! {
        #[derive(Debug, PartialEq)]
        struct Essai {
            id: i64,
            genre: String = "type",
            note: Option<u32>,
            vu_at: Option<chrono::DateTime<chrono::Utc>>,
        }
    }

    fn lire(row: serde_json::Value) -> Result<Vec<Essai>, DbError> {
        let serde_json::Value::Object(row) = row else {
            unreachable!()
        };
        decode(vec![row])
    }

    #[test]
    fn a_row_reads_each_field_from_its_column_and_null_or_absent_as_none() {
        let essai = lire(serde_json::json!({ "id": 7, "type": "jours", "note": null }));
        assert_eq!(
            essai.unwrap(),
            vec![Essai {
                id: 7,
                genre: "jours".into(),
                note: None,
                vu_at: None
            }]
        );
        let vu = lire(serde_json::json!({ "id": 7, "type": "x", "note": 4, "vu_at": 86400 }));
        assert_eq!(
            vu.unwrap()[0].vu_at.unwrap().to_rfc3339(),
            "1970-01-02T00:00:00+00:00"
        );
    }

    #[test]
    fn a_column_that_cannot_be_read_is_an_error_naming_it_never_a_default() {
        for (row, colonne) in [
            (serde_json::json!({ "type": "x" }), "colonne id"),
            (serde_json::json!({ "id": "7", "type": "x" }), "colonne id"),
            (serde_json::json!({ "id": 7, "type": null }), "colonne type"),
            (
                serde_json::json!({ "id": 7, "type": "x", "note": -1 }),
                "colonne note",
            ),
            (
                serde_json::json!({ "id": 7, "type": "x", "vu_at": i64::MAX }),
                "colonne vu_at",
            ),
        ] {
            match lire(row.clone()) {
                Err(DbError::Decode(message)) => assert!(message.starts_with(colonne), "{message}"),
                autre => panic!("{row} : {autre:?}"),
            }
        }
    }

    #[test]
    fn an_integer_d1_cannot_pass_exactly_is_named_before_the_statement_runs() {
        let exact = Statement::new("SELECT ?1, ?2")
            .bind(ENTIER_EXACT_MAX)
            .bind(-ENTIER_EXACT_MAX);
        assert_eq!(exact.entier_inexact(), None);
        let arrondi = Statement::new("SELECT ?1, ?2")
            .bind("9007199254740993")
            .bind(ENTIER_EXACT_MAX + 2);
        assert_eq!(arrondi.entier_inexact(), Some(ENTIER_EXACT_MAX + 2));
        assert_eq!(
            Statement::new("SELECT ?1").bind(i64::MIN).entier_inexact(),
            Some(i64::MIN)
        );
    }
}
