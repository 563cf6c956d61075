import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../../e2e/local-s3/identities.ts';
import type { ConnectionCheck } from '../../shared/check-schemas.ts';
import { credentialsOf, stepOf, stepSummary, waitForCheck } from '../test-support/checks.ts';
import { buildTestApp, type TestApp } from '../test-support/test-app.ts';

// The check against the local endpoint answering as Ceph's RADOS Gateway with its STS engine on (its `rgw` dialect):
// AccessDenied with an empty message for a wrong secret, an unknown key and a missing permission alike.
let s3: LocalS3;
let t: TestApp;
beforeAll(async () => {
  s3 = await startLocalS3({ dialect: 'rgw' });
  t = await buildTestApp({ checkTimeoutMs: 5_000, checkRatePerMin: 1_000, s3EndpointAllowlist: [`127.0.0.1:${s3.port}`] });
});
afterAll(async () => {
  await t.close();
  await s3.close();
});

let counter = 0;
/** Saves a Ceph connector with these credentials, checks it, and answers the finished check. */
async function checkOf(config: Record<string, unknown>): Promise<ConnectionCheck> {
  const made = await t.request({
    method: 'POST',
    url: '/api/v1/destinations',
    body: { name: `rgw-${++counter}`, type: 's3', config: { remote_url: `s3://local-bucket/rgw-${counter}/`, endpoint_url: s3.endpoint, provider: 'ceph', ...config } },
  });
  expect(made.statusCode, made.body).toBe(200);
  const started = await t.request({ method: 'POST', url: `/api/v1/destinations/${made.json().id}/connection-check` });
  expect(started.statusCode, started.body).toBe(202);
  return waitForCheck(t, started.json().id);
}

describe('the check against a Ceph RADOS Gateway', () => {
  it('never calls a wrong secret a missing permission: both causes, in order, in Ceph’s terms, told once', async () => {
    const check = await checkOf({ ...credentialsOf(IDENTITIES.writer), secret: IDENTITIES.readOnly.secretAccessKey });
    expect(check.status).toBe('FAILURE');
    const write = stepOf(check, 'write');
    expect(write).toMatchObject({ status: 'failed', code: 'AccessDenied', iam_action: 's3:PutObject' });
    expect(write.message).toMatch(/no request of this check was accepted: the access key or secret key may be wrong or disabled/);
    expect(write.hint).toMatch(/^First copy the access key and secret key again from the gateway user \(radosgw-admin user info/);
    expect(write.hint).toMatch(/On Ceph the bucket's owner grants access/);
    expect(write.hint).not.toMatch(/IAM|minutes to hours|write-only role/);
    expect(stepOf(check, 'bucket')).toMatchObject({ status: 'warning', message: 'Same cause as Write a test object.', hint: null });
    expect(stepOf(check, 'multipart')).toMatchObject({ status: 'failed', message: 'Same cause as Write a test object.', hint: null });
    expect(check.reason).toBe(write.message);
  });

  it('an unknown key: the same two causes (the gateway answers it as it answers a wrong secret)', async () => {
    const check = await checkOf({ key: 'AKIAUNKNOWNKEY000001', secret: IDENTITIES.writer.secretAccessKey });
    expect(stepOf(check, 'write').message).toMatch(/may be wrong or disabled/);
  });

  it('speaks of the bucket owner’s grant alone once a request was accepted (the key may list, not write)', async () => {
    const check = await checkOf(credentialsOf(IDENTITIES.readOnly));
    expect(stepOf(check, 'bucket').status).toBe('passed');
    const write = stepOf(check, 'write');
    expect(write.message).toBe('Access denied: these credentials may not use s3:PutObject on bucket "local-bucket".');
    expect(write.hint).toMatch(/^On Ceph the bucket's owner grants access: a bucket policy allowing s3:PutObject on arn:aws:s3:::local-bucket\/rgw-\d+\/\*/);
    expect(write.hint).not.toMatch(/IAM|minutes to hours/);
  });

  it('a suspended user: who must act, and that testing again will not help', async () => {
    s3.suspended.add(IDENTITIES.noDelete.accessKeyId);
    try {
      const check = await checkOf(credentialsOf(IDENTITIES.noDelete));
      expect(stepOf(check, 'bucket')).toMatchObject({ status: 'failed', code: 'UserSuspended', message: 'The endpoint says the user these keys belong to is suspended.' });
      expect(stepOf(check, 'bucket').hint).toMatch(/radosgw-admin user enable.*testing again will not help/);
    } finally {
      s3.suspended.delete(IDENTITIES.noDelete.accessKeyId);
    }
  });

  it('a full quota: the write says so and what frees it, and nothing is left behind', async () => {
    s3.quotaFull.add('local-bucket');
    try {
      const check = await checkOf(credentialsOf(IDENTITIES.writer));
      expect(stepOf(check, 'bucket').status).toBe('passed');
      expect(stepOf(check, 'write')).toMatchObject({ status: 'failed', code: 'QuotaExceeded' });
      expect(stepOf(check, 'write').hint).toMatch(/quota raised: .*radosgw-admin quota set.*testing again will not help/);
      expect(stepOf(check, 'multipart')).toMatchObject({ status: 'failed', message: 'Same cause as Write a test object.' });
      expect(stepSummary(check).at(-1)).toBe('cleanup:skipped');
      expect(await s3.listKeys('local-bucket', `rgw-${counter}/`)).toEqual([]);
    } finally {
      s3.quotaFull.delete('local-bucket');
    }
  });
});
