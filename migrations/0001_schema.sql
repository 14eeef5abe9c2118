-- The whole schema of Booking Multisite.
-- Instants are UTC, as integer seconds since the Unix epoch. Money is integer cents (EUR).
-- Local wall-clock values (weekly hours, whole days off) are TEXT 'HH:MM' / 'YYYY-MM-DD'
-- in the professional's time zone. Never edit this file once applied: add a new migration.

CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    email               TEXT    NOT NULL COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
    password_hash       TEXT,
    role                TEXT    NOT NULL CHECK (role IN ('client', 'pro', 'admin')),
    nom                 TEXT    NOT NULL CHECK (length(nom) BETWEEN 1 AND 120),
    telephone           TEXT             CHECK (telephone IS NULL OR length(telephone) <= 30),
    type_professionnel  TEXT,
    token_version       INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    CHECK ((role = 'pro') = (type_professionnel IS NOT NULL))
) STRICT;
-- Unique whatever the case: COLLATE NOCASE on the column makes the index case-insensitive.
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE professionnels (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER UNIQUE REFERENCES users (id) ON DELETE SET NULL,
    vertical        TEXT    NOT NULL CHECK (length(vertical) BETWEEN 1 AND 40),
    slug            TEXT    NOT NULL CHECK (length(slug) BETWEEN 1 AND 80 AND slug NOT GLOB '*[^a-z0-9-]*'),
    nom             TEXT    NOT NULL CHECK (length(nom) BETWEEN 1 AND 120),
    bio             TEXT    NOT NULL DEFAULT '' CHECK (length(bio) <= 4000),
    ville           TEXT    NOT NULL CHECK (length(ville) BETWEEN 1 AND 80),
    region          TEXT    NOT NULL CHECK (length(region) BETWEEN 1 AND 80),
    photo_url       TEXT             CHECK (photo_url IS NULL OR length(photo_url) <= 500),
    prix_min        INTEGER          CHECK (prix_min IS NULL OR prix_min >= 0),
    prix_max        INTEGER          CHECK (prix_max IS NULL OR prix_max >= 0),
    note_moyenne    REAL             CHECK (note_moyenne IS NULL OR note_moyenne BETWEEN 1 AND 5),
    nombre_avis     INTEGER NOT NULL DEFAULT 0 CHECK (nombre_avis >= 0),
    public          INTEGER NOT NULL DEFAULT 0 CHECK (public IN (0, 1)),
    fuseau          TEXT    NOT NULL DEFAULT 'Europe/Paris',
    created_at      INTEGER NOT NULL,
    CHECK (prix_min IS NULL OR prix_max IS NULL OR prix_min <= prix_max)
) STRICT;
CREATE UNIQUE INDEX professionnels_vertical_slug ON professionnels (vertical, slug);
CREATE INDEX professionnels_recherche ON professionnels (vertical, public, ville);

