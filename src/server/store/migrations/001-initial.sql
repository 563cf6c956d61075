-- Key-value settings: the admin password hash and the encryption key check.
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE destinations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type = 's3'),
  remote_url TEXT NOT NULL,
  anonymous INTEGER NOT NULL DEFAULT 0,
  ambient_credentials INTEGER NOT NULL DEFAULT 0,
  access_key TEXT,
  secret_enc TEXT,
  token_enc TEXT,
  endpoint_url TEXT,
  region TEXT,
  token_expires_at TEXT,
  expired_by_check INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
-- Names are unique regardless of case: "Prod" and "prod" side by side would only confuse.
CREATE UNIQUE INDEX destinations_name ON destinations (lower(name));
-- The list is newest first and pages on (created_at, id).
CREATE INDEX destinations_created ON destinations (created_at DESC, id DESC);

-- Only a hash of the session token is stored: a copy of the database does not sign anyone in.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
