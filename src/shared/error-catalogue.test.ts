import { describe, expect, it } from 'vitest';
import { describeError, isKnownErrorCode } from './error-catalogue.ts';
import { PROVIDER_PROFILES } from './provider-profiles.ts';
import { PROVIDER_IDS, PROVIDERS, type Provider } from './providers.ts';
import rgw from './fixtures/rgw-error-codes.json' with { type: 'json' };

const context = { bucket: 'lake', prefix: 'raw/', region: null, customEndpoint: true, provider: 'ceph' as const };

describe('the error catalogue', () => {
  it.each(rgw.codes)('has a sentence and a fix of its own for %s, a code Ceph’s RADOS Gateway documents', (code) => {
    expect(isKnownErrorCode(code)).toBe(true);
    const described = describeError(code, context);
    expect(described.message.length).toBeGreaterThan(20);
    expect(described.hint.length).toBeGreaterThan(20);
    // Never the words for a code it does not know, nor "test again" for what retrying cannot fix (a server's internal
    // error is the one where it can).
    expect(described.message).not.toMatch(/does not describe|does not know/);
    if (code !== 'InternalError') expect(described.hint).not.toMatch(/^Test again/);
  });

  it('says a suspended user and a full quota need someone to act, not another test', () => {
    expect(describeError('UserSuspended', context).hint).toMatch(/re-enable the user.*testing again will not help/);
    expect(describeError('QuotaExceeded', context).hint).toMatch(/free space.*raise the quota.*testing again will not help/);
  });

  it('names a code it does not describe, and where the service explains it', () => {
    const described = describeError('XRgwWeirdThing', context);
    expect(described.message).toBe('The endpoint answered XRgwWeirdThing, an error this app does not describe.');
    expect(described.hint).toContain('Look XRgwWeirdThing up in Ceph (RADOS Gateway)');
    expect(described.hint).toContain('https://docs.redhat.com/');
    expect(describeError('XSomething', { ...context, provider: 'other' }).hint).toBe(
      "Look XSomething up in your service's documentation of its S3 error codes: it says what causes it and what fixes it.",
    );
    expect(describeError('Unknown', context).message).toBe('The endpoint answered with an error that names no code.');
  });
});

describe('words that fit the service (provider profiles)', () => {
  const on = (provider: Provider, customEndpoint = provider !== 'aws') => ({ ...context, provider, customEndpoint, action: 's3:PutObject' });

  it('says AWS’s propagation delay of AWS alone, and of an unnamed service only that some take a while', () => {
    expect(describeError('AccessDenied', on('aws')).hint).toContain('minutes to hours');
    expect(describeError('NoSuchBucket', on('aws')).hint).toContain('minutes to hours');
    for (const provider of ['ceph', 'minio', 'r2', 'b2'] as const) {
      for (const code of ['AccessDenied', 'NoSuchBucket']) expect(describeError(code, on(provider)).hint, `${provider} ${code}`).not.toMatch(/minutes to hours|wait/);
    }
    expect(describeError('AccessDenied', on('other')).hint).toMatch(/some services apply it only after a while/);
  });

  it('grants a permission where the service keeps it', () => {
    expect(describeError('AccessDenied', on('aws')).hint).toMatch(/^Allow s3:PutObject on arn:aws:s3:::lake\/raw\/\* in an IAM policy of this identity/);
    expect(describeError('AccessDenied', on('ceph')).hint).toMatch(/^On Ceph the bucket's owner grants access: a bucket policy allowing s3:PutObject/);
    expect(describeError('AccessDenied', on('r2')).hint).toMatch(/^R2 API tokens carry their permissions: .*Object Read & Write/);
    expect(describeError('AccessDenied', on('b2')).hint).toMatch(/^B2 application keys carry their capabilities/);
    expect(describeError('AccessDenied', on('minio')).hint).toMatch(/mc admin policy attach/);
    // IAM is AWS's word: no other service is sent to it.
    for (const provider of ['ceph', 'minio', 'r2', 'b2', 'other'] as const) expect(describeError('AccessDenied', on(provider)).hint, provider).not.toMatch(/IAM/);
  });

  it('sends people for keys where the service makes them', () => {
    expect(describeError('InvalidAccessKeyId', on('aws')).hint).toContain('from IAM (the user → Security credentials → Access keys)');
    expect(describeError('InvalidAccessKeyId', on('r2')).hint).toContain('from R2 → Manage API tokens');
    expect(describeError('InvalidAccessKeyId', on('ceph')).hint).toContain('radosgw-admin user info');
    expect(describeError('InvalidAccessKeyId', on('b2')).hint).toContain('Application Keys');
  });

  it('has every row filled, for every provider the wizard offers', () => {
    for (const provider of PROVIDER_IDS) {
      const profile = PROVIDER_PROFILES[provider];
      expect(profile.label, provider).toBe(PROVIDERS[provider].label);
      for (const words of [profile.keysFrom, profile.writeOnly, profile.grant('s3:PutObject', 'arn:aws:s3:::b/*')]) expect(words.length, provider).toBeGreaterThan(10);
    }
  });
});
