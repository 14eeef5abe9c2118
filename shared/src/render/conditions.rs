//! What the conditions générales and the conditions de vente say of booking, paying,
//! cancelling and refunding, written from the vertical's own rules (`Regles`) and the
//! holds of the booking use case, so that the text can never disagree with what the code
//! does (see `reservation::statut` and `cas::paiements::apres_annulation`).

use super::format::delai;
use super::reservation::phrase_paiement;
use crate::cas::reservations::{
    DUREE_RETENUE_CONFIRMATION_MINUTES, DUREE_RETENUE_PAIEMENT_MINUTES,
};
use crate::vertical::{Paiement, Regles, Retractation, Textes};

/// How a booking is made and held, for the conditions générales.
pub fn phrases_reservation(regles: &Regles, textes: &Textes) -> Vec<String> {
    let pro = textes.professionnel_singulier();
    let horizon = regles.horizon_jours();
    let mut phrases = vec![match regles.preavis_minutes() {
        0 => format!(
            "Vous choisissez un {pro}, une prestation et un créneau libre, au plus {horizon} jours à l'avance."
        ),
        preavis => format!(
            "Vous choisissez un {pro}, une prestation et un créneau libre qui commence au moins {} après la réservation et au plus {horizon} jours plus tard.",
            delai(preavis)
        ),
    }];
    if regles.paiement().en_ligne() {
        phrases.push(format!(
            "Quand un paiement en ligne est dû, le créneau vous est réservé {} le temps de payer : la réservation est confirmée à la réception du paiement ; sans paiement dans ce délai, elle expire, le créneau est libéré et rien n'est débité. Les conditions de vente précisent les montants et les remboursements.",
            minutes(DUREE_RETENUE_PAIEMENT_MINUTES)
        ));
    }
    phrases.push(format!(
        "Quand rien n'est dû en ligne, une réservation faite sans être connecté à un compte dont l'adresse e-mail est vérifiée n'est qu'une demande : elle retient le créneau {} et n'est confirmée que par le lien envoyé à l'adresse e-mail indiquée, utilisé dans ce délai ; sinon elle expire et le créneau est libéré. Un client connecté avec une adresse vérifiée, réservant pour cette adresse, est confirmé aussitôt.",
        minutes(DUREE_RETENUE_CONFIRMATION_MINUTES)
    ));
    phrases
}

/// Who may cancel or move a booking, and until when, for the conditions générales.
pub fn phrases_annulation(regles: &Regles) -> Vec<String> {
    vec![
        format!(
            "Vous pouvez annuler votre réservation à tout moment avant le début du rendez-vous, depuis le lien de gestion reçu par e-mail ou votre compte. {}",
            limite_deplacement(regles.annulation_gratuite_heures())
        ),
        "Le professionnel peut annuler un rendez-vous jusqu'à sa fin, en indiquant un motif qui vous est communiqué par e-mail.".to_owned(),
        "Une fois l'heure du rendez-vous passée, le professionnel indique si la prestation a eu lieu ou si vous étiez absent.".to_owned(),
    ]
}

/// The conditions de vente's derived parts: `None` when the vertical takes no payment
/// online (it then has no conditions de vente).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionsDeVente {
    /// What is paid online, and when.
    pub paiement: Vec<String>,
    /// Cancelling or moving, by the client.
    pub annulation_client: Vec<String>,
    /// Cancelling by the professional.
    pub annulation_professionnel: String,
    /// The client's no-show.
    pub absence: String,
    /// Whether the right of withdrawal applies (14 days) or not (leisure on a set date).
    pub retractation_applicable: bool,
}

impl ConditionsDeVente {
    pub fn depuis(regles: &Regles, textes: &Textes, retractation: Retractation) -> Option<Self> {
        let pro = textes.professionnel_singulier();
        let paiement = regles.paiement();
        if !paiement.en_ligne() {
            return None;
        }
        let mut phrases_paiement = vec![
            "Les prix sont affichés en euros, toutes taxes comprises (TTC), sur la fiche de chaque professionnel et rappelés avant le paiement.".to_owned(),
            phrase_paiement(&paiement),
        ];
        if let Paiement::Acompte(_) = paiement {
            phrases_paiement.push(format!(
                "Un {pro} peut fixer pour une prestation un acompte d'un montant fixe, indiqué avant le paiement, qui remplace ce calcul. L'acompte ne dépasse jamais le prix de la prestation ; le solde se règle directement au professionnel."
            ));
        }
        phrases_paiement.push(format!(
            "Le paiement se fait par carte bancaire sur la page de paiement sécurisée de Stripe ; ni la plateforme ni le professionnel ne voient vos numéros de carte. Le créneau vous est réservé {} le temps de payer ; la réservation est confirmée à la réception du paiement, sinon elle expire sans rien débiter.",
            minutes(DUREE_RETENUE_PAIEMENT_MINUTES)
        ));
        phrases_paiement.push(
            "Un paiement reçu pour une réservation déjà expirée ou annulée, ou après le début du rendez-vous, vous est intégralement remboursé.".to_owned(),
        );
        let heures = regles.annulation_gratuite_heures();
        let retractation_applicable = retractation == Retractation::PrestationDeServices;
        let mut annulation_client = vec![
            "Vous pouvez annuler à tout moment avant le début du rendez-vous, depuis le lien de gestion reçu par e-mail ou votre compte. Annulée avant le paiement, la réservation ne coûte rien.".to_owned(),
        ];
        annulation_client.push(if heures == 0 {
            "Annulée avant le début du rendez-vous, la réservation vous est remboursée de tout ce que vous avez payé en ligne.".to_owned()
        } else {
            let limite = delai(heures * 60);
            let sauf = if retractation_applicable {
                ", sauf si vous exercez votre droit de rétractation (ci-dessous)"
            } else {
                ""
            };
            format!(
                "Annulée au moins {limite} avant le début du rendez-vous, la réservation vous est remboursée de tout ce que vous avez payé en ligne. Annulée moins de {limite} avant le début, ce que vous avez payé en ligne n'est pas remboursé{sauf}."
            )
        });
        annulation_client.push(limite_deplacement(heures));
        annulation_client.push(
            "Les remboursements sont faits par Stripe sur la carte utilisée ; ils apparaissent sous 5 à 10 jours selon votre banque.".to_owned(),
        );
        Some(Self {
            paiement: phrases_paiement,
            annulation_client,
            annulation_professionnel: "Le professionnel peut annuler le rendez-vous jusqu'à sa fin, en indiquant un motif : vous êtes alors remboursé de tout ce que vous avez payé en ligne, quel que soit le moment de l'annulation.".to_owned(),
            absence: "Si vous ne vous présentez pas au rendez-vous sans l'avoir annulé, le professionnel vous déclare absent : ce que vous avez payé en ligne n'est pas remboursé.".to_owned(),
            retractation_applicable,
        })
    }
}

