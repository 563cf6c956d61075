import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../e2e/local-s3/gateway.ts';
import { IDENTITIES, type Identity } from '../../e2e/local-s3/identities.ts';
import { holdSecrets } from './logger.ts';
import { buildTestApp, destinationBody, type TestApp } from './test-support/test-app.ts';

let s3: LocalS3;
let t: TestApp;
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});
const logged = () => lines.join('\n');

beforeAll(async () => {
  s3 = await startLocalS3();
  t = await buildTestApp({ logLevel: 'trace' }, { logStream: sink });
});
afterAll(async () => {
  await t.close();
  await s3.close();
});

const token = IDENTITIES.expiredMarked.sessionToken as string;
const hex = (text: string) => Buffer.from(text).toString('hex');
const spacedHex = (text: string) => hex(text).replace(/(..)(?!$)/g, '$1 ');

/** A real SDK error: what the local endpoint (answering as S3 does) made the SDK throw. */
async function sdkError(identity: Identity, secretAccessKey = identity.secretAccessKey): Promise<Record<string, unknown>> {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: identity.accessKeyId, secretAccessKey, sessionToken: identity.sessionToken ?? undefined },
  });
  try {
    await client.send(new PutObjectCommand({ Bucket: 'local-bucket', Key: 'log-test/probe', Body: Buffer.from('x') }));
  } catch (error) {
    return error as Record<string, unknown>;
  } finally {
    client.destroy();
  }
  throw new Error('the request did not fail');
}

describe('SDK errors carry credentials, and the log keeps them out', () => {
  it('ExpiredToken: the token comes back as Token-0, and is redacted by name', async () => {
    const error = await sdkError(IDENTITIES.expiredMarked);
    expect(error.name).toBe('ExpiredToken');
    expect(error['Token-0']).toBe(token);
    lines.length = 0;
    t.app.log.error({ err: error }, 'check failed');
    expect(logged()).toContain('"name":"ExpiredToken"');
    expect(logged()).toContain('"Token-0":"[redacted]"');
    expect(logged()).not.toContain(token);
  });

  it('SignatureDoesNotMatch: the canonical request carries the token as text and as spaced hex', async () => {
    const error = await sdkError(IDENTITIES.expiredMarked, 'wrong-secret-wrong-secret-wrong-secret-00');
    expect(error.name).toBe('SignatureDoesNotMatch');
    expect(String(error.CanonicalRequest)).toContain(`x-amz-security-token:${token}`);
    expect(String(error.CanonicalRequestBytes)).toContain(spacedHex(token));
    lines.length = 0;
    t.app.log.error({ err: error }, 'check failed');
    expect(logged()).not.toContain(token);
    expect(logged()).not.toContain(spacedHex(token));
  });

  it('deeper than any redact path, the value scrub of the secrets in flight removes every form of the token', async () => {
    const error = await sdkError(IDENTITIES.expiredMarked, 'wrong-secret-wrong-secret-wrong-secret-00');
    const deep = { a: { b: { c: { d: { error } } } } };
    lines.length = 0;
    t.app.log.warn(deep, 'nothing held');
    // Without the scrub, a copy nested this deep gets through: this is what the scrub is for.
    expect(logged()).toContain(spacedHex(token));

    const release = holdSecrets([token]);
    lines.length = 0;
    t.app.log.warn(deep, 'held');
    for (const prefix of ['', 'x', 'xy']) t.app.log.warn({ blob: Buffer.from(`${prefix}${token}`).toString('base64') }, 'base64');
    t.app.log.warn({ hex: hex(token).toUpperCase(), url: `?X-Amz-Security-Token=${encodeURIComponent(token)}` }, 'encoded');
    release();
    const text = logged();
    expect(text).toContain('"msg":"held"');
    for (const form of [token, spacedHex(token), hex(token).toUpperCase(), encodeURIComponent(token)]) expect(text).not.toContain(form);
    for (const prefix of ['', 'x', 'xy']) {
      const encoded = Buffer.from(`${prefix}${token}`).toString('base64');
      expect(text).not.toContain(encoded.slice(8, -8));
    }
  });

  it('a secret with characters JSON escapes is scrubbed in its escaped form', () => {
    const secret = 'quote"and\\backslash/plus+';
    const release = holdSecrets([secret]);
    lines.length = 0;
    t.app.log.warn({ a: { b: { c: { d: { e: secret } } } } }, 'escaped');
    release();
    expect(logged()).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(logged()).toContain('[redacted]');
  });

  it('a running check’s secret and token stay out of the trace log, raw and in hex', async () => {
    // The leak marker identity's secret is known to the local endpoint: the check fails ExpiredToken on the way.
    process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
    process.env.AWS_ENDPOINT_URL_STS = s3.endpoint;
    lines.length = 0;
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/connection-checks',
      body: {
        type: 's3',
        config: {
          remote_url: 's3://local-bucket/log-test/',
          key: IDENTITIES.expiredMarked.accessKeyId,
          secret: IDENTITIES.expiredMarked.secretAccessKey,
          token,
        },
      },
    });
    expect(response.statusCode).toBe(202);
    const id = response.json().id as string;
    for (let i = 0; i < 100; i++) {
      const check = (await t.request({ method: 'GET', url: `/api/v1/connection-checks/${id}` })).json();
      if (check.status !== 'SCHEDULED') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const text = logged();
    expect(text).toContain('"msg":"request completed"');
    for (const form of [token, hex(token), spacedHex(token), IDENTITIES.expiredMarked.secretAccessKey]) expect(text).not.toContain(form);
  });
});

