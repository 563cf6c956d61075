import { describe, expect, it } from 'vitest';
import { accountAllowed, parseRoleArn, trustPolicy, trustPrincipalOf } from './iam-role.ts';
import { checkS3Config, normalizeS3Config } from './s3-config.ts';

describe('parseRoleArn', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/s3-writer', 'aws', '123456789012', 's3-writer'],
    ['arn:aws-cn:iam::123456789012:role/writer', 'aws-cn', '123456789012', 'writer'],
    ['arn:aws-us-gov:iam::123456789012:role/team/data/writer', 'aws-us-gov', '123456789012', 'writer'],
    ['arn:aws:iam::123456789012:role/with+=,.@-chars', 'aws', '123456789012', 'with+=,.@-chars'],
  ])('accepts %s', (arn, partition, account, name) => {
    expect(parseRoleArn(arn)).toEqual({ ok: true, value: { arn, partition, account, name } });
  });

  it.each([
    ['arn:aws:sts::123456789012:assumed-role/writer/session', 'role_arn_session'],
    ['arn:aws:iam::123456789012:user/alice', 'role_arn_user'],
    ['arn:aws:iam::12345678901:role/short-account', 'role_arn_format'],
    ['arn:aws:iam::123456789012:role/', 'role_arn_format'],
    ['arn:aws:iam::123456789012:role/has space', 'role_arn_format'],
    ['arn:aws:iam::123456789012:role/' + 'n'.repeat(65), 'role_arn_format'],
    ['arn:azure:iam::123456789012:role/writer', 'role_arn_partition'],
    ['s3-writer', 'role_arn_format'],
  ])('refuses %s (%s)', (arn, type) => {
    const parsed = parseRoleArn(arn);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem.type).toBe(type);
  });
});

describe('trust policy', () => {
  it('names a role session by its role, and anything else as it is', () => {
    expect(trustPrincipalOf('arn:aws:sts::111122223333:assumed-role/app-server/i-0abc')).toBe('arn:aws:iam::111122223333:role/app-server');
    expect(trustPrincipalOf('arn:aws-cn:sts::111122223333:assumed-role/app/s')).toBe('arn:aws-cn:iam::111122223333:role/app');
    expect(trustPrincipalOf('arn:aws:iam::111122223333:user/app')).toBe('arn:aws:iam::111122223333:user/app');
  });

  it('allows only the principal, only with the external ID', () => {
    expect(trustPolicy('arn:aws:iam::111122223333:user/app', 'ext-1')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'S3DestinationsAdmin',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:user/app' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'ext-1' } },
        },
      ],
    });
  });

  it('allows any account without an allowlist, and only the listed ones with one', () => {
    expect(accountAllowed('123456789012', null)).toBe(true);
    expect(accountAllowed('123456789012', ['123456789012'])).toBe(true);
    expect(accountAllowed('210987654321', ['123456789012'])).toBe(false);
  });
});

describe('the IAM role method in the field rules', () => {
  const role = 'arn:aws:iam::123456789012:role/s3-writer';
  const rules = (config: Record<string, unknown>, options = { allowAmbientCredentials: false, allowIamRoles: true }) =>
    checkS3Config(normalizeS3Config({ remote_url: 's3://bucket/', ...config }), options).issues.map((i) => [i.field, i.type]);

  it.each<[string, Record<string, unknown>, object | undefined, string[][]]>([
    ['a role on a server that allows them', { role_arn: role }, undefined, []],
    ['a role on a server that does not', { role_arn: role }, { allowAmbientCredentials: false }, [['role_arn', 'role_disabled']]],
    [
      'a role with a key',
      { role_arn: role, key: 'AKIAIOSFODNN7EXAMPLE', secret: 'x'.repeat(40) },
      undefined,
      [
        ['key', 'key_not_allowed'],
        ['secret', 'secret_not_allowed'],
      ],
    ],
    ['a role with a Custom URL', { role_arn: role, endpoint_url: 'https://minio.example.com' }, undefined, [['role_arn', 'role_custom_url']]],
    ['a role and anonymous', { role_arn: role, anonymous: true }, undefined, [['role_arn', 'method_conflict']]],
    [
      'a role of an account not listed',
      { role_arn: role },
      { allowAmbientCredentials: false, allowIamRoles: true, iamRoleAccounts: ['210987654321'] },
      [['role_arn', 'role_account_not_allowed']],
    ],
    ['a malformed role', { role_arn: 'my-role' }, undefined, [['role_arn', 'role_arn_format']]],
    ['an external ID outside STS’s alphabet', { role_arn: role, external_id: 'has space' }, undefined, [['external_id', 'external_id_format']]],
  ])('%s', (_name, config, options, expected) => {
    expect(rules(config, options as never)).toEqual(expected);
  });

  it('drops an external ID from a config that is not a role', () => {
    const { value } = checkS3Config(
      normalizeS3Config({
        remote_url: 's3://bucket/',
        key: 'AKIAIOSFODNN7EXAMPLE',
        secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        external_id: 'x1',
      }),
      { allowAmbientCredentials: false },
    );
    expect(value.external_id).toBeNull();
  });
});
