-- What the last calendar file read could not all give (RRULE parts not understood,
-- EXRULE), in French, shown to the professional beside the calendar; NULL when it was
-- read in full. Kept by a 304 (the same file).
-- Never edit this file once applied: add a new migration.
ALTER TABLE agendas_externes ADD COLUMN avertissement TEXT;
