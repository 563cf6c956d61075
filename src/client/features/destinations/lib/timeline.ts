import type { Step } from '#shared/check-schemas';

/** Where a step sits on the check's timeline, in percent of its whole span: its own start, then its duration. */
export function timelineBar(step: Pick<Step, 'started_ms' | 'duration_ms'>, span: number): { left: number; width: number } | null {
  if (step.started_ms === null || step.duration_ms === null || span <= 0) return null;
  const left = Math.min(100, (step.started_ms / span) * 100);
  // At least a sliver, so a 0 ms step is still seen to have happened at its moment.
  return { left: Math.min(left, 99.5), width: Math.max(0.5, Math.min(100 - left, (step.duration_ms / span) * 100)) };
}

/**
 * The whole span of a check's steps: from its start to the end of the last step to finish — or, while it runs, to now
 * (`runningFor`, ms since it started): an 8 ms first step is not drawn across the whole timeline while the rest run.
 */
export const timelineSpan = (steps: Pick<Step, 'started_ms' | 'duration_ms'>[], runningFor = 0) =>
  Math.max(
    0,
    runningFor,
    ...steps.map((s) => (s.started_ms !== null && s.duration_ms !== null ? s.started_ms + s.duration_ms : (s.started_ms ?? 0))),
  );
