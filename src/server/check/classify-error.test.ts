import { describe, expect, it } from 'vitest';
import { classifyError, MAX_CODE_LENGTH } from './classify-error.ts';

describe('classifyError', () => {
  it.each([
    [{ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }, 'AccessDenied'],
    [{ name: 'Forbidden', $metadata: { httpStatusCode: 403 } }, 'AccessDenied'],
    [{ name: 'NotFound', $metadata: { httpStatusCode: 404 } }, 'NoSuchBucket'],
    [{ name: 'SomethingNew', $metadata: { httpStatusCode: 400 } }, 'SomethingNew'],
    [{ name: 'not a code', $metadata: { httpStatusCode: 400 } }, 'Unknown'],
    [{ name: 'Error', code: 'ECONNREFUSED' }, 'ConnectionRefused'],
    [{ name: 'UnknownError', $metadata: { httpStatusCode: 503 } }, 'InternalError'],
  ])('%j → %s', (error, code) => {
    expect(classifyError(error).code).toBe(code);
  });

  it('caps a code an endpoint made up at 64 characters', () => {
    const { code } = classifyError({ name: `Hostile${'A'.repeat(10_000)}`, $metadata: { httpStatusCode: 400 } });
    expect(code).toHaveLength(MAX_CODE_LENGTH);
    expect(code.startsWith('HostileAAA')).toBe(true);
  });
});

describe('dotted bucket names on Amazon S3', () => {
  it('are addressed path-style (virtual-hosted HTTPS cannot validate them); others are not forced', async () => {
    const { createS3Client } = await import('./s3-clients.ts');
    const base = { anonymous: false, ambient_credentials: false, key: 'AKIAIOSFODNN7EXAMPLE', secret: 'x'.repeat(40), token: null, endpoint_url: null, region: null, token_expires_at: null, role_arn: null, external_id: null };
    const dotted = createS3Client({ ...base, remote_url: 's3://my.dotted.bucket/out/' }, 'us-east-1', { connectionTimeoutMs: 1_000 });
    const plain = createS3Client({ ...base, remote_url: 's3://plain-bucket/out/' }, 'us-east-1', { connectionTimeoutMs: 1_000 });
    expect(dotted.config.forcePathStyle).toBe(true);
    expect(plain.config.forcePathStyle).toBeFalsy();
  });
});
