//! The admin (role `admin`): professionals per vertical, publication, vertical
//! configuration (validated before it is accepted), bookings and payments — as pages
//! (session cookie, CSRF on every form) and as API (`Authorization: Bearer`).

pub(crate) mod api;
pub(crate) mod pages;
