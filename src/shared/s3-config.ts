import type { Provider } from './providers.ts';
import { parseBucketUri } from './bucket-uri.ts';
import { accountAllowed, EXTERNAL_ID, parseRoleArn } from './iam-role.ts';

/**
 * The S3 destination config after normalisation: every optional text is either null or trimmed and non-blank.
 * Field names are Unstructured's (`remote_url`, `key`, `secret`, `token`, `endpoint_url`) plus ours.
 */
export type S3Config = {
  remote_url: string;
  anonymous: boolean;
  ambient_credentials: boolean;
  key: string | null;
  secret: string | null;
  token: string | null;
  endpoint_url: string | null;
  region: string | null;
  token_expires_at: string | null;
  /** Ours: the customer's role this server assumes (the "IAM role" method), or null. */
  role_arn: string | null;
  /** Ours: the external ID the server made for this connector's role (read-only to clients), or null. */
  external_id: string | null;
};

export type S3ConfigField = keyof S3Config;

/** What a client may send: optional texts may be blank, omitted or null. */
export type S3ConfigDraft = {
  remote_url: string;
  anonymous?: boolean | undefined;
  ambient_credentials?: boolean | undefined;
  /** Ours, kept with a saved destination for the form; the check ignores it. */
  provider?: Provider | null | undefined;
} & { [F in 'key' | 'secret' | 'token' | 'endpoint_url' | 'region' | 'token_expires_at' | 'role_arn' | 'external_id']?: string | null | undefined };

export type ConfigIssue = { field: S3ConfigField; type: string; message: string };

export type CheckOptions = {
  allowAmbientCredentials: boolean;
  /** ALLOW_IAM_ROLES: the "IAM role" method is offered (off when omitted). */
  allowIamRoles?: boolean;
  /** IAM_ROLE_ACCOUNT_ALLOWLIST: the accounts whose roles may be named (any when null or omitted). */
  iamRoleAccounts?: readonly string[] | null;
};

export const TOKEN_MAX_BYTES = 16 * 1024;
/** How a saved secret or token is shown (as Unstructured shows them): never the value itself. */
export const SECRET_MASK = '**********';
const AWS_KEY = /^[A-Z0-9]{16,128}$/;
const AWS_SECRET = /^[A-Za-z0-9/+=]{40}$/;
const AWS_TOKEN = /^[A-Za-z0-9/+=]+$/;
const PRINTABLE = /^[\x20-\x7E]+$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const OTHER_REGION = /^[A-Za-z0-9_-]{1,64}$/;
// RFC 3339 with a mandatory offset; Date.parse then rejects impossible dates such as February 30.
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const blankToNull = (value: string | null | undefined): string | null => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
};

/** Trims texts, turns blanks into null, strips whitespace pasted into a token, canonicalises URLs and times. */
export function normalizeS3Config(draft: S3ConfigDraft): S3Config {
  const token = draft.token == null ? null : draft.token.replace(/\s+/g, '');
  const expiry = blankToNull(draft.token_expires_at);
  const endpoint = blankToNull(draft.endpoint_url);
  return {
    remote_url: draft.remote_url.trim(),
    anonymous: draft.anonymous ?? false,
    ambient_credentials: draft.ambient_credentials ?? false,
    key: blankToNull(draft.key),
    secret: blankToNull(draft.secret),
    token: token === '' ? null : token,
    endpoint_url: endpoint,
    region: blankToNull(draft.region),
    token_expires_at: expiry,
    role_arn: blankToNull(draft.role_arn),
    external_id: blankToNull(draft.external_id),
  };
}

type ParsedEndpoint = { ok: true; url: string; protocol: 'http:' | 'https:' } | { ok: false; message: string; type: string };

export function parseEndpointUrl(value: string): ParsedEndpoint {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, type: 'endpoint_invalid', message: 'Enter the Custom URL as a full address, like https://minio.example.com:9000' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, type: 'endpoint_scheme', message: 'The Custom URL must start with https:// (or http://)' };
  }
  if (!url.hostname) return { ok: false, type: 'endpoint_host', message: 'The Custom URL needs a host name' };
  if (url.username || url.password) {
    return {
      ok: false,
      type: 'endpoint_userinfo',
      message: 'Remove the user name and password from the Custom URL: credentials go in AWS Key and AWS Secret Key',
    };
  }
  if (url.search || value.includes('?')) return { ok: false, type: 'endpoint_query', message: "The Custom URL can't have a query string (?…)" };
  if (url.hash || value.includes('#')) return { ok: false, type: 'endpoint_fragment', message: "The Custom URL can't have a fragment (#…)" };
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/+$/, '');
  return { ok: true, url: `${url.protocol}//${url.host}${path}`, protocol: url.protocol };
}

