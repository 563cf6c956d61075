import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Session, SignedInSession, SignInOptions } from '#shared/api-schemas';
import { roleHolds, type Permission } from '#shared/permissions';
import { api } from './api-client.ts';

/**
 * The server's answer to who is signed in, kept whole: signed in or not, it says how one may sign in, so the sign-in
 * screen asks nothing more.
 */
export const sessionQueryOptions = () =>
  queryOptions({ queryKey: ['session'], queryFn: ({ signal }) => api<Session>('/api/session', { signal }), staleTime: 60_000 });

const signedIn = (session: Session): SignedInSession | null => (session.signed_in ? session : null);
const signInOptions = (session: Session): SignInOptions => session.sign_in;

/** The session, or null when nobody is signed in (the server answers 200 {signed_in: false}). */
export const useSession = () => useQuery({ ...sessionQueryOptions(), select: signedIn });

/** How one may sign in here: a password (unless turned off), and single sign-on when it is set up. */
export const useSignInOptions = () => useQuery({ ...sessionQueryOptions(), select: signInOptions });
/** Why this browser's session was ended, when its person should be told (an admin deactivated them); else null. */
export const useSessionEnded = () =>
  useQuery({ ...sessionQueryOptions(), select: (session: Session) => (session.signed_in ? null : session.ended) }).data ?? null;

/**
 * Whether the signed-in person's role holds a permission (src/shared/permissions.ts, the table the server enforces):
 * the screens offer only that. The server decides anyway (a stale role is refused there, 403); this only keeps
 * buttons away that would be refused.
 */
export function useCan(permission: Permission): boolean {
  return useCanAll()(permission);
}

/** `useCan` for a list decided at once (a menu): a function of the permission. */
export function useCanAll(): (permission: Permission) => boolean {
  const role = useSession().data?.user.role;
  return (permission) => role !== undefined && roleHolds(role, permission);
}
