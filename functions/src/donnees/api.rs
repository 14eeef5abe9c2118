//! `GET /api/v1/moi/donnees` and `POST /api/v1/moi/suppression` (Bearer).

use booking_shared::cas::donnees::{self, Preuve};
use booking_shared::comptes::Role;

use crate::api::{corps_json, ok};
use crate::app::Ctx;
use crate::comptes::session::{self, exiger_api};
use crate::http::{Request, Response};
use crate::problem::Problem;

const TOUS: &[Role] = &[Role::Client, Role::Pro, Role::Admin];

pub async fn mes_donnees(ctx: &Ctx<'_>, req: &Request) -> Response {
    let connecte = match exiger_api(ctx, req, TOUS).await {
        Ok(c) => c,
        Err(r) => return r.reponse_api(),
    };
    match donnees::exporter_compte(&ctx.ports(), &connecte.utilisateur).await {
        Ok(export) => super::telechargement(&export, "mes-donnees.json"),
        Err(e) => Problem::from(e).into_response(),
    }
}

booking_shared::corps! {
    #[derive(Debug)]
    struct CorpsSuppression {
        mot_de_passe: String,
        renoncer_remboursement: bool = defaut,
    }
}

pub async fn supprimer(ctx: &Ctx<'_>, req: &Request) -> Response {
    let connecte = match exiger_api(ctx, req, TOUS).await {
        Ok(c) => c,
        Err(r) => return r.reponse_api(),
    };
    let corps: CorpsSuppression = match corps_json(req) {
        Ok(c) => c,
        Err(p) => return p.into_response(),
    };
    let verticals = ctx.toutes_verticals().await;
    let ip = session::ip(req);
    let preuve = Preuve {
        ip: &ip,
        appareil: None,
        mot_de_passe: &corps.mot_de_passe,
    };
    let issue = donnees::supprimer_compte(
        &ctx.ports(),
        &verticals,
        &connecte.utilisateur,
        &preuve,
        corps.renoncer_remboursement,
    )
    .await;
    match issue {
        Ok(e) => ok(200, &super::effacement_json(&e, super::COMPTE_SUPPRIME))
            .with_header("cache-control", "no-store"),
        Err(e) => {
            let apres = e.reessayer_dans();
            let r = Problem::from(e).into_response();
            match apres {
                Some(s) => r.with_header("retry-after", s.to_string()),
                None => r,
            }
        }
    }
}
