import { describe, expect, it } from 'vitest';
import { changedFields, planUpdate } from './destination-changes.ts';

const NOW = new Date('2026-12-06T12:00:00.000Z');
const stored = {
  remote_url: 's3://bucket/x/',
  anonymous: false,
  ambient_credentials: false,
  key: 'ASIAIOSFODNN7EXAMPLE',
  secret: 'secret',
  token: 'token-1',
  endpoint_url: null,
  region: null,
  role_arn: null,
  token_expires_at: '2026-12-06T18:00:00.000Z',
  provider: 'aws' as const,
};
const record = { expired_by_check: true, config: { token_saved_at: '2026-12-06T06:00:00.000Z' } };

describe('planning a save over the stored connector', () => {
  it('keeps everything as it was for the same config: no stale results, the verdict and the token’s lifetime stand', () => {
    expect(planUpdate({ record, stored, config: stored, provider: undefined, now: NOW })).toEqual({
      provider: 'aws',
      expiredByCheck: true,
      configChanged: false,
      tokenSavedAt: '2026-12-06T06:00:00.000Z',
    });
  });

  it('a new token: results stale, the expired verdict gone, a lifetime starting now', () => {
    expect(planUpdate({ record, stored, config: { ...stored, token: 'token-2' }, provider: undefined, now: NOW })).toEqual({
      provider: 'aws',
      expiredByCheck: false,
      configChanged: true,
      tokenSavedAt: NOW.toISOString(),
    });
  });

  it('only the expiry edited: nothing tested changed and the lifetime keeps its start', () => {
    const plan = planUpdate({ record, stored, config: { ...stored, token_expires_at: '2026-12-07T00:00:00.000Z' }, provider: undefined, now: NOW });
    expect(plan).toMatchObject({ configChanged: false, expiredByCheck: true, tokenSavedAt: '2026-12-06T06:00:00.000Z' });
  });

  it.each([
    ['remote_url', 's3://other/'],
    ['region', 'eu-west-1'],
    ['endpoint_url', 'https://minio.example:9000'],
    ['anonymous', true],
  ] as const)('%s changed: earlier results are stale', (field, value) => {
    expect(planUpdate({ record, stored, config: { ...stored, [field]: value }, provider: undefined, now: NOW }).configChanged).toBe(true);
  });

  it('no token any more: no lifetime; a Custom URL keeps the provider chosen, Amazon S3 has no other', () => {
    expect(planUpdate({ record, stored, config: { ...stored, token: null }, provider: undefined, now: NOW }).tokenSavedAt).toBeNull();
    const minio = { ...stored, endpoint_url: 'https://minio.example:9000' };
    expect(planUpdate({ record, stored: { ...minio, provider: 'minio' }, config: minio, provider: undefined, now: NOW }).provider).toBe('minio');
    expect(planUpdate({ record, stored, config: stored, provider: 'minio', now: NOW }).provider).toBe('aws');
  });
});

describe('the fields a save changed', () => {
  const before = { name: 'Exports', check_schedule: 'daily', config: stored };
  it('names each changed field, never a value, and nothing for the same values sent back', () => {
    expect(changedFields({ before, after: before })).toEqual([]);
    expect(
      changedFields({
        before,
        after: { name: 'Exports 2', check_schedule: 'hourly', config: { ...stored, secret: 'new', region: 'eu-west-1', provider: 'aws' } },
      }),
    ).toEqual(['name', 'config.secret', 'config.region', 'check_schedule']);
  });
});
