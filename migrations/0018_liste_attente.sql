-- The waitlist. When a professional has nothing free in the window a client wants, the
-- client joins the professional's list for one service; when a slot of that window
-- frees, the first in line whose window holds it is offered it: the slot is held for
-- them by a booking in the new status 'offerte' (it claims its granules in
-- `occupations` like any hold, so nobody else can book it meanwhile), and the e-mail's
-- link books it. Never edit this file once applied: add a new migration.
--
-- Two CHECK lists grow, which SQLite can only do by rebuilding the table:
-- - reservations.statut gains 'offerte';
-- - outbox.kind gains the waitlist's e-mails: the address's confirmation and the offer.
-- As in 0005: foreign keys deferred to the end of the file, the old rows copied aside,
-- the table created anew under its own name, the rows (and the slot claims, which the
-- drop deletes by cascade) put back.
PRAGMA defer_foreign_keys = true;

CREATE TABLE occupations_avant_0018 AS SELECT * FROM occupations;
CREATE TABLE reservations_avant_0018 AS SELECT * FROM reservations;
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
    -- While payment, the client's confirmation or the answer to an offer is pending, the
    -- slot is held until then.
    expire_at           INTEGER,
    annulee_par         TEXT             CHECK (annulee_par IS NULL OR annulee_par IN ('client', 'professionnel', 'systeme')),
    motif_annulation    TEXT             CHECK (motif_annulation IS NULL OR length(motif_annulation) <= 500),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    source_hash         TEXT             CHECK (source_hash IS NULL OR length(source_hash) = 64),
    confirmation_token_hash TEXT         CHECK (confirmation_token_hash IS NULL OR length(confirmation_token_hash) = 64),
    terminee_par        TEXT             CHECK (terminee_par IS NULL OR terminee_par IN ('professionnel', 'systeme')),
    anonymisee_at       INTEGER,
    CHECK (date_heure < fin),
    CHECK ((statut = 'annulee') = (annulee_par IS NOT NULL))
) STRICT;
INSERT INTO reservations (
    id, professionnel_id, service_id, user_id, date_heure, fin, statut, message, client_nom,
    client_email, client_telephone, reponses, prix_centimes, a_payer_centimes,
    manage_token_hash, expire_at, annulee_par, motif_annulation, created_at, updated_at,
    source_hash, confirmation_token_hash, terminee_par, anonymisee_at)
SELECT
    id, professionnel_id, service_id, user_id, date_heure, fin, statut, message, client_nom,
    client_email, client_telephone, reponses, prix_centimes, a_payer_centimes,
    manage_token_hash, expire_at, annulee_par, motif_annulation, created_at, updated_at,
    source_hash, confirmation_token_hash, terminee_par, anonymisee_at
FROM reservations_avant_0018;
DROP TABLE reservations_avant_0018;
CREATE INDEX reservations_agenda ON reservations (professionnel_id, date_heure);
CREATE INDEX reservations_client ON reservations (client_email);
CREATE INDEX reservations_echeances ON reservations (statut, expire_at);
CREATE INDEX reservations_source ON reservations (source_hash) WHERE source_hash IS NOT NULL;
CREATE INDEX reservations_a_anonymiser ON reservations (fin) WHERE anonymisee_at IS NULL;

INSERT INTO occupations SELECT * FROM occupations_avant_0018;
DROP TABLE occupations_avant_0018;

CREATE TABLE outbox_avant_0018 AS SELECT * FROM outbox;
DROP TABLE outbox;
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    cle                 TEXT    NOT NULL UNIQUE,
    kind                TEXT    NOT NULL CHECK (kind IN (
                            'reservation_creee_client', 'reservation_creee_pro', 'confirmation',
                            'annulation', 'deplacement', 'remboursement', 'rappel',
                            'reinitialisation_mot_de_passe', 'demande_avis',
                            'demande_confirmation', 'verification_email', 'inscription_existante',
                            'decision_approbation', 'avis_retire',
                            'inscription_liste_attente', 'offre_liste_attente')),
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
FROM outbox_avant_0018;
DROP TABLE outbox_avant_0018;
CREATE INDEX outbox_a_envoyer ON outbox (statut, envoyer_a);
CREATE INDEX outbox_reservation ON outbox (reservation_id, kind, statut);

-- One client's place in one professional's line for one service. Its position is
-- (created_at, id): first come, first offered. The window is the local days du..au, or
-- none for "as soon as possible" (up to the vertical's booking horizon); the entry
-- expires at fin_fenetre. A guest's entry ('a_confirmer') gets no offer until the owner
-- of the address confirms it from the e-mail, so nobody can subscribe a stranger.
-- 'servie' once an offer was accepted, 'quittee' when the client left the list.
CREATE TABLE liste_attente (
    id                  INTEGER PRIMARY KEY,
    professionnel_id    INTEGER NOT NULL REFERENCES professionnels (id) ON DELETE CASCADE,
    service_id          INTEGER NOT NULL REFERENCES services (id) ON DELETE CASCADE,
    user_id             INTEGER          REFERENCES users (id) ON DELETE SET NULL,
    email               TEXT    NOT NULL COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
    nom                 TEXT    NOT NULL CHECK (length(nom) BETWEEN 1 AND 120),
    du                  TEXT             CHECK (du IS NULL OR du GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    au                  TEXT             CHECK (au IS NULL OR au GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    fin_fenetre         INTEGER NOT NULL,
    statut              TEXT    NOT NULL CHECK (statut IN ('a_confirmer', 'active', 'servie', 'quittee', 'expiree')),
    -- SHA-256 (hex) of the secret of the e-mails' links (confirm, leave); never the secret.
    jeton_hash          TEXT    NOT NULL CHECK (length(jeton_hash) = 64),
    -- The site the client joined from: the offers' links point to it.
    base_url            TEXT    NOT NULL CHECK (length(base_url) BETWEEN 1 AND 300),
    -- When the scheduled job last walked this professional's line: it walks the lines
    -- waiting longest first, a few per run (each walk costs queries).
    passage_at          INTEGER,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    CHECK ((du IS NULL) = (au IS NULL) AND (du IS NULL OR du <= au))
) STRICT;
-- The e-mails' links name the entry by their secret alone.
CREATE UNIQUE INDEX liste_attente_jeton ON liste_attente (jeton_hash);
CREATE INDEX liste_attente_file ON liste_attente (professionnel_id, statut, created_at, id);
CREATE INDEX liste_attente_email ON liste_attente (email);
CREATE INDEX liste_attente_user ON liste_attente (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX liste_attente_fin ON liste_attente (statut, fin_fenetre);

-- The offers made: one entry is offered one slot start at most once (the primary key),
-- through the booking that holds it for them.
CREATE TABLE liste_attente_offres (
    inscription_id      INTEGER NOT NULL REFERENCES liste_attente (id) ON DELETE CASCADE,
    debut               INTEGER NOT NULL,
    reservation_id      TEXT    NOT NULL UNIQUE REFERENCES reservations (id),
    declinee_at         INTEGER,
    created_at          INTEGER NOT NULL,
    PRIMARY KEY (inscription_id, debut)
) STRICT;
