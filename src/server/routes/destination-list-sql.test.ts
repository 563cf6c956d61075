import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DestinationListQuery } from '#shared/destination-schemas';
import { LIST_FILTER_NAMES, LIST_FILTERS, LIST_SORTS, type ListSort } from '#shared/list-options';
import { normalizeS3Config } from '#shared/s3-config';
import { countFiltered, selectPage, type ListCursor, type SearchLimits } from '../store/destination-list-sql.ts';
import { filterEntries, listEntry, sortEntries } from '../test-support/list-reference.ts';
import { buildTestApp, ON_POSTGRES, type TestApp } from '../test-support/test-app.ts';

// The list as the database answers it, page after page through the Link header, against the list as it was answered
// in memory before (test-support/list-reference.ts): every order and filter, on SQLite and on PostgreSQL.
let t: TestApp;
const hours = (n: number) => new Date(Date.now() + n * 3_600_000).toISOString();
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

beforeAll(async () => {
  t = await buildTestApp();
  const connectors: [string, Record<string, unknown>, ('SUCCESS' | 'FAILURE' | 'SCHEDULED')[]][] = [
    ['alpha', {}, ['SUCCESS']],
    ['Alpha two', { remote_url: 's3://alphabet/x/' }, ['FAILURE', 'SUCCESS']],
    ['Édith', { key: 'ASIAIOSFODNN7EXAMPLE', token: 'tokenA', token_expires_at: hours(-2) }, ['FAILURE']],
    ['zeta', { key: 'ASIAIOSFODNN7EXAMPLE', token: 'tokenB', token_expires_at: hours(0.1) }, []],
    ['_under', { key: 'ASIAIOSFODNN7EXAMPLE', token: 'tokenC', token_expires_at: hours(30) }, ['SCHEDULED']],
    ['Ägypt', { endpoint_url: 'https://minio.alpha.internal:9000', key: 'minio', secret: 'minio-secret' }, []],
    ['beta', { key: 'ASIAIOSFODNN7EXAMPLE', token: 'tokenD', token_expires_at: null }, ['SUCCESS']],
    ['Gamma', { key: 'ASIAIOSFODNN7EXAMPLE', token: 'tokenE', token_expires_at: hours(30) }, ['SUCCESS', 'FAILURE']],
    ['delta', {}, []],
    ['epsilon', { anonymous: true, key: null, secret: null }, ['FAILURE']],
    ['eta', { key: 'ASIAIOSFODNN7EXAMPLE', token: 'tokenF', token_expires_at: hours(0.2) }, ['SUCCESS']],
    ['theta', {}, ['SUCCESS']],
    ['iota', { key: 'ASIAIOSFODNN7EXAMPLE', token: 'tokenG', token_expires_at: hours(-1) }, []],
  ];
  for (const [name, extra, checks] of connectors) {
    const config = normalizeS3Config({ remote_url: `s3://bucket-${name.length}/`, key: 'AKIAIOSFODNN7EXAMPLE', secret: SECRET, ...extra });
    const { id } = await t.store.destinations.create({ name, config });
    for (const status of checks) {
      const check = await t.store.checks.create({ destinationId: id });
      if (status !== 'SCHEDULED')
        await t.store.checks.finish(check.id, { status, reason: status === 'FAILURE' ? 'no' : null, steps: [], identity: null, region: null });
      // A running check stays running: held by another instance's lease, or this app's worker would run it to an end
      // between the reference and the list (CI saw a row move from untested to failing on PostgreSQL).
      else
        await t.store.db.run('UPDATE connection_checks SET claimed_by = $1, lease_until = $2 WHERE id = $3', [
          'another-instance',
          hours(24),
          check.id,
        ]);
    }
  }
});
afterAll(() => t.close());

/** The target of the Link header's `rel` link, as a path, or null. */
const linked = (link: unknown, rel: 'next' | 'prev') => {
  const target = new RegExp(`<([^>]+)>; rel="${rel}"`).exec(String(link ?? ''))?.[1];
  return target ? `${new URL(target).pathname}${new URL(target).search}` : null;
};

/**
 * Every page of the list, following its Link header's rel="next" from `limit` rows a page, then back from the last
 * page through rel="prev" to the first; and the ids unpaged.
 */
