-- Establishments, teams and capacity (issue 15). A professional (`professionnels`, the
-- establishment) has one or more members: people ('personne': a mechanic, a lawyer, a
-- coach) or resources ('ressource': a bay). Each member has its own weekly hours,
-- openings and time off; each service says which members can perform it; a booking is
-- assigned to one member (and to one resource as well when the service needs one); the
-- slot claims are keyed by member; a service may seat several clients in one session.
-- Never edit this file once applied: add a new migration.
--
-- Every existing professional becomes an establishment with one member of the same id
-- (members added later take the next free id), which holds its hours, openings, time off,
-- bookings and slot claims; every service can be performed by that member.
--
-- `reservations` is rebuilt (as in 0018) to give it a NOT NULL member, and `occupations`
-- to key the claims by member: foreign keys deferred to the end of the file, old rows
-- copied aside, the tables created anew under their own names, the rows put back, and the
-- next-free-slot triggers on `reservations` (0019), dropped with the table, made again.
PRAGMA defer_foreign_keys = true;

CREATE TABLE membres (
    id                  INTEGER PRIMARY KEY,
    professionnel_id    INTEGER NOT NULL REFERENCES professionnels (id) ON DELETE CASCADE,
    nom                 TEXT    NOT NULL CHECK (length(nom) BETWEEN 1 AND 80),
    genre               TEXT    NOT NULL DEFAULT 'personne' CHECK (genre IN ('personne', 'ressource')),
    -- An inactive member keeps its past bookings but gets no new one.
    actif               INTEGER NOT NULL DEFAULT 1 CHECK (actif IN (0, 1)),
    position            INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL
) STRICT;
CREATE INDEX membres_professionnel ON membres (professionnel_id, actif, position);
INSERT INTO membres (id, professionnel_id, nom, genre, actif, position, created_at)
SELECT id, id, substr(nom, 1, 80), 'personne', 1, 0, created_at FROM professionnels;

-- A professional created from now on starts with one member, named as it is.
CREATE TRIGGER membres_pro_cree AFTER INSERT ON professionnels
BEGIN
    INSERT INTO membres (professionnel_id, nom, created_at)
    VALUES (NEW.id, substr(NEW.nom, 1, 80), NEW.created_at);
END;

