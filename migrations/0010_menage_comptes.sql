-- Housekeeping of the accounts' tables (see shared/src/store/menage.rs): the moment an
-- address-check link stopped being usable, for its purge to find it through an index.
-- Never edit this file once applied: add a new migration.
CREATE INDEX verifications_email_fin ON verifications_email (coalesce(utilise_at, expire_at));
