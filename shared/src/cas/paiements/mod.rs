//! Payments: the Stripe Checkout Session of a booking just made, the events of Stripe's
//! webhook that fulfil it, and refunds. Stripe is reached through the `Http` port (base
//! URL and key from the ports), so the same code runs against Stripe, the local stand-in
//! and the tests.

mod checkout;
mod remboursement;
mod stripe_api;
mod webhook;

pub use checkout::{demarrer_paiement, lien_confirmation};
pub use remboursement::{apres_annulation, rembourser_le_reste, IssueRemboursement};
pub use stripe_api::{creer_session, expirer_session, rembourser, ErreurStripe, SessionCreee};
pub use webhook::{traiter_evenement, EchecEvenement, IssueEvenement};