async function listed(
  query: Record<string, string>,
  limit: number,
): Promise<{ paged: string[]; unpaged: string[]; total: string | undefined; pages: string[][]; back: string[][] }> {
  const pages: string[][] = [];
  let url: string | null = `/api/v1/destinations?${new URLSearchParams({ ...query, limit: String(limit) })}`;
  let total: string | undefined;
  let prev: string | null = null;
  for (let n = 0; url && n < 50; n++) {
    const response = await t.request({ method: 'GET', url });
    expect(response.statusCode, response.body).toBe(200);
    total ??= response.headers['x-total-count'] as string | undefined;
    pages.push(response.json().map((d: { id: string }) => d.id));
    // The first page has no previous one; every later one has.
    expect(linked(response.headers.link, 'prev') === null, `page ${n + 1}`).toBe(n === 0);
    url = linked(response.headers.link, 'next');
    prev = linked(response.headers.link, 'prev');
  }
  const back: string[][] = [];
  for (let n = 0; prev && n < 50; n++) {
    const response = await t.request({ method: 'GET', url: prev });
    expect(response.statusCode, response.body).toBe(200);
    back.unshift(response.json().map((d: { id: string }) => d.id));
    // A page reached backwards always has a next one: the page it was reached from.
    expect(linked(response.headers.link, 'next'), `back ${n + 1}`).not.toBeNull();
    prev = linked(response.headers.link, 'prev');
  }
  if (pages.length > 1) back.push(pages.at(-1) as string[]);
  const all = await t.request({ method: 'GET', url: `/api/v1/destinations?${new URLSearchParams(query)}` });
  return { paged: pages.flat(), unpaged: all.json().map((d: { id: string }) => d.id), total, pages, back };
}

async function reference(sort: ListSort | undefined, filter: Pick<DestinationListQuery, 'q' | 'status' | 'credentials'>): Promise<string[]> {
  const records = await t.store.destinations.list();
  const latest = await t.store.checks.latestSummaries();
  const entries = records.map((record) => listEntry(record, latest.get(record.id) ?? null));
  return filterEntries(sortEntries(entries, sort), filter, new Date()).map((entry) => entry.record.id);
}

const FILTERS: [string, Record<string, string>, Pick<DestinationListQuery, 'q' | 'status' | 'credentials'>][] = [
  ['no filter', {}, {}],
  ['q', { q: 'ALPHA' }, { q: 'ALPHA' }],
  ['q with pattern characters', { q: '%_' }, { q: '%_' }],
  ['passing', { status: 'passing' }, { status: ['passing'] }],
  ['failing or untested', { status: 'failing,untested' }, { status: ['failing', 'untested'] }],
  ['expired', { credentials: 'expired' }, { credentials: ['expired'] }],
  ['expiring or ok', { credentials: 'expiring,ok' }, { credentials: ['expiring', 'ok'] }],
];

describe.each([undefined, ...LIST_SORTS])('the list in the order %s', (sort) => {
  it.each(FILTERS)('%s: the same rows in the same order as before, paged or not', async (_label, query, filter) => {
    const expected = await reference(sort, filter);
    const { paged, unpaged, total, pages, back } = await listed({ ...query, ...(sort ? { sort } : {}) }, 3);
    expect(paged).toEqual(expected);
    expect(unpaged).toEqual(expected);
    expect(total).toBe(String(expected.length));
    // Back from the last page to the first through rel="prev": the same pages, each the same rows.
    if (pages.length > 1) expect(back).toEqual(pages);
  });
});

describe('every filter of the registry (LIST_FILTERS)', () => {
  it('keeps each of its values, and is kept with them in the next page’s link', async () => {
    let linked = 0;
    for (const name of LIST_FILTER_NAMES) {
      for (const value of LIST_FILTERS[name].values) {
        const expected = await reference(undefined, { [name]: [value] });
        const { paged } = await listed({ [name]: value }, 1);
        expect(paged, `${name}=${value}`).toEqual(expected);
        if (expected.length < 2) continue;
        const first = await t.request({ method: 'GET', url: `/api/v1/destinations?${name}=${value}&limit=1` });
        const next = new URL(/<([^>]+)>; rel="next"/.exec(String(first.headers.link))?.[1] as string);
        expect(next.searchParams.get(name), `${name}=${value} in ${next.href}`).toBe(value);
        linked += 1;
      }
    }
    // Every filter had values with a next page to look at.
    expect(linked).toBeGreaterThanOrEqual(LIST_FILTER_NAMES.length);
  });
});