/**
 * Every field rule of the S3 destination, applied to a normalised config. Returns the problems (empty when valid)
 * and the canonical config to store. Pure: the browser form and the server run exactly this.
 */
export function checkS3Config(config: S3Config, options: CheckOptions): { issues: ConfigIssue[]; value: S3Config } {
  const issues: ConfigIssue[] = [];
  const add = (field: S3ConfigField, type: string, message: string) => issues.push({ field, type, message });
  const value = { ...config };
  const custom = config.endpoint_url !== null;

  if (config.endpoint_url !== null) {
    const endpoint = parseEndpointUrl(config.endpoint_url);
    if (endpoint.ok) value.endpoint_url = endpoint.url;
    else add('endpoint_url', endpoint.type, endpoint.message);
  }

  const bucket = parseBucketUri(config.remote_url, { customEndpoint: custom, ambientCredentials: config.ambient_credentials });
  if (bucket.ok) value.remote_url = bucket.value.normalized;
  else add('remote_url', bucket.problem.type, bucket.problem.message);

  if (config.anonymous && config.ambient_credentials) {
    add('ambient_credentials', 'method_conflict', 'Choose either anonymous access or ambient credentials, not both');
  } else if (config.ambient_credentials && custom) {
    // The server's own key and session token would be signed into requests to whatever host the Custom URL names.
    add(
      'ambient_credentials',
      'ambient_custom_url',
      'Server credentials are only ever sent to Amazon S3, never to a Custom URL: choose access keys for this service, or Amazon S3 without a Custom URL',
    );
  } else if (config.ambient_credentials && !options.allowAmbientCredentials) {
    add(
      'ambient_credentials',
      'ambient_disabled',
      'Ambient credentials are turned off on this server; an administrator can allow them with ALLOW_AMBIENT_CREDENTIALS_S3=true',
    );
  }

  if (config.role_arn !== null) checkRole(config, custom, options, add);
  // Only a role has one; one that is not in STS's alphabet was not made by any server.
  if (config.role_arn === null) value.external_id = null;
  else if (config.external_id !== null && !EXTERNAL_ID.test(config.external_id)) {
    add('external_id', 'external_id_format', 'This external ID was not made by this server: leave it out and the server makes one');
  }

  if (config.anonymous || config.ambient_credentials || config.role_arn !== null) {
    const method = config.anonymous ? 'Anonymous access' : config.ambient_credentials ? 'Ambient credentials' : 'An IAM role';
    if (config.key !== null) add('key', 'key_not_allowed', `${method} doesn't use an AWS Key: clear it or choose another method`);
    if (config.secret !== null) add('secret', 'secret_not_allowed', `${method} doesn't use an AWS Secret Key: clear it or choose another method`);
    if (config.token !== null) add('token', 'token_not_allowed', `${method} doesn't use an STS Token: clear it or choose another method`);
  } else {
    checkKeyAndSecret(config, custom, add);
  }

  if (config.token !== null) checkToken(config.token, custom, add);
  if (config.token_expires_at !== null) {
    const expiry = parseRfc3339(config.token_expires_at);
    if (expiry === null) {
      add('token_expires_at', 'expiry_format', 'Enter the expiry as an RFC 3339 time with a time zone, like 2026-11-24T18:30:00Z');
    } else if (config.token === null) {
      add('token_expires_at', 'expiry_without_token', 'An expiry applies only to temporary credentials: add the STS Token or clear the expiry');
    } else {
      value.token_expires_at = expiry;
    }
  }

  if (config.region !== null && !(custom ? OTHER_REGION : AWS_REGION).test(config.region)) {
    add(
      'region',
      'region_format',
      custom
        ? 'Regions can contain only letters, digits, hyphens and underscores (at most 64), like us-east-1 or auto'
        : 'AWS regions look like us-east-1 or eu-west-2: lowercase letters, hyphens and a number',
    );
  }
  return { issues, value };
}

type AddIssue = (field: S3ConfigField, type: string, message: string) => void;

