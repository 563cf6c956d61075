import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Destination } from '#shared/destination-schemas';
import { api } from '#client/lib/api-client.ts';

export const getDestination = (id: string, signal?: AbortSignal) => api<Destination>(`/api/v1/destinations/${id}`, { signal });

export const destinationQueryOptions = (id: string) =>
  queryOptions({ queryKey: ['destinations', id], queryFn: ({ signal }) => getDestination(id, signal) });

export const useDestination = (id: string) => useQuery(destinationQueryOptions(id));
