-- A professional's external calendars (Google, Outlook, Apple: their secret iCal
-- address), fetched by the scheduled job, and the busy intervals they give over the
-- coming days, which no booking may overlap.
-- Never edit this file once applied: add a new migration.
CREATE TABLE agendas_externes (
    id                  INTEGER PRIMARY KEY,
    professionnel_id    INTEGER NOT NULL REFERENCES professionnels (id) ON DELETE CASCADE,
    -- Checked against request forgery before it is stored (`agendas::AdresseAgenda`).
    url                 TEXT    NOT NULL CHECK (length(url) BETWEEN 9 AND 1024),
    -- The validators of the last file read, for a conditional GET.
    etag                TEXT,
    last_modified       TEXT,
    -- The last attempt (claimed by a run), the last file read, the last failure's
    -- French message (NULL when the last attempt succeeded).
    tente_at            INTEGER,
    lu_at               INTEGER,
    erreur              TEXT,
    occupations         INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    UNIQUE (professionnel_id, url)
) STRICT;
-- The scheduled job takes the calendars least recently tried first (never tried: NULL,
-- first).
CREATE INDEX agendas_externes_a_synchroniser ON agendas_externes (tente_at);

CREATE TABLE occupations_externes (
    agenda_id           INTEGER NOT NULL REFERENCES agendas_externes (id) ON DELETE CASCADE,
    professionnel_id    INTEGER NOT NULL,
    debut               INTEGER NOT NULL,
    fin                 INTEGER NOT NULL CHECK (fin > debut)
) STRICT;
CREATE INDEX occupations_externes_par_pro ON occupations_externes (professionnel_id, debut);
CREATE INDEX occupations_externes_par_agenda ON occupations_externes (agenda_id);

-- Fails a booking's batch when its time meets a busy interval of the professional.
ALTER TABLE gardes ADD COLUMN agenda_externe INTEGER
    CONSTRAINT garde_agenda_externe CHECK (agenda_externe IS NULL OR agenda_externe = 1);
