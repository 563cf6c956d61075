-- Who did what, when, and how it went: never a value, only names of fields.
CREATE TABLE activity_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  -- Kept after the destination is deleted, so its deletion stays on record.
  destination_id TEXT,
  kind TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
  detail TEXT,
  at TEXT NOT NULL
);
CREATE INDEX activity_log_destination ON activity_log (destination_id, id DESC);