function checkRole(config: S3Config, custom: boolean, options: CheckOptions, add: AddIssue) {
  const role = config.role_arn ?? '';
  if (config.anonymous || config.ambient_credentials) {
    add('role_arn', 'method_conflict', `Choose either an IAM role or ${config.anonymous ? 'anonymous access' : 'ambient credentials'}, not both`);
  } else if (custom) {
    // The server's own credentials sign AssumeRole, and the role's credentials are AWS's: neither goes to a Custom URL.
    add('role_arn', 'role_custom_url', 'IAM roles work with Amazon S3 only, never with a Custom URL: choose access keys for this service');
  } else if (!options.allowIamRoles) {
    add('role_arn', 'role_disabled', 'IAM roles are turned off on this server; an administrator can allow them with ALLOW_IAM_ROLES=true');
  } else {
    const parsed = parseRoleArn(role);
    if (!parsed.ok) add('role_arn', parsed.problem.type, parsed.problem.message);
    else if (!accountAllowed(parsed.value.account, options.iamRoleAccounts ?? null)) {
      add(
        'role_arn',
        'role_account_not_allowed',
        `This server may not assume roles in account ${parsed.value.account}; an administrator lists the allowed accounts in IAM_ROLE_ACCOUNT_ALLOWLIST`,
      );
    }
  }
}

function checkKeyAndSecret(config: S3Config, custom: boolean, add: AddIssue) {
  const { key, secret, token } = config;
  if (key === null) {
    add('key', 'key_missing', 'Enter the AWS Key (an access key ID such as AKIA…), or choose anonymous access');
  } else if (custom) {
    if (!PRINTABLE.test(key)) add('key', 'key_chars', 'The AWS Key can contain only printable characters');
  } else if (!/^[A-Z0-9]+$/.test(key)) {
    add('key', 'key_chars', 'AWS Keys contain only uppercase letters and digits, like AKIAIOSFODNN7EXAMPLE');
  } else if (!AWS_KEY.test(key)) {
    add('key', 'key_length', `AWS Keys are 16 to 128 characters long (this one has ${key.length})`);
  } else if (key.startsWith('ASIA') && token === null) {
    add('token', 'token_missing', 'Keys starting with ASIA are temporary: enter the STS Token that came with them');
  }

  if (secret === null) {
    if (key !== null || token !== null) add('secret', 'secret_missing', 'Enter the AWS Secret Key that belongs to this AWS Key');
  } else if (secret === SECRET_MASK) {
    // Sent back from a response: a placeholder for a saved secret, and there is none saved to stand for here.
    add('secret', 'secret_masked', `${SECRET_MASK} stands for a saved AWS Secret Key and there is none here: enter the AWS Secret Key itself`);
  } else if (custom) {
    if (!PRINTABLE.test(secret)) add('secret', 'secret_chars', 'The AWS Secret Key can contain only printable characters');
  } else if (!AWS_SECRET.test(secret)) {
    // Never quote the value: the message may reach a log.
    add('secret', 'secret_format', 'AWS Secret Keys are exactly 40 characters of letters, digits, / + and =');
  }
}

function checkToken(token: string, custom: boolean, add: AddIssue) {
  if (token === SECRET_MASK) {
    add('token', 'token_masked', `${SECRET_MASK} stands for a saved STS Token and there is none here: enter the STS Token itself`);
  } else if (token.length > TOKEN_MAX_BYTES) {
    add('token', 'token_too_long', `STS Tokens are at most 16 KiB (this one is ${Math.ceil(token.length / 1024)} KiB)`);
  } else if (!(custom ? PRINTABLE : AWS_TOKEN).test(token)) {
    add(
      'token',
      'token_chars',
      custom ? 'The STS Token can contain only printable characters' : 'STS Tokens contain only letters, digits, / + and =',
    );
  }
}

/** RFC 3339 with a time zone → `toISOString()` form, or null. */
export function parseRfc3339(value: string): string | null {
  if (!RFC3339.test(value)) return null;
  const time = Date.parse(value.replace(' ', 'T'));
  if (Number.isNaN(time)) return null;
  const [, month, day] = /^\d{4}-(\d{2})-(\d{2})/.exec(value) ?? [];
  const date = new Date(Date.UTC(Number(value.slice(0, 4)), Number(month) - 1, Number(day)));
  // Date.parse rolls 2026-02-30 over to March: refuse days a calendar does not have.
  if (date.getUTCDate() !== Number(day)) return null;
  return new Date(time).toISOString();
}
