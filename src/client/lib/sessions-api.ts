import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionView } from '#shared/user-schemas';
import { api } from './api-client.ts';

/** Live sessions: yours, or (admins) someone's by user id. Shared by the Account screen and the Users screen. */
export const sessionsQueryOptions = (user?: string) =>
  queryOptions({
    queryKey: ['sessions', user ?? 'mine'],
    queryFn: ({ signal }) => api<SessionView[]>(`/api/v1/sessions${user ? `?user=${encodeURIComponent(user)}` : ''}`, { signal }),
  });
export const useSessions = (user?: string) => useQuery(sessionsQueryOptions(user));

export function useEndSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<null>(`/api/v1/sessions/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['sessions'] }),
  });
}
