import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiKey, ApiKeyCreate, ApiKeyCreated } from '#shared/api-key-schemas';
import { api } from '#client/lib/api-client.ts';

export const apiKeysQueryOptions = () =>
  queryOptions({ queryKey: ['api-keys'], queryFn: ({ signal }) => api<ApiKey[]>('/api/v1/api-keys', { signal }) });

export const useApiKeys = () => useQuery(apiKeysQueryOptions());

/**
 * Creates a key. Called directly rather than through a mutation: the answer holds the key, and a mutation would keep
 * it in the query client's cache after the dialog showing it closed. The key lives in that dialog's state alone.
 */
export const createApiKey = (input: ApiKeyCreate) => api<ApiKeyCreated>('/api/v1/api-keys', { method: 'POST', body: input });

export function useRevokeApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<ApiKey>(`/api/v1/api-keys/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: apiKeysQueryOptions().queryKey }),
  });
}
