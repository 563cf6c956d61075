import type { ConnectionCheckSummary } from '#shared/check-schemas';
import { LIST_FILTER_NAMES, type ListFilterName, type ListFilterValue, type ListFilterValues, type ListSort } from '#shared/list-options';
import { globSubstring, likeSubstring } from './search-index.ts';
import type { Sql, SqlValue } from './sql.ts';

/**
 * The destinations list answered by the database (issue 25): filters on the columns kept on each row (migration 021),
 * orders through their indexes, pages by keyset. Every order is total — the key in the direction asked, those without
 * one (never tested, no expiry) last either way, then the id in the same direction — so a cursor names a place that
 * survives inserts and deletes. Keys compare byte by byte in both databases (`COLLATE "C"` on PostgreSQL).
 */
export type ListFilter = { q?: string } & ListFilterValues;
/**
 * A place in the order: the key and id of a row given. Pages go on after it, or — `before` — end before it (the
 * previous page: read in the reverse order from the cursor, then turned round).
 */
export type ListCursor = { key: string | null; id: string; before?: boolean };

type Order = { column: string; descending: boolean };
export const LIST_ORDERS: Record<ListSort | 'newest', Order> = {
  newest: { column: 'created_at', descending: true },
  name: { column: 'name_key', descending: false },
  '-name': { column: 'name_key', descending: true },
  last_check: { column: 'last_check_at', descending: false },
  '-last_check': { column: 'last_check_at', descending: true },
  expires_at: { column: 'expires_key', descending: false },
  '-expires_at': { column: 'expires_key', descending: true },
};

/** The latest check's summary as the row keeps it, or null. */
export type LastCheckColumns = {
  last_check_id: string | null;
  last_check_status: ConnectionCheckSummary['status'] | null;
  last_check_reason: string | null;
  last_check_at: string | null;
  last_check_reported_at: string | null;
  last_check_config_version: number | null;
  last_check_trigger: ConnectionCheckSummary['trigger'] | null;
  last_check_code: string | null;
  last_check_region: string | null;
  /** The check the code and region were copied from (migration 025): an older instance copies a summary without them. */
  last_check_detail_of: string | null;
};
export const LAST_CHECK_COLUMNS =
  'last_check_id, last_check_status, last_check_reason, last_check_at, last_check_reported_at, last_check_config_version, last_check_trigger, last_check_code, last_check_region, last_check_detail_of';

export function lastCheckOf(row: LastCheckColumns): ConnectionCheckSummary | null {
  if (row.last_check_id === null || row.last_check_status === null || row.last_check_at === null) return null;
  return {
    id: row.last_check_id,
    status: row.last_check_status,
    reason: row.last_check_reason,
    created_at: row.last_check_at,
    reported_at: row.last_check_reported_at,
    config_version: row.last_check_config_version,
    trigger: row.last_check_trigger ?? 'manual',
    // Only the latest check's own: after an older instance wrote the summary, they are a check before's.
    code: row.last_check_detail_of === row.last_check_id ? row.last_check_code : null,
    region: row.last_check_detail_of === row.last_check_id ? row.last_check_region : null,
  } as ConnectionCheckSummary;
}

