import { onServerClock } from '../lib/server-clock.ts';
import { formatWhen, relativeTime, timeAgo } from './relative-time.ts';

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
