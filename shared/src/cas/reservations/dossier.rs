use chrono::{DateTime, Utc};

use crate::cas::Ports;
use crate::reservation::StatutReservation;
use crate::store::professionnels::{self, Professionnel};
use crate::store::reservations::{self, Reservation};
use crate::store::services::{self, Service};
use crate::types::{JetonGestion, ReservationId};
use crate::vertical::VerticalConfig;

use super::ErreurReservation;

/// A booking with what it is about, as its manage link shows it.
#[derive(Debug, Clone)]
pub struct Dossier {
    pub reservation: Reservation,
    pub professionnel: Professionnel,
    pub service: Service,
}

impl Dossier {
    /// The same booking after `changement`, as of `maintenant`: what the e-mails written
    /// in the same batch as the change describe.
    pub fn apres(
        &self,
        maintenant: DateTime<Utc>,
        changement: impl FnOnce(&mut Reservation),
    ) -> Dossier {
        let mut apres = self.clone();
        changement(&mut apres.reservation);
        apres.reservation.updated_at = maintenant;
        apres
    }

    /// The booking confirmed as of `maintenant` (no hold left to expire).
    pub fn confirme(&self, maintenant: DateTime<Utc>) -> Dossier {
        self.apres(maintenant, |r| {
            r.statut = StatutReservation::Confirmee;
            r.expire_at = None;
        })
    }
}

/// The booking behind a manage link, if the id and secret match and it belongs to this
/// vertical. Any mismatch is the same "not found".
pub async fn charger_avec_jeton(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    id: &str,
    jeton: &str,
) -> Result<Dossier, ErreurReservation> {
    charger_si(ports, vertical, id, |hash| {
        JetonGestion::verifie(jeton, hash)
    })
    .await
}

/// The booking `id` of this vertical, if `preuve` accepts the stored hash of its manage
/// link's secret (the secret itself, or a cookie sealed over that hash). Any mismatch is
/// the same "not found".
pub async fn charger_si(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    id: &str,
    preuve: impl FnOnce(&str) -> bool,
) -> Result<Dossier, ErreurReservation> {
    let id = ReservationId::parse(id).ok_or(ErreurReservation::ReservationIntrouvable)?;
    let reservation = reservations::par_id(ports.db, id.as_str())
        .await?
        .filter(|r| preuve(&r.manage_token_hash))
        .ok_or(ErreurReservation::ReservationIntrouvable)?;
    dossier_de(ports, vertical, reservation)
        .await?
        .ok_or(ErreurReservation::ReservationIntrouvable)
}

/// A booking with its professional and service, if it belongs to this vertical.
pub async fn dossier_de(
    ports: &Ports<'_>,
    vertical: &VerticalConfig,
    reservation: Reservation,
) -> Result<Option<Dossier>, ErreurReservation> {
    let Some(professionnel) = professionnels::par_id(ports.db, reservation.professionnel_id.get())
        .await?
        .filter(|p| p.vertical == vertical.slug())
    else {
        return Ok(None);
    };
    let Some(service) = services::par_id(ports.db, reservation.service_id.get()).await? else {
        return Ok(None);
    };
    Ok(Some(Dossier {
        reservation,
        professionnel,
        service,
    }))
}
