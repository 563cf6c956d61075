-- A cancel asked for a check some instance is running: that instance stops it (told at once through the change
-- channel, or at its next progress write or lease renewal), cleans up its probes and ends it FAILURE.
ALTER TABLE connection_checks ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
