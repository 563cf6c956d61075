import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Destination } from '../../../../shared/destination-schemas.ts';
import { api } from '../../../lib/api-client.ts';

export const getDestinations = (signal?: AbortSignal) =>
  api<Destination[]>('/api/v1/destinations?destination_type=s3', { signal });

export const destinationsQueryOptions = () =>
  queryOptions({ queryKey: ['destinations'], queryFn: ({ signal }) => getDestinations(signal) });

export const useDestinations = () => useQuery(destinationsQueryOptions());
