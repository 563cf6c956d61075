-- Who started a check (a user by e-mail, or an API key by name and prefix), so the activity entry of its outcome names
-- them as every other entry names its actor. NULL for a scheduled check: the server's own work.
ALTER TABLE connection_checks ADD COLUMN started_by TEXT;
