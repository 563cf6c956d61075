import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { Destination } from '../../../../shared/destination-schemas.ts';
import { apiRequest } from '../../../lib/api-client.ts';
import { listApiPath, nextCursorOf, type ListQuery } from '../lib/list-query.ts';

export type DestinationsPage = { items: Destination[]; total: number; nextCursor: string | null };

/** The root of every list query: invalidating it refreshes the list, whatever page or filter it shows. */
export const destinationsQueryOptions = () => ({ queryKey: ['destinations'] as const });

async function getPage(path: string, signal?: AbortSignal): Promise<DestinationsPage> {
  const { data, headers } = await apiRequest<Destination[]>(path, { signal });
  return { items: data, total: Number(headers.get('x-total-count') ?? data.length), nextCursor: nextCursorOf(headers.get('link')) };
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