CREATE TABLE services (
    id                  INTEGER PRIMARY KEY,
    professionnel_id    INTEGER NOT NULL REFERENCES professionnels (id) ON DELETE CASCADE,
    nom                 TEXT    NOT NULL CHECK (length(nom) BETWEEN 1 AND 120),
    description         TEXT    NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    duree_minutes       INTEGER NOT NULL CHECK (duree_minutes BETWEEN 5 AND 480 AND duree_minutes % 5 = 0),
    prix_centimes       INTEGER NOT NULL CHECK (prix_centimes BETWEEN 0 AND 10000000),
    -- A fixed deposit for this service; NULL follows the vertical's payment rule.
    acompte_centimes    INTEGER          CHECK (acompte_centimes IS NULL OR acompte_centimes BETWEEN 0 AND prix_centimes),
    actif               INTEGER NOT NULL DEFAULT 1 CHECK (actif IN (0, 1)),
    position            INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX services_professionnel ON services (professionnel_id, actif, position);

-- Opening hours: weekly ranges, or extra openings on one date.
CREATE TABLE disponibilites (
    id                  INTEGER PRIMARY KEY,
    professionnel_id    INTEGER NOT NULL REFERENCES professionnels (id) ON DELETE CASCADE,
    recurrence          TEXT    NOT NULL CHECK (recurrence IN ('hebdomadaire', 'date')),
    -- ISO weekday: 1 = lundi … 7 = dimanche.
    jour_semaine        INTEGER          CHECK (jour_semaine BETWEEN 1 AND 7),
    date                TEXT             CHECK (date IS NULL OR date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    heure_debut         TEXT    NOT NULL CHECK (heure_debut GLOB '[0-2][0-9]:[0-5][0-9]'),
    heure_fin           TEXT    NOT NULL CHECK (heure_fin GLOB '[0-2][0-9]:[0-5][0-9]'),
    CHECK (heure_debut < heure_fin),
    CHECK ((recurrence = 'hebdomadaire' AND jour_semaine IS NOT NULL AND date IS NULL)
        OR (recurrence = 'date' AND date IS NOT NULL AND jour_semaine IS NULL))
) STRICT;
CREATE INDEX disponibilites_professionnel ON disponibilites (professionnel_id);

-- Time off: whole local days (du..au inclusive), or a period between two instants.
CREATE TABLE absences (
    id                  INTEGER PRIMARY KEY,
    professionnel_id    INTEGER NOT NULL REFERENCES professionnels (id) ON DELETE CASCADE,
    type                TEXT    NOT NULL CHECK (type IN ('jours', 'periode')),
    du                  TEXT,
    au                  TEXT,
    debut               INTEGER,
    fin                 INTEGER,
    motif               TEXT    NOT NULL DEFAULT '' CHECK (length(motif) <= 200),
    CHECK ((type = 'jours' AND du IS NOT NULL AND au IS NOT NULL AND du <= au AND debut IS NULL AND fin IS NULL)
        OR (type = 'periode' AND debut IS NOT NULL AND fin IS NOT NULL AND debut < fin AND du IS NULL AND au IS NULL))
) STRICT;
CREATE INDEX absences_professionnel ON absences (professionnel_id);

CREATE TABLE reservations (
    id                  TEXT    PRIMARY KEY CHECK (length(id) = 36),
    professionnel_id    INTEGER NOT NULL REFERENCES professionnels (id),
    service_id          INTEGER NOT NULL REFERENCES services (id),
    user_id             INTEGER          REFERENCES users (id) ON DELETE SET NULL,
    date_heure          INTEGER NOT NULL,
    fin                 INTEGER NOT NULL,
    statut              TEXT    NOT NULL CHECK (statut IN
                            ('en_attente_paiement', 'confirmee', 'terminee', 'absent', 'annulee', 'expiree')),
    message             TEXT    NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
    client_nom          TEXT    NOT NULL CHECK (length(client_nom) BETWEEN 1 AND 120),
    client_email        TEXT    NOT NULL COLLATE NOCASE CHECK (length(client_email) BETWEEN 3 AND 254),
    client_telephone    TEXT    NOT NULL DEFAULT '' CHECK (length(client_telephone) <= 30),
    -- The vertical's extra form fields, validated against its configuration.
    reponses            TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(reponses) AND length(reponses) <= 20000),
    -- Price and amount due online, fixed when booked (cents).
    prix_centimes       INTEGER NOT NULL CHECK (prix_centimes >= 0),
    a_payer_centimes    INTEGER NOT NULL DEFAULT 0 CHECK (a_payer_centimes BETWEEN 0 AND prix_centimes),
    -- SHA-256 (hex) of the manage link's secret; the secret itself is never stored.
    manage_token_hash   TEXT    NOT NULL CHECK (length(manage_token_hash) = 64),
    -- While payment is pending, the slot is held until this instant.
    expire_at           INTEGER,
    annulee_par         TEXT             CHECK (annulee_par IS NULL OR annulee_par IN ('client', 'professionnel', 'systeme')),
    motif_annulation    TEXT             CHECK (motif_annulation IS NULL OR length(motif_annulation) <= 500),
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    CHECK (date_heure < fin),
    CHECK ((statut = 'annulee') = (annulee_par IS NOT NULL))
) STRICT;
CREATE INDEX reservations_agenda ON reservations (professionnel_id, date_heure);
CREATE INDEX reservations_client ON reservations (client_email);
CREATE INDEX reservations_echeances ON reservations (statut, expire_at);

-- The slot claims that make double booking impossible: an active booking owns every
-- 5-minute granule of [date_heure - buffer before, fin + buffer after). The primary key
-- refuses a second owner, so a booking's INSERT batch fails as a whole on any overlap.
-- Rows are deleted in the same batch that cancels or expires the booking.
CREATE TABLE occupations (
    professionnel_id    INTEGER NOT NULL REFERENCES professionnels (id),
    tranche             INTEGER NOT NULL CHECK (tranche % 300 = 0),
    reservation_id      TEXT    NOT NULL REFERENCES reservations (id) ON DELETE CASCADE,
    PRIMARY KEY (professionnel_id, tranche)
) STRICT, WITHOUT ROWID;
CREATE INDEX occupations_reservation ON occupations (reservation_id);

CREATE TABLE paiements (
    id                          INTEGER PRIMARY KEY,
    reservation_id              TEXT    NOT NULL REFERENCES reservations (id),
    montant                     INTEGER NOT NULL CHECK (montant > 0),
    currency                    TEXT    NOT NULL DEFAULT 'eur' CHECK (currency = 'eur'),
    type                        TEXT    NOT NULL CHECK (type IN ('acompte', 'total')),
    statut                      TEXT    NOT NULL CHECK (statut IN ('en_attente', 'paye', 'echoue', 'expire', 'rembourse')),
    stripe_checkout_session_id  TEXT UNIQUE,
    stripe_payment_intent_id    TEXT,
    stripe_refund_id            TEXT,
    created_at                  INTEGER NOT NULL,
    updated_at                  INTEGER NOT NULL
) STRICT;
CREATE INDEX paiements_reservation ON paiements (reservation_id);

-- Each Stripe event id is processed once: its INSERT is in the batch that applies it.
CREATE TABLE stripe_events (
    id              TEXT    PRIMARY KEY,
    type            TEXT    NOT NULL,
    received_at     INTEGER NOT NULL
) STRICT;

-- E-mails to send, written in the same batch as the change that causes them.
-- cle is unique per booking and kind (e.g. 'rappel:<reservation>:1440'): at most one each.
CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    cle                 TEXT    NOT NULL UNIQUE,
    kind                TEXT    NOT NULL CHECK (kind IN (
                            'reservation_creee_client', 'reservation_creee_pro', 'confirmation',
                            'annulation', 'deplacement', 'remboursement', 'rappel',
                            'reinitialisation_mot_de_passe', 'demande_avis')),
    reservation_id      TEXT             REFERENCES reservations (id),
    user_id             INTEGER          REFERENCES users (id) ON DELETE CASCADE,
    destinataire        TEXT    NOT NULL,
    -- What the message needs beyond the rows it points to (JSON).
    donnees             TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(donnees)),
    statut              TEXT    NOT NULL DEFAULT 'a_envoyer' CHECK (statut IN ('a_envoyer', 'envoye', 'abandonne', 'annule')),
    -- Not before this instant (reminders are planned ahead; retries back off).
    envoyer_a           INTEGER NOT NULL,
    -- A run owns the row until this instant; an expired claim may be taken again.
    reclame_par         TEXT,
    reclame_jusqua      INTEGER,
    tentatives          INTEGER NOT NULL DEFAULT 0 CHECK (tentatives >= 0),
    derniere_erreur     TEXT,
    envoye_at           INTEGER,
    created_at          INTEGER NOT NULL
) STRICT;
CREATE INDEX outbox_a_envoyer ON outbox (statut, envoyer_a);

