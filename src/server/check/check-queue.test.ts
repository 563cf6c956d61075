import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../../e2e/local-s3/identities.ts';
import type { ConnectionCheck } from '#shared/check-schemas';
import { CANCELLED_REASON, HISTORY_LIMIT, INTERRUPTED_REASON } from '../store/checks-repository.ts';
import { stepOf, waitForCheck } from '../test-support/checks.ts';
import { buildTestApp, type TestApp } from '../test-support/test-app.ts';

let s3: LocalS3;
let t: TestApp;
let silent: net.Server;
let silentUrl: string;
const sockets: net.Socket[] = [];
/** The harness's own endpoints, and only them, pass the SSRF guard. */
const allowlist = () => [`127.0.0.1:${s3.port}`, `127.0.0.1:${(silent.address() as net.AddressInfo).port}`];
const WRITER = { key: IDENTITIES.writer.accessKeyId, secret: IDENTITIES.writer.secretAccessKey };

beforeAll(async () => {
  s3 = await startLocalS3();
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.AWS_ENDPOINT_URL_STS = s3.endpoint;
  silent = net.createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
  await new Promise((resolve) => silent.once('listening', resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
  t = await buildTestApp({ checkTimeoutMs: 5_000, checkRatePerMin: 1_000, s3EndpointAllowlist: allowlist() });
});
afterAll(async () => {
  await t.close();
  await s3.close();
  for (const socket of sockets) socket.destroy();
  silent.close();
});

let counter = 0;
async function createDestination(app: TestApp, config: Record<string, unknown> = WRITER) {
  const response = await app.request({
    method: 'POST',
    url: '/api/v1/destinations',
    body: { name: `queue-${++counter}`, type: 's3', config: { remote_url: 's3://local-bucket/queue/', ...config } },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { id: string; version: number };
}
const startCheck = (app: TestApp, id: string) => app.request({ method: 'POST', url: `/api/v1/destinations/${id}/connection-check` });

describe('checks of unsaved configs', () => {
  it('checks a full unsaved config and keeps its secret only until it finishes', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/connection-checks',
      body: { type: 's3', config: { remote_url: 's3://local-bucket/unsaved/', ...WRITER } },
    });
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ status: 'SCHEDULED', destination_id: null });
    const check = await waitForCheck(t, response.json().id);
    expect(check.status).toBe('SUCCESS');
    const sealed = (await t.store.db.get<{ config_enc: string | null }>('SELECT config_enc FROM connection_checks WHERE id = $1', [check.id]))
      ?.config_enc;
    expect(sealed).toBeNull();
  });

  it('merges a patch with a saved destination on the server, using the saved secret', async () => {
    const destination = await createDestination(t, { ...WRITER, region: 'us-west-2' });
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/connection-checks',
      body: { destination_id: destination.id, config: { region: null, remote_url: 's3://local-bucket/merged/' } },
    });
    expect(response.statusCode, response.body).toBe(202);
    const check = await waitForCheck(t, response.json().id);
    expect(check.status).toBe('SUCCESS');
    expect(check.destination_id).toBeNull();
    expect(s3.requests.filter((r) => r.operation === 'PutObject').at(-1)).toMatchObject({
      accessKeyId: IDENTITIES.writer.accessKeyId,
      key: expect.stringMatching(/^merged\/\.connection-test\//),
    });
    // Not saved: the destination and its history are untouched.
    expect((await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}/connection-checks` })).json()).toEqual([]);
  });

  it('takes the mask sent back in a merged patch as the saved secret (as a client that read the destination sends it)', async () => {
    const destination = await createDestination(t, WRITER);
    const read = (await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}` })).json();
    expect(read.config.secret).toBe('**********');
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/connection-checks',
      body: { destination_id: destination.id, config: { ...read.config, remote_url: 's3://local-bucket/masked/' } },
    });
    expect(response.statusCode, response.body).toBe(202);
    expect((await waitForCheck(t, response.json().id)).status).toBe('SUCCESS');
  });

  it('refuses a merged patch that changes the key without the secret (422 on the field)', async () => {
    const destination = await createDestination(t);
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/connection-checks',
      body: { destination_id: destination.id, config: { key: IDENTITIES.readOnly.accessKeyId } },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail[0]).toMatchObject({ loc: ['body', 'config', 'secret'], type: 'secret_required' });
  });

  it('refuses an invalid unsaved config on the field it concerns', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/connection-checks',
      body: { type: 's3', config: { remote_url: 's3://Bad_Bucket/', ...WRITER } },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toEqual([
      { loc: ['body', 'config', 'remote_url'], msg: "Bucket names can't contain uppercase letters", type: 'bucket_uppercase' },
    ]);
  });

  it('answers 404 for a merged check of an unknown destination', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/connection-checks',
      body: { destination_id: '6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d', config: {} },
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('history and latest', () => {
  it('answers 404 for the latest check before any ran, and an empty history', async () => {
    const destination = await createDestination(t);
    expect((await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}/connection-check` })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}/connection-checks` })).json()).toEqual([]);
  });

  it('lists checks newest first and shows the latest on the destination', async () => {
    const destination = await createDestination(t);
    const first = await waitForCheck(t, (await startCheck(t, destination.id)).json().id);
    const second = await waitForCheck(t, (await startCheck(t, destination.id)).json().id);
    const history = (await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}/connection-checks` })).json();
    expect(history.map((c: ConnectionCheck) => c.id)).toEqual([second.id, first.id]);
    const latest = (await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}/connection-check` })).json();
    expect(latest.id).toBe(second.id);
    const view = (await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}` })).json();
    expect(view.last_check).toEqual({
      id: second.id,
      status: 'SUCCESS',
      reason: null,
      created_at: second.created_at,
      reported_at: second.reported_at,
      config_version: 1,
      trigger: 'manual',
      code: null,
      region: second.region,
    });
    const activity = (await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}/activity` })).json();
    expect(activity.map((a: { kind: string; outcome: string }) => `${a.kind}:${a.outcome}`)).toEqual([
      'check.finished:ok',
      'check.finished:ok',
      'destination.created:ok',
    ]);
    // Each outcome names who started the check, as every entry names who acted.
    expect(activity.map((a: { actor: string | null }) => a.actor)).toEqual(['admin', 'admin', 'admin']);
    const listed = (await t.request({ method: 'GET', url: '/api/v1/destinations' })).json();
    expect(listed.find((d: { id: string }) => d.id === destination.id).last_check.id).toBe(second.id);
  });

  it(`keeps the last ${HISTORY_LIMIT} checks of a destination`, async () => {
    const destination = await createDestination(t);
    const ids: string[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) {
      const check = await t.store.checks.create({ destinationId: destination.id });
      await t.store.checks.finish(check.id, { status: 'SUCCESS', reason: null, steps: [], identity: null, region: null });
      ids.push(check.id);
    }
    expect(await t.store.checks.prune(destination.id)).toBe(5);
    const history = await t.store.checks.history(destination.id);
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history.map((c) => c.id)).toEqual(ids.slice(5).reverse());
  });
});

