import { createHash, randomBytes } from 'node:crypto';
import type { SessionsRepository } from '../store/sessions-repository.ts';
import type { Role } from './route-access.ts';

export const SESSION_COOKIE = 'session';
export const IDLE_TIMEOUT_MS = 2 * 60 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
// Writing last_seen_at on every request would turn each read into a write.
const TOUCH_EVERY_MS = 60 * 1000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
/** How a session is named in lists and URLs: derived from its hash, so neither the token nor the stored hash ever leaves. */
export const publicSessionId = (tokenHash: string) => createHash('sha256').update(`session:${tokenHash}`).digest('hex').slice(0, 32);

/** Who a session signs in, as read with it on this request: a role changed elsewhere counts from the next request. */
export type SessionUser = { id: string; email: string; name: string; role: Role };
export type Session = { id: string; expiresAt: Date; user: SessionUser };

export function createSessionService(repo: SessionsRepository, now: () => Date = () => new Date()) {
  /**
   * As `validate`, and why a session the cookie names no longer works when a person should be told: their account
   * was deactivated (the session is kept, marked, until it expires, so every request of it says so).
   */
  async function check(token: string | undefined): Promise<{ session: Session | null; ended: 'deactivated' | null }> {
    const none = { session: null, ended: null };
    if (!token) return none;
    const tokenHash = hashToken(token);
    const session = await repo.find(tokenHash);
    if (!session) return none;
    const at = now().getTime();
    const lastSeen = Date.parse(session.last_seen_at);
    if (Date.parse(session.expires_at) <= at) {
      await repo.remove(tokenHash);
      return none;
    }
    if (session.ended_reason === 'deactivated' && session.deactivated_at !== null) return { session: null, ended: 'deactivated' };
    if (lastSeen + IDLE_TIMEOUT_MS <= at || session.deactivated_at !== null || session.ended_reason !== null) {
      await repo.remove(tokenHash);
      return none;
    }
    if (at - lastSeen >= TOUCH_EVERY_MS) await repo.touch(tokenHash, new Date(at).toISOString());
    return {
      session: {
        id: tokenHash,
        expiresAt: new Date(session.expires_at),
        user: { id: session.user_id, email: session.email, name: session.name, role: session.role },
      },
      ended: null,
    };
  }

  return {
    /** A new session for `userId`; `from` is where and with what it was started, shown in the sessions list. */
    async start(userId: string, from: { clientAddress?: string; userAgent?: string } = {}): Promise<{ token: string; expiresAt: Date }> {
      const token = randomBytes(32).toString('base64url');
      const at = now();
      const expiresAt = new Date(at.getTime() + ABSOLUTE_TIMEOUT_MS);
      await repo.create({
        token_hash: hashToken(token),
        user_id: userId,
        created_at: at.toISOString(),
        last_seen_at: at.toISOString(),
        expires_at: expiresAt.toISOString(),
        client_address: from.clientAddress ?? null,
        user_agent: from.userAgent?.slice(0, 200) ?? null,
      });
      return { token, expiresAt };
    },

    /**
     * The session (its id is the token's hash) and its user when the token is valid, else null. Read on every request
     * with the user's current role and state, so a deactivation on any instance refuses the next request; an expired
     * session, or one of a deactivated user, is removed.
     */
    async validate(token: string | undefined): Promise<Session | null> {
      return (await check(token)).session;
    },

    check,

    async end(token: string | undefined): Promise<void> {
      if (token) await repo.remove(hashToken(token));
    },

    async sweep(): Promise<number> {
      const at = now().getTime();
      return repo.removeExpired(new Date(at).toISOString(), new Date(at - IDLE_TIMEOUT_MS).toISOString());
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
