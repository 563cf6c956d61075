import { describe, expect, it } from 'vitest';
import { openStore } from '../store/index.ts';
import { tempDataDir } from '../test-support/test-app.ts';
import { createSecretCipher } from './crypto.ts';
import { ABSOLUTE_TIMEOUT_MS, createSessionService, IDLE_TIMEOUT_MS } from './sessions.ts';
import { randomBytes } from 'node:crypto';

async function serviceWithClock() {
  const store = await openStore({ dataDir: tempDataDir(), cipher: createSecretCipher(randomBytes(32)) });
  const clock = { now: new Date('2026-11-24T08:00:00Z') };
  const advance = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));
  return { store, advance, sessions: createSessionService(store.sessions, () => clock.now) };
}

describe('session timeouts', () => {
  it('ends a session left idle for the idle timeout', async () => {
    const { sessions, advance, store } = await serviceWithClock();
    const { token } = await sessions.start();
    advance(IDLE_TIMEOUT_MS - 60_000);
    expect(await sessions.validate(token)).not.toBeNull();
    advance(IDLE_TIMEOUT_MS);
    expect(await sessions.validate(token)).toBeNull();
    await store.close();
  });

  it('keeps an active session alive until the absolute timeout, then ends it', async () => {
    const { sessions, advance, store } = await serviceWithClock();
    const { token } = await sessions.start();
    for (let elapsed = 0; elapsed < ABSOLUTE_TIMEOUT_MS - IDLE_TIMEOUT_MS; elapsed += IDLE_TIMEOUT_MS / 2) {
      advance(IDLE_TIMEOUT_MS / 2);
      expect(await sessions.validate(token)).not.toBeNull();
    }
    advance(IDLE_TIMEOUT_MS);
    expect(await sessions.validate(token)).toBeNull();
    await store.close();
  });

  it('sweeps expired sessions out of the store', async () => {
    const { sessions, advance, store } = await serviceWithClock();
    await sessions.start();
    await sessions.start();
    advance(IDLE_TIMEOUT_MS + 1);
    expect(await sessions.sweep()).toBe(2);
    await store.close();
  });
});
