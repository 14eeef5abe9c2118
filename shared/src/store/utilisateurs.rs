//! `users`: accounts, their passwords and sessions' token version, sign-up (with the
//! professional's profile), password reset links, and the sources each account signed
//! in from. The guest bookings made with an account's address are attached only once
//! the owner proves the address (see `store::verifications`).

use super::{fetch_optional, Db, DbError, Statement};
use crate::comptes::{Empreinte, Role};

crate::ligne! {
    #[derive(Debug, Clone)]
    pub struct Utilisateur {
        pub id: i64,
        pub email: String,
        pub role: Role,
        pub nom: String,
        pub telephone: Option<String>,
        pub type_professionnel: Option<String>,
        pub token_version: i64,
        pub password_hash: Option<String>,
        pub password_algorithme: Option<String>,
        pub password_iterations: Option<i64>,
        pub password_sel: Option<String>,
        /// When the owner proved the address (`None`: not yet).
        pub email_verifie_at: Option<chrono::DateTime<chrono::Utc>>,
    }
}

impl Utilisateur {
    /// Whether the owner proved they read the account's address.
    pub fn email_verifie(&self) -> bool {
        self.email_verifie_at.is_some()
    }

    pub fn empreinte(&self) -> Option<Empreinte> {
        Empreinte::depuis_colonnes(
            self.password_algorithme.as_deref(),
            self.password_iterations,
            self.password_sel.as_deref(),
            self.password_hash.as_deref(),
        )
    }
}

const COLONNES: &str = "id, email, role, nom, telephone, type_professionnel, token_version, \
     password_hash, password_algorithme, password_iterations, password_sel, email_verifie_at";

pub async fn par_id(db: &dyn Db, id: i64) -> Result<Option<Utilisateur>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!("SELECT {COLONNES} FROM users WHERE id = ?1")).bind(id),
    )
    .await
}

/// The read of an account's e-mail address if its owner proved they read it
/// (`email_verifie_at`); decode its rows with [`adresse_verifiee_depuis`].
pub fn lecture_adresse_verifiee(user_id: i64) -> Statement {
    Statement::new("SELECT email FROM users WHERE id = ?1 AND email_verifie_at IS NOT NULL")
        .bind(user_id)
}

pub fn adresse_verifiee_depuis(rows: Vec<super::Row>) -> Result<Option<String>, DbError> {
    crate::ligne! {
        struct Adresse {
            email: String,
        }
    }
    Ok(super::decode::<Adresse>(rows)?
        .into_iter()
        .next()
        .map(|a| a.email))
}

/// By e-mail, whatever its case.
pub async fn par_email(db: &dyn Db, email: &str) -> Result<Option<Utilisateur>, DbError> {
    fetch_optional(
        db,
        Statement::new(format!(
            "SELECT {COLONNES} FROM users WHERE email = ?1 COLLATE NOCASE"
        ))
        .bind(email.trim()),
    )
    .await
}

/// By e-mail, with whether `source` is one the account signed in from since `depuis`
/// (one read for the sign-in). The unknown source (no address) is never a known one.
pub async fn par_email_depuis(
    db: &dyn Db,
    email: &str,
    source: &str,
    depuis: i64,
) -> Result<Option<(Utilisateur, bool)>, DbError> {
    struct Ligne {
        utilisateur: Utilisateur,
        source_connue: i64,
    }
    impl super::Ligne for Ligne {
        fn lire(colonnes: &mut super::Colonnes) -> Result<Self, DbError> {
            Ok(Ligne {
                source_connue: colonnes.prendre("source_connue")?,
                utilisateur: Utilisateur::lire(colonnes)?,
            })
        }
    }
    let colonnes: String = COLONNES
        .split(", ")
        .map(|c| format!("u.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(fetch_optional::<Ligne>(
        db,
        Statement::new(format!(
            "SELECT {colonnes}, EXISTS (SELECT 1 FROM sources_connues s WHERE s.user_id = u.id \
             AND s.source = ?2 AND s.source <> ?4 AND s.vue_at >= ?3) AS source_connue \
             FROM users u WHERE u.email = ?1 COLLATE NOCASE"
        ))
        .bind(email.trim())
        .bind(source)
        .bind(depuis)
        .bind(crate::securite::source::INCONNUE),
    )
    .await?
    .map(|l| (l.utilisateur, l.source_connue != 0)))
}

/// Records (or refreshes) a source the account signed in from; never the unknown one.
pub fn source_connue(user_id: i64, source: &str, maintenant: i64) -> Statement {
    Statement::new(
        "INSERT INTO sources_connues (user_id, source, vue_at) SELECT ?1, ?2, ?3 WHERE ?2 <> ?4 \
         ON CONFLICT (user_id, source) DO UPDATE SET vue_at = excluded.vue_at",
    )
    .bind(user_id)
    .bind(source)
    .bind(maintenant)
    .bind(crate::securite::source::INCONNUE)
}

