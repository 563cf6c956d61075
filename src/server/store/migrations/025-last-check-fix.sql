-- oldest app version: 0.2.0
-- A failing row of the list offers the failure's fix (issue 27): the code of the step that failed a check is kept
-- beside the check, and the latest check's code and region (the region its bucket said it is in) on the destination's
-- row with the rest of its summary. Checks that ended before this migration have no code (their steps are JSON, which
-- the two databases read differently): their rows offer no fix until the next check. Older versions ignore the columns,
-- and an older instance beside a newer one (a rolling upgrade) copies a newer check's summary without them: the row
-- names the check its code and region belong to (last_check_detail_of), and they are read only while that check is
-- still the latest, so a row never offers the fix of a check before.
ALTER TABLE connection_checks ADD COLUMN failure_code TEXT;
ALTER TABLE destinations ADD COLUMN last_check_code TEXT;
ALTER TABLE destinations ADD COLUMN last_check_region TEXT;
ALTER TABLE destinations ADD COLUMN last_check_detail_of TEXT;
UPDATE destinations SET last_check_region = (SELECT c.region FROM connection_checks c WHERE c.id = destinations.last_check_id),
    last_check_detail_of = last_check_id
  WHERE last_check_id IS NOT NULL;
