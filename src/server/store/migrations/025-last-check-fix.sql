-- oldest app version: 0.2.0
-- A failing row of the list offers the failure's fix (issue 27): the code of the step that failed a check is kept
-- beside the check, and the latest check's code and region (the region its bucket said it is in) on the destination's
-- row with the rest of its summary. Checks that ended before this migration have no code (their steps are JSON, which
-- the two databases read differently): their rows offer no fix until the next check. Older versions ignore the columns.
ALTER TABLE connection_checks ADD COLUMN failure_code TEXT;
ALTER TABLE destinations ADD COLUMN last_check_code TEXT;
ALTER TABLE destinations ADD COLUMN last_check_region TEXT;
UPDATE destinations SET last_check_region = (SELECT c.region FROM connection_checks c WHERE c.id = destinations.last_check_id)
  WHERE last_check_id IS NOT NULL;
