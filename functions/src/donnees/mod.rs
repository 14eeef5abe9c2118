//! Personal data (RGPD): a signed-in account downloads its data and deletes itself
//! (`/compte/donnees`, `/compte/suppression`, `/api/v1/moi/donnees`,
//! `/api/v1/moi/suppression`); the holder of a booking's manage link does the same for
//! that booking (`/reservations/{id}/donnees`, `/reservations/{id}/effacement`; the API's
//! are in `api::reservations`). The rules are `booking_shared::cas::donnees`'.

pub(crate) mod api;
pub(crate) mod pages;

use serde_json::{json, Value};

use booking_shared::cas::donnees::Effacement;

use crate::http::Response;

/// An export as a JSON file to save (never stored by a cache).
pub fn telechargement(export: &Value, fichier: &str) -> Response {
    let corps = export.to_string();
    Response::new(200, "application/json; charset=utf-8", corps)
        .with_header(
            "content-disposition",
            format!("attachment; filename=\"{fichier}\""),
        )
        .with_header("cache-control", "private, no-store")
}

/// What an erasure did, in French sentences: each booking cancelled on the way with what
/// became of its money, then the erasure itself.
pub fn messages(effacement: &Effacement, fait: &str) -> Vec<String> {
    let mut messages: Vec<String> = effacement
        .annulees
        .iter()
        .map(|a| {
            format!(
                "Un rendez-vous à venir est annulé. {}",
                a.remboursement.message()
            )
        })
        .collect();
    messages.push(fait.to_owned());
    messages
}

/// The API's answer to an erasure.
pub fn effacement_json(effacement: &Effacement, fait: &str) -> Value {
    let annulees: Vec<Value> = effacement
        .annulees
        .iter()
        .map(|a| json!({ "id": a.reservation_id, "remboursement": a.remboursement.json() }))
        .collect();
    booking_shared::objet!({ "message": fait, "annulees": annulees })
}

/// Said once an account is deleted.
pub const COMPTE_SUPPRIME: &str = "Votre compte est supprimé : vos rendez-vous passés sont anonymisés (le professionnel voit « Client supprimé »), les e-mails qui vous ont été envoyés effacés ; les paiements sont conservés sans votre nom pour la comptabilité. Cette adresse peut ouvrir un nouveau compte.";

/// Said once a booking's data are erased.
pub const RESERVATION_EFFACEE: &str = "Vos données de ce rendez-vous sont effacées : le professionnel voit « Client supprimé », les e-mails qui vous ont été envoyés sont effacés, le paiement éventuel est conservé sans votre nom pour la comptabilité. Le lien de gestion ne fonctionne plus.";
