import { describe, expect, it } from 'vitest';
import type { Destination } from '#shared/destination-schemas';
import { createListRowCache } from './list-row-cache.ts';

const view = (id: string, expiresAt: string | null, name = `Connector ${id}`): Destination =>
  ({
    id,
    name,
    type: 's3',
    config: {
      remote_url: 's3://b/',
      anonymous: false,
      key: 'ASIAIOSFODNN7EXAMPLE',
      secret: '**********',
      token: '**********',
      token_expires_at: expiresAt,
    },
    created_at: '2026-12-01T00:00:00.000Z',
    updated_at: '2026-12-01T00:00:00.000Z',
    version: 1,
    config_version: 1,
    credentials: { method: 'temporary', expires_at: expiresAt, saved_at: '2026-12-06T00:00:00.000Z', state: 'ok', expired_by_check: false },
    last_check: null,
    check_schedule: 'off',
    next_check_at: null,
  }) as unknown as Destination;

describe('the whole list’s row cache', () => {
  it('gives back exactly JSON.stringify of the view, with the credentials’ state of the moment it is asked', () => {
    const cache = createListRowCache();
    const row = view('a', '2026-12-06T12:00:00.000Z', 'A "quoted" name, state-like: "state-x"');
    expect(cache.put(row, 3)).toBe(JSON.stringify(row));
    // Hours before expiry, in the warning window, after.
    expect(JSON.parse(cache.get('a', 3, new Date('2026-12-06T01:00:00.000Z')) ?? 'null').credentials.state).toBe('ok');
    expect(JSON.parse(cache.get('a', 3, new Date('2026-12-06T11:00:00.000Z')) ?? 'null').credentials.state).toBe('expiring');
    const later = cache.get('a', 3, new Date('2026-12-06T12:00:01.000Z'));
    expect(later).toBe(JSON.stringify({ ...row, credentials: { ...row.credentials, state: 'expired' } }));
  });

  it('has nothing for another revision, and keeps at most its size, the most recently listed rows last to go', () => {
    const cache = createListRowCache(4);
    const now = new Date();
    for (const id of ['a', 'b']) cache.put(view(id, null), 1);
    expect(cache.get('a', 2, now)).toBeNull();
    // a is listed again, b is not: when c comes, b is the one to go.
    expect(cache.get('a', 1, now)).not.toBeNull();
    cache.put(view('c', null), 1);
    expect(cache.get('b', 1, now)).toBeNull();
    for (const id of ['a', 'c']) expect(cache.get(id, 1, now), id).not.toBeNull();
    expect(cache.size).toBeLessThanOrEqual(4);
    // However many rows pass through, never more than its size.
    for (let n = 0; n < 1_000; n++) cache.put(view(`x${n}`, null), 1);
    expect(cache.size).toBeLessThanOrEqual(4);
  });
});