describe('q, whatever it holds', () => {
  it('finds exactly the connectors whose name, Bucket URI or Custom URL hold it, pattern characters and all', async () => {
    const alphabet = fc.constantFrom('a', 'l', 'p', 'h', 'A', 'É', 'é', '_', '%', '*', '?', '[', ']', '\\', '/', ':', '.', '-', 's', '3', ' ');
    const pieces = ['alpha', 's3://', 'minio.alpha', 'bucket-5', 'Édith', '%_', '[x]'];
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: alphabet, minLength: 1, maxLength: 6 }), fc.constantFrom(...pieces)), async (q) => {
        if (!q.trim()) return;
        const expected = await reference(undefined, { q });
        const answer = await t.request({ method: 'GET', url: `/api/v1/destinations?${new URLSearchParams({ q })}` });
        expect(answer.statusCode).toBe(200);
        expect(answer.json().map((d: { id: string }) => d.id)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});

describe('a search that matches many rows (SQLite reads them in order)', () => {
  /** Every page of selectPage, `limit` rows a page, with the search limits given: the ids in order. */
  async function pages(sort: ListSort | undefined, q: string, searchLimits: SearchLimits, status?: ('passing' | 'failing' | 'untested')[]) {
    const ids: string[] = [];
    let cursor: ListCursor | null = null;
    for (let n = 0; n < 50; n++) {
      const page: Awaited<ReturnType<typeof selectPage<{ id: string }>>> = await selectPage<{ id: string }>(t.store.db, 'id', {
        filter: { q, status },
        sort,
        limit: 2,
        cursor,
        now: new Date(),
        searchLimits,
      });
      ids.push(...page.rows.map((row) => row.id));
      const last = page.rows.at(-1);
      if (!page.more || !last) break;
      cursor = { key: last.sort_key, id: last.id };
    }
    // And back: from the last row, pages before it until none is left, each read the other way; the same rows.
    const back: string[] = [];
    const lastRow = ids.at(-1);
    if (lastRow) {
      const keys = await selectPage<{ id: string }>(t.store.db, 'id', {
        filter: { q, status },
        sort,
        limit: 10_000,
        cursor: null,
        now: new Date(),
        searchLimits,
      });
      const end = keys.rows.find((row) => row.id === lastRow);
      let before: ListCursor | null = end ? { key: end.sort_key, id: end.id, before: true } : null;
      for (let n = 0; before && n < 50; n++) {
        const page = await selectPage<{ id: string }>(t.store.db, 'id', {
          filter: { q, status },
          sort,
          limit: 2,
          cursor: before,
          now: new Date(),
          searchLimits,
        });
        back.unshift(...page.rows.map((row) => row.id));
        const first = page.rows.at(0);
        before = page.more && first ? { key: first.sort_key, id: first.id, before: true } : null;
      }
      back.push(lastRow);
    }
    expect(back, `${q} read backwards`).toEqual(ids);
    return ids;
  }
  // `bucket`: in 12 of the 13 Bucket URIs; `alpha`: 3 rows, one by its Custom URL; `ágy` and `zz`: short or rare.
  const cases = ['bucket', 'alpha', 'ägy', 'zz', 'bucket-5'];
  const limits: [string, SearchLimits][] = [
    ['judged dense, read in order to the end', { denseAt: 2, scanAtMost: 1_000 }],
    ['judged dense, and the order read no further than 3 rows before asking the trigram table', { denseAt: 2, scanAtMost: 3 }],
    ['judged sparse', { denseAt: 1_000, scanAtMost: 1_000 }],
  ];
  describe.each([undefined, ...LIST_SORTS])('in the order %s', (sort) => {
    it.each(limits)('%s: the rows of the reference, in its order', async (_label, searchLimits) => {
      for (const q of cases) expect(await pages(sort, q, searchLimits), q).toEqual(await reference(sort, { q }));
      expect(await pages(sort, 'bucket', searchLimits, ['passing'])).toEqual(await reference(sort, { q: 'bucket', status: ['passing'] }));
    });
  });

  it('counts what the reference keeps, with the other filters, up to the cap', async () => {
    for (const q of cases) expect(await countFiltered(t.store.db, { q }, new Date(), 10_000), q).toBe((await reference(undefined, { q })).length);
    const passing = (await reference(undefined, { q: 'bucket', status: ['passing'] })).length;
    expect(passing).toBeGreaterThan(0);
    expect(await countFiltered(t.store.db, { q: 'bucket', status: ['passing'] }, new Date(), 10_000)).toBe(passing);
    // Past the cap: the cap and one more (said "cap+").
    expect(await countFiltered(t.store.db, { q: 'bucket' }, new Date(), 5)).toBe(6);
  });

  it.skipIf(ON_POSTGRES)('is read in order only when dense, on SQLite (skipped on PostgreSQL: its planner chooses)', async () => {
    const statements: string[] = [];
    const all = t.store.db.all.bind(t.store.db);
    t.store.db.all = ((sql: string, params?: never[]) => (statements.push(sql), all(sql, params))) as typeof t.store.db.all;
    try {
      await pages(undefined, 'bucket', { denseAt: 2, scanAtMost: 1_000 });
      expect(statements.some((sql) => sql.includes('instr(search_text'))).toBe(true);
      statements.length = 0;
      await pages(undefined, 'bucket', { denseAt: 1_000, scanAtMost: 1_000 });
      expect(statements.some((sql) => sql.includes('instr(search_text'))).toBe(false);
    } finally {
      t.store.db.all = all;
    }
  });
});

describe('the list’s cursors', () => {
  it('stay stable under inserts and deletes: a page after a change goes on from the same place', async () => {
    const first = await t.request({ method: 'GET', url: '/api/v1/destinations?sort=name&limit=4' });
    const next = /<([^>]+)>; rel="next"/.exec(String(first.headers.link))?.[1] as string;
    // One before the cursor's place and one after it.
    const config = normalizeS3Config({ remote_url: 's3://late/', key: 'AKIAIOSFODNN7EXAMPLE', secret: SECRET });
    await t.store.destinations.create({ name: 'aaa first', config });
    await t.store.destinations.create({ name: 'zzz last', config });
    const url = new URL(next);
    url.searchParams.set('limit', '50');
    const rest = await t.request({ method: 'GET', url: `${url.pathname}${url.search}` });
    expect(rest.statusCode, rest.body).toBe(200);
    const names = rest.json().map((d: { name: string }) => d.name);
    expect(names).not.toContain('aaa first');
    expect(names).toContain('zzz last');
    expect(names[0]?.localeCompare(first.json().at(-1).name, 'en', { sensitivity: 'base' })).toBeGreaterThan(0);
  });

  it('goes back to a full first page when the rows before the cursor were deleted, with no previous page', async () => {
    const config = normalizeS3Config({ remote_url: 's3://back/', key: 'AKIAIOSFODNN7EXAMPLE', secret: SECRET });
    const made = [];
    for (const name of ['000 one', '000 two', '000 three']) made.push(await t.store.destinations.create({ name, config }));
    try {
      const first = await t.request({ method: 'GET', url: '/api/v1/destinations?sort=name&limit=3' });
      const second = await t.request({ method: 'GET', url: linked(first.headers.link, 'next') as string });
      // Two of the first page's three rows go: the page before the second one is no longer three rows long.
      for (const gone of made.slice(0, 2)) await t.store.destinations.remove(gone.id, gone.version);
      const back = await t.request({ method: 'GET', url: linked(second.headers.link, 'prev') as string });
      expect(back.statusCode, back.body).toBe(200);
      const fresh = await t.request({ method: 'GET', url: '/api/v1/destinations?sort=name&limit=3' });
      expect(back.json().map((d: { id: string }) => d.id)).toEqual(fresh.json().map((d: { id: string }) => d.id));
      expect(back.json()).toHaveLength(3);
      expect(linked(back.headers.link, 'prev')).toBeNull();
      expect(linked(back.headers.link, 'next')).toBe(linked(fresh.headers.link, 'next'));
    } finally {
      for (const { id, version } of made.slice(2)) await t.store.destinations.remove(id, version);
    }
  });

  it('answers a full page reached backwards at the start with one read: it is the first page', async () => {
    const first = await t.request({ method: 'GET', url: '/api/v1/destinations?sort=name&limit=2' });
    const second = await t.request({ method: 'GET', url: linked(first.headers.link, 'next') as string });
    const reads = vi.spyOn(t.store.destinations, 'listPage');
    try {
      const back = await t.request({ method: 'GET', url: linked(second.headers.link, 'prev') as string });
      expect(back.statusCode, back.body).toBe(200);
      expect(back.json().map((d: { id: string }) => d.id)).toEqual(first.json().map((d: { id: string }) => d.id));
      expect(linked(back.headers.link, 'prev')).toBeNull();
      expect(linked(back.headers.link, 'next')).toBe(linked(first.headers.link, 'next'));
      expect(reads).toHaveBeenCalledTimes(1);
    } finally {
      reads.mockRestore();
    }
  });

  it('refuses a cursor of another order, or one it did not make', async () => {
    const first = await t.request({ method: 'GET', url: '/api/v1/destinations?sort=name&limit=2' });
    const cursor = new URL(/<([^>]+)>; rel="next"/.exec(String(first.headers.link))?.[1] as string).searchParams.get('cursor') as string;
    const forged = Buffer.from(JSON.stringify(['name', null, 'x', 'after'])).toString('base64url');
    for (const url of [
      `/api/v1/destinations?sort=-name&limit=2&cursor=${cursor}`,
      '/api/v1/destinations?limit=2&cursor=not-a-cursor',
      `/api/v1/destinations?sort=name&limit=2&cursor=${forged}`,
    ]) {
      const refused = await t.request({ method: 'GET', url });
      expect(refused.statusCode).toBe(422);
      expect(refused.json().detail[0]).toMatchObject({ loc: ['query', 'cursor'] });
    }
  });
});
