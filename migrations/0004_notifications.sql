-- Notifications: the outbox is searched by booking when a booking is moved or cancelled
-- (its pending reminders and review request are dropped or re-planned in the same batch).
CREATE INDEX outbox_reservation ON outbox (reservation_id, kind, statut);
