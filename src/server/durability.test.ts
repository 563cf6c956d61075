import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionCheck } from '#shared/check-schemas';
import { createSecretCipher } from './security/crypto.ts';
import { INTERRUPTED_REASON } from './store/checks-repository.ts';
import { openStore } from './store/index.ts';
import { sqliteHandle } from './store/sql.ts';
import { checkWhenEnded, freePort, newEncryptionKey, startServerProcess, type ServerProcess } from './test-support/server-process.ts';
import { tempDataDir } from './test-support/test-app.ts';

// The real entry point as a child process, killed the hard way and the polite way. An endpoint that accepts and never
// answers keeps checks running for as long as the test needs them to be.
let silent: net.Server;
let silentPort: number;
const sockets: net.Socket[] = [];
beforeAll(async () => {
  silent = net.createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
  await new Promise((resolve) => silent.once('listening', resolve));
  silentPort = (silent.address() as net.AddressInfo).port;
});
afterAll(() => {
  for (const socket of sockets) socket.destroy();
  silent.close();
});

const BURST = 200;
const env = (checkTimeoutMs: number) => ({
  CHECK_TIMEOUT_MS: String(checkTimeoutMs),
  CHECK_CONCURRENCY: '4',
  CHECK_RATE_PER_MIN: '10000',
  S3_ENDPOINT_ALLOWLIST: `127.0.0.1:${silentPort}`,
  // These stops interrupt at once: what a stop's grace period lets finish is graceful-stop.test.ts's.
  SHUTDOWN_GRACE_MS: '0',
});
const secretOf = (n: number) => `DurableSecret${n}`.padEnd(40, 'x');
const body = (n: number) => ({
  name: `burst ${n}`,
  type: 's3',
  config: { remote_url: `s3://burst-bucket/${n}/`, key: 'AKIAIOSFODNN7EXAMPLE', secret: secretOf(n) },
});

/** Starts checks of destinations on the silent endpoint and waits until every one of them is connected there. */
async function startRunningChecks(server: ServerProcess, count: number): Promise<string[]> {
  const before = sockets.length;
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const created = await server.api('/api/v1/destinations', {
      method: 'POST',
      body: {
        name: `silent ${n}`,
        type: 's3',
        config: { remote_url: 's3://silent/', endpoint_url: `http://127.0.0.1:${silentPort}`, key: 'minio', secret: 'minio-secret' },
      },
    });
    const { id } = (await created.json()) as { id: string };
    const check = (await (await server.api(`/api/v1/destinations/${id}/connection-check`, { method: 'POST' })).json()) as ConnectionCheck;
    ids.push(check.id);
  }
  const deadline = Date.now() + 10_000;
  while (sockets.length - before < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(sockets.length - before, 'checks connected to the silent endpoint').toBeGreaterThanOrEqual(count);
  return ids;
}

/** Fires BURST creates at once and sends `signal` once `after` of them have been answered 200. */
async function burstAndSignal(server: ServerProcess, signal: NodeJS.Signals, after: number) {
  const acknowledged = new Map<string, number>();
  const statuses: (number | 'no answer')[] = [];
  let signalledAt = 0;
  await Promise.all(
    Array.from({ length: BURST }, async (_, n) => {
      try {
        const response = await server.api('/api/v1/destinations', { method: 'POST', body: body(n) });
        statuses.push(response.status);
        if (response.status === 200) acknowledged.set(((await response.json()) as { id: string }).id, n);
      } catch {
        statuses.push('no answer');
      }
      if (!signalledAt && acknowledged.size >= after) {
        signalledAt = Date.now();
        server.child.kill(signal);
      }
    }),
  );
  if (!signalledAt) {
    signalledAt = Date.now();
    server.child.kill(signal);
  }
  return { acknowledged, statuses, signalledAt };
}

