-- Accounts: the address check of a new account, and sign-in throttles that slow an
-- attacker down without ever locking the owner out.
-- Never edit this file once applied: add a new migration.

-- The links of the sign-up e-mail that prove the owner reads the account's address:
-- only the SHA-256 (hex) of the secret is kept; single use, expiring. Using one sets
-- users.email_verifie_at and attaches the guest bookings made with that address.
CREATE TABLE verifications_email (
    token_hash      TEXT    PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expire_at       INTEGER NOT NULL,
    utilise_at      INTEGER,
    created_at      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX verifications_email_user ON verifications_email (user_id);

-- Sign-in throttles with growing delays, one row per key ('connexion:paire:<e-mail>|<origin>',
-- 'connexion:source:<source>', 'connexion:compte:<e-mail>'): the attempts of the current
-- streak, and the instant before which the next attempt is refused. A streak is
-- forgotten after a quiet day (see booking_shared::comptes::limites).
CREATE TABLE freins (
    cle             TEXT    PRIMARY KEY CHECK (length(cle) <= 400),
    tentatives      INTEGER NOT NULL CHECK (tentatives >= 0),
    bloque_jusqua   INTEGER NOT NULL,
    derniere_at     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX freins_derniere ON freins (derniere_at);

-- The sources (an IPv4 address, an IPv6 /64) an account signed in from successfully:
-- attempts from them escape the account-wide throttle, so that strangers' wrong
-- passwords never lock the owner out at home.
CREATE TABLE sources_connues (
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    source          TEXT    NOT NULL CHECK (length(source) BETWEEN 1 AND 64),
    vue_at          INTEGER NOT NULL,
    PRIMARY KEY (user_id, source)
) STRICT, WITHOUT ROWID;
CREATE INDEX sources_connues_vue ON sources_connues (vue_at);

-- Guest bookings attached at sign-up to accounts whose address was never proved (made
-- before the account existed) go back to being guest bookings: they are attached again
-- when the owner uses the link of the address check.
UPDATE reservations SET user_id = NULL
WHERE user_id IN (SELECT id FROM users WHERE email_verifie_at IS NULL)
  AND created_at < (SELECT u.created_at FROM users u WHERE u.id = reservations.user_id);
