-- Two CHECK lists grow, which SQLite can only do by rebuilding the table:
-- - reservations.statut gains 'en_attente_confirmation': a guest booking without online
--   payment holds its slot until the client confirms it from the e-mail;
-- - outbox.kind gains the e-mails of that confirmation and of the account's address check.
-- Never edit this file once applied: add a new migration.
--
-- D1 runs a migration file as one transaction, with foreign keys deferred to its end:
-- the old rows are copied aside, the table dropped and created anew under its own name,
-- and the rows put back, so the children of `reservations` (paiements, outbox, avis) find
-- their parent again before the end. Dropping `reservations` also deletes its slot claims
-- (ON DELETE CASCADE): they are copied aside too and put back after the bookings.
PRAGMA defer_foreign_keys = true;

CREATE TABLE occupations_avant_0005 AS SELECT * FROM occupations;
CREATE TABLE reservations_avant_0005 AS SELECT * FROM reservations;
DROP TABLE reservations;

CREATE TABLE reservations (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    professionnel_id    INTEGER NOT NULL REFERENCES professionnels (id),
    service_id          INTEGER NOT NULL REFERENCES services (id),
    user_id             INTEGER          REFERENCES users (id) ON DELETE SET NULL,
    date_heure          INTEGER NOT NULL,
    fin                 INTEGER NOT NULL,
    statut              TEXT    NOT NULL CHECK (statut IN
                            ('en_attente_confirmation', 'en_attente_paiement', 'confirmee',
                             'terminee', 'absent', 'annulee', 'expiree')),
    message             TEXT    NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
    client_nom          TEXT    NOT NULL CHECK (length(client_nom) BETWEEN 1 AND 120),
    client_email        TEXT    NOT NULL COLLATE NOCASE CHECK (length(client_email) BETWEEN 3 AND 254),
    client_telephone    TEXT    NOT NULL DEFAULT '' CHECK (length(client_telephone) <= 30),
    reponses            TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(reponses) AND length(reponses) <= 20000),
    prix_centimes       INTEGER NOT NULL CHECK (prix_centimes >= 0),
    a_payer_centimes    INTEGER NOT NULL DEFAULT 0 CHECK (a_payer_centimes BETWEEN 0 AND prix_centimes),
    manage_token_hash   TEXT    NOT NULL CHECK (length(manage_token_hash) = 64),
    -- While payment or the client's confirmation is pending, the slot is held until then.
    expire_at           INTEGER,
    annulee_par         TEXT             CHECK (annulee_par IS NULL OR annulee_par IN ('client', 'professionnel', 'systeme')),
    motif_annulation    TEXT             CHECK (motif_annulation IS NULL OR length(motif_annulation) <= 500),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    CHECK (date_heure < fin),
    CHECK ((statut = 'annulee') = (annulee_par IS NOT NULL))
) STRICT;
INSERT INTO reservations (
    id, professionnel_id, service_id, user_id, date_heure, fin, statut, message, client_nom,
    client_email, client_telephone, reponses, prix_centimes, a_payer_centimes,
    manage_token_hash, expire_at, annulee_par, motif_annulation, created_at, updated_at)
SELECT
    id, professionnel_id, service_id, user_id, date_heure, fin, statut, message, client_nom,
    client_email, client_telephone, reponses, prix_centimes, a_payer_centimes,
    manage_token_hash, expire_at, annulee_par, motif_annulation, created_at, updated_at
FROM reservations_avant_0005;
DROP TABLE reservations_avant_0005;
CREATE INDEX reservations_agenda ON reservations (professionnel_id, date_heure);
CREATE INDEX reservations_client ON reservations (client_email);
CREATE INDEX reservations_echeances ON reservations (statut, expire_at);

INSERT INTO occupations SELECT * FROM occupations_avant_0005;
DROP TABLE occupations_avant_0005;

CREATE TABLE outbox_avant_0005 AS SELECT * FROM outbox;
DROP TABLE outbox;
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    cle                 TEXT    NOT NULL UNIQUE,
    kind                TEXT    NOT NULL CHECK (kind IN (
                            'reservation_creee_client', 'reservation_creee_pro', 'confirmation',
                            'annulation', 'deplacement', 'remboursement', 'rappel',
                            'reinitialisation_mot_de_passe', 'demande_avis',
                            'demande_confirmation', 'verification_email', 'inscription_existante')),
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
FROM outbox_avant_0005;
DROP TABLE outbox_avant_0005;
CREATE INDEX outbox_a_envoyer ON outbox (statut, envoyer_a);
CREATE INDEX outbox_reservation ON outbox (reservation_id, kind, statut);
