//! Account use cases shared by the pages and the API: sign-up, the address check,
//! sign-in and its session, password reset and change.
//!
//! - Sign-up answers the same whether the address is new or not (the owner of an
//!   existing account is told by e-mail instead), and attaches no guest booking: that
//!   waits for the proof of the address.
//! - Sign-in is throttled with growing delays per (account, origin), and per source and
//!   per account only for origins the account never signed in from (see
//!   `booking_shared::comptes::limites`): the owner on a known device or source is never
//!   locked out by strangers' wrong passwords.
//! - Reset requests are rate-limited per source; the e-mails one address receives are
//!   capped, silently, without touching the links already sent.

use chrono::Duration;
use sha2::{Digest, Sha256};

use crate::comptes::appareil::Appareil;
use crate::comptes::limites::{self, Frein, Regle};
use crate::comptes::mot_de_passe;
use crate::comptes::saisies::slug_de;
use crate::comptes::session::{self, Session};
use crate::comptes::{erreur_champ, InscriptionBrute, MotDePasse, Role, VERIFICATION_HEURES};
use crate::store::utilisateurs::{self, ErreurInscription, NouveauCompte, Utilisateur};
use crate::store::{self, freins, verifications, DbError};
use crate::types::JetonGestion;
use crate::vertical::{ErreurChamp, VerticalConfig};

use crate::cas::notifications;
use crate::cas::Ports;

/// How long a reset link works.
pub const REINITIALISATION_MINUTES: i64 = 60;

// The reset cap's window is no longer than a reset link lives: whenever an address has
// reached its cap, a link sent to it in the same window still works.
const _: () =
    assert!(limites::REINITIALISATION_ADRESSE.fenetre_secondes <= REINITIALISATION_MINUTES * 60);

/// Why an account operation did nothing (mapped to a status and a code in
/// `functions::erreurs`).
#[derive(Debug, thiserror::Error)]
pub enum ErreurCompte {
    #[error("champs invalides")]
    Champs(Vec<ErreurChamp>),
    /// Wrong e-mail or password, or an account without a password: one answer for all.
    #[error("{MESSAGE_IDENTIFIANTS}")]
    Identifiants,
    /// Seconds to wait.
    #[error("{MESSAGE_TROP} (réessayer dans {0} s)")]
    TropDeTentatives(i64),
    #[error("{MESSAGE_LIEN}")]
    LienInvalide,
    #[error("erreur interne : {0}")]
    Interne(String),
}

impl From<DbError> for ErreurCompte {
    fn from(e: DbError) -> Self {
        ErreurCompte::Interne(e.to_string())
    }
}

pub const MESSAGE_IDENTIFIANTS: &str = "Adresse e-mail ou mot de passe incorrect.";
pub const MESSAGE_TROP: &str = "Trop de tentatives";
pub const MESSAGE_LIEN: &str = "Ce lien n'est plus valable : il a déjà servi ou il a expiré.";
/// What sign-up answers, whether the address was new or already had an account.
pub const MESSAGE_INSCRIPTION: &str = "Merci ! Pour terminer, ouvrez l'e-mail que nous venons d'envoyer à cette adresse. Vous pouvez déjà vous connecter ; les réservations faites avec cette adresse apparaîtront dans votre compte une fois l'adresse confirmée.";

/// "2 minutes", "30 secondes": how long to wait, in words.
pub fn attente_en_mots(secondes: i64) -> String {
    let secondes = secondes.max(1);
    if secondes < 60 {
        return format!("{secondes} seconde{}", if secondes > 1 { "s" } else { "" });
    }
    let minutes = (secondes + 59) / 60;
    format!("{minutes} minute{}", if minutes > 1 { "s" } else { "" })
}

impl ErreurCompte {
    /// The `Retry-After` of a refusal, if it is one.
    pub fn reessayer_dans(&self) -> Option<i64> {
        match self {
            ErreurCompte::TropDeTentatives(s) => Some((*s).max(1)),
            _ => None,
        }
    }
}

async fn limiter(ports: &Ports<'_>, regles: &[(Regle, &str)]) -> Result<(), ErreurCompte> {
    let maintenant = ports.clock.now().timestamp();
    match store::limites::compter_toutes(ports.db, regles, maintenant).await? {
        Some(apres) => Err(ErreurCompte::TropDeTentatives(apres)),
        None => Ok(()),
    }
}

