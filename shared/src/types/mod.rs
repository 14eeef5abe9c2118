//! Validated values: each is parsed once where it enters, and the rest of the code
//! never sees an unchecked one.

mod contact;
mod ids;
mod jeton;

pub use contact::{Email, ErreurContact, NomClient, Telephone};
pub use ids::{Identifiant, ReservationId};
pub use jeton::{JetonConfirmation, JetonGestion};