describe('log lines', () => {
  const find = (msg: string) => lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === msg);

  it('one line per answer: request id, method, path without the query’s values, status, time, client address', async () => {
    lines.length = 0;
    const response = await t.request({ method: 'GET', url: '/api/v1/destinations?limit=5&q=needle-in-query' });
    expect(response.statusCode).toBe(200);
    const [line] = find('request completed');
    expect(line).toMatchObject({
      level: 30,
      reqId: expect.any(String),
      req: { method: 'GET', path: '/api/v1/destinations', query_keys: ['limit', 'q'], remoteAddress: '127.0.0.1' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
    expect(logged()).not.toContain('needle-in-query');
  });

  it('an error as an error: its type, message and stack', async () => {
    const broken = await buildTestApp({ logLevel: 'info' }, { logStream: sink });
    try {
      lines.length = 0;
      // A store that stopped answering: the request fails on the server, not because of what the client sent.
      await broken.store.db.exec('DROP TABLE activity_log');
      const response = await broken.request({ method: 'POST', url: '/api/v1/destinations', body: destinationBody() });
      expect(response.statusCode).toBe(500);
      expect(response.json().detail).not.toMatch(/activity_log|SQL/i);
      const [line] = find('request failed');
      const err = line?.err as { type: string; message: string; stack: string };
      expect(err.type).toMatch(/Error$/);
      expect(err.message).toMatch(/activity_log/);
      expect(err.stack).toContain('\n    at ');
    } finally {
      await broken.close();
    }
  });
});

describe('hostile bodies', () => {
  const deepArray = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
  const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;

  it.each([
    ['a 30,000-deep array', deepArray],
    ['a 10,000-deep object', deepObject],
  ])('%s at every route, signed in or not, answers 4xx and the server goes on answering', async (_label, payload) => {
    expect(payload.length).toBeLessThan(64 * 1024);
    for (const route of t.app.routeTable.filter((r) => r.context !== 'browser-app' && r.method !== 'HEAD')) {
      const url = route.url.replace(/:[a-z_]+/g, '6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d');
      for (const cookie of [undefined, null]) {
        const response = await t.request({
          method: route.method as 'POST',
          url,
          payload,
          cookie,
          headers: { 'content-type': 'application/json', 'if-match': '"1"' },
        });
        expect(response.statusCode, `${route.method} ${route.url}`).toBeGreaterThanOrEqual(200);
        expect(response.statusCode, `${route.method} ${route.url}`).toBeLessThan(500);
      }
    }
    expect((await t.request({ method: 'GET', url: '/api/health', cookie: null })).statusCode).toBe(200);
  });
});
