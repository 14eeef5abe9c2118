-- Personal data under the client's control (RGPD): a booking whose client details were
-- replaced — at the client's request (account deletion, a guest's erasure from the manage
-- link) or by the retention rule of the scheduled job (appointments older than three
-- years) — records when. Such a booking keeps what the professional and the accounting
-- need (times, service, price, status, its payments) and nothing that names the client.
-- Never edit this file once applied: add a new migration.
ALTER TABLE reservations ADD COLUMN anonymisee_at INTEGER;
-- The retention rule finds the bookings still to anonymise, oldest first, through this
-- index, a bounded number per run.
CREATE INDEX reservations_a_anonymiser ON reservations (fin) WHERE anonymisee_at IS NULL;
