import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '#client/lib/api-client.ts';
import { sessionQueryOptions } from '#client/lib/session.ts';

import type { SignIn } from '#shared/user-schemas';

export const signIn = (credentials: SignIn) => api<null>('/api/session', { method: 'POST', body: credentials });

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signIn,
    // The password is a secret: React Query must not keep it once the mutation settles.
    gcTime: 0,
    onSuccess: () => queryClient.invalidateQueries(sessionQueryOptions()),
  });
}
