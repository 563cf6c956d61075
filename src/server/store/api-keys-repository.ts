import type { ApiKeyRole } from '#shared/api-key-schemas';
import type { Role } from '../security/route-access.ts';
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

const LISTED = 'k.id, k.name, k.prefix, k.role, k.owner, u.email AS owner_email, k.created_at, k.expires_at, k.last_used_at, k.revoked_at';

/** A key as listed: its owner is a user id, shown by e-mail. */
export type ApiKeyListRow = Omit<ApiKeyRecord, 'key_hash'> & { owner_email: string | null };

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
    /**
     * The key with this hash and its owner's current role and state, whatever the key's state: the caller decides
     * what a revoked or expired key, or a deactivated owner, means. A key whose owner is gone has no owner role.
     */
    async findByHash(keyHash: string): Promise<(ApiKeyRecord & { owner_role: Role | null; owner_deactivated_at: string | null }) | null> {
      return (
        (await db.get<ApiKeyRecord & { owner_role: Role | null; owner_deactivated_at: string | null }>(
          `SELECT k.*, u.role AS owner_role, u.deactivated_at AS owner_deactivated_at
             FROM api_keys k LEFT JOIN users u ON u.id = k.owner WHERE k.key_hash = $1`,
          [keyHash],
        )) ?? null
      );
    },
    /** Every key, live ones first, newest first, with its owner's e-mail; never the hash. */
    async list(): Promise<ApiKeyListRow[]> {
      return db.all(
        `SELECT ${LISTED} FROM api_keys k LEFT JOIN users u ON u.id = k.owner ORDER BY (k.revoked_at IS NULL) DESC, k.created_at DESC, k.id DESC`,
      );
    },
    async find(id: string): Promise<ApiKeyListRow | null> {
      return (await db.get<ApiKeyListRow>(`SELECT ${LISTED} FROM api_keys k LEFT JOIN users u ON u.id = k.owner WHERE k.id = $1`, [id])) ?? null;
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
