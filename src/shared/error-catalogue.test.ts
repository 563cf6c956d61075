import { describe, expect, it } from 'vitest';
import { describeError, isKnownErrorCode } from './error-catalogue.ts';
import { PROVIDER_PROFILES } from './provider-profiles.ts';
import { PROVIDER_IDS, PROVIDERS, type Provider } from './providers.ts';
import aws from './fixtures/error-codes/aws.json' with { type: 'json' };
import ceph from './fixtures/error-codes/ceph.json' with { type: 'json' };
import minio from './fixtures/error-codes/minio.json' with { type: 'json' };
import r2 from './fixtures/error-codes/r2.json' with { type: 'json' };

const context = { bucket: 'lake', prefix: 'raw/', region: null, customEndpoint: true, provider: 'ceph' as const };

/** Each service's documented codes, copied from the page its profile cites (the fixture's `source`). */
const VOCABULARIES = { aws, ceph, minio, r2 } satisfies Partial<Record<Provider, { source: string; codes: (string | number | null)[][] }>>;
/** Codes where testing again is the fix: the service's passing troubles. */
const PASSING = new Set([
  'InternalError',
  'ServiceUnavailable',
  'SlowDown',
  'TooManyRequests',
  'Busy',
  'ClientDisconnect',
  'ConditionalRequestConflict',
  'OperationAborted',
  'XMinioBackendDown',
  'XMinioServerNotInitialized',
  'RequestTimeout',
]);
const described = Object.entries(VOCABULARIES).flatMap(([provider, { codes }]) =>
  codes.map(([code]) => [provider as Provider, String(code)] as const),
);

describe('the error catalogue', () => {
  it('has a fixture for every service whose profile cites a page of error codes, citing that page', () => {
    for (const provider of PROVIDER_IDS) {
      const page = PROVIDER_PROFILES[provider].errorCodes;
      const vocabulary = (VOCABULARIES as Partial<Record<Provider, { source: string }>>)[provider];
      if (page === null) expect(vocabulary, provider).toBeUndefined();
      else expect(vocabulary?.source, provider).toContain(page.replace(/\/$/, ''));
    }
  });

  it.each(described)('on %s, has a sentence and a fix for %s, a code that service documents', (provider, code) => {
    expect(isKnownErrorCode(code)).toBe(true);
    const words = describeError(code, { ...context, provider, customEndpoint: provider !== 'aws' });
    expect(words.message.length).toBeGreaterThan(20);
    expect(words.hint.length).toBeGreaterThan(20);
    // Never the words for a code it does not know, nor "test again" for what retrying cannot fix.
    expect(words.message).not.toMatch(/this app does not describe|names no code/);
    if (!PASSING.has(code)) expect(words.hint).not.toMatch(/^Test again|Wait a minute and test again/);
    // Nothing AWS-only of another service.
    if (provider !== 'aws') expect(`${words.message} ${words.hint}`).not.toMatch(/minutes to hours|IAM policy of this identity/);
  });

  it('words a family’s code with what it is about, and sends each family where its fix is', () => {
    const onAws = { ...context, provider: 'aws' as const, customEndpoint: false };
    expect(describeError('NoSuchCORSConfiguration', onAws).message).toBe(
      "The endpoint answered NoSuchCORSConfiguration, about reading a CORS configuration, which none of the check's requests (list, write, multipart upload, delete) ask for.",
    );
    expect(describeError('NoSuchCORSConfiguration', onAws).hint).toMatch(/^A proxy or gateway between this server and Amazon S3/);
    expect(describeError('MalformedXML', context).hint).toMatch(/Custom URL leads to something other than the service's S3 API/);
    expect(describeError('KMS.DisabledException', onAws).message).toMatch(/KMS key that is disabled .*every write fails/);
    expect(describeError('InvalidRegion', { ...context, provider: 'minio' }).hint).toMatch(/^Set Region to the one MinIO documents/);
    expect(describeError('Unauthorized', { ...context, provider: 'r2' }).hint).toMatch(
      /^Copy the access key and secret key again from R2 → Manage API tokens/,
    );
    expect(describeError('NotEntitled', { ...context, provider: 'r2' }).hint).toMatch(/with Cloudflare R2 .*testing again will not help/);
  });

  it('reads a service’s other name for a cause it describes as that cause', () => {
    expect(describeError('InvalidSignature', context).message).toBe(describeError('SignatureDoesNotMatch', context).message);
    expect(describeError('TooManyRequests', { ...context, retryAfterS: 30 }).hint).toMatch(/wait 30 s/);
    expect(describeError('ObjectLockedByBucketPolicy', context).message).toMatch(/^A bucket lock rule protects/);
    expect(describeError('XMinioAdminBucketQuotaExceeded', { ...context, provider: 'minio' })).toMatchObject({
      code: 'XMinioAdminBucketQuotaExceeded',
      message: 'The quota of the bucket "lake" is full: the endpoint refuses writes.',
      hint: expect.stringContaining('mc quota set') as unknown as string,
    });
    expect(describeError('XMinioStorageFull', { ...context, provider: 'minio' }).hint).toMatch(/free space or add capacity/);
  });

  it('says a suspended user and a full quota need someone to act, not another test, in the service’s terms', () => {
    expect(describeError('UserSuspended', context).hint).toMatch(
      /re-enables the user \(radosgw-admin user enable --uid=USER\); testing again will not help/,
    );
    expect(describeError('QuotaExceeded', context).hint).toMatch(
      /free space.*raises the user's or the bucket's quota \(radosgw-admin quota set.*testing again will not help/,
    );
    expect(describeError('UserSuspended', { ...context, provider: 'minio' }).hint).toMatch(/mc admin user enable/);
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
      for (const code of ['AccessDenied', 'NoSuchBucket'])
        expect(describeError(code, on(provider)).hint, `${provider} ${code}`).not.toMatch(/minutes to hours|wait/);
    }
    expect(describeError('AccessDenied', on('other')).hint).toMatch(/some services apply it only after a while/);
  });

  it('grants a permission where the service keeps it', () => {
    expect(describeError('AccessDenied', on('aws')).hint).toMatch(
      /^Allow s3:PutObject on arn:aws:s3:::lake\/raw\/\* in an IAM policy of this identity/,
    );
    expect(describeError('AccessDenied', on('ceph')).hint).toMatch(
      /^On Ceph the bucket's owner grants access: a bucket policy allowing s3:PutObject/,
    );
    expect(describeError('AccessDenied', on('r2')).hint).toMatch(/^R2 API tokens carry their permissions: .*Object Read & Write/);
    expect(describeError('AccessDenied', on('b2')).hint).toMatch(/^B2 application keys carry their capabilities/);
    expect(describeError('AccessDenied', on('minio')).hint).toMatch(/mc admin policy attach/);
    // IAM is AWS's word: no other service is sent to it.
    for (const provider of ['ceph', 'minio', 'r2', 'b2', 'other'] as const)
      expect(describeError('AccessDenied', on(provider)).hint, provider).not.toMatch(/IAM/);
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
      for (const words of [profile.keysFrom, profile.writeOnly, profile.grant('s3:PutObject', 'arn:aws:s3:::b/*')])
        expect(words.length, provider).toBeGreaterThan(10);
    }
  });
});
