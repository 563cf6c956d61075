-- Where a sign-in (failed or not) came from, for the record of attempts on the admin's password.
ALTER TABLE activity_log ADD COLUMN client_address TEXT;
