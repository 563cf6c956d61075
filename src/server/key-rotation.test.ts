import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createSecretCipher } from './security/crypto.ts';
import { openStore } from './store/index.ts';
import { keyUsage, rotateTo } from './store/reencrypt.ts';
import { AWS_KEY, buildTestApp, destinationBody, freshSchema, ON_POSTGRES, tempDataDir, type TestApp } from './test-support/test-app.ts';

// Online rotation, as an operator runs it: two instances on one store take saves of secrets while `rotate-key` moves
// the writing key and re-encrypts; then the old key is removed. Nothing may be left that the new key cannot open.
const apps: TestApp[] = [];
afterAll(async () => {
  // The instances share one store: all but the last leave it for the last to remove.
  for (const [i, app] of apps.entries()) await app.close({ keepData: i < apps.length - 1 });
});

const secretOf = (n: number) => `rotationSecret${n}`.padEnd(40, 'x');

describe('rotating the encryption key while instances save secrets', () => {
  it('leaves no value the new key cannot open, and an instance without the new key refuses to save rather than seal with the old one', async () => {
    const dataDir = tempDataDir();
    const databaseUrl = ON_POSTGRES ? await freshSchema() : null;
    const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
    const newKeyId = createSecretCipher(newKey).keyId;
    // A holds only the old key (never given the new one); B was restarted with APP_ENCRYPTION_KEY_NEXT first.
    const a = await buildTestApp({ dataDir, databaseUrl }, { key: oldKey });
    const b = await buildTestApp({ dataDir, databaseUrl }, { key: oldKey, otherKeys: [newKey] });
    apps.push(a, b);

    let n = 0;
    // Where the rotation was while a save ran: 'before' (answered before the rotation began), 'after' (sent once it
    // had ended), or 'during' (it may meet either key).
    type Phase = 'before' | 'during' | 'after';
    let phase = 'before' as Phase;
    const answers: { app: 'a' | 'b'; status: number; phase: Phase; detail?: string }[] = [];
    const saves = async (app: TestApp, name: 'a' | 'b') => {
      while (answers.filter((answer) => answer.phase === 'after' && answer.app === name).length < 5) {
        const sentIn = phase;
        const response = await app.request({
          method: 'POST',
          url: '/api/v1/destinations',
          body: destinationBody({ key: AWS_KEY, secret: secretOf(++n) }),
        });
        const ran: Phase = sentIn === 'before' && phase !== 'before' ? 'during' : sentIn;
        answers.push({
          app: name,
          status: response.statusCode,
          phase: ran,
          ...(response.statusCode >= 400 ? { detail: response.json().detail } : {}),
        });
      }
    };
    const rotation = async () => {
      // Wait for saves to be under way, as `npm run rotate-key` would meet them.
      while (answers.length < 10) await new Promise((resolve) => setImmediate(resolve));
      const tool = await openStore({ dataDir, databaseUrl, cipher: createSecretCipher(oldKey, [newKey]) });
      phase = 'during';
      try {
        await rotateTo(tool.db, createSecretCipher(oldKey, [newKey]), newKeyId);
      } finally {
        await tool.close();
      }
      phase = 'after';
    };
    await Promise.all([saves(a, 'a'), saves(b, 'b'), rotation()]);

    const statuses = (app: 'a' | 'b', sentIn: Phase) =>
      answers.filter((answer) => answer.app === app && answer.phase === sentIn).map((answer) => answer.status);
    expect([...statuses('a', 'before'), ...statuses('b', 'before')].every((status) => status === 200)).toBe(true);
    // B holds the new key: it saves throughout. A refuses once writes moved to the new key, saying why, instead of
    // sealing with the old one.
    expect([...statuses('b', 'during'), ...statuses('b', 'after')].every((status) => status === 200)).toBe(true);
    expect(statuses('a', 'during').every((status) => status === 200 || status === 503)).toBe(true);
    const refused = answers.filter((answer) => answer.phase === 'after' && answer.app === 'a');
    expect(refused.every((answer) => answer.status === 503)).toBe(true);
    expect(refused[0]?.detail).toBe(
      `This server instance cannot save secrets now: the database encrypts new secrets with key ${newKeyId}, which this instance does not hold. Restart it with that key (README: "Rotating the encryption key")`,
    );

    // The old key removed: every value opens with the new key alone.
    const after = await openStore({ dataDir, databaseUrl, cipher: createSecretCipher(newKey) });
    try {
      const usage = await keyUsage(after.db);
      expect(usage.writing).toBe(newKeyId);
      expect(usage.values.filter((value) => value.keyId !== newKeyId)).toEqual([]);
      const saved = await after.db.all<{ id: string }>('SELECT id FROM destinations');
      expect(saved.length).toBe(answers.filter((answer) => answer.status === 200).length);
      let unreadable = 0;
      for (const { id } of saved) {
        const config = await after.destinations.findConfigWithSecrets(id).catch(() => null);
        if (!config?.secret?.startsWith('rotationSecret')) unreadable++;
      }
      expect(unreadable).toBe(0);
    } finally {
      await after.close();
    }
  }, 60_000);
});
