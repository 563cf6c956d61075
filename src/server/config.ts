import ipaddr from 'ipaddr.js';
import * as z from 'zod';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AllowedHostsError, allowedHostsFrom, type AllowedHost } from './security/allowed-hosts.ts';
import { AllowlistError, parseAllowlist } from './security/ssrf-guard.ts';
import { oidcConfig, OidcConfigError, type OidcConfig } from './oidc-config.ts';
import type { RoleBaseKey } from './check/role-sessions.ts';
import type { CheckOptions } from '#shared/s3-config';
import { parseEmail } from '#shared/email-address';
import { FIRST_ADMIN_NAME } from './security/first-admin.ts';

/** Fastify's `trustProxy` forms we accept: none, a hop count, or the proxies' addresses and CIDRs. Never `true`. */
export type TrustProxy = false | number | string[];

export type AppConfig = {
  port: number;
  host: string;
  publicOrigin: string;
  trustProxy: TrustProxy;
  allowedHosts: AllowedHost[];
  dataDir: string;
  databaseUrl: string | null;
  /** DATABASE_POOL_SIZE: PostgreSQL connections this instance may hold at once (SQLite: unused). */
  databasePoolSize: number;
  encryptionKey: string | null;
  encryptionPreviousKey: string | null;
  /** APP_ENCRYPTION_KEY_NEXT: a key held before a rotation moves writes to it, so no instance is left without it. */
  encryptionNextKey: string | null;
  adminPassword: string | null;
  /** How the first admin signs in ('admin' unless ADMIN_EMAIL says otherwise). */
  adminEmail: string;
  checkTimeoutMs: number;
  checkConcurrency: number;
  checkRatePerMin: number;
  signInRatePerMin: number;
  /**
   * WRITE_RATE_PER_MIN: what one principal may make per minute of each thing that lasts or is sent on — invitations,
   * one-time links, API keys, test events to a webhook. Generous for people, short for a script.
   */
  writeRatePerMin: number;
  /** SHUTDOWN_GRACE_MS: how long a stop lets running checks finish before it interrupts them. */
  shutdownGraceMs: number;
  /** METRICS_TOKEN: the bearer token GET /metrics asks for; null turns metrics off. */
  metricsToken: string | null;
  /** ACTIVITY_RETENTION_DAYS: how long the activity log keeps an entry. */
  activityRetentionDays: number;
  s3EndpointAllowlist: string[];
  /** PEM certificates of extra authorities trusted for Custom URLs (S3_CA_BUNDLE), or null. */
  s3CaBundle: string | null;
  /** HTTPS_PROXY, HTTP_PROXY or ALL_PROXY is set: the check reaches endpoints through it (NO_PROXY honoured). */
  outboundProxy: boolean;
  allowAmbientCredentials: boolean;
  /** ALLOW_IAM_ROLES: offer the "IAM role" method (the server assumes customers' roles with its own identity). */
  allowIamRoles: boolean;
  /** IAM_ROLE_ACCOUNT_ALLOWLIST: the AWS accounts whose roles may be named; null: any. */
  iamRoleAccountAllowlist: string[] | null;
  /** AWS_ROLE_BASE_*: the key the server assumes roles with; null: the SDK's credential chain. */
  roleBase: RoleBaseKey;
  /** WEBHOOK_ALLOWLIST: webhook receivers inside private networks that alerts may reach. */
  webhookAllowlist: string[];
  /** SCHEDULED_CHECKS: whether this instance starts destinations' scheduled checks (default true). */
  scheduledChecks: boolean;
  /** Single sign-on (OIDC_*), or null. */
  oidc: OidcConfig | null;
  logLevel: string;
};

export class ConfigError extends Error {}

/** The field rules' view of the server's settings: which credentials methods it offers. */
export const checkOptionsOf = (config: AppConfig): CheckOptions => ({
  allowAmbientCredentials: config.allowAmbientCredentials,
  allowIamRoles: config.allowIamRoles,
  iamRoleAccounts: config.iamRoleAccountAllowlist,
});

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Parse<T> = (raw: string | undefined) => T;