-- Who can perform a service: a service needs one eligible person, and also one eligible
-- resource when its eligible members include resources (a mechanic and a bay).
CREATE TABLE services_membres (
    service_id          INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    membre_id           INTEGER NOT NULL REFERENCES membres (id) ON DELETE CASCADE,
    PRIMARY KEY (service_id, membre_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX services_membres_membre ON services_membres (membre_id);
INSERT INTO services_membres (service_id, membre_id)
SELECT s.id, m.id FROM services s JOIN membres m ON m.professionnel_id = s.professionnel_id;

-- A service and a member of two different establishments never go together, whatever
-- the code path.
CREATE TRIGGER services_membres_meme_etablissement BEFORE INSERT ON services_membres
    WHEN (SELECT professionnel_id FROM services WHERE id = NEW.service_id)
         IS NOT (SELECT professionnel_id FROM membres WHERE id = NEW.membre_id)
BEGIN
    SELECT RAISE(ABORT, 'services_membres: constraint failed (autre établissement)');
END;

-- A service created from now on can be performed by every active member of its
-- establishment; the professional narrows it down in their space.
CREATE TRIGGER services_membres_service_cree AFTER INSERT ON services
BEGIN
    INSERT INTO services_membres (service_id, membre_id)
    SELECT NEW.id, id FROM membres WHERE professionnel_id = NEW.professionnel_id AND actif = 1;
END;

-- Who performs a service changed: the next free slot is stale.
CREATE TRIGGER services_membres_insert_dispo AFTER INSERT ON services_membres
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = (SELECT professionnel_id FROM membres WHERE id = NEW.membre_id);
END;
CREATE TRIGGER services_membres_delete_dispo AFTER DELETE ON services_membres
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = (SELECT professionnel_id FROM membres WHERE id = OLD.membre_id);
END;
CREATE TRIGGER membres_update_dispo AFTER UPDATE OF actif ON membres
    WHEN OLD.actif IS NOT NEW.actif
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = NEW.professionnel_id;
END;

-- Seats in one session of the service: 1 is a one-to-one appointment.
ALTER TABLE services ADD COLUMN places INTEGER NOT NULL DEFAULT 1 CHECK (places BETWEEN 1 AND 50);

-- Hours and openings are a member's; time off is a member's, or the whole
-- establishment's when `membre_id` is NULL (a public holiday).
ALTER TABLE disponibilites ADD COLUMN membre_id INTEGER REFERENCES membres (id) ON DELETE CASCADE;
UPDATE disponibilites SET membre_id = professionnel_id;
CREATE INDEX disponibilites_membre ON disponibilites (membre_id);
ALTER TABLE absences ADD COLUMN membre_id INTEGER REFERENCES membres (id) ON DELETE CASCADE;
UPDATE absences SET membre_id = professionnel_id;
CREATE INDEX absences_membre ON absences (membre_id);

CREATE TABLE occupations_avant_0022 AS SELECT * FROM occupations;
DROP TABLE occupations;
CREATE TABLE reservations_avant_0022 AS SELECT * FROM reservations;
DROP TABLE reservations;

CREATE TABLE reservations (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    professionnel_id    INTEGER NOT NULL REFERENCES professionnels (id),
    service_id          INTEGER NOT NULL REFERENCES services (id),
    user_id             INTEGER          REFERENCES users (id) ON DELETE SET NULL,
    date_heure          INTEGER NOT NULL,
    fin                 INTEGER NOT NULL,
    statut              TEXT    NOT NULL CHECK (statut IN
                            ('offerte', 'en_attente_confirmation', 'en_attente_paiement',
                             'confirmee', 'terminee', 'absent', 'annulee', 'expiree')),
    message             TEXT    NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
    client_nom          TEXT    NOT NULL CHECK (length(client_nom) BETWEEN 1 AND 120),
    client_email        TEXT    NOT NULL COLLATE NOCASE CHECK (length(client_email) BETWEEN 3 AND 254),
    client_telephone    TEXT    NOT NULL DEFAULT '' CHECK (length(client_telephone) <= 30),
    reponses            TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(reponses) AND length(reponses) <= 20000),
    prix_centimes       INTEGER NOT NULL CHECK (prix_centimes >= 0),
    a_payer_centimes    INTEGER NOT NULL DEFAULT 0 CHECK (a_payer_centimes BETWEEN 0 AND prix_centimes),
    manage_token_hash   TEXT    NOT NULL CHECK (length(manage_token_hash) = 64),
    expire_at           INTEGER,
    annulee_par         TEXT             CHECK (annulee_par IS NULL OR annulee_par IN ('client', 'professionnel', 'systeme')),
    motif_annulation    TEXT             CHECK (motif_annulation IS NULL OR length(motif_annulation) <= 500),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    source_hash         TEXT             CHECK (source_hash IS NULL OR length(source_hash) = 64),
    confirmation_token_hash TEXT         CHECK (confirmation_token_hash IS NULL OR length(confirmation_token_hash) = 64),
    terminee_par        TEXT             CHECK (terminee_par IS NULL OR terminee_par IN ('professionnel', 'systeme')),
    anonymisee_at       INTEGER,
    -- The member the booking is assigned to: chosen by the client, or picked inside the
    -- writing batch among the free eligible ones ("peu importe"). NULL there means nobody
    -- was free: the NOT NULL fails the batch.
    membre_id           INTEGER NOT NULL REFERENCES membres (id),
    -- The resource it needs besides (a bay), for a service whose members include some.
    ressource_id        INTEGER          REFERENCES membres (id),
    -- The group session it takes a seat in ('g:<service>:<member>:<start>'), for a service
    -- of more than one seat; NULL for a one-to-one booking (its session is itself).
    seance              TEXT             CHECK (seance IS NULL OR length(seance) BETWEEN 1 AND 80),
    CHECK (date_heure < fin),
    CHECK ((statut = 'annulee') = (annulee_par IS NOT NULL)),
    CHECK (ressource_id IS NOT membre_id)
) STRICT;
INSERT INTO reservations (
    id, professionnel_id, service_id, user_id, date_heure, fin, statut, message, client_nom,
    client_email, client_telephone, reponses, prix_centimes, a_payer_centimes,
    manage_token_hash, expire_at, annulee_par, motif_annulation, created_at, updated_at,
    source_hash, confirmation_token_hash, terminee_par, anonymisee_at, membre_id)
SELECT
    id, professionnel_id, service_id, user_id, date_heure, fin, statut, message, client_nom,
    client_email, client_telephone, reponses, prix_centimes, a_payer_centimes,
    manage_token_hash, expire_at, annulee_par, motif_annulation, created_at, updated_at,
    source_hash, confirmation_token_hash, terminee_par, anonymisee_at, professionnel_id
FROM reservations_avant_0022;
DROP TABLE reservations_avant_0022;
CREATE INDEX reservations_agenda ON reservations (professionnel_id, date_heure);
CREATE INDEX reservations_membre ON reservations (membre_id, date_heure);
CREATE INDEX reservations_client ON reservations (client_email);
CREATE INDEX reservations_echeances ON reservations (statut, expire_at);
CREATE INDEX reservations_source ON reservations (source_hash) WHERE source_hash IS NOT NULL;
CREATE INDEX reservations_a_anonymiser ON reservations (fin) WHERE anonymisee_at IS NULL;
CREATE INDEX reservations_seance ON reservations (seance) WHERE seance IS NOT NULL;

CREATE TRIGGER reservations_insert_dispo AFTER INSERT ON reservations
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = NEW.professionnel_id;
END;
CREATE TRIGGER reservations_update_dispo AFTER UPDATE OF statut, date_heure, fin, membre_id ON reservations
    WHEN OLD.statut IS NOT NEW.statut OR OLD.date_heure IS NOT NEW.date_heure OR OLD.fin IS NOT NEW.fin
      OR OLD.membre_id IS NOT NEW.membre_id
BEGIN
    UPDATE professionnels SET dispo_version = dispo_version + 1, dispo_revoir_a = 0
    WHERE id = NEW.professionnel_id;
END;

-- The slot claims, keyed by member: an active session of a member owns every 5-minute
-- granule of its occupied interval (buffers included). `seance` is the booking's id for
-- a one-to-one booking, and the session's key for a group session, whose bookings share
-- the granules (each inserts them only where the same session does not own them yet).
-- Any other owner is a primary-key conflict: the booking's batch fails as a whole, so a
-- member's one-to-one bookings and sessions never overlap. Rows are deleted in the batch
-- that cancels, expires or moves the session's last booking.
CREATE TABLE occupations (
    membre_id           INTEGER NOT NULL REFERENCES membres (id),
    tranche             INTEGER NOT NULL CHECK (tranche % 300 = 0),
    seance              TEXT    NOT NULL CHECK (length(seance) BETWEEN 1 AND 80),
    PRIMARY KEY (membre_id, tranche)
) STRICT, WITHOUT ROWID;
CREATE INDEX occupations_seance ON occupations (seance);
INSERT INTO occupations (membre_id, tranche, seance)
SELECT professionnel_id, tranche, reservation_id FROM occupations_avant_0022;
DROP TABLE occupations_avant_0022;

-- The seats of a group session: seat numbers 1..capacite, the capacity copied from the
-- service inside the statement that takes the seat; the seat after the last breaks the
-- CHECK, so the batch of the booking one too many fails as a whole.
CREATE TABLE places_reservees (
    seance              TEXT    NOT NULL CHECK (length(seance) BETWEEN 1 AND 80),
    place               INTEGER NOT NULL,
    reservation_id      TEXT    NOT NULL UNIQUE REFERENCES reservations (id) ON DELETE CASCADE,
    capacite            INTEGER NOT NULL CHECK (capacite BETWEEN 1 AND 50),
    PRIMARY KEY (seance, place),
    -- Named, so that its failure names the table (a full session, 409), as a key's does.
    CONSTRAINT places_reservees_capacite CHECK (place BETWEEN 1 AND capacite)
) STRICT, WITHOUT ROWID;

-- A group booking that stops holding its slot (cancelled, expired, finished, no-show),
-- whatever the code path, gives its seat back, and the session's granules with the last
-- seat. (A one-to-one booking's granules are deleted by the batch that changes it.)
CREATE TRIGGER places_liberees AFTER UPDATE OF statut ON reservations
    WHEN NEW.seance IS NOT NULL AND NEW.statut IN ('terminee', 'absent', 'annulee', 'expiree')
BEGIN
    DELETE FROM places_reservees WHERE reservation_id = NEW.id;
    DELETE FROM occupations WHERE seance = NEW.seance
        AND NOT EXISTS (SELECT 1 FROM places_reservees WHERE seance = NEW.seance);
END;
