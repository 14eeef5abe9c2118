-- A professional's next free slot (issue 14), shown on the directory's cards and the profile
-- and sorted by: the start of the first free slot of their first active service (Unix
-- seconds, UTC), NULL when there is none in the next 60 days, and the service it was
-- computed for. It is computed in Rust (`cas::prochaine_dispo`), never in SQL.
--
-- Staying true: every write that can change it (a booking created, moved, cancelled or
-- expired; hours, openings, time off, services; publishing or approval) marks it stale in
-- its own transaction, through the triggers below: `dispo_version` goes up and
-- `dispo_revoir_a` (when it must be computed again) goes to 0. The use case that wrote
-- recomputes right after, and stores the result only if `dispo_version` is still the one
-- it read its data at, so a computation from older data never overwrites a newer one.
-- Whatever was not recomputed (the Worker stopped in between, a concurrent write won, or
-- time passed the slot: `dispo_revoir_a` is then the instant it stops being bookable) is
-- picked up by the scheduled job, oldest first, through `professionnels_dispo_a_revoir`.
-- Never edit this file once applied: add a new migration.
ALTER TABLE professionnels ADD COLUMN prochaine_dispo INTEGER;
ALTER TABLE professionnels ADD COLUMN prochaine_dispo_service_id INTEGER;
ALTER TABLE professionnels ADD COLUMN dispo_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE professionnels ADD COLUMN dispo_revoir_a INTEGER NOT NULL DEFAULT 0;
-- The directory's filter (`disponible=`) and sort (`tri=disponibilite`) over the listed
-- professionals of a vertical: a range and an order on the last column (then the rowid).
CREATE INDEX professionnels_prochaine_dispo
    ON professionnels (vertical, public, approbation, prochaine_dispo);
CREATE INDEX professionnels_dispo_a_revoir ON professionnels (dispo_revoir_a);

CREATE TRIGGER disponibilites_insert_dispo AFTER INSERT ON disponibilites
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = NEW.professionnel_id;
END;
CREATE TRIGGER disponibilites_update_dispo AFTER UPDATE ON disponibilites
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = NEW.professionnel_id;
END;
CREATE TRIGGER disponibilites_delete_dispo AFTER DELETE ON disponibilites
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = OLD.professionnel_id;
END;
CREATE TRIGGER absences_insert_dispo AFTER INSERT ON absences
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = NEW.professionnel_id;
END;
CREATE TRIGGER absences_update_dispo AFTER UPDATE ON absences
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = NEW.professionnel_id;
END;
CREATE TRIGGER absences_delete_dispo AFTER DELETE ON absences
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = OLD.professionnel_id;
END;
CREATE TRIGGER services_insert_dispo AFTER INSERT ON services
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = NEW.professionnel_id;
END;
CREATE TRIGGER services_update_dispo AFTER UPDATE ON services
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = NEW.professionnel_id;
END;
CREATE TRIGGER services_delete_dispo AFTER DELETE ON services
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = OLD.professionnel_id;
END;
CREATE TRIGGER reservations_insert_dispo AFTER INSERT ON reservations
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = NEW.professionnel_id;
END;
CREATE TRIGGER reservations_update_dispo AFTER UPDATE OF statut, date_heure, fin ON reservations
    WHEN OLD.statut IS NOT NEW.statut OR OLD.date_heure IS NOT NEW.date_heure OR OLD.fin IS NOT NEW.fin
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = NEW.professionnel_id;
END;
CREATE TRIGGER professionnels_liste_dispo AFTER UPDATE OF public, approbation, fuseau ON professionnels
    WHEN OLD.public IS NOT NEW.public OR OLD.approbation IS NOT NEW.approbation
      OR OLD.fuseau IS NOT NEW.fuseau
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = NEW.id;
END;
