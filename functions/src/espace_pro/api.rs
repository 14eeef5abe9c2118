//! The professional's space as JSON (`Authorization: Bearer` of a professional). Bodies
//! use the same field names as the forms, with JSON types: each is read into a strict
//! struct (unknown members refused, a wrong type or a missing required member is a 422
//! naming it), then goes through the same rules as the forms.

use serde_json::{json, Value};

use booking_shared::cas::avis as avis_cas;
use booking_shared::cas::espace_pro::{self as operations, ErreurPro};
use booking_shared::cas::membres as membres_cas;
use booking_shared::comptes::saisies_pro::JOURS;
use booking_shared::comptes::Role;
use booking_shared::json;
use booking_shared::render::format::euros_saisis;
use booking_shared::store::agenda::{self, LigneAgenda};
use booking_shared::store::espace_pro::{self, AbsencePro, ServicePro};
use booking_shared::store::professionnels::Professionnel;
use booking_shared::store::{avis as store_avis, planning, reservations, services};
use booking_shared::types::StatutAvis;
use booking_shared::types::{Identifiant, ReservationId};

use super::pages::{debut_du_jour, valeurs_profil, Acte, Liste};
use crate::api::{corps_json, date, ok, parametre_invalide};
use crate::app::Ctx;
use crate::avis::{avis_json, CorpsMotif};
use crate::comptes::{exiger_api, instant_iso, Connecte};
use crate::http::{Request, Response};
use crate::problem::Problem;

