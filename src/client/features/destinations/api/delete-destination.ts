import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '#client/lib/api-client.ts';
import { destinationsQueryOptions } from './get-destinations.ts';

export const deleteDestination = ({ id, version }: { id: string; version: number }) =>
  api<{ detail: string }>(`/api/v1/destinations/${id}`, { method: 'DELETE', headers: { 'if-match': `"${version}"` } });

export function useDeleteDestination() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteDestination,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: destinationsQueryOptions().queryKey }),
  });
}
