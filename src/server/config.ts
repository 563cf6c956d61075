import ipaddr from 'ipaddr.js';
import fs from 'node:fs';
import path from 'node:path';
import { AllowedHostsError, allowedHostsFrom, type AllowedHost } from './security/allowed-hosts.ts';
import { AllowlistError, parseAllowlist } from './security/ssrf-guard.ts';
import { oidcConfig, OidcConfigError, type OidcConfig } from './oidc-config.ts';
import type { RoleBaseKey } from './check/role-sessions.ts';
import type { CheckOptions } from '../shared/s3-config.ts';
import { parseEmail } from '../shared/email-address.ts';
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

function accountAllowlist(env: NodeJS.ProcessEnv): string[] | null {
  const raw = env.IAM_ROLE_ACCOUNT_ALLOWLIST?.trim();
  if (!raw) return null;
  const accounts = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const wrong = accounts.find((account) => !/^\d{12}$/.test(account));
  if (wrong !== undefined) throw new ConfigError(`IAM_ROLE_ACCOUNT_ALLOWLIST takes 12-digit AWS account IDs separated by commas (got "${wrong}")`);
  return accounts;
}

function roleBase(env: NodeJS.ProcessEnv): RoleBaseKey {
  const accessKeyId = env.AWS_ROLE_BASE_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_ROLE_BASE_SECRET_ACCESS_KEY?.trim();
  const sessionToken = env.AWS_ROLE_BASE_SESSION_TOKEN?.trim();
  if (!accessKeyId && !secretAccessKey) {
    if (sessionToken) throw new ConfigError('AWS_ROLE_BASE_SESSION_TOKEN needs AWS_ROLE_BASE_ACCESS_KEY_ID and AWS_ROLE_BASE_SECRET_ACCESS_KEY');
    return null;
  }
  if (!accessKeyId || !secretAccessKey) {
    throw new ConfigError('Set both AWS_ROLE_BASE_ACCESS_KEY_ID and AWS_ROLE_BASE_SECRET_ACCESS_KEY, or neither (the SDK credential chain is used then)');
  }
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}

function boolean(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return false;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false (got "${raw}")`);
}

// proxy-addr's names for address ranges, which Fastify's trustProxy accepts beside addresses and CIDRs.
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function trustProxy(env: NodeJS.ProcessEnv): TrustProxy {
  const raw = env.TRUST_PROXY?.trim();
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
  const entries = raw.split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    if (!PROXY_RANGE_NAMES.includes(entry) && !ipaddr.isValid(entry) && !ipaddr.isValidCIDR(entry)) {
      throw new ConfigError(`TRUST_PROXY entry "${entry}" is not a hop count, an IP address, a CIDR or one of ${PROXY_RANGE_NAMES.join(', ')}`);
    }
  }
  return entries;
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY'];

/** Whether an outbound proxy is set; each set one must be an http(s):// URL of a proxy (no path). */
function outboundProxy(env: NodeJS.ProcessEnv): boolean {
  let any = false;
  for (const name of PROXY_VARIABLES) {
    const raw = (env[name] ?? env[name.toLowerCase()])?.trim();
    if (!raw) continue;
    let url: URL | null = null;
    try {
      url = new URL(raw.includes('://') ? raw : `http://${raw}`);
    } catch {
      url = null;
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || (url.pathname !== '/' && url.pathname !== '')) {
      throw new ConfigError(`${name} must be the URL of an HTTP proxy, like http://proxy.internal:3128`);
    }
    any = true;
  }
  return any;
}

