-- Payments the webhook refused to act on, partial refunds, and what the scheduled job's
-- housekeeping needs to purge without scanning.
-- Never edit this file once applied: add a new migration.

-- Stripe events the platform did not act on because they did not match what it created:
-- a session it never created, an amount or a currency other than the payment's, a
-- session whose payment row belongs to another booking than the event names, a refund
-- of a payment it never recorded. Nothing else changed; kept a year for accounting
-- review, then purged by the scheduled job. No personal data: Stripe ids and amounts.
CREATE TABLE paiements_anomalies (
    id                  INTEGER PRIMARY KEY,
    event_id            TEXT    NOT NULL UNIQUE CHECK (length(event_id) BETWEEN 1 AND 255),
    type                TEXT    NOT NULL CHECK (length(type) BETWEEN 1 AND 100),
    raison              TEXT    NOT NULL CHECK (raison IN (
                            'session_inconnue', 'montant_different', 'devise_differente',
                            'reservation_differente', 'paiement_inconnu')),
    session_id          TEXT             CHECK (session_id IS NULL OR length(session_id) <= 255),
    charge_id           TEXT             CHECK (charge_id IS NULL OR length(charge_id) <= 255),
    payment_intent_id   TEXT             CHECK (payment_intent_id IS NULL OR length(payment_intent_id) <= 255),
    -- The platform's payment the event was matched to, when it was.
    paiement_id         INTEGER          REFERENCES paiements (id),
    -- The booking the event named (metadata or client_reference_id), when it named one.
    reservation_nommee  TEXT             CHECK (reservation_nommee IS NULL OR length(reservation_nommee) <= 255),
    montant_recu        INTEGER,
    montant_attendu     INTEGER,
    currency_recue      TEXT             CHECK (currency_recue IS NULL OR length(currency_recue) <= 10),
    currency_attendue   TEXT             CHECK (currency_attendue IS NULL OR length(currency_attendue) <= 10),
    received_at         INTEGER NOT NULL
) STRICT;
CREATE INDEX paiements_anomalies_received_at ON paiements_anomalies (received_at);

-- What Stripe has refunded of the payment so far (cents, cumulative, from the charge's
-- amount_refunded): the payment stays `paye` until it is all refunded, then `rembourse`.
-- Payments already `rembourse` were refunded in full.
ALTER TABLE paiements ADD COLUMN montant_rembourse INTEGER NOT NULL DEFAULT 0
    CHECK (montant_rembourse BETWEEN 0 AND montant);
UPDATE paiements SET montant_rembourse = montant WHERE statut = 'rembourse';

-- Housekeeping reads each table's old rows through an index, a bounded number per run.
CREATE INDEX stripe_events_received_at ON stripe_events (received_at);
CREATE INDEX limites_fenetre ON limites (fenetre);
-- A reset link stops mattering when it is used or expires, whichever comes first.
CREATE INDEX reinitialisations_fin ON reinitialisations (coalesce(utilise_at, expire_at));
