-- One row counting the writes the destinations list shows (a destination added, edited, removed or marked; a check
-- asked for or ended): the key of the list's cache, read in one lookup by every instance.
CREATE TABLE list_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO list_version (id, version) VALUES (1, 0);
