//! The establishment's members (issue 15), as a page (CSRF on every form) and as API:
//! list, add, rename and place, deactivate and reactivate; and, as API, who performs a
//! service. The rules are `cas::membres`'.

use askama::Template;
use serde_json::{json, Value};

use booking_shared::cas::espace_pro::ErreurPro;
use booking_shared::cas::membres as cas;
use booking_shared::comptes::vues::{Formulaire, MembreVue, MembresPage};
use booking_shared::store::membres::{self, MembrePro, MEMBRES_MAX};
use booking_shared::store::professionnels::Professionnel;
use booking_shared::types::Identifiant;

use super::pages::{entete, erreur_page, fait_vers, recevoir, sortie, Contexte, Reprise};
use crate::api::{corps_json, ok};
use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::problem::Problem;

/// « personne » or « ressource », as the page says it.
fn genre(m: &MembrePro) -> &'static str {
    if m.genre == "ressource" {
        "ressource"
    } else {
        "personne"
    }
}

/// What the page shows again after a refused form.
#[derive(Default)]
pub(super) struct Etat {
    pub(super) nouveau: Option<Formulaire>,
    pub(super) modifie: Option<(i64, Formulaire)>,
    pub(super) message: Option<String>,
}

pub(super) async fn page(c: &Contexte<'_>, etat: Etat, status: u16) -> Response {
    let liste = match cas::lister(&c.ctx.ports(), &c.pro).await {
        Ok(l) => l,
        Err(e) => return erreur_page(Some(&c.site), e).await,
    };
    let jeton = &c.csrf.jeton;
    let membres = liste
        .iter()
        .map(|m| MembreVue {
            id: m.id,
            genre: genre(m).to_owned(),
            actif: m.actif == 1,
            a_venir: m.a_venir,
            form: match &etat.modifie {
                Some((id, f)) if *id == m.id => f.clone(),
                _ => Formulaire::avec(
                    jeton,
                    vec![
                        ("nom".into(), m.nom.clone()),
                        ("position".into(), m.position.to_string()),
                    ],
                ),
            },
        })
        .collect();
    let page = MembresPage {
        site: &c.site,
        pro: entete(c, "membres"),
        membres,
        nouveau: etat.nouveau.unwrap_or_else(|| Formulaire::vide(jeton)),
        message: etat.message,
        maximum: MEMBRES_MAX,
    };
    sortie(c, page.render(), status)
}

/// Where a form of the page goes back to once done.
pub(super) const RETOUR: &str = "/pro/membres?ok=1";

/// `POST /pro/membres`.
pub async fn ajouter(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let fait = fait_vers(
        cas::ajouter(&ctx.ports(), &e.c.pro, &e.champs).await,
        RETOUR,
    );
    Ok(e.conclure(fait, Reprise::Membre(None)).await)
}

/// Renames and places (`modifier`), `desactiver` or `reactiver` one of the
/// establishment's members.
pub(super) async fn agir_sur(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    id: &str,
    action: &str,
    champs: &[(String, String)],
) -> Result<(), ErreurPro> {
    let ports = ctx.ports();
    match action {
        "modifier" => cas::modifier(&ports, pro, id, champs).await,
        "desactiver" => cas::activer(&ports, pro, id, false).await,
        "reactiver" => cas::activer(&ports, pro, id, true).await,
        _ => Err(ErreurPro::ActionInconnue),
    }
}

fn membre_json(m: &MembrePro) -> Value {
    json!({
        "id": m.id, "nom": m.nom, "genre": m.genre, "actif": m.actif == 1,
        "position": m.position, "a_venir": m.a_venir,
    })
}

async fn liste_json(ctx: &Ctx<'_>, pro: &Professionnel) -> Result<Value, Problem> {
    let liste = cas::lister(&ctx.ports(), pro).await?;
    let membres: Vec<Value> = liste.iter().map(membre_json).collect();
    Ok(booking_shared::objet!({ "membres": membres, "maximum": MEMBRES_MAX }))
}

/// `GET /api/v1/pro/membres`.
pub async fn api_membres(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = super::api::entrer(ctx, req).await?;
    Ok(ok(200, &liste_json(ctx, &pro).await?))
}

