import { describe, expect, it } from 'vitest';
import { describeError, isKnownErrorCode } from './error-catalogue.ts';
import rgw from './fixtures/rgw-error-codes.json' with { type: 'json' };

const context = { bucket: 'lake', prefix: 'raw/', region: null, customEndpoint: true, provider: 'ceph' as const };

describe('the error catalogue', () => {
  it.each(rgw.codes)('has a sentence and a fix of its own for %s, a code Ceph’s RADOS Gateway documents', (code) => {
    expect(isKnownErrorCode(code)).toBe(true);
    const described = describeError(code, context);
    expect(described.message.length).toBeGreaterThan(20);
    expect(described.hint.length).toBeGreaterThan(20);
    // Never the words for a code it does not know, nor "test again" for what retrying cannot fix (a server's internal
    // error is the one where it can).
    expect(described.message).not.toMatch(/does not describe|does not know/);
    if (code !== 'InternalError') expect(described.hint).not.toMatch(/^Test again/);
  });

  it('says a suspended user and a full quota need someone to act, not another test', () => {
    expect(describeError('UserSuspended', context).hint).toMatch(/re-enable the user.*testing again will not help/);
    expect(describeError('QuotaExceeded', context).hint).toMatch(/free space.*raise the quota.*testing again will not help/);
  });

  it('names a code it does not describe, and where the service explains it', () => {
    const described = describeError('XRgwWeirdThing', context);
    expect(described.message).toBe('The endpoint answered XRgwWeirdThing, an error this app does not describe.');
    expect(described.hint).toContain('Look XRgwWeirdThing up in Ceph (RADOS Gateway)');
    expect(described.hint).toContain('https://docs.redhat.com/');
    expect(describeError('XSomething', { ...context, provider: 'other' }).hint).toBe(
      "Look XSomething up in your service's documentation of its S3 error codes: it says what causes it and what fixes it.",
    );
    expect(describeError('Unknown', context).message).toBe('The endpoint answered with an error that names no code.');
  });
});