/// Until when a booking can be moved: exactly as long as a cancellation is refunded.
fn limite_deplacement(heures: u32) -> String {
    if heures == 0 {
        "Vous pouvez déplacer le rendez-vous sur un autre créneau libre jusqu'à son début.".into()
    } else {
        format!(
            "Vous pouvez déplacer le rendez-vous sur un autre créneau libre jusqu'à {} avant son début ; ensuite, il ne se déplace plus.",
            delai(heures * 60)
        )
    }
}

fn minutes(n: i64) -> String {
    delai(u32::try_from(n).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vertical::VerticalConfig;
    use serde_json::Value;

    const GARAGE: &str = include_str!("../../../verticals/garage.json");

    fn garage(regles: serde_json::Value) -> VerticalConfig {
        let mut document: Value = serde_json::from_str(GARAGE).unwrap();
        for (cle, valeur) in regles.as_object().unwrap() {
            document["regles"][cle] = valeur.clone();
        }
        VerticalConfig::parse(&document.to_string()).unwrap()
    }

    fn cgv(config: &VerticalConfig) -> Option<ConditionsDeVente> {
        ConditionsDeVente::depuis(
            config.regles(),
            config.textes(),
            config.legal().retractation(),
        )
    }

    /// Every derived sentence of the conditions de vente, as the page shows them.
    fn texte_cgv(config: &VerticalConfig) -> String {
        let c = cgv(config).expect("the vertical takes payment online");
        [
            c.paiement.join(" "),
            c.annulation_client.join(" "),
            c.annulation_professionnel,
            c.absence,
        ]
        .join(" ")
    }

    #[test]
    fn the_conditions_de_vente_follow_the_cancellation_window_and_the_deposit() {
        let config = garage(serde_json::json!({
            "annulation_gratuite_heures": 24,
            "paiement": { "mode": "total" }
        }));
        let texte = texte_cgv(&config);
        assert!(texte.contains("Annulée au moins 24 heures avant le début"));
        assert!(texte.contains("jusqu'à 24 heures avant son début"));
        assert!(texte.contains("Le montant total se règle en ligne"));
        assert!(texte.contains("31 minutes"));
        assert!(!texte.contains("acompte d'un montant fixe"));
        assert!(
            texte.contains("n'est pas remboursé, sauf si vous exercez votre droit de rétractation")
        );

        let config = garage(serde_json::json!({
            "annulation_gratuite_heures": 72,
            "paiement": { "mode": "acompte", "pourcentage": 40 }
        }));
        let texte = texte_cgv(&config);
        assert!(texte.contains("Annulée au moins 3 jours avant le début"));
        assert!(texte.contains("jusqu'à 3 jours avant son début"));
        assert!(!texte.contains("24 heures"));
        assert!(texte.contains("Un acompte de 40\u{a0}% se règle en ligne"));
        assert!(texte.contains("acompte d'un montant fixe"));

        let config = garage(serde_json::json!({
            "annulation_gratuite_heures": 0,
            "paiement": { "mode": "acompte", "montant_centimes": 2500 }
        }));
        let texte = texte_cgv(&config);
        assert!(texte
            .contains("Annulée avant le début du rendez-vous, la réservation vous est remboursée"));
        assert!(!texte.contains("Annulée moins de"));
        assert!(texte.contains("Un acompte de 25,00\u{a0}€"));
    }

    #[test]
    fn a_vertical_without_online_payment_has_no_conditions_de_vente() {
        let config = garage(serde_json::json!({ "paiement": { "mode": "aucun" } }));
        assert_eq!(cgv(&config), None);
        let reservation = phrases_reservation(config.regles(), config.textes()).join(" ");
        assert!(!reservation.contains("31 minutes"));
        assert!(reservation.contains("30 minutes"));
    }

    #[test]
    fn the_conditions_generales_follow_notice_horizon_and_moves() {
        let config = garage(serde_json::json!({
            "preavis_minutes": 120,
            "horizon_jours": 60,
            "annulation_gratuite_heures": 48
        }));
        let reservation = phrases_reservation(config.regles(), config.textes()).join(" ");
        assert!(reservation
            .contains("au moins 2 heures après la réservation et au plus 60 jours plus tard"));
        let annulation = phrases_annulation(config.regles()).join(" ");
        assert!(annulation.contains("jusqu'à 2 jours avant son début"));
        assert!(reservation.contains("Vous choisissez un garage"));
    }
}
