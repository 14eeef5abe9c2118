//! `POST /webhooks/stripe`: Stripe's events, read and checked here, applied by the
//! payment use cases (`booking_shared::cas::paiements`).

mod webhook;

/// `POST /webhooks/stripe`: Stripe's events, proved by their signature.
pub use webhook::recevoir as webhook_stripe;
