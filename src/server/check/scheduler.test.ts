import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_SCHEDULE_INTERVAL_MS, nextScheduledCheck } from '#shared/check-schedule';
import { buildTestApp, type TestApp } from '../test-support/test-app.ts';
import { CheckScheduler } from './scheduler.ts';

// Two instances over one store, each with its own scheduler on a clock the test moves; their workers never claim
// (the scheduled checks would reach for AWS): what is measured is which checks get started, and when.
const T0 = new Date('2026-12-01T10:00:00.000Z');
const HOUR = 3_600_000;
const config = {
  remote_url: 's3://bucket/p/',
  anonymous: false,
  ambient_credentials: false,
  key: 'AKIAIOSFODNN7EXAMPLE',
  secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  token: null,
  endpoint_url: null,
  region: null,
  token_expires_at: null,
  role_arn: null,
  external_id: null,
};
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  a = await buildTestApp({}, { worker: { pollMs: 1e9 } });
  b = await buildTestApp({ dataDir: a.config.dataDir, databaseUrl: a.config.databaseUrl }, { key: a.key, worker: { pollMs: 1e9 } });
}, 60_000);
afterAll(async () => {
  await b?.close({ keepData: true });
  await a?.close();
});

describe('when a connector is next checked', () => {
  it('keeps each connector at its own moment of the interval, always in the future', () => {
    const id = '6f1c5a43-3a9b-4c56-8a55-0d3d7a1b2c3d';
    const first = nextScheduledCheck(id, 'hourly', T0)!;
    expect(first.getTime()).toBeGreaterThan(T0.getTime());
    expect(first.getTime() - T0.getTime()).toBeLessThanOrEqual(HOUR);
    // From any moment before it, the same slot; from the slot itself, the next one an hour on.
    expect(nextScheduledCheck(id, 'hourly', new Date(first.getTime() - 1))).toEqual(first);
    expect(nextScheduledCheck(id, 'hourly', first)).toEqual(new Date(first.getTime() + HOUR));
    expect(nextScheduledCheck(id, 'daily', T0)!.getTime() - T0.getTime()).toBeLessThanOrEqual(CHECK_SCHEDULE_INTERVAL_MS.daily);
    expect(nextScheduledCheck(id, 'off', T0)).toBeNull();
  });
});

describe('scheduled checks on two instances', () => {
  it('spreads 1,000 hourly connectors across the hour and starts each exactly once in it, whichever instance', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 1_000; i++) ids.push((await a.store.destinations.create({ name: `scheduled ${i}`, config, schedule: 'hourly' })).id);
    // Made "now" by the test's clock: each one's first slot is within the hour after T0.
    for (const id of ids)
      await a.store.db.run('UPDATE destinations SET next_check_at = $1 WHERE id = $2', [nextScheduledCheck(id, 'hourly', T0)!.toISOString(), id]);

    const perMinute = new Array<number>(60).fill(0);
    for (const row of await a.store.db.all<{ next_check_at: string }>('SELECT next_check_at FROM destinations WHERE check_schedule = $1', [
      'hourly',
    ])) {
      const minute = Math.floor((Date.parse(row.next_check_at) - T0.getTime()) / 60_000);
      expect(minute).toBeGreaterThanOrEqual(0);
      expect(minute).toBeLessThan(60);
      perMinute[minute] = (perMinute[minute] ?? 0) + 1;
    }
    // 1,000 over 60 minutes is 16.7 a minute: none crowds, none is empty.
    expect(Math.max(...perMinute)).toBeLessThanOrEqual(40);
    expect(Math.min(...perMinute)).toBeGreaterThanOrEqual(2);

    let now = T0;
    const schedulers = [a, b].map(
      (app) => new CheckScheduler({ checks: app.store.checks, kick: () => undefined, log: app.app.log, now: () => now, batch: 50 }),
    );
    const startedBy = { a: 0, b: 0 };
    for (let minute = 1; minute <= 60; minute++) {
      now = new Date(T0.getTime() + minute * 60_000);
      const [fromA, fromB] = await Promise.all(schedulers.map((scheduler) => scheduler.tick()));
      startedBy.a += fromA?.length ?? 0;
      startedBy.b += fromB?.length ?? 0;
      // Those just started are done by the time the next minute comes (they would have run in well under a minute).
      await a.store.db.run("UPDATE connection_checks SET status = 'SUCCESS', reported_at = $1 WHERE status = 'SCHEDULED'", [now.toISOString()]);
    }
    const counts = await a.store.db.all<{ destination_id: string; n: number | string; trigger: string }>(
      "SELECT destination_id, count(*) AS n, min(trigger) AS trigger FROM connection_checks WHERE trigger = 'scheduled' GROUP BY destination_id",
    );
    expect(counts).toHaveLength(1_000);
    expect(counts.every((row) => Number(row.n) === 1)).toBe(true);
    expect(startedBy.a + startedBy.b).toBe(1_000);
    // Each connector's next slot is an hour after the one just checked.
    const later = await a.store.db.all<{ next_check_at: string }>('SELECT next_check_at FROM destinations WHERE check_schedule = $1', ['hourly']);
    expect(later.every((row) => Date.parse(row.next_check_at) > T0.getTime() + HOUR)).toBe(true);
  }, 120_000);

  it('does not queue a second check of a connector whose check is still running; its slot moves on', async () => {
    const destination = await a.store.destinations.create({ name: 'busy scheduled', config, schedule: 'hourly' });
    const slot = nextScheduledCheck(destination.id, 'hourly', T0)!;
    await a.store.db.run('UPDATE destinations SET next_check_at = $1 WHERE id = $2', [slot.toISOString(), destination.id]);
    const running = await a.store.checks.create({ destinationId: destination.id });
    const started = await a.store.checks.startScheduled(new Date(slot.getTime() + 1), 10);
    expect(started).toEqual([]);
    expect((await a.store.checks.history(destination.id)).map((check) => check.id)).toEqual([running.id]);
    expect((await a.store.destinations.findById(destination.id))?.next_check_at).toBe(new Date(slot.getTime() + HOUR).toISOString());
  });

  it('never starts a connector whose schedule is off', async () => {
    const off = await a.store.destinations.create({ name: 'never scheduled', config });
    expect(off).toMatchObject({ check_schedule: 'off', next_check_at: null });
    await a.store.checks.startScheduled(new Date(T0.getTime() + 48 * HOUR), 1_000);
    expect(await a.store.checks.history(off.id)).toEqual([]);
  });
});
