//! Server-rendered pages: askama view models over the templates in `templates/`.
//! One layout, filled from the vertical's configuration (wording, theme).

mod pages;
mod site;
mod theme;

pub use pages::{AccueilPage, ErreurPage, PortailPage, VerticalLien};
pub use site::{domaine_canonique, Site};
pub use theme::theme_css;
