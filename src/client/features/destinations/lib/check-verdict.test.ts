import { describe, expect, it } from 'vitest';
import type { Destination } from '#shared/destination-schemas';
import { checkVerdict } from './check-verdict.ts';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();
const keyed: Destination['credentials'] = {
  method: 'access_key',
  expires_at: null,
  saved_at: null,
  state: 'not_applicable',
  expired_by_check: false,
};
const temporary = (expiresAt: string): Destination['credentials'] => ({
  method: 'temporary',
  expires_at: expiresAt,
  saved_at: at(-60),
  state: 'ok',
  expired_by_check: false,
});

describe('checkVerdict', () => {
  it.each([
    ['no check', null, 1, keyed, 'Not tested', 'neutral'],
    ['a running check', { status: 'SCHEDULED', reason: null, config_version: 1 }, 2, keyed, 'Testing…', 'neutral'],
    ['a pass of the saved config', { status: 'SUCCESS', reason: null, config_version: 2 }, 2, keyed, 'Passed', 'ok'],
    ['a failure of the saved config', { status: 'FAILURE', reason: 'Access denied', config_version: 2 }, 2, keyed, 'Failed', 'danger'],
    ['a pass of an older config', { status: 'SUCCESS', reason: null, config_version: 1 }, 2, keyed, 'Passed before the last change', 'neutral'],
    ['a failure of an older config', { status: 'FAILURE', reason: 'x', config_version: 1 }, 3, keyed, 'Failed before the last change', 'neutral'],
    ['a check from before versions were kept', { status: 'SUCCESS', reason: null, config_version: null }, 4, keyed, 'Passed', 'ok'],
    [
      'a pass, credentials expired since',
      { status: 'SUCCESS', reason: null, config_version: 1 },
      1,
      temporary(at(-5)),
      'Passed before expiry',
      'warning',
    ],
    ['a pass, credentials still valid', { status: 'SUCCESS', reason: null, config_version: 1 }, 1, temporary(at(5)), 'Passed', 'ok'],
    ['a failure, credentials expired since', { status: 'FAILURE', reason: 'x', config_version: 1 }, 1, temporary(at(-5)), 'Failed', 'danger'],
  ] as const)('%s: %s', (_label, check, configVersion, credentials, label, tone) => {
    const verdict = checkVerdict(check, { config_version: configVersion, credentials }, NOW);
    expect([verdict.label, verdict.tone]).toEqual([label, tone]);
  });

  it('tells a stale pass to test again', () => {
    const verdict = checkVerdict({ status: 'SUCCESS', reason: null, config_version: 1 }, { config_version: 2, credentials: keyed }, NOW);
    expect(verdict.explanation).toMatch(/test again/);
    expect(verdict.outdated).toBe(true);
  });
});
