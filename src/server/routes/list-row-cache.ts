import { randomUUID } from 'node:crypto';
import { credentialsState } from '#shared/credentials';
import type { Destination } from '#shared/destination-schemas';

/** Rows kept at most (about 0.8 KB each: some 16 MB). */
export const LIST_ROW_CACHE_ROWS = 20_000;

/** A row's JSON with a mark where the credentials' state goes, and what the state is computed from. */
type Kept = { revision: number; marked: string; at: number; credentials: Destination['credentials'] };

/**
 * Each destination's JSON in the whole list, kept by its row revision (migration 022: a trigger bumps it on every
 * change to the row, whichever instance or statement made it). The whole list reads only ids and revisions to know
 * which rows it still has, and builds only the others: without it, every request read and serialised every row
 * (1.3 ms + 1.7 ms per 1,000). Nothing is rebuilt after a write: a changed row has a new revision and is built once
 * when next listed. The one part that moves with the clock, the credentials' state, is computed at each read.
 *
 * At most `max` rows, in two generations (no per-read bookkeeping): rows are added to the newer; when it holds half
 * of `max` it becomes the older and the older is dropped; a row read from the older moves to the newer. So the rows
 * least recently listed go first, and a list longer than the cache costs what it cost without one.
 */
export function createListRowCache(max = LIST_ROW_CACHE_ROWS) {
  // Marks where the state goes in a kept row; random, so no saved value can contain it.
  const mark = JSON.stringify(`state-${randomUUID()}`);
  let newer = new Map<string, Kept>();
  let older = new Map<string, Kept>();
  const keep = (id: string, kept: Kept) => {
    newer.set(id, kept);
    if (newer.size >= max / 2) {
      older = newer;
      newer = new Map();
    }
  };
  /** The kept row's JSON with `state` where the mark is. */
  const withState = (kept: Kept, state: string) =>
    `${kept.marked.slice(0, kept.at)}${JSON.stringify(state)}${kept.marked.slice(kept.at + mark.length)}`;
  const json = (kept: Kept, now: Date) => {
    const c = kept.credentials;
    return withState(
      kept,
      credentialsState({ method: c.method, expiresAt: c.expires_at, savedAt: c.saved_at, expiredByCheck: c.expired_by_check, now }),
    );
  };
  return {
    /** The row's JSON as of `now`, if it is kept at this revision. */
    get(id: string, revision: number, now: Date): string | null {
      let kept = newer.get(id);
      if (!kept) {
        kept = older.get(id);
        if (kept?.revision === revision) {
          older.delete(id);
          keep(id, kept);
        }
      }
      return kept?.revision === revision ? json(kept, now) : null;
    },
    /** Rows one whole list may add: more would push out its own first rows before the next read could use them. */
    get room() {
      return Math.floor(max / 2);
    },
    /** The view's JSON (as JSON.stringify writes it), kept for the row at `revision`. */
    put(view: Destination, revision: number): string {
      const marked = JSON.stringify({ ...view, credentials: { ...view.credentials, state: JSON.parse(mark) as never } });
      const kept = { revision, marked, at: marked.indexOf(mark), credentials: view.credentials };
      older.delete(view.id);
      keep(view.id, kept);
      return withState(kept, view.credentials.state);
    },
    get size() {
      return newer.size + older.size;
    },
  };
}
export type ListRowCache = ReturnType<typeof createListRowCache>;
