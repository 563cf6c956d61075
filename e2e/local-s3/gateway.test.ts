import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalS3, type LocalS3 } from './gateway.ts';
import { updateAssumeRolePolicy } from './iam.ts';
import { CUSTOMER_ACCOUNT, IDENTITIES, type Identity } from './identities.ts';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(() => s3.close());

const credentialsOf = (identity: Identity, overrides: Partial<{ secretAccessKey: string; sessionToken: string }> = {}) => ({
  accessKeyId: identity.accessKeyId,
  secretAccessKey: identity.secretAccessKey,
  ...(identity.sessionToken ? { sessionToken: identity.sessionToken } : {}),
  ...overrides,
});
const client = (credentials: ReturnType<typeof credentialsOf>, region = 'us-east-1') =>
  new S3Client({ endpoint: s3.endpoint, region, credentials, forcePathStyle: true, maxAttempts: 1 });
const put = (c: S3Client, key: string, bucket = 'local-bucket') =>
  c.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.from('probe') }));
const errorOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number }; $response?: { headers: Record<string, string> } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, headers: e.$response?.headers ?? {} };
  }
  throw new Error('expected the request to fail');
};

describe('local S3 endpoint: signatures and credentials', () => {
  it('accepts a correctly signed request with the right key and stores the object', async () => {
    await put(client(credentialsOf(IDENTITIES.writer)), 'gateway/right-key.txt');
    expect(await s3.listKeys('local-bucket', 'gateway/')).toContain('gateway/right-key.txt');
  });

  it('answers SignatureDoesNotMatch (403) for a wrong secret', async () => {
    const c = client(credentialsOf(IDENTITIES.writer, { secretAccessKey: IDENTITIES.readOnly.secretAccessKey }));
    expect(await errorOf(put(c, 'gateway/x'))).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
  });

  it('answers InvalidAccessKeyId (403) for an unknown key', async () => {
    const c = client({ accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: IDENTITIES.writer.secretAccessKey });
    expect(await errorOf(put(c, 'gateway/x'))).toMatchObject({ name: 'InvalidAccessKeyId', status: 403 });
  });

  it('accepts temporary credentials with their token', async () => {
    await put(client(credentialsOf(IDENTITIES.temporary)), 'gateway/temporary.txt');
    expect(await s3.listKeys('local-bucket', 'gateway/temporary')).toEqual(['gateway/temporary.txt']);
  });

  it('answers InvalidToken (400) for a wrong token, and InvalidAccessKeyId (403) for a temporary key sent without one', async () => {
    const wrong = client(credentialsOf(IDENTITIES.temporary, { sessionToken: 'not-the-token' }));
    expect(await errorOf(put(wrong, 'gateway/x'))).toMatchObject({ name: 'InvalidToken', status: 400 });
    const { sessionToken: _omitted, ...missing } = credentialsOf(IDENTITIES.temporary);
    expect(await errorOf(put(client(missing), 'gateway/x'))).toMatchObject({ name: 'InvalidAccessKeyId', status: 403 });
  });

  it('answers ExpiredToken (400) for expired credentials', async () => {
    expect(await errorOf(put(client(credentialsOf(IDENTITIES.expired)), 'gateway/x'))).toMatchObject({ name: 'ExpiredToken', status: 400 });
  });

  it('answers XAmzContentSHA256Mismatch when the body is not the one signed', async () => {
    const c = client(credentialsOf(IDENTITIES.writer));
    c.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { body?: unknown };
        request.body = Buffer.from('PROBE'); // same length, other bytes
        return next(args);
      },
      { step: 'finalizeRequest', priority: 'low' },
    );
    expect(await errorOf(put(c, 'gateway/tampered'))).toMatchObject({ name: 'XAmzContentSHA256Mismatch', status: 400 });
  });
});

