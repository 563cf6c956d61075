import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateDestinationInput, DestinationWithWarnings } from '#shared/destination-schemas';
import { api } from '#client/lib/api-client.ts';
import { destinationsQueryOptions } from './get-destinations.ts';

export const createDestination = (input: CreateDestinationInput) =>
  api<DestinationWithWarnings>('/api/v1/destinations', { method: 'POST', body: input });

export function useCreateDestination() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createDestination,
    // The variables carry the secret: React Query must not keep them.
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: destinationsQueryOptions().queryKey }),
  });
}
