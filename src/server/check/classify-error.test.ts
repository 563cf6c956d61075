import { describe, expect, it } from 'vitest';
import { describeError } from '#shared/error-catalogue';
import { classifyError, MAX_CODE_LENGTH, retryAfterSeconds } from './classify-error.ts';

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

  it('reads a rate limit, by any of its names or a bare 429, with its Retry-After, and says how long to wait', () => {
    const throttled = (name: string | undefined, status: number, retryAfter?: string) => ({
      ...(name ? { name } : {}),
      $metadata: { httpStatusCode: status },
      $response: { headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter } },
    });
    expect(classifyError(throttled('SlowDown', 503, '7'))).toMatchObject({ code: 'SlowDown', retryAfterS: 7 });
    expect(classifyError(throttled('TooManyRequests', 429, '30'))).toMatchObject({ code: 'SlowDown', retryAfterS: 30 });
    expect(classifyError(throttled(undefined, 429))).toMatchObject({ code: 'SlowDown', retryAfterS: null });
    const context = { bucket: 'b', prefix: '', region: null };
    expect(describeError('SlowDown', { ...context, retryAfterS: 7 }).hint).toMatch(/^It asked to wait 7 s \(Retry-After\): test again after that/);
    expect(describeError('SlowDown', context).hint).toMatch(/^Wait a minute and test again/);
  });

  it('reads Retry-After as seconds or as an HTTP date, and nothing else', () => {
    const now = Date.parse('2026-12-06T10:00:00Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Sun, 06 Dec 2026 10:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Sun, 06 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('soon', now)).toBeNull();
    // A hostile or broken endpoint's years are not repeated: a day at most.
    expect(retryAfterSeconds('999999999', now)).toBe(86_400);
    expect(retryAfterSeconds('Fri, 01 Jan 2100 00:00:00 GMT', now)).toBe(86_400);
    expect(retryAfterSeconds('-5', now)).toBeNull();
    expect(retryAfterSeconds(undefined, now)).toBeNull();
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
    const base = {
      anonymous: false,
      ambient_credentials: false,
      key: 'AKIAIOSFODNN7EXAMPLE',
      secret: 'x'.repeat(40),
      token: null,
      endpoint_url: null,
      region: null,
      token_expires_at: null,
      role_arn: null,
      external_id: null,
    };
    const dotted = createS3Client({ ...base, remote_url: 's3://my.dotted.bucket/out/' }, 'us-east-1', { connectionTimeoutMs: 1_000 });
    const plain = createS3Client({ ...base, remote_url: 's3://plain-bucket/out/' }, 'us-east-1', { connectionTimeoutMs: 1_000 });
    expect(dotted.config.forcePathStyle).toBe(true);
    expect(plain.config.forcePathStyle).toBeFalsy();
  });
});
