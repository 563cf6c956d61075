import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../../e2e/local-s3/identities.ts';
import { ConnectionCheckSchema, type ConnectionCheck } from '#shared/check-schemas';
import { buildTestApp, type TestApp } from '../test-support/test-app.ts';

let s3: LocalS3;
let t: TestApp;
let origin: string;
beforeAll(async () => {
  // Each request takes a while, so every step is seen running.
  s3 = await startLocalS3({ latencyMs: 60 });
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.AWS_ENDPOINT_URL_STS = s3.endpoint;
  t = await buildTestApp({ checkTimeoutMs: 10_000, s3EndpointAllowlist: [`127.0.0.1:${s3.port}`] });
  origin = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
  await s3.close();
});

type Event = { event: string; id: number; check: ConnectionCheck };

/** Reads a server-sent events stream to its end. */
async function readEvents(url: string, cookie: string): Promise<{ events: Event[]; contentType: string | null }> {
  const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' } });
  expect(response.status).toBe(200);
  const text = await response.text();
  const events = text
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => {
      const field = (name: string) =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2) ?? '';
      return { event: field('event'), id: Number(field('id')), check: ConnectionCheckSchema.parse(JSON.parse(field('data'))) };
    });
  return { events, contentType: response.headers.get('content-type') };
}

it('streams the check at every step change, in order, then closes', async () => {
  const created = await t.request({
    method: 'POST',
    url: '/api/v1/connection-checks',
    body: {
      type: 's3',
      config: { remote_url: 's3://local-bucket/events/', key: IDENTITIES.writer.accessKeyId, secret: IDENTITIES.writer.secretAccessKey },
    },
  });
  const { events, contentType } = await readEvents(`${origin}/api/v1/connection-checks/${created.json().id}/events`, t.cookie);

  expect(contentType).toBe('text/event-stream; charset=utf-8');
  expect(events.every((e) => e.event === 'check')).toBe(true);
  const revisions = events.map((e) => e.id);
  expect(revisions).toEqual([...revisions].sort((a, b) => a - b));
  expect(new Set(revisions).size).toBe(revisions.length);
  expect(events.at(-1)?.check.status).toBe('SUCCESS');
  expect(events.slice(0, -1).every((e) => e.check.status === 'SCHEDULED')).toBe(true);

  // The first event in which each step is seen running, and finished.
  const firstSeen = (name: string, statuses: string[]) =>
    events.findIndex((e) => statuses.includes(e.check.steps.find((s) => s.name === name)?.status ?? ''));
  for (const name of ['identity', 'bucket', 'write', 'multipart', 'cleanup']) {
    expect(firstSeen(name, ['running']), `${name} seen running`).toBeGreaterThanOrEqual(0);
    expect(firstSeen(name, ['passed']), `${name} passed after running`).toBeGreaterThan(firstSeen(name, ['running']));
  }
  const order = ['bucket', 'write', 'multipart', 'cleanup'].map((name) => firstSeen(name, ['running']));
  expect(order).toEqual([...order].sort((a, b) => a - b));
  expect(firstSeen('validate', ['passed'])).toBeLessThanOrEqual(firstSeen('bucket', ['running']));
  // A step never goes back.
  const rank = { pending: 0, running: 1, passed: 2, warning: 2, failed: 2, skipped: 2 };
  for (let i = 1; i < events.length; i++) {
    for (const step of events[i]!.check.steps) {
      const before = events[i - 1]!.check.steps.find((s) => s.name === step.name)!;
      expect(rank[step.status]).toBeGreaterThanOrEqual(rank[before.status]);
    }
  }
});

it('sends a finished check once and closes', async () => {
  const created = await t.request({
    method: 'POST',
    url: '/api/v1/connection-checks',
    body: {
      type: 's3',
      config: { remote_url: 's3://no-such-bucket/', key: IDENTITIES.writer.accessKeyId, secret: IDENTITIES.writer.secretAccessKey },
    },
  });
  const id = created.json().id;
  await expect
    .poll(async () => (await t.request({ method: 'GET', url: `/api/v1/connection-checks/${id}` })).json().status, { timeout: 10_000 })
    .toBe('FAILURE');
  const { events } = await readEvents(`${origin}/api/v1/connection-checks/${id}/events`, t.cookie);
  expect(events).toHaveLength(1);
  expect(events[0]?.check.status).toBe('FAILURE');
});

it('answers 404 for an unknown check and 401 without a session', async () => {
  const unknown = await fetch(`${origin}/api/v1/connection-checks/6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d/events`, { headers: { cookie: t.cookie } });
  expect(unknown.status).toBe(404);
  const anonymous = await fetch(`${origin}/api/v1/connection-checks/6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d/events`);
  expect(anonymous.status).toBe(401);
});
