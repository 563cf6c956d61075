import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../../e2e/local-s3/identities.ts';
import type { ConnectionCheck } from '#shared/check-schemas';
import { allPassed, credentialsOf, stepOf, stepSummary, waitForCheck } from '../test-support/checks.ts';
import { contractErrors } from '../test-support/contract.ts';
import { buildTestApp, type TestApp } from '../test-support/test-app.ts';

let s3: LocalS3;
let t: TestApp;
beforeAll(async () => {
  s3 = await startLocalS3();
  // The AWS path: the SDK's own endpoint overrides send S3 and STS traffic to the local endpoint.
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
  process.env.AWS_ENDPOINT_URL_STS = s3.endpoint;
  // The harness allows only its own endpoint's port through the SSRF guard.
  t = await buildTestApp({ checkTimeoutMs: 5_000, checkRatePerMin: 1_000, s3EndpointAllowlist: [`127.0.0.1:${s3.port}`] });
});
afterAll(async () => {
  await t.close();
  await s3.close();
});

let counter = 0;
const credentials = credentialsOf;

async function createDestination(config: Record<string, unknown>) {
  const response = await t.request({
    method: 'POST',
    url: '/api/v1/destinations',
    body: { name: `check-${++counter}`, type: 's3', config: { remote_url: 's3://local-bucket/exports/', ...config } },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { id: string };
}

/** Saves a destination, checks it, and answers the finished check. */
async function checkOf(config: Record<string, unknown>): Promise<ConnectionCheck & { destinationId: string }> {
  const { id } = await createDestination(config);
  const started = await t.request({ method: 'POST', url: `/api/v1/destinations/${id}/connection-check` });
  expect(started.statusCode, started.body).toBe(202);
  expect(started.json()).toMatchObject({ status: 'SCHEDULED', destination_id: id });
  return { ...(await waitForCheck(t, started.json().id)), destinationId: id };
}

describe('connection check against the local S3 endpoint (AWS path)', () => {
  it('passes every step, shows the identity and region, and leaves no probe behind', async () => {
    const check = await checkOf(credentials(IDENTITIES.writer));
    expect(stepSummary(check)).toEqual(allPassed('aws'));
    expect(check).toMatchObject({
      status: 'SUCCESS',
      reason: null,
      identity: { arn: IDENTITIES.writer.arn, account: '123456789012' },
      region: 'us-east-1',
    });
    expect(stepOf(check, 'endpoint').message).toBe('Skipped: AWS endpoint.');
    for (const step of check.steps.filter((s) => s.status === 'passed')) expect(step.duration_ms).toBeGreaterThanOrEqual(0);
    expect(s3.requests.filter((r) => r.operation === 'PutObject').at(-1)?.key).toMatch(/^exports\/\.connection-test\/[0-9a-f-]{36}$/);
    expect(await s3.listKeys('local-bucket', 'exports/')).toEqual([]);
  });

  it('places each step on one timeline: identity, bucket and both writes start together, cleanup after all end', async () => {
    const check = await checkOf(credentials(IDENTITIES.writer));
    const at = (name: Parameters<typeof stepOf>[1]) => {
      const { started_ms, duration_ms } = stepOf(check, name);
      expect(started_ms, name).not.toBeNull();
      return { start: started_ms as number, end: (started_ms as number) + (duration_ms as number) };
    };
    const [identity, bucket, write, multipart, cleanup] = (['identity', 'bucket', 'write', 'multipart', 'cleanup'] as const).map(at);
    // Side by side: each starts before any of the others ends (rounded to the millisecond each, hence the 1).
    const together = [identity!, bucket!, write!, multipart!];
    for (const step of together) expect(step.start).toBeLessThanOrEqual(Math.min(...together.map(({ end }) => end)) + 1);
    expect(cleanup!.start).toBeGreaterThanOrEqual(Math.max(...together.map(({ end }) => end)) - 1);
    // Skipped steps never ran: no place on the timeline.
    expect(stepOf(check, 'endpoint').started_ms).toBeNull();
  });

  it('validates against Unstructured’s DagNodeConnectionCheck', async () => {
    const check = await checkOf(credentials(IDENTITIES.writer));
    expect(contractErrors('DagNodeConnectionCheck', check)).toEqual([]);
  });

  it('fails on a wrong secret, saying the secret does not match', async () => {
    const check = await checkOf({ ...credentials(IDENTITIES.writer), secret: IDENTITIES.readOnly.secretAccessKey });
    expect(check.status).toBe('FAILURE');
    expect(stepOf(check, 'identity')).toMatchObject({ status: 'failed', code: 'SignatureDoesNotMatch' });
    // Told once: the bucket's refusal has the same cause.
    expect(stepOf(check, 'bucket')).toMatchObject({
      status: 'failed',
      code: 'SignatureDoesNotMatch',
      message: 'Same cause as Identity (STS).',
      hint: null,
    });
    expect(check.reason).toBe('The AWS Secret Key does not match the AWS Key: requests signed with it are refused.');
    expect(stepSummary(check).slice(4)).toEqual(['write:skipped', 'multipart:skipped', 'cleanup:skipped']);
  });

  it('fails on an unknown key', async () => {
    const check = await checkOf({ key: 'AKIAUNKNOWNKEY000001', secret: IDENTITIES.writer.secretAccessKey });
    expect(stepOf(check, 'identity')).toMatchObject({ status: 'failed', code: 'InvalidClientTokenId' });
    expect(stepOf(check, 'bucket')).toMatchObject({ status: 'failed', code: 'InvalidAccessKeyId' });
    expect(check.reason).toContain('AWS does not recognise these credentials');
  });

  it('passes with a temporary key and its token, showing the assumed role', async () => {
    const check = await checkOf(credentials(IDENTITIES.temporary));
    expect(check.status).toBe('SUCCESS');
    expect(check.identity?.arn).toBe(IDENTITIES.temporary.arn);
  });

  it('fails on an expired token and marks the credentials expired', async () => {
    const check = await checkOf(credentials(IDENTITIES.expired));
    expect(check.status).toBe('FAILURE');
    expect(stepOf(check, 'identity')).toMatchObject({ code: 'ExpiredToken', message: 'These temporary credentials have expired.' });
    const destination = (await t.request({ method: 'GET', url: `/api/v1/destinations/${check.destinationId}` })).json();
    expect(destination.credentials).toMatchObject({ state: 'expired', expired_by_check: true });
    expect(destination.version).toBe(1);
  });

  it('fails on a missing bucket, with the propagation note', async () => {
    const check = await checkOf({ ...credentials(IDENTITIES.writer), remote_url: 's3://no-such-bucket/' });
    const bucket = stepOf(check, 'bucket');
    expect(bucket).toMatchObject({ status: 'failed', code: 'NoSuchBucket' });
    expect(bucket.message).toContain('"no-such-bucket" does not exist');
    expect(bucket.hint).toContain('minutes to hours');
    expect(stepOf(check, 'write')).toMatchObject({ status: 'skipped', message: 'Skipped: the bucket was not accepted.' });
  });

  it('fails the write for a read-only identity, naming s3:PutObject', async () => {
    const check = await checkOf(credentials(IDENTITIES.readOnly));
    expect(check.status).toBe('FAILURE');
    expect(stepOf(check, 'bucket').status).toBe('passed');
    expect(stepOf(check, 'write')).toMatchObject({ status: 'failed', code: 'AccessDenied', iam_action: 's3:PutObject' });
    expect(stepOf(check, 'write').hint).toContain('minutes to hours');
    // Multipart runs beside the write (each writes its own probe): it needs s3:PutObject too, and says so.
    expect(stepOf(check, 'multipart')).toMatchObject({ status: 'failed', code: 'AccessDenied', iam_action: 's3:PutObject' });
    expect(check.reason).toBe(stepOf(check, 'write').message);
    expect(stepOf(check, 'cleanup')).toMatchObject({ status: 'skipped', message: 'Skipped: nothing was written.' });
  });

  it('warns, naming the keys left behind, when the identity may not delete', async () => {
    const check = await checkOf({ ...credentials(IDENTITIES.noDelete), remote_url: 's3://local-bucket/no-delete/' });
    expect(check.status).toBe('SUCCESS');
    const cleanup = stepOf(check, 'cleanup');
    expect(cleanup).toMatchObject({ status: 'warning', code: 'AccessDenied', iam_action: 's3:DeleteObject' });
    const left = await s3.listKeys('local-bucket', 'no-delete/');
    expect(left).toHaveLength(2);
    for (const key of left) expect(cleanup.message).toContain(key);
  });

  it('warns when listing is denied but writing works (a write-only role), and succeeds', async () => {
    const check = await checkOf(credentials(IDENTITIES.writeOnly));
    expect(check.status).toBe('SUCCESS');
    expect(stepOf(check, 'bucket')).toMatchObject({ status: 'warning', code: 'AccessDenied', iam_action: 's3:ListBucket' });
    expect(stepOf(check, 'write').status).toBe('passed');
  });

  it('names the right region when the configured one is wrong', async () => {
    const check = await checkOf({ ...credentials(IDENTITIES.writer), remote_url: 's3://eu-bucket/', region: 'us-west-2' });
    expect(check.status).toBe('FAILURE');
    expect(stepOf(check, 'bucket')).toMatchObject({
      status: 'failed',
      code: 'WrongRegion',
      message: 'The bucket "eu-bucket" is in eu-west-1, not in us-west-2.',
      hint: 'Set Region to eu-west-1, or leave it empty to have it found automatically.',
    });
    // The writes started beside the bucket step and met the same redirect: told once, by the bucket step.
    expect(stepSummary(check).slice(4)).toEqual(['write:skipped', 'multipart:skipped', 'cleanup:skipped']);
  });

  it('follows the region redirect when no region is set, and reports the region found', async () => {
    const check = await checkOf({ ...credentials(IDENTITIES.writer), remote_url: 's3://eu-bucket/' });
    expect(check.status).toBe('SUCCESS');
    expect(check.region).toBe('eu-west-1');
    expect(stepOf(check, 'bucket').message).toBe('Bucket "eu-bucket" found in eu-west-1.');
  });
});

describe('connection check with a Custom URL', () => {
  it('passes against an S3-compatible endpoint, with path style and no identity step', async () => {
    const check = await checkOf({ ...credentials(IDENTITIES.writer), endpoint_url: s3.endpoint, remote_url: 's3://local-bucket/custom/' });
    expect(stepSummary(check)).toEqual(allPassed('custom', 'validate:warning:endpoint_http'));
    expect(check.status).toBe('SUCCESS');
  });

  it('fails the endpoint step on a closed port', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const app = await buildTestApp({ s3EndpointAllowlist: [`127.0.0.1:${closed}`] });
    try {
      const created = await app.request({
        method: 'POST',
        url: '/api/v1/connection-checks',
        body: {
          type: 's3',
          config: { remote_url: 's3://local-bucket/', endpoint_url: `http://127.0.0.1:${closed}`, ...credentials(IDENTITIES.writer) },
        },
      });
      const check = await waitForCheck(app, created.json().id);
      expect(stepOf(check, 'endpoint')).toMatchObject({ status: 'failed', code: 'ConnectionRefused' });
      expect(check.reason).toBe('The connection was refused: nothing is listening at this address and port.');
      expect(
        stepSummary(check)
          .slice(2)
          .every((s) => s.endsWith(':skipped')),
      ).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('fails with a timeout sentence on a silent endpoint, within the budget plus a margin', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await new Promise((resolve) => silent.once('listening', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const budgeted = await buildTestApp({ checkTimeoutMs: 1_500, s3EndpointAllowlist: [`127.0.0.1:${port}`] });
    try {
      const created = await budgeted.request({
        method: 'POST',
        url: '/api/v1/connection-checks',
        body: {
          type: 's3',
          config: { remote_url: 's3://local-bucket/', endpoint_url: `http://127.0.0.1:${port}`, ...credentials(IDENTITIES.writer) },
        },
      });
      const started = Date.now();
      const check = await waitForCheck(budgeted, created.json().id);
      const elapsed = Date.now() - started;
      expect(check.status).toBe('FAILURE');
      expect(stepOf(check, 'bucket')).toMatchObject({ status: 'failed', code: 'Timeout' });
      expect(check.reason).toBe("No answer within the check's time budget of 1.5 s.");
      expect(elapsed).toBeLessThan(1_500 + 5_000);
    } finally {
      await budgeted.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });
});

describe('the SSRF guard in the check', () => {
  it('refuses a Custom URL on a loopback port that is not allowed, saying how to allow it', async () => {
    const check = await checkOf({ ...credentials(IDENTITIES.writer), endpoint_url: 'http://127.0.0.1:9' });
    expect(stepOf(check, 'endpoint')).toMatchObject({ status: 'failed', code: 'AddressNotAllowed' });
    expect(check.reason).toBe('This server may not connect to 127.0.0.1: it is a loopback, private, link-local or metadata address.');
    expect(stepOf(check, 'endpoint').hint).toContain('S3_ENDPOINT_ALLOWLIST=127.0.0.1:9');
  });
});
