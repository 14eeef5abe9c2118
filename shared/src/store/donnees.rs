//! A person's data across the tables (RGPD): what their export reads, and the batches
//! that erase it — an account's, one booking's (a guest's manage link), and the
//! retention rule's bounded share of old bookings.
//!
//! Erasing keeps what the professional and the accounting need: a booking keeps its
//! times, service, price and status, its payments stay as they are (they hold amounts and
//! Stripe's references, no name), a review keeps its rating and text; what names the
//! client goes — name, e-mail, phone, message, the form's answers, the reasons given, the
//! e-mails sent to them, the link secrets (the manage link stops working).

use super::reservations::{garde_transition, statuts_actifs, vider_gardes};
use super::{decode, fetch_all, Db, DbError, Row, Statement};

/// The name a professional sees in place of an erased client, in the agenda and the API.
pub const CLIENT_SUPPRIME: &str = "Client supprimé";

/// The address an erased booking keeps (its column is required): under `.invalid`, a
/// top-level domain that can never receive mail (RFC 2606).
pub const EMAIL_SUPPRIME: &str = "client-supprime@anonyme.invalid";

/// Whose data: a signed-in account, or the client of one booking (the manage link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Personne {
    /// An account, with its address when its owner proved they read it: only then are
    /// the guest bookings, e-mails and counters of that address theirs (an account whose
    /// address nobody proved sees none of them, as everywhere else).
    Compte {
        user_id: i64,
        email_verifie: Option<String>,
    },
    /// The client of one booking, proved by its manage link: the booking's id and the
    /// link's current hash (a booking whose link changed, or already erased, is not found).
    Reservation { id: String, hash_lien: String },
}

impl Personne {
    /// The SQL condition on `reservations r` that selects this person's bookings not yet
    /// erased (`?1`, `?2` bound by [`Personne::lier`]).
    fn reservations(&self) -> &'static str {
        match self {
            Personne::Compte { .. } => {
                "r.anonymisee_at IS NULL AND (r.user_id = ?1 \
                 OR (?2 IS NOT NULL AND r.client_email = ?2 COLLATE NOCASE))"
            }
            Personne::Reservation { .. } => {
                "r.anonymisee_at IS NULL AND r.id = ?1 AND r.manage_token_hash = ?2"
            }
        }
    }

    /// The SQL condition on `outbox o` that selects the e-mails sent (or to send) to
    /// this person (`?1`, `?2` as above).
    fn courriels(&self) -> &'static str {
        match self {
            Personne::Compte { .. } => {
                "(o.user_id = ?1 OR (?2 IS NOT NULL AND o.destinataire = ?2 COLLATE NOCASE))"
            }
            Personne::Reservation { .. } => {
                "o.reservation_id = ?1 AND o.destinataire = (SELECT r.client_email \
                 FROM reservations r WHERE r.id = ?1 AND r.manage_token_hash = ?2) COLLATE NOCASE"
            }
        }
    }

    /// A statement whose `?1` and `?2` are this person.
    fn lier(&self, sql: String) -> Statement {
        match self {
            Personne::Compte {
                user_id,
                email_verifie,
            } => Statement::new(sql)
                .bind(*user_id)
                .bind(email_verifie.clone()),
            Personne::Reservation { id, hash_lien } => Statement::new(sql)
                .bind(id.as_str())
                .bind(hash_lien.as_str()),
        }
    }
}

/// The condition on a rate-limit or throttle key (`limites.cle`, `freins.cle`) that
/// names the address `?1` (lower-cased): `<rule>:<address>` or `<rule>:<address>|<origin>`.
const CLE_DE_L_ADRESSE: &str =
    "(substr(cle, -length(?1) - 1) = ':' || ?1 OR instr(cle, ':' || ?1 || '|') > 0)";