describe('local S3 endpoint: permissions, buckets and regions', () => {
  it('refuses a write for a read-only identity with AccessDenied naming s3:PutObject', async () => {
    const error = put(client(credentialsOf(IDENTITIES.readOnly)), 'gateway/read-only');
    await expect(error).rejects.toThrow(/not authorized to perform: s3:PutObject/);
  });

  it('lets a read-only identity list, truncating at MaxKeys as S3 does', async () => {
    expect((await s3.listKeys('local-bucket')).length).toBeGreaterThan(1);
    const result = await client(credentialsOf(IDENTITIES.readOnly)).send(new ListObjectsV2Command({ Bucket: 'local-bucket', MaxKeys: 1 }));
    expect(result).toMatchObject({ KeyCount: 1, IsTruncated: true });
    expect(result.Contents).toHaveLength(1);
  });

  it('refuses a delete for the no-delete identity, after letting it write', async () => {
    const c = client(credentialsOf(IDENTITIES.noDelete));
    await put(c, 'gateway/no-delete.txt');
    expect(await errorOf(c.send(new DeleteObjectCommand({ Bucket: 'local-bucket', Key: 'gateway/no-delete.txt' })))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
  });

  it('refuses a list for the write-only identity', async () => {
    const c = client(credentialsOf(IDENTITIES.writeOnly));
    expect(await errorOf(c.send(new ListObjectsV2Command({ Bucket: 'local-bucket' })))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  it('answers NoSuchBucket (404) for a bucket that does not exist', async () => {
    expect(await errorOf(put(client(credentialsOf(IDENTITIES.writer)), 'x', 'missing-bucket'))).toMatchObject({ name: 'NoSuchBucket', status: 404 });
  });

  it('answers PermanentRedirect (301) with x-amz-bucket-region for a bucket in another region', async () => {
    const error = await errorOf(client(credentialsOf(IDENTITIES.writer)).send(new ListObjectsV2Command({ Bucket: 'eu-bucket' })));
    expect(error).toMatchObject({ name: 'PermanentRedirect', status: 301 });
    expect(error.headers['x-amz-bucket-region']).toBe('eu-west-1');
  });

  it('serves a bucket in another region when signed for it', async () => {
    await put(client(credentialsOf(IDENTITIES.writer), 'eu-west-1'), 'gateway/eu.txt', 'eu-bucket');
    expect(await s3.listKeys('eu-bucket', 'gateway/')).toEqual(['gateway/eu.txt']);
  });

  it('runs a multipart upload through to a stored object', async () => {
    const c = client(credentialsOf(IDENTITIES.writer));
    const Key = 'gateway/multipart.bin';
    const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: 'local-bucket', Key }));
    const { ETag } = await c.send(new UploadPartCommand({ Bucket: 'local-bucket', Key, UploadId, PartNumber: 1, Body: Buffer.from('part') }));
    await c.send(
      new CompleteMultipartUploadCommand({ Bucket: 'local-bucket', Key, UploadId, MultipartUpload: { Parts: [{ ETag, PartNumber: 1 }] } }),
    );
    expect(await s3.listKeys('local-bucket', Key)).toEqual([Key]);
  });

  it('runs deletes and writes into one folder at once, as S3 does: none fails, and only the deleted keys are gone', async () => {
    const c = client(credentialsOf(IDENTITIES.writer));
    const keys = Array.from({ length: 24 }, (_, n) => `gateway/together/${n}.txt`);
    await Promise.all(keys.slice(0, 12).map((key) => put(c, key)));
    // Each delete empties the folder of what it held a moment ago while the other half is being written into it.
    await Promise.all([
      ...keys.slice(0, 12).map((Key) => c.send(new DeleteObjectCommand({ Bucket: 'local-bucket', Key }))),
      ...keys.slice(12).map((key) => put(c, key)),
    ]);
    expect((await s3.listKeys('local-bucket', 'gateway/together/')).sort()).toEqual(keys.slice(12).sort());
  });
});

describe('local STS: GetCallerIdentity', () => {
  const sts = (credentials: ReturnType<typeof credentialsOf>) =>
    new STSClient({ endpoint: s3.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });

  it('answers the ARN and account of the caller', async () => {
    const result = await sts(credentialsOf(IDENTITIES.temporary)).send(new GetCallerIdentityCommand({}));
    expect(result).toMatchObject({ Arn: IDENTITIES.temporary.arn, Account: '123456789012' });
  });

  it('answers InvalidClientTokenId for an unknown key, ExpiredToken for expired credentials', async () => {
    const unknown = sts({ accessKeyId: 'AKIAUNKNOWNKEY000001', secretAccessKey: 'x'.repeat(40) });
    expect(await errorOf(unknown.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    expect(await errorOf(sts(credentialsOf(IDENTITIES.expired)).send(new GetCallerIdentityCommand({})))).toMatchObject({
      name: 'ExpiredToken',
      status: 403,
    });
  });

  it('answers SignatureDoesNotMatch for a wrong secret', async () => {
    const wrong = sts(credentialsOf(IDENTITIES.writer, { secretAccessKey: 'y'.repeat(40) }));
    expect(await errorOf(wrong.send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 });
  });
});

describe('local STS: AssumeRole, and IAM: UpdateAssumeRolePolicy', () => {
  const sts = (credentials: ReturnType<typeof credentialsOf>) =>
    new STSClient({ endpoint: s3.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
  const role = `arn:aws:iam::${CUSTOMER_ACCOUNT}:role/customer-s3-writer`;
  const trust = (principal: string, externalId: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalId } } },
      ],
    });
  const assume = (caller: Identity, ExternalId?: string) =>
    sts(credentialsOf(caller)).send(new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'gateway-test', ...(ExternalId ? { ExternalId } : {}) }));
  const messageOf = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return {
        name: (error as Error).name,
        message: (error as Error).message,
        status: (error as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode,
      };
    }
    throw new Error('expected the request to fail');
  };

  it('refuses a role that trusts nobody with the AccessDenied STS words', async () => {
    s3.setTrustPolicy(role, null);
    expect(await messageOf(assume(IDENTITIES.roleBase, 'abc'))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${IDENTITIES.roleBase.arn} is not authorized to perform: sts:AssumeRole on resource: ${role}`,
    });
  });

  it('puts a trust policy through IAM, then hands out credentials only with its external ID, to a caller allowed sts:AssumeRole', async () => {
    const updated = await updateAssumeRolePolicy(
      s3.endpoint,
      IDENTITIES.customerAdmin,
      'customer-s3-writer',
      trust(IDENTITIES.roleBase.arn, 'the-id'),
    );
    expect(updated.status, updated.body).toBe(200);
    expect(updated.body).toContain('<UpdateAssumeRolePolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">');
    try {
      expect((await messageOf(assume(IDENTITIES.roleBase))).name).toBe('AccessDenied');
      expect((await messageOf(assume(IDENTITIES.roleBase, 'another-id'))).name).toBe('AccessDenied');
      expect((await messageOf(assume(IDENTITIES.writer, 'the-id'))).name).toBe('AccessDenied');
      const answer = await assume(IDENTITIES.roleBase, 'the-id');
      expect(answer.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${CUSTOMER_ACCOUNT}:assumed-role/customer-s3-writer/gateway-test`);
      expect(answer.Credentials?.Expiration?.getTime()).toBeGreaterThan(Date.now() + 3_500_000);
      // The credentials work, as that role, for S3 and STS alike.
      const creds = {
        accessKeyId: answer.Credentials?.AccessKeyId ?? '',
        secretAccessKey: answer.Credentials?.SecretAccessKey ?? '',
        sessionToken: answer.Credentials?.SessionToken ?? '',
      };
      expect((await sts(creds).send(new GetCallerIdentityCommand({}))).Account).toBe(CUSTOMER_ACCOUNT);
      await put(client(creds), 'assumed/probe');
    } finally {
      s3.setTrustPolicy(role, null);
    }
  });

  it('answers IAM errors in IAM words: a role that does not exist, and a caller not allowed to change it', async () => {
    const missing = await updateAssumeRolePolicy(s3.endpoint, IDENTITIES.customerAdmin, 'no-such-role', trust('x', 'y'));
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('<Code>NoSuchEntity</Code>');
    expect(missing.body).toContain('The role with name no-such-role cannot be found.');
    const denied = await updateAssumeRolePolicy(s3.endpoint, IDENTITIES.writer, 'customer-s3-writer', trust('x', 'y'));
    expect(denied.status).toBe(403);
    expect(denied.body).toContain('is not authorized to perform: iam:UpdateAssumeRolePolicy');
  });

  it('refuses a session shorter than STS allows, as STS validates it', async () => {
    const short = sts(credentialsOf(IDENTITIES.roleBase)).send(
      new AssumeRoleCommand({ RoleArn: role, RoleSessionName: 'gateway-test', DurationSeconds: 60 }),
    );
    expect(await messageOf(short)).toMatchObject({ name: 'ValidationError', status: 400 });
  });
});

