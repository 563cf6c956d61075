import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ConnectionCheck } from '#shared/check-schemas';
import { api } from '#client/lib/api-client.ts';
import { destinationsQueryOptions } from './get-destinations.ts';

export const startConnectionCheck = (destinationId: string) =>
  api<ConnectionCheck>(`/api/v1/destinations/${destinationId}/connection-check`, { method: 'POST' });

export function useStartConnectionCheck() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: startConnectionCheck,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: destinationsQueryOptions().queryKey }),
  });
}
