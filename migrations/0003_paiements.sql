-- Payments: find a payment by its Stripe PaymentIntent (charge.refunded names only that).
CREATE INDEX paiements_payment_intent ON paiements (stripe_payment_intent_id);
