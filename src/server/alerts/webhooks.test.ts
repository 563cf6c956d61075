import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../../e2e/local-s3/identities.ts';
import type { Destination } from '#shared/destination-schemas';
import type { CreatedWebhook, Webhook, WebhookDelivery, WebhookEvent } from '#shared/webhook-schemas';
import { GROUP_MAX } from '../store/webhooks-repository.ts';
import { waitForCheck } from '../test-support/checks.ts';
import { buildTestApp, createUser, storedBytes, type TestApp } from '../test-support/test-app.ts';

// Alerts end to end on the API side: a receiver on loopback (allowed by WEBHOOK_ALLOWLIST) gets signed events, which
// this test verifies with its own HMAC, as a receiver would.
type Received = { headers: http.IncomingHttpHeaders; body: string; event: WebhookEvent };
let received: Received[] = [];
/** What the receiver answers next (a queue of statuses; 200 once it is empty). */
let answers: number[] = [];
const receiver = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    received.push({ headers: req.headers, body, event: JSON.parse(body) as WebhookEvent });
    res.writeHead(answers.shift() ?? 200).end();
  });
});
let port = 0;
let s3: LocalS3;
let t: TestApp;
let strict: TestApp;
const saved = { ...process.env };
let counter = 0;

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
  s3 = await startLocalS3();
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.AWS_ENDPOINT_URL_STS = s3.endpoint;
  const deliveries = { backoffMs: [100, 100], pollMs: 50 };
  [t, strict] = await Promise.all([
    buildTestApp({ checkTimeoutMs: 5_000, s3EndpointAllowlist: [`127.0.0.1:${s3.port}`], webhookAllowlist: [`127.0.0.1:${port}`] }, { deliveries }),
    buildTestApp({}, { deliveries }),
  ]);
});
afterAll(async () => {
  process.env = saved;
  await Promise.all([t.close(), strict.close()]);
  await s3.close();
  receiver.close();
});
beforeEach(() => {
  received = [];
  answers = [];
});

