import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../e2e/local-s3/identities.ts';
import type { ConnectionCheck } from '#shared/check-schemas';
import { CANCELLED_REASON, INTERRUPTED_REASON } from './store/checks-repository.ts';
import { checkWhenEnded, freePort, newEncryptionKey, startServerProcess, type ServerProcess } from './test-support/server-process.ts';
import { freshSchema, tempDataDir } from './test-support/test-app.ts';

// Two app processes on one PostgreSQL (the suite's PostgreSQL run only: `npm run test:postgres`). Each check has a
// destination of its own, so the PutObject requests the local S3 endpoint counts under its prefix tell how many times
// that check ran.
let s3: LocalS3;
let a: ServerProcess;
let b: ServerProcess;
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
beforeAll(async () => {
  if (!onPostgres) return;
  s3 = await startLocalS3({ latencyMs: 20 });
  const env = {
    DATABASE_URL: await freshSchema(),
    // What these tests judge is exactly-once and agreement, not speed: on a loaded 2-core CI machine a check among 100
    // (two app processes, PostgreSQL and the local endpoint sharing the cores) took over 5 s, so the budget is roomy.
    CHECK_TIMEOUT_MS: '20000',
    CHECK_CONCURRENCY: '4',
    CHECK_RATE_PER_MIN: '10000',
    S3_ENDPOINT_ALLOWLIST: `127.0.0.1:${s3.port}`,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_STS: s3.endpoint,
  };
  const key = newEncryptionKey();
  // Both start at once: the migrations are applied once, under an advisory lock.
  [a, b] = await Promise.all([
    startServerProcess({ dataDir: tempDataDir(), key, port: await freePort(), env }),
    startServerProcess({ dataDir: tempDataDir(), key, port: await freePort(), env }),
  ]);
}, 60_000);
afterAll(async () => {
  for (const server of [a, b]) if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM');
  await Promise.all([a?.exited, b?.exited]);
  await s3?.close();
});

let counter = 0;
async function newDestination(server: ServerProcess): Promise<{ id: string; prefix: string }> {
  // A top-level prefix per destination: s3rver keeps objects as files and removes emptied folders on delete, so one
  // check's cleanup under a shared parent folder could pull it from under another check's write.
  const prefix = `scale-out-${++counter}/`;
  const response = await server.api('/api/v1/destinations', {
    method: 'POST',
    body: {
      name: `scale-out ${counter}`,
      type: 's3',
      config: { remote_url: `s3://local-bucket/${prefix}`, key: IDENTITIES.writer.accessKeyId, secret: IDENTITIES.writer.secretAccessKey },
    },
  });
  expect(response.status).toBe(200);
  return { id: ((await response.json()) as { id: string }).id, prefix };
}

const writesUnder = (prefix: string) => s3.requests.filter((r) => r.operation === 'PutObject' && r.key?.startsWith(prefix)).length;

