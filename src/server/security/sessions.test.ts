import { describe, expect, it } from 'vitest';
import { openStore } from '../store/index.ts';
import { tempDataDir } from '../test-support/test-app.ts';
import { createSecretCipher } from './crypto.ts';
import { ensureFirstAdmin } from './first-admin.ts';
import { ABSOLUTE_TIMEOUT_MS, createSessionService, IDLE_TIMEOUT_MS } from './sessions.ts';
import { randomBytes } from 'node:crypto';

async function serviceWithClock() {
  const store = await openStore({ dataDir: tempDataDir(), cipher: createSecretCipher(randomBytes(32)) });
  const clock = { now: new Date('2026-11-24T08:00:00Z') };
  const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  await ensureFirstAdmin(store, { email: 'admin', password: 'a password for these tests' }, () => undefined);
  const admin = (await store.users.findByEmail('admin'))!;
  const start = () => sessions.start(admin.id);
  const sessions = createSessionService(store.sessions, () => clock.now);
  return { store, advance, sessions, start, admin };
}

describe('session timeouts', () => {
  it('ends a session left idle for the idle timeout', async () => {
    const { sessions, advance, store, start } = await serviceWithClock();
    const { token } = await start();
    advance(IDLE_TIMEOUT_MS - 60_000);
    expect(await sessions.validate(token)).not.toBeNull();
    advance(IDLE_TIMEOUT_MS);
    expect(await sessions.validate(token)).toBeNull();
    await store.close();
  });

  it('keeps an active session alive until the absolute timeout, then ends it', async () => {
    const { sessions, advance, store, start } = await serviceWithClock();
    const { token } = await start();
    for (let elapsed = 0; elapsed < ABSOLUTE_TIMEOUT_MS - IDLE_TIMEOUT_MS; elapsed += IDLE_TIMEOUT_MS / 2) {
      advance(IDLE_TIMEOUT_MS / 2);
      expect(await sessions.validate(token)).not.toBeNull();
    }
    advance(IDLE_TIMEOUT_MS);
    expect(await sessions.validate(token)).toBeNull();
    await store.close();
  });

  it('sweeps expired sessions out of the store', async () => {
    const { sessions, advance, store, start } = await serviceWithClock();
    await start();
    await start();
    advance(IDLE_TIMEOUT_MS + 1);
    expect(await sessions.sweep()).toBe(2);
    await store.close();
  });

  it('ends a session at once when its user is deactivated, and reads the role afresh on every request', async () => {
    const { sessions, store, start, admin } = await serviceWithClock();
    const { token } = await start();
    expect((await sessions.validate(token))?.user).toMatchObject({ id: admin.id, email: 'admin', role: 'admin' });
    const other = { id: 'a0000000-0000-4000-8000-000000000001', email: 'ana@example.com', name: 'Ana', role: 'admin' as const };
    await store.users.create({ ...other, password_hash: null, created_at: '', updated_at: '', deactivated_at: null });
    const hers = await sessions.start(other.id);
    await store.users.setRole(other.id, 'viewer', new Date().toISOString());
    expect((await sessions.validate(hers.token))?.user.role).toBe('viewer');
    await store.users.deactivate(other.id, new Date().toISOString());
    expect(await sessions.validate(hers.token)).toBeNull();
    expect(await sessions.validate(token)).not.toBeNull();
    await store.close();
  });
});
