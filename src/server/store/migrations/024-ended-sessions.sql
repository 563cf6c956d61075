-- oldest app version: 0.2.0
-- A deactivation ends the person's sessions by marking them rather than deleting them (issue 27): their next request
-- is told why they were signed out, instead of "sign in". The rows go when they expire, as every session does; a
-- reactivation deletes them. Older versions read a marked session as a live one of a deactivated user, which they
-- refuse (and delete) at its next request.
ALTER TABLE sessions ADD COLUMN ended_reason TEXT;
