-- Single sign-on: a user signed in through an OpenID Provider is that provider's (issuer, subject) — never an e-mail,
-- which a provider may let people change. A user made by invitation is linked on their first sign-in, and only when
-- the provider vouches for the e-mail (email_verified).
ALTER TABLE users ADD COLUMN oidc_issuer TEXT;
ALTER TABLE users ADD COLUMN oidc_subject TEXT;
CREATE UNIQUE INDEX users_oidc ON users (oidc_issuer, oidc_subject);

-- Sign-ins under way at the provider: the state, nonce and PKCE verifier the callback must match, found by a hash of
-- the random value in the browser's cookie. Used once (deleted by the callback), worth nothing after expires_at.
CREATE TABLE oidc_logins (
  id_hash TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
);
CREATE INDEX oidc_logins_expires ON oidc_logins (expires_at);