/// What an export holds, part by part: each part's name and the statement that reads it.
/// Never a secret: no password hash, no link hash, no pseudonymised source.
pub fn lectures_export(personne: &Personne) -> Vec<(&'static str, Statement)> {
    let reservations = personne.reservations();
    let des_reservations = format!("SELECT r.id FROM reservations r WHERE {reservations}");
    let mut lectures = vec![
        (
            "reservations",
            personne.lier(format!(
                "SELECT r.id, r.statut, r.date_heure, r.fin, r.client_nom, r.client_email, \
                 r.client_telephone, r.message, r.reponses, r.prix_centimes, r.a_payer_centimes, \
                 r.expire_at, r.annulee_par, r.motif_annulation, r.created_at, r.updated_at, \
                 p.vertical, p.slug AS professionnel_slug, p.nom AS professionnel, \
                 s.nom AS service FROM reservations r \
                 JOIN professionnels p ON p.id = r.professionnel_id \
                 JOIN services s ON s.id = r.service_id WHERE {reservations} \
                 ORDER BY r.date_heure, r.id"
            )),
        ),
        (
            "paiements",
            personne.lier(format!(
                "SELECT id, reservation_id, montant, montant_rembourse, currency, type, statut, \
                 stripe_checkout_session_id, stripe_payment_intent_id, stripe_refund_id, \
                 created_at, updated_at FROM paiements WHERE reservation_id IN ({des_reservations}) \
                 ORDER BY id"
            )),
        ),
        (
            "avis",
            personne.lier(format!(
                "SELECT id, reservation_id, professionnel_id, note, commentaire, auteur, created_at \
                 FROM avis WHERE reservation_id IN ({des_reservations}) ORDER BY id"
            )),
        ),
        (
            "courriels",
            personne.lier(format!(
                "SELECT o.id, o.kind, o.destinataire, o.statut, o.reservation_id, o.envoyer_a, \
                 o.envoye_at, o.tentatives, o.created_at FROM outbox o WHERE {} ORDER BY o.id",
                personne.courriels()
            )),
        ),
    ];
    if let Personne::Compte {
        user_id,
        email_verifie,
    } = personne
    {
        let du_compte = |sql: &str| Statement::new(sql).bind(*user_id);
        lectures.extend([
            (
                "compte",
                du_compte(
                    "SELECT id, email, nom, telephone, role, type_professionnel, email_verifie_at, \
                     created_at FROM users WHERE id = ?1",
                ),
            ),
            (
                "profil_professionnel",
                du_compte(
                    "SELECT id, vertical, slug, nom, bio, ville, region, code_postal, photo_url, prix_min, \
                     prix_max, public, fuseau, note_moyenne, nombre_avis, created_at \
                     FROM professionnels WHERE user_id = ?1",
                ),
            ),
            (
                "sources_connues",
                du_compte(
                    "SELECT source, vue_at FROM sources_connues WHERE user_id = ?1 ORDER BY vue_at",
                ),
            ),
            (
                "verifications_email",
                du_compte(
                    "SELECT created_at, expire_at, utilise_at FROM verifications_email \
                     WHERE user_id = ?1 ORDER BY created_at",
                ),
            ),
            (
                "reinitialisations",
                du_compte(
                    "SELECT created_at, expire_at, utilise_at FROM reinitialisations \
                     WHERE user_id = ?1 ORDER BY created_at",
                ),
            ),
        ]);
        // Their waitlist entries: the account's, and those made with its proved address.
        lectures.push((
            "liste_attente",
            personne.lier(
                "SELECT l.id, l.professionnel_id, l.service_id, l.email, l.nom, l.du, l.au, \
                 l.fin_fenetre, l.statut, l.created_at, l.updated_at FROM liste_attente l \
                 WHERE l.user_id = ?1 OR (?2 IS NOT NULL AND l.email = ?2 COLLATE NOCASE) \
                 ORDER BY l.id"
                    .to_owned(),
            ),
        ));
        // The counters keyed by the address, once it is proved theirs.
        let adresse = email_verifie
            .as_deref()
            .map(|e| crate::casse::minuscules(e.trim()));
        for (nom, colonnes, table) in [
            ("compteurs_limites", "cle, fenetre, nombre", "limites"),
            (
                "compteurs_connexion",
                "cle, tentatives, bloque_jusqua, derniere_at",
                "freins",
            ),
        ] {
            lectures.push((
                nom,
                Statement::new(format!(
                    "SELECT {colonnes} FROM {table} WHERE ?1 IS NOT NULL AND {CLE_DE_L_ADRESSE} \
                     ORDER BY cle"
                ))
                .bind(adresse.clone()),
            ));
        }
    }
    lectures
}

