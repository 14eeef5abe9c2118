//! The professional's space: profile, services, hours, time off, agenda, calendar feed —
//! as pages (session cookie, CSRF on every form) and as API (`Authorization: Bearer`).

pub(crate) mod api;
pub(crate) mod calendrier;
pub mod operations;
pub(crate) mod pages;

pub use pages::euros as pages_euros;

/// A booking status as the professional and the client read it.
pub fn libelle_statut(statut: &str) -> &'static str {
    match statut {
        "en_attente_confirmation" => "En attente de confirmation du client",
        "en_attente_paiement" => "En attente de paiement",
        "confirmee" => "Confirmé",
        "terminee" => "Effectué",
        "absent" => "Client absent",
        "annulee" => "Annulé",
        "expiree" => "Expiré (ni payé ni confirmé à temps)",
        _ => "Inconnu",
    }
}
