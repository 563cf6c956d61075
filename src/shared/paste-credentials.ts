/**
 * Reads credentials pasted from the AWS CLI or a credentials file. Pure: the pasted text never leaves the browser.
 */
export type PasteFormat = 'sts-json' | 'process-json' | 'env' | 'powershell' | 'cmd' | 'credentials-file';

export type PastedCredentials = {
  format: PasteFormat;
  key: string;
  secret: string;
  token: string | null;
  /** RFC 3339 (toISOString), or null when the paste did not say. */
  expiresAt: string | null;
};

export type PasteResult = { ok: true; value: PastedCredentials } | { ok: false; message: string };

export const PASTE_FORMAT_LABEL: Record<PasteFormat, string> = {
  'sts-json': 'aws sts output (JSON)',
  'process-json': 'aws configure export-credentials (JSON)',
  env: 'environment variables',
  powershell: 'PowerShell $Env: lines',
  cmd: 'Windows cmd set lines',
  'credentials-file': '~/.aws/credentials profile',
};

const HOW = 'Paste the output of aws sts assume-role or get-session-token, aws configure export-credentials, or an ~/.aws/credentials profile';

function toIso(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const time = Date.parse(value.trim());
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function result(format: PasteFormat, fields: Record<string, string | undefined>, names: [string, string, string, string]): PasteResult {
  const [keyName, secretName, tokenName, expiryName] = names;
  const key = fields[keyName]?.trim();
  const secret = fields[secretName]?.trim();
  if (!key || !secret) {
    const missing = [!key && 'the AWS Key', !secret && 'the AWS Secret Key'].filter(Boolean).join(' and ');
    return { ok: false, message: `This looks like ${PASTE_FORMAT_LABEL[format]}, but ${missing} is missing: was it cut off?` };
  }
  const expiryText = fields[expiryName];
  const expiresAt = toIso(expiryText);
  if (expiryText && expiryText.trim() !== '' && expiresAt === null) {
    return { ok: false, message: `The expiry "${expiryText.trim().slice(0, 40)}" is not a time this app can read.` };
  }
  const token = fields[tokenName]?.replace(/\s+/g, '') || null;
  return { ok: true, value: { format, key, secret, token, expiresAt } };
}

function fromJson(text: string): PasteResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { ok: false, message: `This looks like JSON but it is incomplete or malformed: copy the whole output again. ${HOW}.` };
  }
  if (typeof data !== 'object' || data === null) return { ok: false, message: HOW };
  const record = data as Record<string, unknown>;
  const strings = (object: unknown) =>
    Object.fromEntries(
      Object.entries((object ?? {}) as Record<string, unknown>).map(([name, value]) => [name, typeof value === 'string' ? value : undefined]),
    );
  const names: [string, string, string, string] = ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'];
  if (typeof record.Credentials === 'object' && record.Credentials !== null) return result('sts-json', strings(record.Credentials), names);
  if ('AccessKeyId' in record || 'Version' in record) return result('process-json', strings(record), names);
  return { ok: false, message: `This JSON has no credentials in it. ${HOW}.` };
}

/** name=value pairs of env, PowerShell or cmd lines. */
function fromLines(text: string): PasteResult | null {
  const envNames: [string, string, string, string] = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CREDENTIAL_EXPIRATION'];
  const shapes: [PasteFormat, RegExp][] = [
    ['powershell', /^\s*\$env:([A-Z_]+)\s*=\s*(.*)$/i],
    ['cmd', /^\s*set\s+"?([A-Z_]+)=(.*?)"?\s*$/i],
    ['env', /^\s*(?:export\s+)?([A-Z_]+)=(.*)$/],
  ];
  for (const [format, shape] of shapes) {
    const fields: Record<string, string> = {};
    for (const line of text.split(/\r?\n/)) {
      const match = shape.exec(line);
      if (match?.[1]) fields[match[1].toUpperCase()] = unquote(match[2] ?? '');
    }
    if (envNames.some((name) => name in fields)) return result(format, fields, envNames);
  }
  return null;
}

function fromCredentialsFile(text: string): PasteResult | null {
  const fields: Record<string, string> = {};
  let profiles = 0;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*\[[^\]]+\]\s*$/.test(line)) {
      // Only the first profile: a paste of the whole file must not mix two identities.
      if (++profiles > 1) break;
      continue;
    }
    const match = /^\s*([a-z_]+)\s*=\s*(.*?)\s*$/i.exec(line);
    if (match?.[1]) fields[match[1].toLowerCase()] = unquote(match[2] ?? '');
  }
  if (!('aws_access_key_id' in fields) && !('aws_secret_access_key' in fields)) return null;
  return result('credentials-file', fields, ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'x_security_token_expires']);
}

const unquote = (value: string) => value.trim().replace(/^(['"])(.*)\1$/, '$2');

export function parsePastedCredentials(text: string): PasteResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: HOW };
  if (trimmed.startsWith('{')) return fromJson(trimmed);
  return fromLines(trimmed) ?? fromCredentialsFile(trimmed) ?? { ok: false, message: `Found no AWS credentials in what you pasted. ${HOW}.` };
}
