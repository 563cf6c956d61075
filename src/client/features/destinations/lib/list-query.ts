import { LIST_FILTER_NAMES, LIST_FILTERS, LIST_SORTS, type ListFilterName, type ListFilterValue, type ListSort } from '#shared/list-options';

/** Rows per page: the screen asks the server for one page at a time, whatever the number of connectors. */
export const PAGE_SIZE = 50;

/**
 * The screen's own names for several values of a filter at once: "attention" is the banner's link, expired or
 * expiring credentials. Sent to the API as the values it stands for.
 */
export const FILTER_ALIASES = { credentials: { attention: ['expired', 'expiring'] } } as const satisfies {
  [K in ListFilterName]?: Record<string, readonly ListFilterValue<K>[]>;
};
/** The words of each alias, in the filter's control. */
export const ALIAS_WORDS: Record<string, string> = { attention: 'Expired or expiring' };
type AliasOf<K extends ListFilterName> = K extends keyof typeof FILTER_ALIASES ? keyof (typeof FILTER_ALIASES)[K] : never;
/** A filter's value on the screen: one of its values, or one of its aliases. */
export type ScreenFilterValue<K extends ListFilterName> = ListFilterValue<K> | AliasOf<K>;
/** The values and aliases a filter takes on the screen, aliases first. */
export const screenValuesOf = <K extends ListFilterName>(name: K): ScreenFilterValue<K>[] => [
  ...(Object.keys((FILTER_ALIASES as Partial<Record<ListFilterName, object>>)[name] ?? {}) as AliasOf<K>[]),
  ...(LIST_FILTERS[name].values as readonly ListFilterValue<K>[]),
];

/** What the list shows, as the page's URL says it (so Back, reloads and links keep it): one value per filter. */
export type ListQuery = {
  q: string;
  sort: ListSort | null;
  cursor: string | null;
  /** The page number shown ("51–100 of …"); the cursor is what the server goes by. */
  page: number;
} & { [K in ListFilterName]: ScreenFilterValue<K> | null };

const oneOf = <T extends string>(value: string | null, allowed: readonly T[]): T | null =>
  value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;

/** The list's state from its URL; anything unknown there is ignored rather than sent to be refused. */
export function readListQuery(search: URLSearchParams): ListQuery {
  const page = Math.trunc(Number(search.get('page')));
  const cursor = search.get('cursor');
  const filters = Object.fromEntries(LIST_FILTER_NAMES.map((name) => [name, oneOf(search.get(name), screenValuesOf(name))]));
  return {
    q: (search.get('q') ?? '').slice(0, 200),
    sort: oneOf(search.get('sort'), LIST_SORTS),
    ...(filters as { [K in ListFilterName]: ScreenFilterValue<K> | null }),
    cursor: cursor || null,
    page: cursor && page > 1 ? page : 1,
  };
}

/** The page's URL for a query: only what differs from the defaults. */
export function listUrl(query: Partial<ListQuery>): string {
  const params = new URLSearchParams();
  if (query.q?.trim()) params.set('q', query.q.trim());
  if (query.sort) params.set('sort', query.sort);
  for (const name of LIST_FILTER_NAMES) {
    const value = query[name];
    if (value) params.set(name, value);
  }
  if (query.cursor) {
    params.set('cursor', query.cursor);
    if (query.page && query.page > 1) params.set('page', String(query.page));
  }
  const search = params.toString();
  return `/destinations${search ? `?${search}` : ''}`;
}

/** The same query with some choices changed: any change but the page starts again at the first page. */
export function withChange(query: ListQuery, change: Partial<Pick<ListQuery, 'q' | 'sort' | ListFilterName>>): string {
  return listUrl({ ...query, ...change, cursor: null, page: 1 });
}

/** The API's address for one page of this query. "attention" is the banner's link: expired or expiring. */
export function listApiPath(query: ListQuery, limit = PAGE_SIZE): string {
  const params = new URLSearchParams({ destination_type: 's3', limit: String(limit) });
  if (query.q.trim()) params.set('q', query.q.trim());
  if (query.sort) params.set('sort', query.sort);
  for (const name of LIST_FILTER_NAMES) {
    const value: string | null = query[name];
    if (value === null) continue;
    const aliases = (FILTER_ALIASES as Partial<Record<ListFilterName, Record<string, readonly string[]>>>)[name];
    params.set(name, aliases && Object.hasOwn(aliases, value) ? (aliases[value] ?? []).join(',') : value);
  }
  if (query.cursor) params.set('cursor', query.cursor);
  return `/api/v1/destinations?${params.toString()}`;
}

export const isFiltered = (query: ListQuery) => query.q.trim() !== '' || LIST_FILTER_NAMES.some((name) => query[name] !== null);

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
