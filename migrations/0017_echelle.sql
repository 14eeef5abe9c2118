-- A booking is written in the same batch as the counting of its rate limits (one round
-- trip to D1 instead of three): this guard fails that batch when a counter has gone past
-- its rule's maximum, so that nothing is written; the use case then counts the attempt
-- alone and answers 429, as before.
ALTER TABLE gardes ADD COLUMN limites INTEGER
    CONSTRAINT garde_limites CHECK (limites IS NULL OR limites = 1);
