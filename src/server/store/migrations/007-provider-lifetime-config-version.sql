-- What the wizard chose (aws, minio, r2, b2, ceph, other), kept so that editing shows the same choice.
ALTER TABLE destinations ADD COLUMN provider TEXT;
UPDATE destinations SET provider = CASE WHEN endpoint_url IS NULL THEN 'aws' ELSE 'other' END;
-- When the STS Token was saved: the start of the credentials' lifetime, which sets when the expiry warning begins.
ALTER TABLE destinations ADD COLUMN token_saved_at TEXT;
UPDATE destinations SET token_saved_at = updated_at WHERE token_enc IS NOT NULL;
-- Moves when the config changes (a rename does not): a check that tested an older config_version is stale.
ALTER TABLE destinations ADD COLUMN config_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE connection_checks ADD COLUMN config_version INTEGER;
UPDATE connection_checks SET config_version = 1 WHERE destination_id IS NOT NULL;