booking_shared::corps! {
    /// `POST /api/v1/pro/profil`: every member is optional; an absent one is unchanged.
    #[derive(Debug)]
    struct CorpsProfil {
        bio: Option<String>,
        ville: Option<String>,
        region: Option<String>,
        /// Five digits; null empties it.
        code_postal: Option<Option<String>> = nullable,
        photo_url: Option<Option<String>> = nullable,
        /// In cents, like every amount of the API.
        prix_min: Option<Option<i64>> = nullable,
        prix_max: Option<Option<i64>> = nullable,
        public: Option<bool>,
        /// Towards approval (see the vertical's requirements); null empties it.
        siret: Option<Option<String>> = nullable,
        barreau: Option<Option<String>> = nullable,
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsService {
        nom: String,
        description: Option<String>,
        duree_minutes: i64,
        /// In cents, like every amount of the API.
        prix_centimes: i64,
        acompte_centimes: Option<i64>,
    }
}

booking_shared::corps! {
    /// The week as a whole: an absent or null day is closed.
    #[derive(Debug)]
    struct CorpsSemaine {
        /// The member whose hours these are (the first one when absent).
        membre: Option<i64>,
        lundi: Option<String>,
        mardi: Option<String>,
        mercredi: Option<String>,
        jeudi: Option<String>,
        vendredi: Option<String>,
        samedi: Option<String>,
        dimanche: Option<String>,
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsOuverture {
        /// The member open that day (the first one when absent).
        membre: Option<i64>,
        date: String,
        heure_debut: String,
        heure_fin: String,
    }
}

#[derive(Debug, Clone, Copy)]
enum TypeAbsence {
    Jours,
    Periode,
}

/// `"jours"` or `"periode"`.
impl json::Membre for TypeAbsence {
    fn depuis(valeur: Value) -> Result<Self, json::Chemin> {
        match valeur.as_str() {
            Some("jours") => Ok(TypeAbsence::Jours),
            Some("periode") => Ok(TypeAbsence::Periode),
            _ => Err(json::Chemin::Ici),
        }
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsAbsence {
        type_absence as "type": Option<TypeAbsence>,
        du: Option<String>,
        au: Option<String>,
        debut: Option<String>,
        fin: Option<String>,
        motif: Option<String>,
        /// The member away; absent or null, the whole establishment.
        membre: Option<i64>,
    }
}

booking_shared::corps! {
    #[derive(Debug, Default)]
    struct CorpsAction {
        motif: Option<String>,
        /// For `reassigner`: the member who takes the booking.
        membre: Option<i64>,
    }
}

type Champs = Vec<(String, String)>;

fn champs(paires: Vec<(&str, String)>) -> Champs {
    paires.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// The profile's current values with the sent members laid over them.
fn champs_profil(pro: &Professionnel, c: CorpsProfil) -> Champs {
    let mut valeurs = valeurs_profil(pro);
    let mut poser = |nom: &str, v: String| {
        if let Some(place) = valeurs.iter_mut().find(|(k, _)| k == nom) {
            place.1 = v;
        }
    };
    if let Some(v) = c.bio {
        poser("bio", v);
    }
    if let Some(v) = c.ville {
        poser("ville", v);
    }
    if let Some(v) = c.region {
        poser("region", v);
    }
    if let Some(v) = c.code_postal {
        poser("code_postal", v.unwrap_or_default());
    }
    if let Some(v) = c.photo_url {
        poser("photo_url", v.unwrap_or_default());
    }
    if let Some(v) = c.prix_min {
        poser("prix_min", euros_saisis(v));
    }
    if let Some(v) = c.prix_max {
        poser("prix_max", euros_saisis(v));
    }
    if let Some(v) = c.public {
        poser("public", if v { "1".into() } else { String::new() });
    }
    if let Some(v) = c.siret {
        poser("siret", v.unwrap_or_default());
    }
    if let Some(v) = c.barreau {
        poser("barreau", v.unwrap_or_default());
    }
    valeurs
}

fn champs_service(c: CorpsService) -> Champs {
    champs(vec![
        ("nom", c.nom),
        ("description", c.description.unwrap_or_default()),
        ("duree_minutes", c.duree_minutes.to_string()),
        ("prix", euros_saisis(Some(c.prix_centimes))),
        ("acompte", euros_saisis(c.acompte_centimes)),
    ])
}

fn champs_semaine(c: CorpsSemaine) -> Champs {
    let jours = [
        c.lundi, c.mardi, c.mercredi, c.jeudi, c.vendredi, c.samedi, c.dimanche,
    ];
    let mut champs: Champs = JOURS
        .iter()
        .zip(jours)
        .map(|(j, v)| ((*j).to_owned(), v.unwrap_or_default()))
        .collect();
    champs.push(champ_membre(c.membre));
    champs
}

/// The `membre` field of a body (empty when absent).
fn champ_membre(membre: Option<i64>) -> (String, String) {
    (
        "membre".to_owned(),
        membre.map(|m| m.to_string()).unwrap_or_default(),
    )
}

fn champs_ouverture(c: CorpsOuverture) -> Champs {
    champs(vec![
        ("date", c.date),
        ("heure_debut", c.heure_debut),
        ("heure_fin", c.heure_fin),
        (
            "membre",
            c.membre.map(|m| m.to_string()).unwrap_or_default(),
        ),
    ])
}

fn champs_absence(c: CorpsAbsence) -> Champs {
    let type_absence = match c.type_absence {
        Some(TypeAbsence::Periode) => "periode",
        Some(TypeAbsence::Jours) | None => "jours",
    };
    champs(vec![
        ("type", type_absence.to_owned()),
        ("du", c.du.unwrap_or_default()),
        ("au", c.au.unwrap_or_default()),
        ("debut", c.debut.unwrap_or_default()),
        ("fin", c.fin.unwrap_or_default()),
        ("motif", c.motif.unwrap_or_default()),
        (
            "membre",
            c.membre.map(|m| m.to_string()).unwrap_or_default(),
        ),
    ])
}

fn profil_json(p: &Professionnel) -> Value {
    json!({
        "id": p.id, "vertical": p.vertical, "slug": p.slug, "nom": p.nom, "bio": p.bio,
        "ville": p.ville, "region": p.region, "code_postal": p.code_postal,
        "departement": p.departement, "photo_url": p.photo_url,
        "prix_min": p.prix_min, "prix_max": p.prix_max, "public": p.public == 1, "fuseau": p.fuseau,
        "approbation": p.approbation, "approbation_motif": p.approbation_motif,
        "siret": p.siret, "barreau": p.barreau,
    })
}

fn service_json(s: &ServicePro) -> Value {
    json!({
        "id": s.id, "nom": s.nom, "description": s.description, "duree_minutes": s.duree_minutes,
        "prix_centimes": s.prix_centimes, "acompte_centimes": s.acompte_centimes, "actif": s.actif == 1,
    })
}

fn absence_json(a: &AbsencePro, fuseau: &str) -> Value {
    json!({
        "id": a.id, "type": a.type_absence, "du": a.du, "au": a.au,
        "debut": a.debut.map(|s| instant_iso(s, fuseau)),
        "fin": a.fin.map(|s| instant_iso(s, fuseau)),
        "motif": a.motif, "membre_id": a.membre_id,
    })
}

fn ligne_json(l: &LigneAgenda, fuseau: &str) -> Value {
    let reponses: Value =
        serde_json::from_str(&l.reponses).unwrap_or_else(|_| booking_shared::objet!({}));
    json!({
        "id": l.id, "date_heure": instant_iso(l.date_heure, fuseau), "fin": instant_iso(l.fin, fuseau),
        "statut": l.statut, "service": l.service, "client_nom": l.client_nom,
        "client_email": l.client_email, "client_telephone": l.client_telephone,
        "message": l.message, "reponses": reponses, "prix_centimes": l.prix_centimes,
        "motif_annulation": l.motif_annulation,
        "membre": { "id": l.membre_id, "nom": l.membre },
    })
}

/// One member's hours and openings (`membre`, or the first member), with its time off
/// and the whole establishment's.
async fn horaires_json(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    membre: &str,
) -> Result<Value, ErreurPro> {
    let ports = ctx.ports();
    let membre = match membres_cas::choisi(&ports, pro, membre).await? {
        Some(m) => m.id,
        None => membres_cas::lister(&ports, pro)
            .await?
            .first()
            .map(|m| m.id)
            .ok_or_else(|| ErreurPro::Interne("établissement sans membre".into()))?,
    };
    let absences: Vec<Value> = espace_pro::absences(ctx.db, pro.id, Some(membre))
        .await?
        .iter()
        .map(|a| absence_json(a, &pro.fuseau))
        .collect();
    Ok(json!({
        "membre": membre,
        "disponibilites": espace_pro::disponibilites(ctx.db, pro.id, membre).await?,
        "absences": absences,
    }))
}

async fn agenda_json(ctx: &Ctx<'_>, req: &Request, pro: &Professionnel) -> Result<Value, Problem> {
    let tz = planning::fuseau(&pro.fuseau);
    let aujourdhui = ctx.clock.now().with_timezone(&tz).date_naive();
    let du = date(req, "du")?.unwrap_or(aujourdhui);
    let au = date(req, "au")?.unwrap_or(du + chrono::Duration::days(7));
    if au <= du || (au - du).num_days() > 62 {
        return Err(parametre_invalide(
            "au",
            "La période doit aller de « du » à « au » (exclu), 62 jours au plus.",
        ));
    }
    // `?membre=`: one member's bookings (another establishment's is a 404).
    let membre = req.query_param("membre").unwrap_or_default();
    let membre = membres_cas::choisi(&ctx.ports(), pro, &membre)
        .await?
        .map(|m| m.id);
    let (de, a) = (debut_du_jour(tz, du), debut_du_jour(tz, au));
    let lignes: Vec<Value> = agenda::reservations(ctx.db, pro.id, membre, de, a)
        .await?
        .iter()
        .map(|l| ligne_json(l, &pro.fuseau))
        .collect();
    Ok(
        booking_shared::objet!({ "du": du.to_string(), "au": au.to_string(), "fuseau": tz.name(), "membre": membre, "reservations": lignes }),
    )
}

/// An id of the path: a positive integer, or "not found".
fn id_entier(texte: &str) -> Result<i64, Problem> {
    Identifiant::parse(texte)
        .map(Identifiant::get)
        .ok_or_else(|| Problem::from(ErreurPro::Introuvable))
}

/// The body of an agenda action: none is needed to mark done or absent, so an empty body
/// (whatever its content type) reads as `{}`.
fn corps_action(req: &Request) -> Result<CorpsAction, Problem> {
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(CorpsAction::default());
    }
    corps_json(req)
}

/// Checks that the booking is this professional's and the action exists, before the body
/// is read: a wrong address is a 404 whatever was sent.
async fn verifier_action(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    id: &str,
    action: &str,
) -> Result<(), Problem> {
    let introuvable = || Problem::from(ErreurPro::Introuvable);
    let rid = ReservationId::parse(id).ok_or_else(introuvable)?;
    reservations::par_id(ctx.db, rid.as_str())
        .await?
        .filter(|r| r.professionnel_id.get() == pro.id)
        .ok_or_else(introuvable)?;
    if !matches!(
        action,
        "terminer" | "absent" | "annuler" | "refuser" | "reassigner"
    ) {
        return Err(Problem::from(ErreurPro::ActionInconnue));
    }
    Ok(())
}

fn pb(e: ErreurPro) -> Problem {
    Problem::from(e)
}

/// The guard of every route here: a professional's Bearer token, and their profile.
pub(super) async fn entrer(
    ctx: &Ctx<'_>,
    req: &Request,
) -> Result<(Connecte, Professionnel), Problem> {
    let connecte = exiger_api(ctx, req, &[Role::Pro]).await?;
    let pro = operations::profil(&ctx.ports(), connecte.id())
        .await
        .map_err(pb)?;
    Ok((connecte, pro))
}

/// `GET /api/v1/pro/profil`.
pub async fn profil(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    Ok(ok(200, &profil_json(&pro)))
}

/// `POST /api/v1/pro/profil`.
pub async fn modifier_profil(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (connecte, pro) = entrer(ctx, req).await?;
    let corps: CorpsProfil = corps_json(req)?;
    let champs = champs_profil(&pro, corps);
    operations::modifier_profil(&ctx.ports(), &pro, &champs)
        .await
        .map_err(pb)?;
    let p = operations::profil(&ctx.ports(), connecte.id())
        .await
        .map_err(pb)?;
    Ok(ok(200, &profil_json(&p)))
}

/// `GET /api/v1/pro/services`.
pub async fn services(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    let services: Vec<Value> = espace_pro::services(ctx.db, pro.id)
        .await?
        .iter()
        .map(service_json)
        .collect();
    Ok(ok(200, &booking_shared::objet!({ "services": services })))
}

/// `POST /api/v1/pro/services`.
pub async fn ajouter_service(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    let corps: CorpsService = corps_json(req)?;
    let id = operations::ajouter_service(&ctx.ports(), &pro, &champs_service(corps))
        .await
        .map_err(pb)?;
    Ok(ok(201, &booking_shared::objet!({ "id": id })))
}

/// `POST /api/v1/pro/services/{id}`: the service must be this professional's before the
/// body is read.
pub async fn modifier_service(ctx: &Ctx<'_>, req: &Request, id: &str) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    let sid = id_entier(id)?;
    services::du_professionnel(ctx.db, pro.id, sid, false)
        .await?
        .ok_or_else(|| Problem::from(ErreurPro::Introuvable))?;
    let corps: CorpsService = corps_json(req)?;
    operations::modifier_service(&ctx.ports(), &pro, id, &champs_service(corps))
        .await
        .map_err(pb)?;
    Ok(ok(200, &booking_shared::objet!({ "id": sid })))
}

/// `POST /api/v1/pro/services/{id}/retirer`.
pub async fn retirer_service(ctx: &Ctx<'_>, req: &Request, id: &str) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    let sid = id_entier(id)?;
    operations::retirer_service(&ctx.ports(), &pro, id)
        .await
        .map_err(pb)?;
    Ok(ok(
        200,
        &booking_shared::objet!({ "id": sid, "actif": false }),
    ))
}

/// `GET /api/v1/pro/horaires`.
pub async fn horaires(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    let membre = req.query_param("membre").unwrap_or_default();
    Ok(ok(
        200,
        &horaires_json(ctx, &pro, &membre).await.map_err(pb)?,
    ))
}

/// `POST /api/v1/pro/horaires`: the whole week of one member at once.
pub async fn modifier_semaine(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    let corps: CorpsSemaine = corps_json(req)?;
    let champs = champs_semaine(corps);
    operations::remplacer_semaine(&ctx.ports(), &pro, &champs)
        .await
        .map_err(pb)?;
    let membre = champs.last().map(|(_, v)| v.as_str()).unwrap_or_default();
    Ok(ok(
        200,
        &horaires_json(ctx, &pro, membre).await.map_err(pb)?,
    ))
}

/// `POST /api/v1/pro/ouvertures`.
pub async fn ajouter_ouverture(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    let corps: CorpsOuverture = corps_json(req)?;
    let id = operations::ajouter_ouverture(&ctx.ports(), &pro, &champs_ouverture(corps))
        .await
        .map_err(pb)?;
    Ok(ok(201, &booking_shared::objet!({ "id": id })))
}

/// `POST /api/v1/pro/ouvertures/{id}/supprimer`.
pub async fn supprimer_ouverture(
    ctx: &Ctx<'_>,
    req: &Request,
    id: &str,
) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    operations::supprimer_ouverture(&ctx.ports(), &pro, id)
        .await
        .map_err(pb)?;
    Ok(ok(200, &booking_shared::objet!({ "supprime": true })))
}

/// `POST /api/v1/pro/absences`.
pub async fn ajouter_absence(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    let corps: CorpsAbsence = corps_json(req)?;
    let id = operations::ajouter_absence(&ctx.ports(), &pro, &champs_absence(corps))
        .await
        .map_err(pb)?;
    Ok(ok(201, &booking_shared::objet!({ "id": id })))
}

/// `POST /api/v1/pro/absences/{id}/supprimer`.
pub async fn supprimer_absence(
    ctx: &Ctx<'_>,
    req: &Request,
    id: &str,
) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    operations::supprimer_absence(&ctx.ports(), &pro, id)
        .await
        .map_err(pb)?;
    Ok(ok(200, &booking_shared::objet!({ "supprime": true })))
}

/// `GET /api/v1/pro/agenda?du=&au=`.
pub async fn agenda(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    Ok(ok(200, &agenda_json(ctx, req, &pro).await?))
}

/// `POST /api/v1/pro/{reservations,agendas,membres}/{id}/{action}`: the guard, then the
/// action on one of the professional's own rows, answered as it now stands. A booking and
/// the action are checked before the body is read.
pub async fn agir(ctx: &Ctx<'_>, req: &Request, acte: Acte<'_>) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    let Acte { liste, id, action } = acte;
    match liste {
        Liste::Reservations => {}
        Liste::Agendas => {
            return Ok(
                match super::agendas::agir_sur(ctx, &pro, id, action).await? {
                    Some(agenda) => ok(200, &super::agendas::agenda_json(&agenda, &pro.fuseau)),
                    None => ok(200, &booking_shared::objet!({ "supprime": true })),
                },
            )
        }
        Liste::Membres => return super::membres::api_agir(ctx, req, &pro, id, action).await,
    }
    verifier_action(ctx, &pro, id, action).await?;
    let corps = corps_action(req)?;
    if action == "reassigner" {
        let membre = corps.membre.map(|m| m.to_string()).unwrap_or_default();
        let r = membres_cas::reassigner(
            &ctx.ports(),
            &ctx.toutes_verticals().await,
            &pro,
            id,
            &membre,
        )
        .await
        .map_err(pb)?;
        return Ok(ok(
            200,
            &json!({ "id": r.id, "statut": r.statut, "motif_annulation": r.motif_annulation, "remboursement": null, "membre_id": r.membre_id }),
        ));
    }
    let motif = corps.motif.unwrap_or_default();
    let f = operations::agir(
        &ctx.ports(),
        &ctx.toutes_verticals().await,
        &pro,
        id,
        action,
        &motif,
    )
    .await
    .map_err(pb)?;
    let r = &f.dossier.reservation;
    Ok(ok(
        200,
        &json!({ "id": r.id, "statut": r.statut, "motif_annulation": r.motif_annulation, "remboursement": f.remboursement }),
    ))
}