/// Reads every part of a person's export, in one batch: (part, rows).
pub async fn exporter(
    db: &dyn Db,
    personne: &Personne,
) -> Result<Vec<(&'static str, Vec<Row>)>, DbError> {
    let lectures = lectures_export(personne);
    let noms: Vec<_> = lectures.iter().map(|(n, _)| *n).collect();
    let lignes = db
        .batch(lectures.into_iter().map(|(_, s)| s).collect())
        .await?;
    Ok(noms.into_iter().zip(lignes).collect())
}

crate::ligne! {
    struct Id {
        id: String,
    }
}

/// The person's bookings that still hold their slot and start after `maintenant`: the
/// ones to cancel before erasing.
pub async fn a_venir(
    db: &dyn Db,
    personne: &Personne,
    maintenant: i64,
) -> Result<Vec<String>, DbError> {
    let sql = format!(
        "SELECT r.id FROM reservations r WHERE {} AND r.statut IN {} AND r.date_heure > ?3 \
         ORDER BY r.date_heure",
        personne.reservations(),
        statuts_actifs()
    );
    let ids: Vec<Id> = fetch_all(db, personne.lier(sql).bind(maintenant)).await?;
    Ok(ids.into_iter().map(|i| i.id).collect())
}

/// What an erased booking's client columns become: `?3` the instant, `?4` the new
/// manage-link hash (so that the link opens nothing any more), `?5` the name, `?6` the
/// address.
const ANONYMISATION: &str = "client_nom = ?5, client_email = ?6, client_telephone = '', \
     message = '', reponses = '{}', motif_annulation = NULL, user_id = NULL, source_hash = NULL, \
     confirmation_token_hash = NULL, manage_token_hash = ?4, anonymisee_at = ?3, updated_at = ?3";

/// The statements that erase a person's reviews' author name, e-mails and bookings, the
/// bookings' UPDATE last (for a guard to follow it).
fn effacer_reservations(personne: &Personne, maintenant: i64, hash: &str) -> Vec<Statement> {
    let reservations = personne.reservations();
    vec![
        personne
            .lier(format!(
                "UPDATE avis SET auteur = ?3 \
                 WHERE reservation_id IN (SELECT r.id FROM reservations r WHERE {reservations})"
            ))
            .bind(CLIENT_SUPPRIME),
        // Before the bookings lose the address their e-mails are found by.
        personne.lier(format!(
            "DELETE FROM outbox WHERE id IN (SELECT o.id FROM outbox o WHERE {})",
            personne.courriels()
        )),
        personne
            .lier(format!(
                "UPDATE reservations AS r SET {ANONYMISATION} WHERE {reservations}"
            ))
            .bind(maintenant)
            .bind(hash)
            .bind(CLIENT_SUPPRIME)
            .bind(EMAIL_SUPPRIME),
    ]
}

/// Erases the client of one booking (see [`Personne::Reservation`]): `Ok(false)`, with
/// nothing changed, when it is no longer there to erase (erased meanwhile).
pub async fn effacer_reservation(
    db: &dyn Db,
    personne: &Personne,
    maintenant: i64,
    nouveau_hash: &str,
) -> Result<bool, DbError> {
    let mut lot = effacer_reservations(personne, maintenant, nouveau_hash);
    lot.push(garde_transition());
    lot.push(vider_gardes());
    gardee(db.batch(lot).await)
}

