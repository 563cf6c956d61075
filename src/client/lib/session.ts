import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Session, SignedInSession } from '../../../../shared/api-schemas.ts';
import { api } from '../../../lib/api-client.ts';

/** The session, or null when nobody is signed in (the server answers 200 {signed_in: false}). */
export async function getSession(): Promise<SignedInSession | null> {
  const session = await api<Session>('/api/session');
  return session.signed_in ? session : null;
}

export const sessionQueryOptions = () => queryOptions({ queryKey: ['session'], queryFn: getSession, staleTime: 60_000 });

export const useSession = () => useQuery(sessionQueryOptions());
