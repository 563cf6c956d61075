import { describe, expect, it } from 'vitest';
import type { ConnectionCheckSummary } from '#shared/check-schemas';
import type { DestinationListQuery, ListSort } from '#shared/destination-schemas';
import type { DestinationRecord } from '../store/destinations-repository.ts';
import { filterEntries, InvalidListCursorError, listEntry, pageEntries, sortEntries, type ListEntry } from '../test-support/list-reference.ts';

const NOW = new Date('2026-12-01T12:00:00Z');
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

let n = 0;
function entry(
  name: string,
  options: {
    remote?: string;
    endpoint?: string | null;
    check?: ConnectionCheckSummary['status'] | null;
    checkedAt?: number;
    expires?: number | null;
    savedAgo?: number;
  } = {},
): ListEntry {
  n += 1;
  const id = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const temporary = options.expires !== undefined;
  const record: DestinationRecord = {
    id,
    name,
    type: 's3',
    config: {
      remote_url: options.remote ?? `s3://bucket-${n}/`,
      anonymous: false,
      ambient_credentials: false,
      key: temporary ? 'ASIAEXAMPLE' : 'AKIAEXAMPLE',
      endpoint_url: options.endpoint ?? null,
      region: null,
      token_expires_at: temporary && options.expires !== null ? at(options.expires as number) : null,
      role_arn: null,
      external_id: null,
      has_secret: true,
      has_token: temporary,
      provider: options.endpoint ? 'other' : 'aws',
      token_saved_at: temporary ? at(-(options.savedAgo ?? 60)) : null,
    },
    config_version: 1,
    expired_by_check: false,
    created_at: at(-1000 + n),
    updated_at: at(-1000 + n),
    version: 1,
    check_schedule: 'off',
    next_check_at: null,
  };
  const check = options.check
    ? {
        id: `check-${n}`,
        status: options.check,
        reason: null,
        created_at: at(options.checkedAt ?? -n),
        reported_at: null,
        config_version: 1,
        trigger: 'manual' as const,
        code: null,
        region: null,
      }
    : null;
  return listEntry(record, check);
}

const names = (entries: ListEntry[]) => entries.map((e) => e.record.name);

describe('the list: filter, sort, page', () => {
  const all = [
    entry('Invoices', { remote: 's3://finance/invoices/', check: 'SUCCESS', checkedAt: -5, expires: 600 }),
    entry('payroll', { remote: 's3://finance/payroll/', check: 'FAILURE', checkedAt: -50, expires: 10 }),
    entry('Logs', { endpoint: 'https://minio.internal:9000', check: null }),
    entry('archive', { check: 'SUCCESS', checkedAt: -500, expires: -30 }),
    entry('scratch', { check: 'SCHEDULED', checkedAt: -1 }),
  ];

  it.each<[string, ListSort | undefined, string[]]>([
    ['newest first without a sort', undefined, ['scratch', 'archive', 'Logs', 'payroll', 'Invoices']],
    ['by name, regardless of case', 'name', ['archive', 'Invoices', 'Logs', 'payroll', 'scratch']],
    ['by name, descending', '-name', ['scratch', 'payroll', 'Logs', 'Invoices', 'archive']],
    ['by last check, never tested last', 'last_check', ['archive', 'payroll', 'Invoices', 'scratch', 'Logs']],
    ['by last check, newest first, never tested still last', '-last_check', ['scratch', 'Invoices', 'payroll', 'archive', 'Logs']],
    ['by expiry, those without one last', 'expires_at', ['archive', 'payroll', 'Invoices', 'Logs', 'scratch']],
    ['by expiry, latest first, those without one last', '-expires_at', ['Invoices', 'payroll', 'archive', 'scratch', 'Logs']],
  ])('sorts %s', (_label, sort, expected) => {
    expect(names(sortEntries(all, sort))).toEqual(expected);
  });

  it.each<[string, Pick<DestinationListQuery, 'q' | 'status' | 'credentials'>, string[]]>([
    ['q in a name, regardless of case', { q: 'INVOI' }, ['Invoices']],
    ['q in a Bucket URI', { q: 'finance/' }, ['payroll', 'Invoices']],
    ['q in a Custom URL', { q: 'minio.internal' }, ['Logs']],
    ['q with spaces around it', { q: '  logs ' }, ['Logs']],
    ['failing', { status: ['failing'] }, ['payroll']],
    ['passing', { status: ['passing'] }, ['archive', 'Invoices']],
    ['untested (a running check is neither)', { status: ['untested'] }, ['Logs']],
    ['failing or untested', { status: ['failing', 'untested'] }, ['Logs', 'payroll']],
    ['expired', { credentials: ['expired'] }, ['archive']],
    // 1-hour credentials saved an hour before: 10 minutes left is in their last quarter; 600 minutes left of 11 hours is not.
    ['expiring', { credentials: ['expiring'] }, ['payroll']],
    ['ok', { credentials: ['ok'] }, ['Invoices']],
    ['expired or expiring', { credentials: ['expired', 'expiring'] }, ['archive', 'payroll']],
    ['all at once', { q: 'finance', status: ['passing'] as const, credentials: ['ok'] }, ['Invoices']],
    ['nothing matching', { q: 'nowhere' }, []],
  ])('filters by %s, keeping the order', (_label, query, expected) => {
    expect(names(filterEntries(sortEntries(all, undefined), query, NOW))).toEqual(expected);
  });

  it.each<ListSort | undefined>([undefined, 'name', '-name', 'last_check', '-last_check', 'expires_at', '-expires_at'])(
    'pages through every entry once in order %s',
    (sort) => {
      const sorted = sortEntries(all, sort);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = pageEntries(sorted, sort, 2, cursor);
        seen.push(...names(page.items));
        cursor = page.nextCursor ?? undefined;
        pages += 1;
      } while (cursor !== undefined && pages < 10);
      expect(seen).toEqual(names(sorted));
      expect(pages).toBe(3);
    },
  );

  it('keeps its place when an entry before the cursor is deleted and one is added after it', () => {
    const sorted = sortEntries(all, 'name');
    const first = pageEntries(sorted, 'name', 2, undefined);
    expect(names(first.items)).toEqual(['archive', 'Invoices']);
    const changed = sortEntries([...all.filter((e) => e.record.name !== 'archive'), entry('kiwi')], 'name');
    expect(names(pageEntries(changed, 'name', 2, first.nextCursor ?? undefined).items)).toEqual(['kiwi', 'Logs']);
  });

  it('refuses a cursor made for another order, or not made here', () => {
    const cursor = pageEntries(sortEntries(all, 'name'), 'name', 2, undefined).nextCursor ?? undefined;
    expect(() => pageEntries(sortEntries(all, '-name'), '-name', 2, cursor)).toThrow(InvalidListCursorError);
    expect(() => pageEntries(all, undefined, 2, 'garbage')).toThrow(InvalidListCursorError);
    expect(() => pageEntries(all, undefined, 2, Buffer.from('["newest", 5, "x"]').toString('base64url'))).toThrow(InvalidListCursorError);
  });
});
