//! Account operations shared by the pages and the API: sign-up, sign-in, password reset
//! and change. Sign-in and reset answer the same whether the account exists or not, and
//! are rate-limited per IP and per account; sign-up per IP (counters in D1).

use chrono::Duration;
use serde_json::json;

use booking_shared::comptes::limites::{self, Regle};
use booking_shared::comptes::mot_de_passe;
use booking_shared::comptes::saisies::slug_de;
use booking_shared::comptes::{erreur_champ, InscriptionBrute, MotDePasse};
use booking_shared::store::utilisateurs::{self, ErreurInscription, NouveauCompte, Utilisateur};
use booking_shared::store::{self, DbError, Statement};
use booking_shared::types::JetonGestion;
use booking_shared::vertical::{ErreurChamp, VerticalConfig};

use super::derivation::plateforme;
use crate::app::Ctx;
use crate::problem::Problem;

/// How long a reset link works.
pub const REINITIALISATION_MINUTES: i64 = 60;

#[derive(Debug)]
pub enum ErreurCompte {
    Champs(Vec<ErreurChamp>),
    EmailPris,
    /// Wrong e-mail or password, or an account without a password: one answer for all.
    Identifiants,
    TropDeTentatives(i64),
    LienInvalide,
    Interne(String),
}

impl From<DbError> for ErreurCompte {
    fn from(e: DbError) -> Self {
        ErreurCompte::Interne(e.to_string())
    }
}

pub const MESSAGE_IDENTIFIANTS: &str = "Adresse e-mail ou mot de passe incorrect.";
pub const MESSAGE_TROP: &str = "Trop de tentatives. Patientez quelques minutes avant de réessayer.";
pub const MESSAGE_LIEN: &str = "Ce lien n'est plus valable : il a déjà servi ou il a expiré.";

impl ErreurCompte {
    pub fn problem(&self) -> Problem {
        match self {
            ErreurCompte::Champs(e) => {
                Problem::new(422, "champs_invalides", "Certains champs sont à corriger.")
                    .with_errors(e.clone())
            }
            ErreurCompte::EmailPris => Problem::new(
                409,
                "email_deja_utilise",
                "Un compte existe déjà avec cette adresse e-mail. Connectez-vous ou réinitialisez votre mot de passe.",
            )
            .on_field("email"),
            ErreurCompte::Identifiants => {
                Problem::new(401, "identifiants_invalides", MESSAGE_IDENTIFIANTS)
            }
            ErreurCompte::TropDeTentatives(_) => {
                Problem::new(429, "trop_de_tentatives", MESSAGE_TROP)
            }
            ErreurCompte::LienInvalide => Problem::new(400, "lien_invalide", MESSAGE_LIEN),
            ErreurCompte::Interne(d) => Problem::internal(d),
        }
    }
}

async fn limiter(ctx: &Ctx<'_>, regles: &[(Regle, &str)]) -> Result<(), ErreurCompte> {
    let maintenant = ctx.clock.now().timestamp();
    match store::limites::compter_toutes(ctx.db, regles, maintenant).await? {
        Some(apres) => Err(ErreurCompte::TropDeTentatives(apres)),
        None => Ok(()),
    }
}

/// Creates the account (a professional gets an unpublished profile in the site's
/// vertical) and attaches the guest bookings made with the same e-mail. Every attempt
/// counts towards the IP's sign-up limit.
pub async fn inscrire(
    ctx: &Ctx<'_>,
    ip: &str,
    vertical: &VerticalConfig,
    brute: &InscriptionBrute,
) -> Result<Utilisateur, ErreurCompte> {
    limiter(ctx, &[(limites::INSCRIPTION_IP, ip)]).await?;
    let inscription = brute
        .valider(vertical.slug())
        .map_err(ErreurCompte::Champs)?;
    if utilisateurs::par_email(ctx.db, inscription.email.as_str())
        .await?
        .is_some()
    {
        return Err(ErreurCompte::EmailPris);
    }
    let empreinte = mot_de_passe::hacher(
        plateforme(),
        inscription.mot_de_passe.as_str(),
        ctx.random.octets(),
    )
    .await
    .map_err(ErreurCompte::Interne)?;
    let base = slug_de(inscription.nom.as_str());
    let mut tentative = 0;
    loop {
        let slug = if tentative == 0 {
            base.clone()
        } else {
            format!("{base}-{}", &hex::encode(ctx.random.octets())[..6])
        };
        let compte = NouveauCompte {
            email: inscription.email.as_str(),
            role: inscription.role,
            nom: inscription.nom.as_str(),
            telephone: inscription.telephone.as_ref().map(|t| t.as_str()),
            empreinte: &empreinte,
            professionnel: inscription.pro.as_ref().map(|(v, ville, region)| {
                (v.as_str(), slug.as_str(), ville.as_str(), region.as_str())
            }),
            maintenant: ctx.clock.now().timestamp(),
        };
        match utilisateurs::creer(ctx.db, &compte).await {
            Ok(id) => {
                return utilisateurs::par_id(ctx.db, id)
                    .await?
                    .ok_or_else(|| ErreurCompte::Interne("compte créé introuvable".into()))
            }
            Err(ErreurInscription::EmailPris) => return Err(ErreurCompte::EmailPris),
            Err(ErreurInscription::SlugPris) if tentative < 3 => tentative += 1,
            Err(e) => return Err(ErreurCompte::Interne(e.to_string())),
        }
    }
}

