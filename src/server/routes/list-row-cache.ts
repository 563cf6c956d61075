import { randomUUID } from 'node:crypto';
import { credentialsState } from '../../shared/credentials.ts';
import type { Destination } from '../../shared/destination-schemas.ts';

/** Rows kept at most (about 0.7 KB of JSON each: some 15 MB). */
export const LIST_ROW_CACHE_ROWS = 20_000;

type Kept = { revision: number; before: string; after: string; credentials: Destination['credentials'] };

/**
 * Each destination's JSON in the whole list, kept by its row revision (migration 022: a trigger bumps it on every
 * change to the row, whichever instance or statement made it). The whole list reads only ids and revisions to know
 * which rows it still has, and builds only the others: without it, every request read and serialised every row
 * (1.3 ms + 1.7 ms per 1,000). Nothing is rebuilt after a write: a changed row has a new revision and is built once
 * when next listed. The one part that moves with the clock, the credentials' state, is computed at each read. Least
 * recently listed rows go first beyond `max`.
 */
export function createListRowCache(max = LIST_ROW_CACHE_ROWS) {
  // Marks where the state goes in a kept row; random, so no saved value can contain it.
  const mark = JSON.stringify(`state-${randomUUID()}`);
  const rows = new Map<string, Kept>();
  const stateOf = ({ credentials: c }: Pick<Kept, 'credentials'>, now: Date) =>
    JSON.stringify(credentialsState({ method: c.method, expiresAt: c.expires_at, savedAt: c.saved_at, expiredByCheck: c.expired_by_check, now }));
  return {
    /** The row's JSON as of `now`, if it is kept at this revision. */
    get(id: string, revision: number, now: Date): string | null {
      const kept = rows.get(id);
      if (!kept || kept.revision !== revision) return null;
      // Most recently listed last: the first in the map is the next to go.
      rows.delete(id);
      rows.set(id, kept);
      return `${kept.before}${stateOf(kept, now)}${kept.after}`;
    },
    /** The view's JSON (as JSON.stringify writes it), kept for the row at `revision`. */
    put(view: Destination, revision: number): string {
      const [before = '', after = ''] = JSON.stringify({ ...view, credentials: { ...view.credentials, state: JSON.parse(mark) as never } }).split(mark);
      rows.delete(view.id);
      rows.set(view.id, { revision, before, after, credentials: view.credentials });
      while (rows.size > max) rows.delete(rows.keys().next().value as string);
      return `${before}${JSON.stringify(view.credentials.state)}${after}`;
    },
    get size() {
      return rows.size;
    },
  };
}
export type ListRowCache = ReturnType<typeof createListRowCache>;
