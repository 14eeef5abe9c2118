-- Reviews that follow French law (Code de la consommation L111-7-2, décret 2017-1436).
-- Never edit this file once applied: add a new migration.
--
-- Who closed a booking: the professional (done or no-show, from the agenda) or the
-- scheduled job (a confirmed booking past its end). Only a booking the professional
-- marked done, or a paid one nobody marked absent, takes a review. Bookings closed before
-- this migration are counted as closed by the scheduled job.
ALTER TABLE reservations ADD COLUMN terminee_par TEXT
    CHECK (terminee_par IS NULL OR terminee_par IN ('professionnel', 'systeme'));
UPDATE reservations SET terminee_par = 'systeme' WHERE statut = 'terminee';

-- A review's moderation: published at once, reported by its professional (with a reason),
-- then kept or removed by the admin (with a reason, e-mailed to its author when removed).
ALTER TABLE avis ADD COLUMN statut TEXT NOT NULL DEFAULT 'publie'
    CHECK (statut IN ('publie', 'signale', 'retire'));
ALTER TABLE avis ADD COLUMN motif_signalement TEXT
    CHECK (motif_signalement IS NULL OR length(motif_signalement) BETWEEN 1 AND 500);
ALTER TABLE avis ADD COLUMN signale_at INTEGER;
ALTER TABLE avis ADD COLUMN motif_moderation TEXT
    CHECK (motif_moderation IS NULL OR length(motif_moderation) BETWEEN 1 AND 500);
ALTER TABLE avis ADD COLUMN modere_at INTEGER;
CREATE INDEX avis_statut ON avis (statut, signale_at);

-- outbox.kind gains 'avis_retire' (the author of a removed review is told why), which
-- SQLite can only do by rebuilding the table (see 0005 for the method). outbox has no
-- children.
PRAGMA defer_foreign_keys = true;
CREATE TABLE outbox_avant_0012 AS SELECT * FROM outbox;
DROP TABLE outbox;
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    cle                 TEXT    NOT NULL UNIQUE,
    kind                TEXT    NOT NULL CHECK (kind IN (
                            'reservation_creee_client', 'reservation_creee_pro', 'confirmation',
                            'annulation', 'deplacement', 'remboursement', 'rappel',
                            'reinitialisation_mot_de_passe', 'demande_avis',
                            'demande_confirmation', 'verification_email', 'inscription_existante',
                            'decision_approbation', 'avis_retire')),
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
FROM outbox_avant_0012;
DROP TABLE outbox_avant_0012;
CREATE INDEX outbox_a_envoyer ON outbox (statut, envoyer_a);
CREATE INDEX outbox_reservation ON outbox (reservation_id, kind, statut);
