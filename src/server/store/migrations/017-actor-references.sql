-- Who acted, as a reference no name can imitate: the kind of principal (a user, an API key) and its id, beside the
-- label kept for reading (a user's e-mail, a key's name and prefix). Entries from before are given their reference
-- where the label names an API key or a user that exists; the others keep their label only.
ALTER TABLE activity_log ADD COLUMN actor_kind TEXT;
ALTER TABLE activity_log ADD COLUMN actor_id TEXT;
UPDATE activity_log SET actor_kind = 'api_key', actor_id = (
  SELECT k.id FROM api_keys k WHERE activity_log.actor = 'API key "' || k.name || '" (' || k.prefix || '…)'
) WHERE actor LIKE 'API key "%' AND EXISTS (SELECT 1 FROM api_keys k WHERE activity_log.actor = 'API key "' || k.name || '" (' || k.prefix || '…)');
UPDATE activity_log SET actor_kind = 'user', actor_id = (SELECT u.id FROM users u WHERE lower(u.email) = lower(activity_log.actor))
  WHERE actor_kind IS NULL AND actor IS NOT NULL AND EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = lower(activity_log.actor));
-- The activity of one principal, newest first (the Activity screen's filter).
CREATE INDEX activity_log_actor_ref ON activity_log (actor_kind, actor_id, id DESC);
-- Who started a check, by the same reference: its outcome's activity entry names them, and the check queue shares its
-- slots between principals (decision 018): `principal` is who the slot counts for ("user:<id>", "api_key:<id>",
-- "schedule"), `queue_turn` the check's turn, taken when it is queued — 1 + the checks that principal had queued or
-- running then. Claims take the lowest turns first, through the index, so a claim reads only the rows it takes.
ALTER TABLE connection_checks ADD COLUMN started_by_kind TEXT;
ALTER TABLE connection_checks ADD COLUMN started_by_id TEXT;
ALTER TABLE connection_checks ADD COLUMN principal TEXT;
ALTER TABLE connection_checks ADD COLUMN queue_turn INTEGER NOT NULL DEFAULT 1;
CREATE INDEX connection_checks_principal ON connection_checks (principal, status);
CREATE INDEX connection_checks_fair_queue ON connection_checks (status, claimed_by, queue_turn, created_at, seq);
