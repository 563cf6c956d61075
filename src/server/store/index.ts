import path from 'node:path';
import { EncryptionKeyError, DecryptionError, type SecretCipher } from '../security/crypto.ts';
import { openDatabase, type ListChanges } from './db.ts';
import { createActivityRepository } from './activity-repository.ts';
import { createChecksRepository } from './checks-repository.ts';
import { createDestinationsRepository } from './destinations-repository.ts';
import { createSessionsRepository } from './sessions-repository.ts';
import { createSettingsRepository } from './settings-repository.ts';

export const DATABASE_FILE = 'destinations.sqlite';
export const KEY_CHECK = 'encryption_key_check';
export const KEY_CHECK_AAD = 'settings:encryption_key_check';

export type Store = Awaited<ReturnType<typeof openStore>>;

/**
 * Opens the SQLite store in `dataDir` and proves the encryption key is the one the data was written with: a wrong key
 * must stop startup, not surface weeks later as a check that cannot decrypt its secret.
 */
export async function openStore(options: { dataDir: string; cipher: SecretCipher }) {
  const db = openDatabase(path.join(options.dataDir, DATABASE_FILE));
  const settings = createSettingsRepository(db);
  try {
    const check = await settings.get(KEY_CHECK);
    if (check === null) await settings.set(KEY_CHECK, options.cipher.encrypt('key check', KEY_CHECK_AAD));
    else options.cipher.decrypt(check, KEY_CHECK_AAD);
  } catch (error) {
    db.close();
    if (error instanceof DecryptionError) {
      throw new EncryptionKeyError(
        `The encryption key (id ${options.cipher.keyId}) is not the one the data in ${options.dataDir} was encrypted with. ` +
          'Start with the original APP_ENCRYPTION_KEY or DATA_DIR/encryption.key (see "Backup and restore" in the README).',
      );
    }
    throw error;
  }
  const listChanges: ListChanges = { version: 0 };
  return {
    db,
    settings,
    listChanges,
    destinations: createDestinationsRepository(db, options.cipher, listChanges),
    checks: createChecksRepository(db, options.cipher, listChanges),
    activity: createActivityRepository(db),
    sessions: createSessionsRepository(db),
    close: () => db.close(),
  };
}
