//! The vertical's booking rules: slot step, notice, horizon, buffers, cancellation, payment.

use super::checks::{centimes, entier, minutes_par_5};
use super::error::ConfigError;
use super::raw::{ModePaiement, RawPaiement, RawRegles};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regles {
    pas_minutes: u32,
    preavis_minutes: u32,
    horizon_jours: u32,
    tampon_avant_minutes: u32,
    tampon_apres_minutes: u32,
    annulation_gratuite_heures: u32,
    max_reservations_par_jour: Option<u32>,
    paiement: Paiement,
}

/// What the client pays online when booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paiement {
    /// Nothing online: paid on site.
    Aucun,
    /// A deposit online, the rest on site.
    Acompte(Acompte),
    /// The full price online.
    Total,
}

/// How a deposit is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acompte {
    /// A share of the service's price, 1..=100 %.
    Pourcentage(u8),
    /// A fixed amount in euro cents.
    MontantCentimes(u64),
}

impl Regles {
    pub(super) fn depuis_brut(brut: RawRegles) -> Result<Self, ConfigError> {
        let preavis_minutes = entier("regles.preavis_minutes", brut.preavis_minutes, 0, 43_200)?;
        let horizon_jours = entier("regles.horizon_jours", brut.horizon_jours, 1, 365)?;
        // Otherwise no slot could ever be booked.
        if u64::from(preavis_minutes) >= u64::from(horizon_jours) * 24 * 60 {
            return Err(ConfigError::new(
                "regles.preavis_minutes",
                "le préavis doit être plus court que l'horizon de réservation",
            ));
        }
        Ok(Self {
            pas_minutes: minutes_par_5("regles.pas_minutes", brut.pas_minutes, 5, 240)?,
            preavis_minutes,
            horizon_jours,
            tampon_avant_minutes: minutes_par_5(
                "regles.tampon_avant_minutes",
                brut.tampon_avant_minutes,
                0,
                240,
            )?,
            tampon_apres_minutes: minutes_par_5(
                "regles.tampon_apres_minutes",
                brut.tampon_apres_minutes,
                0,
                240,
            )?,
            annulation_gratuite_heures: entier(
                "regles.annulation_gratuite_heures",
                brut.annulation_gratuite_heures,
                0,
                720,
            )?,
            max_reservations_par_jour: brut
                .max_reservations_par_jour
                .map(|max| entier("regles.max_reservations_par_jour", max, 1, 100))
                .transpose()?,
            paiement: Paiement::depuis_brut(brut.paiement)?,
        })
    }

    /// The step between two proposed start times.
    pub fn pas_minutes(&self) -> u32 {
        self.pas_minutes
    }

    /// The minimum notice between booking and appointment.
    pub fn preavis_minutes(&self) -> u32 {
        self.preavis_minutes
    }

    /// How far ahead a slot can be booked.
    pub fn horizon_jours(&self) -> u32 {
        self.horizon_jours
    }

    /// Time kept free before each appointment.
    pub fn tampon_avant_minutes(&self) -> u32 {
        self.tampon_avant_minutes
    }

    /// Time kept free after each appointment.
    pub fn tampon_apres_minutes(&self) -> u32 {
        self.tampon_apres_minutes
    }

    /// Up to how many hours before the appointment cancelling is free.
    pub fn annulation_gratuite_heures(&self) -> u32 {
        self.annulation_gratuite_heures
    }

    /// At most this many bookings per professional and day, if set.
    pub fn max_reservations_par_jour(&self) -> Option<u32> {
        self.max_reservations_par_jour
    }

    pub fn paiement(&self) -> Paiement {
        self.paiement
    }
}

impl Paiement {
    /// Whether something is paid online when booking (the vertical then has conditions
    /// de vente).
    pub fn en_ligne(self) -> bool {
        self != Paiement::Aucun
    }

    fn depuis_brut(brut: RawPaiement) -> Result<Self, ConfigError> {
        let sans_montant = |paiement| {
            for (nom, valeur) in [
                ("pourcentage", brut.pourcentage),
                ("montant_centimes", brut.montant_centimes),
            ] {
                if valeur.is_some() {
                    return Err(ConfigError::new(
                        format!("regles.paiement.{nom}"),
                        "champ inconnu",
                    ));
                }
            }
            Ok(paiement)
        };
        Ok(match (brut.mode, brut.pourcentage, brut.montant_centimes) {
            (ModePaiement::Aucun, ..) => sans_montant(Paiement::Aucun)?,
            (ModePaiement::Total, ..) => sans_montant(Paiement::Total)?,
            (ModePaiement::Acompte, Some(pourcentage), None) => {
                let pourcentage = entier("regles.paiement.pourcentage", pourcentage, 1, 100)?;
                Paiement::Acompte(Acompte::Pourcentage(u8::try_from(pourcentage).map_err(
                    |_| ConfigError::new("regles.paiement.pourcentage", "pourcentage invalide"),
                )?))
            }
            (ModePaiement::Acompte, None, Some(montant)) => {
                Paiement::Acompte(Acompte::MontantCentimes(centimes(
                    "regles.paiement.montant_centimes",
                    montant,
                    1,
                    10_000_000,
                )?))
            }
            (ModePaiement::Acompte, ..) => {
                return Err(ConfigError::new(
                    "regles.paiement",
                    "un acompte se définit par « pourcentage » ou par « montant_centimes », \
                     l'un des deux exactement",
                ))
            }
        })
    }
}

/// The vertical's booking rules, as the slot computation takes them.
impl From<&Regles> for crate::disponibilites::Regles {
    fn from(r: &Regles) -> Self {
        crate::disponibilites::Regles {
            pas_minutes: r.pas_minutes(),
            preavis_minutes: r.preavis_minutes(),
            horizon_jours: r.horizon_jours(),
            tampon_avant_minutes: r.tampon_avant_minutes(),
            tampon_apres_minutes: r.tampon_apres_minutes(),
            max_reservations_par_jour: r.max_reservations_par_jour(),
        }
    }
}
