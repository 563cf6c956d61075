-- Connection checks are rows: the queue, the live progress and the history in one place.
CREATE TABLE connection_checks (
  id TEXT PRIMARY KEY,
  -- The saved destination checked; NULL for a check of an unsaved config.
  destination_id TEXT REFERENCES destinations (id) ON DELETE CASCADE,
  -- For an unsaved patch merged with a saved destination: that destination (its secrets were used).
  base_destination_id TEXT REFERENCES destinations (id) ON DELETE CASCADE,
  status TEXT NOT NULL CHECK (status IN ('SCHEDULED', 'SUCCESS', 'FAILURE')),
  reason TEXT,
  steps TEXT NOT NULL,
  identity TEXT,
  region TEXT,
  -- An unsaved config, secrets included, encrypted; cleared as soon as the check finishes.
  config_enc TEXT,
  claimed_by TEXT,
  lease_until TEXT,
  created_at TEXT NOT NULL,
  reported_at TEXT,
  -- Bumped at every step change, so a reader can tell it has seen the latest state.
  revision INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX connection_checks_history ON connection_checks (destination_id, created_at DESC);
CREATE INDEX connection_checks_queue ON connection_checks (status, claimed_by, created_at);
