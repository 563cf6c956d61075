import { randomUUID } from 'node:crypto';
import type { SavedS3Config } from '#shared/destination-schemas';
import { providerFor, type Provider } from '#shared/providers';
import type { S3Config } from '#shared/s3-config';
import { nextScheduledCheck, type CheckSchedule } from '#shared/check-schedule';
import type { SecretCipher } from '../security/crypto.ts';
import { bindExternalId, spendExternalIds } from './external-ids-repository.ts';
import { listColumnsOf } from './list-columns.ts';
import {
  countFiltered,
  LAST_CHECK_COLUMNS,
  lastCheckOf,
  selectPage,
  type LastCheckColumns,
  type ListCursor,
  type ListFilter,
} from './destination-list-sql.ts';
import type { ListSort } from '#shared/list-options';
import { UniqueViolationError, type Sql, type SqlDatabase } from './sql.ts';
import { writingSeal, type Seal } from './writing-key.ts';

/** A destination as stored, without its secret and token: those leave the store only through `findSecrets`. */
export type DestinationRecord = {
  id: string;
  name: string;
  type: 's3';
  config: Omit<S3Config, 'secret' | 'token'> & {
    has_secret: boolean;
    has_token: boolean;
    provider: Provider;
    token_saved_at: string | null;
  };
  /** Moves when the config changes, not on a rename: checks of an older one are stale. */
  config_version: number;
  expired_by_check: boolean;
  created_at: string;
  updated_at: string;
  version: number;
  /** How often the scheduler checks it, and when next (null: off). */
  check_schedule: CheckSchedule;
  next_check_at: string | null;
};

/** A config to store; without a provider, the one `providerFor` gives. */
type ConfigToSave = S3Config & { provider?: Provider | null };

/** The external ID is already another connector's. */
export class ExternalIdInUseError extends Error {}

export class DuplicateNameError extends Error {
  constructor(readonly destinationName: string) {
    super(`A destination named "${destinationName}" already exists`);
  }
}

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
  provider: Provider | null;
  token_saved_at: string | null;
  config_version: number;
  expired_by_check: number;
  created_at: string;
  updated_at: string;
  version: number;
  check_schedule: CheckSchedule;
  next_check_at: string | null;
  role_arn: string | null;
  external_id: string | null;
};

// has_secret / has_token as 0/1 integers in both dialects (PostgreSQL would answer `IS NOT NULL` with a boolean).
const PUBLIC_COLUMNS = `id, name, type, remote_url, anonymous, ambient_credentials, access_key, endpoint_url, region,
  token_expires_at, provider, token_saved_at, config_version, expired_by_check, created_at, updated_at, version,
  check_schedule, next_check_at, role_arn, external_id,
  CASE WHEN secret_enc IS NULL THEN 0 ELSE 1 END AS has_secret, CASE WHEN token_enc IS NULL THEN 0 ELSE 1 END AS has_token`;

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
      provider: row.provider ?? (row.endpoint_url === null ? 'aws' : 'other'),
      token_saved_at: row.token_saved_at,
      role_arn: row.role_arn,
      external_id: row.external_id,
    },
    config_version: row.config_version,
    expired_by_check: row.expired_by_check === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
    version: row.version,
    check_schedule: row.check_schedule,
    next_check_at: row.next_check_at,
  };
}

