import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { sessionQueryOptions } from '../../../lib/session.ts';

import type { SignIn } from '../../../../shared/user-schemas.ts';

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
