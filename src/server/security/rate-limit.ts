/** A sliding one-minute window per key: how many more a key may do, and when it may again. */
export function createRateLimiter(perMinute: number, now: () => number = Date.now) {
  const hits = new Map<string, number[]>();
  const recent = (key: string) => {
    const at = now();
    const kept = (hits.get(key) ?? []).filter((t) => t > at - 60_000);
    if (kept.length === 0) hits.delete(key);
    else hits.set(key, kept);
    return kept;
  };
  /** Seconds until `key` may act again, or 0 when it may now. */
  const wait = (key: string) => {
    const kept = recent(key);
    return kept.length >= perMinute ? Math.max(1, Math.ceil(((kept[0] ?? now()) + 60_000 - now()) / 1000)) : 0;
  };
  const hit = (key: string) => hits.set(key, [...recent(key), now()]);
  return {
    wait,
    hit,
    /** Records an action and returns 0, or refuses it and returns the seconds to wait. */
    take(key: string): number {
      const seconds = wait(key);
      if (seconds === 0) hit(key);
      return seconds;
    },
  };
}