/** Every acknowledged create is in the store, and its secret decrypts to what was sent. */
async function expectAllSaved(dataDir: string, key: string, acknowledged: Map<string, number>) {
  const store = await openStore({ dataDir, cipher: createSecretCipher(Buffer.from(key, 'base64')) });
  try {
    expect(sqliteHandle(store.db)?.pragma('integrity_check', { simple: true })).toBe('ok');
    const ids = new Set((await store.destinations.list()).map((d) => d.id));
    const missing = [...acknowledged.keys()].filter((id) => !ids.has(id));
    expect(missing, 'acknowledged creates missing after the restart').toEqual([]);
    for (const [id, n] of acknowledged) expect((await store.destinations.findConfigWithSecrets(id))?.secret).toBe(secretOf(n));
  } finally {
    await store.close();
  }
}

describe('durability of the server process', () => {
  it('SIGKILL mid-burst: every create answered 200 survives with its secret, and cut-off checks end as interrupted', async () => {
    const dataDir = tempDataDir();
    const key = newEncryptionKey();
    const port = await freePort();
    // A 5 s budget: the checks are still running when the kill comes, and their lease (budget + 15 s) runs out soon after.
    const first = await startServerProcess({ dataDir, key, port, env: env(5_000) });
    const started = Date.now();
    const checkIds = await startRunningChecks(first, 4);
    const { acknowledged, statuses } = await burstAndSignal(first, 'SIGKILL', 50);
    expect(await first.exited).toBe('SIGKILL');
    expect(Date.now() - started, 'the kill came while the checks were still inside their budget').toBeLessThan(5_000);
    expect(acknowledged.size).toBeGreaterThanOrEqual(50);
    expect(
      statuses.filter((s) => s !== 200 && s !== 'no answer'),
      'answers other than 200 or none',
    ).toEqual([]);

    const second = await startServerProcess({ dataDir, key, port, env: env(5_000) });
    try {
      const listed = (await (await second.api('/api/v1/destinations')).json()) as { id: string }[];
      const listedIds = new Set(listed.map((d) => d.id));
      expect([...acknowledged.keys()].filter((id) => !listedIds.has(id))).toEqual([]);
      const ended = await Promise.all(checkIds.map((id) => checkWhenEnded(second, id, 40_000)));
      for (const check of ended) {
        expect(check).toMatchObject({ status: 'FAILURE', reason: INTERRUPTED_REASON });
        expect(check.steps.every((step) => step.status !== 'running' && step.status !== 'pending')).toBe(true);
      }
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
    await expectAllSaved(dataDir, key, acknowledged);
  }, 90_000);

  it('SIGTERM mid-burst: in-flight requests finish, a running check is marked interrupted on its open event stream, exit 0', async () => {
    const dataDir = tempDataDir();
    const key = newEncryptionKey();
    const server = await startServerProcess({ dataDir, key, port: await freePort(), env: env(60_000) });
    const [checkId] = await startRunningChecks(server, 1);
    const stream = await server.api(`/api/v1/connection-checks/${checkId}/events`, { headers: { accept: 'text/event-stream' } });
    expect(stream.status).toBe(200);
    const streamText = stream.text();

    const { acknowledged, statuses, signalledAt } = await burstAndSignal(server, 'SIGTERM', 40);
    expect(await server.exited).toBe(0);
    // Far inside the check's 60 s budget: shutting down does not wait for running checks.
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    // Accepted requests were answered: created, or 503 once closing; none failed with a 500.
    expect(statuses.filter((s) => s !== 200 && s !== 503 && s !== 'no answer')).toEqual([]);
    expect(acknowledged.size).toBeGreaterThanOrEqual(40);

    const events = (await streamText).split('\n').filter((line) => line.startsWith('data: '));
    const last = JSON.parse(events.at(-1)!.slice('data: '.length)) as ConnectionCheck;
    expect(last).toMatchObject({ id: checkId, status: 'FAILURE', reason: INTERRUPTED_REASON });
    await expectAllSaved(dataDir, key, acknowledged);
  }, 90_000);
});
