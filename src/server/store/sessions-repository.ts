import type { Db } from './db.ts';

export type SessionRecord = { token_hash: string; created_at: string; last_seen_at: string; expires_at: string };

export function createSessionsRepository(db: Db) {
  const insert = db.prepare(
    'INSERT INTO sessions (token_hash, created_at, last_seen_at, expires_at) VALUES (@token_hash, @created_at, @last_seen_at, @expires_at)',
  );
  const select = db.prepare('SELECT * FROM sessions WHERE token_hash = ?');
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?');
  const remove = db.prepare('DELETE FROM sessions WHERE token_hash = ?');
  const removeExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?');
  return {
    async create(session: SessionRecord): Promise<void> {
      insert.run(session);
    },
    async find(tokenHash: string): Promise<SessionRecord | null> {
      return (select.get(tokenHash) as SessionRecord | undefined) ?? null;
    },
    async touch(tokenHash: string, at: string): Promise<void> {
      touch.run(at, tokenHash);
    },
    async remove(tokenHash: string): Promise<void> {
      remove.run(tokenHash);
    },
    async removeExpired(now: string, idleSince: string): Promise<number> {
      return removeExpired.run(now, idleSince).changes;
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
