import path from 'node:path';
import { EncryptionKeyError, DecryptionError, type SecretCipher } from '../security/crypto.ts';
import { migrate } from './db.ts';
import { openPostgres, openSqlite, type SqlDatabase } from './sql.ts';
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

/**
 * Opens the store — SQLite in `dataDir`, or PostgreSQL when `databaseUrl` is set — migrates it, and proves the
 * encryption key is the one the data was written with: a wrong key must stop startup, not surface weeks later as a
 * check that cannot decrypt its secret.
 */
export async function openStore(options: { dataDir: string; cipher: SecretCipher; databaseUrl?: string | null }) {
  const db: SqlDatabase = options.databaseUrl ? openPostgres(options.databaseUrl) : openSqlite(path.join(options.dataDir, DATABASE_FILE));
  const settings = createSettingsRepository(db);
  try {
    await migrate(db);
    const check = await settings.get(KEY_CHECK);
    if (check === null) await settings.set(KEY_CHECK, options.cipher.encrypt('key check', KEY_CHECK_AAD));
    else options.cipher.decrypt(check, KEY_CHECK_AAD);
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
    /** Changes when what the destinations list shows changes, whichever instance wrote it: the list cache's key. */
    listVersion: async () => String((await db.get<{ version: number }>('SELECT version FROM list_version WHERE id = 1'))?.version),
    close: () => db.close(),
  };
}
