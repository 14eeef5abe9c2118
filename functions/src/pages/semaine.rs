//! The week of free slots a page shows (`?semaine=AAAA-MM-JJ`, the first day), kept
//! between today and the vertical's booking horizon.

use chrono::{Duration, NaiveDate};

use booking_shared::dates;
use booking_shared::render::Semaine;
use booking_shared::vertical::VerticalConfig;

use crate::http::Request;

/// The days `du..=au` to show, from the request and today's local date.
pub fn bornes(req: &Request, aujourdhui: NaiveDate) -> (NaiveDate, NaiveDate) {
    let du = req
        .query_param("semaine")
        .and_then(|s| dates::lire_date(s.trim()))
        .filter(|d| *d > aujourdhui && (*d - aujourdhui).num_days() < 400)
        .unwrap_or(aujourdhui);
    (du, du + Duration::days(6))
}

/// The week's title and its neighbours' links; `lien` makes a link from a first day.
pub fn semaine(
    vertical: &VerticalConfig,
    aujourdhui: NaiveDate,
    du: NaiveDate,
    au: NaiveDate,
    jours: Vec<booking_shared::render::JourCreneaux>,
    lien: impl Fn(NaiveDate) -> String,
) -> Semaine {
    let horizon = aujourdhui + Duration::days(i64::from(vertical.regles().horizon_jours()));
    let precedente = (du > aujourdhui).then(|| lien((du - Duration::days(7)).max(aujourdhui)));
    let suivante = (au < horizon).then(|| lien(au + Duration::days(1)));
    Semaine {
        libelle: Semaine::libelle(du, au),
        jours,
        precedente,
        suivante,
    }
}
