//! Server-rendered pages: askama view models over the templates in `templates/`.
//! One layout, filled from the vertical's configuration (wording, theme).

mod annuaire;
mod donnees;
pub mod format;
mod formulaire;
pub mod ics;
mod legal;
mod pages;
mod reservation;
mod seo;
mod site;
mod theme;

pub use annuaire::{
    jours_de_creneaux, AvisVue, CreneauVue, FichePro, JourCreneaux, Pagination, ProfilPage,
    RecherchePage, Semaine, ServiceVue,
};
pub use donnees::{prestataire_courriel, ConfidentialitePage, EffacementPage};
pub use formulaire::{champs_reservation, motif_html, ChampVue, OptionVue};
pub use legal::LegalePage;
pub use pages::{AccueilPage, ErreurPage, PortailPage, VerticalLien};
pub use reservation::{
    phrase_annulation, phrase_paiement, AnnulerPage, Choix, ConfirmationPage, ConfirmerPage,
    DemandeVue, DeplacerPage, GestionPage, ReserverPage, Resume,
};
pub use seo::{etag, etag_correspond, json_ld_professionnel, json_pour_script, sitemap_xml, Seo};
pub use site::{domaine_canonique, Site};
pub use theme::theme_css;
