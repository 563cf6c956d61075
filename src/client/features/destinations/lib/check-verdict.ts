import type { ConnectionCheckSummary } from '#shared/check-schemas';
import { credentialsState } from '#shared/credentials';
import type { Destination } from '#shared/destination-schemas';

export type Tone = 'ok' | 'warning' | 'danger' | 'neutral';
export type Verdict = { label: string; tone: Tone; explanation: string | null; outdated: boolean };

const OUTCOME = { SCHEDULED: 'Testing…', SUCCESS: 'Passed', FAILURE: 'Failed' } as const;
const TONE = { SCHEDULED: 'neutral', SUCCESS: 'ok', FAILURE: 'danger' } as const;

/** Whether a finished check tested a config older than the one saved now (a rename does not count). */
export function testedBeforeChange(
  check: Pick<ConnectionCheckSummary, 'status' | 'config_version'>,
  destination: Pick<Destination, 'config_version'>,
): boolean {
  return check.status !== 'SCHEDULED' && check.config_version !== null && check.config_version < destination.config_version;
}

/**
 * What a check says about a connector now: green only while it still speaks for the saved config and credentials.
 * A result from before the last change is no verdict at all; a pass from before the credentials expired is a warning.
 */
export function checkVerdict(
  check: Pick<ConnectionCheckSummary, 'status' | 'reason' | 'config_version'> | null,
  destination: Pick<Destination, 'config_version' | 'credentials'>,
  now: number,
): Verdict {
  if (!check) return { label: 'Not tested', tone: 'neutral', explanation: null, outdated: false };
  if (testedBeforeChange(check, destination)) {
    return {
      label: `${OUTCOME[check.status]} before the last change`,
      tone: 'neutral',
      explanation: 'Tested before the last change to the configuration — test again to know whether it works now.',
      outdated: true,
    };
  }
  const { credentials } = destination;
  const expired =
    credentialsState({
      method: credentials.method,
      expiresAt: credentials.expires_at,
      savedAt: credentials.saved_at,
      expiredByCheck: credentials.expired_by_check,
      now: new Date(now),
    }) === 'expired';
  if (check.status === 'SUCCESS' && expired) {
    return {
      label: 'Passed before expiry',
      tone: 'warning',
      explanation: 'The last check passed, but the credentials have expired since: writes will fail until they are replaced.',
      outdated: true,
    };
  }
  return { label: OUTCOME[check.status], tone: TONE[check.status], explanation: check.reason, outdated: false };
}
