//! Validated values: each is parsed once where it enters, and the rest of the code
//! never sees an unchecked one.

mod argent;
mod contact;
mod ids;
mod jeton;
mod statuts;

pub use argent::Centimes;
pub use contact::{boite_aux_lettres, Email, ErreurContact, NomClient, Telephone};
pub use ids::{Identifiant, PaiementId, ProfessionnelId, ReservationId, ServiceId, UserId};
pub use jeton::{JetonConfirmation, JetonGestion};
pub use statuts::{
    AnnuleePar, StatutApprobation, StatutAvis, StatutInscription, StatutMessage, StatutPaiement,
    TypePaiement,
};
