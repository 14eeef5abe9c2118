-- Approval of professionals: a profile is listed only when its owner made it public AND
-- an admin approved it. Only the admin writes `approbation` (with the reason of a refusal
-- or a suspension, who decided and when); the professional's profile form never does.
-- What a vertical requires before approval (its document's `approbation.exigences`) is
-- kept here: the SIRET (14 digits, checked by the code with its Luhn key) and the bar.
-- Never edit this file once applied: add a new migration.
ALTER TABLE professionnels ADD COLUMN approbation TEXT NOT NULL DEFAULT 'en_attente'
    CHECK (approbation IN ('en_attente', 'approuve', 'refuse', 'suspendu'));
ALTER TABLE professionnels ADD COLUMN approbation_motif TEXT
    CHECK (approbation_motif IS NULL OR length(approbation_motif) BETWEEN 1 AND 1000);
ALTER TABLE professionnels ADD COLUMN approbation_par INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE professionnels ADD COLUMN approbation_at INTEGER;
ALTER TABLE professionnels ADD COLUMN siret TEXT
    CHECK (siret IS NULL OR (length(siret) = 14 AND siret NOT GLOB '*[^0-9]*'));
ALTER TABLE professionnels ADD COLUMN barreau TEXT
    CHECK (barreau IS NULL OR length(barreau) BETWEEN 2 AND 100);

-- Everyone listed so far was let in by the admin's publication: approved.
UPDATE professionnels SET approbation = 'approuve';

-- The directory filters on both; the admin's queue reads pending profiles first.
DROP INDEX professionnels_recherche;
CREATE INDEX professionnels_recherche ON professionnels (vertical, public, approbation, ville);
CREATE INDEX professionnels_approbation ON professionnels (approbation, created_at);

-- outbox.kind gains 'decision_approbation' (the professional is told the admin's
-- decision and its reason), which SQLite can only do by rebuilding the table (see 0005
-- for the method). outbox has no children.
PRAGMA defer_foreign_keys = true;
CREATE TABLE outbox_avant_0011 AS SELECT * FROM outbox;
DROP TABLE outbox;
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    cle                 TEXT    NOT NULL UNIQUE,
    kind                TEXT    NOT NULL CHECK (kind IN (
                            'reservation_creee_client', 'reservation_creee_pro', 'confirmation',
                            'annulation', 'deplacement', 'remboursement', 'rappel',
                            'reinitialisation_mot_de_passe', 'demande_avis',
                            'demande_confirmation', 'verification_email', 'inscription_existante',
                            'decision_approbation')),
    reservation_id      TEXT             REFERENCES reservations (id),
    user_id             INTEGER          REFERENCES users (id) ON DELETE CASCADE,
    destinataire        TEXT    NOT NULL,
    donnees             TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(donnees)),
    statut              TEXT    NOT NULL DEFAULT 'a_envoyer' CHECK (statut IN ('a_envoyer', 'envoye', 'abandonne', 'annule')),
    envoyer_a           INTEGER NOT NULL,
    reclame_par         TEXT,
    reclame_jusqua      INTEGER,
    tentatives          INTEGER NOT NULL DEFAULT 0 CHECK (tentatives >= 0),
    derniere_erreur     TEXT,
    envoye_at           INTEGER,
    created_at          INTEGER NOT NULL
) STRICT;
INSERT INTO outbox (
    id, cle, kind, reservation_id, user_id, destinataire, donnees, statut, envoyer_a,
    reclame_par, reclame_jusqua, tentatives, derniere_erreur, envoye_at, created_at)
SELECT
    id, cle, kind, reservation_id, user_id, destinataire, donnees, statut, envoyer_a,
    reclame_par, reclame_jusqua, tentatives, derniere_erreur, envoye_at, created_at
FROM outbox_avant_0011;
DROP TABLE outbox_avant_0011;
CREATE INDEX outbox_a_envoyer ON outbox (statut, envoyer_a);
CREATE INDEX outbox_reservation ON outbox (reservation_id, kind, statut);
