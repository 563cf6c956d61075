import type { ConnectionCheckSummary } from '#shared/check-schemas';
import { credentialsMethod, credentialsState, type CredentialsState } from '#shared/credentials';
import type { DestinationListQuery, ListSort } from '#shared/destination-schemas';
import type { DestinationRecord } from '../store/destinations-repository.ts';
import { decodeListCursor, encodeListCursor, InvalidListCursorError } from '../routes/destination-list.ts';

/*
 * The list as it was answered before the database answered it (issue 25): the whole table sorted and filtered in
 * memory. Kept as the reference the database's pages are compared with (destination-list.test.ts), every order and
 * filter, on both databases.
 */

/** A destination as the list filters and sorts it: what it shows, read once per list version. */
export type ListEntry = {
  record: DestinationRecord;
  lastCheck: ConnectionCheckSummary | null;
  /** Name, Bucket URI and Custom URL, lower-cased, for `q`. */
  text: string;
};

export { InvalidListCursorError };

export function listEntry(record: DestinationRecord, lastCheck: ConnectionCheckSummary | null): ListEntry {
  const { name, config } = record;
  return { record, lastCheck, text: `${name}\n${config.remote_url}\n${config.endpoint_url ?? ''}`.toLowerCase() };
}

type Key = string | null;
type Order = { key: (entry: ListEntry) => Key; descending: boolean };

const temporary = (entry: ListEntry) => credentialsMethod(entry.record.config) === 'temporary';
const ORDERS: Record<ListSort | 'newest', Order> = {
  newest: { key: (e) => e.record.created_at, descending: true },
  name: { key: (e) => e.record.name.toLowerCase(), descending: false },
  '-name': { key: (e) => e.record.name.toLowerCase(), descending: true },
  last_check: { key: (e) => e.lastCheck?.created_at ?? null, descending: false },
  '-last_check': { key: (e) => e.lastCheck?.created_at ?? null, descending: true },
  expires_at: { key: (e) => (temporary(e) ? e.record.config.token_expires_at : null), descending: false },
  '-expires_at': { key: (e) => (temporary(e) ? e.record.config.token_expires_at : null), descending: true },
};

/**
 * One total order per sort: the key in the direction asked (those without one — never tested, no expiry — last either
 * way), then the id in the same direction, so that a cursor names a place in it that survives inserts and deletes.
 */
function compare(order: Order, a: { key: Key; id: string }, b: { key: Key; id: string }): number {
  if (a.key !== b.key) {
    if (a.key === null) return 1;
    if (b.key === null) return -1;
    return (a.key < b.key ? -1 : 1) * (order.descending ? -1 : 1);
  }
  if (a.id === b.id) return 0;
  return (a.id < b.id ? -1 : 1) * (order.descending ? -1 : 1);
}

/** The entries in the order `sort` names (newest first without one). Sorting does not move with the clock: cacheable. */
export function sortEntries(entries: ListEntry[], sort: ListSort | undefined): ListEntry[] {
  const order = ORDERS[sort ?? 'newest'];
  const keyed = entries.map((entry) => ({ entry, key: order.key(entry), id: entry.record.id }));
  keyed.sort((a, b) => compare(order, a, b));
  return keyed.map(({ entry }) => entry);
}

const STATUS_OF = { SUCCESS: 'passing', FAILURE: 'failing', SCHEDULED: null } as const;

/** The credentials state now, by the shared expiry function (the one the API's `credentials.state` uses). */
export function stateOf(entry: ListEntry, now: Date): CredentialsState {
  const { config, expired_by_check: expiredByCheck } = entry.record;
  const method = credentialsMethod(config);
  return credentialsState({ method, expiresAt: config.token_expires_at, savedAt: config.token_saved_at, expiredByCheck, now });
}

/** The entries (already in order) that `q`, `status` and `credentials` keep; the order is kept. */
export function filterEntries(sorted: ListEntry[], query: Pick<DestinationListQuery, 'q' | 'status' | 'credentials'>, now: Date): ListEntry[] {
  const needle = query.q?.trim().toLowerCase() ?? '';
  const statuses = query.status ? new Set<string>(query.status) : null;
  const states = query.credentials ? new Set<string>(query.credentials) : null;
  return sorted.filter((entry) => {
    if (needle && !entry.text.includes(needle)) return false;
    if (statuses) {
      const status = entry.lastCheck ? STATUS_OF[entry.lastCheck.status] : 'untested';
      if (status === null || !statuses.has(status)) return false;
    }
    return !states || states.has(stateOf(entry, now));
  });
}

/** One page of `selected` (in the order of `sort`) after `cursor`, and the cursor of the page after it, if any. */
export function pageEntries(
  selected: ListEntry[],
  sort: ListSort | undefined,
  limit: number,
  cursor: string | undefined,
): { items: ListEntry[]; nextCursor: string | null } {
  const name = sort ?? 'newest';
  const order = ORDERS[name];
  let start = 0;
  if (cursor !== undefined) {
    const after = decodeListCursor(cursor, name);
    // The first entry past the cursor's place: binary search, the order being total.
    let low = 0;
    let high = selected.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const entry = selected[middle] as ListEntry;
      if (compare(order, { key: order.key(entry), id: entry.record.id }, after) <= 0) low = middle + 1;
      else high = middle;
    }
    start = low;
  }
  const items = selected.slice(start, start + limit);
  const last = items.at(-1);
  const more = start + limit < selected.length;
  return { items, nextCursor: more && last ? encodeListCursor(name, { key: order.key(last), id: last.record.id }) : null };
}
