-- oldest app version: 0.2.0
-- Every change to a destination's row bumps its row_revision, whatever statement made it (a trigger, not each
-- UPDATE of the app): the whole list keeps each row's JSON by (id, row_revision) and reads only ids and revisions to
-- know which it still has (routes/list-row-cache.ts). Older versions write rows as before; the trigger bumps them too.
ALTER TABLE destinations ADD COLUMN row_revision INTEGER NOT NULL DEFAULT 0;
-- only sqlite
CREATE TRIGGER destinations_row_revision AFTER UPDATE ON destinations
  WHEN new.row_revision = old.row_revision
BEGIN
  UPDATE destinations SET row_revision = old.row_revision + 1 WHERE rowid = new.rowid;
END;
-- end only
-- only postgres
CREATE FUNCTION destinations_row_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.row_revision := OLD.row_revision + 1;
  RETURN NEW;
END
$$;
CREATE TRIGGER destinations_row_revision BEFORE UPDATE ON destinations FOR EACH ROW EXECUTE FUNCTION destinations_row_revision();
-- end only
