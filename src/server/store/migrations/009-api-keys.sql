-- API keys for scripts. Only a hash of each key is stored (a copy of the database authenticates nobody); `prefix` is
-- the key's first characters, for people to tell keys apart. A revoked key keeps its row, so the record of who acted
-- still names it; names are unique among the keys still in use.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'editor')),
  owner TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  last_used_at TEXT,
  revoked_at TEXT
);
CREATE UNIQUE INDEX api_keys_live_name ON api_keys (lower(name)) WHERE revoked_at IS NULL;

-- Who acted: "admin", or an API key as it was named then.
ALTER TABLE activity_log ADD COLUMN actor TEXT;
