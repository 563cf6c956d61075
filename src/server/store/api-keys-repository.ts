import type { ApiKeyRole } from '../../shared/api-key-schemas.ts';
import { UniqueViolationError, type Sql } from './sql.ts';

export type ApiKeyRecord = {
  id: string;
  name: string;
  key_hash: string;
  prefix: string;
  role: ApiKeyRole;
  owner: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
};

/** A key in use already has this name (names are unique among live keys, regardless of case). */
export class DuplicateKeyNameError extends Error {
  constructor(readonly keyName: string) {
    super(`An API key named "${keyName}" already exists`);
  }
}

const COLUMNS = 'id, name, prefix, role, owner, created_at, expires_at, last_used_at, revoked_at';

export function createApiKeysRepository(db: Sql) {
  return {
    async create(record: ApiKeyRecord): Promise<void> {
      try {
        await db.run(
          `INSERT INTO api_keys (id, name, key_hash, prefix, role, owner, created_at, expires_at, last_used_at, revoked_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL)`,
          [record.id, record.name, record.key_hash, record.prefix, record.role, record.owner, record.created_at, record.expires_at],
        );
      } catch (error) {
        if (error instanceof UniqueViolationError) throw new DuplicateKeyNameError(record.name);
        throw error;
      }
    },
    /** The key with this hash, whatever its state: the caller decides what a revoked or expired one means. */
    async findByHash(keyHash: string): Promise<ApiKeyRecord | null> {
      return (await db.get<ApiKeyRecord>('SELECT * FROM api_keys WHERE key_hash = $1', [keyHash])) ?? null;
    },
    /** Every key, live ones first, newest first; never the hash. */
    async list(): Promise<Omit<ApiKeyRecord, 'key_hash'>[]> {
      return db.all(`SELECT ${COLUMNS} FROM api_keys ORDER BY (revoked_at IS NULL) DESC, created_at DESC, id DESC`);
    },
    async find(id: string): Promise<Omit<ApiKeyRecord, 'key_hash'> | null> {
      return (await db.get<Omit<ApiKeyRecord, 'key_hash'>>(`SELECT ${COLUMNS} FROM api_keys WHERE id = $1`, [id])) ?? null;
    },
    async touch(id: string, at: string): Promise<void> {
      await db.run('UPDATE api_keys SET last_used_at = $1 WHERE id = $2', [at, id]);
    },
    /** Revokes a live key; resolves false when it was revoked already (or does not exist). */
    async revoke(id: string, at: string): Promise<boolean> {
      return (await db.run('UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id])) === 1;
    },
  };
}

export type ApiKeysRepository = ReturnType<typeof createApiKeysRepository>;
