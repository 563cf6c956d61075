import { describe, expect, it } from 'vitest';
import { parsePastedCredentials } from './paste-credentials.ts';

const KEY = 'ASIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJGMEQCIBq+/=';
const EXPIRES = '2026-11-24T18:30:00+00:00';
const EXPIRES_ISO = '2026-11-24T18:30:00.000Z';
const full = { format: expect.any(String), key: KEY, secret: SECRET, token: TOKEN, expiresAt: EXPIRES_ISO };

const stsJson = JSON.stringify(
  {
    Credentials: { AccessKeyId: KEY, SecretAccessKey: SECRET, SessionToken: TOKEN, Expiration: EXPIRES },
    AssumedRoleUser: { AssumedRoleId: 'AROA:session', Arn: 'arn:aws:sts::123456789012:assumed-role/writer/session' },
  },
  null,
  4,
);

describe('parsePastedCredentials: recognised forms', () => {
  it.each<[string, string, string]>([
    ['aws sts assume-role', stsJson, 'sts-json'],
    [
      'aws sts get-session-token',
      JSON.stringify({ Credentials: { AccessKeyId: KEY, SecretAccessKey: SECRET, SessionToken: TOKEN, Expiration: EXPIRES } }),
      'sts-json',
    ],
    [
      'aws sts assume-role-with-web-identity',
      JSON.stringify({
        Credentials: { AccessKeyId: KEY, SecretAccessKey: SECRET, SessionToken: TOKEN, Expiration: EXPIRES },
        SubjectFromWebIdentityToken: 'x',
        Provider: 'accounts.google.com',
      }),
      'sts-json',
    ],
    [
      'aws sts assume-role-with-saml',
      JSON.stringify({
        Credentials: { AccessKeyId: KEY, SecretAccessKey: SECRET, SessionToken: TOKEN, Expiration: EXPIRES },
        Subject: 'me',
        SubjectType: 'persistent',
      }),
      'sts-json',
    ],
    [
      'aws configure export-credentials --format process',
      JSON.stringify({ Version: 1, AccessKeyId: KEY, SecretAccessKey: SECRET, SessionToken: TOKEN, Expiration: EXPIRES }),
      'process-json',
    ],
    [
      '--format env',
      `export AWS_ACCESS_KEY_ID=${KEY}\nexport AWS_SECRET_ACCESS_KEY=${SECRET}\nexport AWS_SESSION_TOKEN=${TOKEN}\nexport AWS_CREDENTIAL_EXPIRATION=${EXPIRES}\n`,
      'env',
    ],
    [
      '--format env-no-export',
      `AWS_ACCESS_KEY_ID=${KEY}\nAWS_SECRET_ACCESS_KEY=${SECRET}\nAWS_SESSION_TOKEN=${TOKEN}\nAWS_CREDENTIAL_EXPIRATION=${EXPIRES}`,
      'env',
    ],
    [
      'env with quotes',
      `export AWS_ACCESS_KEY_ID="${KEY}"\nexport AWS_SECRET_ACCESS_KEY='${SECRET}'\nexport AWS_SESSION_TOKEN="${TOKEN}"\nexport AWS_CREDENTIAL_EXPIRATION=${EXPIRES}`,
      'env',
    ],
    [
      '--format powershell',
      `$Env:AWS_ACCESS_KEY_ID="${KEY}"\r\n$Env:AWS_SECRET_ACCESS_KEY="${SECRET}"\r\n$Env:AWS_SESSION_TOKEN="${TOKEN}"\r\n$Env:AWS_CREDENTIAL_EXPIRATION="${EXPIRES}"`,
      'powershell',
    ],
    [
      '--format windows-cmd',
      `set AWS_ACCESS_KEY_ID=${KEY}\r\nset AWS_SECRET_ACCESS_KEY=${SECRET}\r\nset AWS_SESSION_TOKEN=${TOKEN}\r\nset AWS_CREDENTIAL_EXPIRATION=${EXPIRES}`,
      'cmd',
    ],
    [
      '~/.aws/credentials profile',
      `[writer]\naws_access_key_id = ${KEY}\naws_secret_access_key = ${SECRET}\naws_session_token = ${TOKEN}\nx_security_token_expires = ${EXPIRES}\n`,
      'credentials-file',
    ],
  ])('%s', (_label, text, format) => {
    expect(parsePastedCredentials(text)).toEqual({ ok: true, value: { ...full, format } });
  });

  it('reads long-term keys without a token or expiry', () => {
    const result = parsePastedCredentials(`[default]\naws_access_key_id=AKIAIOSFODNN7EXAMPLE\naws_secret_access_key=${SECRET}`);
    expect(result).toEqual({
      ok: true,
      value: { format: 'credentials-file', key: 'AKIAIOSFODNN7EXAMPLE', secret: SECRET, token: null, expiresAt: null },
    });
  });

  it('takes only the first profile of a pasted file', () => {
    const result = parsePastedCredentials(
      `[one]\naws_access_key_id=AKIAONEONEONEONEONE1\naws_secret_access_key=${SECRET}\n[two]\naws_access_key_id=AKIATWOTWOTWOTWOTWO2\n`,
    );
    expect(result.ok && result.value.key).toBe('AKIAONEONEONEONEONE1');
  });

  it('strips line breaks that wrapped a long token', () => {
    const wrapped = JSON.stringify({ Credentials: { AccessKeyId: KEY, SecretAccessKey: SECRET, SessionToken: 'abc\ndef ghi', Expiration: EXPIRES } });
    expect(parsePastedCredentials(wrapped)).toMatchObject({ ok: true, value: { token: 'abcdefghi' } });
  });
});

describe('parsePastedCredentials: refused with a clear message', () => {
  it.each<[string, string, string]>([
    ['empty', '   ', 'Paste the output of aws sts assume-role'],
    ['truncated JSON', stsJson.slice(0, 120), 'incomplete or malformed'],
    ['JSON without credentials', JSON.stringify({ UserId: 'AIDA', Account: '1', Arn: 'arn' }), 'has no credentials'],
    ['JSON array', '[1,2]', 'Found no AWS credentials'],
    ['secret missing from JSON', JSON.stringify({ Credentials: { AccessKeyId: KEY } }), 'the AWS Secret Key is missing'],
    ['env lines cut off', `export AWS_ACCESS_KEY_ID=${KEY}\nexport AWS_SESS`, 'the AWS Secret Key is missing'],
    ['profile without key', `[x]\naws_secret_access_key=${SECRET}`, 'the AWS Key is missing'],
    ['an unreadable expiry', `AWS_ACCESS_KEY_ID=${KEY}\nAWS_SECRET_ACCESS_KEY=${SECRET}\nAWS_CREDENTIAL_EXPIRATION=tomorrow`, 'not a time'],
    ['prose', 'here are my keys, please keep them safe', 'Found no AWS credentials'],
    ['an ARN', 'arn:aws:iam::123456789012:role/writer', 'Found no AWS credentials'],
  ])('%s', (_label, text, words) => {
    const result = parsePastedCredentials(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(words);
  });

  it('never echoes a pasted secret in its message', () => {
    const result = parsePastedCredentials(`aws_secret_access_key=${SECRET}`);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });
});
