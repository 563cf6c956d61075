-- oldest app version: 0.2.0
-- External IDs of the "IAM role" method, as rows: issued to whom, for which connector (once bound, for good — the row
-- outlives the connector), and when that connector stopped holding it. An ID is valid because its row says so, never
-- because an encryption key still opens it. IDs held by connectors today become rows bound to them; an ID issued
-- before this version but never saved is not carried over (the user asks for a new one).
CREATE TABLE external_ids (
  external_id TEXT PRIMARY KEY,
  issued_at TEXT NOT NULL,
  issued_to TEXT,
  issued_to_kind TEXT,
  issued_to_id TEXT,
  -- No foreign key: deleting the connector must not free its ID for anyone else.
  destination_id TEXT,
  bound_at TEXT,
  spent_at TEXT
);
CREATE INDEX external_ids_destination ON external_ids (destination_id);
INSERT INTO external_ids (external_id, issued_at, destination_id, bound_at)
  SELECT external_id, created_at, id, updated_at FROM destinations WHERE external_id IS NOT NULL;