/** S3_CA_BUNDLE: the PEM file's certificates, read once at startup; a missing or certificate-less file stops it. */
function caBundle(env: NodeJS.ProcessEnv): string | null {
  const file = env.S3_CA_BUNDLE?.trim();
  if (!file) return null;
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`S3_CA_BUNDLE names a file that cannot be read: ${file}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigError(`S3_CA_BUNDLE must be a PEM file of certificates (-----BEGIN CERTIFICATE-----): ${file}`);
  }
  return pem;
}

/** A guessable token would publish the app's internals: at least 32 characters, as `openssl rand -hex 16` makes. */
function metricsToken(env: NodeJS.ProcessEnv): string | null {
  const token = env.METRICS_TOKEN?.trim();
  if (!token) return null;
  if (token.length < 32) throw new ConfigError(`METRICS_TOKEN must be at least 32 characters (make one with: openssl rand -hex 32); it has ${token.length}`);
  return token;
}

/** The first admin's e-mail, by the one e-mail rule; plain "admin" (the default) until an address is set. */
function adminEmail(env: NodeJS.ProcessEnv): string {
  const value = env.ADMIN_EMAIL?.trim() || FIRST_ADMIN_NAME;
  if (value === FIRST_ADMIN_NAME) return value;
  const parsed = parseEmail(value);
  if (!parsed.ok) throw new ConfigError(`ADMIN_EMAIL must be an e-mail address, like admin@example.com (got "${value.slice(0, 40)}"): ${parsed.problem}`);
  return parsed.email;
}

/** Reads the environment of design.md's configuration table; a bad value stops startup with its name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST?.trim() || '127.0.0.1';
  const publicOrigin = (env.PUBLIC_ORIGIN?.trim() || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  let origin: URL;
  try {
    origin = new URL(publicOrigin);
  } catch {
    throw new ConfigError(`PUBLIC_ORIGIN must be an origin like https://s3-admin.example.com (got "${publicOrigin}")`);
  }
  if (origin.origin !== publicOrigin) {
    throw new ConfigError(`PUBLIC_ORIGIN must be an origin without a path, like ${origin.origin} (got "${publicOrigin}")`);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  // Shown without its password: the value is a secret of its own.
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must be a PostgreSQL URL like postgres://user:password@host:5432/db (got "${databaseUrl.split(':')[0]}:…")`);
  }
  const s3EndpointAllowlist = (env.S3_ENDPOINT_ALLOWLIST ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  try {
    parseAllowlist(s3EndpointAllowlist);
  } catch (error) {
    if (error instanceof AllowlistError) throw new ConfigError(error.message);
    throw error;
  }
  const webhookAllowlist = (env.WEBHOOK_ALLOWLIST ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  try {
    parseAllowlist(webhookAllowlist);
  } catch (error) {
    if (error instanceof AllowlistError) throw new ConfigError(error.message.replace('S3_ENDPOINT_ALLOWLIST', 'WEBHOOK_ALLOWLIST'));
    throw error;
  }
  let allowedHosts: AllowedHost[];
  try {
    allowedHosts = allowedHostsFrom(env.ALLOWED_HOSTS, publicOrigin, host);
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
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const checkTimeoutMs = integer(env, 'CHECK_TIMEOUT_MS', 10_000, 1_000, 300_000);
  return {
    port,
    host,
    publicOrigin,
    trustProxy: trustProxy(env),
    allowedHosts,
    dataDir: path.resolve(env.DATA_DIR?.trim() || './data'),
    databaseUrl,
    encryptionKey: env.APP_ENCRYPTION_KEY?.trim() || null,
    encryptionPreviousKey: env.APP_ENCRYPTION_KEY_PREVIOUS?.trim() || null,
    encryptionNextKey: env.APP_ENCRYPTION_KEY_NEXT?.trim() || null,
    adminPassword: env.ADMIN_PASSWORD || null,
    adminEmail: adminEmail(env),
    checkTimeoutMs,
    checkConcurrency: integer(env, 'CHECK_CONCURRENCY', 8, 1, 256),
    checkRatePerMin: integer(env, 'CHECK_RATE_PER_MIN', 30, 1, 10_000),
    signInRatePerMin: integer(env, 'SIGN_IN_RATE_PER_MIN', 10, 1, 10_000),
    writeRatePerMin: integer(env, 'WRITE_RATE_PER_MIN', 20, 1, 10_000),
    metricsToken: metricsToken(env),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', checkTimeoutMs + 5_000, 0, 600_000),
    s3EndpointAllowlist,
    webhookAllowlist,
    s3CaBundle: caBundle(env),
    outboundProxy: outboundProxy(env),
    allowAmbientCredentials: boolean(env, 'ALLOW_AMBIENT_CREDENTIALS_S3'),
    allowIamRoles: boolean(env, 'ALLOW_IAM_ROLES'),
    iamRoleAccountAllowlist: accountAllowlist(env),
    roleBase: roleBase(env),
    scheduledChecks: env.SCHEDULED_CHECKS === undefined || env.SCHEDULED_CHECKS.trim() === '' ? true : boolean(env, 'SCHEDULED_CHECKS'),
    oidc,
    logLevel,
  };
}
