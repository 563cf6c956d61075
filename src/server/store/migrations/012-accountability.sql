-- The activity of one person, newest first (the Activity screen's filter).
CREATE INDEX activity_log_actor ON activity_log (actor, id DESC);
-- Where and with what a session was started, so people can tell their sessions apart and end the ones they do not
-- recognise. The user agent is cut to 200 characters.
ALTER TABLE sessions ADD COLUMN client_address TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
