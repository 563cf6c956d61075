-- People who sign in, each with a role: viewer < editor < admin. `email` is how one signs in (the first admin, made
-- from the single admin password of earlier versions, may be plain "admin"); unique regardless of case. Only a hash
-- of a password is kept; a user invited and not yet arrived has none. A deactivated user keeps the row, so the record
-- of who acted still names them.
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  password_hash TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  deactivated_at TEXT
);
CREATE UNIQUE INDEX users_email ON users (lower(email));

-- Whose session it is. Sessions of the single admin are given to the first admin user at start-up (admin-users.ts).
ALTER TABLE sessions ADD COLUMN user_id TEXT REFERENCES users (id) ON DELETE CASCADE;
CREATE INDEX sessions_user ON sessions (user_id);

-- One-time links: an invitation (the invitee sets a password) or a password reset. Only a hash of the link's token is
-- stored; a link is spent once used, and worth nothing after expires_at.
CREATE TABLE user_links (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at TEXT
);
CREATE INDEX user_links_user ON user_links (user_id);
