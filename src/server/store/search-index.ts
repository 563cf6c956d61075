import type { SqlDatabase } from './sql.ts';

/**
 * An index for the list's `q` (a substring of `search_text`, lower-cased in JavaScript): on SQLite an FTS5 table with
 * the trigram tokenizer, kept by triggers (bundled with better-sqlite3); on PostgreSQL a pg_trgm GIN index. Made here
 * rather than in a migration — the two are not one SQL — once the list columns are filled (an external-content FTS5
 * table must never be told to delete a row it was not given). Without pg_trgm (no right to create the extension) the
 * search still works, scanning the rows; the start says so.
 */
export async function ensureSearchIndex(db: SqlDatabase): Promise<'ready' | 'made' | 'unavailable'> {
  if (db.dialect === 'sqlite') {
    const exists = await db.get("SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = 'destinations_search'");
    if (exists) return 'ready';
    await db.transaction(async (tx) => {
      await tx.exec(`
        CREATE VIRTUAL TABLE destinations_search USING fts5(search_text, content = 'destinations', content_rowid = 'rowid', tokenize = 'trigram');
        CREATE TRIGGER destinations_search_insert AFTER INSERT ON destinations BEGIN
          INSERT INTO destinations_search (rowid, search_text) VALUES (new.rowid, new.search_text);
        END;
        CREATE TRIGGER destinations_search_delete AFTER DELETE ON destinations BEGIN
          INSERT INTO destinations_search (destinations_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
        END;
        CREATE TRIGGER destinations_search_update AFTER UPDATE OF search_text ON destinations BEGIN
          INSERT INTO destinations_search (destinations_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
          INSERT INTO destinations_search (rowid, search_text) VALUES (new.rowid, new.search_text);
        END;
        INSERT INTO destinations_search (destinations_search) VALUES ('rebuild');
      `);
    });
    return 'made';
  }
  const exists = await db.get("SELECT 1 AS found FROM pg_indexes WHERE schemaname = current_schema() AND indexname = 'destinations_search_trgm'");
  if (exists) return 'ready';
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await db.exec('CREATE INDEX IF NOT EXISTS destinations_search_trgm ON destinations USING gin (search_text gin_trgm_ops)');
    return 'made';
  } catch {
    return 'unavailable';
  }
}

/** `q` as a GLOB pattern for the FTS5 trigram table: its own `*`, `?` and `[` bracketed, so they match themselves. */
export const globSubstring = (needle: string) => `*${needle.replace(/[*?[]/g, (c) => `[${c}]`)}*`;
/** `q` as a LIKE pattern (PostgreSQL, with `ESCAPE '\\'`): its own `%`, `_` and `\\` escaped. */
export const likeSubstring = (needle: string) => `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