booking_shared::corps! {
    #[derive(Debug, Default)]
    struct CorpsMembre {
        nom: Option<String>,
        genre: Option<String>,
        position: Option<i64>,
    }
}

fn champs_membre(c: CorpsMembre) -> Vec<(String, String)> {
    let mut champs = vec![("nom".to_owned(), c.nom.unwrap_or_default())];
    if let Some(g) = c.genre {
        champs.push(("genre".to_owned(), g));
    }
    if let Some(p) = c.position {
        champs.push(("position".to_owned(), p.to_string()));
    }
    champs
}

/// `POST /api/v1/pro/membres` (`{"nom": "Pont 2", "genre": "ressource"}`).
pub async fn api_ajouter(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = super::api::entrer(ctx, req).await?;
    let corps: CorpsMembre = corps_json(req)?;
    let id = cas::ajouter(&ctx.ports(), &pro, &champs_membre(corps)).await?;
    let m = membres::du_professionnel(ctx.db, pro.id, id, ctx.clock.now())
        .await?
        .ok_or_else(|| Problem::from(ErreurPro::Introuvable))?;
    Ok(ok(201, &membre_json(&m)))
}

/// The action of `POST /api/v1/pro/membres/{id}/{action}`: the member must be the establishment's
/// before the body is read; `modifier` takes `{"nom": …, "position": …}`, the others no
/// body.
pub(super) async fn api_agir(
    ctx: &Ctx<'_>,
    req: &Request,
    pro: &Professionnel,
    id: &str,
    action: &str,
) -> Result<Response, Problem> {
    let ports = ctx.ports();
    let m = cas::membre_choisi(&ports, pro, id).await?;
    let champs = if action == "modifier" {
        let corps: CorpsMembre = corps_json(req)?;
        if corps.genre.is_some() {
            return Err(Problem::new(
                422,
                "champs_invalides",
                "Le genre d'un membre ne change pas : ajoutez-en un autre.",
            ));
        }
        let mut champs = champs_membre(corps);
        if !champs.iter().any(|(k, _)| k == "position") {
            champs.push(("position".to_owned(), m.position.to_string()));
        }
        champs
    } else {
        Vec::new()
    };
    agir_sur(ctx, pro, id, action, &champs).await?;
    let m = membres::du_professionnel(ctx.db, pro.id, m.id, ctx.clock.now())
        .await?
        .ok_or_else(|| Problem::from(ErreurPro::Introuvable))?;
    Ok(ok(200, &membre_json(&m)))
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsEquipe {
        /// The members able to perform it: at least one active person.
        membres: Vec<i64>,
        /// Seats per session, 1 (one-to-one, the default) to 50.
        places: Option<i64>,
    }
}

/// `POST /api/v1/pro/services/{id}/membres` (`{"membres": [1, 2], "places": 8}`): who
/// performs the service, and its seats. The service must be the establishment's before
/// the body is read.
pub async fn api_equipe_service(
    ctx: &Ctx<'_>,
    req: &Request,
    id: &str,
) -> Result<Response, Problem> {
    let (_, pro) = super::api::entrer(ctx, req).await?;
    let sid = Identifiant::parse(id)
        .map(Identifiant::get)
        .ok_or_else(|| Problem::from(ErreurPro::Introuvable))?;
    booking_shared::store::services::du_professionnel(ctx.db, pro.id, sid, false)
        .await?
        .ok_or_else(|| Problem::from(ErreurPro::Introuvable))?;
    let corps: CorpsEquipe = corps_json(req)?;
    let mut champs: Vec<(String, String)> = corps
        .membres
        .iter()
        .map(|m| ("membres".to_owned(), m.to_string()))
        .collect();
    champs.push((
        "places".to_owned(),
        corps.places.map(|p| p.to_string()).unwrap_or_default(),
    ));
    cas::definir_service(&ctx.ports(), &pro, id, &champs).await?;
    let mut membres: Vec<i64> = membres::eligibles(ctx.db, pro.id)
        .await?
        .iter()
        .filter(|e| e.service_id == sid)
        .map(|e| e.membre_id)
        .collect();
    booking_shared::tri::trier(&mut membres);
    Ok(ok(
        200,
        &booking_shared::objet!({ "id": sid, "membres": membres, "places": corps.places.unwrap_or(1) }),
    ))
}
