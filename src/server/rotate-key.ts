// `npm run rotate-key`: re-encrypts every stored secret under a new key, in one transaction.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import {
  createSecretCipher,
  EncryptionKeyError,
  KEY_FILE,
  loadEncryptionKey,
  NEXT_KEY_FILE,
  PREVIOUS_KEY_FILE,
} from './security/crypto.ts';
import { openStore } from './store/index.ts';
import { writePrivateFile } from './security/private-files.ts';
import { reencryptAll } from './store/reencrypt.ts';

async function main() {
  const config = loadConfig();
  const keys = loadEncryptionKey({ envKey: config.encryptionKey, envPreviousKey: config.encryptionPreviousKey, dataDir: config.dataDir });
  const fileMode = config.encryptionKey === null;
  const nextFile = path.join(config.dataDir, NEXT_KEY_FILE);
  const envNext = process.env.NEW_APP_ENCRYPTION_KEY?.trim();
  if (!fileMode && !envNext) {
    throw new ConfigError('With APP_ENCRYPTION_KEY set, give the new key in NEW_APP_ENCRYPTION_KEY (make one with: openssl rand -base64 32)');
  }
  // The new key is on disk before anything is re-encrypted with it; a rerun after an interruption reuses it.
  let next: Buffer;
  if (envNext) next = Buffer.from(envNext, 'base64');
  else if (fs.existsSync(nextFile)) next = Buffer.from(fs.readFileSync(nextFile, 'utf8').trim(), 'base64');
  else {
    next = randomBytes(32);
    writePrivateFile(nextFile, `${next.toString('base64')}\n`);
  }
  const target = createSecretCipher(next);
  const store = await openStore({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    cipher: createSecretCipher(keys.key, [...keys.previous, next]),
  });
  let count: number;
  try {
    count = await reencryptAll(store.db, createSecretCipher(keys.key, [...keys.previous, next]), target);
  } finally {
    await store.close();
  }
  if (fileMode) {
    fs.renameSync(path.join(config.dataDir, KEY_FILE), path.join(config.dataDir, PREVIOUS_KEY_FILE));
    fs.renameSync(nextFile, path.join(config.dataDir, KEY_FILE));
    process.stderr.write(
      `Re-encrypted ${count} values under key ${target.keyId}. The old key is in ${PREVIOUS_KEY_FILE}: delete it once your backups are taken with the new key.\n`,
    );
  } else {
    process.stderr.write(
      `Re-encrypted ${count} values under key ${target.keyId}. Set APP_ENCRYPTION_KEY to the new key (and APP_ENCRYPTION_KEY_PREVIOUS to the old one while instances restart).\n`,
    );
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof EncryptionKeyError;
  process.stderr.write(`Cannot rotate the key: ${known ? (error as Error).message : String(error)}\n`);
  process.exit(1);
});