/// A link with a fresh secret: (secret's hash, link).
fn lien(ports: &Ports<'_>, base_url: &str, chemin: &str) -> (String, String) {
    let jeton = JetonGestion::from_random(ports.random.octets());
    (
        jeton.hash(),
        format!("{base_url}{chemin}?jeton={}", jeton.as_str()),
    )
}

/// SHA-256 (hex) of a secret from a link (reset, address check, calendar feed): only
/// this is stored.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.trim().as_bytes()))
}

/// The account a session token stands for, with its role, when the token is valid now:
/// signed with the session key, unexpired, and of the account's current token version
/// and role (a password change or a role change revokes every earlier token).
pub async fn compte_de_session(ports: &Ports<'_>, jeton: &str) -> Option<(Utilisateur, Role)> {
    let session: Session = session::lire(ports.cles.session.expose(), jeton, ports.clock.now())?;
    let utilisateur = utilisateurs::par_id(ports.db, session.uid).await.ok()??;
    let role = utilisateur.role;
    (utilisateur.token_version == session.v && role == session.role).then_some((utilisateur, role))
}

/// A session token for the account as it is now.
pub fn emettre_session(ports: &Ports<'_>, utilisateur: &Utilisateur) -> Result<String, String> {
    let role = utilisateur.role;
    session::emettre(
        ports.cles.session.expose(),
        &Session {
            uid: utilisateur.id,
            role,
            v: utilisateur.token_version,
        },
        ports.clock.now(),
    )
}

/// Signs up. The answer is the same whether the address is new or not, and so is the
/// work (the password is hashed, the address's e-mail counter moves): a new address gets
/// an account (a professional an unpublished profile in the site's vertical) and the
/// link that proves it; the owner of an existing one gets an e-mail saying someone tried
/// (at most [`limites::INSCRIPTION_ADRESSE`] a window), and nothing of theirs changes.
/// Every attempt counts towards the source's sign-up limit.
pub async fn inscrire(
    ports: &Ports<'_>,
    ip: &str,
    vertical: &VerticalConfig,
    base_url: &str,
    brute: &InscriptionBrute,
) -> Result<(), ErreurCompte> {
    limiter(ports, &[(limites::INSCRIPTION_IP, ip)]).await?;
    let inscription = brute
        .valider(vertical.slug())
        .map_err(ErreurCompte::Champs)?;
    let email = inscription.email.as_str();
    let maintenant = ports.clock.now();
    let existant = utilisateurs::par_email(ports.db, email).await?;
    let empreinte = mot_de_passe::hacher(
        ports.derivation,
        inscription.mot_de_passe.as_str(),
        ports.random.octets(),
    )
    .await
    .map_err(ErreurCompte::Interne)?;
    let courriel_permis = store::limites::compter(
        ports.db,
        &limites::INSCRIPTION_ADRESSE,
        email,
        maintenant.timestamp(),
    )
    .await?;
    if let Some(existant) = existant {
        return signaler_inscription(ports, vertical, base_url, &existant, courriel_permis).await;
    }
    let base = slug_de(inscription.nom.as_str());
    let mut tentative = 0;
    loop {
        let slug = if tentative == 0 {
            base.clone()
        } else {
            format!("{base}-{}", &hex::encode(ports.random.octets())[..6])
        };
        let compte = NouveauCompte {
            email,
            role: inscription.role,
            nom: inscription.nom.as_str(),
            telephone: inscription.telephone.as_ref().map(|t| t.as_str()),
            empreinte: &empreinte,
            professionnel: inscription.pro.as_ref().map(|(v, ville, region)| {
                let fuseau = vertical.fuseau().name();
                (
                    v.as_str(),
                    slug.as_str(),
                    ville.as_str(),
                    region.as_str(),
                    fuseau,
                )
            }),
            maintenant: maintenant.timestamp(),
        };
        let (hash, lien) = lien(ports, base_url, "/compte/verifier");
        let expire = maintenant + Duration::hours(VERIFICATION_HEURES);
        let ensuite = vec![
            verifications::nouveau_lien(email, &hash, expire.timestamp(), maintenant.timestamp()),
            notifications::verification_email(ports, vertical, base_url, email, &lien),
        ];
        match utilisateurs::creer(ports.db, &compte, ensuite).await {
            Ok(_) => return Ok(()),
            // Signed up a moment ago by a concurrent request: as for any existing address.
            Err(ErreurInscription::EmailPris) => {
                return match utilisateurs::par_email(ports.db, email).await? {
                    Some(u) => {
                        signaler_inscription(ports, vertical, base_url, &u, courriel_permis).await
                    }
                    None => Err(ErreurCompte::Interne(
                        "compte concurrent introuvable".into(),
                    )),
                }
            }
            Err(ErreurInscription::SlugPris) if tentative < 3 => tentative += 1,
            Err(e) => return Err(ErreurCompte::Interne(e.to_string())),
        }
    }
}