/// `POST /api/v1/pro/calendrier`: a new secret address for the calendar feed (the old
/// one stops working).
pub async fn nouveau_calendrier(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    let secret = crate::comptes::nouveau_secret(ctx);
    espace_pro::definir_calendrier(ctx.db, pro.id, Some(&crate::comptes::hash_secret(&secret)))
        .await?;
    let site = req.origin();
    Ok(ok(
        201,
        &booking_shared::objet!({ "url": format!("{site}/ical/{secret}.ics") }),
    ))
}

/// `POST /api/v1/pro/calendrier/revoquer`.
pub async fn revoquer_calendrier(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    espace_pro::definir_calendrier(ctx.db, pro.id, None).await?;
    Ok(ok(200, &booking_shared::objet!({ "actif": false })))
}

/// `GET /api/v1/pro/avis`: the professional's reviews, newest first.
pub async fn avis(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    let liste = store_avis::du_professionnel(ctx.db, pro.id).await?;
    let avis: Vec<Value> = liste.iter().map(|a| avis_json(a, &pro.fuseau)).collect();
    Ok(ok(200, &booking_shared::objet!({ "avis": avis })))
}

/// `POST /api/v1/pro/avis/{id}/signaler`: reports one of the professional's own reviews,
/// with a reason (`{"motif": "…"}`), for the admin to decide on.
pub async fn signaler_avis(ctx: &Ctx<'_>, req: &Request, id: &str) -> Result<Response, Problem> {
    let (_, pro) = entrer(ctx, req).await?;
    // Another professional's review is a 404 whatever the body.
    avis_cas::du_professionnel(&ctx.ports(), pro.id, id).await?;
    let corps: CorpsMotif = corps_json(req)?;
    avis_cas::signaler(&ctx.ports(), pro.id, id, &corps.motif).await?;
    Ok(ok(
        200,
        &booking_shared::objet!({ "id": Identifiant::parse(id).map_or(0, Identifiant::get), "statut": StatutAvis::Signale.as_str() }),
    ))
}