describe('the queue', () => {
  it('cancels the running check when its destination is deleted', async () => {
    const destination = await createDestination(t, { ...WRITER, endpoint_url: silentUrl, key: 'minio', secret: 'minio-secret' });
    const check = (await startCheck(t, destination.id)).json();
    await expect.poll(() => t.app.checkWorker.runningCount()).toBe(1);
    const deleted = await t.request({ method: 'DELETE', url: `/api/v1/destinations/${destination.id}`, headers: { 'if-match': '"1"' } });
    expect(deleted.statusCode).toBe(200);
    await expect.poll(() => t.app.checkWorker.runningCount()).toBe(0);
    expect((await t.request({ method: 'GET', url: `/api/v1/connection-checks/${check.id}` })).statusCode).toBe(404);
  });

  it('runs at most CHECK_CONCURRENCY checks at once', async () => {
    // 3 s a check on the silent endpoint: long enough that a busy machine still sees the first two running together.
    const narrow = await buildTestApp({ checkConcurrency: 2, checkTimeoutMs: 3_000, checkRatePerMin: 100, s3EndpointAllowlist: allowlist() });
    try {
      const destination = await createDestination(narrow, { endpoint_url: silentUrl, key: 'minio', secret: 'minio-secret' });
      const ids = [];
      for (let i = 0; i < 4; i++) ids.push((await startCheck(narrow, destination.id)).json().id);
      await expect.poll(() => narrow.app.checkWorker.runningCount()).toBe(2);
      const scheduled = (
        await narrow.store.db.get<{ count: number }>(
          "SELECT COUNT(*) AS count FROM connection_checks WHERE status = 'SCHEDULED' AND claimed_by IS NULL",
        )
      )?.count;
      expect(scheduled).toBe(2);
      for (const id of ids) expect((await waitForCheck(narrow, id)).status).toBe('FAILURE');
    } finally {
      await narrow.close();
    }
  }, 30_000);

  it('fails a check cut off by a crash as "interrupted by a restart" after the restart, and never runs it again', async () => {
    const first = await buildTestApp({ checkTimeoutMs: 30_000, s3EndpointAllowlist: allowlist() }, { worker: { leaseMs: 600, pollMs: 100 } });
    const destination = await createDestination(first, { endpoint_url: silentUrl, key: 'minio', secret: 'minio-secret' });
    const check = (await startCheck(first, destination.id)).json();
    // Crash while the bucket step waits on the silent endpoint.
    await expect
      .poll(async () => stepOf((await first.request({ method: 'GET', url: `/api/v1/connection-checks/${check.id}` })).json(), 'bucket').status)
      .toBe('running');
    // A crash: the worker stops without a word to the store, the process goes away.
    first.app.checkWorker.abandon();
    await first.close({ keepData: true });

    const second = await buildTestApp(
      { dataDir: first.config.dataDir, databaseUrl: first.config.databaseUrl, s3EndpointAllowlist: allowlist() },
      { key: first.key, worker: { leaseMs: 600, pollMs: 100 } },
    );
    try {
      const finished = await waitForCheck(second, check.id);
      expect(finished).toMatchObject({ status: 'FAILURE', reason: INTERRUPTED_REASON });
      expect(finished.reason).toContain('interrupted by a restart');
      expect(stepOf(finished, 'endpoint').status).toBe('passed');
      // No step is left running or waiting: each unfinished one is skipped, saying why.
      expect(stepOf(finished, 'bucket')).toMatchObject({ status: 'skipped', message: `Skipped: ${INTERRUPTED_REASON.replace(/^T/, 't')}` });
      expect(finished.steps.every((step) => step.status !== 'running' && step.status !== 'pending')).toBe(true);
      expect(stepOf(finished, 'cleanup').status).toBe('skipped');
      // Never run again: what may reach the endpoint now is the cleanup of its probes (graceful-stop.test.ts), never
      // the check's steps, which stay as the interruption left them.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const later = (await second.request({ method: 'GET', url: `/api/v1/connection-checks/${check.id}` })).json();
      expect(later.steps.filter((step: { name: string }) => step.name !== 'cleanup')).toEqual(
        finished.steps.filter((step) => step.name !== 'cleanup'),
      );
    } finally {
      await second.close();
    }
  });

  it('marks running checks interrupted when the server stops gracefully', async () => {
    const app = await buildTestApp({ checkTimeoutMs: 30_000, s3EndpointAllowlist: allowlist() });
    const destination = await createDestination(app, { endpoint_url: silentUrl, key: 'minio', secret: 'minio-secret' });
    const check = (await startCheck(app, destination.id)).json();
    await expect.poll(() => app.app.checkWorker.runningCount()).toBe(1);
    await app.app.close();
    const stopped = await app.store.checks.findById(check.id);
    expect(stopped).toMatchObject({ status: 'FAILURE', reason: INTERRUPTED_REASON });
    // No step is left running or waiting: the one the silent endpoint held and all after it are skipped with the
    // reason. (Which step that was — endpoint or bucket — and how far the store got depend on timing.)
    const steps = (stopped as ConnectionCheck).steps;
    expect(steps.every((step) => step.status !== 'running' && step.status !== 'pending')).toBe(true);
    const cutAt = steps.findIndex((step) => step.message === `Skipped: ${INTERRUPTED_REASON.replace(/^T/, 't')}`);
    expect(cutAt).toBeGreaterThanOrEqual(0);
    expect(steps.slice(cutAt).every((step) => step.status === 'skipped')).toBe(true);
    await app.store.close();
  });

  it('answers 429 with Retry-After past CHECK_RATE_PER_MIN', async () => {
    const limited = await buildTestApp({ checkRatePerMin: 2, s3EndpointAllowlist: allowlist() });
    try {
      const destination = await createDestination(limited);
      expect((await startCheck(limited, destination.id)).statusCode).toBe(202);
      expect((await startCheck(limited, destination.id)).statusCode).toBe(202);
      const refused = await startCheck(limited, destination.id);
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.json().detail).toContain('Too many connection checks');
    } finally {
      await limited.close();
    }
  });
});

