-- The waitlist's limits, against aliases and floods. Never edit this file once applied:
-- add a new migration.
-- - boite: the mailbox the address reaches (case, `+tag` and Gmail's dots ignored), on
--   which the per-professional cap is counted, so that aliases of one mailbox are one
--   person; older rows get their address in lower case.
-- - source_hash: the pseudonymised client source that joined, on which the entries in
--   line at once are capped.
-- - confirmee_at: when the owner of the address confirmed the entry; its place in line
--   counts from then (a signed-in client's entry, confirmed on joining, from joining).
ALTER TABLE liste_attente ADD COLUMN boite TEXT CHECK (boite IS NULL OR length(boite) <= 254);
ALTER TABLE liste_attente ADD COLUMN source_hash TEXT CHECK (source_hash IS NULL OR length(source_hash) = 64);
ALTER TABLE liste_attente ADD COLUMN confirmee_at INTEGER;
UPDATE liste_attente SET boite = lower(email);
UPDATE liste_attente SET confirmee_at = created_at WHERE statut <> 'a_confirmer';
CREATE INDEX liste_attente_boite ON liste_attente (professionnel_id, boite);
CREATE INDEX liste_attente_source ON liste_attente (source_hash, statut) WHERE source_hash IS NOT NULL;
