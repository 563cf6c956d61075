import { onServerClock } from '#client/lib/server-clock.ts';

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];
const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** "3 minutes ago", "in 2 hours". */
export function relativeTime(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  for (const [unit, ms] of units) {
    if (Math.abs(diff) >= ms || unit === 'second') return format.format(Math.round(diff / ms), unit);
  }
  return '';
}

/**
 * When something that has happened happened, by the server's clock (it wrote the time): "3 minutes ago", and "just
 * now" for the last few seconds — never "in 2 seconds", whatever small disagreement between clocks is left.
 */
export function timeAgo(iso: string, browserNow: number): string {
  const now = onServerClock(browserNow);
  return now - Date.parse(iso) < 10_000 ? 'just now' : relativeTime(iso, now);
}

export const formatDuration = (ms: number | null) => (ms === null ? '' : ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`);

const WHEN_OPTIONS = { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' } as const;
const WHEN = new Intl.DateTimeFormat('en', WHEN_OPTIONS);
/** A moment as every screen shows it, in the browser's time zone (or `timeZone`): "Dec 6, 2026, 01:55:37 PM". */
export const formatWhen = (iso: string, timeZone?: string) =>
  (timeZone ? new Intl.DateTimeFormat('en', { ...WHEN_OPTIONS, timeZone }) : WHEN).format(new Date(iso));
