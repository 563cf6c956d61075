import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { DestinationWithWarnings, UpdateDestinationInput } from '#shared/destination-schemas';
import { api } from '#client/lib/api-client.ts';
import { destinationsQueryOptions } from './get-destinations.ts';

export type UpdateDestinationVariables = { id: string; version: number; changes: UpdateDestinationInput };

export const updateDestination = ({ id, version, changes }: UpdateDestinationVariables) =>
  api<DestinationWithWarnings>(`/api/v1/destinations/${id}`, { method: 'PUT', body: changes, headers: { 'if-match': `"${version}"` } });

export function useUpdateDestination() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateDestination,
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: destinationsQueryOptions().queryKey }),
  });
}
