import { createHash, randomBytes } from 'node:crypto';
import type { SessionsRepository } from '../store/sessions-repository.ts';

export const SESSION_COOKIE = 'session';
export const IDLE_TIMEOUT_MS = 2 * 60 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;
// Writing last_seen_at on every request would turn each read into a write.
const TOUCH_EVERY_MS = 60 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function createSessionService(repo: SessionsRepository, now: () => Date = () => new Date()) {
  return {
    async start(): Promise<{ token: string; expiresAt: Date }> {
      const token = randomBytes(32).toString('base64url');
      const at = now();
      const expiresAt = new Date(at.getTime() + ABSOLUTE_TIMEOUT_MS);
      await repo.create({
        token_hash: hashToken(token),
        created_at: at.toISOString(),
        last_seen_at: at.toISOString(),
        expires_at: expiresAt.toISOString(),
      });
      return { token, expiresAt };
    },

    /** The session (its id is the token's hash) when the token is valid, else null; an expired one is removed. */
    async validate(token: string | undefined): Promise<{ id: string; expiresAt: Date } | null> {
      if (!token) return null;
      const tokenHash = hashToken(token);
      const session = await repo.find(tokenHash);
      if (!session) return null;
      const at = now().getTime();
      const lastSeen = Date.parse(session.last_seen_at);
      if (Date.parse(session.expires_at) <= at || lastSeen + IDLE_TIMEOUT_MS <= at) {
        await repo.remove(tokenHash);
        return null;
      }
      if (at - lastSeen >= TOUCH_EVERY_MS) await repo.touch(tokenHash, new Date(at).toISOString());
      return { id: tokenHash, expiresAt: new Date(session.expires_at) };
    },

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
