import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Session, SignedInSession } from '../../shared/api-schemas.ts';
import { roleAtLeast, type UserRole } from '../../shared/roles.ts';
import { api } from './api-client.ts';

/** The session, or null when nobody is signed in (the server answers 200 {signed_in: false}). */
export async function getSession(): Promise<SignedInSession | null> {
  const session = await api<Session>('/api/session');
  return session.signed_in ? session : null;
}

export const sessionQueryOptions = () => queryOptions({ queryKey: ['session'], queryFn: getSession, staleTime: 60_000 });

export const useSession = () => useQuery(sessionQueryOptions());

/**
 * Whether the signed-in person's role allows what needs `least`: the screens offer only that. The server decides
 * anyway (a stale role is refused there, 403); this only keeps buttons away that would be refused.
 */
export function useCan(least: UserRole): boolean {
  const role = useSession().data?.user.role;
  return role !== undefined && roleAtLeast(role, least);
}