CREATE TABLE avis (
    id                  INTEGER PRIMARY KEY,
    reservation_id      TEXT    NOT NULL UNIQUE REFERENCES reservations (id),
    professionnel_id    INTEGER NOT NULL REFERENCES professionnels (id) ON DELETE CASCADE,
    note                INTEGER NOT NULL CHECK (note BETWEEN 1 AND 5),
    commentaire         TEXT    NOT NULL DEFAULT '' CHECK (length(commentaire) <= 2000),
    auteur              TEXT    NOT NULL CHECK (length(auteur) BETWEEN 1 AND 120),
    created_at          INTEGER NOT NULL
) STRICT;
CREATE INDEX avis_professionnel ON avis (professionnel_id, created_at);

-- Guards for batches. D1 has no interactive transaction, so a batch that must apply only
-- if a condition holds inserts the condition here: a false one fails its named CHECK and
-- the whole batch rolls back. Every such batch empties the table before it ends.
--   garde_transition: the guarded UPDATE before it changed exactly one row (changes() = 1);
--   garde_journee: the professional's day still has room (maximum bookings per day).
CREATE TABLE gardes (
    transition  INTEGER CONSTRAINT garde_transition CHECK (transition IS NULL OR transition = 1),
    journee     INTEGER CONSTRAINT garde_journee CHECK (journee IS NULL OR journee = 1)
) STRICT;
