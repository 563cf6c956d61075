import { Writable } from 'node:stream';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../../e2e/local-s3/identities.ts';
import { waitForCheck } from '../test-support/checks.ts';
import { buildTestApp, storedBytes, type TestApp } from '../test-support/test-app.ts';

// Unique markers, shaped to pass the field rules: if either shows up where it should not, the test names the sink.
const SECRET = 'LEAKqz7SECRETmarker/'.padEnd(40, 'S');
const SECRET_2 = 'LEAKqz7SECRETmarker+'.padEnd(40, 'T');
const TOKEN = `LEAKqz7TOKENmarker${'Q'.repeat(200)}`;
const TOKEN_2 = `LEAKqz7TOKENmarker${'R'.repeat(200)}`;
const MARKER = 'LEAKqz7';

let s3: LocalS3;
let t: TestApp;
let origin: string;
const log: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    log.push(String(chunk));
    done();
  },
});

beforeAll(async () => {
  s3 = await startLocalS3();
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.AWS_ENDPOINT_URL_STS = s3.endpoint;
  t = await buildTestApp({ logLevel: 'trace', s3EndpointAllowlist: [`127.0.0.1:${s3.port}`] }, { logStream: sink });
  origin = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
  await s3.close();
});

it('keeps the secret and token out of every response, the trace log and the database file', async () => {
  const bodies: string[] = [];
  const record = (response: { headers: unknown; body: string }) => bodies.push(`${JSON.stringify(response.headers)}\n${response.body}`);
  const send = async (options: Parameters<TestApp['request']>[0]) => {
    const response = await t.request(options);
    record(response);
    return response;
  };

  // Create (a temporary key whose secret and token are the markers), read it every way.
  const created = await send({
    method: 'POST',
    url: '/api/v1/destinations',
    body: {
      name: 'leak',
      type: 's3',
      config: { remote_url: 's3://local-bucket/leak/', key: IDENTITIES.temporary.accessKeyId, secret: SECRET, token: TOKEN },
    },
  });
  expect(created.statusCode).toBe(200);
  const id = created.json().id as string;
  await send({ method: 'GET', url: `/api/v1/destinations/${id}` });
  await send({ method: 'GET', url: '/api/v1/destinations' });
  await send({ method: 'GET', url: '/api/v1/destinations?limit=1' });
  // Update with new markers; a refused update that names the secret field.
  expect(
    (
      await send({
        method: 'PUT',
        url: `/api/v1/destinations/${id}`,
        headers: { 'if-match': '"1"' },
        body: { config: { secret: SECRET_2, token: TOKEN_2 } },
      })
    ).statusCode,
  ).toBe(200);
  expect(
    (await send({ method: 'PUT', url: `/api/v1/destinations/${id}`, headers: { 'if-match': '"2"' }, body: { config: { secret: `${SECRET}!` } } }))
      .statusCode,
  ).toBe(422);
  // Failing checks: the marker secret fails the signature (SignatureDoesNotMatch); the right secret with the
  // marker token fails the token (InvalidToken); a merged unsaved check with the markers.
  const saved = await send({ method: 'POST', url: `/api/v1/destinations/${id}/connection-check` });
  const merged = await send({
    method: 'POST',
    url: '/api/v1/connection-checks',
    body: { destination_id: id, config: { secret: IDENTITIES.temporary.secretAccessKey, token: TOKEN } },
  });
  const unsaved = await send({
    method: 'POST',
    url: '/api/v1/connection-checks',
    body: { type: 's3', config: { remote_url: 's3://local-bucket/leak/', key: IDENTITIES.writer.accessKeyId, secret: SECRET, token: TOKEN } },
  });
  // ExpiredToken with marker credentials (the local endpoint knows them, expired).
  const expired = await send({
    method: 'POST',
    url: '/api/v1/connection-checks',
    body: {
      type: 's3',
      config: {
        remote_url: 's3://local-bucket/leak/',
        key: IDENTITIES.expiredMarked.accessKeyId,
        secret: IDENTITIES.expiredMarked.secretAccessKey,
        token: IDENTITIES.expiredMarked.sessionToken,
      },
    },
  });
  const codes = [];
  for (const started of [saved, merged, unsaved, expired]) {
    const check = await waitForCheck(t, started.json().id);
    codes.push(check.steps.find((s) => s.name === 'bucket')?.code);
    bodies.push(JSON.stringify(check));
    // The events stream of a finished check, read over HTTP.
    const stream = await fetch(`${origin}/api/v1/connection-checks/${check.id}/events`, { headers: { cookie: t.cookie } });
    bodies.push(await stream.text());
  }
  expect(codes).toEqual(['SignatureDoesNotMatch', 'InvalidToken', 'SignatureDoesNotMatch', 'ExpiredToken']);
  await send({ method: 'GET', url: `/api/v1/destinations/${id}/connection-checks` });

  expect(bodies.length).toBeGreaterThan(12);
  for (const body of bodies) expect(body).not.toContain(MARKER);

  expect(log.length).toBeGreaterThan(20);
  expect(log.join('')).toContain('"msg":"request completed"');
  expect(log.join('')).not.toContain(MARKER);

  const bytes = await storedBytes(t);
  expect(bytes.includes(id)).toBe(true);
  expect(bytes.includes(MARKER)).toBe(false);
});
