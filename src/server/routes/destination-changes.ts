import type { Provider } from '#shared/providers';
import { providerFor } from '#shared/providers';
import type { SavedS3Config } from '#shared/destination-schemas';
import type { DestinationRecord } from '../store/destinations-repository.ts';

// What S3 is asked with: a change to any of these makes earlier results stale. A rename, the provider label or the
// expiry note does not.
export const TESTED_FIELDS = [
  'remote_url',
  'anonymous',
  'ambient_credentials',
  'key',
  'secret',
  'token',
  'endpoint_url',
  'region',
  'role_arn',
] as const;
const CONFIG_FIELDS = [...TESTED_FIELDS, 'token_expires_at'] as const;

type Config = Pick<SavedS3Config, (typeof CONFIG_FIELDS)[number]>;

/**
 * What saving `config` over `stored` means beyond the values (a PUT): the provider kept, whether earlier results went
 * stale, whether an "expired" verdict still stands, and when the token's lifetime began. Pure: the route saves it.
 */
export function planUpdate(input: {
  record: Pick<DestinationRecord, 'expired_by_check'> & { config: { token_saved_at: string | null } };
  stored: Config & { provider: Provider };
  config: Config;
  /** The provider the request named; undefined keeps the stored one. */
  provider: Provider | null | undefined;
  now: Date;
}) {
  const { record, stored, config, now } = input;
  // New credentials deserve a fresh verdict: an ExpiredToken answer was about the old ones.
  const credentialsChanged = config.key !== stored.key || config.secret !== stored.secret || config.token !== stored.token;
  return {
    provider: providerFor(config.endpoint_url, input.provider === undefined ? stored.provider : input.provider),
    expiredByCheck: record.expired_by_check && !credentialsChanged,
    configChanged: TESTED_FIELDS.some((field) => config[field] !== stored[field]),
    // A new token starts a new lifetime; an edited expiry alone does not.
    tokenSavedAt:
      config.token === null ? null : config.token !== stored.token ? now.toISOString() : (record.config.token_saved_at ?? now.toISOString()),
  };
}

/**
 * Which fields a save changed, by name, never their values — for the activity record. A client may send the whole
 * config back (Unstructured's SDK does): only what differs counts.
 */
export function changedFields(input: {
  before: { name: string; check_schedule: string; config: Config & { provider: Provider } };
  after: { name: string; check_schedule: string; config: Config & { provider: Provider } };
}): string[] {
  const { before, after } = input;
  return [
    ...(after.name !== before.name ? ['name'] : []),
    ...CONFIG_FIELDS.filter((field) => after.config[field] !== before.config[field]).map((field) => `config.${field}`),
    ...(after.config.provider !== before.config.provider ? ['config.provider'] : []),
    ...(after.check_schedule !== before.check_schedule ? ['check_schedule'] : []),
  ];
}