describe.skipIf(!onPostgres)('two instances on one PostgreSQL (needs TEST_DATABASE_URL: npm run test:postgres)', () => {
  it('refuses an API key on the other instance the moment it is revoked on this one', async () => {
    const created = await a.api('/api/v1/api-keys', {
      method: 'POST',
      body: { name: `scale-out key ${++counter}`, role: 'viewer', expires_at: null },
    });
    expect(created.status).toBe(201);
    const { key, id } = (await created.json()) as { key: string; id: string };
    const withKey = (server: ServerProcess) => fetch(`${server.origin}/api/v1/destinations/`, { headers: { authorization: `Bearer ${key}` } });
    expect((await withKey(b)).status).toBe(200);
    expect((await a.api(`/api/v1/api-keys/${id}`, { method: 'DELETE' })).status).toBe(200);
    const refused = await withKey(b);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { detail: string }).detail).toContain('revoked');
  });

  it('refuses a person on the other instance from the request after a role change or deactivation on this one', async () => {
    const invited = await a.api('/api/v1/users', { method: 'POST', body: { email: `scale-out-${Date.now()}@example.com`, role: 'editor' } });
    expect(invited.status).toBe(201);
    const { user, link } = (await invited.json()) as { user: { id: string }; link: { url: string } };
    const csrf = { origin: b.origin, 'x-requested-with': 'XMLHttpRequest', 'content-type': 'application/json' };
    // They arrive through the other instance.
    const arrived = await fetch(`${b.origin}/api/user-links/use`, {
      method: 'POST',
      headers: csrf,
      body: JSON.stringify({ token: new URL(link.url).hash.slice(1), password: 'a password for two instances' }),
    });
    expect(arrived.status).toBe(204);
    const cookie =
      arrived.headers
        .getSetCookie()
        .find((c) => c.startsWith('session='))
        ?.split(';')[0] ?? '';
    const onB = (method: string, path: string, body?: unknown) =>
      fetch(`${b.origin}${path}`, { method, headers: { ...csrf, cookie }, body: body === undefined ? undefined : JSON.stringify(body) });
    // An empty body gets past every access hook to the handler's validation: an editor may write.
    expect((await onB('POST', '/api/v1/destinations', {})).status).toBe(422);
    expect((await a.api(`/api/v1/users/${user.id}`, { method: 'PATCH', body: { role: 'viewer' } })).status).toBe(200);
    expect((await onB('POST', '/api/v1/destinations', {})).status).toBe(403);
    expect((await onB('GET', '/api/v1/destinations')).status).toBe(200);
    expect((await a.api(`/api/v1/users/${user.id}/deactivate`, { method: 'POST' })).status).toBe(200);
    expect((await onB('GET', '/api/v1/destinations')).status).toBe(401);
  });

  it('runs 100 checks submitted alternately to both exactly once each, every one visible from both', async () => {
    const destinations = await Promise.all(Array.from({ length: 100 }, () => newDestination(a)));
    const started = await Promise.all(
      destinations.map(async ({ id }, n) => {
        const response = await (n % 2 === 0 ? a : b).api(`/api/v1/destinations/${id}/connection-check`, { method: 'POST' });
        expect(response.status).toBe(202);
        return ((await response.json()) as ConnectionCheck).id;
      }),
    );
    for (const [n, checkId] of started.entries()) {
      const onA = await checkWhenEnded(a, checkId, 60_000);
      const onB = (await (await b.api(`/api/v1/connection-checks/${checkId}`)).json()) as ConnectionCheck;
      expect(onA, `check ${n}: ${onA.reason}`).toMatchObject({ status: 'SUCCESS' });
      expect(onB).toEqual(onA);
      expect(writesUnder(destinations[n]!.prefix), `probe writes of check ${n}`).toBe(1);
    }
  }, 120_000);

  it('streams a check started on one instance from the other, step by step, to its end', async () => {
    const { id } = await newDestination(a);
    // 100 ms a request: the check's steps change over half a second, not in the 40 ms an idle local endpoint takes,
    // in which progress writes (at most one per 25 ms) fold every change into one or two.
    s3.latencyMs = 100;
    let events: ConnectionCheck[];
    try {
      const check = (await (await a.api(`/api/v1/destinations/${id}/connection-check`, { method: 'POST' })).json()) as ConnectionCheck;
      const stream = await b.api(`/api/v1/connection-checks/${check.id}/events`, { headers: { accept: 'text/event-stream' } });
      expect(stream.status).toBe(200);
      events = (await stream.text())
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice('data: '.length)) as ConnectionCheck);
      expect(events.at(-1)).toMatchObject({ id: check.id, status: 'SUCCESS' });
    } finally {
      s3.latencyMs = 0;
    }
    // Step by step, not just the outcome: the instance running it announces each change (NOTIFY), so the other one
    // streams them as they happen rather than at its once-a-second look at the store.
    const running = events.filter((event) => event.steps.some((step) => step.status === 'running'));
    expect(running.length).toBeGreaterThanOrEqual(3);
  }, 60_000);

  it('cancels from the other instance a check this one runs, and its probe is cleaned up', async () => {
    const { id, prefix } = await newDestination(a);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let caught = false;
    s3.beforeServing = async (request) => {
      if (request.operation === 'UploadPart' && request.key?.startsWith(prefix)) {
        caught = true;
        await held;
      }
    };
    try {
      const check = (await (await a.api(`/api/v1/destinations/${id}/connection-check`, { method: 'POST' })).json()) as ConnectionCheck;
      await expect.poll(() => caught, { timeout: 15_000 }).toBe(true);
      await expect.poll(async () => (await s3.listKeys('local-bucket', `${prefix}.connection-test/`)).length, { timeout: 15_000 }).toBe(1);
      const cancelled = await b.api(`/api/v1/connection-checks/${check.id}/cancel`, { method: 'POST' });
      expect(cancelled.status).toBe(202);
      const ended = await checkWhenEnded(b, check.id, 15_000);
      expect(ended).toMatchObject({ status: 'FAILURE', reason: CANCELLED_REASON });
      expect(ended.steps.find((step) => step.name === 'cleanup')).toMatchObject({ status: 'passed' });
      expect(await s3.listKeys('local-bucket', `${prefix}.connection-test/`)).toEqual([]);
    } finally {
      s3.beforeServing = null;
      release();
    }
  }, 60_000);

  it('one instance killed mid-burst loses nothing acknowledged: its checks end interrupted, none runs twice', async () => {
    const destinations = await Promise.all(Array.from({ length: 40 }, () => newDestination(a)));
    const acknowledged: { checkId: string; prefix: string }[] = [];
    let killed = false;
    await Promise.all(
      destinations.map(async ({ id, prefix }, n) => {
        const server = n % 2 === 0 || killed ? a : b;
        try {
          const response = await server.api(`/api/v1/destinations/${id}/connection-check`, { method: 'POST' });
          if (response.status === 202) acknowledged.push({ checkId: ((await response.json()) as ConnectionCheck).id, prefix });
        } catch {
          // Sent to the instance as it died: never acknowledged, so nothing is owed.
        }
        if (!killed && acknowledged.length >= 20) {
          killed = true;
          b.child.kill('SIGKILL');
        }
      }),
    );
    expect(await b.exited).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);

    const outcomes = { success: 0, interrupted: 0 };
    for (const { checkId, prefix } of acknowledged) {
      // A dead instance's claims run out with their lease (CHECK_TIMEOUT_MS + 15 s) and end as interrupted.
      const check = await checkWhenEnded(a, checkId, 60_000);
      expect(check.status, `check ${checkId}`).not.toBe('SCHEDULED');
      if (check.status === 'SUCCESS') {
        outcomes.success++;
        expect(writesUnder(prefix)).toBe(1);
      } else {
        expect(check.reason).toBe(INTERRUPTED_REASON);
        outcomes.interrupted++;
        expect(writesUnder(prefix)).toBeLessThanOrEqual(1);
      }
    }
    expect(outcomes.success + outcomes.interrupted).toBe(acknowledged.length);
  }, 150_000);
});
