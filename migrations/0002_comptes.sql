-- Accounts, the professional's space and the admin.
-- Never edit this file once applied: add a new migration.

-- How each password hash was made, beside it, so the cost can be raised later: a hash
-- made with fewer iterations than today's is recomputed at the next sign-in.
ALTER TABLE users ADD COLUMN password_algorithme TEXT
    CHECK (password_algorithme IS NULL OR password_algorithme = 'pbkdf2-sha256');
ALTER TABLE users ADD COLUMN password_iterations INTEGER
    CHECK (password_iterations IS NULL OR password_iterations BETWEEN 1000 AND 10000000);
-- The salt, hex (16 random bytes).
ALTER TABLE users ADD COLUMN password_sel TEXT
    CHECK (password_sel IS NULL OR length(password_sel) BETWEEN 16 AND 128);

-- Password reset links: only the SHA-256 (hex) of the secret is kept; single use, expiring.
CREATE TABLE reinitialisations (
    token_hash      TEXT    PRIMARY KEY CHECK (length(token_hash) = 64),
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expire_at       INTEGER NOT NULL,
    utilise_at      INTEGER,
    created_at      INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX reinitialisations_user ON reinitialisations (user_id);

-- Rate limits (sign-in, password reset): one counter per key and fixed window.
-- cle is e.g. 'connexion:ip:203.0.113.7' or 'connexion:compte:<email>'.
CREATE TABLE limites (
    cle             TEXT    PRIMARY KEY CHECK (length(cle) <= 400),
    fenetre         INTEGER NOT NULL,
    nombre          INTEGER NOT NULL CHECK (nombre >= 0)
) STRICT, WITHOUT ROWID;

-- The private iCalendar feed: SHA-256 (hex) of the secret in its URL; NULL when revoked.
ALTER TABLE professionnels ADD COLUMN calendrier_token_hash TEXT
    CHECK (calendrier_token_hash IS NULL OR length(calendrier_token_hash) = 64);
CREATE UNIQUE INDEX professionnels_calendrier ON professionnels (calendrier_token_hash)
    WHERE calendrier_token_hash IS NOT NULL;

-- Every vertical document an admin submitted and that passed validation, newest last:
-- who changed what and when (the document itself lives in KV).
CREATE TABLE configurations_verticales (
    id              INTEGER PRIMARY KEY,
    vertical        TEXT    NOT NULL CHECK (length(vertical) BETWEEN 1 AND 40),
    document        TEXT    NOT NULL CHECK (json_valid(document)),
    user_id         INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX configurations_verticales_vertical ON configurations_verticales (vertical, id);
