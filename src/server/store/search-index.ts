import type { SqlDatabase } from './sql.ts';

/**
 * An index for the list's `q` (a substring of `search_text`, lower-cased in JavaScript): on SQLite an FTS5 table with
 * the trigram tokenizer, kept by triggers (bundled with better-sqlite3); on PostgreSQL a pg_trgm GIN index. Made here
 * rather than in a migration — the two are not one SQL — once the list columns are filled (an external-content FTS5
 * table must never be told to delete a row it was not given). Without pg_trgm (no right to create the extension) the
 * search still works, scanning the rows; the start says so.
 */
export type SearchIndexState = 'ready' | 'made' | 'unavailable' | 'pending-list';

/**
 * `pending-list`: the PostgreSQL index exists but keeps its pending list, because turning it off was refused (the app
 * does not own the index); searches work, a little slower, and the start says what to run.
 */
export async function ensureSearchIndex(db: SqlDatabase): Promise<SearchIndexState> {
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
  // Without GIN's pending list (fastupdate = off): with it, up to 4 MB of recent entries sit unsorted beside the
  // index until a vacuum, and every search reads all of them — 3.6 ms for one match among 100,000 connectors after a
  // bulk insert, 0.15 ms once the list was merged. Writes pay instead, a row at a time.
  const existing = await db.get<{ options: string[] | null }>(
    `SELECT c.reloptions AS options FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relname = 'destinations_search_trgm'`,
  );
  if (existing) {
    // Made by an earlier version with the pending list: turned off, and what it holds merged (once).
    if (!existing.options?.includes('fastupdate=off')) {
      try {
        await db.exec('ALTER INDEX destinations_search_trgm SET (fastupdate = off)');
        await db.exec("SELECT gin_clean_pending_list('destinations_search_trgm')");
      } catch {
        // Not the index's owner (a database administrator made it): the search works as it did; the start warns.
        return 'pending-list';
      }
    }
    return 'ready';
  }
  try {
    await db.exec('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    // The operator class where the extension lives: a database owner may have installed it in a schema other than
    // the app's (public, say), outside the app's search_path.
    const extension = await db.get<{ schema: string }>(
      "SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'",
    );
    const opclass = `"${(extension?.schema ?? 'public').replace(/"/g, '""')}".gin_trgm_ops`;
    await db.exec(`CREATE INDEX IF NOT EXISTS destinations_search_trgm ON destinations USING gin (search_text ${opclass}) WITH (fastupdate = off)`);
    return 'made';
  } catch {
    return 'unavailable';
  }
}

/** `q` as a GLOB pattern for the FTS5 trigram table: its own `*`, `?` and `[` bracketed, so they match themselves. */
export const globSubstring = (needle: string) => `*${needle.replace(/[*?[]/g, (c) => `[${c}]`)}*`;
/** `q` as a LIKE pattern (PostgreSQL, with `ESCAPE '\\'`): its own `%`, `_` and `\\` escaped. */
export const likeSubstring = (needle: string) => `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
