//! Server-rendered pages: askama view models over the templates in `templates/`.
//! One layout, filled from the vertical's configuration (wording, theme).

mod annuaire;
mod avis_clients;
mod conditions;
mod donnees;
pub mod format;
mod formulaire;
pub mod ics;
mod legales;
mod liste_attente;
mod pages;
mod reservation;
mod seo;
mod site;
mod theme;

pub use annuaire::{
    critere, jours_de_creneaux, url_ville, AvisVue, ChoixMembres, CreneauVue, FichePro,
    JourCreneaux, Pagination, ProfilPage, RecherchePage, Semaine, ServiceVue,
};
pub use avis_clients::AvisClientsPage;
pub use conditions::{phrases_annulation, phrases_reservation, ConditionsDeVente};
pub use donnees::{prestataire_courriel, ConfidentialitePage, EffacementPage};
pub use formulaire::{champs_offre, champs_reservation, motif_html, ChampVue, OptionVue};
pub use legales::{ContenuLegal, LegalesPage};
pub use liste_attente::{BoutonVue, FormulaireVue, ListeAttentePage};
pub use pages::{AccueilPage, ErreurPage, PortailPage, VerticalLien};
pub use reservation::{
    phrase_annulation, phrase_paiement, AnnulerPage, Choix, ConfirmationPage, ConfirmerPage,
    DemandeVue, DeplacerPage, GestionPage, ReserverPage, Resume,
};
pub use seo::{
    etag, etag_correspond, json_ld_fil_ariane, json_ld_professionnel, json_pour_script,
    sitemap_xml, Seo,
};
pub use site::{domaine_canonique, Site};
pub use theme::theme_css;
