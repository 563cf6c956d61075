import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { User, UserInvite, UserRole } from '#shared/user-schemas';
import { api } from '#client/lib/api-client.ts';
import { sessionQueryOptions } from '#client/lib/session.ts';

export type UserLink = { url: string; expires_at: string };

export const usersQueryOptions = () => queryOptions({ queryKey: ['users'], queryFn: ({ signal }) => api<User[]>('/api/v1/users', { signal }) });
export const useUsers = () => useQuery(usersQueryOptions());

/**
 * Inviting and making a new link are called directly rather than through mutations: the answer holds a one-time
 * link, and a mutation would keep it in the query client's cache after the dialog showing it closed.
 */
export const inviteUser = (input: UserInvite) => api<{ user: User; link: UserLink }>('/api/v1/users', { method: 'POST', body: input });
export const createUserLink = (id: string) => api<UserLink>(`/api/v1/users/${id}/link`, { method: 'POST' });

function useUserChange<T>(request: (input: T) => Promise<User>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: request, onSuccess: () => queryClient.invalidateQueries({ queryKey: usersQueryOptions().queryKey }) });
}

export const useChangeRole = () =>
  useUserChange(({ id, role }: { id: string; role: UserRole }) => api<User>(`/api/v1/users/${id}`, { method: 'PATCH', body: { role } }));
export const useSetActive = () =>
  useUserChange(({ id, active }: { id: string; active: boolean }) =>
    api<User>(`/api/v1/users/${id}/${active ? 'reactivate' : 'deactivate'}`, { method: 'POST' }),
  );

/** Whether the password form is offered beside single sign-on (admins; off needs single sign-on set up). */
export function useSetPasswordSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (on: boolean) => api<{ password_sign_in: boolean }>('/api/v1/settings/sign-in', { method: 'PUT', body: { password_sign_in: on } }),
    onSuccess: () => queryClient.invalidateQueries(sessionQueryOptions()),
  });
}