/// A new account, as validated.
#[derive(Debug, Clone)]
pub struct NouveauCompte<'a> {
    pub email: &'a str,
    pub role: Role,
    pub nom: &'a str,
    pub telephone: Option<&'a str>,
    pub empreinte: &'a Empreinte,
    /// A professional's new (unpublished) profile: vertical, slug, ville, region, and the
    /// vertical's time zone (IANA name).
    pub professionnel: Option<(&'a str, &'a str, &'a str, &'a str, &'a str)>,
    pub maintenant: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum ErreurInscription {
    #[error("e-mail déjà utilisé")]
    EmailPris,
    #[error("adresse de profil déjà prise")]
    SlugPris,
    #[error(transparent)]
    Db(DbError),
}

/// Creates the account in one batch: the user (address not yet proved), the
/// professional's profile (unpublished), and `ensuite` (the address check's link and
/// e-mail, which find the user by e-mail). No guest booking is attached: that waits for
/// the proof of the address. Returns the user's id.
pub async fn creer(
    db: &dyn Db,
    compte: &NouveauCompte<'_>,
    ensuite: Vec<Statement>,
) -> Result<i64, ErreurInscription> {
    let e = compte.empreinte;
    let mut batch = vec![Statement::new(
        "INSERT INTO users (email, password_hash, password_algorithme, password_iterations, \
         password_sel, role, nom, telephone, type_professionnel, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
    )
    .bind(compte.email)
    .bind(e.hash.as_str())
    .bind(e.algorithme.as_str())
    .bind(i64::from(e.iterations))
    .bind(e.sel.as_str())
    .bind(compte.role.as_str())
    .bind(compte.nom)
    .bind(compte.telephone.map(str::to_owned))
    .bind(compte.professionnel.map(|p| p.0.to_owned()))
    .bind(compte.maintenant)];
    if let Some((vertical, slug, ville, region, fuseau)) = compte.professionnel {
        batch.push(
            Statement::new(
                "INSERT INTO professionnels (user_id, vertical, slug, nom, ville, region, public, created_at, fuseau) \
                 SELECT id, ?2, ?3, nom, ?4, ?5, 0, ?6, ?7 FROM users WHERE email = ?1 COLLATE NOCASE",
            )
            .bind(compte.email)
            .bind(vertical)
            .bind(slug)
            .bind(ville)
            .bind(region)
            .bind(compte.maintenant)
            .bind(fuseau),
        );
    }
    batch.extend(ensuite);
    let resultats = db.batch(batch).await.map_err(|err| {
        if err.is_constraint_on("users.email") {
            ErreurInscription::EmailPris
        } else if err.is_constraint_on("professionnels.vertical") {
            ErreurInscription::SlugPris
        } else {
            ErreurInscription::Db(err)
        }
    })?;
    resultats
        .first()
        .and_then(|rows| rows.first())
        .and_then(|row| row.get("id"))
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| ErreurInscription::Db(DbError::Decode("id de l'utilisateur absent".into())))
}

/// Replaces the password and revokes every session (token version bumped), and every
/// unused reset link.
pub fn changer_mot_de_passe(user_id: i64, empreinte: &Empreinte) -> Vec<Statement> {
    vec![
        Statement::new(
            "UPDATE users SET password_hash = ?2, password_algorithme = ?3, password_iterations = ?4, \
             password_sel = ?5, token_version = token_version + 1 WHERE id = ?1",
        )
        .bind(user_id)
        .bind(empreinte.hash.as_str())
        .bind(empreinte.algorithme.as_str())
        .bind(i64::from(empreinte.iterations))
        .bind(empreinte.sel.as_str()),
        Statement::new("DELETE FROM reinitialisations WHERE user_id = ?1").bind(user_id),
    ]
}

/// Recomputes a hash made at a lower cost, without revoking sessions (same password).
pub async fn renforcer(db: &dyn Db, user_id: i64, empreinte: &Empreinte) -> Result<(), DbError> {
    db.query(
        Statement::new(
            "UPDATE users SET password_hash = ?2, password_algorithme = ?3, password_iterations = ?4, \
             password_sel = ?5 WHERE id = ?1",
        )
        .bind(user_id)
        .bind(empreinte.hash.as_str())
        .bind(empreinte.algorithme.as_str())
        .bind(i64::from(empreinte.iterations))
        .bind(empreinte.sel.as_str()),
    )
    .await?;
    Ok(())
}

pub async fn changer_mot_de_passe_maintenant(
    db: &dyn Db,
    user_id: i64,
    empreinte: &Empreinte,
) -> Result<(), DbError> {
    db.batch(changer_mot_de_passe(user_id, empreinte)).await?;
    Ok(())
}

