import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { Destination } from '#shared/destination-schemas';
import { apiRequest } from '#client/lib/api-client.ts';
import { linkCursorOf, listApiPath, type ListQuery } from '../lib/list-query.ts';

/**
 * `total`: exact, or — when `totalAtLeast` — a floor (the server counts up to 10,000 and says "10000+"). No
 * `prevCursor`: this is the first page (the server answers a previous page that reaches the start with the first).
 */
export type DestinationsPage = { items: Destination[]; total: number; totalAtLeast: boolean; nextCursor: string | null; prevCursor: string | null };

/** The root of every list query: invalidating it refreshes the list, whatever page or filter it shows. */
export const destinationsQueryOptions = () => ({ queryKey: ['destinations'] as const });

async function getPage(path: string, signal?: AbortSignal): Promise<DestinationsPage> {
  const { data, headers } = await apiRequest<Destination[]>(path, { signal });
  const count = headers.get('x-total-count');
  const total = count === null ? data.length : Number.parseInt(count, 10);
  return {
    items: data,
    total: Number.isFinite(total) ? total : data.length,
    totalAtLeast: count?.endsWith('+') ?? false,
    nextCursor: linkCursorOf(headers.get('link'), 'next'),
    prevCursor: linkCursorOf(headers.get('link'), 'prev'),
  };
}

export const destinationsPageQueryOptions = (query: ListQuery) => {
  const path = listApiPath(query);
  return queryOptions({ queryKey: ['destinations', 'page', path], queryFn: ({ signal }) => getPage(path, signal) });
};

/** One page of the list as the URL asks for it; the previous page stays on screen while the next one loads. */
export const useDestinationsPage = (query: ListQuery) => useQuery({ ...destinationsPageQueryOptions(query), placeholderData: keepPreviousData });

/** How many connectors have expired or expiring credentials (the banner): counted by the server, a minute at most old. */
export const useAttentionCount = () =>
  useQuery({
    queryKey: ['destinations', 'attention'],
    queryFn: async ({ signal }) =>
      (await getPage(listApiPath({ q: '', sort: null, status: null, credentials: 'attention', cursor: null, page: 1 }, 1), signal)).total,
    refetchInterval: 60_000,
  });
