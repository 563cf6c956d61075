import { SECRET_MASK } from '#shared/s3-config';
import { credentialsMethod, credentialsState } from '#shared/credentials';
import type { ConnectionCheckSummary } from '#shared/check-schemas';
import type { Destination } from '#shared/destination-schemas';
import type { DestinationRecord } from '../store/destinations-repository.ts';

/** The API's view of a stored destination: credentials state computed now, never a secret. */
export function toDestination(record: DestinationRecord, now: Date, lastCheck: ConnectionCheckSummary | null): Destination {
  const method = credentialsMethod(record.config);
  const expiresAt = method === 'temporary' ? record.config.token_expires_at : null;
  const savedAt = method === 'temporary' ? record.config.token_saved_at : null;
  return {
    id: record.id,
    name: record.name,
    type: record.type,
    // Saved secrets only as the mask: the values never leave the store except to the check.
    config: { ...record.config, secret: record.config.has_secret ? SECRET_MASK : null, token: record.config.has_token ? SECRET_MASK : null },
    created_at: record.created_at,
    updated_at: record.updated_at,
    version: record.version,
    config_version: record.config_version,
    credentials: {
      method,
      expires_at: expiresAt,
      saved_at: savedAt,
      state: credentialsState({ method, expiresAt, savedAt, expiredByCheck: record.expired_by_check, now }),
      expired_by_check: record.expired_by_check,
    },
    last_check: lastCheck,
    check_schedule: record.check_schedule,
    next_check_at: record.next_check_at,
  };
}

export const etagOf = (record: DestinationRecord) => `"${record.version}"`;
