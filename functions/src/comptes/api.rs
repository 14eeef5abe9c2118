//! The accounts API: sign-up and sign-in return a Bearer token; the rest needs one.

use serde_json::json;

use booking_shared::cas::comptes::{self as operations, ErreurCompte};
use booking_shared::comptes::session::DUREE_SECONDES;
use booking_shared::comptes::{InscriptionBrute, Role};
use booking_shared::store::utilisateurs::{self, ReservationDuCompte, Utilisateur};

use super::instant_iso;
use super::session::{self, exiger_api};
use crate::api::{corps_json, ok, vertical};
use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::problem::Problem;

const TOUS: &[Role] = &[Role::Client, Role::Pro, Role::Admin];

fn erreur(e: ErreurCompte) -> Response {
    let apres = e.reessayer_dans();
    let r = Problem::from(e)
        .into_response()
        .with_header("cache-control", "no-store");
    match apres {
        Some(s) => r.with_header("retry-after", s.to_string()),
        None => r,
    }
}

fn compte_json(u: &Utilisateur) -> serde_json::Value {
    json!({
        "id": u.id,
        "email": u.email,
        "nom": u.nom,
        "telephone": u.telephone,
        "role": u.role,
        "type_professionnel": u.type_professionnel,
        "email_verifie": u.email_verifie(),
    })
}

fn reservation_json(r: &ReservationDuCompte) -> serde_json::Value {
    json!({
        "id": r.id,
        "date_heure": instant_iso(r.date_heure, &r.fuseau),
        "fin": instant_iso(r.fin, &r.fuseau),
        "statut": r.statut,
        "professionnel": r.professionnel,
        "professionnel_slug": r.professionnel_slug,
        "vertical": r.vertical,
        "fuseau": r.fuseau,
        "service": r.service,
        "prix_centimes": r.prix_centimes,
    })
}

fn avec_jeton(ctx: &Ctx<'_>, status: u16, u: &Utilisateur) -> Response {
    match session::emettre(ctx, u) {
        Ok(jeton) => ok(
            status,
            &booking_shared::objet!({ "token": jeton, "expires_in": DUREE_SECONDES, "compte": compte_json(u) }),
        ),
        Err(e) => Problem::internal(e).into_response(),
    }
}

