import type { S3Config } from './s3-config.ts';

export const CREDENTIALS_METHODS = ['access_key', 'temporary', 'anonymous', 'ambient', 'iam_role'] as const;
export type CredentialsMethod = (typeof CREDENTIALS_METHODS)[number];
export type CredentialsState = 'ok' | 'expiring' | 'expired' | 'unknown' | 'not_applicable';

const MINUTE = 60 * 1000;
export const WARN_AT_LEAST_MS = 15 * MINUTE;
export const WARN_AT_MOST_MS = 24 * 60 * MINUTE;

/**
 * How long before expiry the warning starts: the last quarter of the credentials' lifetime (saved → expires), at least
 * 15 minutes and at most 24 hours. 1-hour credentials warn in their last 15 minutes, 12-hour ones in their last 3 hours.
 * Without a known start (saved before the product recorded it) the lifetime is taken as long: 24 hours.
 */
export function warningWindowMs(savedAt: string | null, expiresAt: string): number {
  const lifetime = savedAt === null ? Number.NaN : Date.parse(expiresAt) - Date.parse(savedAt);
  if (!Number.isFinite(lifetime) || lifetime <= 0) return WARN_AT_MOST_MS;
  return Math.min(WARN_AT_MOST_MS, Math.max(WARN_AT_LEAST_MS, lifetime / 4));
}

export function credentialsMethod(
  config: Pick<S3Config, 'anonymous' | 'ambient_credentials' | 'role_arn'> & { has_token: boolean },
): CredentialsMethod {
  if (config.anonymous) return 'anonymous';
  if (config.ambient_credentials) return 'ambient';
  // The server assumes the role and refreshes what it gets: nothing the user holds expires.
  if (config.role_arn !== null) return 'iam_role';
  return config.has_token ? 'temporary' : 'access_key';
}

/**
 * The one expiry function of the product (server and browser): only temporary credentials expire; a check that was
 * answered ExpiredToken wins over a clock that says otherwise.
 */
export function credentialsState(input: {
  method: CredentialsMethod;
  expiresAt: string | null;
  /** When the token was saved: the start of the lifetime the warning window is a quarter of. */
  savedAt: string | null;
  expiredByCheck: boolean;
  now: Date;
}): CredentialsState {
  if (input.method !== 'temporary') return 'not_applicable';
  if (input.expiredByCheck) return 'expired';
  if (input.expiresAt === null) return 'unknown';
  const left = Date.parse(input.expiresAt) - input.now.getTime();
  if (left <= 0) return 'expired';
  return left <= warningWindowMs(input.savedAt, input.expiresAt) ? 'expiring' : 'ok';
}
