import { randomUUID } from 'node:crypto';
import type { S3Config } from '../../shared/s3-config.ts';
import type { SecretCipher } from '../security/crypto.ts';
import type { Db, ListChanges } from './db.ts';

/** A destination as stored, without its secret and token: those leave the store only through `findSecrets`. */
export type DestinationRecord = {
  id: string;
  name: string;
  type: 's3';
  config: Omit<S3Config, 'secret' | 'token'> & { has_secret: boolean; has_token: boolean };
  expired_by_check: boolean;
  created_at: string;
  updated_at: string;
  version: number;
};

export type DestinationPage = { items: DestinationRecord[]; nextCursor: string | null };

export class DuplicateNameError extends Error {
  constructor(readonly destinationName: string) {
    super(`A destination named "${destinationName}" already exists`);
  }
}
export class InvalidCursorError extends Error {}

type Row = {
  id: string;
  name: string;
  type: 's3';
  remote_url: string;
  anonymous: number;
  ambient_credentials: number;
  access_key: string | null;
  secret_enc: string | null;
  token_enc: string | null;
  endpoint_url: string | null;
  region: string | null;
  token_expires_at: string | null;
  expired_by_check: number;
  created_at: string;
  updated_at: string;
  version: number;
};

const PUBLIC_COLUMNS = `id, name, type, remote_url, anonymous, ambient_credentials, access_key, endpoint_url, region,
  token_expires_at, expired_by_check, created_at, updated_at, version,
  secret_enc IS NOT NULL AS has_secret, token_enc IS NOT NULL AS has_token`;

type PublicRow = Omit<Row, 'secret_enc' | 'token_enc'> & { has_secret: number; has_token: number };

function toRecord(row: PublicRow): DestinationRecord {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    config: {
      remote_url: row.remote_url,
      anonymous: row.anonymous === 1,
      ambient_credentials: row.ambient_credentials === 1,
      key: row.access_key,
      endpoint_url: row.endpoint_url,
      region: row.region,
      token_expires_at: row.token_expires_at,
      has_secret: row.has_secret === 1,
      has_token: row.has_token === 1,
    },
    expired_by_check: row.expired_by_check === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
    version: row.version,
  };
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_UNIQUE';

