import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretCipher, DecryptionError, EncryptionKeyError } from '../security/crypto.ts';
import { freshSchema, ON_POSTGRES, tempDataDir } from '../test-support/test-app.ts';
import { openStore } from './index.ts';
import { keyUsage, rotateTo, SEALED } from './reencrypt.ts';
import type { SqlDatabase } from './sql.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const config = (n: number) => ({
  remote_url: 's3://my-bucket/',
  anonymous: false,
  ambient_credentials: false,
  key: 'ASIAIOSFODNN7EXAMPLE',
  secret: `${SECRET.slice(0, 39)}${n}`,
  token: `token-${n}`,
  endpoint_url: null,
  region: null,
  token_expires_at: null,
  role_arn: null,
  external_id: null,
});

async function seeded() {
  const dataDir = tempDataDir();
  const databaseUrl = ON_POSTGRES ? await freshSchema() : null;
  const oldKey = randomBytes(32);
  const store = await openStore({ dataDir, databaseUrl, cipher: createSecretCipher(oldKey) });
  const ids = [];
  for (let n = 0; n < 3; n++) ids.push((await store.destinations.create({ name: `d${n}`, config: config(n) })).id);
  await store.checks.create({ destinationId: null, config: config(9) });
  const hook = await store.webhooks.create({
    name: 'hook',
    url: 'https://hooks.example.com/T0/x',
    urlHint: 'https://hooks.example.com',
    secret: 'whsec_x',
    events: ['check.failing'],
    createdBy: null,
  });
  return { dataDir, databaseUrl, oldKey, store, ids, hookId: hook.id };
}

/** Every column of the schema named `*_enc`: where the app keeps what it sealed. */
async function sealedColumnsInSchema(db: SqlDatabase): Promise<string[]> {
  if (db.dialect === 'postgres') {
    const rows = await db.all<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND column_name LIKE '%\\_enc'",
    );
    return rows.map((row) => `${row.table_name}.${row.column_name}`).sort();
  }
  const tables = await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
  const found: string[] = [];
  for (const { name } of tables) {
    for (const column of await db.all<{ name: string }>(`SELECT name FROM pragma_table_info('${name}')`)) {
      if (column.name.endsWith('_enc')) found.push(`${name}.${column.name}`);
    }
  }
  return found.sort();
}

describe('key rotation', () => {
  it('knows every sealed column of the schema (a new one cannot be forgotten)', async () => {
    const { store } = await seeded();
    try {
      const listed = SEALED.filter((entry) => entry.column.endsWith('_enc'))
        .map((entry) => `${entry.table}.${entry.column}`)
        .sort();
      const inSchema = await sealedColumnsInSchema(store.db);
      expect(inSchema.length).toBeGreaterThanOrEqual(5);
      expect(listed).toEqual(inSchema);
    } finally {
      await store.close();
    }
  });

  it('moves every secret, token, unsaved config, webhook URL and secret, and the key check to the new key, and the writing key with them', async () => {
    const { dataDir, databaseUrl, oldKey, store, ids, hookId } = await seeded();
    const newKey = randomBytes(32);
    const ring = createSecretCipher(oldKey, [newKey]);
    const target = createSecretCipher(newKey).keyId;
    expect(await rotateTo(store.db, ring, target)).toBe(3 * 2 + 1 + 2 + 1);
    const usage = await keyUsage(store.db);
    expect(usage.writing).toBe(target);
    expect(usage.values.every((value) => value.keyId === target)).toBe(true);
    expect(usage.values.reduce((sum, value) => sum + value.count, 0)).toBe(10);
    await store.close();

    // The old key removed: everything reads with the new one alone.
    const rotated = await openStore({ dataDir, databaseUrl, cipher: createSecretCipher(newKey) });
    for (const [n, id] of ids.entries()) {
      expect(await rotated.destinations.findConfigWithSecrets(id)).toMatchObject({ secret: config(n).secret, token: `token-${n}` });
    }
    await rotated.db.run("UPDATE webhook_deliveries SET status = 'pending'");
    await rotated.webhooks.enqueueTest(hookId, {
      id: 'e1',
      type: 'test',
      created_at: new Date().toISOString(),
      text: 't',
      destination: null,
      check: null,
      credentials: null,
    });
    const [delivery] = await rotated.webhooks.claimDue('w', new Date(Date.now() + 1_000), new Date(Date.now() + 60_000), 5);
    expect(delivery).toMatchObject({ url: 'https://hooks.example.com/T0/x', secret: 'whsec_x' });
    await rotated.close();
    await expect(openStore({ dataDir, databaseUrl, cipher: createSecretCipher(oldKey) })).rejects.toThrow(EncryptionKeyError);
  });

  it('keeps values under the old key readable while both keys are held', async () => {
    const { dataDir, databaseUrl, oldKey, store, ids } = await seeded();
    await store.close();
    const both = await openStore({ dataDir, databaseUrl, cipher: createSecretCipher(randomBytes(32), [oldKey]) });
    expect((await both.destinations.findConfigWithSecrets(ids[0] as string))?.secret).toBe(config(0).secret);
    await both.close();
  });

  it('an interrupted rotation leaves every value readable by a key held, and a second run finishes it', async () => {
    const { dataDir, databaseUrl, oldKey, store, ids } = await seeded();
    // One value that cannot be decrypted stops the rotation.
    const broken = (await store.db.get<{ secret_enc: string }>('SELECT secret_enc FROM destinations WHERE id = $1', [ids[2]!]))!.secret_enc;
    await store.db.run('UPDATE destinations SET secret_enc = $1 WHERE id = $2', [`${broken.slice(0, -4)}AAAA`, ids[2]!]);
    const newKey = randomBytes(32);
    const ring = createSecretCipher(oldKey, [newKey]);
    await expect(rotateTo(store.db, ring, createSecretCipher(newKey).keyId)).rejects.toThrow(DecryptionError);
    await store.close();
    const again = await openStore({ dataDir, databaseUrl, cipher: ring });
    expect((await again.destinations.findConfigWithSecrets(ids[0] as string))?.secret).toBe(config(0).secret);
    expect((await again.destinations.findConfigWithSecrets(ids[1] as string))?.token).toBe('token-1');
    // The broken value mended (saved again), the rotation runs to its end.
    await again.db.run('UPDATE destinations SET secret_enc = $1 WHERE id = $2', [broken, ids[2]!]);
    await rotateTo(again.db, ring, createSecretCipher(newKey).keyId);
    expect((await keyUsage(again.db)).values.every((value) => value.keyId === createSecretCipher(newKey).keyId)).toBe(true);
    await again.close();
  });
});
