//! E-mails and what they carry, free of any platform: the view models and their rendering
//! (HTML in the vertical's colours, and plain text), the calendar event (`.ics`), and the
//! review form. The Worker's scheduled job fills them from the booking's current data.

mod avis_page;
mod contenu;
mod courriel;
pub mod ics;

pub use avis_page::{AvisPage, EtatAvis};
pub use contenu::{calendrier, composer, Contexte, Genre, Pour, Rendezvous};
pub use courriel::{Courriel, Lien, Marque};
