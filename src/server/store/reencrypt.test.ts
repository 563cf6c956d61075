import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSecretCipher, DecryptionError, EncryptionKeyError } from '../security/crypto.ts';
import { tempDataDir } from '../test-support/test-app.ts';
import { openStore } from './index.ts';
import { reencryptAll } from './reencrypt.ts';

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
  token_expires_at: null, role_arn: null, external_id: null,
});

async function seeded() {
  const dataDir = tempDataDir();
  const oldKey = randomBytes(32);
  const store = await openStore({ dataDir, cipher: createSecretCipher(oldKey) });
  const ids = [];
  for (let n = 0; n < 3; n++) ids.push((await store.destinations.create({ name: `d${n}`, config: config(n) })).id);
  const check = await store.checks.create({ destinationId: null, config: config(9) });
  return { dataDir, oldKey, store, ids, checkId: check.id };
}

describe('key rotation', () => {
  it('re-encrypts every secret, token, unsaved config and the key check under the new key', async () => {
    const { dataDir, oldKey, store, ids } = await seeded();
    const newKey = randomBytes(32);
    expect(await reencryptAll(store.db, createSecretCipher(oldKey), createSecretCipher(newKey))).toBe(3 * 2 + 1 + 1);
    await store.close();

    const rotated = await openStore({ dataDir, cipher: createSecretCipher(newKey) });
    for (const [n, id] of ids.entries()) {
      expect(await rotated.destinations.findConfigWithSecrets(id)).toMatchObject({ secret: config(n).secret, token: `token-${n}` });
    }
    const keyIds = (await rotated.db.all<{ secret_enc: string }>('SELECT secret_enc FROM destinations')).map((row) => row.secret_enc);
    expect(keyIds.every((sealed) => sealed.split('.')[1] === createSecretCipher(newKey).keyId)).toBe(true);
    await rotated.close();
    await expect(openStore({ dataDir, cipher: createSecretCipher(oldKey) })).rejects.toThrow(EncryptionKeyError);
  });

  it('keeps values under the old key readable while both keys are held', async () => {
    const { dataDir, oldKey, store, ids } = await seeded();
    await store.close();
    const both = await openStore({ dataDir, cipher: createSecretCipher(randomBytes(32), [oldKey]) });
    expect((await both.destinations.findConfigWithSecrets(ids[0] as string))?.secret).toBe(config(0).secret);
    await both.close();
  });

  it('an interrupted rotation rolls back: everything stays readable under the old key', async () => {
    const { dataDir, oldKey, store, ids } = await seeded();
    // One value that cannot be decrypted stops the rotation half-way through the table.
    const broken = (await store.db.get<{ secret_enc: string }>('SELECT secret_enc FROM destinations WHERE id = $1', [ids[2]!]))!.secret_enc;
    await store.db.run('UPDATE destinations SET secret_enc = $1 WHERE id = $2', [`${broken.slice(0, -4)}AAAA`, ids[2]!]);
    const newKey = randomBytes(32);
    await expect(reencryptAll(store.db, createSecretCipher(oldKey), createSecretCipher(newKey))).rejects.toThrow(DecryptionError);
    await store.close();
    const again = await openStore({ dataDir, cipher: createSecretCipher(oldKey) });
    expect((await again.destinations.findConfigWithSecrets(ids[0] as string))?.secret).toBe(config(0).secret);
    expect((await again.destinations.findConfigWithSecrets(ids[1] as string))?.token).toBe('token-1');
    await again.close();
  });
});
