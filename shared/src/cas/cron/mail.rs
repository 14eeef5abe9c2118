//! The mail provider's HTTP API (Resend-style): `POST {MAIL_API_BASE}/emails`, JSON,
//! `Authorization: Bearer`, `Idempotency-Key` = the outbox row's key, so that a message
//! sent again after a lost answer is delivered once.

use base64::Engine as _;
use serde_json::json;

use crate::ports::RequeteSortante;

use super::rendu::Courrier;
use super::Passage;

/// The sender when `MAIL_FROM` is not set.
pub const EXPEDITEUR_PAR_DEFAUT: &str = "Booking Multisite <reservations@booking-multisite.fr>";

pub enum Issue {
    Envoye,
    Echec(String),
}

pub fn expediteur(ctx: &Passage<'_>) -> String {
    let from = ctx.ports.mail_from.trim();
    if from.is_empty() {
        EXPEDITEUR_PAR_DEFAUT.to_owned()
    } else {
        from.to_owned()
    }
}

/// Standard base64 with padding (RFC 4648 §4), as the mail API takes attachments.
fn en_base64(octets: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(octets)
}

pub async fn envoyer(ctx: &Passage<'_>, cle: &str, courrier: &Courrier) -> Issue {
    let base = ctx.ports.mail_api_base.trim_end_matches('/');
    if base.is_empty() || ctx.ports.mail_api_key.est_vide() {
        return Issue::Echec("MAIL_API_BASE ou MAIL_API_KEY non configuré".into());
    }
    let mut corps = json!({
        "from": expediteur(ctx),
        "to": [courrier.destinataire],
        "subject": courrier.sujet,
        "html": courrier.html,
        "text": courrier.texte,
    });
    if let Some(ics) = &courrier.ics {
        corps["attachments"] = json!([{
            "filename": ics.nom_fichier,
            "content": en_base64(ics.contenu.as_bytes()),
            "content_type": format!("text/calendar; charset=utf-8; method={}", ics.methode),
        }]);
    }
    let requete = RequeteSortante {
        method: "POST",
        url: format!("{base}/emails"),
        headers: vec![
            ("content-type".into(), "application/json".into()),
            (
                "authorization".into(),
                format!("Bearer {}", ctx.ports.mail_api_key.expose()),
            ),
            ("idempotency-key".into(), cle.to_owned()),
        ],
        body: corps.to_string().into_bytes(),
    };
    match ctx.ports.http.envoyer(requete).await {
        Ok(reponse) if (200..300).contains(&reponse.status) => Issue::Envoye,
        // The key was used with another body: the first attempt was delivered (the
        // booking changed before this retry). Sending it again would be a duplicate.
        Ok(reponse)
            if reponse.status == 409
                && String::from_utf8_lossy(&reponse.body)
                    .contains("invalid_idempotent_request") =>
        {
            Issue::Envoye
        }
        Ok(reponse) => {
            let texte: String = String::from_utf8_lossy(&reponse.body)
                .chars()
                .take(300)
                .collect();
            Issue::Echec(format!("HTTP {} : {texte}", reponse.status))
        }
        Err(e) => Issue::Echec(format!("pas de réponse : {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::en_base64;

    #[test]
    fn attachments_are_in_standard_padded_base64() {
        for (entree, attendu) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(en_base64(entree.as_bytes()), attendu);
        }
    }
}
