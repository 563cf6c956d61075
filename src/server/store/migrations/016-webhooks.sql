-- Alerts. A webhook's URL (Slack's and Teams' carry a token) and its signing secret are encrypted like the connectors'
-- secrets; url_hint is what people see of the URL (scheme and host). A webhook that kept failing is disabled, with
-- the reason, until an admin turns it on again.
CREATE TABLE webhooks (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  url_enc TEXT NOT NULL,
  url_hint TEXT NOT NULL,
  secret_enc TEXT NOT NULL,
  events TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  failing_since TEXT,
  disabled_at TEXT,
  reason TEXT
);
CREATE UNIQUE INDEX webhooks_name ON webhooks (lower(name));

-- One row per event and webhook: sent, retried with backoff (next_attempt_at), claimed with a lease like checks so
-- one instance sends it, and kept (the last 50 per webhook) as the delivery log.
CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  webhook_id TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
  event_id TEXT NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  claimed_by TEXT,
  lease_until TEXT,
  last_status_code INTEGER,
  last_error TEXT,
  created_at TEXT NOT NULL,
  delivered_at TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_of_webhook ON webhook_deliveries (webhook_id, created_at);

-- What the alerts last said of each connector: an event is sent when this moves (compare-and-set, so once across
-- instances). NULL until first seen.
ALTER TABLE destinations ADD COLUMN alert_check TEXT;
ALTER TABLE destinations ADD COLUMN alert_credentials TEXT;
