import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractErrors } from '../test-support/contract.ts';
import { AWS_SECRET, buildTestApp, destinationBody, type TestApp } from '../test-support/test-app.ts';

let t: TestApp;
let ambient: TestApp;
beforeAll(async () => {
  [t, ambient] = await Promise.all([buildTestApp(), buildTestApp({ allowAmbientCredentials: true })]);
});
afterAll(async () => {
  await Promise.all([t.close(), ambient.close()]);
});

const post = (body: unknown, app = t) => app.request({ method: 'POST', url: '/api/v1/destinations', payload: JSON.stringify(body) });
const MINIO = { endpoint_url: 'https://minio.example.com', key: 'minioadmin', secret: 'minioadmin' };
const TEMP = { key: 'ASIAIOSFODNN7EXAMPLE', token: 'FwoGZXIvYXdzEXAMPLE' };

// [rule, config overrides, field, type, words of the message]
const CONFIG_RULES: [string, Record<string, unknown>, string, string, string][] = [
  ['Bucket URI required', { remote_url: undefined }, 'remote_url', 'type_error', 'Enter a Bucket URI'],
  ['Bucket URI blank', { remote_url: '  ' }, 'remote_url', 'missing', 'Enter a Bucket URI'],
  ['Bucket URI scheme', { remote_url: 'my-bucket/exports/' }, 'remote_url', 'bucket_uri_scheme', 's3://'],
  ['Bucket URI https form', { remote_url: 'https://my-bucket.s3.amazonaws.com/' }, 'remote_url', 'bucket_uri_scheme', 's3://'],
  ['Bucket URI without bucket', { remote_url: 's3:///' }, 'remote_url', 'bucket_missing', 'bucket name'],
  ['Bucket URI with spaces', { remote_url: 's3://my bucket/' }, 'remote_url', 'bucket_uri_whitespace', 'spaces'],
  ['Bucket URI with a query', { remote_url: 's3://my-bucket/?x' }, 'remote_url', 'bucket_uri_query', '?'],
  ['bucket uppercase', { remote_url: 's3://MyBucket/' }, 'remote_url', 'bucket_uppercase', 'uppercase'],
  ['bucket underscore', { remote_url: 's3://my_bucket/' }, 'remote_url', 'bucket_chars', '"_"'],
  ['bucket too short', { remote_url: 's3://ab/' }, 'remote_url', 'bucket_length', '3 to 63'],
  ['bucket too long', { remote_url: `s3://${'b'.repeat(64)}/` }, 'remote_url', 'bucket_length', '3 to 63'],
  ['bucket edges', { remote_url: 's3://my-bucket-/' }, 'remote_url', 'bucket_edges', 'start and end'],
  ['bucket two dots', { remote_url: 's3://my..bucket/' }, 'remote_url', 'bucket_double_dot', 'two dots'],
  ['bucket IP-shaped', { remote_url: 's3://10.0.0.1/' }, 'remote_url', 'bucket_ip', 'IP address'],
  ['bucket reserved prefix', { remote_url: 's3://xn--abc/' }, 'remote_url', 'bucket_reserved_prefix', 'xn--'],
  ['bucket reserved suffix', { remote_url: 's3://abc-s3alias/' }, 'remote_url', 'bucket_reserved_suffix', '-s3alias'],
  ['prefix leading slash', { remote_url: 's3://my-bucket//x/' }, 'remote_url', 'prefix_leading_slash', "can't start with /"],
  ['prefix double slash', { remote_url: 's3://my-bucket/a//b/' }, 'remote_url', 'prefix_double_slash', '//'],
  ['bucket structure with a Custom URL', { ...MINIO, remote_url: 's3://my*bucket/' }, 'remote_url', 'bucket_chars', 'only letters'],
  ['FIPS form without ambient', { remote_url: 'https://b1.s3-fips.us-east-1.amazonaws.com/' }, 'remote_url', 'bucket_uri_fips', 'ambient'],
  ['AWS Key required', { key: null }, 'key', 'key_missing', 'Enter the AWS Key'],
  ['AWS Key characters', { key: 'akiaiosfodnn7example' }, 'key', 'key_chars', 'uppercase letters and digits'],
  ['AWS Key length', { key: 'AKIA1234' }, 'key', 'key_length', '16 to 128'],
  ['AWS Key type', { key: 42 }, 'key', 'type_error', 'must be text'],
  ['Custom URL key printable', { ...MINIO, key: 'mini\u0001o' }, 'key', 'key_chars', 'printable'],
  ['ASIA needs a token', { key: 'ASIAIOSFODNN7EXAMPLE' }, 'token', 'token_missing', 'ASIA'],
  ['AWS Secret Key required', { secret: null }, 'secret', 'secret_missing', 'Enter the AWS Secret Key'],
  ['AWS Secret Key format', { secret: 'too-short' }, 'secret', 'secret_format', '40 characters'],
  ['AWS Secret Key type', { secret: ['x'] }, 'secret', 'type_error', 'must be text'],
  ['STS Token size', { ...TEMP, token: 'A'.repeat(16 * 1024 + 1) }, 'token', 'token_too_long', '16 KiB'],
  ['STS Token characters', { ...TEMP, token: 'abc<def>' }, 'token', 'token_chars', 'letters, digits'],
  ['Custom URL scheme', { ...MINIO, endpoint_url: 'ftp://minio.example.com' }, 'endpoint_url', 'endpoint_scheme', 'https://'],
  ['Custom URL unparsable', { ...MINIO, endpoint_url: 'http://' }, 'endpoint_url', 'endpoint_invalid', 'full address'],
  ['Custom URL user info', { ...MINIO, endpoint_url: 'https://a:b@minio.example.com' }, 'endpoint_url', 'endpoint_userinfo', 'user name'],
  ['Custom URL query', { ...MINIO, endpoint_url: 'https://minio.example.com?a=b' }, 'endpoint_url', 'endpoint_query', 'query'],
  ['Custom URL fragment', { ...MINIO, endpoint_url: 'https://minio.example.com#a' }, 'endpoint_url', 'endpoint_fragment', 'fragment'],
  ['region format on AWS', { region: 'Frankfurt' }, 'region', 'region_format', 'us-east-1'],
  ['region format with a Custom URL', { ...MINIO, region: 'a b' }, 'region', 'region_format', 'letters, digits'],
  ['expiry format', { ...TEMP, token_expires_at: '24/11/2026 10:00' }, 'token_expires_at', 'expiry_format', 'RFC 3339'],
  ['expiry without token', { token_expires_at: '2030-01-01T00:00:00Z' }, 'token_expires_at', 'expiry_without_token', 'STS Token'],
  ['anonymous type', { anonymous: 'yes' }, 'anonymous', 'type_error', 'true or false'],
  ['anonymous with a key', { anonymous: true, secret: null }, 'key', 'key_not_allowed', 'Anonymous access'],
  ['anonymous with a secret', { anonymous: true, key: null }, 'secret', 'secret_not_allowed', 'Anonymous access'],
  [
    'ambient not allowed here',
    { ambient_credentials: true, key: null, secret: null },
    'ambient_credentials',
    'ambient_disabled',
    'ALLOW_AMBIENT_CREDENTIALS_S3',
  ],
];

