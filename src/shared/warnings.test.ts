import { describe, expect, it } from 'vitest';
import { credentialsMethod, credentialsState } from './credentials.ts';
import { normalizeS3Config, type S3ConfigDraft } from './s3-config.ts';
import { collectWarnings } from './warnings.ts';

const now = new Date('2026-11-24T12:00:00Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
const KEY = 'AKIAIOSFODNN7EXAMPLE';
const codes = (draft: S3ConfigDraft) => collectWarnings(normalizeS3Config(draft), now).map((w) => [w.field, w.code]);

describe('collectWarnings', () => {
  it.each<[string, S3ConfigDraft, [string, string][]]>([
    ['nothing to say', { remote_url: 's3://my-bucket/', key: KEY, secret: 's' }, []],
    ['anonymous', { remote_url: 's3://my-bucket/', anonymous: true }, [['anonymous', 'anonymous_not_recommended']]],
    ['http Custom URL', { remote_url: 's3://b-1/', endpoint_url: 'http://minio:9000' }, [['endpoint_url', 'endpoint_http']]],
    ['AWS naming with a Custom URL', { remote_url: 's3://My_Bucket/', endpoint_url: 'https://minio' }, [['remote_url', 'bucket_uppercase']]],
    ['a dotted bucket on Amazon S3', { remote_url: 's3://logs.example.com/' }, [['remote_url', 'bucket_dotted']]],
    ['a dotted bucket on a Custom URL', { remote_url: 's3://logs.example.com/', endpoint_url: 'https://minio' }, []],
    ['AKIA key with a token', { remote_url: 's3://my-bucket/', key: KEY, token: 't' }, [['token', 'token_with_long_term_key']]],
    [
      'expiry in the past',
      { remote_url: 's3://my-bucket/', key: 'ASIAX', token: 't', token_expires_at: at(-1) },
      [['token_expires_at', 'expiry_past']],
    ],
    [
      'expiry in 14 minutes',
      { remote_url: 's3://my-bucket/', key: 'ASIAX', token: 't', token_expires_at: at(14) },
      [['token_expires_at', 'expiry_soon']],
    ],
    ['expiry in 16 minutes', { remote_url: 's3://my-bucket/', key: 'ASIAX', token: 't', token_expires_at: at(16) }, []],
  ])('%s', (_label, draft, expected) => {
    expect(codes(draft)).toEqual(expected);
  });
});

describe('credentials', () => {
  it.each([
    [{ anonymous: true, ambient_credentials: false, role_arn: null, has_token: false }, 'anonymous'],
    [{ anonymous: false, ambient_credentials: true, role_arn: null, has_token: false }, 'ambient'],
    [{ anonymous: false, ambient_credentials: false, role_arn: null, has_token: true }, 'temporary'],
    [{ anonymous: false, ambient_credentials: false, role_arn: null, has_token: false }, 'access_key'],
    [{ anonymous: false, ambient_credentials: false, role_arn: 'arn:aws:iam::123456789012:role/r', has_token: false }, 'iam_role'],
  ] as const)('method of %o is %s', (config, method) => {
    expect(credentialsMethod(config)).toBe(method);
  });

  it.each([
    ['access_key', null, false, 'not_applicable'],
    ['anonymous', null, false, 'not_applicable'],
    ['ambient', null, true, 'not_applicable'],
    ['temporary', null, false, 'unknown'],
    ['temporary', null, true, 'expired'],
    ['temporary', at(-1), false, 'expired'],
    ['temporary', at(0), false, 'expired'],
    ['temporary', at(24 * 60 + 1), true, 'expired'],
  ] as const)('%s expiring %s (expired by check: %s) is %s', (method, expiresAt, expiredByCheck, state) => {
    expect(credentialsState({ method, expiresAt, savedAt: null, expiredByCheck, now })).toBe(state);
  });

  // Saved `lifetime` minutes before expiry, checked `left` minutes before it: the warning is the last quarter of the
  // lifetime, at least 15 minutes and at most 24 hours.
  it.each([
    ['1-hour credentials', 60, 16, 'ok'],
    ['1-hour credentials', 60, 15, 'expiring'],
    ['30-minute credentials (at least 15 min)', 30, 16, 'ok'],
    ['30-minute credentials (at least 15 min)', 30, 15, 'expiring'],
    ['12-hour credentials, just renewed', 12 * 60, 12 * 60, 'ok'],
    ['12-hour credentials', 12 * 60, 3 * 60 + 1, 'ok'],
    ['12-hour credentials', 12 * 60, 3 * 60, 'expiring'],
    ['36-hour credentials', 36 * 60, 9 * 60 + 1, 'ok'],
    ['36-hour credentials', 36 * 60, 9 * 60, 'expiring'],
    ['7-day credentials (at most 24 h)', 7 * 24 * 60, 24 * 60 + 1, 'ok'],
    ['7-day credentials (at most 24 h)', 7 * 24 * 60, 24 * 60, 'expiring'],
    ['an unknown start counts as long-lived', null, 24 * 60, 'expiring'],
    ['an unknown start counts as long-lived', null, 24 * 60 + 1, 'ok'],
    ['a start after the expiry counts as long-lived', -5, 60, 'expiring'],
  ] as const)('%s (lifetime %s min) with %s min left: %s', (_label, lifetime, left, state) => {
    const expiresAt = at(left);
    const savedAt = lifetime === null ? null : new Date(Date.parse(expiresAt) - lifetime * 60_000).toISOString();
    expect(credentialsState({ method: 'temporary', expiresAt, savedAt, expiredByCheck: false, now })).toBe(state);
  });
});
