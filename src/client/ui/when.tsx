import { onServerClock } from '#client/lib/server-clock.ts';
import { formatDuration, formatWhen, relativeTime, timeAgo } from './relative-time.ts';

/**
 * When something happened ("3 days ago", never "in 2 seconds" from clocks that disagree a little), or for an expiry
 * when it comes ("in 89 days") or came; the exact time on hover.
 */
export function When({ at, now, never = '', expiry = false }: { at: string | null; now: number; never?: string; expiry?: boolean }) {
  if (at === null) return <span className="muted">{never}</span>;
  return (
    <time dateTime={at} title={formatWhen(at)}>
      {expiry ? relativeTime(at, onServerClock(now)) : timeAgo(at, now)}
    </time>
  );
}

/** How long something took ("190 ms", "2.4 s"), as a `<time>` with its ISO 8601 duration: machines and tests read it. */
export function Duration({ ms }: { ms: number | null }) {
  if (ms === null) return null;
  return <time dateTime={`PT${(ms / 1000).toFixed(3)}S`}>{formatDuration(ms)}</time>;
}

/** How long ago something happened ("3 minutes ago"), its exact moment on hover. */
export function Ago({ at, now }: { at: string; now: number }) {
  return (
    <time dateTime={at} title={formatWhen(at)}>
      {timeAgo(at, now)}
    </time>
  );
}

/** When something comes or came, by the server's clock ("in 5 hours"), its exact moment on hover. */
export function Until({ at, now }: { at: string; now: number }) {
  return (
    <time dateTime={at} title={formatWhen(at)}>
      {relativeTime(at, onServerClock(now))}
    </time>
  );
}
