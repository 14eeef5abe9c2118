//! The professional's external calendars, as a page (CSRF on every form) and as API:
//! list, add (read at once), read now, remove. The rules are `cas::agendas`'.

use askama::Template;
use serde_json::{json, Value};

use booking_shared::cas::agendas::{self as cas, ErreurAgenda};
use booking_shared::comptes::vues::{AgendaVue, AgendasPage};
use booking_shared::render::format;
use booking_shared::store::agendas::AgendaExterne;
use booking_shared::store::planning;
use booking_shared::store::professionnels::Professionnel;
use booking_shared::types::Identifiant;

use super::pages::{entete, fait_vers, recevoir, sortie, Contexte, Reprise};
use crate::api::{corps_json, ok};
use crate::app::Ctx;
use crate::comptes::instant_iso;
use crate::http::{Request, Response};
use crate::pages::erreurs;
use crate::problem::Problem;

/// The host only: any segment of the path may be the secret (iCloud's
/// `/published/2/<secret>`), which is not shown again.
fn apercu(url: &str) -> String {
    let sans_schema = url.split_once("://").map_or(url, |(_, r)| r);
    let fin = sans_schema
        .find(['/', '?', '#'])
        .unwrap_or(sans_schema.len());
    sans_schema[..fin].to_owned()
}

/// What the page shows, or the form sent back.
#[derive(Default)]
pub(super) struct Etat {
    saisie: String,
    erreur: Option<String>,
    message: Option<String>,
}

impl Etat {
    /// A refusal: next to the address typed for an addition (`saisie`), above the list
    /// for an action.
    pub(super) fn refus(saisie: Option<String>, message: String) -> Etat {
        match saisie {
            Some(saisie) => Etat {
                saisie,
                erreur: Some(message),
                message: None,
            },
            None => Etat {
                message: Some(message),
                ..Etat::default()
            },
        }
    }
}

pub(super) async fn page(c: &Contexte<'_>, etat: Etat, status: u16) -> Response {
    let agendas = match cas::lister(&c.ctx.ports(), c.pro.id).await {
        Ok(l) => l,
        Err(e) => return erreurs::interne(Some(&c.site), e).await,
    };
    let tz = planning::fuseau(&c.pro.fuseau);
    let page = AgendasPage {
        site: &c.site,
        pro: entete(c, "agendas"),
        agendas: agendas
            .iter()
            .map(|a| AgendaVue {
                id: a.id,
                apercu: apercu(&a.url),
                lu: a
                    .lu_at
                    .map(|lu| format::date_et_heure(&lu.with_timezone(&tz))),
                occupations: a.occupations,
                erreur: a.erreur.clone(),
                avertissement: cas::avertissement(a),
            })
            .collect(),
        maximum: cas::MAXIMUM_PAR_PRO,
        saisie: etat.saisie,
        erreur: etat.erreur,
        message: etat.message,
    };
    sortie(c, page.render(), status)
}

/// Where a form of the page goes back to once done.
pub(super) const RETOUR: &str = "/pro/agendas?ok=1";

/// `POST /pro/agendas`.
pub async fn ajouter(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Response> {
    let e = recevoir(ctx, req).await?;
    let url = e.champ("url").to_owned();
    let fait = cas::ajouter(&ctx.ports(), e.c.pro.id, &e.c.pro.fuseau, &url).await;
    let fait = fait_vers(fait, RETOUR);
    Ok(e.conclure(fait, Reprise::Agendas(Some(url))).await)
}

/// `synchroniser` (read now) or `supprimer` one of the professional's calendars; the
/// calendar as read, or none once removed.
pub(super) async fn agir_sur(
    ctx: &Ctx<'_>,
    pro: &Professionnel,
    id: &str,
    action: &str,
) -> Result<Option<AgendaExterne>, ErreurAgenda> {
    let id = Identifiant::parse(id)
        .map(Identifiant::get)
        .ok_or(ErreurAgenda::Introuvable)?;
    let ports = ctx.ports();
    match action {
        "synchroniser" => cas::synchroniser_maintenant(&ports, pro.id, &pro.fuseau, id)
            .await
            .map(Some),
        "supprimer" => cas::supprimer(&ports, pro.id, id).await.map(|()| None),
        _ => Err(ErreurAgenda::ActionInconnue),
    }
}

pub(super) fn agenda_json(a: &AgendaExterne, fuseau: &str) -> Value {
    json!({
        "id": a.id,
        "apercu": apercu(&a.url),
        "lu_at": a.lu_at.map(|i| instant_iso(i, fuseau)),
        "tente_at": a.tente_at.map(|i| instant_iso(i, fuseau)),
        "occupations": a.occupations,
        "erreur": a.erreur,
        "avertissement": cas::avertissement(a),
    })
}

/// `GET /api/v1/pro/agendas`.
pub async fn api_agendas(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = super::api::entrer(ctx, req).await?;
    let liste = cas::lister(&ctx.ports(), pro.id).await?;
    let agendas: Vec<Value> = liste.iter().map(|a| agenda_json(a, &pro.fuseau)).collect();
    Ok(ok(
        200,
        &booking_shared::objet!({ "agendas": agendas, "maximum": cas::MAXIMUM_PAR_PRO }),
    ))
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsAgenda {
        url: String,
    }
}

/// `POST /api/v1/pro/agendas` (`{"url": "https://…"}`): adds the calendar and reads it
/// at once.
pub async fn api_ajouter(ctx: &Ctx<'_>, req: &Request) -> Result<Response, Problem> {
    let (_, pro) = super::api::entrer(ctx, req).await?;
    let corps: CorpsAgenda = corps_json(req)?;
    let agenda = cas::ajouter(&ctx.ports(), pro.id, &pro.fuseau, &corps.url).await?;
    Ok(ok(201, &agenda_json(&agenda, &pro.fuseau)))
}

#[cfg(test)]
mod tests {
    use super::apercu;

    #[test]
    fn the_preview_shows_the_host_and_nothing_of_the_secret() {
        assert_eq!(
            apercu("https://calendar.google.com/calendar/ical/x%40gmail.com/private-0123abcd/basic.ics"),
            "calendar.google.com"
        );
        assert_eq!(
            apercu("https://p42-caldav.icloud.com/published/2/MTIzNDU2Nzg5c2VjcmV0"),
            "p42-caldav.icloud.com"
        );
        assert_eq!(apercu("https://exemple.fr/"), "exemple.fr");
        assert_eq!(apercu("https://exemple.fr?cle=secret"), "exemple.fr");
    }
}
