//! What a client pays online when booking: nothing, a deposit or the full price,
//! in integer cents.

use crate::vertical::{Acompte, Paiement};

/// The amount due online for a service of `prix_centimes`. A service's own fixed deposit
/// (`acompte_service`) replaces the vertical's deposit rule; the amount never exceeds
/// the price.
pub fn montant_a_payer(
    paiement: &Paiement,
    prix_centimes: u64,
    acompte_service: Option<u64>,
) -> u64 {
    let montant = match paiement {
        Paiement::Aucun => 0,
        Paiement::Total => prix_centimes,
        Paiement::Acompte(_) if acompte_service.is_some() => acompte_service.unwrap_or(0),
        // Rounded to the nearest cent, halves up.
        Paiement::Acompte(Acompte::Pourcentage(p)) => (prix_centimes * u64::from(*p) + 50) / 100,
        Paiement::Acompte(Acompte::MontantCentimes(m)) => *m,
    };
    montant.min(prix_centimes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_payment_means_nothing_due_online() {
        assert_eq!(montant_a_payer(&Paiement::Aucun, 8900, Some(2000)), 0);
    }

    #[test]
    fn full_payment_is_the_price() {
        assert_eq!(montant_a_payer(&Paiement::Total, 8900, None), 8900);
    }

    #[test]
    fn a_percentage_deposit_is_rounded_to_the_cent() {
        assert_eq!(
            montant_a_payer(&Paiement::Acompte(Acompte::Pourcentage(30)), 12_345, None),
            3704
        );
        assert_eq!(
            montant_a_payer(&Paiement::Acompte(Acompte::Pourcentage(100)), 12_345, None),
            12_345
        );
    }

    #[test]
    fn a_fixed_deposit_never_exceeds_the_price() {
        assert_eq!(
            montant_a_payer(
                &Paiement::Acompte(Acompte::MontantCentimes(5000)),
                3000,
                None
            ),
            3000
        );
    }

    #[test]
    fn a_service_deposit_replaces_the_vertical_rule() {
        assert_eq!(
            montant_a_payer(
                &Paiement::Acompte(Acompte::Pourcentage(30)),
                10_000,
                Some(1500)
            ),
            1500
        );
    }
}