const encodeCursor = (record: DestinationRecord) =>
  Buffer.from(JSON.stringify([record.created_at, record.id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) return value as [string, string];
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError('This cursor is not one this server gave out; start again without it');
}

export function createDestinationsRepository(db: Db, cipher: SecretCipher, changes: ListChanges = { version: 0 }) {
  const aad = (id: string, field: 'secret' | 'token') => `destinations:${id}:${field}`;
  const seal = (id: string, field: 'secret' | 'token', value: string | null) =>
    value === null ? null : cipher.encrypt(value, aad(id, field));

  const selectById = db.prepare(`SELECT ${PUBLIC_COLUMNS} FROM destinations WHERE id = ?`);
  const selectAll = db.prepare(`SELECT ${PUBLIC_COLUMNS} FROM destinations ORDER BY created_at DESC, id DESC`);
  const selectPage = db.prepare(
    `SELECT ${PUBLIC_COLUMNS} FROM destinations ORDER BY created_at DESC, id DESC LIMIT ?`,
  );
  const selectPageAfter = db.prepare(
    `SELECT ${PUBLIC_COLUMNS} FROM destinations WHERE (created_at, id) < (?, ?) ORDER BY created_at DESC, id DESC LIMIT ?`,
  );
  const selectSecrets = db.prepare('SELECT secret_enc, token_enc FROM destinations WHERE id = ?');
  const insert = db.prepare(`INSERT INTO destinations (id, name, type, remote_url, anonymous, ambient_credentials,
      access_key, secret_enc, token_enc, endpoint_url, region, token_expires_at, created_at, updated_at, version)
    VALUES (@id, @name, 's3', @remote_url, @anonymous, @ambient_credentials, @key, @secret_enc, @token_enc,
      @endpoint_url, @region, @token_expires_at, @now, @now, 1)`);
  const updateRow = db.prepare(`UPDATE destinations SET name = @name, remote_url = @remote_url, anonymous = @anonymous,
      ambient_credentials = @ambient_credentials, access_key = @key, secret_enc = @secret_enc, token_enc = @token_enc,
      endpoint_url = @endpoint_url, region = @region, token_expires_at = @token_expires_at,
      expired_by_check = @expired_by_check, updated_at = @now, version = version + 1
    WHERE id = @id AND version = @version`);
  const deleteRow = db.prepare('DELETE FROM destinations WHERE id = ? AND version = ?');

  const columns = (id: string, config: S3Config) => ({
    remote_url: config.remote_url,
    anonymous: config.anonymous ? 1 : 0,
    ambient_credentials: config.ambient_credentials ? 1 : 0,
    key: config.key,
    secret_enc: seal(id, 'secret', config.secret),
    token_enc: seal(id, 'token', config.token),
    endpoint_url: config.endpoint_url,
    region: config.region,
    token_expires_at: config.token_expires_at,
  });

  const findById = async (id: string): Promise<DestinationRecord | null> => {
    const row = selectById.get(id) as PublicRow | undefined;
    return row ? toRecord(row) : null;
  };

  return {
    findById,

    async list(): Promise<DestinationRecord[]> {
      return (selectAll.all() as PublicRow[]).map(toRecord);
    },

    async listPage(limit: number, cursor: string | null): Promise<DestinationPage> {
      const rows = (
        cursor === null ? selectPage.all(limit + 1) : selectPageAfter.all(...decodeCursor(cursor), limit + 1)
      ) as PublicRow[];
      const items = rows.slice(0, limit).map(toRecord);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
    },

    /** The full config, secret and token decrypted: for the connection check and for merging a patch. */
    async findConfigWithSecrets(id: string): Promise<S3Config | null> {
      const record = await findById(id);
      const sealed = selectSecrets.get(id) as Pick<Row, 'secret_enc' | 'token_enc'> | undefined;
      if (!record || !sealed) return null;
      const { has_secret: _s, has_token: _t, ...config } = record.config;
      return {
        ...config,
        secret: sealed.secret_enc === null ? null : cipher.decrypt(sealed.secret_enc, aad(id, 'secret')),
        token: sealed.token_enc === null ? null : cipher.decrypt(sealed.token_enc, aad(id, 'token')),
      };
    },

    async create(input: { name: string; config: S3Config }): Promise<DestinationRecord> {
      const id = randomUUID();
      try {
        insert.run({ id, name: input.name, now: new Date().toISOString(), ...columns(id, input.config) });
        changes.version++;
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateNameError(input.name);
        throw error;
      }
      return (await findById(id)) as DestinationRecord;
    },

    /** Writes the whole row if `version` is still current; 'stale' when someone saved in between, null when gone. */
    async update(
      id: string,
      version: number,
      input: { name: string; config: S3Config; expiredByCheck: boolean },
    ): Promise<DestinationRecord | 'stale' | null> {
      let changed: number;
      try {
        changed = updateRow.run({
          id,
          version,
          name: input.name,
          now: new Date().toISOString(),
          expired_by_check: input.expiredByCheck ? 1 : 0,
          ...columns(id, input.config),
        }).changes;
      } catch (error) {
        if (isUniqueViolation(error)) throw new DuplicateNameError(input.name);
        throw error;
      }
      if (changed === 1) {
        changes.version++;
        return findById(id);
      }
      return (await findById(id)) ? 'stale' : null;
    },

    async remove(id: string, version: number): Promise<'deleted' | 'stale' | null> {
      if (deleteRow.run(id, version).changes === 1) {
        changes.version++;
        return 'deleted';
      }
      return (await findById(id)) ? 'stale' : null;
    },
  };
}

export type DestinationsRepository = ReturnType<typeof createDestinationsRepository>;
