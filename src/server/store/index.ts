import fs from 'node:fs';
import path from 'node:path';
import { EncryptionKeyError, DecryptionError, type SecretCipher } from '../security/crypto.ts';
import { migrate, type AppliedMigration } from './db.ts';
import { backfillListColumns } from './list-columns.ts';
import { ensureSearchIndex, type SearchIndexState } from './search-index.ts';
import { openPostgres, openSqlite, type SqlDatabase } from './sql.ts';
import { WRITING_KEY_SETTING } from './writing-key.ts';
import { createActivityRepository } from './activity-repository.ts';
import { createApiKeysRepository } from './api-keys-repository.ts';
import { createChecksRepository } from './checks-repository.ts';
import { createExternalIdsRepository } from './external-ids-repository.ts';
import { createWebhooksRepository } from './webhooks-repository.ts';
import { createDestinationsRepository } from './destinations-repository.ts';
import { createSessionsRepository } from './sessions-repository.ts';
import { createSettingsRepository } from './settings-repository.ts';
import { createUsersRepository } from './users-repository.ts';

export const DATABASE_FILE = 'destinations.sqlite';
export const KEY_CHECK = 'encryption_key_check';
export const KEY_CHECK_AAD = 'settings:encryption_key_check';

export type Store = Awaited<ReturnType<typeof openStore>>;

/** A command-line tool pointed at a DATA_DIR or database that holds no app data (a mistyped path or URL). */
export class NoAppDataError extends Error {}

/**
 * Opens the store — SQLite in `dataDir`, or PostgreSQL when `databaseUrl` is set — migrates it, and proves the
 * encryption key is the one the data was written with: a wrong key must stop startup, not surface weeks later as a
 * check that cannot decrypt its secret.
 */
/**
 * The tools (set-password, rotate-key) work on an existing install: called before anything is read or written (a key
 * file would be generated), they refuse a DATA_DIR without the app's SQLite database; openStore's `mustExist` refuses a
 * PostgreSQL database without the app's tables.
 */
export function assertAppDataDir(options: { dataDir: string; databaseUrl: string | null }) {
  if (!options.databaseUrl && !fs.existsSync(path.join(options.dataDir, DATABASE_FILE))) {
    throw new NoAppDataError(
      `There is no app database in ${options.dataDir} (no ${DATABASE_FILE}): set DATA_DIR (or DATABASE_URL) to where the app keeps its data`,
    );
  }
}

export async function openStore(options: {
  dataDir: string;
  cipher: SecretCipher;
  databaseUrl?: string | null;
  poolSize?: number;
  mustExist?: boolean;
}) {
  const file = path.join(options.dataDir, DATABASE_FILE);
  if (options.mustExist) assertAppDataDir({ dataDir: options.dataDir, databaseUrl: options.databaseUrl ?? null });
  const db: SqlDatabase = options.databaseUrl ? openPostgres(options.databaseUrl, { max: options.poolSize }) : openSqlite(file);
  if (
    options.mustExist &&
    options.databaseUrl &&
    (await db.get<{ found: string | null }>("SELECT to_regclass('schema_migrations') AS found"))?.found == null
  ) {
    await db.close();
    throw new NoAppDataError('The database at DATABASE_URL holds no app data (no schema_migrations table): check DATABASE_URL');
  }
  const settings = createSettingsRepository(db);
  let migrated: AppliedMigration[] = [];
  let searchIndex: SearchIndexState = 'ready';
  try {
    migrated = await migrate(db);
    // Rows from before migration 021 get their list columns (once; afterwards every write keeps them), then `q` its index.
    await backfillListColumns(db);
    searchIndex = await ensureSearchIndex(db);
    const check = await settings.get(KEY_CHECK);
    if (check === null) await settings.set(KEY_CHECK, options.cipher.encrypt('key check', KEY_CHECK_AAD));
    else options.cipher.decrypt(check, KEY_CHECK_AAD);
    // The first start names the key that writes (store/writing-key.ts); later starts leave it to rotate-key.
    await db.run(`INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [WRITING_KEY_SETTING, options.cipher.keyId]);
  } catch (error) {
    await db.close();
    if (error instanceof DecryptionError) {
      const where = options.databaseUrl ? 'the database at DATABASE_URL' : options.dataDir;
      throw new EncryptionKeyError(
        `The encryption key (id ${options.cipher.keyId}) is not the one the data in ${where} was encrypted with. ` +
          'Start with the original APP_ENCRYPTION_KEY or DATA_DIR/encryption.key (see "Backup and restore" in the README).',
      );
    }
    throw error;
  }
  const destinations = createDestinationsRepository(db, options.cipher);
  const checks = createChecksRepository(db, options.cipher);
  return {
    db,
    /** The migrations this open applied (none when the schema was current): the start logs each. */
    migrated,
    /** Whether `q` has its trigram index ('unavailable': PostgreSQL without pg_trgm; the search scans). */
    searchIndex,
    settings,
    destinations,
    checks,
    activity: createActivityRepository(db),
    sessions: createSessionsRepository(db),
    users: createUsersRepository(db),
    apiKeys: createApiKeysRepository(db),
    webhooks: createWebhooksRepository(db, options.cipher),
    /** External IDs of IAM-role connectors: issued, bound to one connector for good, spent. */
    externalIds: createExternalIdsRepository(db),
    close: () => db.close(),
  };
}
