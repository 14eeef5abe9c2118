-- Booking abuse. A guest booking in a trade without online payment is now a request,
-- held like an unpaid booking until the owner of its e-mail address confirms it; the
-- holds one e-mail or one client source keeps at one professional are capped in the
-- booking's own batch. Never edit this file once applied: add a new migration.

-- The client's source (IPv4 address, or IPv6 /64) as HMAC-SHA256 under the server's
-- secret: personal data, kept only to count the holds it makes, and cleared by the
-- scheduled job once the booking holds nothing any more.
ALTER TABLE reservations ADD COLUMN source_hash TEXT
    CHECK (source_hash IS NULL OR length(source_hash) = 64);
-- SHA-256 (hex) of the secret of the e-mail's confirmation link; the secret itself is
-- never stored. NULL for a booking that needed no confirmation.
ALTER TABLE reservations ADD COLUMN confirmation_token_hash TEXT
    CHECK (confirmation_token_hash IS NULL OR length(confirmation_token_hash) = 64);
CREATE INDEX reservations_source ON reservations (source_hash) WHERE source_hash IS NOT NULL;

-- garde_retenues: the e-mail and the source of a new hold each keep fewer holds at this
-- professional than their cap (see store::reservations::garde_retenues).
ALTER TABLE gardes ADD COLUMN retenues INTEGER
    CONSTRAINT garde_retenues CHECK (retenues IS NULL OR retenues = 1);
