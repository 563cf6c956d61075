import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DialectName } from '../../../e2e/local-s3/dialects.ts';
import { startLocalS3, type LocalS3 } from '../../../e2e/local-s3/gateway.ts';
import { IDENTITIES } from '../../../e2e/local-s3/identities.ts';
import type { ConnectionCheck } from '#shared/check-schemas';
import { credentialsOf, stepOf, stepSummary, waitForCheck } from '../test-support/checks.ts';
import { buildTestApp, type TestApp } from '../test-support/test-app.ts';

// The check against the local endpoint answering as each S3-compatible service does (e2e/local-s3/dialects.ts): every
// sentence tested against the answer that causes it, in the service's own terms.
let s3: LocalS3;
let t: TestApp;
beforeAll(async () => {
  s3 = await startLocalS3();
  t = await buildTestApp({ checkTimeoutMs: 5_000, checkRatePerMin: 1_000, s3EndpointAllowlist: [`127.0.0.1:${s3.port}`] });
});
afterAll(async () => {
  await t.close();
  await s3.close();
});

let counter = 0;
/** Which service the endpoint plays, and which one the connectors name, for the tests of a describe block. */
function playing(dialect: DialectName, provider: string) {
  beforeEach(() => {
    s3.dialect = dialect;
    current = provider;
  });
}
let current = 'ceph';
/** Saves a connector of the current provider with these credentials, checks it, and answers the finished check. */
async function checkOf(config: Record<string, unknown>): Promise<ConnectionCheck> {
  const made = await t.request({
    method: 'POST',
    url: '/api/v1/destinations',
    body: {
      name: `rgw-${++counter}`,
      type: 's3',
      config: { remote_url: `s3://local-bucket/rgw-${counter}/`, endpoint_url: s3.endpoint, provider: current, ...config },
    },
  });
  expect(made.statusCode, made.body).toBe(200);
  const started = await t.request({ method: 'POST', url: `/api/v1/destinations/${made.json().id}/connection-check` });
  expect(started.statusCode, started.body).toBe(202);
  return waitForCheck(t, started.json().id);
}