// The path carries a token, as Slack's and Teams' incoming webhook URLs do.
const TOKEN = 'T000/B000/XXXXsecretTokenInThePath';
async function addWebhook(app = t, url = `http://127.0.0.1:${port}/services/${TOKEN}`, events?: string[]): Promise<CreatedWebhook> {
  const response = await app.request({
    method: 'POST',
    url: '/api/v1/webhooks',
    body: { name: `hook ${++counter}`, url, ...(events ? { events } : {}) },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as CreatedWebhook;
}
const removeAll = async () => {
  for (const hook of (await t.request({ method: 'GET', url: '/api/v1/webhooks' })).json() as Webhook[]) {
    await t.request({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}` });
  }
};
const deliveriesOf = async (id: string, app = t) =>
  (await app.request({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries` })).json() as WebhookDelivery[];
const settled = async (id: string, app = t) => {
  await expect.poll(async () => (await deliveriesOf(id, app)).every((d) => d.status !== 'pending'), { timeout: 10_000 }).toBe(true);
  return deliveriesOf(id, app);
};

/**
 * A receiver's check, by the Standard Webhooks spec with node:crypto alone: HMAC-SHA256 keyed with the secret's bytes
 * (base64 after "whsec_") over "<webhook-id>.<webhook-timestamp>.<body>", compared in constant time, a fresh timestamp.
 */
function verify(received: Received, secret: string): boolean {
  const id = String(received.headers['webhook-id'] ?? '');
  const stamp = String(received.headers['webhook-timestamp'] ?? '');
  const signatures = String(received.headers['webhook-signature'] ?? '').split(' ');
  if (!id || !stamp || Math.abs(Date.now() / 1000 - Number(stamp)) > 300) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${stamp}.${received.body}`).digest();
  return signatures.some((entry) => {
    const [version, value = ''] = entry.split(',');
    const given = Buffer.from(value, 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

describe('webhooks', () => {
  it('shows the secret once and the URL by its host only; neither is stored in the clear', async () => {
    const hook = await addWebhook();
    expect(hook.secret).toMatch(/^whsec_/);
    expect(hook).toMatchObject({
      url: `http://127.0.0.1:${port}`,
      state: 'active',
      events: ['check.failing', 'check.passing', 'credentials.expiring', 'credentials.expired'],
    });
    const listed = (await t.request({ method: 'GET', url: '/api/v1/webhooks' })).body;
    expect(listed).not.toContain(TOKEN);
    expect(listed).not.toContain(hook.secret);
    const bytes = await storedBytes(t);
    expect(bytes.includes(TOKEN)).toBe(false);
    expect(bytes.includes(hook.secret)).toBe(false);
    await removeAll();
  });

  it('is the admin’s: an editor can neither list nor add', async () => {
    const editor = await createUser(t, 'editor');
    expect((await t.request({ method: 'GET', url: '/api/v1/webhooks', cookie: editor.cookie })).statusCode).toBe(403);
    expect(
      (await t.request({ method: 'POST', url: '/api/v1/webhooks', cookie: editor.cookie, body: { name: 'x', url: 'https://example.com/' } }))
        .statusCode,
    ).toBe(403);
  });

  it.each([
    ['ftp://example.com/hook', 'start with https://'],
    ['https://user:pass@example.com/hook', 'Remove the user name and password'],
    ['http://10.0.0.5/hook', 'WEBHOOK_ALLOWLIST'],
    ['http://169.254.169.254/latest', 'WEBHOOK_ALLOWLIST'],
    ['not a url', 'Enter the full address'],
  ])('refuses %s on the url field', async (url, words) => {
    const response = await t.request({ method: 'POST', url: '/api/v1/webhooks', body: { name: `bad ${++counter}`, url } });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toEqual([expect.objectContaining({ loc: ['body', 'url'], msg: expect.stringContaining(words) })]);
  });

  it('sends a signed test event that Slack and Teams can show, and logs its delivery', async () => {
    const hook = await addWebhook();
    const started = await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` });
    expect(started.statusCode).toBe(202);
    const [delivery] = await settled(hook.id);
    expect(delivery).toMatchObject({ type: 'test', status: 'delivered', attempts: 1, last_status_code: 200 });
    expect(received).toHaveLength(1);
    const [got] = received as [Received];
    expect(verify(got, hook.secret)).toBe(true);
    expect(verify(got, `whsec_${Buffer.alloc(32, 7).toString('base64')}`)).toBe(false);
    // And with the Standard Webhooks library a receiver would use.
    expect(new StandardWebhook(hook.secret).verify(got.body, got.headers as Record<string, string>)).toMatchObject({ type: 'test' });
    expect(got.headers['webhook-id']).toBe(got.event.id);
    expect(got.headers['x-s3admin-event']).toBe('test');
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.event).toMatchObject({ type: 'test', text: expect.stringContaining(`“${hook.name}”`) });
    await removeAll();
  });

  it('retries with backoff until the receiver takes it', async () => {
    const hook = await addWebhook();
    answers = [500, 503];
    await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` });
    const [delivery] = await settled(hook.id);
    expect(delivery).toMatchObject({ status: 'delivered', attempts: 3, last_status_code: 200 });
    expect(received).toHaveLength(3);
    // Every attempt is signed; the same event each time.
    expect(new Set(received.map((r) => r.event.id)).size).toBe(1);
    expect(received.every((r) => verify(r, hook.secret))).toBe(true);
    await removeAll();
  });

  it('gives a delivery up after its attempts, marks the webhook failing with the reason, and turns it off when it keeps failing', async () => {
    const hook = await addWebhook();
    answers = Array.from({ length: 20 }, () => 500);
    await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` });
    const [gaveUp] = await settled(hook.id);
    expect(gaveUp).toMatchObject({ status: 'failed', attempts: 3, last_status_code: 500, last_error: 'The receiver answered 500' });
    let state = (await t.request({ method: 'GET', url: '/api/v1/webhooks' })).json().find((h: Webhook) => h.id === hook.id) as Webhook;
    expect(state).toMatchObject({ state: 'failing', reason: 'The receiver answered 500' });
    for (let i = 0; i < 2; i++) {
      await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` });
      await settled(hook.id);
    }
    state = (await t.request({ method: 'GET', url: '/api/v1/webhooks' })).json().find((h: Webhook) => h.id === hook.id) as Webhook;
    expect(state.state).toBe('disabled');
    // Bounded: 3 deliveries × 3 attempts, nothing more.
    expect(received).toHaveLength(9);
    const enabled = await t.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/enable` });
    expect(enabled.json()).toMatchObject({ state: 'active', reason: null });
    await removeAll();
  });

  it('does not send to an address the SSRF rules refuse, and says why, without retrying', async () => {
    // Accepted when added (a host name is judged when sending), refused when sending: localhost is loopback.
    const hook = await addWebhook(strict, `http://localhost:${port}/hook`);
    await strict.request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` });
    const [delivery] = await settled(hook.id, strict);
    expect(delivery).toMatchObject({ status: 'failed', attempts: 1, last_error: expect.stringContaining('WEBHOOK_ALLOWLIST') });
    expect(received).toHaveLength(0);
  });
});

describe('alerts', () => {
  const createConnector = async (config: Record<string, unknown>) => {
    const response = await t.request({ method: 'POST', url: '/api/v1/destinations', body: { name: `alerted ${++counter}`, type: 's3', config } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Destination;
  };
  const check = async (id: string) =>
    waitForCheck(t, (await t.request({ method: 'POST', url: `/api/v1/destinations/${id}/connection-check` })).json().id);

  it('sends one event when a connector goes from passing to failing, and one when it passes again', async () => {
    const hook = await addWebhook(t, undefined, ['check.failing', 'check.passing']);
    const destination = await createConnector({
      remote_url: 's3://local-bucket/alerts/',
      key: IDENTITIES.writer.accessKeyId,
      secret: IDENTITIES.writer.secretAccessKey,
    });
    expect((await check(destination.id)).status).toBe('SUCCESS');
    // The first verdict is no transition.
    s3.setPolicy(IDENTITIES.writer.accessKeyId, { Version: '2012-10-17', Statement: [] });
    try {
      expect((await check(destination.id)).status).toBe('FAILURE');
      expect((await check(destination.id)).status).toBe('FAILURE');
    } finally {
      s3.setPolicy(IDENTITIES.writer.accessKeyId, null);
    }
    expect((await check(destination.id)).status).toBe('SUCCESS');
    expect((await check(destination.id)).status).toBe('SUCCESS');
    await settled(hook.id);
    expect(received.map((r) => r.event.type)).toEqual(['check.failing', 'check.passing']);
    const failing = received[0]?.event;
    expect(failing).toMatchObject({ destination: { id: destination.id, name: destination.name }, check: { status: 'FAILURE' } });
    expect(failing?.text).toContain(destination.name);
    expect(failing?.destination?.url).toBe(`http://127.0.0.1:8080/destinations/${destination.id}`);
    expect(received.every((r) => verify(r, hook.secret))).toBe(true);
    await removeAll();
  });

  it('sends one event when temporary credentials enter their warning window, and one when they expire', async () => {
    const hook = await addWebhook(t, undefined, ['credentials.expiring', 'credentials.expired']);
    const expires = new Date(Date.now() + 10 * 60_000);
    await createConnector({ ...credentialsWithToken(), remote_url: 's3://local-bucket/alerts-creds/', token_expires_at: expires.toISOString() });
    const now = Date.now();
    await t.app.alerts.sweepCredentials(new Date(now));
    await t.app.alerts.sweepCredentials(new Date(now + 60_000));
    await t.app.alerts.sweepCredentials(new Date(now + 11 * 60_000));
    await t.app.alerts.sweepCredentials(new Date(now + 12 * 60_000));
    await settled(hook.id);
    expect(received.map((r) => r.event.type)).toEqual(['credentials.expiring', 'credentials.expired']);
    expect(received[0]?.event.credentials).toEqual({ state: 'expiring', expires_at: expires.toISOString() });
    await removeAll();
  });
});

