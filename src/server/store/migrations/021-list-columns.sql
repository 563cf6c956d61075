-- oldest app version: 0.2.0
-- What the destinations list sorts, filters and pages by, kept on each destination's row and written in the
-- transaction that changes it, so a page is an index range, not the table rebuilt in memory: the name lower-cased (in
-- JavaScript, as the list always compared it), the text `q` searches, the expiry of temporary credentials and the
-- moment their warning starts, and the summary of the latest check. The four text columns are filled for existing
-- rows at the first start (store/index.ts), the check summary here.
ALTER TABLE destinations ADD COLUMN name_key TEXT;
ALTER TABLE destinations ADD COLUMN search_text TEXT;
ALTER TABLE destinations ADD COLUMN expires_key TEXT;
ALTER TABLE destinations ADD COLUMN warn_from TEXT;
ALTER TABLE destinations ADD COLUMN last_check_id TEXT;
ALTER TABLE destinations ADD COLUMN last_check_status TEXT;
ALTER TABLE destinations ADD COLUMN last_check_reason TEXT;
ALTER TABLE destinations ADD COLUMN last_check_at TEXT;
ALTER TABLE destinations ADD COLUMN last_check_reported_at TEXT;
ALTER TABLE destinations ADD COLUMN last_check_config_version INTEGER;
ALTER TABLE destinations ADD COLUMN last_check_trigger TEXT;
UPDATE destinations SET (last_check_id, last_check_status, last_check_reason, last_check_at, last_check_reported_at, last_check_config_version, last_check_trigger) = (
  SELECT c.id, c.status, c.reason, c.created_at, c.reported_at, c.config_version, c.trigger FROM connection_checks c
   WHERE c.destination_id = destinations.id ORDER BY c.created_at DESC, c.seq DESC LIMIT 1);
-- Keys compare byte by byte in both databases (COLLATE BINARY is PostgreSQL's "C" there: db.ts).
CREATE INDEX destinations_list_newest ON destinations (created_at COLLATE BINARY, id COLLATE BINARY);
CREATE INDEX destinations_list_name ON destinations (name_key COLLATE BINARY, id COLLATE BINARY);
CREATE INDEX destinations_list_last_check ON destinations (last_check_at COLLATE BINARY, id COLLATE BINARY);
CREATE INDEX destinations_list_expires ON destinations (expires_key COLLATE BINARY, id COLLATE BINARY);
CREATE INDEX destinations_list_warn_from ON destinations (warn_from COLLATE BINARY);
CREATE INDEX destinations_list_status ON destinations (last_check_status);
