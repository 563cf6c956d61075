import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ConnectionCheck } from '#shared/check-schemas';
import { api } from '#client/lib/api-client.ts';

export const getConnectionChecks = (destinationId: string, signal?: AbortSignal) =>
  api<ConnectionCheck[]>(`/api/v1/destinations/${destinationId}/connection-checks`, { signal });

export const connectionChecksQueryOptions = (destinationId: string) =>
  queryOptions({
    queryKey: ['destinations', destinationId, 'connection-checks'],
    queryFn: ({ signal }) => getConnectionChecks(destinationId, signal),
  });

export const useConnectionChecks = (destinationId: string) => useQuery(connectionChecksQueryOptions(destinationId));