/**
 * One variable's schema: the raw value (absent or a string), parsed by `parse`, whose ConfigError becomes the issue
 * that stops the start with the variable's own words.
 */
const setting = <T>(parse: Parse<T>) =>
  z
    .string()
    .optional()
    .transform((raw, context): T => {
      try {
        return parse(raw);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        context.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    });

const trimmed = (raw: string | undefined) => raw?.trim() || null;

const integer =
  (name: string, fallback: number, min: number, max: number): Parse<number | null> =>
  (value) => {
    const raw = value?.trim();
    if (!raw) return fallback === -1 ? null : fallback;
    const parsed = Number(raw);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return parsed;
  };

const boolean =
  (name: string, fallback: boolean): Parse<boolean> =>
  (value) => {
    const raw = value?.trim().toLowerCase();
    if (!raw) return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    throw new ConfigError(`${name} must be true or false (got "${raw}")`);
  };

const list = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);

function allowlist(name: string): Parse<string[]> {
  return (raw) => {
    const entries = list(raw);
    try {
      parseAllowlist(entries);
    } catch (error) {
      if (error instanceof AllowlistError) throw new ConfigError(error.message.replace('S3_ENDPOINT_ALLOWLIST', name));
      throw error;
    }
    return entries;
  };
}

// proxy-addr's names for address ranges, which Fastify's trustProxy accepts beside addresses and CIDRs.
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

const trustProxy: Parse<TrustProxy> = (value) => {
  const raw = value?.trim();
  if (!raw || ['false', 'no', 'off', '0'].includes(raw.toLowerCase())) return false;
  if (['true', 'yes', 'on'].includes(raw.toLowerCase())) {
    throw new ConfigError(
      'TRUST_PROXY=true would trust every X-Forwarded-For hop, so any client could choose its own address: set the number of ' +
        'proxies in front of the app (TRUST_PROXY=1) or their addresses (TRUST_PROXY=10.0.0.5,10.0.1.0/24)',
    );
  }
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > 10) throw new ConfigError(`TRUST_PROXY must be a hop count from 1 to 10, or proxy addresses (got "${raw}")`);
    return hops;
  }
  const entries = list(raw);
  for (const entry of entries) {
    if (!PROXY_RANGE_NAMES.includes(entry) && !ipaddr.isValid(entry) && !ipaddr.isValidCIDR(entry)) {
      throw new ConfigError(`TRUST_PROXY entry "${entry}" is not a hop count, an IP address, a CIDR or one of ${PROXY_RANGE_NAMES.join(', ')}`);
    }
  }
  return entries;
};

/** An outbound proxy's URL: an http(s):// URL of a proxy (no path); also read in lower case, as curl and the SDK do. */
const proxyUrl =
  (name: string): Parse<string | null> =>
  (value) => {
    const raw = value?.trim();
    if (!raw) return null;
    let url: URL | null = null;
    try {
      url = new URL(raw.includes('://') ? raw : `http://${raw}`);
    } catch {
      url = null;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || (url.pathname !== '/' && url.pathname !== '')) {
      throw new ConfigError(`${name} must be the URL of an HTTP proxy, like http://proxy.internal:3128`);
    }
    return raw;
  };