function credentialsWithToken() {
  return { key: IDENTITIES.temporary.accessKeyId, secret: IDENTITIES.temporary.secretAccessKey, token: IDENTITIES.temporary.sessionToken };
}

describe('a channel is not a log: events of one kind within a minute are one message', () => {
  const expiring = (name: string): WebhookEvent => ({
    id: crypto.randomUUID(),
    type: 'credentials.expiring',
    created_at: new Date().toISOString(),
    text: `S3 destinations admin: the credentials of “${name}” expire soon.`,
    destination: { id: crypto.randomUUID(), name, url: `https://admin.example/destinations/${name}` },
    check: null,
    credentials: { state: 'expiring', expires_at: new Date(Date.now() + 600_000).toISOString() },
  });

  it('fifteen credentials expiring in one sweep are one message naming them, with each event for programs', async () => {
    await removeAll();
    const hook = await addWebhook();
    const events = Array.from({ length: 15 }, (_, i) => expiring(`bucket-${i}`));
    await t.store.db.transaction(async (tx) => {
      for (const event of events) await t.store.webhooks.enqueue(tx, event);
    });
    const [delivery, ...others] = await settled(hook.id);
    expect(others).toEqual([]);
    expect(delivery?.status).toBe('delivered');
    expect(received).toHaveLength(1);
    const got = received[0]!;
    expect(got.headers['webhook-id']).toBe(events[0]!.id);
    expect(got.event.events?.map((event) => event.id)).toEqual(events.map((event) => event.id));
    const lines = got.event.text.split('\n');
    expect(lines[0]).toBe('15 alerts of the same kind within a minute:');
    expect(lines.slice(1, 11)).toEqual(events.slice(0, 10).map((event) => `• ${event.text}`));
    expect(lines[11]).toBe('…and 5 more.');
    // The first event's own fields stay where a program reading one event looks.
    expect(got.event).toMatchObject({ id: events[0]!.id, type: 'credentials.expiring', destination: events[0]!.destination });
  });

  it('the first goes at once; what follows within the minute waits for its end and goes together', async () => {
    await removeAll();
    const hook = await addWebhook();
    const first = expiring('first');
    await t.store.db.transaction((tx) => t.store.webhooks.enqueue(tx, first));
    await settled(hook.id);
    expect(received.map((r) => r.event.id)).toEqual([first.id]);
    const [second, third] = [expiring('second'), expiring('third')];
    await t.store.db.transaction((tx) => t.store.webhooks.enqueue(tx, second));
    await t.store.db.transaction((tx) => t.store.webhooks.enqueue(tx, third));
    const pending = (await deliveriesOf(hook.id)).filter((d) => d.status === 'pending');
    expect(pending).toHaveLength(1);
    const sent = (await deliveriesOf(hook.id)).find((d) => d.status === 'delivered')!;
    // Due a minute after the first went, not now.
    expect(Date.parse(pending[0]!.next_attempt_at!) - Date.parse(sent.delivered_at!)).toBe(60_000);
    expect(pending[0]!.text).toMatch(/^2 alerts of the same kind within a minute:\n• .*“second”.*\n• .*“third”/);
    // Another kind is not held by it.
    const failing: WebhookEvent = { ...expiring('other'), id: crypto.randomUUID(), type: 'check.failing', credentials: null };
    await t.store.db.transaction((tx) => t.store.webhooks.enqueue(tx, failing));
    await expect.poll(() => received.map((r) => r.event.id)).toEqual([first.id, failing.id]);
  });
});

describe('grouping has a bound', () => {
  it('a message carries at most GROUP_MAX events: the rest go in the next message, at the same time', async () => {
    await removeAll();
    const hook = await addWebhook();
    const now = new Date().toISOString();
    const events: WebhookEvent[] = Array.from({ length: 2 * GROUP_MAX + 5 }, (_, i) => ({
      id: crypto.randomUUID(),
      type: 'credentials.expired',
      created_at: now,
      text: `credentials of “c${i}” expired`,
      destination: null,
      check: null,
      credentials: { state: 'expired', expires_at: now },
    }));
    await t.store.db.transaction(async (tx) => {
      for (const event of events) await t.store.webhooks.enqueue(tx, event);
    });
    const rows = await t.store.db.all<{ payload: string; next_attempt_at: string }>(
      'SELECT payload, next_attempt_at FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at, id',
      [hook.id],
    );
    const sizes = rows.map((row) => (JSON.parse(row.payload) as WebhookEvent).events?.length).sort((a, b) => (b ?? 0) - (a ?? 0));
    expect(sizes).toEqual([GROUP_MAX, GROUP_MAX, 5]);
    expect(new Set(rows.map((row) => row.next_attempt_at)).size).toBe(1);
    await settled(hook.id);
  });
});
