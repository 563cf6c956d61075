import type { Sql } from './sql.ts';

export type SessionRecord = { token_hash: string; created_at: string; last_seen_at: string; expires_at: string };

export function createSessionsRepository(db: Sql) {
  return {
    async create(session: SessionRecord): Promise<void> {
      await db.run('INSERT INTO sessions (token_hash, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4)', [
        session.token_hash,
        session.created_at,
        session.last_seen_at,
        session.expires_at,
      ]);
    },
    async find(tokenHash: string): Promise<SessionRecord | null> {
      return (await db.get<SessionRecord>('SELECT * FROM sessions WHERE token_hash = $1', [tokenHash])) ?? null;
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
    /** Signs everyone out (a new admin password). */
    async removeAll(): Promise<number> {
      return db.run('DELETE FROM sessions');
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
