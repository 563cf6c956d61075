-- The "IAM role" method: the customer's role this server assumes, and the external ID it sends with AssumeRole (made
-- by the server, shown to the user, never secret). Both NULL for every other method. One external ID names one
-- connector: a second connector given the same one could reach the first one's role.
ALTER TABLE destinations ADD COLUMN role_arn TEXT;
ALTER TABLE destinations ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX destinations_external_id ON destinations (external_id);