/// The owner of an existing account is told someone signed up with its address.
async fn signaler_inscription(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    base_url: &str,
    existant: &Utilisateur,
    courriel_permis: bool,
) -> Result<(), ErreurCompte> {
    if courriel_permis {
        ports
            .db
            .query(notifications::inscription_existante(
                ports,
                vertical,
                base_url,
                existant.id,
                &existant.email,
            ))
            .await?;
    }
    Ok(())
}

/// Whether an address-check link can still be used, and the account it is for.
pub async fn verification_valide(
    ports: &Ports<'_>,
    jeton: &str,
) -> Result<Option<Utilisateur>, ErreurCompte> {
    let hash = hash_secret(jeton);
    match verifications::lien_valide(ports.db, &hash, ports.clock.now().timestamp()).await? {
        Some(id) => Ok(utilisateurs::par_id(ports.db, id).await?),
        None => Ok(None),
    }
}

/// Proves the address of a signed-in account with the link e-mailed to it: the link
/// must be unused, unexpired and that account's own (so that clicking a link for an
/// account someone else made with your address, and whose password you do not know,
/// proves nothing for them). The guest bookings made with the address are attached.
pub async fn verifier_email(
    ports: &Ports<'_>,
    utilisateur: &Utilisateur,
    jeton: &str,
) -> Result<Utilisateur, ErreurCompte> {
    let hash = hash_secret(jeton);
    let maintenant = ports.clock.now().timestamp();
    if !verifications::utiliser(ports.db, &hash, utilisateur.id, maintenant).await? {
        return Err(ErreurCompte::LienInvalide);
    }
    utilisateurs::par_id(ports.db, utilisateur.id)
        .await?
        .ok_or_else(|| ErreurCompte::Interne("compte introuvable".into()))
}

/// What asking for a new address-check link did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renvoi {
    Envoye,
    DejaVerifiee,
}

/// A new address-check link for a signed-in account that has not proved its address
/// yet (rate-limited per account and per source). Links sent before stay valid.
pub async fn renvoyer_verification(
    ports: &Ports<'_>,
    ip: &str,
    vertical: &VerticalConfig,
    base_url: &str,
    utilisateur: &Utilisateur,
) -> Result<Renvoi, ErreurCompte> {
    if utilisateur.email_verifie() {
        return Ok(Renvoi::DejaVerifiee);
    }
    let compte = utilisateur.id.to_string();
    limiter(
        ports,
        &[
            (limites::VERIFICATION_IP, ip),
            (limites::VERIFICATION_COMPTE, compte.as_str()),
        ],
    )
    .await?;
    let maintenant = ports.clock.now();
    let (hash, lien) = lien(ports, base_url, "/compte/verifier");
    let expire = maintenant + Duration::hours(VERIFICATION_HEURES);
    ports
        .db
        .batch(vec![
            verifications::nouveau_lien(
                &utilisateur.email,
                &hash,
                expire.timestamp(),
                maintenant.timestamp(),
            ),
            notifications::verification_email(ports, vertical, base_url, &utilisateur.email, &lien),
        ])
        .await?;
    Ok(Renvoi::Envoye)
}

/// A successful sign-in: the account, and the device cookie's value to set (the
/// browser's own device if it had a valid one for this account, renewed; a new one
/// otherwise).
#[derive(Debug, Clone)]
pub struct Connexion {
    pub utilisateur: Utilisateur,
    pub appareil: String,
}