/// Checks e-mail and password; the same refusal whatever was wrong.
pub async fn connecter(
    ctx: &Ctx<'_>,
    ip: &str,
    email: &str,
    mot_de_passe_saisi: &str,
) -> Result<Utilisateur, ErreurCompte> {
    let email = email.trim();
    limiter(
        ctx,
        &[
            (limites::CONNEXION_IP, ip),
            (limites::CONNEXION_COMPTE, email),
        ],
    )
    .await?;
    if email.is_empty() || mot_de_passe_saisi.is_empty() || mot_de_passe_saisi.len() > 1024 {
        return Err(ErreurCompte::Identifiants);
    }
    let utilisateur = utilisateurs::par_email(ctx.db, email).await?;
    let Some((utilisateur, empreinte)) = utilisateur.and_then(|u| u.empreinte().map(|e| (u, e)))
    else {
        mot_de_passe::leurre(plateforme(), mot_de_passe_saisi).await;
        return Err(ErreurCompte::Identifiants);
    };
    let bon = mot_de_passe::verifier(plateforme(), mot_de_passe_saisi, &empreinte)
        .await
        .map_err(ErreurCompte::Interne)?;
    if !bon {
        return Err(ErreurCompte::Identifiants);
    }
    store::limites::effacer(ctx.db, &limites::CONNEXION_COMPTE, email).await?;
    if empreinte.a_renforcer() {
        if let Ok(nouvelle) =
            mot_de_passe::hacher(plateforme(), mot_de_passe_saisi, ctx.random.octets()).await
        {
            utilisateurs::renforcer(ctx.db, utilisateur.id, &nouvelle).await?;
        }
    }
    Ok(utilisateur)
}

/// Queues a reset e-mail if the account exists; the answer is the same either way.
pub async fn demander_reinitialisation(
    ctx: &Ctx<'_>,
    ip: &str,
    base_url: &str,
    email: &str,
) -> Result<(), ErreurCompte> {
    let email = email.trim();
    limiter(
        ctx,
        &[
            (limites::REINITIALISATION_IP, ip),
            (limites::REINITIALISATION_COMPTE, email),
        ],
    )
    .await?;
    let Some(utilisateur) = utilisateurs::par_email(ctx.db, email).await? else {
        return Ok(());
    };
    let maintenant = ctx.clock.now();
    let jeton = JetonGestion::from_random(ctx.random.octets());
    let hash = jeton.hash();
    let lien = format!("{base_url}/compte/reinitialiser?jeton={}", jeton.as_str());
    let expire = maintenant + Duration::minutes(REINITIALISATION_MINUTES);
    let courriel = Statement::new(
        "INSERT INTO outbox (cle, kind, user_id, destinataire, donnees, envoyer_a, created_at) \
         VALUES (?1, 'reinitialisation_mot_de_passe', ?2, ?3, ?4, ?5, ?5)",
    )
    .bind(format!("reinitialisation:{}", &hash[..32]))
    .bind(utilisateur.id)
    .bind(utilisateur.email.as_str())
    .bind(
        json!({
            "lien": lien,
            "base_url": base_url,
            "nom": utilisateur.nom,
            "expire_minutes": REINITIALISATION_MINUTES,
        })
        .to_string(),
    )
    .bind(maintenant.timestamp());
    utilisateurs::demander_reinitialisation(
        ctx.db,
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
pub async fn lien_valide(ctx: &Ctx<'_>, hash: &str) -> Result<bool, ErreurCompte> {
    Ok(
        utilisateurs::reinitialisation_valide(ctx.db, hash, ctx.clock.now().timestamp())
            .await?
            .is_some(),
    )
}

/// Sets a new password through a reset link, once; every session is revoked.
pub async fn reinitialiser(ctx: &Ctx<'_>, jeton: &str, nouveau: &str) -> Result<(), ErreurCompte> {
    reinitialiser_par_empreinte(ctx, &super::hash_secret(jeton), nouveau).await
}

/// [`reinitialiser`] for the link whose secret hashes to `hash` (the pages know only the
/// hash, sealed in the cookie the link was exchanged for).
pub async fn reinitialiser_par_empreinte(
    ctx: &Ctx<'_>,
    hash: &str,
    nouveau: &str,
) -> Result<(), ErreurCompte> {
    let mot_de_passe = MotDePasse::parse(nouveau).map_err(|e| ErreurCompte::Champs(vec![e]))?;
    let maintenant = ctx.clock.now().timestamp();
    let user_id = utilisateurs::reinitialisation_valide(ctx.db, hash, maintenant)
        .await?
        .ok_or(ErreurCompte::LienInvalide)?;
    let empreinte = mot_de_passe::hacher(plateforme(), mot_de_passe.as_str(), ctx.random.octets())
        .await
        .map_err(ErreurCompte::Interne)?;
    if utilisateurs::reinitialiser(ctx.db, hash, user_id, &empreinte, maintenant).await? {
        Ok(())
    } else {
        Err(ErreurCompte::LienInvalide)
    }
}

/// Changes the password of a signed-in account (the current one is asked again); every
/// session, this one included, is revoked: the caller issues a fresh token.
pub async fn changer_mot_de_passe(
    ctx: &Ctx<'_>,
    utilisateur: &Utilisateur,
    actuel: &str,
    nouveau: &str,
) -> Result<Utilisateur, ErreurCompte> {
    let bon = match utilisateur.empreinte() {
        Some(e) => mot_de_passe::verifier(plateforme(), actuel, &e)
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
    let empreinte = mot_de_passe::hacher(plateforme(), nouveau.as_str(), ctx.random.octets())
        .await
        .map_err(ErreurCompte::Interne)?;
    utilisateurs::changer_mot_de_passe_maintenant(ctx.db, utilisateur.id, &empreinte).await?;
    utilisateurs::par_id(ctx.db, utilisateur.id)
        .await?
        .ok_or_else(|| ErreurCompte::Interne("compte introuvable".into()))
}
