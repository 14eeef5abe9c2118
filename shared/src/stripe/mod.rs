//! Stripe, as far as the domain is concerned: verifying a webhook's `Stripe-Signature`,
//! reading its event into typed values, checking it against the payment the platform
//! created, and writing the form-encoded parameters of the API calls (Checkout Session,
//! refund). Pure: the Worker does the HTTP.

mod concordance;
mod evenement;
mod formulaire;
mod signature;

pub use concordance::{verifier_charge, verifier_session, Anomalie, RaisonAnomalie};
pub use evenement::{
    lire_evenement, Charge, Evenement, EvenementIllisible, Session, TypeEvenement,
};
pub use formulaire::{encoder_formulaire, ParametresCheckout, ParametresRemboursement};
pub use signature::{signer, verifier_signature, ErreurSignature, TOLERANCE_SECONDES};