pub async fn inscrire(ctx: &Ctx<'_>, req: &Request) -> Response {
    let vertical = match vertical(ctx, req).await {
        Ok(v) => v,
        Err(p) => return p.into_response(),
    };
    let brute: InscriptionBrute = match corps_json(req) {
        Ok(b) => b,
        Err(p) => return p.into_response(),
    };
    // The same answer whether the address was new or not: no token (sign in next).
    match super::inscrire(ctx, req, &vertical, &brute).await {
        Ok(()) => ok(
            202,
            &booking_shared::objet!({ "message": operations::MESSAGE_INSCRIPTION }),
        )
        .with_header("cache-control", "no-store"),
        Err(e) => erreur(e),
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsConnexion {
        email: String,
        mot_de_passe: String,
    }
}

pub async fn connecter(ctx: &Ctx<'_>, req: &Request) -> Response {
    let corps: CorpsConnexion = match corps_json(req) {
        Ok(c) => c,
        Err(p) => return p.into_response(),
    };
    let appareil = session::appareil(req);
    match operations::connecter(
        &ctx.ports(),
        &session::ip(req),
        appareil.as_deref(),
        &corps.email,
        &corps.mot_de_passe,
    )
    .await
    {
        Ok(c) => avec_jeton(ctx, 200, &c.utilisateur)
            .with_cookie(session::cookie_appareil(req, &c.appareil)),
        Err(e) => erreur(e),
    }
}

pub async fn deconnecter(ctx: &Ctx<'_>, req: &Request) -> Response {
    let connecte = match exiger_api(ctx, req, TOUS).await {
        Ok(c) => c,
        Err(r) => return r.reponse_api(),
    };
    match utilisateurs::revoquer_sessions(ctx.db, connecte.id()).await {
        Ok(()) => Response::new(204, "text/plain", "").with_header("cache-control", "no-store"),
        Err(e) => Problem::internal(e).into_response(),
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsOubli {
        email: String,
    }
}

pub async fn demander_reinitialisation(ctx: &Ctx<'_>, req: &Request) -> Response {
    let vertical = match vertical(ctx, req).await {
        Ok(v) => v,
        Err(p) => return p.into_response(),
    };
    let corps: CorpsOubli = match corps_json(req) {
        Ok(c) => c,
        Err(p) => return p.into_response(),
    };
    if booking_shared::types::Email::parse(&corps.email).is_err() {
        return Problem::new(
            422,
            "email_invalide",
            "L'adresse e-mail n'est pas valide (exemple : prenom.nom@exemple.fr).",
        )
        .on_field("email")
        .into_response();
    }
    let site = crate::pages::site_for(&vertical, req);
    match operations::demander_reinitialisation(
        &ctx.ports(),
        &session::ip(req),
        &vertical,
        &site.base_url,
        &corps.email,
    )
    .await
    {
        Ok(()) => ok(
            202,
            &booking_shared::objet!({ "message": "Si un compte existe pour cette adresse, un e-mail vient de lui être envoyé avec un lien valable une heure." }),
        ),
        Err(e) => erreur(e),
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsReinitialisation {
        jeton: String,
        mot_de_passe: String,
    }
}

pub async fn reinitialiser(ctx: &Ctx<'_>, req: &Request) -> Response {
    let corps: CorpsReinitialisation = match corps_json(req) {
        Ok(c) => c,
        Err(p) => return p.into_response(),
    };
    match operations::reinitialiser(
        &ctx.ports(),
        &session::ip(req),
        &corps.jeton,
        &corps.mot_de_passe,
    )
    .await
    {
        Ok(_) => Response::new(204, "text/plain", "").with_header("cache-control", "no-store"),
        Err(e) => erreur(e),
    }
}

pub async fn moi(ctx: &Ctx<'_>, req: &Request) -> Response {
    match exiger_api(ctx, req, TOUS).await {
        Ok(c) => ok(200, &compte_json(&c.utilisateur)),
        Err(r) => r.reponse_api(),
    }
}

pub async fn mes_reservations(ctx: &Ctx<'_>, req: &Request) -> Response {
    let connecte = match exiger_api(ctx, req, TOUS).await {
        Ok(c) => c,
        Err(r) => return r.reponse_api(),
    };
    match utilisateurs::reservations_du_compte(ctx.db, connecte.id()).await {
        Ok(rs) => {
            let liste: Vec<_> = rs.iter().map(reservation_json).collect();
            ok(200, &booking_shared::objet!({ "reservations": liste }))
        }
        Err(e) => Problem::internal(e).into_response(),
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsChangement {
        actuel: String,
        mot_de_passe: String,
    }
}

pub async fn changer_mot_de_passe(ctx: &Ctx<'_>, req: &Request) -> Response {
    let connecte = match exiger_api(ctx, req, TOUS).await {
        Ok(c) => c,
        Err(r) => return r.reponse_api(),
    };
    let corps: CorpsChangement = match corps_json(req) {
        Ok(c) => c,
        Err(p) => return p.into_response(),
    };
    match operations::changer_mot_de_passe(
        &ctx.ports(),
        &connecte.utilisateur,
        &corps.actuel,
        &corps.mot_de_passe,
    )
    .await
    {
        Ok(u) => avec_jeton(ctx, 200, &u),
        Err(e) => erreur(e),
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsVerification {
        jeton: String,
    }
}

/// Proves the account's address with the secret of the link e-mailed to it (the link
/// must be this account's own): the guest bookings made with the address are attached.
pub async fn verifier(ctx: &Ctx<'_>, req: &Request) -> Response {
    let connecte = match exiger_api(ctx, req, TOUS).await {
        Ok(c) => c,
        Err(r) => return r.reponse_api(),
    };
    let corps: CorpsVerification = match corps_json(req) {
        Ok(c) => c,
        Err(p) => return p.into_response(),
    };
    match operations::verifier_email(&ctx.ports(), &connecte.utilisateur, &corps.jeton).await {
        Ok(u) => ok(200, &compte_json(&u)).with_header("cache-control", "no-store"),
        Err(e) => erreur(e),
    }
}

/// Sends a new address-check link (rate-limited).
pub async fn renvoyer_verification(ctx: &Ctx<'_>, req: &Request) -> Response {
    let connecte = match exiger_api(ctx, req, TOUS).await {
        Ok(c) => c,
        Err(r) => return r.reponse_api(),
    };
    let vertical = match vertical(ctx, req).await {
        Ok(v) => v,
        Err(p) => return p.into_response(),
    };
    match super::renvoyer_verification(ctx, req, &vertical, &connecte).await {
        Ok(operations::Renvoi::Envoye) => ok(
            202,
            &booking_shared::objet!({ "message": "Un nouveau lien de confirmation vient d'être envoyé à l'adresse du compte." }),
        ),
        Ok(operations::Renvoi::DejaVerifiee) => ok(
            200,
            &booking_shared::objet!({ "message": "L'adresse de ce compte est déjà confirmée." }),
        ),
        Err(e) => erreur(e),
    }
}