describe('the check against a Ceph RADOS Gateway (STS engine on)', () => {
  playing('rgw', 'ceph');

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

  it('a gateway as it comes (location "default", an empty ETag on completing an upload): the check passes, and claims no region', async () => {
    const check = await checkOf(credentialsOf(IDENTITIES.writer));
    expect(check.status, JSON.stringify(check.steps)).toBe('SUCCESS');
    expect(stepOf(check, 'bucket').message).toBe('Bucket "local-bucket" found.');
    expect(stepOf(check, 'multipart').status).toBe('passed');
    expect(stepOf(check, 'endpoint').status).toBe('passed');
    expect(await s3.listKeys('local-bucket', `rgw-${counter}/`)).toEqual([]);
  });

  it('a test of unsaved changes to a saved Ceph connector speaks of Ceph too', async () => {
    const made = await t.request({
      method: 'POST',
      url: '/api/v1/destinations',
      body: {
        name: `rgw-${++counter}`,
        type: 's3',
        config: { remote_url: `s3://local-bucket/rgw-${counter}/`, endpoint_url: s3.endpoint, provider: 'ceph', ...credentialsOf(IDENTITIES.writer) },
      },
    });
    const started = await t.request({
      method: 'POST',
      url: '/api/v1/connection-checks',
      body: { destination_id: made.json().id, config: { key: IDENTITIES.writer.accessKeyId, secret: IDENTITIES.readOnly.secretAccessKey } },
    });
    expect(started.statusCode, started.body).toBe(202);
    const check = await waitForCheck(t, started.json().id);
    expect(stepOf(check, 'write').hint).toMatch(/radosgw-admin user info/);
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
    expect(write.hint).toMatch(
      /^On Ceph the bucket's owner grants access: a bucket policy allowing s3:PutObject on arn:aws:s3:::local-bucket\/rgw-\d+\/\*/,
    );
    expect(write.hint).not.toMatch(/IAM|minutes to hours/);
  });

  it('a suspended user: who must act, and that testing again will not help', async () => {
    s3.suspended.add(IDENTITIES.noDelete.accessKeyId);
    try {
      const check = await checkOf(credentialsOf(IDENTITIES.noDelete));
      expect(stepOf(check, 'bucket')).toMatchObject({
        status: 'failed',
        code: 'UserSuspended',
        message: 'The endpoint says the user these keys belong to is suspended.',
      });
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

describe('the check against MinIO', () => {
  playing('minio', 'minio');

  it('an unknown key: MinIO’s own answer, where MinIO keeps keys, told once', async () => {
    const check = await checkOf({ key: 'AKIAUNKNOWNKEY000001', secret: IDENTITIES.writer.secretAccessKey });
    expect(stepOf(check, 'bucket')).toMatchObject({
      status: 'failed',
      code: 'InvalidAccessKeyId',
      message: 'The endpoint does not know this AWS Key: it was deleted, deactivated or mistyped.',
    });
    expect(stepOf(check, 'bucket').hint).toContain('from the MinIO Console (Access Keys) or mc admin user svcacct');
    expect(stepOf(check, 'write').status).toBe('skipped');
    // MinIO said who it is, and the connector says MinIO: nothing to warn of.
    expect(stepOf(check, 'endpoint').status).toBe('passed');
    expect(stepOf(check, 'identity').message).toBe(
      'Skipped: MinIO shows no STS identity for these keys; the steps below show whether it accepts them.',
    );
  });

  it('a wrong secret is a wrong secret', async () => {
    const check = await checkOf({ ...credentialsOf(IDENTITIES.writer), secret: IDENTITIES.readOnly.secretAccessKey });
    expect(stepOf(check, 'bucket')).toMatchObject({ status: 'failed', code: 'SignatureDoesNotMatch' });
  });

  it('a disabled user or access key: re-enabled by a MinIO administrator, not an unknown key', async () => {
    s3.suspended.add(IDENTITIES.noDelete.accessKeyId);
    try {
      const check = await checkOf(credentialsOf(IDENTITIES.noDelete));
      expect(stepOf(check, 'bucket')).toMatchObject({
        status: 'failed',
        code: 'AccessKeyDisabled',
        message: 'The endpoint says the user or access key these credentials belong to is disabled.',
      });
      expect(stepOf(check, 'bucket').hint).toMatch(/mc admin user enable\); testing again will not help/);
    } finally {
      s3.suspended.delete(IDENTITIES.noDelete.accessKeyId);
    }
  });

  it('a key that may list but not write: MinIO’s policy words, no IAM, no delay', async () => {
    const check = await checkOf(credentialsOf(IDENTITIES.readOnly));
    const write = stepOf(check, 'write');
    expect(write).toMatchObject({
      status: 'failed',
      code: 'AccessDenied',
      message: 'Access denied: these credentials may not use s3:PutObject on bucket "local-bucket".',
    });
    expect(write.hint).toMatch(/^Attach a policy allowing s3:PutObject .*mc admin policy attach/);
    expect(write.hint).not.toMatch(/IAM|minutes to hours/);
  });

  it('a full bucket quota and full disks: what to free, who raises it, and nothing left behind', async () => {
    s3.quotaFull.add('local-bucket');
    try {
      const check = await checkOf(credentialsOf(IDENTITIES.writer));
      expect(stepOf(check, 'write')).toMatchObject({
        status: 'failed',
        code: 'XMinioAdminBucketQuotaExceeded',
        message: 'The quota of the bucket "local-bucket" is full: the endpoint refuses writes.',
      });
      expect(stepOf(check, 'write').hint).toMatch(/mc quota set/);
      expect(stepOf(check, 'multipart').message).toBe('Same cause as Write a test object.');
    } finally {
      s3.quotaFull.delete('local-bucket');
    }
    s3.storageFull = true;
    try {
      const check = await checkOf(credentialsOf(IDENTITIES.writer));
      expect(stepOf(check, 'write')).toMatchObject({ status: 'failed', code: 'XMinioStorageFull' });
      expect(stepOf(check, 'write').hint).toMatch(/free space or add capacity/);
      expect(await s3.listKeys('local-bucket', `rgw-${counter}/`)).toEqual([]);
    } finally {
      s3.storageFull = false;
    }
  });

  it('a connector that names another service: the endpoint step says what the endpoint says it is', async () => {
    current = 'ceph';
    const check = await checkOf(credentialsOf(IDENTITIES.writer));
    expect(check.status).toBe('SUCCESS');
    expect(stepOf(check, 'endpoint')).toMatchObject({ status: 'warning', code: 'ProviderMismatch' });
    expect(stepOf(check, 'endpoint').message).toMatch(
      /The endpoint says it is MinIO \(Server: MinIO\), but this connector names Ceph \(RADOS Gateway\)/,
    );
    expect(stepOf(check, 'endpoint').hint).toMatch(/^If it is MinIO, choose MinIO as the Provider/);
    current = 'other';
    const unnamed = await checkOf(credentialsOf(IDENTITIES.writer));
    expect(stepOf(unnamed, 'endpoint').message).toMatch(/says it is MinIO \(Server: MinIO\); this connector names no service/);
  });
});

describe('the check against Cloudflare R2', () => {
  playing('r2', 'r2');

  it('an R2 token passes, and the multipart step says what R2 asks of parts', async () => {
    const check = await checkOf(credentialsOf(IDENTITIES.r2Token));
    expect(check.status, JSON.stringify(check.steps)).toBe('SUCCESS');
    expect(stepOf(check, 'multipart').message).toMatch(/R2 needs every part of an upload but the last to be of one size, at least 5 MiB/);
  });

  it('an AWS key, or the secret in the key field: R2’s key length, and which value was pasted', async () => {
    const aws = await checkOf(credentialsOf(IDENTITIES.writer));
    expect(stepOf(aws, 'bucket')).toMatchObject({
      status: 'failed',
      code: 'AccessKeyLength',
      message: 'The endpoint expects an AWS Key of 32 characters; this one has 20.',
    });
    expect(stepOf(aws, 'bucket').hint).toMatch(/from R2 → Manage API tokens .*A 20-character key is an Amazon S3 \(IAM\) access key/);
    const swapped = await checkOf({ key: IDENTITIES.r2Token.secretAccessKey, secret: IDENTITIES.r2Token.secretAccessKey });
    expect(stepOf(swapped, 'bucket').hint).toMatch(/A 64-character value is a Secret Access Key/);
  });

  it('an unknown token: R2’s Unauthorized, sent to R2’s tokens', async () => {
    const check = await checkOf({ key: 'ffffffffffffffffffffffffffffffff', secret: IDENTITIES.r2Token.secretAccessKey });
    expect(stepOf(check, 'bucket')).toMatchObject({ status: 'failed', code: 'Unauthorized' });
    expect(stepOf(check, 'bucket').hint).toMatch(/^Copy the access key and secret key again from R2 → Manage API tokens/);
  });

  it('rate limited (429 TooManyRequests): how long R2 asked to wait', async () => {
    s3.throttleSeconds = 7;
    try {
      const check = await checkOf(credentialsOf(IDENTITIES.r2Token));
      expect(stepOf(check, 'bucket')).toMatchObject({ status: 'failed', code: 'SlowDown' });
      expect(stepOf(check, 'bucket').hint).toMatch(/It asked to wait 7 s \(Retry-After\)/);
    } finally {
      s3.throttleSeconds = null;
    }
  });
});

describe('the check against Backblaze B2', () => {
  playing('b2', 'b2');

  it('rate limited (503 SlowDown): how long B2 asked to wait; a key allowed to write passes', async () => {
    s3.throttleSeconds = 30;
    try {
      const check = await checkOf(credentialsOf(IDENTITIES.writer));
      expect(stepOf(check, 'bucket')).toMatchObject({ status: 'failed', code: 'SlowDown' });
      expect(stepOf(check, 'bucket').hint).toMatch(/It asked to wait 30 s/);
    } finally {
      s3.throttleSeconds = null;
    }
    expect((await checkOf(credentialsOf(IDENTITIES.writer))).status).toBe('SUCCESS');
  });
});
