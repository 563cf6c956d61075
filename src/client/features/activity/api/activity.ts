import { useInfiniteQuery } from '@tanstack/react-query';
import type { ActivityGroup, ActivityPage } from '#shared/activity-schemas';
import { api } from '#client/lib/api-client.ts';

export type ActivityFilter = { actor: string; group: ActivityGroup | '' };

/** Everyone's activity, newest first, a page at a time ("Show older"). */
export function useActivity(filter: ActivityFilter) {
  return useInfiniteQuery({
    queryKey: ['activity', filter],
    initialPageParam: null as number | null,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: '50' });
      if (filter.actor) params.set('actor', filter.actor);
      if (filter.group) params.set('group', filter.group);
      if (pageParam !== null) params.set('before', String(pageParam));
      return api<ActivityPage>(`/api/v1/activity?${params}`, { signal });
    },
    getNextPageParam: (last) => last.next_before,
  });
}
