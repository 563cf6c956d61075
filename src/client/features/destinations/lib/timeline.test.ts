import { describe, expect, it } from 'vitest';
import { timelineBar, timelineSpan } from './timeline.ts';

const step = (started_ms: number | null, duration_ms: number | null) => ({ started_ms, duration_ms });

describe('the check timeline', () => {
  // validate 0–2, endpoint 2–10, identity 10–60 ‖ bucket 10–40, write 60–90 ‖ multipart 60–100, cleanup 100–120.
  const steps = [step(0, 2), step(2, 8), step(10, 50), step(10, 30), step(60, 30), step(60, 40), step(100, 20)];

  it('spans from the start of the check to the end of the last step to finish', () => {
    expect(timelineSpan(steps)).toBe(120);
    expect(timelineSpan([step(null, null), step(null, null)])).toBe(0);
  });

  it('while the check runs, spans to now: a first step that took 8 ms is not drawn across the timeline', () => {
    const running = [step(0, 8), step(8, null), step(null, null)];
    expect(timelineSpan(running, 2_000)).toBe(2_000);
    expect(timelineBar(step(0, 8), timelineSpan(running, 2_000))?.width).toBeCloseTo(0.5, 6);
    // A running step that started later than the clock says (clocks disagree a little) still fits.
    expect(timelineSpan([step(0, 8), step(2_500, null)], 2_000)).toBe(2_500);
  });

  it.each([
    ['a step that ran alongside another starts where that one did', step(10, 30), { left: 10 / 1.2, width: 30 / 1.2 }],
    ['a finished step is not drawn as half done: it ends where it ended', step(100, 20), { left: 100 / 1.2, width: 20 / 1.2 }],
    ['a 0 ms step is a sliver at its moment', step(60, 0), { left: 50, width: 0.5 }],
  ])('%s', (_label, s, expected) => {
    const bar = timelineBar(s, 120);
    expect(bar?.left).toBeCloseTo(expected.left, 6);
    expect(bar?.width).toBeCloseTo(expected.width, 6);
  });

  it('draws nothing for a step not finished, or recorded before steps had a start', () => {
    expect(timelineBar(step(10, null), 120)).toBeNull();
    expect(timelineBar(step(null, 30), 120)).toBeNull();
    expect(timelineBar(step(0, 0), 0)).toBeNull();
  });

  it('never reaches past the end', () => {
    const bar = timelineBar(step(119, 5), 120);
    expect((bar?.left ?? 0) + (bar?.width ?? 0)).toBeLessThanOrEqual(100.0001);
  });
});
