//! The address check of an account (`verifications_email`, `users.email_verifie_at`):
//! the sign-up e-mail carries a single-use, expiring link whose secret only the SHA-256
//! of is stored. Until the owner proves they read the address — with that link, or with
//! a password reset link, which proves it as well — the account sees none of the guest
//! bookings made with it: they are attached only then.

use super::{fetch_optional, Db, DbError, Statement};

/// A new link for the account with this e-mail (found by e-mail, so that it can ride in
/// the batch that creates the account).
pub fn nouveau_lien(email: &str, token_hash: &str, expire_at: i64, maintenant: i64) -> Statement {
    Statement::new(
        "INSERT INTO verifications_email (token_hash, user_id, expire_at, created_at) \
         SELECT ?2, id, ?3, ?4 FROM users WHERE email = ?1 COLLATE NOCASE",
    )
    .bind(email)
    .bind(token_hash)
    .bind(expire_at)
    .bind(maintenant)
}

/// The account a link is for, if it is unused and unexpired.
pub async fn lien_valide(
    db: &dyn Db,
    token_hash: &str,
    maintenant: i64,
) -> Result<Option<i64>, DbError> {
    compte_du_lien(db, "verifications_email", token_hash, maintenant).await
}

/// The account a single-use link of `table` (`verifications_email`, `reinitialisations`:
/// `token_hash`, `user_id`, `expire_at`, `utilise_at`) is for, if it is unused and
/// unexpired.
pub(crate) async fn compte_du_lien(
    db: &dyn Db,
    table: &'static str,
    token_hash: &str,
    maintenant: i64,
) -> Result<Option<i64>, DbError> {
    crate::ligne! {
        struct Ligne {
            user_id: i64,
        }
    }
    Ok(fetch_optional::<Ligne>(
        db,
        Statement::new(format!(
            "SELECT user_id FROM {table} WHERE token_hash = ?1 \
             AND utilise_at IS NULL AND expire_at > ?2"
        ))
        .bind(token_hash)
        .bind(maintenant),
    )
    .await?
    .map(|l| l.user_id))
}

/// What proving the address does, as statements to run with the proof's own change:
/// the account is marked verified (the first time only), the guest bookings made with
/// its address are attached to it, and every link still pending is spent.
pub fn adresse_prouvee(user_id: i64, maintenant: i64) -> Vec<Statement> {
    vec![
        Statement::new(
            "UPDATE users SET email_verifie_at = COALESCE(email_verifie_at, ?2) WHERE id = ?1",
        )
        .bind(user_id)
        .bind(maintenant),
        Statement::new(
            "UPDATE reservations SET user_id = ?1 WHERE user_id IS NULL \
             AND client_email = (SELECT email FROM users WHERE id = ?1) COLLATE NOCASE",
        )
        .bind(user_id),
        Statement::new(
            "UPDATE verifications_email SET utilise_at = ?2 WHERE user_id = ?1 AND utilise_at IS NULL",
        )
        .bind(user_id)
        .bind(maintenant),
    ]
}

/// The start of a batch that uses a single-use link of `table` once, for the account it
/// was made for: the guarded UPDATE, and the `garde_transition` row that fails the batch
/// unless it changed exactly one row (the caller empties `gardes` at the batch's end).
pub(crate) fn lien_utilise(
    table: &'static str,
    token_hash: &str,
    user_id: i64,
    maintenant: i64,
) -> Vec<Statement> {
    vec![
        Statement::new(format!(
            "UPDATE {table} SET utilise_at = ?3 WHERE token_hash = ?1 AND user_id = ?2 \
             AND utilise_at IS NULL AND expire_at > ?3"
        ))
        .bind(token_hash)
        .bind(user_id)
        .bind(maintenant),
        Statement::new("INSERT INTO gardes (transition) VALUES (changes())"),
    ]
}

/// Uses a link once, for the account it was made for: marks it used (guarded: still
/// unused, unexpired, and that account's) and proves the address, in one batch. `false`
/// when the link was used, expired or is another account's.
pub async fn utiliser(
    db: &dyn Db,
    token_hash: &str,
    user_id: i64,
    maintenant: i64,
) -> Result<bool, DbError> {
    let mut batch = lien_utilise("verifications_email", token_hash, user_id, maintenant);
    batch.extend(adresse_prouvee(user_id, maintenant));
    batch.push(Statement::new("DELETE FROM gardes"));
    match db.batch(batch).await {
        Ok(_) => Ok(true),
        Err(e) if e.is_constraint_on("garde_transition") => Ok(false),
        Err(e) => Err(e),
    }
}
