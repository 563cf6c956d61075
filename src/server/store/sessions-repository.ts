import type { Role } from '../security/route-access.ts';
import type { Sql } from './sql.ts';

export type SessionRecord = {
  token_hash: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  client_address?: string | null;
  user_agent?: string | null;
};

/** A session as listed: whose, from where, with what (never its token or hash). */
export type ListedSession = Required<Omit<SessionRecord, 'user_id'>> & { user_id: string; email: string };

/** A session with what a signed-in request needs of its user, read in one query on every request. */
export type SessionWithUser = SessionRecord & { email: string; name: string; role: Role; deactivated_at: string | null; ended_reason: string | null };

export function createSessionsRepository(db: Sql) {
  return {
    async create(session: SessionRecord): Promise<void> {
      await db.run(
        'INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at, client_address, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [
          session.token_hash,
          session.user_id,
          session.created_at,
          session.last_seen_at,
          session.expires_at,
          session.client_address ?? null,
          session.user_agent ?? null,
        ],
      );
    },
    /** The session and its user's current role and state (a session of no user — none after start-up — is not found). */
    async find(tokenHash: string): Promise<SessionWithUser | null> {
      return (
        (await db.get<SessionWithUser>(
          `SELECT s.token_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at, u.email, u.name, u.role, u.deactivated_at, s.ended_reason
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1`,
          [tokenHash],
        )) ?? null
      );
    },
    async touch(tokenHash: string, at: string): Promise<void> {
      await db.run('UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2', [at, tokenHash]);
    },
    async remove(tokenHash: string): Promise<void> {
      await db.run('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    },
    async removeExpired(now: string, idleSince: string): Promise<number> {
      return db.run('DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2', [now, idleSince]);
    },
    /** Live sessions, most recently used first: of one user, or everyone's. */
    async list(userId: string | null, liveSince: string): Promise<ListedSession[]> {
      const mine = userId === null ? '' : 'AND s.user_id = $2';
      return db.all<ListedSession>(
        `SELECT s.token_hash, s.user_id, u.email, s.created_at, s.last_seen_at, s.expires_at, s.client_address, s.user_agent
           FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.expires_at > $1 AND s.ended_reason IS NULL ${mine} ORDER BY s.last_seen_at DESC`,
        userId === null ? [liveSince] : [liveSince, userId],
      );
    },
    /** Signs one user out everywhere (a new password). */
    async removeForUser(userId: string): Promise<number> {
      return db.run('DELETE FROM sessions WHERE user_id = $1', [userId]);
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