describe('cancel', () => {
  const cancel = (app: TestApp, id: string) => app.request({ method: 'POST', url: `/api/v1/connection-checks/${id}/cancel` });
  const cutOff = `Skipped: ${CANCELLED_REASON.replace(/^T/, 't')}`;

  it('stops a running check: FAILURE "cancelled", no step left running or waiting', async () => {
    const destination = await createDestination(t, { endpoint_url: silentUrl, key: 'minio', secret: 'minio-secret' });
    const check = (await startCheck(t, destination.id)).json();
    await expect.poll(() => t.app.checkWorker.runningCount()).toBe(1);
    const answer = await cancel(t, check.id);
    expect(answer.statusCode, answer.body).toBe(202);
    const finished = await waitForCheck(t, check.id);
    expect(finished).toMatchObject({ status: 'FAILURE', reason: CANCELLED_REASON, cancelled: true });
    expect(finished.steps.every((step) => step.status !== 'running' && step.status !== 'pending')).toBe(true);
    expect(finished.steps.some((step) => step.message === cutOff)).toBe(true);
    expect(t.app.checkWorker.runningCount()).toBe(0);
    // Once finished there is nothing to cancel.
    expect((await cancel(t, check.id)).statusCode).toBe(409);
  });

  it('is neither a pass nor a failure: a cancelled re-test leaves a passing connector passing, and is recorded with who cancelled', async () => {
    const name = `Cancel keeps status ${Date.now()}`;
    const made = await t.request({
      method: 'POST',
      url: '/api/v1/destinations',
      body: { name, type: 's3', config: { ...WRITER, endpoint_url: s3.endpoint, remote_url: 's3://local-bucket/keeps/' } },
    });
    const destination = made.json();
    const passed = await waitForCheck(t, (await startCheck(t, destination.id)).json().id);
    expect(passed.status).toBe('SUCCESS');
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let caught = false;
    s3.beforeServing = async (request) => {
      if (request.key?.startsWith('keeps/')) {
        caught = true;
        await held;
      }
    };
    try {
      const check = (await startCheck(t, destination.id)).json();
      await expect.poll(() => caught).toBe(true);
      expect((await cancel(t, check.id)).statusCode).toBe(202);
      release();
      const finished = await waitForCheck(t, check.id);
      // Unstructured's clients know three statuses: FAILURE, with cancelled and who.
      expect(finished).toMatchObject({
        status: 'FAILURE',
        reason: CANCELLED_REASON,
        cancelled: true,
        cancelled_by: expect.any(String) as unknown as string,
      });
      const shown = (await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}` })).json();
      expect(shown.last_check).toMatchObject({ id: passed.id, status: 'SUCCESS' });
      const failing = (await t.request({ method: 'GET', url: `/api/v1/destinations?q=${encodeURIComponent(name)}&status=failing` })).json();
      expect(failing).toEqual([]);
      const passing = (await t.request({ method: 'GET', url: `/api/v1/destinations?q=${encodeURIComponent(name)}&status=passing` })).json();
      expect(passing.map((d: { id: string }) => d.id)).toEqual([destination.id]);
      const activity = (await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}/activity` })).json() as {
        kind: string;
        actor: string | null;
      }[];
      const cancelled = activity.find((entry) => entry.kind === 'check.cancelled');
      expect(cancelled?.actor).toBe(finished.cancelled_by);
      // The history keeps it, marked.
      const history = (
        await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}/connection-checks` })
      ).json() as ConnectionCheck[];
      expect(history.map((c) => [c.id, c.cancelled])).toEqual([
        [check.id, true],
        [passed.id, false],
      ]);
    } finally {
      s3.beforeServing = null;
      release();
    }
  });

  it('keeps the failing step’s code and the bucket’s region in the list’s summary, for the row’s fix; a pass clears the code', async () => {
    const name = `Row fix ${Date.now()}`;
    const made = await t.request({
      method: 'POST',
      url: '/api/v1/destinations',
      body: { name, type: 's3', config: { ...WRITER, endpoint_url: s3.endpoint, remote_url: 's3://no-such-bucket-here/x/' } },
    });
    const destination = made.json();
    const failed = await waitForCheck(t, (await startCheck(t, destination.id)).json().id);
    expect(failed.steps.find((step: { status: string }) => step.status === 'failed')?.code).toBe('NoSuchBucket');
    const listed = async () => (await t.request({ method: 'GET', url: `/api/v1/destinations?q=${encodeURIComponent(name)}&limit=5` })).json()[0];
    expect((await listed()).last_check).toMatchObject({ id: failed.id, status: 'FAILURE', code: 'NoSuchBucket' });
    // An older instance (before migration 025) ends the next check: it copies that check's summary and not the code.
    const older = await t.store.checks.create({ destinationId: destination.id });
    await t.store.db.run(
      `UPDATE connection_checks SET status = 'FAILURE', reason = 'r', reported_at = $2, claimed_by = NULL, lease_until = NULL WHERE id = $1`,
      [older.id, new Date().toISOString()],
    );
    // Its summary, over the columns as the check before left them (an older instance does not know them).
    await t.store.db.run(
      `UPDATE destinations SET (last_check_id, last_check_status, last_check_reason, last_check_at) =
         (SELECT id, status, reason, created_at FROM connection_checks WHERE id = $1),
         last_check_code = 'NoSuchBucket', last_check_region = 'us-east-1', last_check_detail_of = $3 WHERE id = $2`,
      [older.id, destination.id, failed.id],
    );
    // The row offers no fix rather than the one of the check before.
    expect((await listed()).last_check).toMatchObject({ id: older.id, status: 'FAILURE', code: null, region: null });
    const fixed = await t.request({
      method: 'PUT',
      url: `/api/v1/destinations/${destination.id}`,
      headers: { 'if-match': `"${destination.version}"` },
      body: { config: { remote_url: 's3://local-bucket/row-fix/' } },
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const passed = await waitForCheck(t, (await startCheck(t, destination.id)).json().id);
    expect(passed.status).toBe('SUCCESS');
    expect((await listed()).last_check).toMatchObject({ id: passed.id, status: 'SUCCESS', code: null, region: passed.region });
  });

  it('cleans up the probe already written before it ends, and aborts the multipart upload under way', async () => {
    const destination = await createDestination(t, { ...WRITER, endpoint_url: s3.endpoint, remote_url: 's3://local-bucket/cancelled/' });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let caught = false;
    // Hold the multipart upload's part: the single-request write finishes, the multipart step stays running.
    s3.beforeServing = async (request) => {
      if (request.operation === 'UploadPart') {
        caught = true;
        await held;
      }
    };
    try {
      const check = (await startCheck(t, destination.id)).json();
      await expect
        .poll(async () => caught && stepOf((await t.request({ method: 'GET', url: `/api/v1/connection-checks/${check.id}` })).json(), 'write').status)
        .toBe('passed');
      expect(await s3.listKeys('local-bucket', 'cancelled/.connection-test/')).toHaveLength(1);
      expect((await cancel(t, check.id)).statusCode).toBe(202);
      const finished = await waitForCheck(t, check.id);
      expect(finished).toMatchObject({ status: 'FAILURE', reason: CANCELLED_REASON });
      expect(stepOf(finished, 'write').status).toBe('passed');
      expect(stepOf(finished, 'multipart')).toMatchObject({ status: 'skipped', message: cutOff });
      expect(stepOf(finished, 'cleanup')).toMatchObject({ status: 'passed', message: 'Deleted the 1 test objects written.' });
      expect(await s3.listKeys('local-bucket', 'cancelled/.connection-test/')).toEqual([]);
      expect(
        s3.requests.some((request) => request.operation === 'AbortMultipartUpload' && request.key?.startsWith('cancelled/.connection-test/')),
      ).toBe(true);
    } finally {
      s3.beforeServing = null;
      release();
    }
  });

  it('ends a check no worker has claimed yet at once', async () => {
    const idle = await buildTestApp({ checkConcurrency: 1, checkTimeoutMs: 30_000, checkRatePerMin: 100, s3EndpointAllowlist: allowlist() });
    try {
      const destination = await createDestination(idle, { endpoint_url: silentUrl, key: 'minio', secret: 'minio-secret' });
      const running = (await startCheck(idle, destination.id)).json();
      const queued = (await startCheck(idle, destination.id)).json();
      await expect.poll(() => idle.app.checkWorker.runningCount()).toBe(1);
      const answer = await cancel(idle, queued.id);
      expect(answer.statusCode).toBe(202);
      expect(answer.json()).toMatchObject({ id: queued.id, status: 'FAILURE', reason: CANCELLED_REASON });
      expect(answer.json().steps.every((step: { message: string }) => step.message === cutOff)).toBe(true);
      expect((await cancel(idle, running.id)).statusCode).toBe(202);
      expect((await waitForCheck(idle, running.id)).reason).toBe(CANCELLED_REASON);
    } finally {
      await idle.close();
    }
  });

  it('answers 404 for an unknown check', async () => {
    expect((await cancel(t, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('replacing credentials: test, then save with the check', () => {
  it('a PUT of only the credentials keeps the rest, and the merged check joins the history', async () => {
    const destination = await createDestination(t, {
      key: IDENTITIES.expired.accessKeyId,
      secret: IDENTITIES.expired.secretAccessKey,
      token: IDENTITIES.expired.sessionToken,
      region: 'us-east-1',
    });
    const fresh = {
      key: IDENTITIES.temporary.accessKeyId,
      secret: IDENTITIES.temporary.secretAccessKey,
      token: IDENTITIES.temporary.sessionToken,
      token_expires_at: IDENTITIES.temporary.expiresAt.toISOString(),
    };
    const tested = await t.request({ method: 'POST', url: '/api/v1/connection-checks', body: { destination_id: destination.id, config: fresh } });
    const check = await waitForCheck(t, tested.json().id);
    expect(check.status).toBe('SUCCESS');
    const saved = await t.request({
      method: 'PUT',
      url: `/api/v1/destinations/${destination.id}`,
      headers: { 'if-match': '"1"' },
      body: { config: fresh, connection_check_id: check.id },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      config: { key: IDENTITIES.temporary.accessKeyId, region: 'us-east-1', remote_url: 's3://local-bucket/queue/', has_token: true },
      // 12-hour credentials saved just now: not in the last quarter of their lifetime.
      credentials: { method: 'temporary', state: 'ok', expires_at: fresh.token_expires_at },
      // The adopted check tested exactly what was saved: not stale.
      config_version: 2,
      last_check: { id: check.id, status: 'SUCCESS', config_version: 2 },
    });
    const history = (await t.request({ method: 'GET', url: `/api/v1/destinations/${destination.id}/connection-checks` })).json();
    expect(history.map((c: ConnectionCheck) => c.id)).toEqual([check.id]);
    expect(history[0].destination_id).toBe(destination.id);
  });

  it('refuses a check that did not test a change to this destination', async () => {
    const a = await createDestination(t);
    const b = await createDestination(t);
    const tested = await t.request({ method: 'POST', url: '/api/v1/connection-checks', body: { destination_id: a.id, config: {} } });
    const check = await waitForCheck(t, tested.json().id);
    const response = await t.request({
      method: 'PUT',
      url: `/api/v1/destinations/${b.id}`,
      headers: { 'if-match': '"1"' },
      body: { name: 'never', connection_check_id: check.id },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail[0].loc).toEqual(['body', 'connection_check_id']);
    expect((await t.store.destinations.findById(b.id))?.version).toBe(1);
  });
});
