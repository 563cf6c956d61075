import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../e2e/local-s3/identities.ts';
import { waitForCheck } from './test-support/checks.ts';
import { buildTestApp, type TestApp } from './test-support/test-app.ts';
import { SCHEMA_VERSION } from './test-support/schema-version.ts';
import { APP_VERSION } from './version.ts';

// What an operator sees: health and readiness, request ids, metrics, one log line per finished check.
const METRICS_TOKEN = 'a metrics token of the tests, 32+ characters long';
const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});
let s3: LocalS3;
let t: TestApp;
beforeAll(async () => {
  s3 = await startLocalS3();
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.AWS_ENDPOINT_URL_STS = s3.endpoint;
  t = await buildTestApp(
    { logLevel: 'info', metricsToken: METRICS_TOKEN, s3EndpointAllowlist: [`127.0.0.1:${s3.port}`], trustProxy: ['10.0.0.5'] },
    { logStream: sink },
  );
});
afterAll(async () => {
  await t.close();
  await s3.close();
});

const scrape = async (token: string | null = METRICS_TOKEN) =>
  t.request({ method: 'GET', url: '/metrics', cookie: null, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('health and readiness', () => {
  it('answers liveness and readiness on any Host, and readiness says why it is not ready', async () => {
    const probe = (url: string) => t.request({ method: 'GET', url, cookie: null, headers: { host: '10.1.2.3:8080' } });
    expect((await probe('/api/health/live')).json()).toEqual({ status: 'ok' });
    expect((await probe('/api/health/ready')).json()).toEqual({ status: 'ready' });
    // A newer version's migration that this one cannot run beside: not ready, and why.
    await t.store.db.run("INSERT INTO schema_versions (migration, oldest_app_version, applied_by) VALUES ('099-future.sql', '9.0.0', '9.1.0')");
    const schema = await probe('/api/health/ready');
    expect(schema.statusCode).toBe(503);
    expect(schema.json().detail).toMatch(/^The database was upgraded by version 9\.1\.0/);
    await t.store.db.run("DELETE FROM schema_versions WHERE migration = '099-future.sql'");
    // Stopping: not ready at once, while still alive.
    t.app.lifecycle.stopping = true;
    const stopping = await probe('/api/health/ready');
    expect([stopping.statusCode, stopping.json().detail]).toEqual([503, 'Stopping: finishing the checks it runs, taking no new work']);
    expect((await probe('/api/health/live')).statusCode).toBe(200);
    t.app.lifecycle.stopping = false;
  });

  it('answers 503, not 500, when the database does not answer', async () => {
    const broken = await buildTestApp();
    try {
      await broken.store.db.close();
      for (const url of ['/api/health', '/api/health/ready']) {
        const answer = await broken.request({ method: 'GET', url, cookie: null });
        expect([url, answer.statusCode, answer.json().detail]).toEqual([url, 503, 'The database does not answer']);
      }
    } finally {
      await broken.app.close();
    }
  });
});

describe('request ids', () => {
  it('gives every answer a unique X-Request-Id, and takes one only from a trusted proxy, only when well-formed', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add(String((await t.request({ method: 'GET', url: '/api/health', cookie: null })).headers['x-request-id']));
    expect(ids.size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const sent = (id: string, remoteAddress: string) =>
      t.request({ method: 'GET', url: '/api/health', cookie: null, headers: { 'x-request-id': id }, remoteAddress });
    expect((await sent('lb-7f3a.1', '10.0.0.5')).headers['x-request-id']).toBe('lb-7f3a.1');
    // From a client directly, or malformed (a log line or header injection), it is replaced.
    expect((await sent('lb-7f3a.1', '203.0.113.9')).headers['x-request-id']).not.toBe('lb-7f3a.1');
    expect((await sent('bad id\n{"level":60}', '10.0.0.5')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((await sent('x'.repeat(65), '10.0.0.5')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('metrics', () => {
  it('asks for the metrics token, and is off without one', async () => {
    expect((await scrape(null)).statusCode).toBe(401);
    expect((await scrape('not the token')).statusCode).toBe(401);
    const off = await buildTestApp();
    try {
      expect(
        (await off.request({ method: 'GET', url: '/metrics', cookie: null, headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).statusCode,
      ).toBe(404);
    } finally {
      await off.close();
    }
  });

  it('counts requests by route pattern (never the URL sent), checks by outcome and step, sign-in failures, and says the version', async () => {
    await t.request({ method: 'GET', url: '/api/v1/destinations/0f8fad5b-d9cb-469f-a165-70867728950e' });
    await t.request({ method: 'POST', url: '/api/session', body: { email: 'admin', password: 'not the password' }, cookie: null });
    const started = await t.request({
      method: 'POST',
      url: '/api/v1/connection-checks',
      body: {
        type: 's3',
        config: {
          remote_url: 's3://local-bucket/metrics/',
          endpoint_url: s3.endpoint,
          key: IDENTITIES.writer.accessKeyId,
          secret: IDENTITIES.writer.secretAccessKey,
        },
      },
    });
    await waitForCheck(t, started.json().id);
    const text = (await scrape()).body;
    expect(text).toMatch(/^http_requests_total\{method="GET",route="\/api\/v1\/destinations\/:id",status="404"\} 1$/m);
    expect(text).not.toContain('0f8fad5b-d9cb-469f-a165-70867728950e');
    expect(text).toMatch(/^connection_checks_finished_total\{outcome="success",trigger="manual"\} 1$/m);
    expect(text).toMatch(/^connection_check_step_duration_seconds_count\{step="write",status="passed"\} 1$/m);
    expect(text).toMatch(/^sign_in_failures_total\{method="password"\} 1$/m);
    expect(text).toMatch(/^connection_checks_queued 0$/m);
    // The whole list twice: its rows built once, then kept.
    expect(
      (
        await t.request({
          method: 'POST',
          url: '/api/v1/destinations',
          body: { name: 'Listed', type: 's3', config: { remote_url: 's3://local-bucket/listed/', anonymous: true } },
        })
      ).statusCode,
    ).toBe(200);
    const listed = (await t.request({ method: 'GET', url: '/api/v1/destinations' })).json().length as number;
    await t.request({ method: 'GET', url: '/api/v1/destinations' });
    const rows = (await scrape()).body;
    expect(listed).toBeGreaterThan(0);
    expect(rows).toMatch(new RegExp(`^list_whole_rows_total\\{source="built"\\} ${listed}$`, 'm'));
    expect(rows).toMatch(new RegExp(`^list_whole_rows_total\\{source="kept"\\} ${listed}$`, 'm'));
    expect(text).toMatch(/^connection_checks_running 0$/m);
    expect(text).toContain(`app_info{version="${APP_VERSION}",schema_version="${SCHEMA_VERSION}",node_version="${process.versions.node}"} 1`);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).not.toContain(IDENTITIES.writer.secretAccessKey);
  });

  it('writes one log line for each finished check: which, how it ended, where it failed, how long, who started it', async () => {
    const started = await t.request({
      method: 'POST',
      url: '/api/v1/connection-checks',
      body: {
        type: 's3',
        config: {
          remote_url: 's3://no-such-bucket-here/x/',
          endpoint_url: s3.endpoint,
          key: IDENTITIES.writer.accessKeyId,
          secret: IDENTITIES.writer.secretAccessKey,
        },
      },
    });
    await waitForCheck(t, started.json().id);
    await expect.poll(() => lines.find((line) => line.msg === 'connection check finished' && line.checkId === started.json().id)).toBeDefined();
    const line = lines.find((entry) => entry.msg === 'connection check finished' && entry.checkId === started.json().id);
    const admin = await t.store.users.findByEmail('admin');
    expect(line).toMatchObject({
      level: 30,
      outcome: 'failure',
      failingStep: 'bucket',
      destinationId: null,
      startedBy: `user:${admin?.id}`,
      durationMs: expect.any(Number),
    });
  });
});
