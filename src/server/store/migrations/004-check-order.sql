-- The order checks were asked for, for ties within one millisecond: SQLite's rowid has no PostgreSQL twin.
ALTER TABLE connection_checks ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX connection_checks_seq ON connection_checks (seq);