/** S3_CA_BUNDLE: the PEM file's certificates, read once at startup; a missing or certificate-less file stops it. */
const caBundle: Parse<string | null> = (value) => {
  const file = value?.trim();
  if (!file) return null;
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`S3_CA_BUNDLE names a file that cannot be read: ${file}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new ConfigError(`S3_CA_BUNDLE must be a PEM file of certificates (-----BEGIN CERTIFICATE-----): ${file}`);
  return pem;
};

/** A guessable token would publish the app's internals: at least 32 characters, as `openssl rand -hex 16` makes. */
const metricsToken: Parse<string | null> = (value) => {
  const token = value?.trim();
  if (!token) return null;
  if (token.length < 32)
    throw new ConfigError(`METRICS_TOKEN must be at least 32 characters (make one with: openssl rand -hex 32); it has ${token.length}`);
  return token;
};

/** The first admin's e-mail, by the one e-mail rule; plain "admin" (the default) until an address is set. */
const adminEmail: Parse<string> = (raw) => {
  const value = raw?.trim() || FIRST_ADMIN_NAME;
  if (value === FIRST_ADMIN_NAME) return value;
  const parsed = parseEmail(value);
  if (!parsed.ok)
    throw new ConfigError(`ADMIN_EMAIL must be an e-mail address, like admin@example.com (got "${value.slice(0, 40)}"): ${parsed.problem}`);
  return parsed.email;
};

const databaseUrl: Parse<string | null> = (raw) => {
  const url = raw?.trim() || null;
  // Shown without its password: the value is a secret of its own.
  if (url !== null && !/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError(`DATABASE_URL must be a PostgreSQL URL like postgres://user:password@host:5432/db (got "${url.split(':')[0]}:…")`);
  }
  return url;
};

const accountAllowlist: Parse<string[] | null> = (raw) => {
  const accounts = list(raw);
  if (accounts.length === 0) return null;
  const wrong = accounts.find((account) => !/^\d{12}$/.test(account));
  if (wrong !== undefined) throw new ConfigError(`IAM_ROLE_ACCOUNT_ALLOWLIST takes 12-digit AWS account IDs separated by commas (got "${wrong}")`);
  return accounts;
};

