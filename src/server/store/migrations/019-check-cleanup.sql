-- oldest app version: 0.2.0
-- A check cut off before its cleanup ran (its instance died, or was killed at the end of its stop's grace period) is
-- marked here, and keeps its unsaved config (config_enc) until another instance — or this one, restarted — has
-- deleted the probes it may have written: their keys follow from the check's id. 0.1.0 would clear the config first.
ALTER TABLE connection_checks ADD COLUMN cleanup_pending INTEGER NOT NULL DEFAULT 0;
CREATE INDEX connection_checks_cleanup ON connection_checks (cleanup_pending, lease_until);
