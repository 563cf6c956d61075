-- oldest app version: 0.2.0
-- A cancelled check is neither a pass nor a failure (issue 27): it is marked, with who cancelled it, and a
-- destination's latest-check summary (its status in the list, the Failing/Passing filters, alerts) passes it by for
-- the check before. Older versions ignore the columns: a cancel they make is not marked, and counts as a failure there,
-- as it always did.
ALTER TABLE connection_checks ADD COLUMN cancelled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE connection_checks ADD COLUMN cancelled_by TEXT;
ALTER TABLE connection_checks ADD COLUMN cancelled_by_kind TEXT;
ALTER TABLE connection_checks ADD COLUMN cancelled_by_id TEXT;
UPDATE connection_checks SET cancelled = 1 WHERE reason = 'The check was cancelled before it finished.';
UPDATE destinations SET (last_check_id, last_check_status, last_check_reason, last_check_at, last_check_reported_at, last_check_config_version, last_check_trigger) = (
    SELECT c.id, c.status, c.reason, c.created_at, c.reported_at, c.config_version, c.trigger FROM connection_checks c
     WHERE c.destination_id = destinations.id AND c.cancelled = 0 ORDER BY c.created_at DESC, c.seq DESC LIMIT 1)
  WHERE last_check_id IN (SELECT id FROM connection_checks WHERE cancelled = 1);