const logLevel: Parse<string> = (raw) => {
  const level = raw?.trim() || 'info';
  if (!LOG_LEVELS.includes(level)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  return level;
};

/**
 * Every environment variable the app reads, each with its own rule: the one schema of the configuration. Its keys
 * are the settings (`SETTINGS`): settings.test.ts holds the README's tables to them, and the start warns about a
 * variable that looks like one but is not. What ties several together (the origin and the hosts, the OIDC group, the
 * base identity) is decided after, in `loadConfig`.
 */
export const SettingsSchema = z.object({
  PORT: setting(integer('PORT', 8080, 0, 65535)),
  HOST: setting((raw) => raw?.trim() || '127.0.0.1'),
  PUBLIC_ORIGIN: setting(trimmed),
  ALLOWED_HOSTS: setting((raw) => raw),
  TRUST_PROXY: setting(trustProxy),
  DATA_DIR: setting((raw) => path.resolve(raw?.trim() || './data')),
  DATABASE_URL: setting(databaseUrl),
  DATABASE_POOL_SIZE: setting(integer('DATABASE_POOL_SIZE', 20, 2, 500)),
  APP_ENCRYPTION_KEY: setting(trimmed),
  APP_ENCRYPTION_KEY_PREVIOUS: setting(trimmed),
  APP_ENCRYPTION_KEY_NEXT: setting(trimmed),
  // Read by `npm run rotate-key` alone.
  NEW_APP_ENCRYPTION_KEY: setting(trimmed),
  ADMIN_EMAIL: setting(adminEmail),
  ADMIN_PASSWORD: setting((raw) => raw || null),
  SCHEDULED_CHECKS: setting(boolean('SCHEDULED_CHECKS', true)),
  CHECK_TIMEOUT_MS: setting(integer('CHECK_TIMEOUT_MS', 10_000, 1_000, 300_000)),
  CHECK_CONCURRENCY: setting(integer('CHECK_CONCURRENCY', 8, 1, 256)),
  CHECK_RATE_PER_MIN: setting(integer('CHECK_RATE_PER_MIN', 30, 1, 10_000)),
  SIGN_IN_RATE_PER_MIN: setting(integer('SIGN_IN_RATE_PER_MIN', 10, 1, 10_000)),
  WRITE_RATE_PER_MIN: setting(integer('WRITE_RATE_PER_MIN', 20, 1, 10_000)),
  // Its default follows CHECK_TIMEOUT_MS (loadConfig): -1 here stands for "not set".
  SHUTDOWN_GRACE_MS: setting(integer('SHUTDOWN_GRACE_MS', -1, 0, 600_000)),
  S3_ENDPOINT_ALLOWLIST: setting(allowlist('S3_ENDPOINT_ALLOWLIST')),
  HTTPS_PROXY: setting(proxyUrl('HTTPS_PROXY')),
  HTTP_PROXY: setting(proxyUrl('HTTP_PROXY')),
  NO_PROXY: setting(trimmed),
  S3_CA_BUNDLE: setting(caBundle),
  ALLOW_AMBIENT_CREDENTIALS_S3: setting(boolean('ALLOW_AMBIENT_CREDENTIALS_S3', false)),
  ALLOW_IAM_ROLES: setting(boolean('ALLOW_IAM_ROLES', false)),
  IAM_ROLE_ACCOUNT_ALLOWLIST: setting(accountAllowlist),
  AWS_ROLE_BASE_ACCESS_KEY_ID: setting(trimmed),
  AWS_ROLE_BASE_SECRET_ACCESS_KEY: setting(trimmed),
  AWS_ROLE_BASE_SESSION_TOKEN: setting(trimmed),
  WEBHOOK_ALLOWLIST: setting(allowlist('WEBHOOK_ALLOWLIST')),
  METRICS_TOKEN: setting(metricsToken),
  ACTIVITY_RETENTION_DAYS: setting(integer('ACTIVITY_RETENTION_DAYS', 365, 1, 36_500)),
  LOG_LEVEL: setting(logLevel),
  OIDC_ISSUER: setting(trimmed),
  OIDC_CLIENT_ID: setting(trimmed),
  OIDC_CLIENT_SECRET: setting(trimmed),
  OIDC_PROVIDER_NAME: setting(trimmed),
  OIDC_SCOPES: setting(trimmed),
  OIDC_ROLE_CLAIM: setting(trimmed),
  OIDC_ROLE_MAP: setting(trimmed),
  OIDC_DEFAULT_ROLE: setting(trimmed),
  OIDC_TRUSTED_EMAIL_ISSUER: setting(trimmed),
});

function roleBase(values: z.output<typeof SettingsSchema>): RoleBaseKey {
  const {
    AWS_ROLE_BASE_ACCESS_KEY_ID: accessKeyId,
    AWS_ROLE_BASE_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_ROLE_BASE_SESSION_TOKEN: sessionToken,
  } = values;
  if (!accessKeyId && !secretAccessKey) {
    if (sessionToken) throw new ConfigError('AWS_ROLE_BASE_SESSION_TOKEN needs AWS_ROLE_BASE_ACCESS_KEY_ID and AWS_ROLE_BASE_SECRET_ACCESS_KEY');
    return null;
  }
  if (!accessKeyId || !secretAccessKey) {
    throw new ConfigError(
      'Set both AWS_ROLE_BASE_ACCESS_KEY_ID and AWS_ROLE_BASE_SECRET_ACCESS_KEY, or neither (the SDK credential chain is used then)',
    );
  }
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

/** Reads the environment through SettingsSchema; a bad value stops startup with its name. */
/**
 * The compiled server runs the compiled shared code: dist/package.json, which the build writes, sends its `#shared/…`
 * imports to dist/shared (decision 028). A dist/ copied without that file would send them to src/shared's TypeScript
 * sources where those are present, beside the compiled server: refused rather than run half compiled. Every entry
 * point (the server, set-password, rotate-key, backup) reads its configuration first, so it is checked here.
 */
function assertCompiledShared() {
  const shared = import.meta.resolve('#shared/permissions');
  if (import.meta.url.endsWith('.js') && !shared.endsWith('.js')) {
    throw new ConfigError(
      `the compiled server would run the TypeScript sources of src/shared (${fileURLToPath(shared)}): dist/package.json is missing; run npm run build, or copy dist/ whole`,
    );
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  assertCompiledShared();
  // The proxy variables are honoured in lower case too (curl's and the SDK's habit).
  const withProxies = { ...env, HTTPS_PROXY: env.HTTPS_PROXY ?? env.https_proxy, HTTP_PROXY: env.HTTP_PROXY ?? env.http_proxy };
  const parsed = SettingsSchema.safeParse(withProxies);
  if (!parsed.success) throw new ConfigError(parsed.error.issues[0]?.message ?? 'The configuration is not valid');
  const values = parsed.data;
  const port = values.PORT as number;
  const host = values.HOST;
  const publicOrigin = (values.PUBLIC_ORIGIN || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  let origin: URL;
  try {
    origin = new URL(publicOrigin);
  } catch {
    throw new ConfigError(`PUBLIC_ORIGIN must be an origin like https://s3-admin.example.com (got "${publicOrigin}")`);
  }
  if (origin.origin !== publicOrigin) {
    throw new ConfigError(`PUBLIC_ORIGIN must be an origin without a path, like ${origin.origin} (got "${publicOrigin}")`);
  }
  let allowedHosts: AllowedHost[];
  try {
    allowedHosts = allowedHostsFrom(values.ALLOWED_HOSTS, publicOrigin, host);
  } catch (error) {
    if (error instanceof AllowedHostsError) throw new ConfigError(error.message);
    throw error;
  }
  let oidc: OidcConfig | null;
  try {
    oidc = oidcConfig(env);
  } catch (error) {
    if (error instanceof OidcConfigError) throw new ConfigError(error.message);
    throw error;
  }
  const checkTimeoutMs = values.CHECK_TIMEOUT_MS as number;
  return {
    port,
    host,
    publicOrigin,
    trustProxy: values.TRUST_PROXY,
    allowedHosts,
    dataDir: values.DATA_DIR,
    databaseUrl: values.DATABASE_URL,
    databasePoolSize: values.DATABASE_POOL_SIZE as number,
    encryptionKey: values.APP_ENCRYPTION_KEY,
    encryptionPreviousKey: values.APP_ENCRYPTION_KEY_PREVIOUS,
    encryptionNextKey: values.APP_ENCRYPTION_KEY_NEXT,
    adminPassword: values.ADMIN_PASSWORD,
    adminEmail: values.ADMIN_EMAIL,
    checkTimeoutMs,
    checkConcurrency: values.CHECK_CONCURRENCY as number,
    checkRatePerMin: values.CHECK_RATE_PER_MIN as number,
    signInRatePerMin: values.SIGN_IN_RATE_PER_MIN as number,
    writeRatePerMin: values.WRITE_RATE_PER_MIN as number,
    metricsToken: values.METRICS_TOKEN,
    activityRetentionDays: values.ACTIVITY_RETENTION_DAYS as number,
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS ?? checkTimeoutMs + 5_000,
    s3EndpointAllowlist: values.S3_ENDPOINT_ALLOWLIST,
    webhookAllowlist: values.WEBHOOK_ALLOWLIST,
    s3CaBundle: values.S3_CA_BUNDLE,
    outboundProxy: values.HTTPS_PROXY !== null || values.HTTP_PROXY !== null || proxyUrl('ALL_PROXY')(env.ALL_PROXY ?? env.all_proxy) !== null,
    allowAmbientCredentials: values.ALLOW_AMBIENT_CREDENTIALS_S3,
    allowIamRoles: values.ALLOW_IAM_ROLES,
    iamRoleAccountAllowlist: values.IAM_ROLE_ACCOUNT_ALLOWLIST,
    roleBase: roleBase(values),
    scheduledChecks: values.SCHEDULED_CHECKS,
    oidc,
    logLevel: values.LOG_LEVEL,
  };
}
