import type { ConnectionCheckSummary } from '../../shared/check-schemas.ts';
import type { ListCredentials, ListSort, ListStatus } from '../../shared/list-options.ts';
import { globSubstring, likeSubstring } from './search-index.ts';
import type { Sql, SqlValue } from './sql.ts';

/**
 * The destinations list answered by the database (issue 25): filters on the columns kept on each row (migration 021),
 * orders through their indexes, pages by keyset. Every order is total — the key in the direction asked, those without
 * one (never tested, no expiry) last either way, then the id in the same direction — so a cursor names a place that
 * survives inserts and deletes. Keys compare byte by byte in both databases (`COLLATE "C"` on PostgreSQL).
 */
export type ListFilter = { q?: string; status?: ListStatus[]; credentials?: ListCredentials[] };
export type ListCursor = { key: string | null; id: string };

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
};
export const LAST_CHECK_COLUMNS =
  'last_check_id, last_check_status, last_check_reason, last_check_at, last_check_reported_at, last_check_config_version, last_check_trigger';

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

const STATUS_SQL: Record<ListStatus, string> = {
  passing: "last_check_status = 'SUCCESS'",
  failing: "last_check_status = 'FAILURE'",
  untested: 'last_check_id IS NULL',
};

/** The credentials states as conditions on the stored expiry (`now`: the request's time), as credentialsState says them. */
function credentialsSql(state: ListCredentials, now: string): string {
  const temporary = 'expires_key IS NOT NULL';
  if (state === 'expired') return `(anonymous = 0 AND ambient_credentials = 0 AND role_arn IS NULL AND token_enc IS NOT NULL AND expired_by_check = 1) OR (${temporary} AND expires_key <= ${now})`;
  if (state === 'expiring') return `${temporary} AND expired_by_check = 0 AND expires_key > ${now} AND warn_from <= ${now}`;
  return `${temporary} AND expired_by_check = 0 AND warn_from > ${now}`;
}

/** The filter's conditions (shared by the page and its count). */
function filterWhere(dialect: Sql['dialect'], filter: ListFilter, now: Date): Where {
  const where = new Where();
  const needle = filter.q?.trim().toLowerCase() ?? '';
  // A substring of the searched text, whatever characters `q` holds (its pattern characters match themselves), through
  // the trigram index (search-index.ts) from three characters on; a shorter one scans.
  if (needle) {
    if (dialect === 'postgres') where.add(`search_text LIKE ${where.value(likeSubstring(needle))} ESCAPE '\\'`);
    else if ([...needle].length >= 3) where.add(`rowid IN (SELECT rowid FROM destinations_search WHERE search_text GLOB ${where.value(globSubstring(needle))})`);
    else where.add(`instr(search_text, ${where.value(needle)}) > 0`);
  }
  if (filter.status?.length) where.add(filter.status.map((status) => STATUS_SQL[status]).join(' OR '));
  if (filter.credentials?.length) {
    const at = where.value(now.toISOString());
    where.add(filter.credentials.map((state) => `(${credentialsSql(state, at)})`).join(' OR '));
  }
  return where;
}

export type PageRow<R> = R & { sort_key: string | null };

/**
 * One page (`limit` rows, and whether more follow) of `columns` from destinations in the order of `sort`, after
 * `cursor`. In two index ranges: the rows with a key (in order, after the cursor), then — when the page is not full —
 * those without one (in id order), so "without a key last" never sorts the table.
 */
export async function selectPage<R>(
  db: Sql,
  columns: string,
  options: { filter: ListFilter; sort: ListSort | undefined; limit: number; cursor: ListCursor | null; now: Date },
): Promise<{ rows: PageRow<R>[]; more: boolean }> {
  const order = LIST_ORDERS[options.sort ?? 'newest'];
  const collate = db.dialect === 'postgres' ? ' COLLATE "C"' : '';
  const key = `${order.column}${collate}`;
  const id = `id${collate}`;
  const direction = order.descending ? 'DESC' : 'ASC';
  const beyond = order.descending ? '<' : '>';
  const want = options.limit + 1;
  const run = async (keyed: boolean, taken: number) => {
    const where = filterWhere(db.dialect, options.filter, options.now);
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
    const ordering = keyed ? `${key} ${direction}, ${id} ${direction}` : `${id} ${direction}`;
    return db.all<PageRow<R>>(`SELECT ${columns}, ${order.column} AS sort_key FROM destinations ${where.sql()} ORDER BY ${ordering} LIMIT ${want - taken}`, where.values);
  };
  // A cursor among the keyless rows: the keyed ones are all behind it.
  const keyed = options.cursor && options.cursor.key === null ? [] : await run(true, 0);
  const rows = keyed.length >= want ? keyed : [...keyed, ...(await run(false, keyed.length))];
  return { rows: rows.slice(0, options.limit), more: rows.length > options.limit };
}

/** How many rows the filter keeps, counted up to `cap` (then `cap`, said as "cap+" by the caller). */
export async function countFiltered(db: Sql, filter: ListFilter, now: Date, cap: number): Promise<number> {
  const where = filterWhere(db.dialect, filter, now);
  const row = await db.get<{ n: number | string }>(`SELECT count(*) AS n FROM (SELECT 1 FROM destinations ${where.sql()} LIMIT ${cap + 1}) AS kept`, where.values);
  return Number(row?.n ?? 0);
}
