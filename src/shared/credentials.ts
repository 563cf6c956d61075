import type { S3Config } from './s3-config.ts';

export type CredentialsMethod = 'access_key' | 'temporary' | 'anonymous' | 'ambient';
export type CredentialsState = 'ok' | 'expiring' | 'expired' | 'unknown' | 'not_applicable';

export const EXPIRING_WITHIN_MS = 24 * 60 * 60 * 1000;

export function credentialsMethod(config: Pick<S3Config, 'anonymous' | 'ambient_credentials'> & { has_token: boolean }): CredentialsMethod {
  if (config.anonymous) return 'anonymous';
  if (config.ambient_credentials) return 'ambient';
  return config.has_token ? 'temporary' : 'access_key';
}

/**
 * The one expiry function of the product (server and browser): only temporary credentials expire; a check that was
 * answered ExpiredToken wins over a clock that says otherwise.
 */
export function credentialsState(input: {
  method: CredentialsMethod;
  expiresAt: string | null;
  expiredByCheck: boolean;
  now: Date;
}): CredentialsState {
  if (input.method !== 'temporary') return 'not_applicable';
  if (input.expiredByCheck) return 'expired';
  if (input.expiresAt === null) return 'unknown';
  const left = Date.parse(input.expiresAt) - input.now.getTime();
  if (left <= 0) return 'expired';
  return left <= EXPIRING_WITHIN_MS ? 'expiring' : 'ok';
}
