import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { stepOf, waitForCheck } from '../test-support/checks.ts';
import { buildTestApp, type TestApp } from '../test-support/test-app.ts';

// Stand-ins for the instance metadata service and the container credentials endpoint — and, below, for a Custom URL
// that would collect credentials: counting every connection.
let connections = 0;
const metadata = net.createServer((socket) => {
  connections += 1;
  socket.destroy();
});
let s3: LocalS3;
let t: TestApp;
const saved = { ...process.env };

beforeAll(async () => {
  await new Promise<void>((resolve) => metadata.listen(0, '127.0.0.1', resolve));
  const port = (metadata.address() as net.AddressInfo).port;
  s3 = await startLocalS3();
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.AWS_ENDPOINT_URL_STS = s3.endpoint;
  process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = `http://127.0.0.1:${port}`;
  process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `http://127.0.0.1:${port}/credentials`;
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete process.env[name];
  t = await buildTestApp({ checkTimeoutMs: 5_000, allowAmbientCredentials: true, s3EndpointAllowlist: [`127.0.0.1:${port}`] });
});
afterAll(async () => {
  process.env = saved;
  await t.close();
  await s3.close();
  metadata.close();
});

it('an anonymous check loads no credentials at all: no connection to metadata or container endpoints', async () => {
  const started = await t.request({
    method: 'POST',
    url: '/api/v1/connection-checks',
    body: { type: 's3', config: { remote_url: 's3://local-bucket/anonymous/', anonymous: true } },
  });
  expect(started.statusCode, started.body).toBe(202);
  const check = await waitForCheck(t, started.json().id);
  expect(connections).toBe(0);
  // S3 answered the unsigned request itself: the bucket step reports S3's answer, not a credentials failure.
  const bucket = stepOf(check, 'bucket');
  expect(bucket.code).not.toMatch(/Credentials/);
  expect(bucket.status).not.toBe('skipped');
});

it('a connector saved with ambient credentials and a Custom URL before that was refused fails at validate, sending nothing', async () => {
  const port = (metadata.address() as net.AddressInfo).port;
  connections = 0;
  // Written straight to the store, as a connector saved by an earlier version would be.
  const saved = await t.store.destinations.create({
    name: 'ambient to a custom url',
    config: {
      remote_url: 's3://collector-bucket/',
      anonymous: false,
      ambient_credentials: true,
      key: null,
      secret: null,
      token: null,
      endpoint_url: `http://127.0.0.1:${port}`,
      region: null,
      token_expires_at: null,
      role_arn: null,
      external_id: null,
    },
  });
  const started = await t.request({ method: 'POST', url: `/api/v1/destinations/${saved.id}/connection-check` });
  expect(started.statusCode, started.body).toBe(202);
  const check = await waitForCheck(t, started.json().id);
  expect(check.status).toBe('FAILURE');
  expect(stepOf(check, 'validate')).toMatchObject({ status: 'failed', message: expect.stringContaining('never to a Custom URL') });
  expect(check.steps.filter((step) => step.name !== 'validate').every((step) => step.status === 'skipped')).toBe(true);
  expect(connections).toBe(0);
});
