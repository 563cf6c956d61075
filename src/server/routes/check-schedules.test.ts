import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, destinationBody, type TestApp } from '../test-support/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const create = (extra: Record<string, unknown> = {}) =>
  t.request({ method: 'POST', url: '/api/v1/destinations', body: { ...destinationBody(), ...extra } });

describe('a destination’s check schedule', () => {
  it('is daily for a new destination unless it says otherwise, with the next check within the day', async () => {
    const made = (await create()).json();
    expect(made.check_schedule).toBe('daily');
    const wait = Date.parse(made.next_check_at) - Date.now();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(24 * 3_600_000);
    expect((await create({ check_schedule: 'off' })).json()).toMatchObject({ check_schedule: 'off', next_check_at: null });
  });

  it('changes with an update, which starts a new cadence and is recorded by name', async () => {
    const made = (await create()).json();
    const changed = await t.request({
      method: 'PUT',
      url: `/api/v1/destinations/${made.id}`,
      headers: { 'if-match': `"${made.version}"` },
      body: { check_schedule: 'hourly' },
    });
    expect(changed.statusCode).toBe(200);
    const wait = Date.parse(changed.json().next_check_at) - Date.now();
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(3_600_000);
    // Not a change of what S3 is asked: earlier check results stay current.
    expect(changed.json()).toMatchObject({ check_schedule: 'hourly', config_version: made.config_version, version: made.version + 1 });
    const [entry] = await t.store.activity.forDestination(made.id);
    expect(entry).toMatchObject({ kind: 'destination.updated', detail: 'check_schedule' });
    // Saving without it keeps both the schedule and the next check.
    const renamed = await t.request({
      method: 'PUT',
      url: `/api/v1/destinations/${made.id}`,
      headers: { 'if-match': `"${made.version + 1}"` },
      body: { name: `${made.name} renamed` },
    });
    expect(renamed.json()).toMatchObject({ check_schedule: 'hourly', next_check_at: changed.json().next_check_at });
  });

  it('says on the field when the schedule is not one of the four', async () => {
    const response = await create({ check_schedule: 'weekly' });
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toEqual([
      expect.objectContaining({ loc: ['body', 'check_schedule'], msg: 'check_schedule is one of off, hourly, every_6_hours, daily' }),
    ]);
  });

  it('marks a scheduled check as such in the history', async () => {
    const made = (await create({ check_schedule: 'hourly' })).json();
    await t.store.db.run('UPDATE destinations SET next_check_at = $1 WHERE id = $2', [new Date(Date.now() - 1_000).toISOString(), made.id]);
    const [id] = await t.store.checks.startScheduled(new Date(), 10);
    const history = (await t.request({ method: 'GET', url: `/api/v1/destinations/${made.id}/connection-checks` })).json();
    expect(history[0]).toMatchObject({ id, trigger: 'scheduled' });
    expect((await t.request({ method: 'GET', url: `/api/v1/destinations/${made.id}` })).json().last_check).toMatchObject({
      id,
      trigger: 'scheduled',
    });
  });
});
