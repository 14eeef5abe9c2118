-- When the account's owner proved they read its address (the link of the sign-up e-mail);
-- NULL until then. An unverified account sees none of the guest bookings made with that
-- address and books as a guest would (the booking awaits the e-mail's confirmation).
-- Never edit this file once applied: add a new migration.
ALTER TABLE users ADD COLUMN email_verifie_at INTEGER;
