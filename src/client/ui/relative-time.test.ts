import { describe, expect, it } from 'vitest';
import { noteServerDate } from '#client/lib/server-clock.ts';
import { formatWhen, relativeTime, timeAgo } from './relative-time.ts';

const NOW = Date.parse('2026-12-01T12:00:00Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
/**
 * As if an API answer, sent and received at `browserTime` (the browser's clock), said the server's time is
 * `serverTime`: the header carries its whole second, which the estimate takes as its middle.
 */
const serverSays = (serverTime: number, browserTime = NOW) => noteServerDate(new Date(serverTime).toUTCString(), browserTime, browserTime);
/** Back to agreeing clocks: the server's second NOW has its middle at the browser's NOW + 500 ms. */
const inStep = () => serverSays(NOW, NOW + 500);

describe('relativeTime (expiries, both ways)', () => {
  it.each([
    [2 * 3_600_000, 'in 2 hours'],
    [30 * 60_000, 'in 30 minutes'],
    [-30 * 60_000, '30 minutes ago'],
    [-3 * 86_400_000, '3 days ago'],
  ])('%i ms → %s', (offset, text) => {
    expect(relativeTime(at(offset), NOW)).toBe(text);
  });
});

describe('timeAgo (what has happened), by the server’s clock', () => {
  it('says "just now" for the last seconds, never a time to come', () => {
    inStep();
    expect(timeAgo(at(-2_000), NOW)).toBe('just now');
    expect(timeAgo(at(3_000), NOW)).toBe('just now');
    expect(timeAgo(at(-5 * 60_000), NOW)).toBe('5 minutes ago');
  });

  it('a browser clock 3 minutes behind the server: a check that just ended is "just now", not "in 3 minutes"', () => {
    // The server's clock is 3 minutes ahead of this (browser) clock.
    serverSays(NOW + 180_000, NOW + 500);
    expect(timeAgo(at(178_000), NOW)).toBe('just now');
    expect(timeAgo(at(180_000 - 10 * 60_000), NOW)).toBe('10 minutes ago');
    inStep();
  });

  it('ignores the Date header’s rounding: a difference under a second is not adopted', () => {
    inStep();
    // The same server second, seen 900 ms earlier on the browser's clock: within the header's precision.
    serverSays(NOW, NOW + 500 - 900);
    expect(timeAgo(at(-11_000), NOW)).toBe('11 seconds ago');
    expect(timeAgo(at(-9_000), NOW)).toBe('just now');
  });
});

describe('formatWhen: one way to show a moment on every screen', () => {
  it('says date and time to the second, in a time zone', () => {
    expect(formatWhen('2026-12-06T13:55:37.000Z', 'UTC')).toBe('Dec 6, 2026, 01:55:37 PM');
    expect(formatWhen('2026-12-06T13:55:37.000Z', 'Asia/Tokyo')).toBe('Dec 6, 2026, 10:55:37 PM');
  });
});
