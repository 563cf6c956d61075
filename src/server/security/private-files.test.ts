import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DATABASE_FILE, openStore } from '../store/index.ts';
import { tempDataDir } from '../test-support/test-app.ts';
import { createSecretCipher, KEY_FILE, loadEncryptionKey } from './crypto.ts';

const modeOf = (file: string) => fs.statSync(file).mode & 0o777;
let umask: number;
// The most permissive umask: whatever the files end up with is what the app set.
beforeEach(() => (umask = process.umask(0)));
afterEach(() => void process.umask(umask));

async function startIn(dir: string) {
  const { key } = loadEncryptionKey({ encryptionKey: null, dataDir: dir });
  const store = await openStore({ dataDir: dir, cipher: createSecretCipher(key) });
  // A write, so the -wal and -shm files exist.
  await store.settings.set('probe', 'x');
  return store;
}

it('creates the database, its -wal and -shm files and the key file 0600 in a DATA_DIR that already existed 0755', async () => {
  const dir = tempDataDir();
  fs.chmodSync(dir, 0o755);
  const store = await startIn(dir);
  try {
    const db = path.join(dir, DATABASE_FILE);
    for (const file of [db, `${db}-wal`, `${db}-shm`, path.join(dir, KEY_FILE)]) {
      expect(fs.existsSync(file), file).toBe(true);
      expect(modeOf(file).toString(8), path.basename(file)).toBe('600');
    }
  } finally {
    await store.close();
  }
});

it('creates a missing DATA_DIR 0700', async () => {
  const dir = path.join(tempDataDir(), 'nested', 'data');
  const store = await startIn(dir);
  await store.close();
  expect(modeOf(dir).toString(8)).toBe('700');
});

it('narrows a database file an earlier version left 0644', async () => {
  const dir = tempDataDir();
  (await startIn(dir)).close();
  const db = path.join(dir, DATABASE_FILE);
  fs.chmodSync(db, 0o644);
  const store = await startIn(dir);
  await store.close();
  expect(modeOf(db).toString(8)).toBe('600');
});