/** Conditions and their values, numbered as they are added. */
class Where {
  readonly clauses: string[] = [];
  readonly values: SqlValue[] = [];
  value(value: SqlValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  add(clause: string) {
    this.clauses.push(clause);
  }
  sql() {
    return this.clauses.length > 0 ? `WHERE ${this.clauses.map((clause) => `(${clause})`).join(' AND ')}` : '';
  }
}

const TEMPORARY = 'expires_key IS NOT NULL';
/**
 * Each filter of LIST_FILTERS as SQL, one condition per value (a row kept by any value of a filter is kept by it),
 * on the columns kept on each row; `now` is the placeholder of the request's time. The type makes every filter and
 * every value of it have one.
 */
const FILTER_SQL: { [K in ListFilterName]: Record<ListFilterValue<K>, (now: () => string) => string> } = {
  status: {
    passing: () => "last_check_status = 'SUCCESS'",
    failing: () => "last_check_status = 'FAILURE'",
    untested: () => 'last_check_id IS NULL',
  },
  // The credentials states as conditions on the stored expiry, as credentialsState says them.
  credentials: {
    expired: (now) =>
      `(anonymous = 0 AND ambient_credentials = 0 AND role_arn IS NULL AND token_enc IS NOT NULL AND expired_by_check = 1) OR (${TEMPORARY} AND expires_key <= ${now()})`,
    expiring: (now) => `${TEMPORARY} AND expired_by_check = 0 AND expires_key > ${now()} AND warn_from <= ${now()}`,
    ok: (now) => `${TEMPORARY} AND expired_by_check = 0 AND warn_from > ${now()}`,
  },
};

const needleOf = (filter: ListFilter) => filter.q?.trim().toLowerCase() ?? '';

/**
 * How `q` is matched on SQLite. `index`: the rows the trigram table names (search-index.ts) — reads every match, so
 * right when they are few. `scan`: each row read in the page's order is tested (`instr`) — reads until the page is
 * full, so right when matches are many (one in every few rows). Under three characters the trigram table cannot help
 * and rows are always tested. PostgreSQL's planner makes the same choice itself, from its statistics.
 */
type SearchBy = 'index' | 'scan';

/** The filter's conditions (shared by the page and its count). */
function filterWhere(dialect: Sql['dialect'], filter: ListFilter, now: Date, searchBy: SearchBy = 'index'): Where {
  const where = new Where();
  const needle = needleOf(filter);
  // A substring of the searched text, whatever characters `q` holds (its pattern characters match themselves).
  if (needle) {
    if (dialect === 'postgres') where.add(`search_text LIKE ${where.value(likeSubstring(needle))} ESCAPE '\\'`);
    else if ([...needle].length >= 3 && searchBy === 'index')
      where.add(`rowid IN (SELECT rowid FROM destinations_search WHERE search_text GLOB ${where.value(globSubstring(needle))})`);
    else where.add(`instr(search_text, ${where.value(needle)}) > 0`);
  }
  // The request's time, as one parameter, when a condition asks for it.
  let at: string | null = null;
  const nowParameter = () => (at ??= where.value(now.toISOString()));
  for (const name of LIST_FILTER_NAMES) {
    const values = filter[name] as ListFilterValue<typeof name>[] | undefined;
    if (!values?.length) continue;
    const sql = FILTER_SQL[name] as Record<string, (now: () => string) => string>;
    where.add(values.map((value) => `(${(sql[value] as (now: () => string) => string)(nowParameter)})`).join(' OR '));
  }
  return where;
}

export type PageRow<R> = R & { sort_key: string | null };

/**
 * When a search is dense on SQLite: `denseAt` trigram matches read to judge it so (then its rows are tested in order,
 * SearchBy `scan`), and `scanAtMost` rows read in order at most before asking the trigram table after all. A page
 * reads at most denseAt + scanAtMost rows, or denseAt + the matches when they are far down the order. Measured at
 * 100,000 connectors all matching: 141 ms through the trigram table, 0.02 ms in order (docs/benchmarks-scale.md).
 */
export type SearchLimits = { denseAt: number; scanAtMost: number };
const SEARCH_LIMITS: SearchLimits = { denseAt: 1_000, scanAtMost: 5_000 };

/** Whether `q` matches at least `denseAt` rows, by the trigram table (SQLite; reads at most that many). */
async function searchBy(db: Sql, filter: ListFilter, limits: SearchLimits): Promise<SearchBy> {
  const needle = needleOf(filter);
  if (db.dialect !== 'sqlite' || [...needle].length < 3) return 'index';
  const found = await db.get<{ n: number }>(
    `SELECT count(*) AS n FROM (SELECT rowid FROM destinations_search WHERE search_text GLOB $1 LIMIT ${limits.denseAt})`,
    [globSubstring(needle)],
  );
  return (found?.n ?? 0) >= limits.denseAt ? 'scan' : 'index';
}

/**
 * One page (`limit` rows, and whether more follow) of `columns` from destinations in the order of `sort`, after
 * `cursor`. In two index ranges: the rows with a key (in order, after the cursor), then — when the page is not full —
 * those without one (in id order), so "without a key last" never sorts the table. A `before` cursor reads the same
 * ranges the other way (the keyless rows first, each range in the reverse order, from the cursor back) and turns the
 * rows round: the page that ends where the cursor is, and `more` says whether rows come before it.
 */
export async function selectPage<R>(
  db: Sql,
  columns: string,
  options: { filter: ListFilter; sort: ListSort | undefined; limit: number; cursor: ListCursor | null; now: Date; searchLimits?: SearchLimits },
): Promise<{ rows: PageRow<R>[]; more: boolean }> {
  const limits = options.searchLimits ?? SEARCH_LIMITS;
  const order = LIST_ORDERS[options.sort ?? 'newest'];
  const collate = db.dialect === 'postgres' ? ' COLLATE "C"' : '';
  const key = `${order.column}${collate}`;
  const id = `id${collate}`;
  const backward = options.cursor?.before === true;
  const descending = order.descending !== backward;
  const direction = descending ? 'DESC' : 'ASC';
  const beyond = descending ? '<' : '>';
  const within = descending ? '>=' : '<=';
  const want = options.limit + 1;
  const search = await searchBy(db, options.filter, limits);
  /** The conditions of one range (keyed or not), after the cursor, `q` matched as `by` says; and its ordering. */
  const range = (keyed: boolean, by: SearchBy, withSearch = true) => {
    const where = filterWhere(db.dialect, withSearch ? options.filter : { ...options.filter, q: undefined }, options.now, by);
    if (keyed) {
      where.add(`${order.column} IS NOT NULL`);
      if (options.cursor && options.cursor.key !== null) {
        const k = where.value(options.cursor.key);
        const i = where.value(options.cursor.id);
        // A row-value comparison: an index range from the cursor on (an OR of the two conditions is not, and made each
        // page scan every row before it).
        where.add(`(${key}, ${id}) ${beyond} (${k}, ${i})`);
      }
    } else {
      where.add(`${order.column} IS NULL`);
      if (options.cursor && options.cursor.key === null) where.add(`${id} ${beyond} ${where.value(options.cursor.id)}`);
    }
    return { where, ordering: keyed ? `${key} ${direction}, ${id} ${direction}` : `${id} ${direction}` };
  };
  const select = (where: Where, ordering: string, limit: number) =>
    db.all<PageRow<R>>(
      `SELECT ${columns}, ${order.column} AS sort_key FROM destinations ${where.sql()} ORDER BY ${ordering} LIMIT ${limit}`,
      where.values,
    );
  const run = async (keyed: boolean, taken: number) => {
    if (search === 'index') {
      const { where, ordering } = range(keyed, 'index');
      return select(where, ordering, want - taken);
    }
    // Dense: the rows in order, each tested, but no further than the scanAtMost-th row of the range (found by the
    // order's index alone); if the page is not full by then, the matches are not where the order starts, and the
    // trigram table names them.
    const bounds = range(keyed, 'scan', false);
    const last = await db.get<{ k: string | null; i: string }>(
      `SELECT ${order.column} AS k, id AS i FROM destinations ${bounds.where.sql()} ORDER BY ${bounds.ordering} LIMIT 1 OFFSET ${limits.scanAtMost - 1}`,
      bounds.where.values,
    );
    const { where, ordering } = range(keyed, 'scan');
    if (last)
      where.add(keyed ? `(${key}, ${id}) ${within} (${where.value(last.k)}, ${where.value(last.i)})` : `${id} ${within} ${where.value(last.i)}`);
    const rows = await select(where, ordering, want - taken);
    if (rows.length >= want - taken || !last) return rows;
    const indexed = range(keyed, 'index');
    return select(indexed.where, indexed.ordering, want - taken);
  };
  // The keyed range comes first in the order, the keyless one last; read backwards, the other way round. A cursor in
  // one range has the other one all behind it (forwards: a keyless cursor; backwards: a keyed one).
  const ranges = backward ? [false, true] : [true, false];
  const skipFirst = options.cursor !== null && (options.cursor.key === null) !== backward;
  const first = skipFirst ? [] : await run(ranges[0] as boolean, 0);
  const rows = first.length >= want ? first : [...first, ...(await run(ranges[1] as boolean, first.length))];
  const page = rows.slice(0, options.limit);
  return { rows: backward ? page.reverse() : page, more: rows.length > options.limit };
}

/** How many rows the filter keeps, counted up to `cap` (then `cap`, said as "cap+" by the caller). */
export async function countFiltered(db: Sql, filter: ListFilter, now: Date, cap: number): Promise<number> {
  const needle = needleOf(filter);
  if (db.dialect === 'sqlite' && [...needle].length >= 3) {
    // From the trigram table's matches, joined to their rows, stopping at the cap: `rowid IN (…)` would gather every
    // match first (105 ms for 100,000 matches, against 8 ms).
    const where = filterWhere(db.dialect, { ...filter, q: undefined }, now);
    const glob = where.value(globSubstring(needle));
    const conditions = where.clauses.map((clause) => `(${clause})`);
    const row = await db.get<{ n: number }>(
      `SELECT count(*) AS n FROM (SELECT 1 FROM destinations_search s JOIN destinations ON destinations.rowid = s.rowid
        WHERE s.search_text GLOB ${glob}${conditions.map((condition) => ` AND ${condition}`).join('')} LIMIT ${cap + 1}) AS kept`,
      where.values,
    );
    return Number(row?.n ?? 0);
  }
  const where = filterWhere(db.dialect, filter, now);
  const row = await db.get<{ n: number | string }>(
    `SELECT count(*) AS n FROM (SELECT 1 FROM destinations ${where.sql()} LIMIT ${cap + 1}) AS kept`,
    where.values,
  );
  return Number(row?.n ?? 0);
}