export function createDestinationsRepository(db: SqlDatabase, cipher: SecretCipher) {
  const aad = (id: string, field: 'secret' | 'token') => `destinations:${id}:${field}`;

  const ORDER = 'ORDER BY created_at DESC, id DESC';
  /** The list columns of a row written now (list-columns.ts), in the order of the INSERT and UPDATE below. */
  const listed = (name: string, config: ConfigToSave, tokenSavedAt: string | null) => {
    const columns = listColumnsOf({ ...config, name, has_token: config.token !== null, token_saved_at: tokenSavedAt });
    return [columns.name_key, columns.search_text, columns.expires_key, columns.warn_from];
  };
  // The stored columns of a config, in the order of the INSERT and UPDATE below.
  const columns = (id: string, config: ConfigToSave, seal: Seal) => [
    config.remote_url,
    config.anonymous ? 1 : 0,
    config.ambient_credentials ? 1 : 0,
    config.key,
    config.secret === null ? null : seal(config.secret, aad(id, 'secret')),
    config.token === null ? null : seal(config.token, aad(id, 'token')),
    config.endpoint_url,
    config.region,
    config.token_expires_at,
    providerFor(config.endpoint_url, config.provider),
  ];

  const findById = async (id: string): Promise<DestinationRecord | null> => {
    const row = await db.get<PublicRow>(`SELECT ${PUBLIC_COLUMNS} FROM destinations WHERE id = $1`, [id]);
    return row ? toRecord(row) : null;
  };
  /** A write of the row with what goes with it (its external ID, its list columns): one commit. */
  const shown = (write: (tx: Sql) => Promise<number>) => db.transaction(write);
  /**
   * After a write of the row (`changed` rows): its external ID is bound to it in the same transaction, or the write
   * rolls back when another connector holds or held that ID (external-ids.ts).
   */
  const heldExternalId = async (tx: Sql, id: string, config: ConfigToSave, at: string, changed: number) => {
    if (changed === 1 && !(await bindExternalId(tx, id, config.role_arn === null ? null : config.external_id, at))) {
      throw new ExternalIdInUseError('external ID in use');
    }
    return changed;
  };
  const writing = async <T>(name: string, write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (error) {
      if (error instanceof UniqueViolationError && error.concerns('external_id')) throw new ExternalIdInUseError('external ID in use');
      if (error instanceof UniqueViolationError) throw new DuplicateNameError(name);
      throw error;
    }
  };

  return {
    findById,

    /** The destination with this name, compared as names are kept unique: regardless of case. */
    async findByName(name: string): Promise<DestinationRecord | null> {
      const row = await db.get<PublicRow>(`SELECT ${PUBLIC_COLUMNS} FROM destinations WHERE lower(name) = lower($1)`, [name]);
      return row ? toRecord(row) : null;
    },

    async list(): Promise<DestinationRecord[]> {
      return (await db.all<PublicRow>(`SELECT ${PUBLIC_COLUMNS} FROM destinations ${ORDER}`)).map(toRecord);
    },

    /**
     * One page of the list, in the order of `sort`, after `cursor` (destination-list-sql.ts): each destination with
     * its latest check as its row keeps it, and its place in the order (the next cursor).
     */
    async listPage(options: { filter: ListFilter; sort: ListSort | undefined; limit: number; cursor: ListCursor | null; now: Date }) {
      const { rows, more } = await selectPage<PublicRow & LastCheckColumns & { row_revision: number }>(
        db,
        `${PUBLIC_COLUMNS}, ${LAST_CHECK_COLUMNS}, row_revision`,
        options,
      );
      return {
        entries: rows.map((row) => ({
          record: toRecord(row),
          lastCheck: lastCheckOf(row),
          sortKey: row.sort_key,
          revision: Number(row.row_revision),
        })),
        more,
      };
    },

    /** The same page as listPage, ids and row revisions only (migration 022): what a reader that keeps rows needs. */
    async listRevisions(options: { filter: ListFilter; sort: ListSort | undefined; limit: number; cursor: ListCursor | null; now: Date }) {
      const { rows, more } = await selectPage<{ id: string; row_revision: number }>(db, 'id, row_revision', options);
      return { entries: rows.map((row) => ({ id: row.id, revision: Number(row.row_revision), sortKey: row.sort_key })), more };
    },

    /** How many destinations the filter keeps, counted up to `cap` (more than `cap`: `cap + 1`). */
    countList(filter: ListFilter, now: Date, cap: number): Promise<number> {
      return countFiltered(db, filter, now, cap);
    },

    /** The full config, secret and token decrypted: for the connection check and for merging a patch. */
    async findConfigWithSecrets(id: string): Promise<SavedS3Config | null> {
      const record = await findById(id);
      const sealed = await db.get<Pick<Row, 'secret_enc' | 'token_enc'>>('SELECT secret_enc, token_enc FROM destinations WHERE id = $1', [id]);
      if (!record || !sealed) return null;
      const { has_secret: _s, has_token: _t, token_saved_at: _saved, ...config } = record.config;
      return {
        ...config,
        secret: sealed.secret_enc === null ? null : cipher.decrypt(sealed.secret_enc, aad(id, 'secret')),
        token: sealed.token_enc === null ? null : cipher.decrypt(sealed.token_enc, aad(id, 'token')),
      };
    },

    /** A new destination; `schedule` (the API's default is daily) is off when not given, as for anything the store is handed directly. */
    async create(input: { name: string; config: ConfigToSave; schedule?: CheckSchedule }): Promise<DestinationRecord> {
      const id = randomUUID();
      const at = new Date();
      const now = at.toISOString();
      const schedule = input.schedule ?? 'off';
      const next = nextScheduledCheck(id, schedule, at)?.toISOString() ?? null;
      await writing(input.name, () =>
        shown(async (tx) =>
          heldExternalId(
            tx,
            id,
            input.config,
            now,
            await tx.run(
              `INSERT INTO destinations (id, name, type, remote_url, anonymous, ambient_credentials, access_key, secret_enc, token_enc,
               endpoint_url, region, token_expires_at, provider, token_saved_at, created_at, updated_at, version, config_version,
               check_schedule, next_check_at, role_arn, external_id, name_key, search_text, expires_key, warn_from)
             VALUES ($1, $2, 's3', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, 1, 1, $15, $16, $17, $18, $19, $20, $21, $22)`,
              [
                id,
                input.name,
                ...columns(id, input.config, await writingSeal(tx, cipher)),
                input.config.token === null ? null : now,
                now,
                schedule,
                next,
                input.config.role_arn,
                input.config.role_arn === null ? null : input.config.external_id,
                ...listed(input.name, input.config, input.config.token === null ? null : now),
              ],
            ),
          ),
        ),
      );
      return (await findById(id)) as DestinationRecord;
    },

    /**
     * Writes the whole row if `version` is still current; 'stale' when someone saved in between, null when gone.
     * `configChanged` moves the config version (what S3 is asked with changed); a new token restarts its lifetime.
     */
    async update(
      id: string,
      version: number,
      input: {
        name: string;
        config: ConfigToSave;
        expiredByCheck: boolean;
        configChanged: boolean;
        tokenSavedAt: string | null;
        /** A new schedule starts a new cadence; the same one (or none given) keeps the next check where it was. */
        schedule?: CheckSchedule;
      },
    ): Promise<DestinationRecord | 'stale' | null> {
      // The next check if the schedule is new; the row keeps its own when the schedule is the same (decided in the
      // UPDATE, against the row it changes).
      const schedule = input.schedule ?? null;
      const nextIfNew = schedule === null ? null : (nextScheduledCheck(id, schedule, new Date())?.toISOString() ?? null);
      const at = new Date().toISOString();
      const changed = await writing(input.name, () =>
        shown(async (tx) =>
          heldExternalId(
            tx,
            id,
            input.config,
            at,
            await tx.run(
              `UPDATE destinations SET name = $3, remote_url = $4, anonymous = $5, ambient_credentials = $6, access_key = $7,
               secret_enc = $8, token_enc = $9, endpoint_url = $10, region = $11, token_expires_at = $12, provider = $13,
               token_saved_at = $14, expired_by_check = $15, updated_at = $16, version = version + 1,
               config_version = config_version + $17,
               next_check_at = CASE WHEN CAST($18 AS TEXT) IS NULL OR CAST($18 AS TEXT) = check_schedule THEN next_check_at ELSE $19 END,
               check_schedule = COALESCE(CAST($18 AS TEXT), check_schedule),
               role_arn = $20, external_id = $21, name_key = $22, search_text = $23, expires_key = $24, warn_from = $25
             WHERE id = $1 AND version = $2`,
              [
                id,
                version,
                input.name,
                ...columns(id, input.config, await writingSeal(tx, cipher)),
                input.tokenSavedAt,
                input.expiredByCheck ? 1 : 0,
                at,
                input.configChanged ? 1 : 0,
                schedule,
                nextIfNew,
                input.config.role_arn,
                input.config.role_arn === null ? null : input.config.external_id,
                ...listed(input.name, input.config, input.tokenSavedAt),
              ],
            ),
          ),
        ),
      );
      if (changed === 1) return findById(id);
      return (await findById(id)) ? 'stale' : null;
    },

    async remove(id: string, version: number): Promise<'deleted' | 'stale' | null> {
      const deleted = await shown(async (tx) => {
        const changed = await tx.run('DELETE FROM destinations WHERE id = $1 AND version = $2', [id, version]);
        if (changed === 1) await spendExternalIds(tx, id, new Date().toISOString());
        return changed;
      });
      if (deleted === 1) return 'deleted';
      return (await findById(id)) ? 'stale' : null;
    },
  };
}

export type DestinationsRepository = ReturnType<typeof createDestinationsRepository>;
