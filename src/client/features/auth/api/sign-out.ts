import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '#client/lib/api-client.ts';
import { sessionQueryOptions } from '#client/lib/session.ts';

export const signOut = () => api<null>('/api/session', { method: 'DELETE' });

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    onSuccess: () => {
      const sessionKey = sessionQueryOptions().queryKey;
      // Signed out, with the ways back in the server gave with the session.
      queryClient.setQueryData(sessionKey, (session) => (session ? { signed_in: false as const, sign_in: session.sign_in, ended: null } : session));
      // Nothing of the signed-in session stays in memory for the next person at this browser.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== sessionKey[0] });
    },
  });
}