/// Checks e-mail and password; the same refusal whatever was wrong, and the same
/// throttles whether the account exists or not. `appareil` is the device cookie the
/// request carried, if any.
pub async fn connecter(
    ports: &Ports<'_>,
    ip: &str,
    appareil: Option<&str>,
    email: &str,
    mot_de_passe_saisi: &str,
) -> Result<Connexion, ErreurCompte> {
    let email = email.trim();
    let maintenant = ports.clock.now().timestamp();
    let secret = ports.cles.appareils.expose();
    let trouve = if email.is_empty() || email.len() > 254 {
        None
    } else {
        utilisateurs::par_email_depuis(
            ports.db,
            email,
            ip,
            maintenant - limites::SOURCE_CONNUE_SECONDES,
        )
        .await?
    };
    let appareil_connu = match (&trouve, appareil) {
        (Some((u, _)), Some(valeur)) => Appareil::de_compte(secret, valeur, u.id, maintenant),
        _ => None,
    };
    let source_connue = trouve.as_ref().is_some_and(|(_, connue)| *connue);
    let inconnue = appareil_connu.is_none() && !source_connue;
    let compte = crate::casse::minuscules(email);
    let paire = match &appareil_connu {
        Some(a) => format!("{compte}|appareil:{}", a.id),
        None => format!("{compte}|{ip}"),
    };
    let mut throttles: Vec<(Frein, String)> = vec![(limites::CONNEXION_PAIRE, paire.clone())];
    if inconnue {
        throttles.push((limites::CONNEXION_SOURCE, ip.to_owned()));
        throttles.push((limites::CONNEXION_COMPTE, compte.clone()));
    }
    if let Some(attente) = freins::passer(ports.db, &throttles, maintenant).await? {
        return Err(ErreurCompte::TropDeTentatives(attente));
    }
    if mot_de_passe_saisi.is_empty() || mot_de_passe_saisi.len() > 1024 {
        return Err(ErreurCompte::Identifiants);
    }
    let Some((utilisateur, empreinte)) = trouve.and_then(|(u, _)| u.empreinte().map(|e| (u, e)))
    else {
        mot_de_passe::leurre(ports.derivation, mot_de_passe_saisi).await;
        return Err(ErreurCompte::Identifiants);
    };
    let bon = mot_de_passe::verifier(ports.derivation, mot_de_passe_saisi, &empreinte)
        .await
        .map_err(ErreurCompte::Interne)?;
    if !bon {
        return Err(ErreurCompte::Identifiants);
    }
    // The owner: their streak ends, the source is known from now on, and the attempt
    // counted on the shared throttles is given back.
    let mut batch = vec![
        freins::effacer(&limites::CONNEXION_PAIRE, &paire),
        utilisateurs::source_connue(utilisateur.id, ip, maintenant),
    ];
    if inconnue {
        batch.push(freins::rendre(&limites::CONNEXION_SOURCE, ip));
        batch.push(freins::rendre(&limites::CONNEXION_COMPTE, &compte));
    }
    ports.db.batch(batch).await?;
    if empreinte.a_renforcer() {
        if let Ok(nouvelle) =
            mot_de_passe::hacher(ports.derivation, mot_de_passe_saisi, ports.random.octets()).await
        {
            utilisateurs::renforcer(ports.db, utilisateur.id, &nouvelle).await?;
        }
    }
    let appareil = match appareil_connu {
        Some(a) => Appareil {
            emis_at: maintenant,
            ..a
        },
        None => Appareil::nouveau(utilisateur.id, ports.random.octets(), maintenant),
    };
    Ok(Connexion {
        appareil: appareil.signer(secret),
        utilisateur,
    })
}

/// Queues a reset e-mail if the account exists and its address is under its cap; the
/// answer is the same in every case. Past the cap nothing is sent, and the links sent
/// in this window still work (they live at least as long as the window).
pub async fn demander_reinitialisation(
    ports: &Ports<'_>,
    ip: &str,
    vertical: &VerticalConfig,
    base_url: &str,
    email: &str,
) -> Result<(), ErreurCompte> {
    let email = email.trim();
    limiter(ports, &[(limites::REINITIALISATION_IP, ip)]).await?;
    let maintenant = ports.clock.now();
    let permis = store::limites::compter(
        ports.db,
        &limites::REINITIALISATION_ADRESSE,
        email,
        maintenant.timestamp(),
    )
    .await?;
    let Some(utilisateur) = utilisateurs::par_email(ports.db, email).await? else {
        return Ok(());
    };
    if !permis {
        return Ok(());
    }
    let (hash, lien) = lien(ports, base_url, "/compte/reinitialiser");
    let expire = maintenant + Duration::minutes(REINITIALISATION_MINUTES);
    let courriel = notifications::reinitialisation_mot_de_passe(
        ports,
        vertical,
        base_url,
        utilisateur.id,
        &utilisateur.email,
        &lien,
    );
    utilisateurs::demander_reinitialisation(
        ports.db,
        utilisateur.id,
        &hash,
        expire.timestamp(),
        maintenant.timestamp(),
        courriel,
    )
    .await?;
    Ok(())
}