/// Erases a client account and its data: its bookings and e-mails as
/// [`effacer_reservation`] does, the counters keyed by its address once proved, its
/// links and known sources, and the account row's personal fields (the row stays, under
/// `supprime-<id>@anonyme.invalid`, signing nobody in) — only a `client` account, and
/// only once (`Ok(false)`, with nothing changed, when it was already erased).
pub async fn supprimer_compte(
    db: &dyn Db,
    personne: &Personne,
    maintenant: i64,
    nouveau_hash: &str,
) -> Result<bool, DbError> {
    let Personne::Compte {
        user_id,
        email_verifie,
    } = personne
    else {
        return Ok(false);
    };
    let mut lot = effacer_reservations(personne, maintenant, nouveau_hash);
    if let Some(adresse) = email_verifie {
        let adresse = crate::casse::minuscules(adresse.trim());
        for table in ["limites", "freins"] {
            lot.push(
                Statement::new(format!("DELETE FROM {table} WHERE {CLE_DE_L_ADRESSE}"))
                    .bind(adresse.as_str()),
            );
        }
    }
    // Their waitlist entries go, with the offers made to them (by cascade).
    lot.push(
        personne.lier(
            "DELETE FROM liste_attente WHERE user_id = ?1 \
         OR (?2 IS NOT NULL AND email = ?2 COLLATE NOCASE)"
                .to_owned(),
        ),
    );
    for table in [
        "sources_connues",
        "verifications_email",
        "reinitialisations",
    ] {
        lot.push(Statement::new(format!("DELETE FROM {table} WHERE user_id = ?1")).bind(*user_id));
    }
    // The row stays, emptied, so that its id is never given to a new account: SQLite would
    // reuse the highest id, and a session still held for this one would then open the
    // next account. The bumped token version ends every session of it.
    lot.push(
        Statement::new(
            "UPDATE users SET email = 'supprime-' || id || '@anonyme.invalid', nom = ?2, \
             telephone = NULL, password_hash = NULL, password_algorithme = NULL, \
             password_iterations = NULL, password_sel = NULL, email_verifie_at = NULL, \
             token_version = token_version + 1 \
             WHERE id = ?1 AND role = 'client' AND email <> 'supprime-' || id || '@anonyme.invalid'",
        )
        .bind(*user_id)
        .bind(CLIENT_SUPPRIME),
    );
    lot.push(garde_transition());
    lot.push(vider_gardes());
    gardee(db.batch(lot).await)
}

/// A guarded batch's outcome: `Ok(false)` when its guard refused it.
fn gardee(resultat: Result<Vec<Vec<Row>>, DbError>) -> Result<bool, DbError> {
    match resultat {
        Ok(_) => Ok(true),
        Err(e) if e.is_constraint_on("garde_transition") => Ok(false),
        Err(e) => Err(e),
    }
}

crate::ligne! {
    struct Nombre {
        n: i64,
    }
}

/// One run of the retention rule: the client details of at most `par_passage` bookings
/// that ended before `avant` are erased (oldest first; reviews' author names with them),
/// and at most `par_passage` e-mails done with (sent, given up, dropped) and planned
/// before `courriels_avant` are deleted. Each is one statement over rows it re-checks,
/// so overlapping runs never erase twice, and a second run finds nothing left to do.
/// Returns (bookings anonymised, e-mails deleted).
pub async fn conserver(
    db: &dyn Db,
    maintenant: i64,
    avant: i64,
    courriels_avant: i64,
    par_passage: i64,
) -> Result<(i64, i64), DbError> {
    let anciennes = "SELECT id FROM reservations WHERE anonymisee_at IS NULL AND fin < ?1 \
                     ORDER BY fin, id LIMIT ?2";
    let hash = "lower(hex(randomblob(32)))";
    let lot = vec![
        Statement::new(format!(
            "UPDATE avis SET auteur = ?3 WHERE reservation_id IN ({anciennes})"
        ))
        .bind(avant)
        .bind(par_passage)
        .bind(CLIENT_SUPPRIME),
        Statement::new(format!(
            "UPDATE reservations SET client_nom = ?3, client_email = ?4, client_telephone = '', \
             message = '', reponses = '{{}}', motif_annulation = NULL, user_id = NULL, \
             source_hash = NULL, confirmation_token_hash = NULL, manage_token_hash = {hash}, \
             anonymisee_at = ?5, updated_at = ?5 \
             WHERE anonymisee_at IS NULL AND id IN ({anciennes})"
        ))
        .bind(avant)
        .bind(par_passage)
        .bind(CLIENT_SUPPRIME)
        .bind(EMAIL_SUPPRIME)
        .bind(maintenant),
        Statement::new("SELECT changes() AS n"),
        Statement::new(
            "DELETE FROM outbox WHERE statut IN ('envoye', 'abandonne', 'annule') \
             AND envoyer_a < ?1 AND id IN (SELECT id FROM outbox \
             WHERE statut IN ('envoye', 'abandonne', 'annule') AND envoyer_a < ?1 LIMIT ?2)",
        )
        .bind(courriels_avant)
        .bind(par_passage),
        Statement::new("SELECT changes() AS n"),
    ];
    let resultats = db.batch(lot).await?;
    let n = |i: usize| -> Result<i64, DbError> {
        Ok(
            decode::<Nombre>(resultats.get(i).cloned().unwrap_or_default())?
                .first()
                .map_or(0, |c| c.n),
        )
    };
    Ok((n(2)?, n(4)?))
}