describe('answering as Ceph’s RADOS Gateway (the rgw dialect)', () => {
  it('names its location "default", completes an upload with an empty ETag, and sends its Server header', async () => {
    s3.dialect = 'rgw';
    try {
      const c = client(credentialsOf(IDENTITIES.writer));
      expect((await c.send(new GetBucketLocationCommand({ Bucket: 'local-bucket' }))).LocationConstraint).toBe('default');
      const { UploadId } = await c.send(new CreateMultipartUploadCommand({ Bucket: 'local-bucket', Key: 'rgw/etag' }));
      const part = await c.send(
        new UploadPartCommand({ Bucket: 'local-bucket', Key: 'rgw/etag', UploadId, PartNumber: 1, Body: Buffer.from('part') }),
      );
      const done = await c.send(
        new CompleteMultipartUploadCommand({
          Bucket: 'local-bucket',
          Key: 'rgw/etag',
          UploadId,
          MultipartUpload: { Parts: [{ ETag: part.ETag, PartNumber: 1 }] },
        }),
      );
      expect(done.ETag ?? '').toBe('');
      await c.send(new DeleteObjectCommand({ Bucket: 'local-bucket', Key: 'rgw/etag' }));
      expect((await errorOf(c.send(new ListObjectsV2Command({ Bucket: 'no-such-bucket' })))).headers.server).toBe('Ceph Object Gateway (squid)');
    } finally {
      s3.dialect = 'aws';
    }
  });
});
