/**
 * Scheduled re-checks: each connector is checked again on its own schedule, so a bucket policy or key changed on the
 * AWS side is noticed before a pipeline fails. No zod here: the list's first load reads the labels.
 */
export const CHECK_SCHEDULES = ['off', 'hourly', 'every_6_hours', 'daily'] as const;
export type CheckSchedule = (typeof CHECK_SCHEDULES)[number];
/** What a connector made without saying gets. Connectors saved before schedules existed start `off`. */
export const DEFAULT_CHECK_SCHEDULE: CheckSchedule = 'daily';

export const CHECK_SCHEDULE_LABELS: Record<CheckSchedule, string> = {
  off: 'Off',
  hourly: 'Every hour',
  every_6_hours: 'Every 6 hours',
  daily: 'Every day',
};

const HOUR = 3_600_000;
export const CHECK_SCHEDULE_INTERVAL_MS: Record<Exclude<CheckSchedule, 'off'>, number> = { hourly: HOUR, every_6_hours: 6 * HOUR, daily: 24 * HOUR };

/** FNV-1a of the id: a stable, evenly spread number per connector. */
function spreadOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 0x1_0000_0000;
}

/**
 * When a connector is next checked after `after`, or null when its schedule is off. Each connector keeps its own
 * moment within the interval (taken from its id), so 1,000 hourly connectors spread across the hour instead of all
 * starting on the hour, and a connector's checks stay an interval apart whatever instance runs them.
 */
export function nextScheduledCheck(id: string, schedule: CheckSchedule, after: Date): Date | null {
  if (schedule === 'off') return null;
  const interval = CHECK_SCHEDULE_INTERVAL_MS[schedule];
  const offset = Math.floor(spreadOf(id) * interval);
  const t = after.getTime();
  const slot = Math.floor((t - offset) / interval) * interval + offset;
  return new Date(slot + interval > t ? slot + interval : slot + 2 * interval);
}
