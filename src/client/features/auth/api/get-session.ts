import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Session } from '../../../../shared/api-schemas.ts';
import { api, ApiError } from '../../../lib/api-client.ts';

/** The session, or null when nobody is signed in (401 is an answer here, not an error). */
export async function getSession(): Promise<Session | null> {
  try {
    return await api<Session>('/api/session', { expectSignedOut: true });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export const sessionQueryOptions = () => queryOptions({ queryKey: ['session'], queryFn: getSession, staleTime: 60_000 });

export const useSession = () => useQuery(sessionQueryOptions());