describe('422 for every field rule, on the field it concerns', () => {
  it.each(CONFIG_RULES)('%s', async (_rule, config, field, type, words) => {
    const response = await post(destinationBody(config));
    expect(response.statusCode).toBe(422);
    const body = response.json();
    expect(body.detail).toEqual([{ loc: ['body', 'config', field], msg: expect.stringContaining(words), type }]);
    expect(contractErrors('HTTPValidationError', body)).toEqual([]);
  });

  it.each<[string, unknown, (string | number)[], string]>([
    ['name missing', { type: 's3', config: { remote_url: 's3://my-bucket/' } }, ['body', 'name'], 'Enter a name'],
    ['name blank', destinationBody({}, '   '), ['body', 'name'], 'Enter a name'],
    ['name too long', destinationBody({}, 'n'.repeat(101)), ['body', 'name'], 'at most 100'],
    ['name with a NUL', destinationBody({}, 'bad\u0000name'), ['body', 'name'], "can't contain control characters"],
    ['name with a line break', destinationBody({}, 'two\nlines'), ['body', 'name'], "can't contain control characters"],
    ['type not s3', { ...destinationBody(), type: 'gcs' }, ['body', 'type'], 'Only destinations of type "s3"'],
    ['config missing', { name: 'x', type: 's3' }, ['body', 'config'], ''],
    ['body an array', [destinationBody()], ['body'], ''],
  ])('%s', async (_rule, body, loc, words) => {
    const response = await post(body);
    expect(response.statusCode).toBe(422);
    expect(response.json().detail[0]).toMatchObject({ loc, msg: expect.stringContaining(words) });
  });

  it('saves nothing when a request is refused', async () => {
    const before = (await t.store.destinations.list()).length;
    await post(destinationBody({ remote_url: 's3://BAD/' }));
    expect((await t.store.destinations.list()).length).toBe(before);
  });
});

