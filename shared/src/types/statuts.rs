//! The stored states of payments and of queued e-mails, as enums: a row with a value not
//! listed here does not decode, and SQL text names them through `as_str()`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::store::Value;

/// Declares an enum stored as snake_case text, with its list, its text and its SQL value.
macro_rules! texte_stocke {
    ($(#[$meta:meta])* $nom:ident { $($(#[$vmeta:meta])* $variante:ident => $texte:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $nom {
            $($(#[$vmeta])* #[serde(rename = $texte)] $variante),+
        }

        impl $nom {
            pub const TOUS: &'static [$nom] = &[$($nom::$variante),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($nom::$variante => $texte),+
                }
            }
        }

        impl fmt::Display for $nom {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<$nom> for Value {
            fn from(valeur: $nom) -> Self {
                Value::Text(valeur.as_str().to_owned())
            }
        }
    };
}

texte_stocke! {
    /// A payment's state (`paiements.statut`).
    StatutPaiement {
        /// A Checkout Session is open, its outcome unknown.
        EnAttente => "en_attente",
        Paye => "paye",
        Echoue => "echoue",
        Expire => "expire",
        /// All of it refunded.
        Rembourse => "rembourse",
    }
}

texte_stocke! {
    /// What a payment is for (`paiements.type`).
    TypePaiement {
        Acompte => "acompte",
        Total => "total",
    }
}

texte_stocke! {
    /// Where a waitlist entry stands (`liste_attente.statut`).
    StatutInscription {
        /// A guest's entry, until the owner of the address confirms it from the e-mail:
        /// it gets no offer before.
        AConfirmer => "a_confirmer",
        /// In line.
        Active => "active",
        /// An offer was accepted: off the list.
        Servie => "servie",
        /// The client left the list.
        Quittee => "quittee",
        /// Its window ended.
        Expiree => "expiree",
    }
}

texte_stocke! {
    /// A queued e-mail's state (`outbox.statut`).
    StatutMessage {
        AEnvoyer => "a_envoyer",
        Envoye => "envoye",
        /// Given up after too many failed attempts.
        Abandonne => "abandonne",
        /// Not to be sent any more (its booking changed).
        Annule => "annule",
    }
}

texte_stocke! {
    /// Where a professional stands with the admin (`professionnels.approbation`): listed
    /// only when `Approuve` (and public by their own choice).
    StatutApprobation {
        /// Signed up, not decided yet.
        EnAttente => "en_attente",
        Approuve => "approuve",
        /// Not let in, with a reason.
        Refuse => "refuse",
        /// Let in, then withdrawn, with a reason.
        Suspendu => "suspendu",
    }
}

texte_stocke! {
    /// A review's state (`avis.statut`).
    StatutAvis {
        Publie => "publie",
        /// Reported by the professional, awaiting the moderation's decision.
        Signale => "signale",
        /// Removed by the moderation.
        Retire => "retire",
    }
}

texte_stocke! {
    /// Who cancelled a booking (`reservations.annulee_par`).
    AnnuleePar {
        Client => "client",
        Professionnel => "professionnel",
        Systeme => "systeme",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_states_round_trip_through_their_text_and_refuse_any_other() {
        for statut in StatutPaiement::TOUS {
            let texte = serde_json::to_value(statut).unwrap();
            assert_eq!(texte, statut.as_str());
            assert_eq!(
                serde_json::from_value::<StatutPaiement>(texte).unwrap(),
                *statut
            );
        }
        for message in StatutMessage::TOUS {
            assert_eq!(serde_json::to_value(message).unwrap(), message.as_str());
        }
        assert_eq!(TypePaiement::Acompte.to_string(), "acompte");
        assert_eq!(
            Value::from(AnnuleePar::Systeme),
            Value::Text("systeme".into())
        );
        assert!(serde_json::from_str::<StatutPaiement>("\"payé\"").is_err());
        assert!(serde_json::from_str::<TypePaiement>("\"Total\"").is_err());
    }
}
