import { describe, expect, it } from 'vitest';
import { createS3ConfigInputSchema } from './destination-schemas.ts';
import { checkS3Config, normalizeS3Config, parseRfc3339, type S3ConfigDraft } from './s3-config.ts';

const KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const base: S3ConfigDraft = { remote_url: 's3://my-bucket/', key: KEY, secret: SECRET };

const issuesOf = (draft: Partial<S3ConfigDraft>, allowAmbientCredentials = false) =>
  checkS3Config(normalizeS3Config({ ...base, ...draft }), { allowAmbientCredentials }).issues.map((i) => [i.field, i.type]);

describe('checkS3Config: valid configs', () => {
  it.each<[string, Partial<S3ConfigDraft>, boolean?]>([
    ['long-term AWS key', {}],
    ['temporary key with token', { key: 'ASIAIOSFODNN7EXAMPLE', token: 'FwoGZXIvYXdzE+/=abc' }],
    ['AKIA key with a token (a warning, not an error)', { token: 'FwoGZXIvYXdzEabc' }],
    ['region', { region: 'eu-west-1' }],
    ['GovCloud region', { region: 'us-gov-west-1' }],
    ['MinIO keys with a Custom URL', { key: 'minioadmin', secret: 'minioadmin', endpoint_url: 'http://127.0.0.1:9000' }],
    ['R2 region auto with a Custom URL', { endpoint_url: 'https://acc.r2.cloudflarestorage.com', region: 'auto' }],
    ['anonymous', { key: null, secret: null, anonymous: true }],
    ['ambient when allowed', { key: null, secret: null, ambient_credentials: true }, true],
    ['expiry with a token', { key: 'ASIAIOSFODNN7EXAMPLE', token: 'abc', token_expires_at: '2030-01-01T10:00:00+02:00' }],
    ['blank optional fields', { endpoint_url: '  ', region: '', token: ' \n ', token_expires_at: '' }],
  ])('%s', (_label, draft, allowAmbient) => {
    expect(issuesOf(draft, allowAmbient)).toEqual([]);
  });
});

describe('checkS3Config: every field rule', () => {
  it.each<[string, Partial<S3ConfigDraft>, [string, string][], boolean?]>([
    ['missing key', { key: null }, [['key', 'key_missing']]],
    ['blank key', { key: '   ' }, [['key', 'key_missing']]],
    ['lowercase key on AWS', { key: 'akiaiosfodnn7example' }, [['key', 'key_chars']]],
    ['short key on AWS', { key: 'AKIA123' }, [['key', 'key_length']]],
    ['long key on AWS', { key: `AKIA${'A'.repeat(125)}` }, [['key', 'key_length']]],
    ['control character in a Custom URL key', { key: 'mini\u0007o', endpoint_url: 'https://s3.example.com' }, [['key', 'key_chars']]],
    ['ASIA key without a token', { key: 'ASIAIOSFODNN7EXAMPLE' }, [['token', 'token_missing']]],
    ['missing secret', { secret: null }, [['secret', 'secret_missing']]],
    ['short secret on AWS', { secret: SECRET.slice(1) }, [['secret', 'secret_format']]],
    ['odd character in an AWS secret', { secret: `${SECRET.slice(1)}!` }, [['secret', 'secret_format']]],
    ['token over 16 KiB', { token: 'a'.repeat(16 * 1024 + 1) }, [['token', 'token_too_long']]],
    ['odd characters in an AWS token', { token: 'abc$def' }, [['token', 'token_chars']]],
    ['Custom URL without a scheme', { endpoint_url: 'minio.local:9000' }, [['endpoint_url', 'endpoint_scheme']]],
    ['Custom URL that is not a URL', { endpoint_url: 'not a url' }, [['endpoint_url', 'endpoint_invalid']]],
    ['ftp Custom URL', { endpoint_url: 'ftp://minio.local' }, [['endpoint_url', 'endpoint_scheme']]],
    ['Custom URL with user info', { endpoint_url: 'https://user:pw@minio.local' }, [['endpoint_url', 'endpoint_userinfo']]],
    ['Custom URL with a query', { endpoint_url: 'https://minio.local/?x=1' }, [['endpoint_url', 'endpoint_query']]],
    ['Custom URL with a fragment', { endpoint_url: 'https://minio.local/#x' }, [['endpoint_url', 'endpoint_fragment']]],
    ['AWS region in capitals', { region: 'US-EAST-1' }, [['region', 'region_format']]],
    ['region with spaces and a Custom URL', { region: 'my region', endpoint_url: 'https://s3.example.com' }, [['region', 'region_format']]],
    [
      'expiry that is not a time',
      { key: 'ASIAIOSFODNN7EXAMPLE', token: 'abc', token_expires_at: 'tomorrow' },
      [['token_expires_at', 'expiry_format']],
    ],
    [
      'expiry without a zone',
      { key: 'ASIAIOSFODNN7EXAMPLE', token: 'abc', token_expires_at: '2030-01-01T10:00:00' },
      [['token_expires_at', 'expiry_format']],
    ],
    [
      'expiry on February 30',
      { key: 'ASIAIOSFODNN7EXAMPLE', token: 'abc', token_expires_at: '2030-02-30T10:00:00Z' },
      [['token_expires_at', 'expiry_format']],
    ],
    ['expiry without a token', { token_expires_at: '2030-01-01T10:00:00Z' }, [['token_expires_at', 'expiry_without_token']]],
    ['anonymous with a key', { anonymous: true, secret: null }, [['key', 'key_not_allowed']]],
    [
      'anonymous with key and secret',
      { anonymous: true },
      [
        ['key', 'key_not_allowed'],
        ['secret', 'secret_not_allowed'],
      ],
    ],
    [
      'anonymous and ambient',
      { anonymous: true, ambient_credentials: true, key: null, secret: null },
      [['ambient_credentials', 'method_conflict']],
      true,
    ],
    [
      'ambient on a server that does not allow it',
      { ambient_credentials: true, key: null, secret: null },
      [['ambient_credentials', 'ambient_disabled']],
    ],
    ['ambient with a key', { ambient_credentials: true, secret: null }, [['key', 'key_not_allowed']], true],
    [
      'ambient with a Custom URL',
      { ambient_credentials: true, key: null, secret: null, endpoint_url: 'https://minio.example.com' },
      [['ambient_credentials', 'ambient_custom_url']],
      true,
    ],
    ['FIPS URI without ambient', { remote_url: 'https://b.s3-fips.us-east-1.amazonaws.com/' }, [['remote_url', 'bucket_uri_fips']]],
  ])('%s', (_label, draft, expected, allowAmbient) => {
    expect(issuesOf(draft, allowAmbient)).toEqual(expected);
  });

  it('never quotes a secret in its message', () => {
    const secret = `${SECRET.slice(2)}!!`;
    const { issues } = checkS3Config(normalizeS3Config({ ...base, secret }), { allowAmbientCredentials: false });
    expect(issues).toHaveLength(1);
    expect(JSON.stringify(issues)).not.toContain(secret);
  });
});