describe('with ambient credentials allowed', () => {
  it('accepts ambient credentials and the FIPS Bucket URI', async () => {
    const response = await post(
      destinationBody({ key: null, secret: null, ambient_credentials: true, remote_url: 'https://my-bucket.s3-fips.us-east-1.amazonaws.com/x' }),
      ambient,
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().credentials.method).toBe('ambient');
  });

  it('refuses ambient credentials with a Custom URL, on the method: the server’s own credentials go only to Amazon S3', async () => {
    const body = destinationBody({ key: null, secret: null, ambient_credentials: true, endpoint_url: 'https://collector.example.net' });
    const response = await post(body, ambient);
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toEqual([
      expect.objectContaining({
        loc: ['body', 'config', 'ambient_credentials'],
        type: 'ambient_custom_url',
        msg: expect.stringContaining('never to a Custom URL'),
      }),
    ]);
    const check = await ambient.request({ method: 'POST', url: '/api/v1/connection-checks', body: { type: 's3', config: body.config } });
    expect(check.statusCode).toBe(422);
  });

  it('refuses an AWS Key with ambient credentials', async () => {
    const response = await post(destinationBody({ ambient_credentials: true, secret: null }), ambient);
    expect(response.json().detail).toEqual([expect.objectContaining({ loc: ['body', 'config', 'key'], type: 'key_not_allowed' })]);
  });
});

describe('Custom URL: AWS naming rules become warnings', () => {
  it('saves the config and warns on the field', async () => {
    const response = await post(destinationBody({ ...MINIO, endpoint_url: 'http://minio.example.com:9000', remote_url: 's3://My_Bucket/' }));
    expect(response.statusCode).toBe(200);
    expect(response.json().warnings.map((w: { field: string; code: string }) => [w.field, w.code])).toEqual([
      ['endpoint_url', 'endpoint_http'],
      ['remote_url', 'bucket_uppercase'],
    ]);
  });
});

describe('malformed requests get a 4xx that names the problem, never a 5xx', () => {
  it('answers 422 for malformed JSON', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/destinations',
      payload: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({ detail: [{ loc: ['body'], msg: 'The request body is not valid JSON', type: 'json_invalid' }] });
  });

  it('answers 422 for an empty JSON body', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/v1/destinations',
      payload: '',
      headers: { 'content-type': 'application/json', 'content-length': '0' },
    });
    expect(response.statusCode).toBe(422);
  });

  it('answers 413 for a body over 64 KiB', async () => {
    const response = await post(destinationBody({ token: 'A'.repeat(70 * 1024) }));
    expect(response.statusCode).toBe(413);
    expect(response.json().detail).toContain('64 KiB');
  });

  it.each([null, 42, 'text', true, {}, { config: null }, { name: {}, type: [], config: 'x' }, { name: 'x', type: 's3', config: { remote_url: {} } }])(
    'answers 422 for the body %j',
    async (body) => {
      const response = await post(body);
      expect(response.statusCode).toBe(422);
      expect(Array.isArray(response.json().detail)).toBe(true);
    },
  );
});

it('refuses a secret format without echoing the secret', async () => {
  const secret = `${AWS_SECRET.slice(3)}#!`;
  const response = await post(destinationBody({ secret }));
  expect(response.statusCode).toBe(422);
  expect(response.body).not.toContain(secret);
});
