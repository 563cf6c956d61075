// `npm run rotate-key`: moves every stored secret to a new encryption key while the app runs (decision 021).
// `npm run rotate-key -- --check`: says which key writes and how many values each key still holds.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import { createSecretCipher, EncryptionKeyError, KEY_FILE, loadEncryptionKey, NEXT_KEY_FILE, PREVIOUS_KEY_FILE } from './security/crypto.ts';
import { writePrivateFile } from './security/private-files.ts';
import { SchemaTooNewError } from './store/db.ts';
import { assertAppDataDir, NoAppDataError, openStore } from './store/index.ts';
import { keyUsage, rotateTo, type KeyUsage } from './store/reencrypt.ts';

const say = (line: string) => process.stderr.write(`${line}\n`);

/** Values under a key other than `keyId`, in all. */
const elsewhere = (usage: KeyUsage, keyId: string) =>
  usage.values.filter((value) => value.keyId !== keyId).reduce((sum, value) => sum + value.count, 0);

function report(usage: KeyUsage) {
  say(`Writing key: ${usage.writing ?? '(none recorded yet)'}`);
  const byKey = new Map<string, number>();
  for (const value of usage.values) byKey.set(value.keyId, (byKey.get(value.keyId) ?? 0) + value.count);
  for (const [keyId, count] of byKey) say(`  key ${keyId}: ${count} value${count === 1 ? '' : 's'}${keyId === usage.writing ? ' (writing)' : ''}`);
  for (const value of usage.values.filter((entry) => entry.keyId !== usage.writing))
    say(`    ${value.table}.${value.column}: ${value.count} under ${value.keyId}`);
}

async function main() {
  const config = loadConfig();
  assertAppDataDir(config);
  const keys = loadEncryptionKey(config);
  const check = process.argv.includes('--check');
  const fileMode = config.encryptionKey === null;
  const nextFile = path.join(config.dataDir, NEXT_KEY_FILE);
  const envNext = process.env.NEW_APP_ENCRYPTION_KEY?.trim();
  if (!check && !fileMode && !envNext) {
    throw new ConfigError('With APP_ENCRYPTION_KEY set, give the new key in NEW_APP_ENCRYPTION_KEY (make one with: openssl rand -base64 32)');
  }
  // The new key is on disk before anything is sealed with it; a rerun after an interruption reuses it.
  let next: Buffer | null = null;
  if (!check) {
    if (envNext) next = Buffer.from(envNext, 'base64');
    else if (fs.existsSync(nextFile)) next = Buffer.from(fs.readFileSync(nextFile, 'utf8').trim(), 'base64');
    else {
      next = randomBytes(32);
      writePrivateFile(nextFile, `${next.toString('base64')}\n`);
    }
  }
  const ring = createSecretCipher(keys.key, [...keys.previous, ...(next ? [next] : [])]);
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, cipher: ring, mustExist: true });
  try {
    if (check) {
      const usage = await keyUsage(store.db);
      report(usage);
      const left = usage.writing === null ? 0 : elsewhere(usage, usage.writing);
      say(
        left === 0
          ? 'Every value is under the writing key: no other key is needed.'
          : `${left} values are under other keys: run npm run rotate-key to move them.`,
      );
      process.exitCode = left === 0 ? 0 : 3;
      return;
    }
    const target = createSecretCipher(next as Buffer).keyId;
    const moved = await rotateTo(store.db, ring, target);
    // Verified, not assumed: a save by an instance holding only an old key would show here (they refuse, by design).
    const usage = await keyUsage(store.db);
    const left = elsewhere(usage, target);
    if (left > 0) throw new Error(`${left} values are still under other keys after the rotation: run it again`);
    say(`Re-encrypted ${moved} values under key ${target}; no value remains under any other key (checked).`);
  } finally {
    await store.close();
  }
  if (fileMode) {
    fs.renameSync(path.join(config.dataDir, KEY_FILE), path.join(config.dataDir, PREVIOUS_KEY_FILE));
    fs.renameSync(nextFile, path.join(config.dataDir, KEY_FILE));
    say(
      `The new key is ${KEY_FILE}; the old one is ${PREVIOUS_KEY_FILE}. Restart the app (until then it refuses to save secrets), then delete ${PREVIOUS_KEY_FILE} once your backups are taken with the new key.`,
    );
  } else {
    say(
      'Restart every instance with APP_ENCRYPTION_KEY set to the new key; the old key may then be removed everywhere (npm run rotate-key -- --check says so).',
    );
  }
}

main().catch((error: unknown) => {
  const known =
    error instanceof ConfigError || error instanceof EncryptionKeyError || error instanceof NoAppDataError || error instanceof SchemaTooNewError;
  process.stderr.write(`Cannot rotate the key: ${known ? (error as Error).message : String(error)}\n`);
  process.exit(1);
});
