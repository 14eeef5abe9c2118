//! The private iCalendar feed (`/ical/{secret}.ics`): the professional's bookings for
//! Google or Apple Calendar. Only the secret's hash is stored; a new secret or a
//! revocation ends the old URL.

use chrono::{DateTime, Duration, Utc};

use booking_shared::dates;
use booking_shared::notifications::ics::{echapper, plier};
use booking_shared::reservation::StatutReservation as S;
use booking_shared::store::agenda::{self, LigneAgenda};
use booking_shared::store::espace_pro;

use booking_shared::cas::espace_pro::ErreurPro;

use crate::app::Ctx;
use crate::http::{Request, Response};
use crate::problem::Problem;

/// The feed's text: one VEVENT per booking that holds or held its time.
pub fn ics(nom: &str, lignes: &[LigneAgenda], maintenant: DateTime<Utc>) -> String {
    let mut s = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Booking Multisite//Agenda//FR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        s.push_str(&plier(l));
    }
    s.push_str(&plier(&format!(
        "X-WR-CALNAME:{}",
        echapper(&format!("Rendez-vous — {nom}"))
    )));
    for r in lignes.iter().filter(|r| {
        matches!(
            r.statut,
            S::Confirmee
                | S::EnAttentePaiement
                | S::EnAttenteConfirmation
                | S::Terminee
                | S::Absent
        )
    }) {
        s.push_str(&plier("BEGIN:VEVENT"));
        s.push_str(&plier(&format!("UID:{}@booking-multisite.fr", r.id)));
        s.push_str(&plier(&format!("DTSTAMP:{}", dates::ics_utc(maintenant))));
        s.push_str(&plier(&format!("DTSTART:{}", dates::ics_utc(r.date_heure))));
        s.push_str(&plier(&format!("DTEND:{}", dates::ics_utc(r.fin))));
        s.push_str(&plier(&format!(
            "SUMMARY:{}",
            echapper(&format!("{} — {}", r.service, r.client_nom))
        )));
        let mut description = format!("{} {}", r.client_email, r.client_telephone);
        if !r.message.is_empty() {
            description.push_str(&format!("\n{}", r.message));
        }
        s.push_str(&plier(&format!(
            "DESCRIPTION:{}",
            echapper(description.trim())
        )));
        let statut = if r.statut.is_retenue() {
            "TENTATIVE"
        } else {
            "CONFIRMED"
        };
        s.push_str(&plier(&format!("STATUS:{statut}")));
        s.push_str(&plier("END:VEVENT"));
    }
    s.push_str(&plier("END:VCALENDAR"));
    s
}

/// The feed of the establishment whose secret is `jeton`; with `?membre=`, only that
/// member's bookings (a member of another establishment is a 404, like a wrong secret).
pub async fn flux(ctx: &Ctx<'_>, req: &Request, jeton: &str) -> Response {
    let secret = jeton.strip_suffix(".ics").unwrap_or(jeton);
    if secret.len() != 32 || !secret.chars().all(|c| c.is_ascii_hexdigit()) {
        return Problem::not_found().into_response();
    }
    let pro = match espace_pro::par_calendrier(ctx.db, &crate::comptes::hash_secret(secret)).await {
        Ok(Some(p)) => p,
        Ok(None) => return Problem::not_found().into_response(),
        Err(e) => return Problem::internal(e).into_response(),
    };
    let membre = req.query_param("membre").unwrap_or_default();
    let membre = match booking_shared::cas::membres::choisi(&ctx.ports(), &pro, &membre).await {
        Ok(m) => m.map(|m| m.id),
        Err(ErreurPro::Introuvable) => return Problem::not_found().into_response(),
        Err(e) => return Problem::from(e).into_response(),
    };
    let maintenant = ctx.clock.now();
    match agenda::reservations(
        ctx.db,
        pro.id,
        membre,
        maintenant - Duration::days(60),
        maintenant + Duration::days(400),
    )
    .await
    {
        Ok(lignes) => Response::new(
            200,
            "text/calendar; charset=utf-8",
            ics(&pro.nom, &lignes, maintenant),
        )
        .with_header("cache-control", "private, max-age=300")
        .with_header("x-robots-tag", "noindex"),
        Err(e) => Problem::internal(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use booking_shared::types::Centimes;

    fn ligne(statut: S) -> LigneAgenda {
        LigneAgenda {
            id: "0f0e0d0c-0b0a-4908-8706-050403020100".into(),
            date_heure: DateTime::from_timestamp(1_764_000_000, 0).unwrap(),
            fin: DateTime::from_timestamp(1_764_003_600, 0).unwrap(),
            statut,
            service: "Séance, découverte".into(),
            client_nom: "Jeanne Martin".into(),
            membre_id: 1,
            membre: "Jeanne".into(),
            client_email: "jeanne@exemple.fr".into(),
            client_telephone: String::new(),
            message: "Ligne 1\nLigne 2".into(),
            reponses: "{}".into(),
            prix_centimes: Centimes::new(5000),
            motif_annulation: None,
            terminee_par: None,
        }
    }

    #[test]
    fn the_feed_lists_active_bookings_with_escaped_text_and_crlf_lines() {
        let t = ics(
            "Léa",
            &[ligne(S::Confirmee), ligne(S::Annulee)],
            DateTime::from_timestamp(0, 0).unwrap(),
        );
        assert!(t.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(t.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(t.matches("BEGIN:VEVENT").count(), 1);
        assert!(t.contains("SUMMARY:Séance\\, découverte — Jeanne Martin"));
        assert!(t.contains("Ligne 1\\nLigne 2"));
        assert!(t.lines().all(|l| l.len() <= 76));
    }
}