/// Whether the reset link whose secret hashes to `hash` can still be used (to show the
/// form or the "expired" notice).
pub async fn lien_valide(ports: &Ports<'_>, hash: &str) -> Result<bool, ErreurCompte> {
    Ok(
        utilisateurs::reinitialisation_valide(ports.db, hash, ports.clock.now().timestamp())
            .await?
            .is_some(),
    )
}

/// Sets a new password through a reset link, once; every session is revoked. The link
/// came to the account's address: the address is proved too (guest bookings attached),
/// and the source it was used from becomes a known one, so that the owner signs in at
/// once whatever strangers are trying. Returns the device cookie's value for the
/// browser that used it (known from now on too).
pub async fn reinitialiser(
    ports: &Ports<'_>,
    ip: &str,
    jeton: &str,
    nouveau: &str,
) -> Result<String, ErreurCompte> {
    reinitialiser_par_empreinte(ports, ip, &hash_secret(jeton), nouveau).await
}

/// [`reinitialiser`] for the link whose secret hashes to `hash` (the pages know only the
/// hash, sealed in the cookie the link was exchanged for).
pub async fn reinitialiser_par_empreinte(
    ports: &Ports<'_>,
    ip: &str,
    hash: &str,
    nouveau: &str,
) -> Result<String, ErreurCompte> {
    let mot_de_passe = MotDePasse::parse(nouveau).map_err(|e| ErreurCompte::Champs(vec![e]))?;
    let maintenant = ports.clock.now().timestamp();
    let user_id = utilisateurs::reinitialisation_valide(ports.db, hash, maintenant)
        .await?
        .ok_or(ErreurCompte::LienInvalide)?;
    let empreinte = mot_de_passe::hacher(
        ports.derivation,
        mot_de_passe.as_str(),
        ports.random.octets(),
    )
    .await
    .map_err(ErreurCompte::Interne)?;
    if !utilisateurs::reinitialiser(ports.db, hash, user_id, &empreinte, maintenant).await? {
        return Err(ErreurCompte::LienInvalide);
    }
    ports
        .db
        .query(utilisateurs::source_connue(user_id, ip, maintenant))
        .await?;
    Ok(
        Appareil::nouveau(user_id, ports.random.octets(), maintenant)
            .signer(ports.cles.appareils.expose()),
    )
}

/// Changes the password of a signed-in account (the current one is asked again); every
/// session, this one included, is revoked: the caller issues a fresh token.
pub async fn changer_mot_de_passe(
    ports: &Ports<'_>,
    utilisateur: &Utilisateur,
    actuel: &str,
    nouveau: &str,
) -> Result<Utilisateur, ErreurCompte> {
    let bon = match utilisateur.empreinte() {
        Some(e) => mot_de_passe::verifier(ports.derivation, actuel, &e)
            .await
            .map_err(ErreurCompte::Interne)?,
        None => false,
    };
    let mut erreurs = Vec::new();
    if !bon {
        erreurs.push(erreur_champ(
            "actuel",
            "mot_de_passe_incorrect",
            "Le mot de passe actuel est incorrect.",
        ));
    }
    let nouveau = MotDePasse::parse(nouveau).map_err(|e| erreurs.push(e)).ok();
    let Some(nouveau) = nouveau.filter(|_| erreurs.is_empty()) else {
        return Err(ErreurCompte::Champs(erreurs));
    };
    let empreinte = mot_de_passe::hacher(ports.derivation, nouveau.as_str(), ports.random.octets())
        .await
        .map_err(ErreurCompte::Interne)?;
    utilisateurs::changer_mot_de_passe_maintenant(ports.db, utilisateur.id, &empreinte).await?;
    utilisateurs::par_id(ports.db, utilisateur.id)
        .await?
        .ok_or_else(|| ErreurCompte::Interne("compte introuvable".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_are_told_in_words() {
        assert_eq!(attente_en_mots(1), "1 seconde");
        assert_eq!(attente_en_mots(30), "30 secondes");
        assert_eq!(attente_en_mots(60), "1 minute");
        assert_eq!(attente_en_mots(61), "2 minutes");
        assert_eq!(attente_en_mots(0), "1 seconde");
    }
}
