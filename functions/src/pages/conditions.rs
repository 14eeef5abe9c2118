//! `GET /mentions-legales`, `GET /conditions-generales` and `GET /conditions-de-vente`:
//! the legal pages written from the vertical's document (its `legal` block and its rules).

use askama::Template;

use booking_shared::render::{ContenuLegal, LegalesPage, Seo};
use booking_shared::vertical::VerticalConfig;

use super::erreurs;
use super::{cache, site_for};
use crate::app::Ctx;
use crate::http::{Request, Response};

/// One of the legal pages served here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageLegale {
    Mentions,
    Cgu,
    /// Only where the vertical takes payment online; 404 elsewhere.
    Cgv,
}

impl PageLegale {
    const TOUTES: [PageLegale; 3] = [Self::Mentions, Self::Cgu, Self::Cgv];

    fn chemin(self) -> &'static str {
        match self {
            Self::Mentions => "/mentions-legales",
            Self::Cgu => "/conditions-generales",
            Self::Cgv => "/conditions-de-vente",
        }
    }

    fn existe(self, vertical: &VerticalConfig) -> bool {
        self != Self::Cgv || vertical.regles().paiement().en_ligne()
    }
}

/// The legal pages a vertical has, for the sitemap.
pub fn chemins(vertical: &VerticalConfig) -> impl Iterator<Item = &'static str> + '_ {
    PageLegale::TOUTES
        .into_iter()
        .filter(|p| p.existe(vertical))
        .map(PageLegale::chemin)
}

pub async fn page(ctx: &Ctx<'_>, req: &Request, page: PageLegale) -> Response {
    let Some(vertical) = ctx.vertical_for(req).await else {
        return erreurs::introuvable(ctx, req).await;
    };
    let site = site_for(&vertical, req);
    let (titre, description, contenu) = match page {
        PageLegale::Mentions => (
            "Mentions légales",
            "Éditeur, hébergeur, médiateur et rôle de la plateforme de réservation.",
            Some(ContenuLegal::Mentions),
        ),
        PageLegale::Cgu => (
            "Conditions générales d'utilisation",
            "Rôle de la plateforme, comptes, réservation, annulation, avis, responsabilité et litiges.",
            Some(ContenuLegal::cgu(&vertical)),
        ),
        PageLegale::Cgv => (
            "Conditions de vente",
            "Prix, paiement en ligne, annulation, remboursement et droit de rétractation.",
            ContenuLegal::cgv(&vertical),
        ),
    };
    let Some(contenu) = contenu else {
        return erreurs::introuvable(ctx, req).await;
    };
    let page = LegalesPage {
        site: &site,
        seo: Seo::page(&site, titre, description, page.chemin()),
        legal: vertical.legal(),
        contenu,
    };
    cache::publique(
        req,
        erreurs::rendered(page.render(), Some(&site), 200),
        3600,
    )
}
