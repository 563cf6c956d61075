import {
  LIST_CREDENTIALS,
  LIST_SORTS,
  LIST_STATUSES,
  type ListCredentials,
  type ListSort,
  type ListStatus,
} from '../../../../shared/list-options.ts';

/** Rows per page: the screen asks the server for one page at a time, whatever the number of connectors. */
export const PAGE_SIZE = 50;

/** What the list shows, as the page's URL says it (so Back, reloads and links keep it). */
export type ListQuery = {
  q: string;
  sort: ListSort | null;
  status: ListStatus | null;
  credentials: ListCredentials | 'attention' | null;
  cursor: string | null;
  /** The page number shown ("51–100 of …"); the cursor is what the server goes by. */
  page: number;
};

const oneOf = <T extends string>(value: string | null, allowed: readonly T[]): T | null =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;

/** The list's state from its URL; anything unknown there is ignored rather than sent to be refused. */
export function readListQuery(search: URLSearchParams): ListQuery {
  const page = Math.trunc(Number(search.get('page')));
  const cursor = search.get('cursor');
  return {
    q: (search.get('q') ?? '').slice(0, 200),
    sort: oneOf(search.get('sort'), LIST_SORTS),
    status: oneOf(search.get('status'), LIST_STATUSES),
    credentials: oneOf(search.get('credentials'), [...LIST_CREDENTIALS, 'attention'] as const),
    cursor: cursor || null,
    page: cursor && page > 1 ? page : 1,
  };
}

/** The page's URL for a query: only what differs from the defaults. */
export function listUrl(query: Partial<ListQuery>): string {
  const params = new URLSearchParams();
  if (query.q?.trim()) params.set('q', query.q.trim());
  if (query.sort) params.set('sort', query.sort);
  if (query.status) params.set('status', query.status);
  if (query.credentials) params.set('credentials', query.credentials);
  if (query.cursor) {
    params.set('cursor', query.cursor);
    if (query.page && query.page > 1) params.set('page', String(query.page));
  }
  const search = params.toString();
  return `/destinations${search ? `?${search}` : ''}`;
}

/** The same query with some choices changed: any change but the page starts again at the first page. */
export function withChange(query: ListQuery, change: Partial<Pick<ListQuery, 'q' | 'sort' | 'status' | 'credentials'>>): string {
  return listUrl({ ...query, ...change, cursor: null, page: 1 });
}

/** The API's address for one page of this query. "attention" is the banner's link: expired or expiring. */
export function listApiPath(query: ListQuery, limit = PAGE_SIZE): string {
  const params = new URLSearchParams({ destination_type: 's3', limit: String(limit) });
  if (query.q.trim()) params.set('q', query.q.trim());
  if (query.sort) params.set('sort', query.sort);
  if (query.status) params.set('status', query.status);
  if (query.credentials) params.set('credentials', query.credentials === 'attention' ? 'expired,expiring' : query.credentials);
  if (query.cursor) params.set('cursor', query.cursor);
  return `/api/v1/destinations?${params.toString()}`;
}

export const isFiltered = (query: ListQuery) => query.q.trim() !== '' || query.status !== null || query.credentials !== null;

/** The cursor of the next or previous page, from the API's `Link: <…>; rel="next", <…>; rel="prev"`. */
export function linkCursorOf(link: string | null, rel: 'next' | 'prev'): string | null {
  const target = link ? new RegExp(`<([^>]+)>;\\s*rel="${rel}"`).exec(link)?.[1] : undefined;
  if (!target) return null;
  try {
    return new URL(target, 'http://localhost').searchParams.get('cursor');
  } catch {
    return null;
  }
}
