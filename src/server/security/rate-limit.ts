/** A sliding one-minute window per key: how many more a key may start, and when it may start again. */
export function createRateLimiter(perMinute: number, now: () => number = Date.now) {
  const starts = new Map<string, number[]>();
  return {
    /** Records a start and returns 0, or refuses it and returns the seconds to wait. */
    take(key: string): number {
      const at = now();
      const recent = (starts.get(key) ?? []).filter((t) => t > at - 60_000);
      if (recent.length >= perMinute) {
        starts.set(key, recent);
        return Math.max(1, Math.ceil(((recent[0] ?? at) + 60_000 - at) / 1000));
      }
      recent.push(at);
      starts.set(key, recent);
      return 0;
    },
  };
}