/// Sign-out everywhere: every token issued so far stops being accepted.
pub async fn revoquer_sessions(db: &dyn Db, user_id: i64) -> Result<(), DbError> {
    db.query(
        Statement::new("UPDATE users SET token_version = token_version + 1 WHERE id = ?1")
            .bind(user_id),
    )
    .await?;
    Ok(())
}

/// Records a reset link (its secret's hash) and queues its e-mail, in one batch.
pub async fn demander_reinitialisation(
    db: &dyn Db,
    user_id: i64,
    token_hash: &str,
    expire_at: i64,
    maintenant: i64,
    courriel: Statement,
) -> Result<(), DbError> {
    db.batch(vec![
        Statement::new(
            "INSERT INTO reinitialisations (token_hash, user_id, expire_at, created_at) \
             VALUES (?1, ?2, ?3, ?4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(expire_at)
        .bind(maintenant),
        courriel,
    ])
    .await?;
    Ok(())
}

/// The account a reset link is for, if it is unused and unexpired.
pub async fn reinitialisation_valide(
    db: &dyn Db,
    token_hash: &str,
    maintenant: i64,
) -> Result<Option<i64>, DbError> {
    super::verifications::compte_du_lien(db, "reinitialisations", token_hash, maintenant).await
}

/// Uses a reset link once: marks it used (guarded: it must still be unused and
/// unexpired) and sets the new password, revoking sessions, in one batch. The link came
/// to the account's address, so it proves the address too (see
/// `verifications::adresse_prouvee`). `false` when the link was used or expired in between.
pub async fn reinitialiser(
    db: &dyn Db,
    token_hash: &str,
    user_id: i64,
    empreinte: &Empreinte,
    maintenant: i64,
) -> Result<bool, DbError> {
    let mut batch =
        super::verifications::lien_utilise("reinitialisations", token_hash, user_id, maintenant);
    batch.extend(changer_mot_de_passe(user_id, empreinte));
    batch.extend(super::verifications::adresse_prouvee(user_id, maintenant));
    batch.push(Statement::new("DELETE FROM gardes"));
    match db.batch(batch).await {
        Ok(_) => Ok(true),
        Err(e) if e.is_constraint_on("garde_transition") => Ok(false),
        Err(e) => Err(e),
    }
}

/// Creates or replaces an admin account (the `create-admin` command's SQL). Whoever runs
/// it vouches for the address: the account is verified.
pub fn creer_admin(email: &str, nom: &str, empreinte: &Empreinte, maintenant: i64) -> Statement {
    let admin = Role::Admin.as_str();
    Statement::new(format!(
        "INSERT INTO users (email, password_hash, password_algorithme, password_iterations, password_sel, \
         role, nom, created_at, email_verifie_at) VALUES (?1, ?2, ?3, ?4, ?5, '{admin}', ?6, ?7, ?7) \
         ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, \
         password_algorithme = excluded.password_algorithme, password_iterations = excluded.password_iterations, \
         password_sel = excluded.password_sel, role = '{admin}', type_professionnel = NULL, \
         email_verifie_at = COALESCE(users.email_verifie_at, excluded.email_verifie_at), \
         token_version = users.token_version + 1"
    ))
    .bind(email)
    .bind(empreinte.hash.as_str())
    .bind(empreinte.algorithme.as_str())
    .bind(i64::from(empreinte.iterations))
    .bind(empreinte.sel.as_str())
    .bind(nom)
    .bind(maintenant)
}

crate::ligne! {
    /// A booking as the client's account lists it.
    #[derive(Debug, Clone, serde::Serialize)]
    pub struct ReservationDuCompte {
        pub id: String,
        #[serde(with = "chrono::serde::ts_seconds")]
        pub date_heure: chrono::DateTime<chrono::Utc>,
        #[serde(with = "chrono::serde::ts_seconds")]
        pub fin: chrono::DateTime<chrono::Utc>,
        pub statut: crate::reservation::StatutReservation,
        pub professionnel: String,
        pub professionnel_slug: String,
        pub vertical: String,
        pub fuseau: String,
        pub service: String,
        pub prix_centimes: crate::types::Centimes,
    }
}

/// The account's bookings (its own, and the guest ones attached when the address was
/// proved), latest first. Never a guest booking by a mere match of e-mail.
pub async fn reservations_du_compte(
    db: &dyn Db,
    user_id: i64,
) -> Result<Vec<ReservationDuCompte>, DbError> {
    super::fetch_all(
        db,
        Statement::new(
            "SELECT r.id, r.date_heure, r.fin, r.statut, p.nom AS professionnel, p.slug AS professionnel_slug, \
             p.vertical, p.fuseau, s.nom AS service, r.prix_centimes \
             FROM reservations r JOIN professionnels p ON p.id = r.professionnel_id \
             JOIN services s ON s.id = r.service_id WHERE r.user_id = ?1 \
             ORDER BY r.date_heure DESC, r.id LIMIT 500",
        )
        .bind(user_id),
    )
    .await
}
