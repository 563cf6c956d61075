import { describe, expect, it } from 'vitest';
import { LIST_FILTER_NAMES } from '#shared/list-options';
import {
  FILTER_ALIASES,
  isFiltered,
  linkCursorOf,
  listApiPath,
  listUrl,
  readListQuery,
  screenValuesOf,
  withChange,
  type ListQuery,
} from './list-query.ts';

const read = (search: string) => readListQuery(new URLSearchParams(search));
const EMPTY: ListQuery = { q: '', sort: null, status: null, credentials: null, cursor: null, page: 1 };

describe('the list query in the URL', () => {
  it.each<[string, Partial<ListQuery>]>([
    ['', {}],
    [
      'q=invoices&sort=-last_check&status=failing&credentials=expiring',
      { q: 'invoices', sort: '-last_check', status: 'failing', credentials: 'expiring' },
    ],
    ['credentials=attention', { credentials: 'attention' }],
    ['sort=size&status=broken&credentials=soon', {}],
    ['cursor=abc&page=3', { cursor: 'abc', page: 3 }],
    ['page=3', {}],
    ['cursor=abc&page=-2', { cursor: 'abc', page: 1 }],
  ])('reads ?%s, ignoring what it does not know', (search, expected) => {
    expect(read(search)).toEqual({ ...EMPTY, ...expected });
  });

  it('writes back only what differs from the defaults, and reads it again the same', () => {
    const query: ListQuery = { q: ' pay ', sort: 'name', status: 'passing', credentials: 'ok', cursor: 'c1', page: 2 };
    const url = listUrl(query);
    expect(url).toBe('/destinations?q=pay&sort=name&status=passing&credentials=ok&cursor=c1&page=2');
    expect(read(url.split('?')[1] ?? '')).toEqual({ ...query, q: 'pay' });
    expect(listUrl(EMPTY)).toBe('/destinations');
  });

  it('starts again at the first page when a choice changes', () => {
    const onPage3 = { ...EMPTY, q: 'logs', cursor: 'c2', page: 3 };
    expect(withChange(onPage3, { sort: 'name' })).toBe('/destinations?q=logs&sort=name');
    expect(withChange(onPage3, { q: '' })).toBe('/destinations');
  });

  it('asks the API for one page, with the banner\'s "attention" as expired or expiring', () => {
    expect(listApiPath(EMPTY)).toBe('/api/v1/destinations?destination_type=s3&limit=50');
    expect(listApiPath({ ...EMPTY, q: 'a b', credentials: 'attention', cursor: 'c' }, 1)).toBe(
      '/api/v1/destinations?destination_type=s3&limit=1&q=a+b&credentials=expired%2Cexpiring&cursor=c',
    );
  });

  it.each([
    [EMPTY, false],
    [{ ...EMPTY, sort: 'name' as const }, false],
    [{ ...EMPTY, q: '  ' }, false],
    [{ ...EMPTY, q: 'x' }, true],
    [{ ...EMPTY, status: 'untested' as const }, true],
  ])('knows a filtered list from a sorted one (%o: %s)', (query, filtered) => {
    expect(isFiltered(query)).toBe(filtered);
  });

  it.each([
    ['<https://admin.example.com/api/v1/destinations?limit=50&cursor=WyJuYW1lIl0>; rel="next"', 'WyJuYW1lIl0', null],
    [null, null, null],
    ['<https://admin.example.com/api/v1/destinations?limit=50&cursor=QQ>; rel="prev"', null, 'QQ'],
    [
      '<https://admin.example.com/api/v1/destinations?limit=50&cursor=TkVYVA>; rel="next", <https://admin.example.com/api/v1/destinations?limit=50&cursor=UFJFVg>; rel="prev"',
      'TkVYVA',
      'UFJFVg',
    ],
  ])('takes the next and previous cursors from Link %s', (link, next, prev) => {
    expect(linkCursorOf(link, 'next')).toBe(next);
    expect(linkCursorOf(link, 'prev')).toBe(prev);
  });

  it('carries every filter of the registry, each value and alias, from the URL to the API and back', () => {
    for (const name of LIST_FILTER_NAMES) {
      for (const value of screenValuesOf(name)) {
        const query = readListQuery(new URLSearchParams({ [name]: value, cursor: 'C', page: '3' }));
        expect(query[name], `${name}=${value}`).toBe(value);
        expect(isFiltered(query)).toBe(true);
        expect(new URL(listUrl(query), 'http://app.test').searchParams.get(name)).toBe(value);
        const sent = new URL(listApiPath(query), 'http://app.test').searchParams.get(name);
        const aliases = FILTER_ALIASES as Partial<Record<string, Record<string, readonly string[]>>>;
        expect(sent).toBe(aliases[name]?.[value]?.join(',') ?? value);
        // A change of filter starts again at the first page.
        expect(withChange(query, { [name]: null })).not.toContain('cursor=');
      }
      expect(readListQuery(new URLSearchParams({ [name]: 'not-a-value' }))[name]).toBeNull();
    }
  });
});
