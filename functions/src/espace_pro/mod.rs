//! The professional's space: profile, services, hours, time off, agenda, calendar feed —
//! as pages (session cookie, CSRF on every form) and as API (`Authorization: Bearer`).

pub(crate) mod agendas;
pub(crate) mod api;
pub(crate) mod calendrier;
pub(crate) mod membres;
pub(crate) mod pages;
