-- Every filter of the activity log answered by an index (no `kind LIKE …` over the whole log): the Activity screen's
-- group of each entry, stored as it is written, and the time, which the retention sweep deletes by.
ALTER TABLE activity_log ADD COLUMN kind_group TEXT;
UPDATE activity_log SET kind_group = CASE
  WHEN kind LIKE 'session.%' THEN 'sign_ins'
  WHEN kind LIKE 'user.%' OR kind LIKE 'api_key.%' OR kind LIKE 'settings.%' THEN 'people'
  WHEN kind LIKE 'destination.%' THEN 'connectors'
  WHEN kind LIKE 'check.%' THEN 'checks'
END;
CREATE INDEX activity_log_group ON activity_log (kind_group, id DESC);
CREATE INDEX activity_log_kind ON activity_log (kind, id DESC);
CREATE INDEX activity_log_at ON activity_log (at);
