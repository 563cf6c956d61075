import { describe, expect, it } from 'vitest';
import type { Destination } from '../../shared/destination-schemas.ts';
import { createListRowCache } from './list-row-cache.ts';

const view = (id: string, expiresAt: string | null, name = `Connector ${id}`): Destination =>
  ({
    id,
    name,
    type: 's3',
    config: { remote_url: 's3://b/', anonymous: false, key: 'ASIAIOSFODNN7EXAMPLE', secret: '**********', token: '**********', token_expires_at: expiresAt },
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

  it('has nothing for another revision, and keeps the most recently listed rows up to its size', () => {
    const cache = createListRowCache(2);
    cache.put(view('a', null), 1);
    cache.put(view('b', null), 1);
    expect(cache.get('a', 2, new Date())).toBeNull();
    expect(cache.get('a', 1, new Date())).not.toBeNull();
    // a was listed after b: b goes first.
    cache.put(view('c', null), 1);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 1, new Date())).toBeNull();
    expect(cache.get('a', 1, new Date())).not.toBeNull();
    expect(cache.get('c', 1, new Date())).not.toBeNull();
  });
});
