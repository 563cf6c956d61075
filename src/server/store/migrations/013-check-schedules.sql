-- Scheduled re-checks. Connectors saved before schedules existed start 'off', so an upgrade never starts writing probes
-- into every bucket; new ones get 'daily' unless they say otherwise (the API's default). next_check_at is when the
-- scheduler next starts a check of it (NULL: off).
ALTER TABLE destinations ADD COLUMN check_schedule TEXT NOT NULL DEFAULT 'off';
ALTER TABLE destinations ADD COLUMN next_check_at TEXT;
CREATE INDEX destinations_next_check ON destinations (next_check_at);
-- Who started a check: a person or key ('manual'), or the scheduler.
ALTER TABLE connection_checks ADD COLUMN trigger TEXT NOT NULL DEFAULT 'manual';