describe('normalisation', () => {
  it('strips whitespace and line breaks pasted into a token, and canonicalises the rest', () => {
    const { value } = checkS3Config(
      normalizeS3Config({
        remote_url: ' s3://my-bucket/exports ',
        key: ` ${KEY} `,
        secret: SECRET,
        token: 'abc\n def\r\n\tghi',
        endpoint_url: 'https://MinIO.example.com:9000/',
        token_expires_at: '2030-01-01T10:00:00+02:00',
      }),
      { allowAmbientCredentials: false },
    );
    expect(value).toMatchObject({
      remote_url: 's3://my-bucket/exports/',
      key: KEY,
      token: 'abcdefghi',
      endpoint_url: 'https://minio.example.com:9000',
      token_expires_at: '2030-01-01T08:00:00.000Z',
    });
  });

  it.each([
    ['2026-11-24T18:30:00Z', '2026-11-24T18:30:00.000Z'],
    ['2026-11-24t18:30:00.5z', '2026-11-24T18:30:00.500Z'],
    ['2026-11-24 18:30:00-05:00', '2026-11-24T23:30:00.000Z'],
    ['2026-11-24', null],
    ['2026-13-01T00:00:00Z', null],
    ['2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['2027-02-29T00:00:00Z', null],
  ])('parseRfc3339(%s)', (input, expected) => {
    expect(parseRfc3339(input)).toBe(expected);
  });
});

describe('the zod schema carries the rules onto their fields', () => {
  const schema = createS3ConfigInputSchema({ allowAmbientCredentials: false });

  it('puts each problem on the path of its field, with its type', () => {
    const result = schema.safeParse({ remote_url: 's3://My-Bucket/', key: KEY, secret: SECRET });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['remote_url'],
        message: "Bucket names can't contain uppercase letters",
        params: { type: 'bucket_uppercase' },
      }),
    ]);
  });

  it('yields the canonical config', () => {
    const result = schema.parse({ remote_url: 's3://my-bucket', key: KEY, secret: SECRET, region: '' });
    expect(result).toEqual({
      remote_url: 's3://my-bucket/',
      anonymous: false,
      ambient_credentials: false,
      key: KEY,
      secret: SECRET,
      token: null,
      endpoint_url: null,
      region: null,
      token_expires_at: null,
      role_arn: null,
      external_id: null,
      provider: 'aws',
    });
  });

  it('says which type it wanted when a field has the wrong type', () => {
    const result = schema.safeParse({ remote_url: 's3://my-bucket/', anonymous: 'yes' });
    expect(result.error?.issues[0]).toMatchObject({ path: ['anonymous'], message: 'anonymous must be true or false' });
  });
});
