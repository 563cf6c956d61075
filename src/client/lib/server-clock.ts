/**
 * The server's clock, as the browser can know it: every API answer's `Date` header. When something happened is
 * measured by it (a check the server started, an activity entry), so a browser whose own clock is behind never says
 * "in 2 minutes" of a check that has just ended. The header has whole seconds: the estimate moves only when it is off
 * by more than one.
 */
let offsetMs = 0;

export function noteServerDate(header: string | null, sentAt: number, receivedAt: number): void {
  const date = header ? Date.parse(header) : Number.NaN;
  if (!Number.isFinite(date)) return;
  // The server's second began at `date`; the answer left it somewhere in the middle of the round trip.
  const estimate = date + 500 - (sentAt + receivedAt) / 2;
  if (Math.abs(estimate - offsetMs) > 1_000) offsetMs = estimate;
}

/** A moment of the browser's clock (`useNow`) as the server's clock has it. */
export const onServerClock = (browserTime: number): number => browserTime + offsetMs;
